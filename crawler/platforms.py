"""The platform table: one row per source family — its spider, parser, response classifier, option schema and
politeness defaults. A source's ``family`` picks the row; presets (``options.preset``) only choose page shapes
inside a row (checked by the option schema), so the parser and classifier family is always the source's own.

The defaults live in ``core.config.sources`` (the ground floor cannot import the crawler); the row names them
so that one place shows what a platform is made of, and a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.config.sources import OPTIONS
from crawler import classify
from crawler.parsers import board, discuz, portal, wechat, weibo
from crawler.parsers.common import ParseResult
from crawler.spiders import BoardSpider, ForumSpider, PortalSpider, WechatSpider, WeiboSpider


@dataclass(frozen=True)
class Platform:
    """What one source family is made of."""

    family: str
    spider: type
    parse: Callable[..., ParseResult]
    classify: Callable[[int, bytes], tuple[classify.Outcome, str]]
    options: type
    delay: float  # seconds between requests unless the source sets ``delay``
    robots: bool  # robots.txt obeyed unless the source sets ``obey_robots``
    presets: tuple[str, ...] = ()


PLATFORMS: dict[str, Platform] = {p.family: p for p in (
    Platform("weibo", WeiboSpider, weibo.parse, classify.classify_weibo, OPTIONS["weibo"], 3.0, False),
    Platform("wechat", WechatSpider, wechat.parse, classify.classify_wechat, OPTIONS["wechat"], 10.0, False),
    Platform("forum", ForumSpider, discuz.parse, classify.classify_forum, OPTIONS["forum"], 2.0, True, ("discuz",)),
    Platform("board", BoardSpider, board.parse, classify.classify_board, OPTIONS["board"], 2.0, True,
             ("board", "board_html")),
    Platform("portal", PortalSpider, portal.parse, classify.classify_portal, OPTIONS["portal"], 1.0, False,
             ("export",)),
)}


def platform(source: Any) -> Platform:
    """The row of a source (a ``SourceConfig``) or of a family name."""
    return PLATFORMS[source if isinstance(source, str) else source.family]
