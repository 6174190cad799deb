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
        """Scrapy's factory; a crawler of a spider that is not one of ours (``scrapy shell`` on a URL of no
        configured source) runs without our components."""
        from scrapy.exceptions import NotConfigured

        from crawler.spiders.base import SourceSpider

        spidercls = getattr(crawler, "spidercls", None)
        if isinstance(spidercls, type) and not issubclass(spidercls, SourceSpider):
            raise NotConfigured(f"{cls.__name__}: not a yuqing source spider")
        return cls(crawler)

    @property
    def ctx(self) -> Any:
        """The crawl context (config, source, tracker, spool, store) of the running spider; None for a spider
        that is not one of ours (``scrapy shell`` on a URL of no configured source)."""
        return getattr(self.crawler.spider, "ctx", None)
