"""Chinese messages for case events and the daily report (markdown for robots, plain text for email)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from core import SHANGHAI, labels

# The labels are core.labels' (one table for console, notifications and reports).
STATUS_ZH = labels.CASE_STATUS
SEVERITY_ZH = labels.SEVERITY
EVENT_ZH = labels.CASE_EVENT


@dataclass(frozen=True)
class Message:
    """One notification: a title, markdown for robots and plain text for mail."""

    title: str
    markdown: str
    text: str
    urgent: bool = False
    attachments: list[str] = field(default_factory=list)


def _local(text: str | None) -> str:
    if not text:
        return "—"
    return datetime.fromisoformat(text).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def _keyword(payload: dict[str, Any], console_url: str | None) -> Message:
    """A keyword alert: which subscribed words or places a new post mentions, and the post."""
    post = payload.get("post", {})
    matched = "、".join(payload.get("subscription", {}).get("matched", [])) or "—"
    source, _, site = str(post.get("source", "")).partition(":")
    head = f"【关键词提醒】{matched}"
    rows = [("命中", matched), ("来源", labels.SOURCE_FAMILY.get(source, source) + (f" · {site}" if site else "")),
            ("地点", "、".join(post.get("places") or []) or "—"), ("发布时间", _local(post.get("published_at"))),
            ("内容", (post.get("title") or "") + " " + str(post.get("text", ""))[:200])]
    if post.get("url"):
        rows.append(("原文", str(post["url"])))
    if console_url:
        rows.append(("查看", f"{console_url.rstrip('/')}/posts/{post.get('id')}"))
    md = "\n".join([f"### {head}", *[f"> {k}：{v}" for k, v in rows]])
    text = "\n".join([head, "", *[f"{k}：{v}" for k, v in rows]])
    return Message(head, md, text)


def render(payload: dict[str, Any], console_url: str | None = None) -> Message:
    """The message for an outbox payload (a case event or the daily report)."""
    event = payload.get("event", "")
    if event == "keyword":
        return _keyword(payload, console_url)
    if event == "brief":
        title = str(payload.get("title", "舆情简报"))
        lines = ["本期舆情简报已生成（热点事件、投诉走势与分布、各部门案件办理情况），见附件。"]
        if console_url:
            lines.append(f"[下载简报]({console_url.rstrip('/')}/reports/{quote(str(payload.get('name', '')))})")
        body = "\n".join(lines)
        return Message(title, f"### {title}\n{body}", f"{title}\n\n{body}\n", attachments=[payload.get("path", "")])
    if event == "daily_report":
        s = payload.get("summary", {})
        title = f"每日巡查问题汇总和整改分工落实表（{payload.get('day')}）"
        lines = [f"新发现问题 {s.get('total', 0)} 件，其中紧急 {s.get('urgent', 0)} 件，"
                 f"超期未整改 {s.get('overdue', 0)} 件。"]
        lines += [f"- {d}：{n} 件" for d, n in s.get("by_department", {}).items()]
        if console_url:
            name = quote(Path(str(payload.get("path", ""))).name)
            lines.append(f"[下载表格]({console_url.rstrip('/')}/reports/{name})")
        body = "\n".join(lines)
        return Message(title, f"### {title}\n{body}", f"{title}\n\n{body}\n", attachments=[payload.get("path", "")])
    case = payload.get("case", {})
    detail = payload.get("detail", {})
    place = (case.get("place") or {}).get("name") or "—"
    sev = case.get("severity", "normal")
    head = f"【{EVENT_ZH.get(event, event)}】{case.get('title', '')}"
    rows = [
        ("地点/网格", f"{place} / {case.get('grid') or '—'}"),
        ("责任部门", case.get("department") or "—"),
        ("紧急程度", SEVERITY_ZH.get(sev, sev)),
        ("状态", STATUS_ZH.get(case.get("status", ""), case.get("status", ""))),
        ("整改时限", _local(case.get("due_at"))),
        ("投诉数", str(len(case.get("evidence", [])))),
    ]
    spike = case.get("spike")
    if spike:
        why = f"窗口内投诉 {spike['count']:g} 条，基线 {spike['baseline']:.1f}，评分 {spike['score']:.1f}"
        rows.append(("预警依据", f"{spike['detector']}：{why}"))
    if detail.get("to_status") and event in ("status", "reopened"):
        before = STATUS_ZH.get(detail.get("from_status") or "", "—")
        rows.append(("变更", f"{before} → {STATUS_ZH.get(detail['to_status'], detail['to_status'])}"
                             f"（{detail.get('actor', '')}）"))
    if event == "escalated" and detail.get("data", {}).get("level"):
        rows.append(("督办", f"第 {detail['data']['level']} 次"))
    if detail.get("note"):
        rows.append(("说明", detail["note"]))
    if console_url:
        rows.append(("查看", f"{console_url.rstrip('/')}/cases/{case.get('id')}"))
    md = "\n".join([f"### {head}", *[f"> {k}：{v}" for k, v in rows]])
    text = "\n".join([head, "", *[f"{k}：{v}" for k, v in rows], "", f"案件编号：{case.get('id')}"])
    return Message(head, md, text, urgent=sev == "urgent" or event == "escalated")
