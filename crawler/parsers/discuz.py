"""Discuz! pages → posts: forumdisplay (X and 7.2 templates) gives thread links, viewthread gives one post per
floor; message pages (no permission, login, deleted) are recognised. Pages may be GBK, or mislabelled.

Canonical id: ``<site>:<tid>:<pid>`` (site = the forum's host unless the source names it).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from core import Author, Post, post_id, utcnow
from crawler.parsers.common import (
    ParseError,
    ParseResult,
    decode_html,
    element_text,
    normalize_space,
    parse_cn_time,
    parse_html,
    site_of,
    to_int,
)

#: Discuz message-page phrases: permanent (gone) or access walls.
GONE = ("指定的主题不存在或已被删除或正在被审核", "指定的主题不存在", "主题已被删除")
LOGIN = ("尚未登录", "还未登录", "请先登录")
NO_PERMISSION = ("没有权限访问该版块", "阅读权限高于", "您无权进行当前操作")
_TID = re.compile(r"(?:thread-(\d+)-|[?&]tid=(\d+))")


def message(doc: Any) -> str | None:
    """The text of a Discuz message page (#messagetext, .alert_error, .alert_info), if this is one."""
    for css in ("#messagetext", "div.alert_error", "div.alert_info"):
        found = doc.cssselect(css)
        if found:
            return normalize_space(found[0].text_content())
    return None


def _tid_from(url: str | None) -> str | None:
    if not url:
        return None
    m = _TID.search(url)
    return (m.group(1) or m.group(2)) if m else None


def _time_of(el: Any, now: datetime) -> datetime | None:
    if el is None:
        return None
    span = el.cssselect("span[title]")
    candidates = [el.text_content()]
    if span:  # the title is absolute; prefer it unless it lacks the time the relative text has
        title = span[0].get("title") or ""
        candidates = [title, span[0].text_content()] if ":" in title else [span[0].text_content(), title]
    for text in candidates:
        try:
            return parse_cn_time(text, now)
        except ParseError:
            continue
    return None


def parse_forumdisplay(doc: Any, url: str | None, now: datetime) -> ParseResult:
    """Thread rows → links (tid, title, author, created, last post, replies, views, sticky) and the next page."""
    result = ParseResult()
    for tbody in doc.xpath('//tbody[starts-with(@id, "normalthread_") or starts-with(@id, "stickthread_")]'):
        tid = tbody.get("id").split("_", 1)[1]
        title_a = tbody.cssselect("a.xst") or tbody.cssselect("th span[id^=thread_] a") or tbody.cssselect("th a")
        if not title_a:
            result.skipped.append(f"thread {tid}: no title")
            continue
        by = tbody.cssselect("td.by") or tbody.cssselect("td.author")
        last = tbody.cssselect("td.by")[1:2] or tbody.cssselect("td.lastpost")
        num = tbody.cssselect("td.num") or tbody.cssselect("td.nums")
        replies = views = 0
        if num:
            rep = num[0].cssselect("a.xi2") or num[0].cssselect("strong")
            view = num[0].cssselect("em")
            replies = to_int(rep[0].text_content()) if rep else 0
            views = to_int(view[0].text_content()) if view else 0
        author = by[0].cssselect("cite a") if by else []
        created = _time_of(by[0].cssselect("em")[0], now) if by and by[0].cssselect("em") else None
        last_at = _time_of(last[0].cssselect("em")[0], now) if last and last[0].cssselect("em") else None
        href = title_a[0].get("href") or ""
        result.links.append({
            "kind": "thread", "tid": tid, "url": urljoin(url or "", href), "title": normalize_space(
                title_a[0].text_content()), "author": normalize_space(author[0].text_content()) if author else None,
            "created_at": created.isoformat() if created else None,
            "last_post_at": (last_at or created).isoformat() if (last_at or created) else None,
            "replies": replies, "views": views, "sticky": tbody.get("id").startswith("stick"),
        })
    nxt = doc.cssselect("div.pg a.nxt") or doc.cssselect("div.pages a.next")
    if nxt:
        result.next_url = urljoin(url or "", nxt[0].get("href"))
    if not result.links and not doc.cssselect("#threadlisttableid, #threadlist, form[name=moderate]"):
        raise ParseError("不是 Discuz 版块列表页 not a Discuz forumdisplay page")
    return result


def parse_viewthread(doc: Any, url: str | None, now: datetime, source: str) -> ParseResult:
    """Floors → posts (the first is the 楼主 post; quotes split off; masked floors skipped with a reason)."""
    result = ParseResult()
    subject = doc.cssselect("#thread_subject") or doc.cssselect("#threadtitle h1") or doc.cssselect("h1.ts")
    title = normalize_space(subject[0].text_content()) if subject else None
    tid = _tid_from(url)
    if tid is None:
        for a in doc.xpath('//a[contains(@href, "tid=") or starts-with(@href, "thread-")]/@href'):
            if tid := _tid_from(a):
                break
    if tid is None:
        raise ParseError("找不到主题 id (tid) no thread id")
    site = source.split(":", 1)[1] if ":" in source else site_of(url, "forum")
    page = (parse_qs(urlsplit(url).query).get("page") or [None])[0] if url else None
    m = re.search(r"thread-\d+-(\d+)-", url or "")
    first_page = (page or (m.group(1) if m else "1")) == "1"
    tables = doc.xpath('//table[starts-with(@id, "pid")]')
    if not tables:
        raise ParseError("不是 Discuz 帖子页 not a Discuz viewthread page")
    op_id = None
    for n, table in enumerate(tables):
        pid = table.get("id")[3:]
        author_el = (table.cssselect("div.authi a.xw1") or table.cssselect("td.postauthor cite a")
                     or table.cssselect("td.postauthor div.postinfo a") or table.cssselect("div.authi a"))
        when_el = table.xpath(f'.//*[@id="authorposton{pid}"]')
        if not when_el:
            result.skipped.append(f"pid {pid}: no time")
            continue
        content = table.xpath(f'.//*[@id="postmessage_{pid}"]')
        if not content:
            locked = table.cssselect("div.locked")
            result.skipped.append(f"pid {pid}: " + (normalize_space(locked[0].text_content()) if locked else "no text"))
            continue
        body = content[0]
        quote = None
        for q in body.cssselect("div.quote"):
            if quote is None:
                quote = element_text(q)
            q.drop_tree()
        for note in body.cssselect("i.pstatus, div.tip, .aimg_tip, .attach_nopermission"):
            note.drop_tree()
        text = element_text(body)
        floor_el = table.xpath(f'.//*[@id="postnum{pid}"]')
        floor = normalize_space(floor_el[0].text_content()) if floor_el else None
        is_op = first_page and n == 0
        native = f"{site}:{tid}:{pid}"
        if is_op:
            op_id = post_id(source, native)
        author_href = author_el[0].get("href", "") if author_el else ""
        uid = re.search(r"uid[=-](\d+)", author_href)
        result.items.append(Post.new(
            source, native, url=urljoin(url or "", f"forum.php?mod=redirect&goto=findpost&ptid={tid}&pid={pid}"),
            thread_id=tid, parent_id=None if is_op else op_id, title=title if is_op else None,
            text=text or "(图片)",
            author=Author(id=uid.group(1) if uid else None,
                          name=normalize_space(author_el[0].text_content()) if author_el else None),
            published_at=_time_of(when_el[0], now) or now,
            extra={"floor": floor, "quote": quote, "is_op": is_op, "image_only": not text},
        ))
    nxt = doc.cssselect("div.pg a.nxt")
    if nxt:
        result.next_url = urljoin(url or "", nxt[0].get("href"))
    return result


def parse(body: bytes | str, url: str | None = None, now: datetime | None = None, source: str | None = None,
          content_type: str | None = None) -> ParseResult:
    """Parse a forumdisplay or viewthread page (GBK or UTF-8, trusting the bytes over the label)."""
    now = now or utcnow()
    text = decode_html(body, content_type)
    doc = parse_html(text)
    source = source or f"forum:{site_of(url, 'forum')}"
    msg = message(doc)
    if msg and not doc.xpath('//table[starts-with(@id, "pid")]'):
        if any(p in msg for p in GONE):
            return ParseResult(gone=msg)
        if any(p in msg for p in LOGIN):
            raise ParseError(f"需要登录 login required: {msg}")
        if any(p in msg for p in NO_PERMISSION):
            raise ParseError(f"没有权限 no permission: {msg}")
        raise ParseError(f"论坛提示 forum message: {msg}")
    if doc.xpath('//table[starts-with(@id, "pid")]'):
        return parse_viewthread(doc, url, now, source)
    return parse_forumdisplay(doc, url, now)
