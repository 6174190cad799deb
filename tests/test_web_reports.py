"""日报 by role: office users get the office-wide files, department users only their own department's share."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from tests.web_support import DEPARTMENT, login, make_client, post

pytest.importorskip("alerts.report")

OTHER = "大场镇市场监管所"


def _open(client, token, post_id, department=None) -> str:
    r = client.post(f"/review/{post_id}", data={"csrf": token, "action": "open_case"}, follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    case_id = r.headers["location"].rsplit("/", 1)[1]
    if department:
        r = client.post(f"/cases/{case_id}/transition", data={"csrf": token, "to": "assigned",
                                                               "department": department}, follow_redirects=False)
        assert r.status_code == 303, r.text[:300]
    return case_id


@pytest.fixture
def client(tmp_path):
    posts = [post(1, "场中路垃圾堆了三天没人管", place="dc-rd-changzhong"),
             post(2, "祁连山路菜场卫生太差", place="dc-rd-qilianshan", topic="food_hygiene")]
    c = make_client(tmp_path, posts=posts)
    token = login(c, "office")
    _open(c, token, posts[0].id, DEPARTMENT)
    _open(c, token, posts[1].id, OTHER)
    assert c.post("/reports/generate", data={"csrf": token}).status_code == 200
    c.cookies.clear()
    return c


def _sheet_text(content: bytes) -> str:
    wb = load_workbook(io.BytesIO(content))
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.values for v in row if v is not None)


def test_department_user_cannot_download_office_wide_reports(client):
    con = client.app.state.console
    office_files = [p.relative_to(con.reports).as_posix() for p in con.reports.rglob("*.xlsx")]
    assert len(office_files) == 2
    login(client, "cg")
    html = client.get("/reports").text
    assert all(name not in html for name in office_files) and "本部门日报" in html and "立即生成" not in html
    for name in office_files:
        r = client.get(f"/reports/{name}")
        assert r.status_code == 403 and "仅限文明办" in r.text and not r.content.startswith(b"PK")
    assert con.audit.tail()[0]["action"] == "report_refused"


def test_department_daily_table_holds_only_its_own_cases(client):
    login(client, "cg")
    r = client.get("/reports/department/daily.xlsx")
    assert r.status_code == 200 and r.content.startswith(b"PK")
    assert DEPARTMENT in unquote(r.headers["content-disposition"])
    text = _sheet_text(r.content)
    assert DEPARTMENT in text and "场中路垃圾" in text
    assert OTHER not in text and "菜场卫生" not in text
    # a department cannot ask for another department's table
    text = _sheet_text(client.get("/reports/department/daily.xlsx", params={"department": OTHER}).content)
    assert OTHER not in text
    weekly = _sheet_text(client.get("/reports/department/weekly.xlsx").content)
    assert DEPARTMENT in weekly and OTHER not in weekly
    entry = client.app.state.console.audit.tail()[0]
    assert entry["actor"] == "cg" and entry["department"] == DEPARTMENT and entry["action"] == "report_download"
    assert client.get("/reports/department/daily.xlsx", params={"day": "昨天"}).status_code == 400
    for path, key, value in (("daily", "day", "9999-12-31"), ("weekly", "week_end", "0001-01-01")):
        r = client.get(f"/reports/department/{path}.xlsx", params={key: value})  # would overflow the day's bounds
        assert r.status_code == 400 and "日期应在" in r.text


def test_office_gets_the_whole_table_and_any_departments_share(client):
    login(client, "office")
    con = client.app.state.console
    daily = next(p for p in con.reports.rglob("*.xlsx") if "周报" not in p.name)
    whole = _sheet_text(client.get(f"/reports/{daily.relative_to(con.reports).as_posix()}").content)
    assert DEPARTMENT in whole and OTHER in whole
    part = _sheet_text(client.get("/reports/department/daily.xlsx", params={"department": OTHER}).content)
    assert OTHER in part and DEPARTMENT not in part
    assert client.get("/reports/department/daily.xlsx", params={"department": "不存在"}).status_code == 400
