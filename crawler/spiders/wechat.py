"""WeChat public accounts: article lists from feeds (RSS/Atom/JSON from a WeRead bridge), from
``profile_ext?action=getmsg`` with a captured key, or from a URL list; then the article pages, slowly.

Options: ``feeds`` [url], ``getmsg`` [{biz, key_env}], ``urls`` [url], ``account`` (fixes ``wechat:<account>``;
default: the page's account name), ``max_offset`` (getmsg depth, 50).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawler.spiders.base import SourceSpider


class WechatSpider(SourceSpider):
    """The wechat family."""

    name = "wechat"

    async def start(self) -> AsyncIterator[Any]:
        for feed in self.options.get("feeds", []):
            yield scrapy.Request(self.url(feed), callback=self.on_list, dont_filter=True)
        for item in self.options.get("getmsg", []):
            yield self.getmsg(item, 0)
        for url in self.options.get("urls", []):
            yield self.article(self.url(url))

    def getmsg(self, item: dict[str, Any], offset: int) -> scrapy.Request:
        """One page of an account's history (needs a captured key, from the environment)."""
        key = os.environ.get(item.get("key_env", ""), "")
        q = {"action": "getmsg", "__biz": item["biz"], "f": "json", "offset": offset, "count": 10, "key": key}
        return scrapy.Request(self.url("/mp/profile_ext?" + urlencode(q)), callback=self.on_list,
                              cb_kwargs={"getmsg": item})

    def article(self, url: str) -> scrapy.Request:
        """An article page (its URL is its gone key)."""
        return scrapy.Request(url, callback=self.on_article, meta={"gone_key": url})

    def on_list(self, response: Response, getmsg: dict[str, Any] | None = None) -> Iterator[Any]:
        result = self.parse_page(response)
        if result is None:
            return
        cutoff = None
        older = False
        for link in result.links:
            when = link.get("published_at")
            if when:
                cutoff = cutoff or self.ctx.cutoff(self.now(response))
                if datetime.fromisoformat(when) < cutoff:
                    older = True
                    continue
            if link["url"] in self.ctx.gone:
                continue
            yield self.article(link["url"])
        offset = result.cursor.get("offset")
        if getmsg is not None and offset and not older and offset < int(self.options.get("max_offset", 50)):
            yield self.getmsg(getmsg, offset)

    def on_article(self, response: Response) -> Iterator[Any]:
        account = self.options.get("account")
        result = self.parse_page(response, source=f"wechat:{account}" if account else None)
        if result is None or self.gone(result, response.meta.get("gone_key", response.url)):
            return
        yield from result.items
