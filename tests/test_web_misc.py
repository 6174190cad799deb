"""The sources page, report downloads and the audit page."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest

from core import SHANGHAI, SourceHealth, SourceState, load_config
from tests.web_support import _HASH, NOW, USERS, TestClient, login, make_store, post
from web.app import create_app
from web.photos import sniff


@pytest.fixture
def client(tmp_path):
    config = load_config(None, environ={"WEIBO_COOKIE": "x"}, overrides={
        "data_dir": str(tmp_path / "data"), "web.secret_key": "k",
        "web.users": [{**u, "password_hash": _HASH} for u in USERS],
        "sources": [
            {"name": "weibo-search", "family": "weibo", "base_url": "http://127.0.0.1:1", "cookie_env": "WEIBO_COOKIE"},
            {"name": "shequtong", "family": "portal", "base_url": "http://127.0.0.1:2"},
        ],
    })
    # "today" is NOW's Asia/Shanghai day: a post half-way between its midnight and NOW is today at any hour
    since_midnight = NOW.astimezone(SHANGHAI) - NOW.astimezone(SHANGHAI).replace(hour=0, minute=0, second=0)
    today_hours = min(0.1, since_midnight.total_seconds() / 7200)
    store = make_store(tmp_path, [post(1, "今天的帖子", hours=today_hours), post(2, "上周的帖子", hours=24 * 7)])
    store.save_source_state(SourceState(
        name="weibo-search", health=SourceHealth.LOGIN_NEEDED, last_success_at=NOW - timedelta(hours=5),
        last_error="302 to passport.weibo.cn: <login wall>", consecutive_errors=3))
    store.save_source_state(SourceState(name="retired", health=SourceHealth.OK))
    return TestClient(create_app(config, store, clock=lambda: NOW))


def test_sources_page(client):
    login(client, "office")
    html = client.get("/sources").text
    assert 'data-source="weibo-search"' in html and 'data-source="shequtong"' in html
    assert 'data-source="retired"' in html
    assert "需要登录" in html and "需要重新登录" in html and "尚未运行" in html
    assert "&lt;login wall&gt;" in html and "<login wall>" not in html
    assert "微博 1" in html  # one weibo post today


def test_reports_listing_and_download(client):
    con = client.app.state.console
    (con.reports / "daily").mkdir(parents=True)
    (con.reports / "daily" / "每日巡查问题汇总-2026-11-26.xlsx").write_bytes(b"PK\x03\x04fake")
    (con.reports / "notes.txt").write_text("not a report")
    (con.reports.parent / "secret.xlsx").write_bytes(b"outside")
    login(client, "office")
    html = client.get("/reports").text
    assert "每日巡查问题汇总-2026-11-26.xlsx" in html and "notes.txt" not in html
    r = client.get("/reports/daily/每日巡查问题汇总-2026-11-26.xlsx")
    assert r.status_code == 200 and r.content == b"PK\x03\x04fake"
    assert "attachment" in r.headers["content-disposition"]
    for bad in ("/reports/notes.txt", "/reports/../secret.xlsx", "/reports/%2e%2e/secret.xlsx",
                "/reports/daily/missing.xlsx"):
        assert client.get(bad).status_code == 404, bad
    assert client.app.state.console.audit.tail()[0]["action"] == "report_download"


def test_empty_reports(client):
    login(client, "office")
    assert "暂无报表" in client.get("/reports").text


def test_audit_page_for_admin(client):
    token = login(client, "admin")
    pid = post(1, "x").id
    client.post(f"/review/{pid}", data={"csrf": token, "action": "dismiss"})
    html = client.get("/audit").text
    assert "review_dismiss" in html and f"post:{pid}" in html and "admin" in html


def test_sniff():
    assert sniff(b"\xff\xd8\xff\xe0rest") == "jpg" and sniff(b"GIF89a...") == "gif"
    assert sniff(b"RIFF\0\0\0\0WEBPVP8 ") == "webp" and sniff(b"<svg") is None and sniff(b"") is None


def test_generate_reports_now(client):
    pytest.importorskip("alerts.report")
    token = login(client, "office")
    r = client.post("/reports/generate", data={"csrf": token}, follow_redirects=True)
    assert r.status_code == 200
    names = re.findall(r'<a href="/reports/([^"]+\.xlsx)"', r.text)
    assert len(names) == 2 and any("周报" in unquote(n) for n in names)
    got = client.get(f"/reports/{names[0]}")
    assert got.status_code == 200 and got.content.startswith(b"PK")
    token = login(client, "cg")
    assert client.post("/reports/generate", data={"csrf": token}).status_code == 403


def test_healthz_without_login_and_when_the_store_is_down(client):
    ok = client.get("/healthz")
    assert ok.status_code == 200 and ok.json()["status"] == "ok" and ok.json()["store"]["posts"] == 2
    assert "path" not in ok.json()["store"]
    client.app.state.console.store.close()
    down = client.get("/healthz")
    assert down.status_code == 503 and down.json()["status"] == "unavailable" and down.json()["error"]
