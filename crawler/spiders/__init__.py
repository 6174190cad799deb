"""One spider per source family; a site is a profile (``SourceConfig``), not a class.

``SPIDERS`` maps a source's family to its spider: weibo, wechat, and portal (which also serves the
``forum`` and ``board`` families through its presets).
"""

from __future__ import annotations

from crawler.spiders.portal import PortalSpider
from crawler.spiders.wechat import WechatSpider
from crawler.spiders.weibo import WeiboSpider

SPIDERS = {"weibo": WeiboSpider, "wechat": WechatSpider, "portal": PortalSpider, "forum": PortalSpider,
           "board": PortalSpider}

__all__ = ["SPIDERS", "PortalSpider", "WechatSpider", "WeiboSpider"]
