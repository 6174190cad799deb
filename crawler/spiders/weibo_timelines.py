"""Weibo timelines: m.weibo.cn containers (a user's ``107603<uid>``, any other container id; ``since_id``
paging) and weibo.com's ``ajax/statuses/mymblog`` (``page`` paging). The head walk stops at the first post
older than the crawl window (pinned posts aside); a walk stopped by ``max_pages`` inside the window is left
as a backlog (``crawler.backlog``) that later crawls continue where it stopped."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from core import Post
from crawler.backlog import in_gaps
from crawler.spiders.weibo_posts import WeiboPostSpider


def oldest(posts: list[Post]) -> datetime | None:
    """The oldest date of a timeline page, pinned posts aside (None: no dated post)."""
    return min((p.published_at for p in posts if not p.extra.get("pinned")), default=None)


class WeiboTimelineSpider(WeiboPostSpider):
    """The weibo spider's timelines (both APIs)."""

    def timeline(self, cid: str, uid: str | None, cursor: dict[str, Any] | None, page: int,
                 until: int | None = None) -> scrapy.Request:
        """One page of a container (a user's timeline ``107603<uid>``, ``230413<uid>``, any other id);
        ``until``: the page budget of a backlog walk (None: the head walk)."""
        q: dict[str, Any] = {"type": "uid", "value": uid, "containerid": cid} if uid else {"containerid": cid}
        q.update(cursor or {})
        return scrapy.Request(self.url("/api/container/getIndex?" + urlencode(q)), callback=self.on_timeline,
                              cb_kwargs={"cid": cid, "uid": uid, "page": page, "until": until},
                              meta={"list_page": page}, dont_filter=until is not None)

    def on_timeline(self, response: Response, cid: str, uid: str | None, page: int,
                    until: int | None = None) -> Iterator[Any]:
        result = self.parse_page(response)
        if result is None:
            return
        cursor = {k: result.cursor[k] for k in ("since_id", "page") if k in result.cursor}
        since = str(cursor.get("since_id", ""))
        key = f"timeline:{cid}"
        if until is not None:  # a backlog walk: only what earlier crawls left unread, within its page budget
            yield from self.unread_posts(key, result.items)
            self.crawler.stats.inc_value("yuqing/backlog_pages")
            more = since.isdigit()
            if self.ctx.tracker.backlog.advance(key, -int(since) if more else 0, oldest(result.items), more,
                                                page >= until):
                yield self.timeline(cid, uid, cursor, page + 1, until)
            return
        older = yield from self.fresh_posts(result.items, response)
        if cursor and not older and page < self.max_pages:
            yield self.timeline(cid, uid, cursor, page + 1)
        elif cursor and not older and since.isdigit():  # the cap stops the walk inside the window: the rest is
            # the backlog, resumed at this since_id (negated: the smaller value is the newer point, as pages)
            self.capped(key, -int(since), self.window(response), oldest(result.items))

    def desktop_timeline(self, uid: str, page: int, since_id: str | None,
                         until: int | None = None) -> scrapy.Request:
        """One page of a user's posts on weibo.com (``ajax/statuses/mymblog``); ``until``: where a backlog
        walk's page budget ends, exclusive (None: the head walk)."""
        q: dict[str, Any] = {"uid": uid, "page": page, "feature": 0}
        if since_id:
            q["since_id"] = since_id
        return scrapy.Request(self.url("/ajax/statuses/mymblog?" + urlencode(q)), callback=self.on_desktop_timeline,
                              cb_kwargs={"uid": uid, "page": page, "until": until}, meta={"list_page": page},
                              dont_filter=until is not None)

    def on_desktop_timeline(self, response: Response, uid: str, page: int,
                            until: int | None = None) -> Iterator[Any]:
        result = self.parse_page(response)
        if result is None:
            return
        key = f"mymblog:{uid}"
        if until is not None:  # a backlog walk: only what earlier crawls left unread, within its page budget
            yield from self.unread_posts(key, result.items)
            if self.backlog_read(key, page + 1, oldest(result.items), bool(result.items), until):
                yield self.desktop_timeline(uid, page + 1, result.cursor.get("since_id"), until)
            return
        older = yield from self.fresh_posts(result.items, response)
        if result.items and not older and page < self.max_pages:
            yield self.desktop_timeline(uid, page + 1, result.cursor.get("since_id"))
        elif result.items and not older:  # the cap stops the walk inside the window: the rest is the backlog
            self.capped(key, page + 1, self.window(response), oldest(result.items))

    def unread_posts(self, key: str, posts: list[Post]) -> Iterator[Any]:
        """Yield what a backlog walk's page holds inside the gaps earlier crawls of ``key`` left unread
        (pinned posts aside)."""
        gaps = self.ctx.tracker.backlog.gaps(key)
        for post in posts:
            if not post.extra.get("pinned") and in_gaps(gaps, post.published_at):
                yield from self.expand(post)

    def fresh_posts(self, posts: list[Post], response: Response) -> Iterator[Any]:
        """Yield what a timeline page holds inside the window (pinned posts whatever their age); returns
        whether an older post was seen (the walk stops there)."""
        cutoff = self.window(response)
        older = False
        for post in posts:
            if post.extra.get("pinned") or self.fresh(post, cutoff):
                yield from self.expand(post)
            else:
                older = True
        return older

    def window(self, response: Response) -> datetime:
        """The crawl window's start (fixed by the probe, else by the first response, site clock)."""
        if self.cutoff_at is None:
            self.cutoff_at = self.ctx.cutoff(self.now(response))
        return self.cutoff_at
