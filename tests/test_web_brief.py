"""舆情简报: the .docx brief read back with python-docx, on a fixed clock."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from docx import Document

from core import SHANGHAI
from storage.sqlite import SQLiteStore
from tests.web_support import DEPARTMENT, TestClient, login, make_config
from tests.web_support import post as sample_post
from web.app import create_app

#: A fixed "now" (the first day of a month, 10:00 in Shanghai): nothing here depends on today's date.
NOW = datetime(2027, 3, 1, 10, 0, tzinfo=SHANGHAI)
DAY = NOW.date()


def post(n: int, text: str, *, hours: float, **fields):
    """A sample post published ``hours`` before :data:`NOW`."""
    return sample_post(n, text, **fields).model_copy(update={"published_at": NOW - timedelta(hours=hours)})


def week_posts():
    return [
        post(1, "场中路菜场门口垃圾堆了三天没人管", hours=2, cluster_id="a"),
        post(2, "场中路菜场门口垃圾堆了三天没人管！", hours=3, cluster_id="a", source="wechat:dachang"),
        post(3, "场中路垃圾又堆起来了", hours=4),
        post(4, "祁连山路店招松动", hours=5, topic="shop_signs", place="qilianshanlu", place_name="祁连山路"),
        post(5, "大场公园很漂亮", hours=6, topic="greenery", complaint=False, sentiment="positive"),
        post(6, "场中路垃圾上周就有", hours=24 * 3, cluster_id="b"),
    ]


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += ["|".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(parts)


@pytest.fixture
def client(tmp_path):
    store = SQLiteStore(tmp_path / "y.db")
    store.upsert_posts(week_posts(), refresh=True)
    c = TestClient(create_app(make_config(tmp_path), store, clock=lambda: NOW))
    con = c.app.state.console
    case = con.cases.flag([week_posts()[0].id], "office")
    con.cases.transition(case.id, "assigned", "office", "reviewer", department=DEPARTMENT)
    return c


def test_daily_and_weekly_briefs(client):
    login(client, "office")
    r = client.get("/reports/brief.docx", params={"kind": "daily", "day": DAY.isoformat()})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r.headers["content-disposition"]
    text = text_of(r.content)
    assert f"舆情日报（{DAY.isoformat()}）" in text
    assert "投诉 4 条" in text and "负面 4 条" in text  # posts 1–4 are the day's complaints
    # the top event: 场中路 · 市容环境, the two near-duplicates counted once
    assert "1. 场中路 · 市容环境：投诉 2 起（帖子 3 条，来源 2 个）" in text
    assert f"{DEPARTMENT}|1|0|0" in text
    assert len(Document(io.BytesIO(r.content)).inline_shapes) == 1  # the chart
    weekly = text_of(client.get("/reports/brief.docx", params={"kind": "weekly", "day": DAY.isoformat()}).content)
    assert "舆情周报" in weekly and "场中路|3" in weekly
    # three days' quiet before today's posts: the earlier complaint is an event of its own
    assert "场中路 · 市容环境：投诉 2 起（帖子 3 条" in weekly and "场中路 · 市容环境：投诉 1 起（帖子 1 条" in weekly
    actions = [e["action"] for e in client.app.state.console.audit.tail()]
    assert actions[:2] == ["brief_download", "brief_download"]


def test_the_default_day_is_the_consoles_today(client):
    login(client, "office")
    assert f"舆情日报（{DAY.isoformat()}）" in text_of(client.get("/reports/brief.docx").content)


def test_brief_is_for_the_office(client):
    login(client, "cg")
    assert client.get("/reports/brief.docx").status_code == 403
    assert "舆情简报" not in client.get("/reports").text


def test_bad_kind_is_a_400(client):
    login(client, "office")
    assert client.get("/reports/brief.docx", params={"kind": "yearly"}).status_code == 400


def test_the_brief_goes_out_through_the_channels_once(tmp_path):
    """Mail gets the .docx attached (a real local SMTP server); sending twice queues nothing new."""
    from alerts.delivery import Deliverer
    from core import load_config
    from tests.alerts_support import smtp_server
    from tests.web_support import _HASH, USERS, csrf_of

    with smtp_server() as (port, received):
        config = load_config(None, environ={}, overrides={
            "data_dir": str(tmp_path / "data"), "web.users": [{**u, "password_hash": _HASH} for u in USERS],
            "web.secret_key": "k", "alerts.console_url": "http://console.local:8800",
            "alerts.channels": [{"type": "email", "name": "mail", "host": "127.0.0.1", "port": port,
                                 "sender": "yq@town.local", "recipients": ["office@town.local"],
                                 "events": ["daily_report"], "quiet_hours": False}],
        })
        store = SQLiteStore(tmp_path / "y.db")
        store.upsert_posts(week_posts(), refresh=True)
        client = TestClient(create_app(config, store, clock=lambda: NOW))
        login(client, "office")
        page = client.get("/reports").text
        r = client.post("/reports/brief/send", data={"csrf": csrf_of(page), "kind": "daily", "day": DAY.isoformat()})
        assert r.status_code == 200 and "已排队发送到 1 个渠道" in r.text
        r = client.post("/reports/brief/send", data={"csrf": csrf_of(page), "kind": "daily", "day": DAY.isoformat()})
        assert "已排队发送到 0 个渠道" in r.text
        assert Deliverer(store, config, clock=lambda: NOW).drain().sent == 1
    import email
    from email import policy

    (envelope,) = received
    mail = email.message_from_bytes(envelope.content, policy=policy.default)
    attachments = list(mail.iter_attachments())
    assert len(attachments) == 1 and attachments[0].get_filename().endswith(".docx")
    assert f"舆情日报（{DAY.isoformat()}）" in text_of(attachments[0].get_content())
