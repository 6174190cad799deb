"""数据源, 审计 and 推送失败: source health, the audit trail and dead deliveries (日报 is in ``web.routes.reports``)."""

from __future__ import annotations

import os
from datetime import datetime, time

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from alerts.outbox import dead_items, redrive
from core import SHANGHAI, Conflict, OutboxStatus, labels
from storage import PostQuery
from web.deps import AdminUser, BadRequest, CsrfUser, Forbidden, OfficeUser, console, render

router = APIRouter()


@router.get("/sources")
def sources(request: Request, user: OfficeUser):
    """Per source: state, last success, items today, errors, cookie status."""
    con = console(request)
    today = datetime.combine(con.now().astimezone(SHANGHAI).date(), time(0), SHANGHAI)
    states = {s.name: s for s in con.store.list_source_states()}
    per_source = dict(con.store.terms(PostQuery(since=today, limit=0, highlight=False), "source", 500))
    rows = []
    for cfg in con.config.sources:
        state = states.pop(cfg.name, None)
        label = cfg.options.get("source") or cfg.family
        today_n = sum(n for s, n in per_source.items() if s == label or s.startswith(f"{cfg.family}:"))
        if cfg.cookie_env:
            cookie = "需要重新登录" if state and state.health.value == "login_needed" else (
                "已配置" if os.environ.get(cfg.cookie_env) else "未配置")
        else:
            cookie = "不需要"
        rows.append({"name": cfg.name, "family": cfg.family, "enabled": cfg.enabled, "official": cfg.official,
                     "state": state,
                     "today": state.counters.get("items_today", today_n) if state else today_n, "cookie": cookie})
    for name, state in sorted(states.items()):  # states of sources no longer configured
        rows.append({"name": name, "family": "", "enabled": False, "official": False, "state": state,
                     "today": state.counters.get("items_today", 0), "cookie": "—"})
    return render(request, "sources.html", nav="sources", rows=rows, per_source=per_source)


@router.get("/audit")
def audit(request: Request, user: AdminUser):
    """The last changes made through the console, and the users (whose sessions an admin may end)."""
    con = console(request)
    return render(request, "audit.html", nav="audit", entries=con.audit.tail(300), users=con.auth.users.all())


@router.post("/audit/sessions")
def end_sessions(request: Request, user: CsrfUser, username: str = Form("")):
    """End every session of one user, in every console process sharing this data (e.g. after disabling it)."""
    if not user.is_admin:
        raise Forbidden("仅管理员可以结束用户会话")
    con = console(request)
    if con.auth.users.get(username) is None:
        raise BadRequest("用户不存在", 404)
    con.auth.end_sessions(username)
    con.audit.record(user.username, "sessions_ended", f"user:{username}")
    return RedirectResponse("/audit", status_code=303)


@router.get("/outbox")
def outbox(request: Request, user: AdminUser, done: str = ""):
    """推送失败: deliveries that gave up (tracker or notifiers), oldest first, each with 重新推送."""
    con = console(request)
    items = dead_items(con.store, con.config.alerts, con.now())
    rows = [{"item": it, "event": labels.CASE_EVENT.get(str(it.payload.get("event")), str(it.payload.get("event"))),
             "case": it.case_id} for it in items]
    return render(request, "outbox.html", nav="outbox", rows=rows, done=done[:200])


@router.post("/outbox/redrive")
def outbox_redrive(request: Request, user: CsrfUser, item_id: str = Form(""), version: str = Form("")):
    """Put one dead delivery back in the queue (admin only); refused if it changed since the page was shown."""
    if not user.is_admin:
        raise Forbidden("仅管理员可以重新推送")
    con = console(request)
    item = con.store.get_outbox_item(item_id[:300]) if item_id else None
    if item is None:
        raise BadRequest("推送记录不存在", 404)
    if item.status != OutboxStatus.DEAD or str(item.version) != version:
        raise BadRequest("该推送记录已被修改（可能已重新推送），请刷新页面后重试", 409)
    try:
        redrive(con.store, item, con.now())
    except Conflict:
        raise BadRequest("该推送记录刚被修改，请刷新页面后重试", 409) from None
    con.audit.record(user.username, "outbox_redrive", f"outbox:{item.id}", channel=item.channel,
                     case=item.case_id, last_error=(item.last_error or "")[:200])
    return RedirectResponse(f"/outbox?done={item.id}", status_code=303)
