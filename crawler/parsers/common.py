"""What every parser shares: the result type, charset handling, HTML → plain text, Chinese dates, counts."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from core import SHANGHAI, Post, YuqingError


class ParseError(YuqingError):
    """The body is not a page this parser understands (the message says why, in one line)."""


@dataclass
class ParseResult:
    """What a page yields: posts, links to follow, the next page or cursor, and what it could not use."""

    items: list[Post] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)  # {"url", "kind", ...}
    next_url: str | None = None
    cursor: dict[str, Any] = field(default_factory=dict)
    patches: list[dict[str, Any]] = field(default_factory=list)  # e.g. long text for a known post
    gone: str | None = None  # a permanent placeholder: deleted, violation, expired …
    skipped: list[str] = field(default_factory=list)  # reasons, one per item not emitted


_GBK_ALIASES = {"gbk", "gb2312", "gb_2312", "cp936", "gb18030", "x-gbk", "euc-cn", "ms936"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def declared_charset(body: bytes, content_type: str | None = None) -> str | None:
    """The charset a page claims (Content-Type header first, then the first <meta>)."""
    if content_type and "charset=" in content_type.lower():
        return content_type.lower().split("charset=")[-1].split(";")[0].strip().strip("\"'")
    m = _META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii", "ignore").lower() if m else None


def decode_html(body: bytes | str, content_type: str | None = None) -> str:
    """Decode a page, trusting the bytes over the label: strict UTF-8 first (a GBK-labelled page is often
    UTF-8, as on Hi!PDA), then the declared charset (GBK aliases read as GB18030), then detection."""
    if isinstance(body, str):
        return body
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(body, content_type)
    candidates = (["gb18030"] if declared in _GBK_ALIASES or declared is None else [declared, "gb18030"])
    for enc in candidates:
        try:
            return body.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    try:  # present as a dependency of Scrapy's stack; optional here
        from charset_normalizer import from_bytes
    except ImportError:
        return body.decode("gb18030", "replace")
    best = from_bytes(body).best()
    return str(best) if best is not None else body.decode("gb18030", "replace")


def parse_html(text: str) -> lxml.html.HtmlElement:
    """An lxml tree of an HTML document (raises ParseError on an empty body)."""
    if not text.strip():
        raise ParseError("空页面 empty body")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"无法解析 HTML: {exc}") from None


_BLOCK = {"p", "div", "br", "li", "tr", "section", "h1", "h2", "h3", "h4", "blockquote", "table"}
_SKIP = {"script", "style", "noscript", "iframe", "mpvoice", "qqmusic", "mp-miniprogram", "mpvideo"}


def element_text(el: lxml.html.HtmlElement) -> str:
    """Plain text of an element: block breaks as newlines, <img alt> (emoticons) as their alt text, scripts
    and embedded players dropped, whitespace collapsed."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP:
            if node.tail:
                parts.append(node.tail)
            return
        if tag == "img":
            alt = node.get("alt") or ""
            if alt.startswith("[") and alt.endswith("]"):
                parts.append(alt)
        elif tag in _BLOCK:
            parts.append("\n")
        if node.text and tag not in ("img",):
            parts.append(node.text)
        for child in node:
            walk(child)
        if tag in _BLOCK:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(el)
    return normalize_space("".join(parts))


def normalize_space(text: str) -> str:
    """Collapse runs of spaces, keep single line breaks, strip."""
    text = htmllib.unescape(text).replace("\xa0", " ").replace("\u200b", "").replace("\r", "")
    lines = [re.sub(r"[ \t\u3000]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a Weibo ``text``, a long-text body)."""
    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment:
        return normalize_space(fragment)
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return element_text(root)


_REL = [
    (re.compile(r"^刚刚$"), lambda m, now: now),
    (re.compile(r"^(\d+)\s*秒前$"), lambda m, now: now - timedelta(seconds=int(m[1]))),
    (re.compile(r"^(\d+)\s*分钟前$"), lambda m, now: now - timedelta(minutes=int(m[1]))),
    (re.compile(r"^(\d+)\s*小时前$"), lambda m, now: now - timedelta(hours=int(m[1]))),
    (re.compile(r"^(\d+)\s*天前$"), lambda m, now: now - timedelta(days=int(m[1]))),
    (re.compile(r"^半小时前$"), lambda m, now: now - timedelta(minutes=30)),
]
_DAYWORD = re.compile(r"^(今天|昨天|前天)\s*(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_FULL = re.compile(r"^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_SHORT = re.compile(r"^(\d{1,2})[-月](\d{1,2})日?(?:\s*(\d{1,2}):(\d{2}))?$")


def parse_cn_time(text: str | int | float | None, now: datetime) -> datetime:
    """A timezone-aware time from the forms Chinese sites use: unix seconds, RFC-2822-like
    ("Sat Jun 14 12:00:00 +0800 2025"), ISO, 2018-6-26 10:00, 2018年7月11日 23:46, 05-02, 2月8日,
    刚刚, N分钟前, N小时前, N天前, 昨天 HH:MM, 今天. Naive times are Asia/Shanghai; ``now`` anchors the
    relative forms. Raises ParseError if nothing fits."""
    now = now.astimezone(SHANGHAI)
    if isinstance(text, int | float) or (isinstance(text, str) and re.fullmatch(r"\d{9,11}", text.strip())):
        return datetime.fromtimestamp(int(text), SHANGHAI)
    s = normalize_space(str(text or "")).replace("发表于", "").strip()
    if not s:
        raise ParseError("缺少时间 missing time")
    for rx, fn in _REL:
        if m := rx.match(s):
            return fn(m, now)
    if s in ("今天", "今日"):
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    if s == "昨天":
        return (now - timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    if m := _DAYWORD.match(s):
        back = {"今天": 0, "昨天": 1, "前天": 2}[m[1]]
        day = now - timedelta(days=back)
        return day.replace(hour=int(m[2]), minute=int(m[3]), second=int(m[4] or 0), microsecond=0)
    if m := _FULL.match(s):
        y, mo, d, hh, mm, ss = (int(x) if x else 0 for x in m.groups())
        return datetime(y, mo, d, hh, mm, ss, tzinfo=SHANGHAI)
    if m := _SHORT.match(s):
        mo, d, hh, mm = (int(x) if x else 0 for x in m.groups())
        dt = datetime(now.year, mo, d, hh, mm, tzinfo=SHANGHAI)
        return dt if dt <= now + timedelta(days=1) else dt.replace(year=now.year - 1)
    try:
        dt = datetime.fromisoformat(s)
        return dt if dt.tzinfo else dt.replace(tzinfo=SHANGHAI)
    except ValueError:
        pass
    try:
        parts = s.split()
        if len(parts) == 6 and parts[4].startswith(("+", "-")):  # Weibo: Sat Jun 14 12:00:00 +0800 2025
            dt = parsedate_to_datetime(f"{parts[0]}, {parts[2]} {parts[1]} {parts[5]} {parts[3]} {parts[4]}")
        else:
            dt = parsedate_to_datetime(s)
        # RFC 2822 "-0000" (zone unknown) or no zone parses naive: read it as the sites' own wall clock
        return dt if dt.tzinfo else dt.replace(tzinfo=SHANGHAI)
    except (TypeError, ValueError, IndexError):
        raise ParseError(f"无法识别的时间 unrecognised time: {s[:40]!r}") from None


def to_int(value: Any) -> int:
    """Counts as sites show them: 12, "12", "1.2万", "100万+", "3亿", "" → int."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return int(value)
    s = str(value).strip().rstrip("+").replace(",", "")
    mult = 1
    if s.endswith("万"):
        mult, s = 10_000, s[:-1]
    elif s.endswith("亿"):
        mult, s = 100_000_000, s[:-1]
    try:
        return int(float(s) * mult)
    except ValueError:
        return 0


def site_of(url: str | None, default: str) -> str:
    """The host of a URL (with port), or ``default``."""
    if not url:
        return default
    return urlsplit(url).netloc or default
