"""Weibo keyword searches (``api/container/getIndex`` with a ``100103type=1&q=`` container): one time slice
a request, a slice that hits ``max_pages`` split in two, a one-hour slice still capped left as a backlog
(``crawler.backlog``) that the next crawl continues from its page; results re-filtered for the exact words
(the site's search is fuzzy)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawler.spiders.weibo_posts import WeiboPostSpider


def timescope(a: datetime, b: datetime) -> str:
    """s.weibo.com style ``custom:YYYY-MM-DD-H:YYYY-MM-DD-H`` (hours, site time)."""
    return f"custom:{a:%Y-%m-%d}-{a.hour}:{b:%Y-%m-%d}-{b.hour}"


class WeiboSearchSpider(WeiboPostSpider):
    """The weibo spider's keyword searches."""

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
