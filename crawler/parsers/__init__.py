"""Pure parsers, one module per source family: ``parse(body, url=None, now=None, source=None) -> ParseResult``.

``PARSERS`` maps a family name to its parse function (``forum`` and ``discuz`` are the same parser).
"""

from __future__ import annotations

from collections.abc import Callable

from crawler.parsers import board, discuz, portal, wechat, weibo
from crawler.parsers.common import ParseError, ParseResult

PARSERS: dict[str, Callable[..., ParseResult]] = {
    "weibo": weibo.parse, "wechat": wechat.parse, "discuz": discuz.parse, "forum": discuz.parse,
    "board": board.parse, "portal": portal.parse,
}

__all__ = ["PARSERS", "ParseError", "ParseResult"]
