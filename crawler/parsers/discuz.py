"""Discuz! pages → posts: forumdisplay (X and 7.x templates) gives one post per thread row (title, author, date,
replies, views) and the thread links; viewthread gives one post per floor, the first floor's with the thread's
counts; message pages (no permission, login, deleted) are recognised. Pages may be GBK, or mislabelled.

Canonical ids: a thread (its list row, then its first floor) ``<site>:<tid>``; a reply ``<site>:<tid>:<pid>``
(site = the forum's host unless the source names it). Dates: an absolute date in a span's title wins over the
relative text shown ("4 天前"); the time of day the relative text gives is kept when the title has none. An
anonymous author keeps the name the page shows (匿名), with no id.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from core import Author, Metrics, Post, post_id, utcnow
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
_UID = re.compile(r"(?:[?&]uid=|space-uid-)(\d+)")
_HHMM = re.compile(r"(\d{1,2}):(\d{2})")


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
    """The time an element shows; an absolute ``<span title>`` beats the relative text it explains."""
    if el is None:
        return None
    span = el.cssselect("span[title]")
    if span:
        title = normalize_space(span[0].get("title") or "")
        shown = normalize_space(span[0].text_content())
        try:
            absolute = parse_cn_time(title, now)
        except ParseError:
            absolute = None
        if absolute is not None:
            if ":" in title:
                return absolute
            try:  # date only: keep the time of day the relative text gives ("昨天 18:07", "1 小时前")
                relative = parse_cn_time(shown, now)
            except ParseError:
                relative = None
            if relative is not None and relative.date() == absolute.date() and not shown.endswith("天前"):
                return relative
            if m := _HHMM.search(shown):
                return absolute.replace(hour=int(m[1]), minute=int(m[2]))
            return absolute
    try:
        return parse_cn_time(el.text_content(), now)
    except ParseError:
        return None


def _uid_of(a: Any) -> str | None:
    m = _UID.search(a.get("href") or "") if a is not None else None
    return m.group(1) if m else None


def _author_of_row(cell: Any) -> tuple[str | None, str | None]:
    """(name, uid) of a list row's author cell; an anonymous or guest author has a name and no id."""
    cite = cell.cssselect("cite")
    if not cite:
        return None, None
    links = cite[0].cssselect("a")
    a = links[0] if links else None
    name = normalize_space(a.text_content()) if a is not None else normalize_space(cite[0].text_content())
    return name or None, _uid_of(a)


def _author_of_floor(table: Any) -> tuple[str | None, str | None]:
    """(name, uid) of a floor's author, read from its author cell only (X: ``td.pls``; 7.x: ``td.postauthor``)."""
    cell = (table.cssselect("td.pls") or table.cssselect("td.postauthor") or [None])[0]
    if cell is None:
        return None, None
    for css in ("div.authi a.xw1", "a.xw1", "cite a", "div.postinfo a"):
        found = cell.cssselect(css)
        if found and normalize_space(found[0].text_content()):
            return normalize_space(found[0].text_content()), _uid_of(found[0])
    for css in ("div.authi", "cite", "div.postinfo", "div.pi"):  # anonymous or guest: a name without a link
        found = cell.cssselect(css)
        if found:
            lines = [x for x in normalize_space(found[0].text_content()).split("\n") if x.strip()]
            if lines:
                return lines[0].split()[0], None
    return None, None


_COUNTS = (re.compile(r"查看[:：]?\s*(\d+)\s*\|?\s*回复[:：]?\s*(\d+)"),
           re.compile(r"回复[:：]?\s*(\d+)\s*\|?\s*查看[:：]?\s*(\d+)"))


def thread_counts(doc: Any) -> tuple[int, int] | None:
    """(replies, views) a thread page states ("查看: 1612 | 回复: 3"), if it does."""
    for css in ("div.hm.ptn", "#postlist .hm", "div.threadtitle", "#threadstamp"):
        for el in doc.cssselect(css):
            text = normalize_space(el.text_content())
            if m := _COUNTS[0].search(text):
                return int(m[2]), int(m[1])
            if m := _COUNTS[1].search(text):
                return int(m[1]), int(m[2])
    head = doc.xpath('//table[starts-with(@id, "pid")]')
    text = ""
    if head:  # the text before the first floor
        for el in head[0].itersiblings(preceding=True):
            text = normalize_space(el.text_content()) + "\n" + text
    text = text or normalize_space(doc.text_content())[:5000]
    if m := _COUNTS[0].search(text):
        return int(m[2]), int(m[1])
    if m := _COUNTS[1].search(text):
        return int(m[1]), int(m[2])
    return None


def site_of_source(source: str, url: str | None) -> str:
    """The site part of canonical ids: the source's suffix (``forum:<site>``), else the page's host."""
    return source.split(":", 1)[1] if ":" in source else site_of(url, "forum")


def parse_forumdisplay(doc: Any, url: str | None, now: datetime, source: str) -> ParseResult:
    """Thread rows → one post each (title as text; author; the row's date; replies, views; ``extra``: last post,
    sticky), a link for a row without a date (tid, url, title, author, last post, replies, views, sticky), and
    the next page."""
    result = ParseResult()
    site = site_of_source(source, url)
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
            replies = to_int(normalize_space(rep[0].text_content())) if rep else 0
            views = to_int(normalize_space(view[0].text_content())) if view else 0
        name, uid = _author_of_row(by[0]) if by else (None, None)
        created = _time_of(by[0].cssselect("em")[0], now) if by and by[0].cssselect("em") else None
        last_at = _time_of(last[0].cssselect("em")[0], now) if last and last[0].cssselect("em") else None
        href = urljoin(url or "", title_a[0].get("href") or "")
        title = normalize_space(title_a[0].text_content())
        sticky = tbody.get("id").startswith("stick")
        last_at = last_at or created
        post = None
        if created is not None and title:
            post = Post.new(
                source, f"{site}:{tid}", url=href, thread_id=tid, title=title, text=title,
                author=Author(id=uid, name=name), published_at=created,
                metrics=Metrics(comments=replies, reads=views),
                extra={"kind": "thread", "is_op": True, "from_list": True, "sticky": sticky,
                       "last_post_at": last_at.isoformat() if last_at else None},
            )
            result.items.append(post)
        else:
            result.skipped.append(f"thread {tid}: no date")
        if post is None:  # a row that is no post (no date) is still a thread to read
            result.links.append({
                "kind": "thread", "tid": tid, "url": href, "title": title, "author": name, "author_id": uid,
                "last_post_at": last_at.isoformat() if last_at else None, "replies": replies, "views": views,
                "sticky": sticky})
    nxt = doc.cssselect("div.pg a.nxt") or doc.cssselect("div.pages a.next")
    if nxt:
        result.next_url = urljoin(url or "", nxt[0].get("href"))
    if not result.items and not result.links and not doc.cssselect(
            "#threadlisttableid, #threadlist, form[name=moderate]"):
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
    site = site_of_source(source, url)
    page = (parse_qs(urlsplit(url).query).get("page") or [None])[0] if url else None
    m = re.search(r"thread-\d+-(\d+)-", url or "")
    first_page = (page or (m.group(1) if m else "1")) == "1"
    tables = doc.xpath('//table[starts-with(@id, "pid")]')
    if not tables:
        raise ParseError("不是 Discuz 帖子页 not a Discuz viewthread page")
    op_id = post_id(source, f"{site}:{tid}")
    counts = thread_counts(doc) if first_page else None
    for n, table in enumerate(tables):
        pid = table.get("id")[3:]
        name, uid = _author_of_floor(table)
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
        native = f"{site}:{tid}" if is_op else f"{site}:{tid}:{pid}"
        metrics = Metrics(comments=counts[0], reads=counts[1]) if is_op and counts else Metrics()
        result.items.append(Post.new(
            source, native, url=urljoin(url or "", f"forum.php?mod=redirect&goto=findpost&ptid={tid}&pid={pid}"),
            thread_id=tid, parent_id=None if is_op else op_id, title=title if is_op else None,
            text=text or "(图片)", author=Author(id=uid, name=name), metrics=metrics,
            published_at=_time_of(when_el[0], now) or now,
            extra={"floor": floor, "quote": quote, "is_op": is_op, "image_only": not text, "pid": pid},
        ))
    nxt = doc.cssselect("div.pg a.nxt") or doc.cssselect("div.pages a.next")
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
    return parse_forumdisplay(doc, url, now, source)
