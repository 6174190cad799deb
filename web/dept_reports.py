"""One department's share of the office reports, built on demand for department users.

The office's daily table and weekly sheet cover every department; a department user gets the same
daily table (每日巡查问题汇总和整改分工落实表) with only its own cases, and its own line of the weekly sheet.
Built with ``alerts.report``'s row functions and written to memory, never to the shared reports folder.
"""

from __future__ import annotations

import io
import tempfile
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import Config

if TYPE_CHECKING:
    from storage import CaseStore


@lru_cache(maxsize=4)
def _names(gazetteer: Path | None, taxonomy: Path | None) -> tuple[Any, Any]:
    from nlp.gazetteer import load_gazetteer
    from nlp.taxonomy import load_taxonomy

    return load_gazetteer(gazetteer), load_taxonomy(taxonomy)


def _router(config: Config) -> Any:
    from alerts.routing import Router

    return Router(config.alerts, *_names(config.nlp.gazetteer, config.nlp.taxonomy))


def department_daily(store: Any, config: Config, department: str, day: date, now: datetime) -> tuple[bytes, dict]:
    """The day's table with this department's cases only (.xlsx bytes) and its summary."""
    from alerts.lifecycle import WAITING
    from alerts.report import all_cases, daily_rows, write_daily_workbook

    rows = [r for r in daily_rows(store, _router(config), day) if r.department == department]
    overdue = sum(1 for c in all_cases(store) if c.department == department and c.status not in WAITING
                  and c.due_at is not None and c.due_at < now)
    with tempfile.TemporaryDirectory(prefix="yuqing-dept-") as tmp:
        path = Path(tmp) / "daily.xlsx"
        summary = write_daily_workbook(rows, day, path, overdue=overdue)
        return path.read_bytes(), summary


def department_weekly(store: CaseStore, department: str, week_end: date, now: datetime) -> bytes:
    """This department's line of the weekly sheet (周考核表) for the week ending ``week_end`` (.xlsx bytes)."""
    from datetime import timedelta

    from openpyxl import Workbook

    from alerts.report import WEEKLY_HEADERS, all_cases, weekly_stats

    rows = weekly_stats([c for c in all_cases(store) if c.department == department], week_end, now)
    wb = Workbook()
    ws = wb.active
    ws.title = "部门考核"
    ws["A1"] = f"{department}整改情况周报（{(week_end - timedelta(days=6)).isoformat()} 至 {week_end.isoformat()}）"
    ws.append([])
    ws.append(WEEKLY_HEADERS)
    for r in rows or [[department, 0, 0, 0, ""]]:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
