"""The office's 督办 by hand: who may, what it records, that it leaves the automatic escalations alone, and
its delivery through the outbox to a real local tracker and WeCom robot."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from alerts.cases import CaseService
from alerts.delivery import Deliverer
from alerts.detectors import SpikeMatch
from alerts.lifecycle import escalation_due
from core import CaseStatus
from storage.sqlite import SQLiteStore
from tests.alerts_support import T0, Clock, Receiver, Tracker, config, wecom_robot


@pytest.fixture
def store(sqlite_path: Path):
    s = SQLiteStore(sqlite_path)
    yield s
    s.close()


def spike(key: str = "dc-rd-changzhong|sanitation") -> SpikeMatch:
    b = T0.replace(minute=0)
    return SpikeMatch(key=key, detector="spike", bucket=b, window_start=b - timedelta(hours=23),
                      window_end=b + timedelta(hours=1), count=7, baseline=1, score=7)


def test_supervise_records_an_event_and_leaves_status_deadline_and_escalations(store, tmp_path) -> None:
    clock = Clock(T0)
    cfg = config(tmp_path)
    svc = CaseService(store, cfg, clock=clock)
    case = svc.open_or_update(spike())
    with pytest.raises(PermissionError):  # nobody works on a new case yet
        svc.supervise(case.id, "office1", "reviewer", "请尽快处理")
    svc.transition(case.id, CaseStatus.ASSIGNED, "office1", "reviewer")
    with pytest.raises(PermissionError):
        svc.supervise(case.id, "cg1", "department", "自己督办自己")
    with pytest.raises(ValueError):
        svc.supervise(case.id, "office1", "reviewer", "  ")
    clock.advance(hours=2)
    before = store.get_case(case.id)
    after = svc.supervise(case.id, "office1", "reviewer", "  居民反映强烈，请今日内处理  ")
    e = after.history[-1]
    assert (e.action, e.actor, e.at, e.note) == ("supervised", "office1", clock(), "居民反映强烈，请今日内处理")
    assert e.data["count"] == 1 and e.data["department"] == before.department
    assert (after.status, after.due_at, after.severity) == (before.status, before.due_at, before.severity)
    assert len(after.history) == len(before.history) + 1
    again = svc.supervise(case.id, "admin", "admin", "再次督办")
    assert again.history[-1].data["count"] == 2
    # the automatic levels do not count manual 督办: at the deadline the first escalation is still level 1
    clock.advance(hours=200)
    assert escalation_due(store.get_case(case.id), clock(), cfg.alerts) == 1
    (escalated,) = svc.check_overdue()
    assert escalated.history[-1].data["level"] == 1
    svc.transition(case.id, CaseStatus.IN_PROGRESS, "cg1", "department", department=escalated.department)
    svc.supervise(case.id, "office1", "reviewer", "整改中也可督办")  # in progress: allowed
    svc.transition(case.id, CaseStatus.CLOSED, "office1", "reviewer", note="撤销")
    with pytest.raises(PermissionError):
        svc.supervise(case.id, "office1", "reviewer", "已办结不可督办")


def test_supervise_is_delivered_to_the_tracker_and_to_robots_taking_escalations(store, tmp_path) -> None:
    tracker = Tracker("k3y", [])
    clock = Clock(T0)
    with Receiver(tracker) as trk, Receiver(wecom_robot("robot-key")) as robot:
        cfg = config(tmp_path, quiet_hours=None, channels=[
            {"type": "webhook", "name": "grid", "url": f"{trk.url}/hook", "secret_env": "GRID_HMAC"},
            {"type": "wecom", "name": "wecom", "url": f"{robot.url}/cgi-bin/webhook/send", "key": "robot-key",
             "events": ["escalated"]},
            {"type": "wecom", "name": "quiet", "url": f"{robot.url}/cgi-bin/webhook/send", "key": "robot-key",
             "events": ["opened"]},
        ])
        svc = CaseService(store, cfg, clock=clock)
        case = svc.open_or_update(spike())
        svc.transition(case.id, CaseStatus.ASSIGNED, "office1", "reviewer")
        deliver = Deliverer(store, cfg, environ={"GRID_HMAC": "k3y"}, clock=clock)
        deliver.deliver_due()
        trk.requests.clear()
        robot.requests.clear()
        done = svc.supervise(case.id, "office1", "reviewer", "请今日内处理完毕")
        version = len(done.history)
        report = deliver.deliver_due()
        assert report.sent == 2 and report.dead == 0
    assert store.get_outbox_item(f"{case.id}:{version}:quiet") is None  # a channel taking neither event
    (hook,) = trk.requests
    doc = json.loads(hook["body"])
    assert doc["event"] == "supervised" and hook["headers"]["Idempotency-Key"] == f"{case.id}:{version}"
    assert doc["detail"]["actor"] == "office1" and doc["detail"]["note"] == "请今日内处理完毕"
    (msg,) = robot.requests
    text = json.loads(msg["body"])["markdown"]["content"]
    assert "【督办】" in text and "请今日内处理完毕" in text
