"""Weibo: keyword searches split into time slices (past the ~50-page cap) and re-filtered for the exact
keywords; timelines (users, or any container id); single statuses watched; long text when truncated (text
*and* counts merged); comments on posts that mention watched words.

Two members of the family (``options.api``): ``mobile`` (m.weibo.cn: ``api/container/getIndex``,
``statuses/show``, ``statuses/extend``, ``comments/hotflow``) and ``desktop`` (weibo.com:
``ajax/statuses/mymblog``, ``ajax/statuses/show``, ``ajax/statuses/longtext``, ``ajax/statuses/buildComments``).
Options are checked by ``core.config.sources.WeiboOptions``.

This module starts the crawl and plans its requests; the searches are in ``weibo_search``, the timelines in
``weibo_timelines``, what is done with each post found (watched statuses, long text, comments) in
``weibo_posts``.

``/api/config`` (mobile) is a hint, not a gate: it says whether the cookie is logged in and gives the site's
clock; when it fails the crawl goes on with our clock, and the failure is one stat and one log line.
A one-hour slice that still hits ``max_pages`` is left as a backlog (``crawler.backlog``): the next crawl
continues it from the page where this one stopped.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from typing import Any

import scrapy
from scrapy.http import Response

from core import utcnow
from crawler.parsers.weibo import check_envelope
from crawler.spiders.weibo_posts import merge_longtext, status_key
from crawler.spiders.weibo_search import WeiboSearchSpider, timescope
from crawler.spiders.weibo_timelines import WeiboTimelineSpider

log = logging.getLogger(__name__)

__all__ = ["WeiboSpider", "merge_longtext", "status_key", "timescope"]


class WeiboSpider(WeiboSearchSpider, WeiboTimelineSpider):
    """The weibo family."""

    name = "weibo"

    async def start(self) -> AsyncIterator[Any]:
        if self.opts.probe and not self.desktop:
            yield scrapy.Request(self.url("/api/config"), callback=self.on_config, errback=self.on_config_failed,
                                 dont_filter=True, meta={"skip_classify": True, "handle_httpstatus_all": True})
            return
        for request in self.requests(None):
            yield request

    def on_config(self, response: Response) -> Iterator[Any]:
        logged_in = False
        try:
            data = json.loads(response.body)
            logged_in = bool(check_envelope(data) and data["data"].get("login"))
        except Exception:  # not JSON, a login page, ok:-100 …: only a hint
            self.probe_failed(f"HTTP {response.status}")
        else:
            if response.status != 200:
                self.probe_failed(f"HTTP {response.status}")
        self.crawler.stats.set_value("yuqing/weibo/logged_in", logged_in)
        yield from self.requests(self.now(response))

    def on_config_failed(self, failure: Any) -> Iterator[Any]:
        response = getattr(failure.value, "response", None)
        self.probe_failed(type(failure.value).__name__)
        yield from self.requests(self.now(response) if response is not None else None)

    def probe_failed(self, why: str) -> None:
        self.crawler.stats.set_value("yuqing/weibo/probe_failed", why)
        log.info("%s: /api/config probe failed (%s); crawling without it", self.source.name, why)

    def requests(self, now: datetime | None) -> Iterator[scrapy.Request]:
        """Everything the options ask for. ``now``: the site's clock from the probe, which fixes the crawl
        window; without it the first response fixes it (searches, which need it up front, take ours)."""
        if now is not None:
            self.cutoff_at = self.ctx.cutoff(now)
        o = self.opts
        slice_h = float(o.slice_hours)
        if o.keywords and now is None:
            now = utcnow()
            self.cutoff_at = self.ctx.cutoff(now)
        cutoff = self.cutoff_at
        for kw in o.keywords:
            assert now is not None and cutoff is not None
            start = cutoff.replace(minute=0, second=0, microsecond=0)
            while start < now:
                end = min(start + timedelta(hours=slice_h), now.replace(minute=0, second=0, microsecond=0)
                          + timedelta(hours=1))
                yield self.search(kw, start, end, 1)
                start = end
        keywords = set(o.keywords)
        resumed = self.ctx.tracker.backlog.resume("search:", lambda k: k[7:].split("|", 2)[-1] in keywords)
        for key, entry in resumed:  # slices a cap left unfinished
            a, b, kw = key[7:].split("|", 2)
            yield self.search(kw, datetime.fromisoformat(a), datetime.fromisoformat(b), entry.next,
                              until=entry.next + self.max_pages)
        for uid in dict.fromkeys(str(u) for u in o.users):
            yield self.desktop_timeline(uid, 1, None) if self.desktop else self.timeline(f"107603{uid}", uid, None, 1)
        for cid in dict.fromkeys(o.containers):
            yield self.timeline(cid, None, None, 1)
        if not self.desktop:  # timelines a cap left inside the window: resumed at their since_id (kept negated)
            walks = {f"107603{u}": str(u) for u in o.users} | {str(c): None for c in o.containers}
            for key, entry in self.ctx.tracker.backlog.resume("timeline:", lambda k: k[9:] in walks):
                yield self.timeline(key[9:], walks[key[9:]], {"since_id": -entry.next}, 1, until=self.max_pages)
        else:  # weibo.com timelines a cap left inside the window: resumed at their page
            users = {str(u) for u in o.users}
            for key, entry in self.ctx.tracker.backlog.resume("mymblog:", lambda k: k[8:] in users):
                yield self.desktop_timeline(key[8:], entry.next, None, until=entry.next + self.max_pages)
        for status in dict.fromkeys(status_key(s) for s in o.statuses):
            path = "/ajax/statuses/show" if self.desktop else "/statuses/show"
            yield scrapy.Request(self.url(f"{path}?id={status}"), callback=self.on_status, dont_filter=True,
                                 meta={"gone_key": f"status:{status}"})
