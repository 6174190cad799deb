"""Government message boards (领导留言板 / 12345) → posts: the JSON list (``resultData.data``, ``lastItem``
cursor), the JSON detail (``contentList``: message and reply), and the HTML list/detail variant.
Status (待回复/办理中/已办理), handling organisation and reply are kept in ``extra``.

Canonical id: the board's tid.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from core import Author, Post, utcnow
from crawler.parsers.common import (
    ParseError,
    ParseResult,
    decode_html,
    element_text,
    normalize_space,
    parse_cn_time,
    parse_html,
    site_of,
)


def _record_post(rec: dict[str, Any], now: datetime, source: str, base: str, full: bool) -> Post:
    tid = str(rec["tid"])
    reply = None
    if rec.get("answerContent"):
        reply = {"org": rec.get("answerOrganization"), "text": normalize_space(rec["answerContent"]),
                 "at": parse_cn_time(rec["answerDateline"], now).isoformat() if rec.get("answerDateline") else None}
    content = normalize_space(rec.get("content") or "")
    truncated = not full and content.endswith(("…", "..."))
    return Post.new(
        source, tid, url=f"{base}/threads/content?tid={tid}", title=normalize_space(rec.get("subject") or "") or None,
        text=content, author=Author(name=rec.get("nickName")),
        published_at=parse_cn_time(rec.get("dateline") or rec.get("createDateline"), now),
        region=normalize_space(rec.get("from") or "") or None,
        extra={"status": rec.get("stateInfo"), "category": rec.get("typeName"), "domain": rec.get("domainName"),
               "forum": rec.get("forumName"), "reply": reply, "truncated": truncated},
    )


def board_base(url: str | None) -> str:
    """The board's root (before ``/v1/`` or ``/threads/``)."""
    if not url:
        return ""
    for marker in ("/v1/", "/threads/"):
        if marker in url:
            return url.split(marker, 1)[0]
    return url.rstrip("/")


def parse_json(data: dict[str, Any], url: str | None, now: datetime, source: str) -> ParseResult:
    """The list or detail API."""
    if isinstance(data.get("responseData"), list):  # legacy queryThreadsList
        if not data.get("success", data.get("result") == "success"):
            raise ParseError(f"留言板接口返回错误 board API error: {data.get('result')}")
        data = {"resultCode": 200, "resultData": {"data": data["responseData"]}}
    code = data.get("resultCode")
    if str(code) != "200":
        raise ParseError(f"留言板接口返回错误 board API error {code}: {data.get('resultMsg', '')}")
    rd = data.get("resultData") or {}
    base = board_base(url)
    if "contentList" in rd:
        rec = dict(rd.get("thread") or {})
        items = rd["contentList"]
        if not rec and items:
            rec = {"tid": (parse_qs(urlsplit(url or "").query).get("tid") or ["0"])[0], **items[0]}
        if items:
            rec["content"] = items[0].get("content")
            answers = [i for i in items[1:] if i.get("organization")]
            if answers:
                rec.update(answerContent=answers[-1]["content"], answerOrganization=answers[-1]["organization"],
                           answerDateline=answers[-1].get("dateline"))
        return ParseResult(items=[_record_post(rec, now, source, base, full=True)])
    records = rd.get("data") or []
    result = ParseResult(items=[_record_post(r, now, source, base, full=False) for r in records])
    if records:
        result.cursor = {"lastItem": str(records[-1]["tid"]), "count": len(records)}
    return result


def parse_html_page(text: str, url: str | None, now: datetime, source: str) -> ParseResult:
    """The HTML list (``ul.replyList``) or detail (``.context-title-text``)."""
    doc = parse_html(text)
    base = board_base(url)
    title = doc.cssselect(".context-title-text")
    if title:
        content = doc.cssselect("div.content")
        if not content:
            raise ParseError("留言详情页没有正文 no message body")
        tid = content[0].get("data-tid") or (parse_qs(urlsplit(url or "").query).get("tid") or [None])[0]
        if not tid:
            raise ParseError("找不到留言编号 no tid")
        status = doc.cssselect("h2 b em")
        poster = doc.cssselect("h3.grey2 span")
        reply_el = doc.cssselect("#replyContentMain")
        org = doc.cssselect(".replyInfoItem .orgName")
        when = doc.cssselect(".replyInfoItem .handleTime")
        rec = {
            "tid": tid, "subject": element_text(title[0]), "content": element_text(content[0]),
            "nickName": normalize_space(poster[0].text_content()) if poster else None,
            "dateline": normalize_space(poster[1].text_content()) if len(poster) > 1 else None,
            "stateInfo": normalize_space(status[0].text_content()) if status else None,
            "typeName": _text(doc, "h2 .type"), "domainName": _text(doc, "h2 .domain"),
            "from": _text(doc, "div.path_2j"),
            "answerContent": element_text(reply_el[0]) if reply_el else None,
            "answerOrganization": normalize_space(org[0].text_content()) if org else None,
            "answerDateline": normalize_space(when[0].text_content()) if when else None,
        }
        return ParseResult(items=[_record_post(rec, now, source, base, full=True)])
    lis = doc.cssselect("ul.replyList > li")
    if not lis and not doc.cssselect("ul.replyList"):
        if doc.cssselect(".errorPage"):
            return ParseResult(gone=normalize_space(doc.cssselect(".errorPage")[0].text_content()))
        raise ParseError("不是留言板页面 not a message-board page")
    result = ParseResult()
    for li in lis:
        a = li.cssselect("div.tabList h1 a")
        if not a:
            continue
        href = urljoin(url or "", a[0].get("href"))
        tid = (parse_qs(urlsplit(href).query).get("tid") or [None])[0]
        when = _text(li, "div.headMainS p")
        try:
            published = parse_cn_time(when, now).isoformat() if when else None
        except ParseError:
            published = None
        result.links.append({"kind": "message", "url": href, "tid": tid, "title": normalize_space(a[0].text_content()),
                             "status": _text(li, "span.state"), "published_at": published})
    nxt = doc.cssselect("a.next")
    if nxt:
        result.next_url = urljoin(url or "", nxt[0].get("href"))
    return result


def _text(el: Any, css: str) -> str | None:
    found = el.cssselect(css)
    return normalize_space(found[0].text_content()) if found else None


def parse(body: bytes | str, url: str | None = None, now: datetime | None = None, source: str | None = None
          ) -> ParseResult:
    """Parse a board API response or HTML page."""
    now = now or utcnow()
    source = source or f"board:{site_of(url, 'board')}"
    text = decode_html(body)
    if re.match(r"\s*[{\[]", text):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ParseError(f"JSON 不完整或无效 invalid JSON: {exc}") from None
        return parse_json(data, url, now, source)
    return parse_html_page(text, url, now, source)
