"""Weibo (m.weibo.cn API): keyword searches split into time slices (past the ~50-page cap) and re-filtered
for the exact keywords; user timelines by ``since_id``; long text when truncated; comments on posts that
mention watched words.

Options: ``keywords`` [str], ``users`` [uid], ``slice_hours`` (6), ``max_pages`` (50), ``comments`` (bool),
``watch`` [words whose posts get their comments fetched; default: the keywords], ``comment_pages`` (3).
A one-hour slice that still hits ``max_pages`` is left as a backlog (``crawler.backlog``): the next crawl
continues it from the page where this one stopped.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from core import Post
from crawler.parsers.weibo import check_envelope
from crawler.spiders.base import SourceSpider


def timescope(a: datetime, b: datetime) -> str:
    """s.weibo.com style ``custom:YYYY-MM-DD-H:YYYY-MM-DD-H`` (hours, site time)."""
    return f"custom:{a:%Y-%m-%d}-{a.hour}:{b:%Y-%m-%d}-{b.hour}"


class WeiboSpider(SourceSpider):
    """The weibo family."""

    name = "weibo"

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(self.url("/api/config"), callback=self.on_config, dont_filter=True)

    def on_config(self, response: Response) -> Iterator[Any]:
        try:
            data = json.loads(response.body)
            logged_in = bool(check_envelope(data) and data["data"].get("login"))
        except (ValueError, KeyError, TypeError):
            logged_in = False
        self.crawler.stats.set_value("yuqing/weibo/logged_in", logged_in)
        now = self.now(response)
        cutoff = self.ctx.cutoff(now)
        slice_h = float(self.options.get("slice_hours", 6))
        for kw in self.options.get("keywords", []):
            start = cutoff.replace(minute=0, second=0, microsecond=0)
            while start < now:
                end = min(start + timedelta(hours=slice_h), now.replace(minute=0, second=0, microsecond=0)
                          + timedelta(hours=1))
                yield self.search(kw, start, end, 1)
                start = end
        keywords = set(self.options.get("keywords", []))
        resumed = self.ctx.tracker.backlog.resume("search:", lambda k: k[7:].split("|", 2)[-1] in keywords)
        for key, entry in resumed:  # slices a cap left unfinished
            a, b, kw = key[7:].split("|", 2)
            yield self.search(kw, datetime.fromisoformat(a), datetime.fromisoformat(b), entry.next,
                              until=entry.next + self.max_pages)
        for uid in self.options.get("users", []):
            yield self.timeline(str(uid), None, cutoff)

    @property
    def max_pages(self) -> int:
        """Search pages per slice walk (the site's own cap is about 50)."""
        return int(self.options.get("max_pages", 50))

    def search(self, kw: str, a: datetime, b: datetime, page: int, until: int | None = None) -> scrapy.Request:
        """One page of a keyword search within a time slice; ``until``: where a backlog walk's budget ends."""
        q = {"containerid": f"100103type=1&q={kw}", "page_type": "searchall", "timescope": timescope(a, b),
             "page": page}
        return scrapy.Request(self.url("/api/container/getIndex?" + urlencode(q)), callback=self.on_search,
                              cb_kwargs={"kw": kw, "a": a, "b": b, "page": page, "until": until},
                              dont_filter=until is not None)  # a walk must not die on a page the head also read

    def on_search(self, response: Response, kw: str, a: datetime, b: datetime, page: int,
                  until: int | None = None) -> Iterator[Any]:
        result = self.parse_page(response)
        if result is None:
            return
        words = kw.split()
        key = f"search:{a.isoformat()}|{b.isoformat()}|{kw}"
        for post in result.items:
            if all(w in post.text for w in words):
                yield from self.expand(post)
            else:
                self.crawler.stats.inc_value("yuqing/weibo/fuzzy_filtered")
        nxt = result.cursor.get("page")
        reached = min((p.published_at for p in result.items), default=None)
        if until is not None:  # the slice bounds the query: its walk ends with its last page, not by date
            # (search dates such as "3小时前" are approximate), and every post of it is taken again
            if self.backlog_read(key, nxt or 0, None, bool(nxt), until):
                yield self.search(kw, a, b, nxt, until)
        elif nxt and nxt <= self.max_pages:
            yield self.search(kw, a, b, nxt)
        elif nxt and b - a > timedelta(hours=1):  # the cap hides results: split the slice
            self.crawler.stats.inc_value("yuqing/weibo/slice_split")
            mid = a + (b - a) / 2
            mid = mid.replace(minute=0, second=0, microsecond=0)
            yield self.search(kw, a, mid, 1)
            yield self.search(kw, mid, b, 1)
        elif nxt:  # an hour still hits the cap: the rest of the slice is the backlog
            self.capped(key, nxt, a, reached)

    def timeline(self, uid: str, since_id: str | None, cutoff: datetime) -> scrapy.Request:
        """One page of a user's timeline."""
        q = {"type": "uid", "value": uid, "containerid": f"107603{uid}"}
        if since_id:
            q["since_id"] = since_id
        return scrapy.Request(self.url("/api/container/getIndex?" + urlencode(q)), callback=self.on_timeline,
                              cb_kwargs={"uid": uid, "cutoff": cutoff})

    def on_timeline(self, response: Response, uid: str, cutoff: datetime) -> Iterator[Any]:
        result = self.parse_page(response)
        if result is None:
            return
        older = False
        for post in result.items:
            if post.extra.get("pinned") or self.fresh(post, cutoff):
                yield from self.expand(post)
            else:
                older = True
        if result.cursor.get("since_id") and not older:
            yield self.timeline(uid, result.cursor["since_id"], cutoff)

    def expand(self, post: Post) -> Iterator[Any]:
        """The post itself (after its long text, if truncated) and a request for its comments if watched."""
        if post.extra.get("truncated"):
            yield scrapy.Request(self.url(f"/statuses/extend?id={post.native_id}"), callback=self.on_longtext,
                                 errback=self.on_longtext_failed, cb_kwargs={"post": post}, meta={"post": post})
        else:
            yield post
        watch = self.options.get("watch") or [w for kw in self.options.get("keywords", []) for w in kw.split()]
        if self.options.get("comments") and post.metrics.comments and any(w in post.text for w in watch):
            yield self.comments(post.native_id, None, 1)

    def on_longtext(self, response: Response, post: Post) -> Iterator[Post]:
        result = self.parse_page(response)
        if result is None or not result.patches:
            yield post
            return
        patch = result.patches[0]
        extra = {**post.extra, "truncated": False}
        yield post.model_copy(update={"text": patch["text"] or post.text, "extra": extra})

    def on_longtext_failed(self, failure: Any) -> Iterator[Post]:
        post = failure.request.meta["post"]
        self.crawler.stats.inc_value("yuqing/weibo/longtext_failed")
        yield post  # kept truncated (extra.truncated stays true); the next crawl revisits it

    def comments(self, mid: str, max_id: str | None, page: int) -> scrapy.Request:
        """One page of hot-flow comments."""
        q = {"id": mid, "mid": mid, "max_id_type": 0}
        if max_id:
            q["max_id"] = max_id
        return scrapy.Request(self.url("/comments/hotflow?" + urlencode(q)), callback=self.on_comments,
                              cb_kwargs={"mid": mid, "page": page})

    def on_comments(self, response: Response, mid: str, page: int) -> Iterator[Any]:
        result = self.parse_page(response)
        if result is None:
            return
        yield from result.items
        if result.cursor.get("max_id") and page < int(self.options.get("comment_pages", 3)):
            yield self.comments(mid, result.cursor["max_id"], page + 1)
