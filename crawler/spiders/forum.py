"""Discuz! forums (family ``forum``): thread lists by board (``fids``), watched threads (``threads``).

Each list row inside the crawl window is a post (title, author, date, replies, views) whose thread page then
completes it: the first floor shares the row's id (``<site>:<tid>``) and brings the text, the exact time
and the counts the page states; replies are their own posts. A thread page that cannot be fetched is one
per-URL error: its row is stored as it is and the rest of the crawl goes on. Options are checked by
``core.config.sources.ForumOptions``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import scrapy
from scrapy.http import Response

from core import Post
from crawler.backlog import in_gaps
from crawler.spiders.base import SourceSpider

_TID = re.compile(r"(?:thread-(\d+)-|[?&]tid=(\d+))")


def thread_id(value: Any) -> str | None:
    """A watched thread's tid: the number itself, or the tid of a thread URL (dynamic or rewritten)."""
    text = str(value).strip()
    if text.isdigit():
        return text
    m = _TID.search(text)
    return (m.group(1) or m.group(2)) if m else None


def thread_rows(result: Any) -> list[tuple[str, str, str | None, bool, Post | None]]:
    """(tid, url, last post time, sticky, row post) of every row of a list page: the rows that are posts, and
    the rows that are only links (no date)."""
    rows = [(p.thread_id, p.url, p.extra.get("last_post_at"), bool(p.extra.get("sticky")), p) for p in result.items]
    rows += [(link["tid"], link["url"], link.get("last_post_at"), bool(link.get("sticky")), None)
             for link in result.links if link.get("kind") == "thread"]
    return rows


def merge_row(op: Post, row: Post | None) -> Post:
    """The first floor of a thread completed by its list row: counts the page does not state, and the row's
    last-post time."""
    if row is None:
        return op
    update: dict[str, Any] = {"extra": {**row.extra, **op.extra, "from_list": False}}
    if not (op.metrics.comments or op.metrics.reads):
        update["metrics"] = row.metrics
    return op.model_copy(update=update)


class ForumSpider(SourceSpider):
    """The forum family (Discuz! X and 7.x pages)."""

    name = "forum"

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self.opts = ctx.source.typed_options()
        self.post_source = f"forum:{self.opts.site or self.source.name}"
        self.cutoff_at: datetime | None = None

    async def start(self) -> AsyncIterator[Any]:
        fids = {str(f): f for f in self.opts.fids}
        for fid in fids.values():
            yield self.forum_page(fid, 1)
        # lists a cap left unfinished; one page of overlap: rows deleted above the cursor move the list up
        for key, entry in self.ctx.tracker.backlog.resume("fid:", lambda k: k[4:] in fids):
            first = max(entry.next - 1, 1)
            yield self.forum_page(fids[key[4:]], first, until=entry.next + self.max_pages)
        for value in dict.fromkeys(str(t) for t in self.opts.threads):
            tid = thread_id(value)
            if tid is None:
                self.logger.warning("%s: not a thread id or URL: %s", self.source.name, value)
                continue
            url = value if value.startswith("http") else self.url(self.opts.thread_url.format(tid=tid))
            yield self.thread(url, tid, None, 1, watched=True)

    def cutoff(self, response: Response) -> datetime:
        """The crawl window's start, fixed on the first response (site clock)."""
        if self.cutoff_at is None:
            self.cutoff_at = self.ctx.cutoff(self.now(response))
        return self.cutoff_at

    def parse_as(self, response: Response) -> Any:
        return self.parse_page(response, family="forum", source=self.post_source)

    @property
    def max_pages(self) -> int:
        """List pages per walk (the head's, and the backlog's own budget)."""
        return int(self.opts.max_pages)

    def forum_page(self, fid: Any, page: int, until: int | None = None) -> scrapy.Request:
        """A thread list page; ``until``: where a backlog walk's budget ends, exclusive (None: the head walk)."""
        return scrapy.Request(self.url(self.opts.list_url.format(fid=fid, page=page)), callback=self.on_forum,
                              cb_kwargs={"fid": fid, "page": page, "until": until}, meta={"list_page": page},
                              dont_filter=until is not None)

    def thread(self, url: str, tid: str, row: Post | None, page: int, watched: bool = False) -> scrapy.Request:
        """A thread page; ``row``: the list row it completes (stored as it is if the page fails)."""
        # a missing first page means the thread is gone; a missing later page is one per-URL error
        meta: dict[str, Any] = {"gone_key": f"tid:{tid}"} if page == 1 else {"list_page": page}
        return scrapy.Request(url, callback=self.on_thread, errback=self.on_thread_failed,
                              cb_kwargs={"tid": tid, "row": row, "page": page, "watched": watched},
                              meta={**meta, "row": row}, dont_filter=watched)

    def on_forum(self, response: Response, fid: Any, page: int, until: int | None = None) -> Iterator[Any]:
        result = self.parse_as(response)
        if result is None:
            return
        cutoff = self.cutoff(response)
        key = f"fid:{fid}"
        gaps = self.ctx.tracker.backlog.gaps(key) if until is not None else None
        older = False
        dates = []
        for tid, url, last_at, sticky, row in thread_rows(result):
            last = datetime.fromisoformat(last_at) if last_at else None
            if last is not None and not sticky:
                dates.append(last)
            if gaps is not None:  # backlog walk: only what the earlier walks left unread
                if not in_gaps(gaps, last):
                    continue
            elif last is not None and last < cutoff:
                older = older or not sticky
                continue
            if f"tid:{tid}" in self.ctx.gone:
                continue
            yield self.thread(url, tid, row, 1)
        reached = min(dates) if dates else None
        if until is not None:
            if self.backlog_read(key, page + 1, reached, bool(result.next_url), until):
                yield self.forum_page(fid, page + 1, until)
        elif result.next_url and not older:
            if page < self.max_pages:
                yield self.forum_page(fid, page + 1)
            else:  # the cap stops the walk inside the window: the rest is the backlog
                self.capped(key, page + 1, cutoff, reached)

    def on_thread(self, response: Response, tid: str, row: Post | None, page: int,
                  watched: bool = False) -> Iterator[Any]:
        result = self.parse_as(response)
        if result is None:
            if row is not None:  # the page was unreadable: the row is what we know of the thread
                yield row
            return
        if self.gone(result, f"tid:{tid}"):
            return
        for post in result.items:
            if post.extra.get("is_op"):
                post = merge_row(post, row)
                if watched:
                    post = post.model_copy(update={"extra": {**post.extra, "watched": True}})
            yield post
        if result.next_url and page < int(self.opts.thread_pages):
            yield self.thread(result.next_url, tid, None, page + 1, watched)

    def on_thread_failed(self, failure: Any) -> Iterator[Any]:
        """A thread page that could not be fetched (missing, broken, refused): its row is kept."""
        row = failure.request.meta.get("row")
        self.crawler.stats.inc_value("yuqing/forum/thread_failed")
        self.logger.info("%s: thread page not read (%s); its list row is kept", self.source.name,
                         type(failure.value).__name__)
        if row is not None:
            yield row
