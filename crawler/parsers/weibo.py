"""Weibo JSON → posts. m.weibo.cn: ``getIndex`` card lists (timelines and grouped search results),
``statuses/show`` and the ``/detail/<id>`` page's ``$render_data`` (one status), ``statuses/extend`` long text,
``comments/hotflow`` comments. weibo.com (desktop): ``ajax/statuses/mymblog`` and ``searchProfile`` lists,
``ajax/statuses/show``, ``ajax/statuses/longtext``, ``buildComments``.

Canonical id: the mid. ``ok:0`` with an empty card list is an empty result, not a failure. A truncated text loses
its "…全文" / "展开" link; a long text (patch) carries the counts it came with. A repost is one post: its
original (often another user's, not a post of this list) is kept in ``extra.retweeted``, not emitted.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from core import Author, Metrics, Post, post_id, utcnow
from crawler.parsers.common import ParseError, ParseResult, fragment_text, parse_cn_time, to_int

SOURCE = "weibo"
DEFAULT_BASE = "https://m.weibo.cn"
_RENDER = re.compile(r"var \$render_data = (\[.*?\])\[0\] \|\| \{\};", re.S)


def api_base(url: str | None) -> str:
    """The API root a page came from (the part before ``/api/``, ``/statuses/``, ``/comments/``, ``/detail/``)."""
    if not url:
        return DEFAULT_BASE
    for marker in ("/api/", "/ajax/", "/statuses/", "/comments/", "/detail/"):
        if marker in url:
            return url.split(marker, 1)[0]
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def load(body: bytes | str) -> Any:
    """Decode a JSON body, or raise ParseError naming what came instead (often the HTML login page)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    stripped = text.lstrip()
    if stripped.startswith("<"):
        if "$render_data" in text:
            m = _RENDER.search(text)
            if m:
                return {"ok": 1, "render_data": json.loads(m.group(1))}
        if "登录" in text[:2000] or "passport" in text:
            raise ParseError("返回了登录页而不是 JSON（cookie 失效）HTML login page instead of JSON")
        raise ParseError("返回了 HTML 而不是 JSON HTML instead of JSON")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ParseError(f"JSON 不完整或无效 invalid JSON: {exc}") from None


def check_envelope(data: Any) -> bool:
    """True for a success envelope, False for an empty result; raise ParseError for a login or captcha wall."""
    if not isinstance(data, dict):
        raise ParseError("不是微博 API 的响应 not a Weibo API response")
    ok = data.get("ok")
    if ok == 1 or ok == "1":
        return True
    if ok == -100 or str(data.get("errno")) == "-100":
        if "captcha" in str(data.get("url", "")):
            raise ParseError("触发验证码 captcha required (ok:-100)")
        raise ParseError("需要登录 login required (ok:-100)")
    if ok == 0:
        return False
    raise ParseError(f"未知的响应 unexpected envelope ok={ok!r}")


_MORE = re.compile(r"""(?:\s*(?:\.\.\.|…))?\s*<a[^>]*href=["'][^"']*/status(?:es)?/[^"']*["'][^>]*>"""
                   r"""\s*全文\s*</a>\s*$""")
_EXPAND = re.compile(r"""(?:\s*(?:\.\.\.|…))?\s*<span class=["']expand["']>\s*展开\s*</span>\s*$""")
_TAIL = re.compile(r"\s*(?:\.\.\.|…)?\s*(?:全文|展开)$")


def status_text(m: dict[str, Any]) -> str:
    """A status's plain text without the "…全文" / "…展开" link of a truncated text (``text_raw`` on weibo.com,
    ``raw_text`` where m.weibo.cn gives it, else the HTML ``text``)."""
    for key in ("text_raw", "raw_text"):  # what the author typed (links as written), when the API gives it
        if isinstance(m.get(key), str) and m[key].strip():
            raw = m[key].strip()
            return _TAIL.sub("", raw).rstrip(" .…") if m.get("isLongText") and _TAIL.search(raw) else raw
    html = m.get("text")
    if html:
        cut = _EXPAND.sub("", _MORE.sub("", html))
        text = fragment_text(cut)
        return text.rstrip(" .…") if cut != html else text
    return ""


def is_truncated(m: dict[str, Any]) -> bool:
    """Whether a status's text is cut (its long text must be fetched): ``isLongText`` and, where the API gives
    the HTML text, its "…全文" / "展开" link (``statuses/show`` and detail pages give the whole text)."""
    if not m.get("isLongText"):
        return False
    html = m.get("text")
    if isinstance(html, str) and html.strip():
        return bool(_MORE.search(html) or _EXPAND.search(html) or re.search(r">\s*(?:全文|展开)\s*<", html[-300:]))
    return True


def _uid(user: dict[str, Any]) -> str | None:
    uid = user.get("idstr") or user.get("id")
    return str(uid) if uid not in (None, "") else None


def _desktop(m: dict[str, Any]) -> bool:
    return "mblogid" in m or "text_raw" in m


def mblog_post(m: dict[str, Any], now: datetime, base: str, source: str = SOURCE) -> Post:
    """One mblog → a Post (text as plain text; counts as ints; region without "发布于")."""
    mid = str(m.get("mid") or m.get("idstr") or m.get("id"))
    user = m.get("user") or {}
    bid = m.get("bid") or m.get("mblogid")
    extra: dict[str, Any] = {"bid": bid}
    if is_truncated(m):
        extra["truncated"] = True
    if m.get("mblogtype") == 2 or m.get("isTop"):
        extra["pinned"] = True
    parent = None
    rt = m.get("retweeted_status")
    if rt:
        rt_mid = str(rt.get("mid") or rt.get("idstr") or rt.get("id"))
        parent = post_id(source, rt_mid)
        extra["retweeted_mid"] = rt_mid
        rt_user = rt.get("user") or {}
        if str(rt.get("deleted")) == "1" or rt.get("user") is None:
            extra["retweeted_deleted"] = True
        else:
            extra["retweeted"] = {"mid": rt_mid, "author": {"id": _uid(rt_user), "name": rt_user.get("screen_name")},
                                  "text": status_text(rt)}
    region = (m.get("region_name") or "").replace("发布于", "").strip() or None
    uid = _uid(user)
    url = f"{base}/{uid}/{bid}" if _desktop(m) and uid and bid else f"{base}/detail/{mid}"
    return Post.new(
        source, mid, url=url, parent_id=parent, text=status_text(m),
        author=Author(id=uid, name=user.get("screen_name")),
        published_at=parse_cn_time(m.get("created_at"), now), region=region,
        metrics=Metrics(reposts=to_int(m.get("reposts_count")), comments=to_int(m.get("comments_count")),
                        likes=to_int(m.get("attitudes_count"))),
        extra=extra,
    )


def _mblogs(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for card in cards or []:
        if card.get("card_type") == 9 and card.get("mblog"):
            out.append(card["mblog"])
        elif card.get("card_group"):
            out.extend(_mblogs(card["card_group"]))
    return out


#: What a malformed status raises (a field of the wrong type, a missing id): the status is skipped, not the page.
_BAD = (KeyError, TypeError, AttributeError, ValueError, IndexError)


def _posts(mblogs: list[dict[str, Any]], now: datetime, base: str, source: str,
           skipped: list[str] | None = None) -> list[Post]:
    posts: dict[str, Post] = {}
    for m in mblogs:
        try:
            post = mblog_post(m, now, base, source)
        except ParseError as exc:
            (skipped if skipped is not None else []).append(f"status: {exc}")
            continue
        except _BAD as exc:
            mid = m.get("mid") or m.get("id") if isinstance(m, dict) else None
            (skipped if skipped is not None else []).append(f"status {mid}: malformed ({type(exc).__name__})")
            continue
        posts.setdefault(post.id, post)
    return list(posts.values())


def parse(body: bytes | str, url: str | None = None, now: datetime | None = None, source: str = SOURCE
          ) -> ParseResult:
    """Parse any Weibo response this project fetches (m.weibo.cn or weibo.com ajax); a response of an
    unexpected shape is a ParseError (one line), a malformed status inside a list is skipped with a reason."""
    try:
        return _parse(body, url, now or utcnow(), source)
    except _BAD as exc:
        raise ParseError(f"无法识别的微博响应 malformed Weibo response ({type(exc).__name__}: {str(exc)[:80]})"
                         .replace("\n", " ")) from None


def _single(status: dict[str, Any], now: datetime, base: str, source: str) -> ParseResult:
    """One status (a detail page, statuses/show): a malformed one is skipped with its reason, not dropped silently."""
    result = ParseResult()
    result.items = _posts([status], now, base, source, result.skipped)
    return result


def _parse(body: bytes | str, url: str | None, now: datetime, source: str) -> ParseResult:
    base = api_base(url)
    data = load(body)
    if "render_data" in data:
        status = (data["render_data"] or [{}])[0].get("status")
        if not status:
            raise ParseError("详情页没有微博 detail page without a status")
        return _single(status, now, base, source)
    if not check_envelope(data):
        return ParseResult()
    d = data.get("data") or {}
    if isinstance(d, list):  # desktop buildComments: {"ok":1,"data":[…],"max_id":…}
        return _comments({"data": d, "max_id": data.get("max_id", 0)}, url, now, base, source)
    if not d and (data.get("mblogid") or data.get("text_raw") is not None):  # desktop statuses/show
        return _single(data, now, base, source)
    if _is_status(d):  # m.weibo.cn statuses/show: {"ok":1,"data":{…one mblog…}}
        return _single(d, now, base, source)
    if "longTextContent" in d:
        mid = (parse_qs(urlsplit(url).query).get("id") or [None])[0] if url else None
        patch = {"mid": mid, "text": fragment_text(d["longTextContent"])}
        for key in ("reposts_count", "comments_count", "attitudes_count"):
            if key in d:
                patch[key] = to_int(d[key])
        return ParseResult(patches=[patch])
    if isinstance(d.get("data"), list) and ("max_id" in d or "max" in d):  # hotflow / legacy comments
        return _comments(d, url, now, base, source)
    if isinstance(d.get("list"), list):  # desktop timelines (mymblog) and profile searches
        result = ParseResult()
        result.items = _posts(d["list"], now, base, source, result.skipped)
        if d.get("since_id") not in (None, "", 0, "0"):
            result.cursor["since_id"] = str(d["since_id"])
        for p in result.items:
            if p.extra.get("truncated"):
                result.links.append({"kind": "longtext", "mid": p.native_id,
                                     "url": f"{base}/ajax/statuses/longtext?id={p.extra.get('bid') or p.native_id}"})
        return result
    if "cards" in d:
        info = d.get("cardlistInfo") or {}
        result = ParseResult()
        result.items = _posts(_mblogs(d["cards"]), now, base, source, result.skipped)
        if info.get("since_id"):
            result.cursor["since_id"] = str(info["since_id"])
        if info.get("page"):
            result.cursor["page"] = int(info["page"])
        for p in result.items:
            if p.extra.get("truncated"):
                result.links.append({"kind": "longtext", "url": f"{base}/statuses/extend?id={p.native_id}",
                                     "mid": p.native_id})
        return result
    raise ParseError("无法识别的微博响应 unrecognised Weibo response")


def _is_status(d: dict[str, Any]) -> bool:
    return bool((d.get("mid") or d.get("id")) and "created_at" in d and ("text" in d or "raw_text" in d))


def _comments(d: dict[str, Any], url: str | None, now: datetime, base: str, source: str) -> ParseResult:
    q = parse_qs(urlsplit(url).query) if url else {}
    mid = (q.get("mid") or q.get("id") or [None])[0]
    result = ParseResult()
    for c in d["data"]:
        user = c.get("user") or {}
        result.items.append(Post.new(
            source, f"comment:{c['id']}", url=f"{base}/detail/{mid}" if mid else None, thread_id=mid,
            parent_id=post_id(source, mid) if mid else None, text=fragment_text(c.get("text") or ""),
            author=Author(id=str(user.get("id")) if user.get("id") is not None else None, name=user.get("screen_name")),
            published_at=parse_cn_time(c.get("created_at"), now),
            region=(c.get("source") or "").replace("来自", "").strip() or None,
            metrics=Metrics(likes=to_int(c.get("like_count") or c.get("like_counts"))),
            extra={"kind": "comment"},
        ))
    if "max" in d and "max_id" not in d:  # legacy api/comments/show: page numbers up to data.max
        page = int((q.get("page") or ["1"])[0])
        if page < int(d.get("max") or 0):
            result.cursor["page"] = page + 1
    if d.get("max_id"):
        result.cursor["max_id"] = str(d["max_id"])
        if mid:
            result.next_url = f"{base}/comments/hotflow?" + urlencode(
                {"id": mid, "mid": mid, "max_id": d["max_id"], "max_id_type": d.get("max_id_type", 0)})
    return result
