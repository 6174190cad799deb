"""WeChat public accounts: article lists from feeds (RSS/Atom/JSON from a WeRead bridge), from
``profile_ext?action=getmsg`` with a captured key, or from a URL list; then the article pages, slowly.

Options: ``feeds`` [url], ``getmsg`` [{biz, key_env}], ``urls`` [url], ``account`` (fixes ``wechat:<account>``;
default: the page's account name), ``max_offset`` (getmsg depth per crawl, 50; a history left at that cap is
continued from there by the next crawl, see ``crawler.backlog``).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawler.backlog import in_gaps
from crawler.spiders.base import SourceSpider


class WechatSpider(SourceSpider):
    """The wechat family."""

    name = "wechat"

    async def start(self) -> AsyncIterator[Any]:
        for feed in self.options.get("feeds", []):
            yield scrapy.Request(self.url(feed), callback=self.on_list, dont_filter=True)
        items = {str(item["biz"]): item for item in self.options.get("getmsg", [])}
        for item in items.values():
            yield self.getmsg(item, 0)
        # histories a cap left unfinished; one page of overlap: articles deleted above the cursor move the list up
        for key, entry in self.ctx.tracker.backlog.resume("getmsg:", lambda k: k[7:] in items):
            first = max(entry.next - 10, 0)
            yield self.getmsg(items[key[7:]], first, until=entry.next + self.max_offset)
        for url in self.options.get("urls", []):
            yield self.article(self.url(url))

    @property
    def max_offset(self) -> int:
        """getmsg depth per walk (the head's, and the backlog's own budget)."""
        return int(self.options.get("max_offset", 50))

    def getmsg(self, item: dict[str, Any], offset: int, until: int | None = None) -> scrapy.Request:
        """One page of an account's history (needs a captured key, from the environment); ``until``: where a
        backlog walk's budget ends (None: the head walk)."""
        key = os.environ.get(item.get("key_env", ""), "")
        q = {"action": "getmsg", "__biz": item["biz"], "f": "json", "offset": offset, "count": 10, "key": key}
        return scrapy.Request(self.url("/mp/profile_ext?" + urlencode(q)), callback=self.on_list,
                              cb_kwargs={"getmsg": item, "until": until}, dont_filter=until is not None)

    def article(self, url: str) -> scrapy.Request:
        """An article page (its URL is its gone key)."""
        return scrapy.Request(url, callback=self.on_article, meta={"gone_key": url})

    def on_list(self, response: Response, getmsg: dict[str, Any] | None = None,
                until: int | None = None) -> Iterator[Any]:
        result = self.parse_page(response)
        if result is None:
            return
        cutoff = self.ctx.cutoff(self.now(response))
        key = f"getmsg:{getmsg['biz']}" if getmsg is not None else ""
        gaps = self.ctx.tracker.backlog.gaps(key) if until is not None else None
        older = False
        dates = []
        for link in result.links:
            when = datetime.fromisoformat(link["published_at"]) if link.get("published_at") else None
            if when is not None:
                dates.append(when)
            if gaps is not None:  # backlog walk: only what the earlier walks left unread
                if not in_gaps(gaps, when):
                    continue
            elif when is not None and when < cutoff:
                older = True
                continue
            if link["url"] in self.ctx.gone:
                continue
            yield self.article(link["url"])
        if getmsg is None:
            return
        offset = result.cursor.get("offset")
        reached = min(dates) if dates else None
        if until is not None:
            if self.backlog_read(key, offset or 0, reached, bool(offset), until):
                yield self.getmsg(getmsg, offset, until)
        elif offset and not older:
            if offset < self.max_offset:
                yield self.getmsg(getmsg, offset)
            else:  # the cap stops the walk inside the window: the rest is the backlog
                self.capped(key, offset, cutoff, reached)

    def on_article(self, response: Response) -> Iterator[Any]:
        account = self.options.get("account")
        result = self.parse_page(response, source=f"wechat:{account}" if account else None)
        if result is None or self.gone(result, response.meta.get("gone_key", response.url)):
            return
        yield from result.items
