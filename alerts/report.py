"""The daily assignment table (每日巡查问题汇总和整改分工落实表) and the weekly department sheet, as .xlsx.

Rows are built by pure functions over cases and their posts; openpyxl writes them. Files are kept
under ``alerts.reports_dir`` (default ``<data_dir>/reports``) for download from the console.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from alerts.lifecycle import STATUS_ZH, WAITING
from alerts.routing import Router
from alerts.trends import trends_from_store
from core import SHANGHAI, Case, CaseStatus, Config, Post, labels
from storage.base import CaseQuery, CaseStore

DAILY_TITLE = "每日巡查问题汇总和整改分工落实表"
DAILY_HEADERS = ["序号", "发现时间", "来源", "地点/网格", "问题类型", "问题描述", "原帖链接", "责任部门", "整改时限",
                 "状态", "备注"]
WEEKLY_HEADERS = ["责任部门", "接收案件数", "按期整改数", "超期数", "办结时长中位数（小时）"]
_WIDTHS = [6, 17, 16, 20, 10, 48, 40, 18, 17, 8, 36]
SOURCE_ZH = labels.SOURCE_FAMILY  # the one table of Chinese labels (core.labels)


def _local(dt: datetime | None) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if dt else ""


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The Asia/Shanghai day as an aware [start, end) interval."""
    start = datetime.combine(day, time(0), SHANGHAI)
    return start, start + timedelta(days=1)


def found_at(case: Case, start: datetime, end: datetime) -> datetime | None:
    """When the case was found (opened, or reopened) within [start, end), if it was."""
    if start <= case.opened_at < end:
        return case.opened_at
    return next((e.at for e in reversed(case.history) if e.action == "reopened" and start <= e.at < end), None)


def rectified_at(case: Case) -> datetime | None:
    """When the department first reported the case rectified."""
    return next((e.at for e in case.history if e.to_status is CaseStatus.RECTIFIED), None)


def source_label(source: str) -> str:
    """``wechat:大场发布`` → 微信公众号「大场发布」."""
    family, _, name = source.partition(":")
    label = SOURCE_ZH.get(family, family)
    return f"{label}「{name}」" if family == "wechat" and name else label


@dataclass(frozen=True)
class DailyRow:
    """One line of the daily table."""

    found: datetime
    source: str
    place: str
    topic: str
    description: str
    links: list[str]
    department: str
    due: datetime | None
    status: str
    remark: str
    case_id: str
    urgent: bool

    def cells(self, n: int) -> list[Any]:
        """The row's cells, in DAILY_HEADERS order."""
        return [n, _local(self.found), self.source, self.place, self.topic, self.description,
                "\n".join(self.links), self.department, _local(self.due), self.status, self.remark]


def daily_row(case: Case, found: datetime, posts: list[Post], router: Router) -> DailyRow:
    """The table line for one case (pure)."""
    sources = list(dict.fromkeys(source_label(p.source) for p in posts)) or ["人工标记"]
    first = posts[0] if posts else None
    excerpt = re.sub(r"\s+", " ", first.text)[:100] if first else ""
    description = f"{case.title}：{excerpt}" if excerpt else case.title
    if len(case.evidence) > 1:
        description += f"（相关投诉{len(case.evidence)}条）"
    remarks = []
    if case.spike is not None:
        s = case.spike
        remarks.append(f"自动预警：{_local(s.window_start)}起投诉{s.count:g}条，基线{s.baseline:.1f}")
    escalations = sum(1 for e in case.history if e.action == "escalated")
    if escalations:
        remarks.append(f"已督办{escalations}次")
    if any(e.action == "reopened" for e in case.history):
        remarks.append("整改后复发重开")
    notes = [e.note for e in case.history if e.note and e.action in ("note", "status", "flagged")]
    if notes:
        remarks.append(notes[-1])
    place = case.place.name if case.place else router.place_name(case.key.split("|")[0])
    return DailyRow(
        found=found, source="、".join(sources[:4]), place=f"{place} / {case.grid or '—'}",
        topic=router.topic_name(case.topic), description=description,
        links=[p.url for p in posts if p.url][:3], department=case.department or "待分派", due=case.due_at,
        status=STATUS_ZH.get(case.status, case.status.value), remark="；".join(remarks), case_id=case.id,
        urgent=case.severity.value == "urgent",
    )


def all_cases(store: CaseStore) -> list[Case]:
    """Every case (paged)."""
    out: list[Case] = []
    while True:
        page = store.list_cases(CaseQuery(offset=len(out), limit=500))
        out.extend(page.items)
        if not page.items or len(out) >= page.total:
            return out


def daily_rows(store: Any, router: Router, day: date) -> list[DailyRow]:
    """The day's cases as table lines, by department then time found."""
    start, end = day_bounds(day)
    rows = []
    for case in all_cases(store):
        found = found_at(case, start, end)
        if found is not None:
            posts = store.get_posts(case.evidence[:20])
            rows.append(daily_row(case, found, posts, router))
    return sorted(rows, key=lambda r: (r.department, r.found, r.case_id))


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:28] or "未分派"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base[:26]}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _header(ws: Any, headers: list[str], row: int) -> None:
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, text in enumerate(headers, 1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font, cell.fill = Font(bold=True), fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def trend_sheet(wb: Any, trends: list[Any], router: Router | None) -> None:
    """A 持续上升 sheet: keys whose complaints rise steadily over weeks (a trend, not a spike case)."""
    ws = wb.create_sheet("持续上升")
    ws["A1"] = "持续上升（近四周投诉逐周上升，非突增案件，供研判）"
    ws["A1"].font = Font(bold=True, size=12)
    _header(ws, ["点位", "问题类型", "近四周每周投诉（早→近）", "四周升幅（倍）", "显著性 z"], 2)
    for t in trends:
        place = router.place_name(t.place_id) if router else t.place_id
        topic = router.topic_name(t.topic) if router and t.topic else (t.topic or "全部")
        ws.append([spreadsheet_safe(place), spreadsheet_safe(topic), " → ".join(map(str, t.weekly)), t.ratio, t.z])
    if not trends:
        ws.append(["（无）"])
    for col, width in enumerate([22, 14, 26, 14, 10], 1):
        ws.column_dimensions[get_column_letter(col)].width = width


def write_daily_workbook(rows: list[DailyRow], day: date, path: Path, *, overdue: int = 0,
                         trends: list[Any] | None = None, router: Router | None = None) -> dict[str, Any]:
    """Write the workbook (summary sheet + one sheet per department, + 持续上升 when ``trends`` is given)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    title = f"{DAILY_TITLE}（{day.year}年{day.month}月{day.day}日）"
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:E1")
    _header(ws, ["责任部门", "新发现问题", "其中紧急", "整改时限最早", "工作表"], 3)
    by_dept: dict[str, list[DailyRow]] = {}
    for r in rows:
        by_dept.setdefault(r.department, []).append(r)
    taken = {"汇总"}
    for dept, items in sorted(by_dept.items()):
        name = _sheet_name(dept, taken)
        dues = [r.due for r in items if r.due]
        ws.append([dept, len(items), sum(r.urgent for r in items), _local(min(dues)) if dues else "", name])
        sheet = wb.create_sheet(name)
        sheet["A1"] = f"{title} — {dept}"
        sheet["A1"].font = Font(bold=True, size=12)
        _header(sheet, DAILY_HEADERS, 2)
        for n, r in enumerate(items, 1):
            sheet.append([spreadsheet_safe(v) for v in r.cells(n)])
            if r.links and r.links[0].lower().startswith(("http://", "https://")):
                sheet.cell(row=n + 2, column=7).hyperlink = r.links[0]
            for col in (3, 4, 6, 7, 11):
                sheet.cell(row=n + 2, column=col).alignment = Alignment(wrap_text=True, vertical="top")
        for col, width in enumerate(_WIDTHS, 1):
            sheet.column_dimensions[get_column_letter(col)].width = width
        sheet.freeze_panes = "A3"
    total_row = ws.max_row + 1
    ws.cell(row=total_row, column=1, value="合计").font = Font(bold=True)
    ws.cell(row=total_row, column=2, value=len(rows))
    ws.cell(row=total_row, column=3, value=sum(r.urgent for r in rows))
    ws.cell(row=total_row + 2, column=1, value=f"另有超期未整改案件 {overdue} 件。整改时限内请上传整改照片并反馈。")
    if trends is not None:
        ws.cell(row=total_row + 3, column=1, value=f"持续上升点位 {len(trends)} 个（见“持续上升”工作表）。")
        trend_sheet(wb, trends, router)
    for col, width in enumerate([22, 12, 10, 18, 22], 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)
    return {"day": day.isoformat(), "total": len(rows), "urgent": sum(r.urgent for r in rows), "overdue": overdue,
            "by_department": {d: len(v) for d, v in sorted(by_dept.items())},
            **({"rising": len(trends)} if trends is not None else {})}


def reports_dir(config: Config) -> Path:
    """Where reports are kept: ``alerts.reports_dir`` (relative to ``data_dir``), default ``<data_dir>/reports``."""
    return config.data_dir / (config.alerts.reports_dir or "reports")


def daily_report(store: Any, config: Config, day: date, *, router: Router | None = None, now: datetime | None = None,
                 out_dir: Path | None = None) -> tuple[Path, dict[str, Any]]:
    """Build and keep the day's table; returns the file and its summary (for the channels)."""
    router = router or _router(config)
    rows = daily_rows(store, router, day)
    now = now or day_bounds(day)[1]
    # overdue now: open, waiting on the department (not rectified, verified or closed), past the deadline
    overdue = sum(1 for c in all_cases(store) if c.status not in WAITING and c.due_at is not None and c.due_at < now)
    path = (out_dir or reports_dir(config)) / f"{DAILY_TITLE}-{day.isoformat()}.xlsx"
    trends = trends_from_store(store, config, day_bounds(day)[1])
    return path, write_daily_workbook(rows, day, path, overdue=overdue, trends=trends, router=router)


def spreadsheet_safe(value: object) -> object:
    """Text that a spreadsheet will not run as a formula (=, +, -, @, tab or CR at the start get a quote)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def is_overdue(case: Case, now: datetime) -> bool:
    """Past its deadline and not rectified in time (a case dismissed without rectification is not overdue)."""
    if case.due_at is None:
        return False
    done = rectified_at(case)
    if done is None and case.status is CaseStatus.CLOSED:
        return False
    return (done or now) > case.due_at


def weekly_stats(cases: list[Case], week_end: date, now: datetime) -> list[list[Any]]:
    """Per department, for cases received in the 7 days ending ``week_end``: received, rectified on time,
    overdue, and the median hours from opening to closing (of those closed)."""
    start, _ = day_bounds(week_end - timedelta(days=6))
    _, end = day_bounds(week_end)
    groups: dict[str, list[Case]] = {}
    for c in cases:
        if start <= c.opened_at < end:
            groups.setdefault(c.department or "待分派", []).append(c)
    rows = []
    for dept, items in sorted(groups.items()):
        on_time = sum(1 for c in items if (r := rectified_at(c)) is not None and c.due_at and r <= c.due_at)
        late = sum(1 for c in items if is_overdue(c, now))
        hours = [(c.closed_at - c.opened_at).total_seconds() / 3600 for c in items if c.closed_at]
        rows.append([dept, len(items), on_time, late, round(statistics.median(hours), 1) if hours else ""])
    return rows


def weekly_report(store: Any, config: Config, week_end: date, *, now: datetime | None = None,
                  out_dir: Path | None = None) -> Path:
    """Write the weekly department sheet (周考核表) for the week ending ``week_end``."""
    now = now or day_bounds(week_end)[1]
    rows = weekly_stats(all_cases(store), week_end, now)
    wb = Workbook()
    ws = wb.active
    ws.title = "部门考核"
    ws["A1"] = f"各部门整改情况周报（{(week_end - timedelta(days=6)).isoformat()} 至 {week_end.isoformat()}）"
    ws["A1"].font = Font(bold=True, size=13)
    _header(ws, WEEKLY_HEADERS, 3)
    for r in rows:
        ws.append(r)
    totals = Counter()
    for r in rows:
        totals.update({"n": r[1], "ok": r[2], "late": r[3]})
    ws.append(["合计", totals["n"], totals["ok"], totals["late"], ""])
    for col, width in enumerate([22, 12, 12, 10, 22], 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    trend_sheet(wb, trends_from_store(store, config, day_bounds(week_end)[1]), _router(config))
    path = (out_dir or reports_dir(config)) / f"部门整改周报-{week_end.isoformat()}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _router(config: Config) -> Router:
    from nlp.gazetteer import load_gazetteer
    from nlp.taxonomy import load_taxonomy

    return Router(config.alerts, load_gazetteer(config.nlp.gazetteer), load_taxonomy(config.nlp.taxonomy))


def write_daily(store: Any, config: Config, day: date, *, now: datetime | None = None, deliver: bool = True
                ) -> list[Path]:
    """The daemon's job: build the day's table, keep it, and queue it for the channels that take it."""
    from alerts.outbox import Outbox

    path, summary = daily_report(store, config, day, now=now)
    if deliver:
        kwargs = {"clock": (lambda: now)} if now is not None else {}
        Outbox(store, config.alerts, **kwargs).publish_report(day.isoformat(), str(path), summary)
    return [path]
