"""Government message boards (family ``board``): the 领导留言板 JSON API (``preset: board``: signed calls, a
``lastItem`` cursor, the full text of truncated messages) or HTML list and detail pages (``preset: board_html``).
Options are checked by ``core.config.sources.BoardOptions``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.spiders.base import SourceSpider

BOARD_APP_CODE = "PC42ce3bfa4980a9"


def board_signature(path: str, param: str, app_code: str) -> str:
    """md5(path + compact param JSON + md5(appCode)[:16]), as the 留言板 web app signs its calls."""
    return hashlib.md5((path + param + hashlib.md5(app_code.encode()).hexdigest()[:16]).encode()).hexdigest()


class BoardSpider(SourceSpider):
    """The board family."""

    name = "board"

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self.preset = self.options.get("preset") or "board"
        self.post_source = f"board:{self.options.get('site') or self.source.name}"
        self.cutoff_at: datetime | None = None

    async def start(self) -> AsyncIterator[Any]:
        if self.preset == "board_html":
            yield self.board_html(1)
        else:
            yield self.board_list("")

    def cutoff(self, response: Response) -> datetime:
        """The crawl window's start, fixed on the first response (site clock)."""
        if self.cutoff_at is None:
            self.cutoff_at = self.ctx.cutoff(self.now(response))
        return self.cutoff_at

    def parse_as(self, response: Response, **kwargs: Any) -> Any:
        return self.parse_page(response, family="board", source=self.post_source, **kwargs)

    # ---- message board (JSON API) ----------------------------------------------------------------
    def _signed(self, path: str, param: dict[str, Any]) -> bytes:
        app = self.options.get("app_code", BOARD_APP_CODE)
        raw = json.dumps(param, separators=(",", ":"), ensure_ascii=False)
        return json.dumps({"appCode": app, "token": "", "param": raw,
                           "signature": board_signature(path, raw, app)}).encode()

    def board_list(self, last_item: str) -> scrapy.Request:
        path = self.options.get("list_path", "/v1/threads/list/df")
        param = {"fid": self.options.get("fid"), "showUnAnswer": 1, "typeId": 5, "lastItem": last_item,
                 "position": "0", "rows": int(self.options.get("rows", 10)), "orderType": 2}
        return scrapy.Request(self.url(path), method="POST", body=self._signed(path, param),
                              headers={"Content-Type": "application/json;charset=UTF-8"}, callback=self.on_board,
                              dont_filter=True)

    def on_board(self, response: Response) -> Iterator[Any]:
        result = self.parse_as(response)
        if result is None:
            return
        cutoff = self.cutoff(response)
        older = False
        for post in result.items:
            if not self.fresh(post, cutoff):
                older = True
                continue
            if post.extra.get("truncated") and self.options.get("detail", True):
                path = self.options.get("detail_path", "/v1/threads/content")
                yield scrapy.Request(self.url(path), method="POST", callback=self.on_board_detail,
                                     body=self._signed(path, {"tid": post.native_id, "fromTrash": 0}),
                                     headers={"Content-Type": "application/json;charset=UTF-8"},
                                     meta={"gone_key": f"tid:{post.native_id}"}, dont_filter=True)
            else:
                yield post
        if result.cursor.get("count", 0) >= int(self.options.get("rows", 10)) and not older:
            yield self.board_list(result.cursor["lastItem"])

    def on_board_detail(self, response: Response) -> Iterator[Any]:
        result = self.parse_as(response)
        if result is not None:
            yield from result.items

    # ---- message board (HTML) --------------------------------------------------------------------
    def board_html(self, page: int) -> scrapy.Request:
        pattern = self.options.get("list_url", "threads/list?fid={fid}&page={page}")
        return scrapy.Request(self.url(pattern.format(fid=self.options.get("fid"), page=page)),
                              callback=self.on_board_html, cb_kwargs={"page": page})

    def on_board_html(self, response: Response, page: int) -> Iterator[Any]:
        result = self.parse_as(response)
        if result is None:
            return
        cutoff = self.cutoff(response)
        older = False
        for link in result.links:
            if link.get("published_at") and datetime.fromisoformat(link["published_at"]) < cutoff:
                older = True
                continue
            yield scrapy.Request(link["url"], callback=self.on_board_detail, meta={"gone_key": f"tid:{link['tid']}"})
        if result.next_url and not older:
            yield self.board_html(page + 1)
