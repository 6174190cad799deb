"""Local platforms as profiles: Discuz! forums, government message boards (JSON API or HTML) and
社区通-style JSON exports. A new town's forum is a YAML profile, not code.

``options.preset``: ``discuz`` (family forum's default), ``board`` (family board's default), ``board_html``,
``export`` (family portal's default). Preset options:

- discuz: ``fids`` [int], ``site`` (source suffix, default the source name), ``max_pages`` (10),
  ``list_url`` ("forum.php?mod=forumdisplay&fid={fid}&page={page}")
- board: ``fid``, ``rows`` (10), ``app_code``, ``detail`` (fetch full text of truncated messages, true),
  ``list_path`` ("/v1/threads/list/df"), ``detail_path`` ("/v1/threads/content")
- board_html: ``fid``, ``list_url`` ("threads/list?fid={fid}&page={page}")
- export: ``path`` ("/api/v1/export/posts"), ``page_size`` (100), ``token_env``, ``mapping`` {field: dotted path}
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawler.backlog import in_gaps
from crawler.context import PRESET_FAMILY
from crawler.spiders.base import SourceSpider

DEFAULT_PRESET = {"forum": "discuz", "board": "board", "portal": "export"}
BOARD_APP_CODE = "PC42ce3bfa4980a9"


def board_signature(path: str, param: str, app_code: str) -> str:
    """md5(path + compact param JSON + md5(appCode)[:16]), as the 留言板 web app signs its calls."""
    return hashlib.md5((path + param + hashlib.md5(app_code.encode()).hexdigest()[:16]).encode()).hexdigest()


def preset_of(family: str, options: dict[str, Any]) -> str:
    """The profile preset of a source."""
    return options.get("preset") or DEFAULT_PRESET.get(family, "export")


class PortalSpider(SourceSpider):
    """The portal, forum and board families."""

    name = "portal"

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self.preset = preset_of(self.source.family, self.options)
        prefix = {"discuz": "forum", "board": "board", "board_html": "board"}.get(self.preset, "portal")
        self.post_source = f"{prefix}:{self.options.get('site') or self.source.name}"
        self.cutoff_at: datetime | None = None

    async def start(self) -> AsyncIterator[Any]:
        if self.preset == "discuz":
            fids = {str(f): f for f in self.options.get("fids", [])}
            for fid in fids.values():
                yield self.forum_page(fid, 1)
            # lists a cap left unfinished; one page of overlap: rows deleted above the cursor move the list up
            for key, entry in self.ctx.tracker.backlog.resume("fid:", lambda k: k[4:] in fids):
                first = max(entry.next - 1, 1)
                yield self.forum_page(fids[key[4:]], first, until=entry.next + self.max_pages)
        elif self.preset == "board":
            yield self.board_list("")
        elif self.preset == "board_html":
            yield self.board_html(1)
        elif self.preset == "export":
            yield self.export(None)
        else:
            raise ValueError(f"unknown preset {self.preset!r} (discuz, board, board_html, export)")

    def cutoff(self, response: Response) -> datetime:
        """The crawl window's start, fixed on the first response (site clock)."""
        if self.cutoff_at is None:
            self.cutoff_at = self.ctx.cutoff(self.now(response))
        return self.cutoff_at

    def parse_as(self, response: Response, **kwargs: Any) -> Any:
        return self.parse_page(response, family=PRESET_FAMILY[self.preset], source=self.post_source, **kwargs)

    # ---- Discuz ------------------------------------------------------------------------------------
    @property
    def max_pages(self) -> int:
        """List pages per walk (the head's, and the backlog's own budget)."""
        return int(self.options.get("max_pages", 10))

    def forum_page(self, fid: Any, page: int, until: int | None = None) -> scrapy.Request:
        """A thread list page; ``until``: where a backlog walk's budget ends, exclusive (None: the head walk)."""
        pattern = self.options.get("list_url", "forum.php?mod=forumdisplay&fid={fid}&page={page}")
        return scrapy.Request(self.url(pattern.format(fid=fid, page=page)), callback=self.on_forum,
                              cb_kwargs={"fid": fid, "page": page, "until": until}, dont_filter=until is not None)

    def on_forum(self, response: Response, fid: Any, page: int, until: int | None = None) -> Iterator[Any]:
        result = self.parse_as(response)
        if result is None:
            return
        cutoff = self.cutoff(response)
        key = f"fid:{fid}"
        gaps = self.ctx.tracker.backlog.gaps(key) if until is not None else None
        older = False
        dates = []
        for link in result.links:
            last = datetime.fromisoformat(link["last_post_at"]) if link.get("last_post_at") else None
            if last is not None and not link["sticky"]:
                dates.append(last)
            if gaps is not None:  # backlog walk: only what the earlier walks left unread
                if not in_gaps(gaps, last):
                    continue
            elif last is not None and last < cutoff:
                older = older or not link["sticky"]
                continue
            yield scrapy.Request(link["url"], callback=self.on_thread, meta={"gone_key": f"tid:{link['tid']}"})
        reached = min(dates) if dates else None
        if until is not None:
            if self.backlog_read(key, page + 1, reached, bool(result.next_url), until):
                yield self.forum_page(fid, page + 1, until)
        elif result.next_url and not older:
            if page < self.max_pages:
                yield self.forum_page(fid, page + 1)
            else:  # the cap stops the walk inside the window: the rest is the backlog
                self.capped(key, page + 1, cutoff, reached)

    def on_thread(self, response: Response) -> Iterator[Any]:
        result = self.parse_as(response)
        if result is None or self.gone(result, response.meta.get("gone_key", response.url)):
            return
        yield from result.items
        if result.next_url:
            yield scrapy.Request(result.next_url, callback=self.on_thread, meta={"gone_key": response.meta.get(
                "gone_key")})

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
