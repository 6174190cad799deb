"""One spider per platform; a site is a profile (``SourceConfig``), not a class.

``SPIDERS`` maps a source's family to its spider (the platform table, ``crawler.platforms``, adds each
platform's parser, classifier and defaults).
"""

from __future__ import annotations

from crawler.spiders.board import BoardSpider
from crawler.spiders.forum import ForumSpider
from crawler.spiders.portal import PortalSpider
from crawler.spiders.wechat import WechatSpider
from crawler.spiders.weibo import WeiboSpider

SPIDERS = {"weibo": WeiboSpider, "wechat": WechatSpider, "forum": ForumSpider, "board": BoardSpider,
           "portal": PortalSpider}

__all__ = ["SPIDERS", "BoardSpider", "ForumSpider", "PortalSpider", "WechatSpider", "WeiboSpider"]
