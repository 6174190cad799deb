"""数据源, 日报 and 审计: source health, report downloads, the audit trail."""

from __future__ import annotations

import os
import re
from datetime import datetime, time

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse

from core import SHANGHAI
from storage import PostQuery
from web.deps import AdminUser, BadRequest, CsrfUser, CurrentUser, OfficeUser, console, render

router = APIRouter()
REPORT_TYPES = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ".csv": "text/csv; charset=utf-8", ".pdf": "application/pdf"}
_REPORT_NAME = re.compile(r"^[\w\-.\u4e00-\u9fff]+$")


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
        rows.append({"name": cfg.name, "family": cfg.family, "enabled": cfg.enabled, "state": state,
                     "today": state.counters.get("items_today", today_n) if state else today_n, "cookie": cookie})
    for name, state in sorted(states.items()):  # states of sources no longer configured
        rows.append({"name": name, "family": "", "enabled": False, "state": state,
                     "today": state.counters.get("items_today", 0), "cookie": "—"})
    return render(request, "sources.html", nav="sources", rows=rows, per_source=per_source)


def _reports(folder) -> list[dict]:
    if not folder.is_dir():
        return []
    out = []
    for p in folder.rglob("*"):
        if p.is_file() and p.suffix.lower() in REPORT_TYPES:
            st = p.stat()
            out.append({"name": p.relative_to(folder).as_posix(), "size": st.st_size,
                        "mtime": datetime.fromtimestamp(st.st_mtime, SHANGHAI)})
    return sorted(out, key=lambda r: r["mtime"], reverse=True)[:200]


@router.get("/reports")
def reports(request: Request, user: CurrentUser):
    """The daily assignment tables and weekly sheets the report job wrote, newest first."""
    con = console(request)
    return render(request, "reports.html", nav="reports", files=_reports(con.reports), folder=con.reports)


@router.post("/reports/generate")
def generate_reports(request: Request, user: CsrfUser):
    """Write today's daily table and this week's sheet now (the daemon also does it on schedule)."""
    if user.role == "department":
        raise BadRequest("职能部门用户不能生成报表", 403)
    con = console(request)
    try:
        from alerts.report import daily_report, weekly_report
    except ImportError:
        raise BadRequest("报表模块不可用", 503) from None
    today = con.now().astimezone(SHANGHAI).date()
    daily, _ = daily_report(con.store, con.config, today, now=con.now())
    weekly = weekly_report(con.store, con.config, today, now=con.now())
    con.audit.record(user.username, "report_generate", "reports", files=[daily.name, weekly.name])
    return RedirectResponse("/reports", status_code=303)


@router.get("/reports/{name:path}")
def report_file(request: Request, name: str, user: CurrentUser):
    """Download one report file (only files inside the reports folder)."""
    con = console(request)
    parts = name.split("/")
    if not all(_REPORT_NAME.match(p) and p not in (".", "..") for p in parts):
        raise BadRequest("报表不存在", 404)
    path = (con.reports / name).resolve()
    root = con.reports.resolve()
    if root not in path.parents or not path.is_file() or path.suffix.lower() not in REPORT_TYPES:
        raise BadRequest("报表不存在", 404)
    con.audit.record(user.username, "report_download", f"report:{name}")
    return FileResponse(path, media_type=REPORT_TYPES[path.suffix.lower()], filename=path.name,
                        headers={"X-Content-Type-Options": "nosniff"})


@router.get("/audit")
def audit(request: Request, user: AdminUser):
    """The last changes made through the console."""
    return render(request, "audit.html", nav="audit", entries=console(request).audit.tail(300))
