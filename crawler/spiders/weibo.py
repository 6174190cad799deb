"""Weibo: keyword searches split into time slices (past the ~50-page cap) and re-filtered for the exact
keywords; timelines (users, or any container id); single statuses watched; long text when truncated (text
*and* counts merged); comments on posts that mention watched words.

Two members of the family (``options.api``): ``mobile`` (m.weibo.cn: ``api/container/getIndex``,
``statuses/show``, ``statuses/extend``, ``comments/hotflow``) and ``desktop`` (weibo.com:
``ajax/statuses/mymblog``, ``ajax/statuses/show``, ``ajax/statuses/longtext``, ``ajax/statuses/buildComments``).
Options are checked by ``core.config.sources.WeiboOptions``.

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
from urllib.parse import urlencode, urlsplit

import scrapy
from scrapy.http import Response

from core import Metrics, Post, utcnow
from crawler.backlog import in_gaps
from crawler.parsers.weibo import check_envelope
from crawler.spiders.base import SourceSpider

log = logging.getLogger(__name__)


def timescope(a: datetime, b: datetime) -> str:
    """s.weibo.com style ``custom:YYYY-MM-DD-H:YYYY-MM-DD-H`` (hours, site time)."""
    return f"custom:{a:%Y-%m-%d}-{a.hour}:{b:%Y-%m-%d}-{b.hour}"


def status_key(value: str) -> str:
    """A watched status as the API takes it: a mid or bid, or the last path part of a status URL
    (``m.weibo.cn/status/<bid>``, ``m.weibo.cn/detail/<mid>``, ``weibo.com/<uid>/<bid>``)."""
    value = str(value).strip()
    if "/" in value:
        path = urlsplit(value if "://" in value else f"https://{value}").path.rstrip("/")
        value = path.rsplit("/", 1)[-1]
    return value


class WeiboSpider(SourceSpider):
    """The weibo family."""

    name = "weibo"

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self.opts = ctx.source.typed_options()
        self.desktop = self.opts.api == "desktop"
        self.cutoff_at: datetime | None = None

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

    @property
    def max_pages(self) -> int:
        """Pages per search slice walk or timeline walk (the site's own cap is about 50)."""
        return int(self.opts.max_pages)

    # ---- search ------------------------------------------------------------------------------------
    def search(self, kw: str, a: datetime, b: datetime, page: int, until: int | None = None) -> scrapy.Request:
        """One page of a keyword search within a time slice; ``until``: where a backlog walk's budget ends."""
        q = {"containerid": f"100103type=1&q={kw}", "page_type": "searchall", "timescope": timescope(a, b),
             "page": page}
        return scrapy.Request(self.url("/api/container/getIndex?" + urlencode(q)), callback=self.on_search,
                              cb_kwargs={"kw": kw, "a": a, "b": b, "page": page, "until": until},
                              meta={"list_page": page},
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

    # ---- timelines -------------------------------------------------------------------------------------
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
        dated = [p.published_at for p in result.items if not p.extra.get("pinned")]
        key = f"timeline:{cid}"
        if until is not None:  # a backlog walk: only what earlier crawls left unread, within its page budget
            gaps = self.ctx.tracker.backlog.gaps(key)
            for post in result.items:
                if not post.extra.get("pinned") and in_gaps(gaps, post.published_at):
                    yield from self.expand(post)
            self.crawler.stats.inc_value("yuqing/backlog_pages")
            more = since.isdigit()
            if self.ctx.tracker.backlog.advance(key, -int(since) if more else 0, min(dated, default=None), more,
                                                page >= until):
                yield self.timeline(cid, uid, cursor, page + 1, until)
            return
        older = yield from self.fresh_posts(result.items, response)
        if cursor and not older and page < self.max_pages:
            yield self.timeline(cid, uid, cursor, page + 1)
        elif cursor and not older and since.isdigit():  # the cap stops the walk inside the window: the rest is
            # the backlog, resumed at this since_id (negated: the smaller value is the newer point, as pages)
            self.capped(key, -int(since), self.window(response), min(dated, default=None))

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
        dated = [p.published_at for p in result.items if not p.extra.get("pinned")]
        if until is not None:  # a backlog walk: only what earlier crawls left unread, within its page budget
            gaps = self.ctx.tracker.backlog.gaps(key)
            for post in result.items:
                if not post.extra.get("pinned") and in_gaps(gaps, post.published_at):
                    yield from self.expand(post)
            if self.backlog_read(key, page + 1, min(dated, default=None), bool(result.items), until):
                yield self.desktop_timeline(uid, page + 1, result.cursor.get("since_id"), until)
            return
        older = yield from self.fresh_posts(result.items, response)
        if result.items and not older and page < self.max_pages:
            yield self.desktop_timeline(uid, page + 1, result.cursor.get("since_id"))
        elif result.items and not older:  # the cap stops the walk inside the window: the rest is the backlog
            self.capped(key, page + 1, self.window(response), min(dated, default=None))

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

    # ---- single statuses ---------------------------------------------------------------------------------
    def on_status(self, response: Response) -> Iterator[Any]:
        result = self.parse_page(response)
        if result is None or self.gone(result, response.meta.get("gone_key", response.url)):
            return
        for post in result.items:
            yield from self.expand(post.model_copy(update={"extra": {**post.extra, "watched": True}}))

    # ---- long text and comments ------------------------------------------------------------------------
    def expand(self, post: Post) -> Iterator[Any]:
        """The post itself (after its long text, if truncated) and a request for its comments if watched."""
        if post.extra.get("truncated"):
            if self.desktop:
                url = self.url(f"/ajax/statuses/longtext?id={post.extra.get('bid') or post.native_id}")
            else:
                url = self.url(f"/statuses/extend?id={post.native_id}")
            yield scrapy.Request(url, callback=self.on_longtext, errback=self.on_longtext_failed, cb_kwargs={
                "post": post}, meta={"post": post, "gone_key": f"longtext:{post.native_id}"})
        else:
            yield post
        watch = self.opts.watch or [w for kw in self.opts.keywords for w in kw.split()]
        if self.opts.comments and post.metrics.comments and any(w in post.text for w in watch):
            yield self.comments(post.native_id, None, 1)

    def on_longtext(self, response: Response, post: Post) -> Iterator[Post]:
        result = self.parse_page(response)
        if result is None or not result.patches:
            yield post
            return
        yield merge_longtext(post, result.patches[0])

    def on_longtext_failed(self, failure: Any) -> Iterator[Post]:
        post = failure.request.meta["post"]
        self.crawler.stats.inc_value("yuqing/weibo/longtext_failed")
        yield post  # kept truncated (extra.truncated stays true); the next crawl revisits it

    def comments(self, mid: str, max_id: str | None, page: int) -> scrapy.Request:
        """One page of hot comments (m.weibo.cn hotflow, weibo.com buildComments)."""
        if self.desktop:
            q: dict[str, Any] = {"id": mid, "is_reload": 1, "is_show_bulletin": 2, "count": 20, "flow": 0}
            path = "/ajax/statuses/buildComments?"
        else:
            q, path = {"id": mid, "mid": mid, "max_id_type": 0}, "/comments/hotflow?"
        if max_id:
            q["max_id"] = max_id
        return scrapy.Request(self.url(path + urlencode(q)), callback=self.on_comments,
                              cb_kwargs={"mid": mid, "page": page}, meta={"list_page": page})

    def on_comments(self, response: Response, mid: str, page: int) -> Iterator[Any]:
        result = self.parse_page(response)
        if result is None:
            return
        yield from result.items
        if result.cursor.get("max_id") and page < int(self.opts.comment_pages):
            yield self.comments(mid, result.cursor["max_id"], page + 1)


_COUNTS = {"reposts_count": "reposts", "comments_count": "comments", "attitudes_count": "likes"}


def merge_longtext(post: Post, patch: dict[str, Any]) -> Post:
    """A truncated post completed by its long text: the full text, and the counts the long text came with
    (fresher than the list's)."""
    counts = {field: patch[key] for key, field in _COUNTS.items() if isinstance(patch.get(key), int)}
    metrics = post.metrics.model_copy(update=counts) if counts else post.metrics
    text = patch.get("text") or post.text
    return post.model_copy(update={"text": text, "metrics": Metrics.model_validate(metrics.model_dump()),
                                   "extra": {**post.extra, "truncated": False}})
