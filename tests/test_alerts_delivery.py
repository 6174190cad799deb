"""Delivery: exact webhook requests and signatures, backoff with a ceiling, permanent failures, quiet hours,
and the DingTalk signed URL against a real local receiver."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from alerts.cases import CaseService
from alerts.delivery import Deliverer, backoff_seconds
from alerts.detectors import SpikeMatch
from alerts.outbox import release_time
from core import SHANGHAI, OutboxStatus
from core.config import QuietHoursConfig
from storage.sqlite import SQLiteStore
from tests.alerts_support import T0, Clock, Receiver, config


@pytest.fixture
def store(sqlite_path: Path):
    s = SQLiteStore(sqlite_path)
    yield s
    s.close()


#: The wall clock the channels sign with in these tests: fixed, and far from the case clock T0.
WALL = T0.timestamp() + 40 * 86400 + 0.25


@pytest.fixture(autouse=True)
def _wall_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Signatures read ``Channel.wall_clock``, never the injected case clock: pin it, so the assertions are exact."""
    from alerts.channels.base import Channel

    monkeypatch.setattr(Channel, "wall_clock", staticmethod(lambda: WALL))


def spike(key: str = "dc-rd-changzhong|sanitation") -> SpikeMatch:
    b = T0.replace(minute=0)
    return SpikeMatch(key=key, detector="spike", bucket=b, window_start=b - timedelta(hours=23),
                      window_end=b + timedelta(hours=1), count=7, baseline=1, score=7)


def test_webhook_request_is_exact_and_signed(store: SQLiteStore, tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"id": 4711})

    clock = Clock(T0)
    cfg = config(tmp_path, channels=[{"type": "webhook", "name": "grid", "url": "http://tracker.test/hook",
                                      "secret_env": "GRID_HMAC"}])
    case = CaseService(store, cfg, clock=clock).open_or_update(spike())
    report = Deliverer(store, cfg, transport=httpx.MockTransport(handler), environ={"GRID_HMAC": "k3y"},
                       clock=clock).deliver_due()
    assert report.sent == 1
    (req,) = seen
    assert str(req.url) == "http://tracker.test/hook" and req.method == "POST"
    ts = req.headers["X-Yuqing-Timestamp"]
    assert ts == str(int(WALL))  # wall time, not the case clock
    expected = hmac.new(b"k3y", ts.encode() + b"." + req.content, hashlib.sha256).hexdigest()
    assert req.headers["X-Yuqing-Signature"] == f"sha256={expected}"
    assert req.headers["Idempotency-Key"] == f"{case.id}:1"
    body = json.loads(req.content)
    assert body["event"] == "opened" and body["case"]["id"] == case.id and body["external_ref"] is None
    assert body["case"]["department"] == "大场镇城管中队" and "history" not in body["case"]
    assert store.get_case(case.id).external_ref == "4711"


def test_backoff_doubles_to_a_ceiling_then_the_item_is_dead(store: SQLiteStore, tmp_path: Path) -> None:
    assert [backoff_seconds(n, 30, 200) for n in range(1, 6)] == [30, 60, 120, 200, 200]
    clock = Clock(T0)
    cfg = config(tmp_path, retry_base_seconds=30, retry_max_seconds=100, max_attempts=4,
                 channels=[{"type": "webhook", "name": "grid", "url": "http://tracker.test/hook"}])
    case = CaseService(store, cfg, clock=clock).open_or_update(spike())
    calls: list[datetime] = []

    def down(request: httpx.Request) -> httpx.Response:
        calls.append(clock.now)
        return httpx.Response(503)

    worker = Deliverer(store, cfg, transport=httpx.MockTransport(down), clock=clock)
    delays = []
    for _ in range(10):
        worker.deliver_due()
        item = store.get_outbox_item(f"{case.id}:1:grid")
        if item.status is OutboxStatus.DEAD:
            break
        delays.append((item.next_try_at - clock.now).total_seconds())
        assert worker.deliver_due().sent + worker.deliver_due().retried == 0  # not due yet: no early retry
        clock.now = item.next_try_at
    assert delays == [30, 60, 100]
    assert len(calls) == 4 and item.status is OutboxStatus.DEAD and item.attempts == 4
    assert item.last_error == "grid: HTTP 503"


def test_a_rejected_request_is_dead_at_once_and_errors_hide_secrets(store: SQLiteStore, tmp_path: Path) -> None:
    clock = Clock(T0)
    cfg = config(tmp_path, channels=[{"type": "wecom", "name": "wx", "url": "http://robot.test/send",
                                      "key": "SECRET-KEY", "quiet_hours": False}])
    case = CaseService(store, cfg, clock=clock).open_or_update(spike())
    answers = iter([httpx.Response(200, json={"errcode": 45009, "errmsg": "api freq out of limit"}),
                    httpx.Response(200, json={"errcode": 93000, "errmsg": "invalid webhook url"})])
    seen: list[httpx.Request] = []

    def robot(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return next(answers)

    worker = Deliverer(store, cfg, transport=httpx.MockTransport(robot), clock=clock)
    assert worker.deliver_due().retried == 1  # rate limited: try again later
    clock.advance(minutes=5)
    assert worker.deliver_due().dead == 1  # a wrong key never gets better
    item = store.get_outbox_item(f"{case.id}:1:wx")
    assert item.status is OutboxStatus.DEAD and "93000" in item.last_error
    assert "SECRET-KEY" not in item.last_error
    assert seen[0].url.params["key"] == "SECRET-KEY"
    assert json.loads(seen[0].content)["msgtype"] == "markdown"


def test_unconfigured_channel_is_dead(store: SQLiteStore, tmp_path: Path) -> None:
    clock = Clock(T0)
    cfg = config(tmp_path, channels=[{"type": "webhook", "name": "old", "url": "http://x.test/"}])
    case = CaseService(store, cfg, clock=clock).open_or_update(spike())
    assert Deliverer(store, config(tmp_path), clock=clock).deliver_due().dead == 1
    assert "not configured" in store.get_outbox_item(f"{case.id}:1:old").last_error


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def test_quiet_hours_and_weekends() -> None:
    q = QuietHoursConfig(start="22:00", end="07:30", weekends=True)
    assert release_time(sh(2026, 11, 26, 10, 0), q) == sh(2026, 11, 26, 10, 0)  # Thursday morning
    assert release_time(sh(2026, 11, 26, 23, 0), q) == sh(2026, 11, 27, 7, 30)  # Thursday night → Friday
    assert release_time(sh(2026, 11, 27, 6, 0), q) == sh(2026, 11, 27, 7, 30)
    assert release_time(sh(2026, 11, 27, 23, 0), q) == sh(2026, 11, 30, 7, 30)  # Friday night → Monday
    assert release_time(sh(2026, 11, 29, 12, 0), q) == sh(2026, 11, 30, 7, 30)  # Sunday noon → Monday
    weekdays_only = QuietHoursConfig(weekends=False)
    assert release_time(sh(2026, 11, 29, 12, 0), weekdays_only) == sh(2026, 11, 29, 12, 0)
    assert release_time(sh(2026, 11, 29, 12, 0), None) == sh(2026, 11, 29, 12, 0)


def test_quiet_hours_delay_notifications_never_the_case_or_the_tracker(store: SQLiteStore, tmp_path: Path) -> None:
    night = Clock(datetime(2026, 11, 26, 15, 30, tzinfo=UTC))  # 23:30 in Shanghai
    cfg = config(tmp_path, channels=[{"type": "webhook", "name": "grid", "url": "http://x.test/"},
                                     {"type": "email", "name": "mail", "recipients": ["a@b.cn"]}])
    svc = CaseService(store, cfg, clock=night)
    case = svc.open_or_update(spike())
    assert case.opened_at == night.now  # the case itself is opened at once
    assert store.get_outbox_item(f"{case.id}:1:grid").next_try_at == night.now
    assert store.get_outbox_item(f"{case.id}:1:mail").next_try_at == sh(2026, 11, 27, 7, 30)
    urgent = svc.open_or_update(spike("dc-rd-hutai|food_hygiene"))
    assert store.get_outbox_item(f"{urgent.id}:1:mail").next_try_at == night.now  # urgent bypasses


def test_dingtalk_signed_url_against_a_local_robot(store: SQLiteStore, tmp_path: Path) -> None:
    secret = "SECdeadbeef"

    def robot(rx: Receiver, path: str, query: dict, headers, body: bytes):
        ts = query.get("timestamp", "")
        digest = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
        if query.get("access_token") != "tok" or query.get("sign") != base64.b64encode(digest).decode():
            return 200, {"errcode": 310000, "errmsg": "sign not match"}
        return 200, {"errcode": 0, "errmsg": "ok"}

    clock = Clock(T0)
    with Receiver(robot) as rx:
        cfg = config(tmp_path, channels=[{"type": "dingtalk", "name": "dd", "url": f"{rx.url}/robot/send",
                                          "access_token": "tok", "secret": secret, "at_mobiles": ["13800000000"]}])
        svc = CaseService(store, cfg, clock=clock)
        svc.open_or_update(spike("dc-rd-hutai|food_hygiene"))  # urgent: @ the mobiles
        report = Deliverer(store, cfg, clock=clock).deliver_due()
    assert report.sent == 1
    (req,) = rx.requests
    assert req["query"]["timestamp"] == str(int(WALL * 1000))  # wall time, not the case clock
    doc = json.loads(req["body"])
    assert doc["msgtype"] == "markdown" and doc["at"]["atMobiles"] == ["13800000000"]
    assert "沪太路" in doc["markdown"]["text"] and "@13800000000" in doc["markdown"]["text"]


def test_messages_in_chinese_for_each_event(store: SQLiteStore, tmp_path: Path) -> None:
    from alerts.channels.render import render
    from core import CaseStatus

    clock = Clock(T0)
    cfg = config(tmp_path, console_url="http://console.local:8800",
                 channels=[{"type": "email", "name": "mail", "recipients": ["a@b.cn"], "quiet_hours": False,
                            "events": ["opened", "status", "escalated"]}])
    svc = CaseService(store, cfg, clock=clock)
    case = svc.open_or_update(spike())
    svc.transition(case.id, CaseStatus.ASSIGNED, "office1", "reviewer")
    clock.advance(hours=80)
    svc.check_overdue()
    texts = {}
    for v in (1, 2, 3):
        item = store.get_outbox_item(f"{case.id}:{v}:mail")
        texts[item.payload["event"]] = render(item.payload, cfg.alerts.console_url)
    assert texts["opened"].title == "【新案件】场中路市容环境问题"
    assert "责任部门：大场镇城管中队" in texts["opened"].text and "整改时限：2026-11-29 10:00" in texts["opened"].text
    assert "http://console.local:8800/cases/" in texts["opened"].markdown
    assert "新发现 → 已分派（office1）" in texts["status"].text
    assert texts["escalated"].urgent and "第 1 次" in texts["escalated"].text


def test_a_channel_bug_does_not_wedge_the_queue(store: SQLiteStore, tmp_path: Path) -> None:
    from alerts.channels import Channel

    class Broken(Channel):
        type = "webhook"

        def send(self, item, case):
            raise KeyError("oops")

    clock = Clock(T0)
    cfg = config(tmp_path, channels=[{"type": "webhook", "name": "grid", "url": "http://x.test/"}])
    case = CaseService(store, cfg, clock=clock).open_or_update(spike())
    worker = Deliverer(store, cfg, channels={"grid": Broken(cfg.alerts.channels[0], clock=clock)}, clock=clock)
    assert worker.deliver_due().retried == 1
    item = store.get_outbox_item(f"{case.id}:1:grid")
    assert item.status is OutboxStatus.PENDING and item.lease_owner is None and "KeyError" in item.last_error
