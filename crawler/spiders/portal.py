"""社区通-style portal exports (family ``portal``, ``preset: export``): a paged JSON export read through a field
mapping, so another platform's export is a profile (a mapping in YAML), not code. Options are checked by
``core.config.sources.PortalOptions``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawler.spiders.base import SourceSpider


class PortalSpider(SourceSpider):
    """The portal family."""

    name = "portal"

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self.post_source = f"portal:{self.options.get('site') or self.source.name}"
        self.cutoff_at: datetime | None = None

    async def start(self) -> AsyncIterator[Any]:
        yield self.export(None)

    def cutoff(self, response: Response) -> datetime:
        """The crawl window's start, fixed on the first response (site clock)."""
        if self.cutoff_at is None:
            self.cutoff_at = self.ctx.cutoff(self.now(response))
        return self.cutoff_at

    def parse_as(self, response: Response, **kwargs: Any) -> Any:
        return self.parse_page(response, family="portal", source=self.post_source, **kwargs)

    # ---- 社区通-style export ------------------------------------------------------------------------
    def export(self, cursor: str | None, since: str | None = None) -> scrapy.Request:
        q: dict[str, Any] = {"page_size": int(self.options.get("page_size", 100))}
        if since:
            q["updated_since"] = since
        if cursor:
            q["cursor"] = cursor
        token = os.environ.get(self.options.get("token_env", ""), "") if self.options.get("token_env") else None
        if token:
            q["token"] = token
        path = self.options.get("path", "/api/v1/export/posts")
        return scrapy.Request(self.url(path) + "?" + urlencode(q), callback=self.on_export,
                              cb_kwargs={"since": since}, dont_filter=True)

    def on_export(self, response: Response, since: str | None) -> Iterator[Any]:
        if since is None and self.cutoff_at is None:  # first call: learn the site clock, then ask for the window
            cutoff = self.cutoff(response)
            yield self.export(None, cutoff.isoformat(timespec="seconds"))
            return
        result = self.parse_as(response, mapping=self.options.get("mapping"))
        if result is None:
            return
        yield from result.items
        if result.cursor.get("cursor"):
            yield self.export(result.cursor["cursor"], since)
