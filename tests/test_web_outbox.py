"""推送失败 (admin): dead deliveries listed, re-driven with CSRF and an audit entry, refused when stale, and then
really delivered to a local WeCom robot."""

from __future__ import annotations

from datetime import timedelta

from alerts.cases import CaseService
from alerts.delivery import Deliverer
from alerts.detectors import SpikeMatch
from core import OutboxStatus, load_config
from storage.sqlite import SQLiteStore
from tests.alerts_support import T0, Clock, Receiver
from tests.web_support import _HASH, USERS, TestClient, login
from web.app import create_app


class Robot:
    """A WeCom robot whose key is changed by the test (a wrong key is refused with errcode 93000)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, rx, path, query, headers, body):
        if query.get("key") != self.key:
            return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
        return 200, {"errcode": 0, "errmsg": "ok"}


def test_dead_deliveries_are_listed_and_redriven(tmp_path) -> None:
    robot = Robot("new-key")
    clock = Clock(T0)
    with Receiver(robot) as rx:
        config = load_config(None, environ={}, overrides={
            "data_dir": str(tmp_path / "data"), "web.secret_key": "k",
            "web.users": [{**u, "password_hash": _HASH} for u in USERS],
            "alerts.channels": [{"type": "wecom", "name": "wx", "url": f"{rx.url}/cgi-bin/webhook/send",
                                 "key": "old-key", "quiet_hours": False}],
        })
        store = SQLiteStore(tmp_path / "y.db")
        cases = CaseService(store, config, clock=clock)
        b = T0.replace(minute=0)
        case = cases.open_or_update(SpikeMatch(key="dc-rd-changzhong|sanitation", detector="spike", bucket=b,
                                               window_start=b - timedelta(hours=23), window_end=b + timedelta(hours=1),
                                               count=7, baseline=1, score=7))
        assert Deliverer(store, config, clock=clock).deliver_due().dead == 1
        item_id = f"{case.id}:1:wx"
        client = TestClient(create_app(config, store, cases=cases, clock=clock))

        office = login(client, "office")
        assert client.get("/outbox").status_code == 403
        r = client.post("/outbox/redrive", data={"csrf": office, "item_id": item_id, "version": "1"},
                        follow_redirects=False)
        assert r.status_code == 403

        client.cookies.clear()
        admin = login(client, "admin")
        page = client.get("/outbox").text
        row = page.split(f'data-item="{item_id}"', 1)[1].split("</tr>", 1)[0]
        assert "wx" in row and "新案件" in row and "93000" in row and "重新推送" in row
        dead = store.get_outbox_item(item_id)
        assert client.post("/outbox/redrive", data={"item_id": item_id, "version": str(dead.version)}
                           ).status_code == 403  # no CSRF token
        r = client.post("/outbox/redrive", data={"csrf": admin, "item_id": item_id,
                                                 "version": str(dead.version - 1)}, follow_redirects=False)
        assert r.status_code == 409 and "刷新" in r.text  # the page was stale
        r = client.post("/outbox/redrive", data={"csrf": admin, "item_id": item_id, "version": str(dead.version)},
                        follow_redirects=False)
        assert r.status_code == 303
        back = store.get_outbox_item(item_id)
        assert back.status == OutboxStatus.PENDING and back.attempts == 0 and back.next_try_at == clock()
        r = client.post("/outbox/redrive", data={"csrf": admin, "item_id": item_id, "version": str(dead.version)},
                        follow_redirects=False)
        assert r.status_code == 409  # a second click changes nothing
        assert f'data-item="{item_id}"' not in client.get("/outbox").text
        audit = [e for e in client.app.state.console.audit.tail() if e["action"] == "outbox_redrive"]
        assert len(audit) == 1 and audit[0]["target"] == f"outbox:{item_id}" and audit[0]["actor"] == "admin"

        robot.key = "old-key"  # the robot fixed on its side: the re-driven message now goes through
        assert Deliverer(store, config, clock=clock).deliver_due().sent == 1
        assert store.get_outbox_item(item_id).status == OutboxStatus.SENT
        assert len(rx.requests) == 2
