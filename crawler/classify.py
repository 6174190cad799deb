"""Classify a response: ok / empty / login / throttled / captcha / gone / broken — pure, per family.

- ``ok``: content; ``empty``: a valid answer with nothing in it (Weibo ``ok:0``) — never a block.
- ``login``: the cookie or key is invalid (Weibo ``ok:-100`` sign-in URL, HTML login page with 200, getmsg
  ``ret:-3``, Discuz "尚未登录", portal 401).
- ``throttled``: 418, 432, 429, "访问过于频繁"; ``captcha``: Weibo captcha JSON, WeChat verify page.
- ``gone``: permanent (deleted/violation/expired placeholders, deleted threads, 404/410) — never retried.
- ``broken``: 5xx, truncated or invalid JSON, error pages — transient, retried a little.
"""

from __future__ import annotations

import json
from enum import StrEnum

from crawler.parsers import discuz as dz
from crawler.parsers import wechat as wx


class Outcome(StrEnum):
    """What a response means for the crawl."""

    OK = "ok"
    EMPTY = "empty"
    LOGIN = "login"
    THROTTLED = "throttled"
    CAPTCHA = "captcha"
    GONE = "gone"
    BROKEN = "broken"

    @property
    def transient(self) -> bool:
        """Worth retrying later (never marks anything as seen)."""
        return self in (Outcome.LOGIN, Outcome.THROTTLED, Outcome.CAPTCHA, Outcome.BROKEN)


def _json(body: bytes) -> object | None:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("gb18030", "replace")


def _status(status: int) -> tuple[Outcome, str] | None:
    if status in (418, 432, 429):
        return Outcome.THROTTLED, f"HTTP {status}"
    if status in (404, 410):
        return Outcome.GONE, f"HTTP {status}"
    if status == 401:
        return Outcome.LOGIN, "HTTP 401"
    if status >= 500 or status == 403:
        return Outcome.BROKEN, f"HTTP {status}"
    return None


def classify_weibo(status: int, body: bytes) -> tuple[Outcome, str]:
    """m.weibo.cn responses."""
    if by := _status(status):
        return by
    head = body.lstrip()[:1]
    if head == b"<":
        text = _text(body)
        if "登录" in text or "passport" in text or "wbBotDetector" in text:
            return Outcome.LOGIN, "HTML login page instead of JSON"
        if "$render_data" in text:
            return Outcome.OK, "detail page"
        return Outcome.BROKEN, "HTML error page instead of JSON"
    data = _json(body)
    if not isinstance(data, dict):
        return Outcome.BROKEN, "invalid JSON"
    ok = data.get("ok")
    if ok in (1, "1"):
        d = data.get("data") or {}
        if isinstance(d, dict) and "cards" in d and not d["cards"]:
            return Outcome.EMPTY, "no cards"
        return Outcome.OK, "ok:1"
    if ok == -100 or str(data.get("errno")) == "-100":
        if "captcha" in str(data.get("url", "")):
            return Outcome.CAPTCHA, "captcha (ok:-100)"
        return Outcome.LOGIN, "login required (ok:-100)"
    if ok == 0:
        return Outcome.EMPTY, str(data.get("msg") or "ok:0")
    return Outcome.BROKEN, f"unexpected ok={ok!r}"


def classify_wechat(status: int, body: bytes) -> tuple[Outcome, str]:
    """WeChat article pages, feeds and getmsg JSON."""
    if by := _status(status):
        return by
    if body.lstrip()[:1] == b"{":
        data = _json(body)
        if not isinstance(data, dict):
            return Outcome.BROKEN, "invalid JSON"
        ret = data.get("ret")
        if ret == -3:
            return Outcome.LOGIN, "getmsg: no session (key expired)"
        if ret == -6 or "freq" in str(data.get("errmsg", "")):
            return Outcome.THROTTLED, f"getmsg ret={ret}"
        if ret not in (None, 0):
            return Outcome.BROKEN, f"getmsg ret={ret}"
        return Outcome.OK, "json"
    text = _text(body)
    verdict = wx.classify_page(text)
    if verdict is None:
        return Outcome.OK, "page"
    kind, reason = verdict
    if kind == "gone":
        return Outcome.GONE, reason
    if "频繁" in reason:
        return Outcome.THROTTLED, reason
    return Outcome.CAPTCHA, reason


def classify_forum(status: int, body: bytes) -> tuple[Outcome, str]:
    """Discuz pages (any charset)."""
    if by := _status(status):
        return by
    text = _text(body)
    if 'id="messagetext"' in text or "alert_error" in text or "alert_info" in text:
        if any(p in text for p in dz.GONE):
            return Outcome.GONE, "thread deleted"
        if any(p in text for p in dz.LOGIN):
            return Outcome.LOGIN, "login required"
        if any(p in text for p in dz.NO_PERMISSION):
            return Outcome.LOGIN, "no permission"
        if "来路不正确" in text or "灌水" in text or "刷新过于频繁" in text:
            return Outcome.THROTTLED, "flood control"
        if 'id="pid' not in text:
            return Outcome.BROKEN, "forum message page"
    if not text.strip():
        return Outcome.BROKEN, "empty body"
    return Outcome.OK, "page"


def classify_board(status: int, body: bytes) -> tuple[Outcome, str]:
    """Message-board JSON API or HTML pages."""
    if by := _status(status):
        return by
    if body.lstrip()[:1] in (b"{", b"["):
        data = _json(body)
        if not isinstance(data, dict):
            return Outcome.BROKEN, "invalid JSON"
        if isinstance(data.get("responseData"), list):  # the legacy list API
            return (Outcome.OK, "json") if data["responseData"] else (Outcome.EMPTY, "no records")
        code = data.get("resultCode")
        code = int(code) if str(code).isdigit() else code
        if code == 429:
            return Outcome.THROTTLED, str(data.get("resultMsg"))
        if code == 404:
            return Outcome.GONE, str(data.get("resultMsg"))
        if code != 200:
            return Outcome.BROKEN, f"resultCode={code} {data.get('resultMsg', '')}"
        rd = data.get("resultData") or {}
        if isinstance(rd, dict) and "data" in rd and not rd["data"]:
            return Outcome.EMPTY, "no records"
        return Outcome.OK, "json"
    text = _text(body)
    if "errorPage" in text:
        return Outcome.GONE, "message deleted"
    return Outcome.OK, "page"


def classify_portal(status: int, body: bytes) -> tuple[Outcome, str]:
    """Portal export JSON."""
    if by := _status(status):
        return by
    data = _json(body)
    if not isinstance(data, dict):
        return Outcome.BROKEN, "invalid JSON"
    code = data.get("code", 0)
    if code == 401:
        return Outcome.LOGIN, str(data.get("msg"))
    if code == 429:
        return Outcome.THROTTLED, str(data.get("msg"))
    if code not in (0, "0", 200):
        return Outcome.BROKEN, f"code={code}"
    return Outcome.OK, "json"


CLASSIFIERS = {"weibo": classify_weibo, "wechat": classify_wechat, "forum": classify_forum,
               "board": classify_board, "portal": classify_portal}


def classify(family: str, status: int, body: bytes) -> tuple[Outcome, str]:
    """Classify one response of a source family; returns (outcome, short reason)."""
    return CLASSIFIERS[family](status, body)
