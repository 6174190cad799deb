"""Presentation helpers: Chinese labels, masking, times, safe links and highlight fragments.

Pure functions; the app registers them as Jinja filters and globals.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from core import SHANGHAI, Case, Post, labels

# The labels live in core.labels (one table for console, notifications and reports); these are its names here.
CASE_STATUS_NAMES = labels.CASE_STATUS
EVENT_NAMES = labels.CASE_EVENT
REVIEW_STATUS_NAMES = labels.REVIEW_STATUS
SENTIMENT_NAMES = labels.SENTIMENT
SEVERITY_NAMES = labels.SEVERITY
SOURCE_FAMILY_NAMES = labels.SOURCE_FAMILY

_TAG = re.compile(r"<(?!/?em>)")


def source_name(source: str) -> str:
    """``wechat:dachang`` → ``微信公众号 · dachang``."""
    family, _, site = source.partition(":")
    name = SOURCE_FAMILY_NAMES.get(family, family)
    return f"{name} · {site}" if site else name


def mask_name(name: str | None) -> str:
    """Keep the first character of a poster's name and hide the rest: ``张小明`` → ``张**``."""
    if not name:
        return "匿名"
    return name[0] + "*" * max(2, min(len(name) - 1, 4))


def shown_author(post: Post, masked: bool) -> str:
    """The poster's name as the console shows it."""
    return mask_name(post.author.name) if masked else (post.author.name or "匿名")


def local_time(dt: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A timezone-aware time shown in Asia/Shanghai."""
    return dt.astimezone(SHANGHAI).strftime(fmt) if dt else ""


def countdown(due: datetime | None, now: datetime) -> tuple[str, str]:
    """A deadline as (text, css class): ``剩余 1天3小时`` / ``已超期 5小时``."""
    if due is None:
        return "无期限", "muted"
    left = due - now
    over = left < timedelta(0)
    left = abs(left)
    days, hours = left.days, left.seconds // 3600
    span = f"{days}天{hours}小时" if days else f"{hours}小时{left.seconds % 3600 // 60}分"
    if over:
        return f"已超期 {span}", "overdue"
    return f"剩余 {span}", "soon" if left < timedelta(hours=24) else "ok"


def case_clock(case, now: datetime) -> tuple[str, str]:
    """A case's deadline as (text, css class): the countdown while it waits on the department; once rectified
    (or later) the clock stops — ``已整改（按期）`` / ``已整改（超期 N小时）`` — and it never counts as overdue."""
    if case.status.value in ("rectified", "verified", "closed"):
        done = next((e.at for e in reversed(case.history)
                     if e.to_status is not None and e.to_status.value == "rectified"), None)
        name = labels.CASE_STATUS[case.status]
        if case.due_at is None or done is None or done <= case.due_at:
            return (f"{name}（按期）" if case.due_at else name), "ok"
        late, _ = countdown(case.due_at, done)
        return f"{labels.CASE_STATUS[case.status]}（{late}）", "muted"
    return countdown(case.due_at, now)


def is_overdue(case, now: datetime) -> bool:
    """Whether a case is still waiting on the department past its deadline (rectified cases are not)."""
    waiting = case.status.value in ("new", "assigned", "in_progress", "reopened")
    return waiting and case.due_at is not None and case.due_at < now


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link, else None (no ``javascript:`` or ``data:`` links)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def highlight_html(fragment: str) -> Markup:
    """A search-highlight fragment as markup: only ``<em>``/``</em>`` survive; any other ``<`` is escaped.

    The store already escapes fragments; this is a second line of defence against a backend that does not.
    """
    return Markup(_TAG.sub("&lt;", fragment).replace(">", "&gt;").replace("<em&gt;", "<em>")
                  .replace("</em&gt;", "</em>"))


def text_excerpt(text: str, n: int = 400) -> str:
    """The first ``n`` characters of a text (plain; escaped by the template)."""
    return text if len(text) <= n else text[:n] + "…"


def chip(label: str, value: str | None) -> Markup:
    """A small label chip (escaped)."""
    return Markup('<span class="chip chip-{}">{}</span>').format(escape(label), escape(value or "—"))


#: What the console calls the alert runner's detectors and jobs in a case's history (``system:<name>``).
SYSTEM_ACTORS = {"outbreak": "突增检测", "spike": "突增检测", "cusum": "持续增多检测", "cluster": "同类帖聚集检测",
                 "overdue": "超期督办"}
#: Delivery channels by type, in Chinese (a webhook channel feeds the external case tracker).
CHANNEL_TYPES = {"webhook": "案件系统", "wecom": "企业微信", "dingtalk": "钉钉", "email": "邮件"}
#: A channel's name that says no more than its type (shown as the type's Chinese name alone).
_PLAIN_CHANNEL_NAMES = {"tracker", "webhook", "wecom", "dingtalk", "email", "mail"}


def channel_name(name: str, channel_type: str | None) -> str:
    """A delivery channel as the console shows it: ``tracker`` (webhook) → ``案件系统``, ``wecom-office`` (wecom) →
    ``企业微信（wecom-office）``; an unknown channel keeps its name."""
    label = CHANNEL_TYPES.get(channel_type or "")
    if label is None:
        return name
    return label if name.casefold() in _PLAIN_CHANNEL_NAMES else f"{label}（{name}）"


def actor_name(actor: str, channel_types: dict[str, str] | None = None) -> str:
    """Who did something to a case: a user's name as is; ``system:outbreak`` → ``系统（突增检测）``,
    ``system:tracker`` (a delivery channel) → ``系统（案件系统同步）``."""
    kind, sep, name = actor.partition(":")
    if kind != "system" or not sep:
        return actor
    if name in SYSTEM_ACTORS:
        return f"系统（{SYSTEM_ACTORS[name]}）"
    if channel_types is not None and name in channel_types:
        kind = channel_types[name]
        return f"系统（{CHANNEL_TYPES.get(kind, name)}{'同步' if kind == 'webhook' else '推送'}）"
    return f"系统（{name}）" if name else "系统"


#: Messages of the case service given in English (in brackets after the Chinese, or alone), as the console says them.
_KNOWN_MESSAGES = (
    (re.compile(r"no place: give place_id"), "无法确定地点：请在「点位」框填写点位名称或编号"),
    (re.compile(r"rectified needs photos and a note"), "报告已整改需上传整改照片并填写整改说明"),
    (re.compile(r"too many concurrent changes"), "案件正被他人同时修改，请稍后重试"),
)
_ENGLISH_TAIL = re.compile(r"\s*\((?=[^()]*[A-Za-z])[^()\u3400-\u9fff]*\)\s*$")
_ROLE_HEAD = re.compile(r"^(reviewer|department|admin) (?=[\u3400-\u9fff])")


def zh_message(message: str) -> str:
    """A lower layer's error message for the screen: a known English message in Chinese, otherwise the Chinese part
    without its English gloss in brackets (``请填写原因 (a note is required)`` → ``请填写原因``), a leading role code
    in Chinese."""
    for pattern, chinese in _KNOWN_MESSAGES:
        if pattern.search(message):
            return chinese
    text = _ENGLISH_TAIL.sub("", message)
    text = _ROLE_HEAD.sub(lambda m: labels.ROLE.get(m.group(1), m.group(1)), text)
    return text or message


def matching_case(post: Post, cases: list[Case]) -> str:
    """The id of the first open case of the post's own place and topic ("" when none): the one a 并入案件 box may
    offer first; a case of another place is never pre-selected."""
    keys = {Case.make_key(pid, post.effective_topic) for pid in post.effective_place_keys}
    return next((c.id for c in cases if c.key in keys), "")
