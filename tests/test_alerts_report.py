"""The daily .xlsx opens and its rows match the cases; the weekly sheet; the table mailed to a real SMTP server."""

from __future__ import annotations

import email
import email.policy
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from alerts.cases import CaseService
from alerts.delivery import Deliverer
from alerts.detectors import SpikeMatch
from alerts.report import DAILY_HEADERS, WEEKLY_HEADERS, daily_report, weekly_report
from core import CaseStatus
from storage.sqlite import SQLiteStore
from tests.alerts_support import T0, Clock, complaint, config, smtp_server

DAY = date(2026, 11, 26)


@pytest.fixture
def store(sqlite_path: Path):
    s = SQLiteStore(sqlite_path)
    yield s
    s.close()


def spike(key: str, post_ids: list[str]) -> SpikeMatch:
    b = T0.replace(minute=0)
    return SpikeMatch(key=key, detector="spike", bucket=b, window_start=b - timedelta(hours=23),
                      window_end=b + timedelta(hours=1), count=6, baseline=1, score=6, post_ids=tuple(post_ids))


def seeded(store: SQLiteStore, tmp_path: Path, clock: Clock, **alerts) -> tuple[CaseService, list]:
    svc = CaseService(store, config(tmp_path, **alerts), clock=clock)
    a = [complaint(i, T0 - timedelta(hours=1)) for i in range(3)]
    b = [complaint(10 + i, T0, place="dc-rd-hutai", topic="food_hygiene", source="wechat:大场发布") for i in range(2)]
    store.upsert_posts(a + b)
    clock.now = T0 - timedelta(days=1)
    old = svc.open_or_update(spike("dc-rd-nanda|sanitation", []))  # yesterday: not in today's table
    clock.now = T0
    c1 = svc.open_or_update(spike("dc-rd-changzhong|sanitation", [p.id for p in a]))
    c2 = svc.open_or_update(spike("dc-rd-hutai|food_hygiene", [p.id for p in b]))
    clock.advance(hours=1)
    c3 = svc.flag([a[0].id], "office1", topic="parking", note="占用消防通道")
    return svc, [old, c1, c2, c3]


def test_daily_table_rows_match_the_cases(store: SQLiteStore, tmp_path: Path) -> None:
    clock = Clock(T0)
    _, (old, c1, c2, c3) = seeded(store, tmp_path, clock)
    path, summary = daily_report(store, config(tmp_path), DAY, now=clock.now)
    assert path.parent == tmp_path / "var" / "reports" and path.name.endswith("2026-11-26.xlsx")
    assert summary["total"] == 3 and summary["urgent"] == 1
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "汇总"
    assert wb.sheetnames[-1] == "持续上升" and wb["持续上升"]["A3"].value == "（无）"  # no steady rise here
    assert set(wb.sheetnames[1:-1]) == {"大场镇城管中队", "大场市场监管所", "大场派出所交警中队"}
    assert "每日巡查问题汇总和整改分工落实表（2026年11月26日）" in wb["汇总"]["A1"].value
    rows = {}
    for name in wb.sheetnames[1:-1]:
        ws = wb[name]
        assert [c.value for c in ws[2]] == DAILY_HEADERS
        for line in ws.iter_rows(min_row=3, values_only=True):
            rows[(line[3], line[4])] = dict(zip(DAILY_HEADERS, line, strict=True))
    assert len(rows) == 3
    r1 = rows[("场中路 / DC-02", "市容环境")]
    assert r1["发现时间"] == "2026-11-26 10:00" and r1["责任部门"] == c1.department == "大场镇城管中队"
    assert r1["整改时限"] == "2026-11-29 10:00" and r1["状态"] == "新发现" and r1["来源"] == "社区通"
    assert r1["原帖链接"].splitlines()[0] == "http://127.0.0.1/post/0" and "自动预警" in r1["备注"]
    assert "场中路" in r1["问题描述"] and "相关投诉3条" in r1["问题描述"]
    r2 = rows[("沪太路 / DC-05", "食品卫生")]
    assert r2["责任部门"] == "大场市场监管所" and r2["整改时限"] == "2026-11-27 10:00"
    assert r2["来源"] == "微信公众号「大场发布」"
    r3 = rows[("场中路 / DC-02", "乱停车")]
    assert r3["发现时间"] == "2026-11-26 11:00" and r3["备注"] == "占用消防通道" and c3.department == r3["责任部门"]
    assert wb["大场市场监管所"]["G3"].hyperlink.target.startswith("http://127.0.0.1/post/")
    assert old.id not in {c1.id, c2.id, c3.id}


def test_weekly_sheet(store: SQLiteStore, tmp_path: Path) -> None:
    clock = Clock(T0)
    svc, (_, c1, _, _) = seeded(store, tmp_path, clock)
    dept = "大场镇城管中队"
    svc.transition(c1.id, CaseStatus.ASSIGNED, "o", "reviewer")
    svc.transition(c1.id, CaseStatus.IN_PROGRESS, "d", "department", department=dept)
    clock.advance(hours=30)
    svc.transition(c1.id, CaseStatus.RECTIFIED, "d", "department", department=dept, note="已清运", photos=["a.jpg"])
    svc.transition(c1.id, CaseStatus.VERIFIED, "o", "reviewer")
    clock.advance(hours=5)
    svc.transition(c1.id, CaseStatus.CLOSED, "o", "reviewer")
    path = weekly_report(store, config(tmp_path), DAY + timedelta(days=2), now=T0 + timedelta(days=2))
    ws = load_workbook(path).active
    assert [c.value for c in ws[3]] == WEEKLY_HEADERS
    data = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert data[dept][1:] == (2, 1, 0, 36)  # received (incl. yesterday's), on time, overdue, median hours
    assert data["大场市场监管所"][1:4] == (1, 0, 1)  # urgent, 24 h deadline passed unrectified
    assert data["合计"][1] == 4


def test_daily_table_goes_out_by_mail(store: SQLiteStore, tmp_path: Path) -> None:
    clock = Clock(T0)
    with smtp_server() as (port, mails):
        channels = [{"type": "email", "name": "mail", "port": port, "recipients": ["wmb@example.cn"],
                     "events": ["daily_report"]}]
        svc, _ = seeded(store, tmp_path, clock, channels=channels)
        cfg = config(tmp_path, channels=channels)
        path, summary = daily_report(store, cfg, DAY, now=clock.now)
        assert svc.outbox.publish_report(DAY.isoformat(), str(path), summary) == 1
        assert svc.outbox.publish_report(DAY.isoformat(), str(path), summary) == 0  # once per day
        assert Deliverer(store, cfg, clock=clock).deliver_due().sent == 1
    (mail,) = mails
    msg = email.message_from_bytes(mail.content, policy=email.policy.default)
    assert "每日巡查问题汇总和整改分工落实表" in msg["Subject"]
    (att,) = list(msg.iter_attachments())
    assert att.get_filename() == path.name and att.get_content() == path.read_bytes()
    assert "新发现问题 3 件" in msg.get_body(("plain",)).get_content()


def test_the_daemon_job_writes_and_queues_the_table_once(store: SQLiteStore, tmp_path: Path) -> None:
    from alerts.report import write_daily

    clock = Clock(T0)
    channels = [{"type": "webhook", "name": "grid", "url": "http://x.test/", "events": ["daily_report"]}]
    seeded(store, tmp_path, clock, channels=channels)
    cfg = config(tmp_path, channels=channels)
    (path,) = write_daily(store, cfg, DAY, now=clock.now)
    assert path.is_file()
    write_daily(store, cfg, DAY, now=clock.now)
    item = store.get_outbox_item("report:2026-11-26:grid")
    assert item is not None and item.payload["summary"]["total"] == 3
    assert store.outbox_stats(clock.now)["pending"] == 1  # the cases' own events go to no channel here


def test_spreadsheet_safe_neutralises_formulas() -> None:
    from alerts.report import spreadsheet_safe

    assert spreadsheet_safe('=HYPERLINK("http://evil/","x")') == '\'=HYPERLINK("http://evil/","x")'
    assert spreadsheet_safe("-1+2") == "'-1+2" and spreadsheet_safe("@cmd") == "'@cmd"
    assert spreadsheet_safe("场中路垃圾") == "场中路垃圾" and spreadsheet_safe(3) == 3
