"""日报: the office's report files, and each department's own share of them built on demand.

Office users (reviewers, admins) list and download the files the report job wrote under
``<data_dir>/reports/``. Department users never get those office-wide files (they name every
department's cases); they download the same daily table and weekly line for their own department only.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from core import SHANGHAI
from web.auth import User
from web.deps import BadRequest, CsrfUser, CurrentUser, OfficeUser, console, render

router = APIRouter()
REPORT_TYPES = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ".csv": "text/csv; charset=utf-8", ".pdf": "application/pdf",
                ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
XLSX = REPORT_TYPES[".xlsx"]
_REPORT_NAME = re.compile(r"^[\w\-.\u4e00-\u9fff]+$")
OFFICE_ONLY = "全镇汇总报表仅限文明办下载；职能部门请下载本部门日报或周报"


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


def _today(con) -> date:
    return con.now().astimezone(SHANGHAI).date()


@router.get("/reports")
def reports(request: Request, user: CurrentUser):
    """Office users: the report files, newest first. Department users: their own department's reports."""
    con = console(request)
    today = _today(con)
    days = [today - timedelta(days=n) for n in range(7)]
    files = [] if user.role == "department" else _reports(con.reports)
    sent = request.query_params.get("sent", "")
    return render(request, "reports.html", nav="reports", files=files, folder=con.reports, days=days, today=today,
                  sent=int(sent) if sent.isdigit() and len(sent) < 4 else None)


def _department_of(user: User, request: Request, con) -> str:
    """A department user's own department; office users may name any known department."""
    if user.role == "department":
        return user.department or ""
    wanted = request.query_params.get("department", "")
    if wanted not in con.departments:
        raise BadRequest("请选择部门", 400)
    return wanted


#: The earliest report date accepted (far-off dates overflow the day's bounds).
EARLIEST = date(2000, 1, 1)


def _day(value: str, default: date) -> date:
    if not value:
        return default
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadRequest("日期格式应为 YYYY-MM-DD", 400) from None
    if not EARLIEST <= day <= default + timedelta(days=1):
        raise BadRequest(f"日期应在 {EARLIEST} 与 {default + timedelta(days=1)} 之间", 400)
    return day


def _xlsx(data: bytes, filename: str) -> Response:
    return Response(data, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}", "X-Content-Type-Options": "nosniff",
    })


def _department_request(request: Request, user: User, day: str):
    """(console, department, date) of a department report request."""
    con = console(request)
    dept = _department_of(user, request, con)
    return con, dept, _day(day, _today(con))


@router.get("/reports/department/daily.xlsx")
def department_daily(request: Request, user: CurrentUser, day: str = ""):
    """The daily assignment table with one department's cases only, built now."""
    con, dept, when = _department_request(request, user, day)
    from alerts.report import DAILY_TITLE
    from web.dept_reports import department_daily as build

    data, summary = build(con.store, con.config, dept, when, con.now())
    con.audit.record(user.username, "report_download", f"report:daily:{when.isoformat()}", department=dept,
                     rows=summary["total"])
    return _xlsx(data, f"{DAILY_TITLE}-{dept}-{when.isoformat()}.xlsx")


@router.get("/reports/department/weekly.xlsx")
def department_weekly(request: Request, user: CurrentUser, week_end: str = ""):
    """One department's line of the weekly sheet for the 7 days ending ``week_end``, built now."""
    con, dept, when = _department_request(request, user, week_end)
    from web.dept_reports import department_weekly as build

    data = build(con.store, dept, when, con.now())
    con.audit.record(user.username, "report_download", f"report:weekly:{when.isoformat()}", department=dept)
    return _xlsx(data, f"部门整改周报-{dept}-{when.isoformat()}.xlsx")


@router.get("/reports/brief.docx")
def brief(request: Request, user: OfficeUser, kind: str = "daily", day: str = ""):
    """舆情简报 (.docx) for one day or the seven days ending on it, built now from the store."""
    from web.brief import build_brief

    con = console(request)
    if kind not in ("daily", "weekly"):
        raise BadRequest("简报类型应为 daily 或 weekly")
    when = _day(day, _today(con))
    data, title = build_brief(con.store, kind=kind, day=when, now=con.now(), place_names=con.place_names,
                              topic_names=con.topic_names)
    con.audit.record(user.username, "brief_download", f"brief:{kind}:{when.isoformat()}")
    name = quote(f"{title}.docx")
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f"attachment; filename=\"brief.docx\"; filename*=UTF-8''{name}"})


@router.post("/reports/brief/send")
def send_brief(request: Request, user: CsrfUser, kind: str = Form("daily"), day: str = Form("")):
    """Write the brief into the reports folder and queue it for every channel that takes reports
    (``daily_report`` or ``brief`` in its events): mail attaches the .docx, robots get the summary and a link.
    Sending the same brief twice queues nothing new."""
    from core import OutboxItem
    from web.brief import build_brief

    if user.role == "department":
        raise BadRequest("职能部门用户不能发送简报", 403)
    con = console(request)
    if kind not in ("daily", "weekly"):
        raise BadRequest("简报类型应为 daily 或 weekly")
    when = _day(day, _today(con))
    data, title = build_brief(con.store, kind=kind, day=when, now=con.now(), place_names=con.place_names,
                              topic_names=con.topic_names)
    con.reports.mkdir(parents=True, exist_ok=True)
    path = con.reports / f"舆情简报-{'日报' if kind == 'daily' else '周报'}-{when.isoformat()}.docx"
    path.write_bytes(data)
    key = f"brief:{kind}:{when.isoformat()}"
    now = con.now()
    payload = {"event": "brief", "idempotency_key": key, "title": title, "path": str(path), "name": path.name}
    queued = sum(bool(con.store.enqueue(OutboxItem(id=f"{key}:{ch.name}", channel=ch.name, payload=payload,
                                                   created_at=now, next_try_at=now)))
                 for ch in con.config.alerts.channels if {"daily_report", "brief"} & set(ch.events))
    con.audit.record(user.username, "brief_send", key, queued=queued)
    return RedirectResponse(f"/reports?sent={queued}", status_code=303)


@router.post("/reports/generate")
def generate_reports(request: Request, user: CsrfUser):
    """Write today's daily table and this week's sheet now (the daemon also does it on schedule)."""
    if user.role == "department":
        raise BadRequest("职能部门用户不能生成报表", 403)
    con = console(request)
    from alerts.report import daily_report, weekly_report

    today = _today(con)
    daily, _ = daily_report(con.store, con.config, today, now=con.now())
    weekly = weekly_report(con.store, con.config, today, now=con.now())
    con.audit.record(user.username, "report_generate", "reports", files=[daily.name, weekly.name])
    return RedirectResponse("/reports", status_code=303)


@router.get("/reports/{name:path}")
def report_file(request: Request, name: str, user: CurrentUser):
    """Download one office report file (only files inside the reports folder; not for department users)."""
    con = console(request)
    if user.role == "department":
        con.audit.record(user.username, "report_refused", f"report:{name[:200]}")
        raise BadRequest(OFFICE_ONLY, 403)
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
