"""Shared spider behaviour: the crawl context, the site clock, parsing with counted failures."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import scrapy
from scrapy import signals
from scrapy.http import Response

from core import Post
from crawler.classify import Outcome
from crawler.context import CrawlContext
from crawler.middlewares import site_now
from crawler.parsers import PARSERS, ParseError, ParseResult

log = logging.getLogger(__name__)


class SourceSpider(scrapy.Spider):
    """A spider bound to one configured source; ``parse()`` methods only navigate."""

    name = "source"

    def __init__(self, ctx: CrawlContext, **kwargs: Any) -> None:
        super().__init__(name=f"{self.name}:{ctx.source.name}", **kwargs)
        self.ctx = ctx
        self.source = ctx.source
        self.options: dict[str, Any] = dict(ctx.source.options)
        self.base = ctx.source.base_url.rstrip("/")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SourceSpider:
        """Scrapy's factory; also counts a callback that crashed as a lost page."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_spider_error, signal=signals.spider_error)
        return spider

    def on_spider_error(self, failure: Any, response: Response, spider: scrapy.Spider) -> None:
        """A callback raised: the page's content was not seen, so the crawl is incomplete (the watermark
        stays, and the next crawl fetches the window again)."""
        self.ctx.tracker.record(Outcome.BROKEN, f"callback error on {response.url}: {failure.value!r}"[:300])
        self.ctx.tracker.lost += 1

    def url(self, path: str) -> str:
        """An absolute URL under the source's base."""
        return path if path.startswith("http") else f"{self.base}/{path.lstrip('/')}"

    def now(self, response: Response) -> datetime:
        """The site's clock."""
        return site_now(response)

    def parse_page(self, response: Response, family: str | None = None, **kwargs: Any) -> ParseResult | None:
        """Run the family's parser; a page it cannot read is counted (and makes the crawl incomplete)."""
        try:
            return PARSERS[family or self.ctx.family](response.body, url=response.url, now=self.now(response),
                                                      **kwargs)
        except ParseError as exc:
            self.crawler.stats.inc_value("yuqing/parse_error")
            self.ctx.tracker.record(Outcome.BROKEN, f"parse: {exc}")
            self.ctx.tracker.lost += 1
            log.warning("%s: cannot parse %s: %s", self.source.name, response.url, exc)
            return None

    def gone(self, result: ParseResult, key: str) -> bool:
        """Record a permanent placeholder page."""
        if result.gone:
            self.ctx.gone.add(key)
            self.ctx.tracker.gone.append(key)
            self.crawler.stats.inc_value("yuqing/gone")
            return True
        return False

    def capped(self, key: str, next_page: int, cutoff: datetime, reached: datetime | None) -> None:
        """A head walk stopped at its page cap with older posts of the window unread: remember where, for
        the next crawl (``crawler.backlog``); the crawl itself still counts as complete. Only what is newer
        than the stored watermark is new: older posts were read by earlier crawls or are in their backlog
        already (the revisit window refreshes counts, it is not re-queued)."""
        lo = max(cutoff, self.ctx.watermark) if self.ctx.watermark is not None else cutoff
        self.ctx.tracker.backlog.cap(key, next_page, lo, reached)
        self.crawler.stats.inc_value("yuqing/capped")
        log.info("%s: %s stopped at its page cap; the rest of the window is resumed next crawl", self.source.name, key)

    def backlog_read(self, key: str, next_pos: int, reached: datetime | None, more: bool, until: int) -> bool:
        """A backlog page was read down to ``reached``; the list goes on at ``next_pos`` (a page or an offset)
        if ``more``; the walk's budget ends at ``until``. True: read the next page."""
        self.crawler.stats.inc_value("yuqing/backlog_pages")
        return self.ctx.tracker.backlog.advance(key, next_pos, reached, more, next_pos >= until)

    def fresh(self, post: Post, cutoff: datetime) -> bool:
        """Whether a post is inside the crawl window."""
        return post.published_at >= cutoff
