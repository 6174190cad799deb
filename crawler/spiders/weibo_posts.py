"""The weibo spider's base: its options, and what it does with every post it finds (both APIs): a watched
status read on its own, the long text of a truncated post (text *and* counts merged), and the hot comments
of a post that mentions watched words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import scrapy
from scrapy.http import Response

from core import Metrics, Post
from crawler.spiders.base import SourceSpider


def status_key(value: str) -> str:
    """A watched status as the API takes it: a mid or bid, or the last path part of a status URL
    (``m.weibo.cn/status/<bid>``, ``m.weibo.cn/detail/<mid>``, ``weibo.com/<uid>/<bid>``)."""
    value = str(value).strip()
    if "/" in value:
        path = urlsplit(value if "://" in value else f"https://{value}").path.rstrip("/")
        value = path.rsplit("/", 1)[-1]
    return value


class WeiboPostSpider(SourceSpider):
    """The weibo family's options (``options.api``: ``mobile`` or ``desktop``) and the follow-ups of a post."""

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self.opts = ctx.source.typed_options()
        self.desktop = self.opts.api == "desktop"
        self.cutoff_at: datetime | None = None

    @property
    def max_pages(self) -> int:
        """Pages per search slice walk or timeline walk (the site's own cap is about 50)."""
        return int(self.opts.max_pages)

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
