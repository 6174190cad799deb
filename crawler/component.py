"""The base of our Scrapy components: the crawler and its stats in the constructor, the crawl context."""

from __future__ import annotations

from typing import Any


class Component:
    """A pipeline or middleware built ``from_crawler``; ``ctx`` is the running spider's CrawlContext."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> Component:
        """Scrapy's factory."""
        return cls(crawler)

    @property
    def ctx(self) -> Any:
        """The crawl context (config, source, tracker, spool, store) of the running spider."""
        return self.crawler.spider.ctx
