"""Presentation helpers: Chinese labels, masking, times, safe links and highlight fragments.

Pure functions; the app registers them as Jinja filters and globals.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from core import SHANGHAI, Post

TOPIC_NAMES = {
    "sanitation": "市容环境", "shop_signs": "店招店牌", "illegal_construction": "违章搭建", "parking": "乱停车",
    "traffic": "交通文明", "food_hygiene": "食品卫生", "river": "河道污染", "greenery": "绿化",
    "noise": "噪声扰民", "facilities": "公共设施", "property": "物业管理", "other": "其他",
}
CASE_STATUS_NAMES = {
    "new": "新建", "assigned": "已派单", "in_progress": "整改中", "rectified": "已整改", "verified": "已核验",
    "closed": "已办结", "reopened": "重新打开",
}
EVENT_NAMES = {
    "opened": "立案", "flagged": "人工建案", "status": "状态变更", "evidence": "补充证据", "note": "备注",
    "escalated": "超期督办", "reopened": "重新打开", "delivered": "已推送",
}
REVIEW_STATUS_NAMES = {"pending": "待审核", "confirmed": "已确认", "dismissed": "已排除", "corrected": "已更正"}
SENTIMENT_NAMES = {"negative": "负面", "neutral": "中性", "positive": "正面"}
SEVERITY_NAMES = {"low": "低", "normal": "一般", "high": "较高", "urgent": "紧急"}
HEALTH_NAMES = {
    "ok": "正常", "backing_off": "退避中", "login_needed": "需要登录", "blocked": "被封禁", "failing": "出错",
    "unknown": "未知",
}
ROLE_NAMES = {"reviewer": "文明办审核员", "department": "职能部门", "admin": "管理员"}
SOURCE_FAMILY_NAMES = {"weibo": "微博", "wechat": "微信公众号", "portal": "社区通", "forum": "论坛", "board": "留言板"}

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
