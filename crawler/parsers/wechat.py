"""WeChat public-account pages → posts: article pages (2018 and current markups, inline variables first),
placeholder pages (permanent: ``gone``; transient verify pages: ParseError), and article lists from feeds
(Atom/RSS/JSON Feed) and from ``profile_ext?action=getmsg`` JSON.

Canonical id: ``__biz:mid:idx`` (else ``s/<token>`` from the short URL). ``author`` is the writer the page
names (``var author``, ``og:article:author``, the name beside the date), null when it names none; the account
is the post's source (``wechat:<account>``) and ``extra.account``, its ``__biz`` ``extra.biz``. The URL is the
page's own link (``msg_link``, JavaScript and HTML escapes resolved), else the requested URL.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from core import Author, Post, utcnow
from crawler.parsers.common import (
    ParseError,
    ParseResult,
    decode_html,
    element_text,
    normalize_space,
    parse_cn_time,
    parse_html,
)

#: Placeholder phrases that mean the article will never come back (HTTP 200, no #js_content).
PERMANENT = {
    "该内容已被发布者删除": "deleted", "此内容因违规无法查看": "violation", "此内容发送失败无法查看": "send_failed",
    "根据作者隐私设置，无法查看该内容": "privacy",
    "此帐号已注销": "account_closed", "该公众号已被封禁": "account_banned",
    "链接已过期": "expired", "此内容被投诉且经审核涉嫌侵权": "infringement",
}
#: Phrases of the transient verify / rate-limit pages: retry later, never mark as seen.
TRANSIENT = ("环境异常", "完成验证后即可继续访问", "访问过于频繁", "操作频繁", "系统出错", "wappoc_appmsgcaptcha")


#: Where the body is: articles (#js_content), picture and text-only messages (newer share pages).
CONTENT_IDS = ("js_content", "js_image_desc", "js_text_desc", "js_share_content")


def _var(text: str, name: str) -> str | None:
    """The value of ``var name = ""||"x"`` (the last non-empty quoted value) or ``htmlDecode("x")``."""
    m = re.search(rf"""var {name}\s*=\s*((?:"[^"\n]*"|'[^'\n]*'|[^;\n"'])+)""", text)
    if not m:
        return None
    values = [v for v in re.findall(r"""["']([^"']*)["']""", m.group(1)) if v]
    return htmllib.unescape(js_unescape(values[-1])).strip() or None if values else None


_JS_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)", re.S)


def js_unescape(value: str) -> str:
    """A JavaScript string literal's escapes resolved (``\\x26amp;`` → ``&amp;``, ``\\/`` → ``/``)."""

    def repl(m: re.Match[str]) -> str:
        e = m.group(1)
        if e[0] in "xu" and len(e) > 1:
            return chr(int(e[1:], 16))
        return {"n": "\n", "t": "\t", "r": ""}.get(e, e)

    return _JS_ESCAPE.sub(repl, value)


#: Labels and the date beside the writer's name in the meta line, never a name themselves.
_NOT_A_WRITER = re.compile(r"^(原创|转载|以下文章来源于.*|发表于.*|\d{4}[-年].*|\d{1,2}月\d{1,2}日.*"
                           r"|今天|昨天|前天|.*前)$")


def writer_of(doc: Any, text: str, nickname: str | None) -> str | None:
    """The article's writer as the page states it (``var author``, ``og:article:author``, ``#js_author_name``,
    or a name in the meta line beside the date); None when only the account is named."""
    for value in (_var(text, "author"), _meta(doc, "og:article:author")):
        if value:
            return value
    for css in ("#js_author_name", "#js_author_name_text"):
        found = doc.cssselect(css)
        if found and normalize_space(found[0].text_content()):
            return normalize_space(found[0].text_content())
    for el in doc.cssselect("#meta_content .rich_media_meta_text"):
        classes = (el.get("class") or "").split()
        if el.get("id") in ("post-date", "publish_time", "js_ip_wording", "js_ip_wording_wrp", "copyright_logo") \
                or "rich_media_meta_nickname" in classes:
            continue
        name = normalize_space(el.text_content())
        if name and not _NOT_A_WRITER.match(name) and name != nickname:
            return name
    return None


def classify_page(text: str) -> tuple[str, str] | None:
    """("gone", reason) or ("transient", reason) for placeholder pages; None for an article."""
    if any(f'id="{i}"' in text or f"id='{i}'" in text for i in CONTENT_IDS):
        return None
    for phrase, kind in PERMANENT.items():
        if phrase in text:
            return "gone", kind
    for phrase in TRANSIENT:
        if phrase in text:
            return "transient", phrase
    return None


def parse_article(text: str, url: str | None, now: datetime, source: str | None) -> ParseResult:
    """An article page → one post (or ``gone`` for a permanent placeholder)."""
    verdict = classify_page(text)
    if verdict and verdict[0] == "gone":
        return ParseResult(gone=verdict[1])
    if verdict:
        raise ParseError(f"微信验证页（暂时性，稍后重试）transient verify page: {verdict[1]}")
    doc = parse_html(text)
    content = next((el for el in (doc.get_element_by_id(i, None) for i in CONTENT_IDS) if el is not None), None)
    if content is None:
        raise ParseError("页面没有正文 #js_content — not a WeChat article")
    q = parse_qs(urlsplit(url).query) if url else {}
    link = htmllib.unescape(_var(text, "msg_link") or _meta(doc, "og:url") or "")
    if not q.get("__biz") and "__biz=" in link:
        q = parse_qs(urlsplit(link).query)
    biz = _var(text, "biz") or (q.get("__biz") or [None])[0]
    mid = _var(text, "mid") or (q.get("mid") or [None])[0] or _var(text, "appmsgid")
    idx = _var(text, "idx") or (q.get("idx") or ["1"])[0]
    if biz and mid:
        native = f"{biz}:{mid}:{idx}"
    elif url and "/s/" in url:
        native = "s/" + urlsplit(url).path.rsplit("/s/", 1)[1]
    else:
        raise ParseError("找不到文章 id（__biz/mid/idx 或 /s/ 链接）no article id")

    def first_text(*ids: str, css: str | None = None) -> str | None:
        for i in ids:
            el = doc.get_element_by_id(i, None)
            if el is not None and normalize_space(el.text_content()):
                return normalize_space(el.text_content())
        if css:
            found = doc.cssselect(css)
            if found and normalize_space(found[0].text_content()):
                return normalize_space(found[0].text_content())
        return None

    nickname = _var(text, "nickname") or first_text("js_name", "post-user", css="strong.profile_nickname")
    title = _var(text, "msg_title") or first_text("activity-name") or _meta(doc, "og:title")
    writer = writer_of(doc, text, nickname)
    ct = _var(text, "ct") or _var(text, "create_time") or _var(text, "ori_create_time")
    when_text = ct or _var(text, "createTime") or _var(text, "publish_time") or first_text("publish_time", "post-date")
    if not when_text:
        raise ParseError("找不到发布时间 no publish time")
    published = parse_cn_time(when_text, now)
    body = element_text(content)
    if not body:
        body = normalize_space(_meta(doc, "og:description") or title or "")
    src = source or f"wechat:{nickname or biz or 'unknown'}"
    images = [img.get("data-src") for img in content.iter("img") if img.get("data-src")]
    link = htmllib.unescape(link)
    post = Post.new(
        src, native, url=link if link.startswith("http") else (url or _canonical(biz, mid, idx, _var(text, "sn"))),
        title=title, text=body, author=Author(name=writer), published_at=published,
        extra={"account": nickname, "biz": biz, "mid": mid, "idx": idx, "images": images[:20],
               "user_name": _var(text, "user_name")},
    )
    return ParseResult(items=[post])


def _canonical(biz: str | None, mid: str | None, idx: str | None, sn: str | None) -> str | None:
    """The article's long URL from its inline ids (when neither the page nor the request names one)."""
    if not (biz and mid and sn):
        return None
    return f"https://mp.weixin.qq.com/s?__biz={biz}&mid={mid}&idx={idx or 1}&sn={sn}"


def _meta(doc: Any, prop: str) -> str | None:
    found = doc.xpath(f'//meta[@property="{prop}"]/@content')
    return normalize_space(found[0]) if found and found[0].strip() else None


def parse_feed(body: bytes | str, now: datetime) -> ParseResult:
    """Atom/RSS (XML) or JSON Feed → links to the articles, newest first, with their times."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    result = ParseResult()
    if raw.lstrip().startswith(b"{"):
        data = json.loads(raw)
        for it in data.get("items", []):
            when = it.get("date_published") or it.get("date_modified")
            result.links.append({"kind": "article", "url": it.get("url") or it.get("id"), "title": it.get("title"),
                                 "published_at": parse_cn_time(when, now).isoformat() if when else None})
        return result
    try:
        root = etree.fromstring(raw, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"订阅源不是有效的 XML invalid feed: {exc}") from None
    atom = "{http://www.w3.org/2005/Atom}"
    for entry in root.iter(f"{atom}entry", "item"):
        link = entry.find(f"{atom}link")
        href = link.get("href") if link is not None else (entry.findtext("link") or "").strip()
        when = entry.findtext(f"{atom}updated") or entry.findtext(f"{atom}published") or entry.findtext("pubDate")
        result.links.append({"kind": "article", "url": href,
                             "title": entry.findtext(f"{atom}title") or entry.findtext("title"),
                             "published_at": parse_cn_time(when, now).isoformat() if when else None})
    return result


def parse_getmsg(data: dict[str, Any], now: datetime) -> ParseResult:
    """``profile_ext?action=getmsg`` → article links (links are HTML-escaped inside a JSON string)."""
    if data.get("ret") != 0:
        if data.get("ret") == -3:
            raise ParseError("getmsg 会话失效（key 过期）no session: the captured key expired")
        raise ParseError(f"getmsg 返回错误 ret={data.get('ret')} {data.get('errmsg', '')}")
    inner = json.loads(data.get("general_msg_list") or '{"list": []}')
    result = ParseResult()
    for entry in inner.get("list", []):
        info, ext = entry.get("comm_msg_info") or {}, entry.get("app_msg_ext_info")
        if not ext:
            continue
        when = datetime.fromtimestamp(int(info.get("datetime", 0)), now.tzinfo).isoformat()
        for art in [ext, *ext.get("multi_app_msg_item_list", [])]:
            link = htmllib.unescape(htmllib.unescape(art.get("content_url") or "")).replace("\\/", "/")
            if link and art.get("del_flag", 1) == 1:
                result.links.append({"kind": "article", "url": link, "title": art.get("title"), "published_at": when})
    if data.get("can_msg_continue"):
        result.cursor["offset"] = int(data.get("next_offset") or 0)
    return result


def parse(body: bytes | str, url: str | None = None, now: datetime | None = None, source: str | None = None
          ) -> ParseResult:
    """Parse an article page, a feed or a getmsg response."""
    now = now or utcnow()
    head = (body[:200] if isinstance(body, bytes) else body[:200].encode("utf-8", "ignore")).lstrip()
    if head.startswith(b"{"):
        data = json.loads(body)
        if "general_msg_list" in data or "ret" in data:
            return parse_getmsg(data, now)
        return parse_feed(body, now)
    if head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed"):
        return parse_feed(body, now)
    return parse_article(decode_html(body), url, now, source)
