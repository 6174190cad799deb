"""Delivery never gives up on a clock: signatures carry wall time whatever the case clock says, a stale-timestamp
refusal is answered with a fresh signature, and dead items can be listed and re-driven (functions and CLI).
Against the real tracker stand-in over HTTP."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from alerts.cases import CaseService
from alerts.delivery import Deliverer
from alerts.detectors import SpikeMatch
from alerts.outbox import dead_items, redrive
from core import OutboxStatus
from simulator.tracker import TrackerStandIn
from storage.sqlite import SQLiteStore
from tests.alerts_support import T0, Clock, config

SECRET = "tracker-s3cret"


@pytest.fixture
def store(sqlite_path: Path):
    s = SQLiteStore(sqlite_path)
    yield s
    s.close()


@pytest.fixture
def tracker():
    t = TrackerStandIn(SECRET, clock=lambda: T0 + timedelta(days=400)).start()  # a scenario clock far away
    yield t
    t.stop()


def _setup(store: SQLiteStore, tmp_path: Path, tracker: TrackerStandIn, **alerts):
    cfg = config(tmp_path, channels=[{"type": "webhook", "name": "grid", "url": tracker.url, "secret_env": "H"}],
                 quiet_hours=None, **alerts)
    clock = Clock(T0 - timedelta(days=30))  # the case clock (scenario time) is a month off the wall clock
    b = clock().replace(minute=0, second=0, microsecond=0)
    match = SpikeMatch(key="dc-rd-changzhong|sanitation", detector="outbreak", bucket=b, window_start=b,
                       window_end=b + timedelta(hours=1), count=9, baseline=1, score=2)
    case = CaseService(store, cfg, clock=clock).open_or_update(match)
    return cfg, clock, case, Deliverer(store, cfg, environ={"H": SECRET}, clock=clock)


def test_signatures_use_wall_time_not_the_case_clock(store, tmp_path, tracker) -> None:
    _cfg, _clock, case, deliverer = _setup(store, tmp_path, tracker)
    assert deliverer.drain().sent == 1
    assert tracker.requests == 1 and store.get_case(case.id).external_ref == "WG-00001"


def test_a_stale_timestamp_refusal_is_retried_with_a_fresh_signature(store, tmp_path, tracker) -> None:
    _cfg, clock, case, deliverer = _setup(store, tmp_path, tracker)
    tracker.stale_next = 1
    assert deliverer.deliver_due().sent == 1 and tracker.requests == 2  # refused once, resigned at once
    tracker.stale_next = 4  # a receiver that keeps refusing: retryable, never dead
    item_id = f"{case.id}:1:grid"
    item = store.get_outbox_item(item_id)
    store.save_outbox_item(item.model_copy(update={"status": OutboxStatus.PENDING, "next_try_at": clock()}))
    report = deliverer.deliver_due()
    assert report.retried == 1 and report.dead == 0
    assert store.get_outbox_item(item_id).status == OutboxStatus.PENDING
    assert "will retry" in store.get_outbox_item(item_id).last_error


def test_dead_items_are_listed_and_re_driven(store, tmp_path, tracker) -> None:
    cfg, clock, case, deliverer = _setup(store, tmp_path, tracker, max_attempts=1)
    tracker.fail_next = 1
    assert deliverer.drain().dead == 1
    (dead,) = dead_items(store, cfg.alerts, clock())
    assert dead.id == f"{case.id}:1:grid" and "503" in dead.last_error
    from yuqing.metrics import Metrics

    assert 'yuqing_outbox_items{status="dead"} 1.0' in Metrics(lambda: store).render().decode()  # /metrics
    redrive(store, dead, clock())
    assert dead_items(store, cfg.alerts, clock()) == []
    assert deliverer.drain().sent == 1 and len(tracker.tickets) == 1


def test_outbox_cli_lists_and_re_drives(sqlite_path: Path, tmp_path: Path, tracker) -> None:
    import json

    from yuqing.cli import cli

    store = SQLiteStore(sqlite_path)
    _cfg, _clock, case, deliverer = _setup(store, tmp_path, tracker, max_attempts=1)
    tracker.fail_next = 1
    deliverer.drain()
    store.close()
    path = tmp_path / "yuqing.yaml"
    path.write_text(f"storage: {{sqlite: {{path: {sqlite_path}}}}}\ndata_dir: {tmp_path / 'var'}\n"
                    f"alerts: {{quiet_hours: null, channels: [{{type: webhook, name: grid, url: '{tracker.url}', "
                    "secret_env: H}]}\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["-c", str(path), "alerts", "outbox", "--dead"])
    assert res.exit_code == 0, res.output
    (line,) = res.stdout.splitlines()
    assert json.loads(line)["id"] == f"{case.id}:1:grid" and "1 条投递失败" in res.stderr
    res = CliRunner().invoke(cli, ["-c", str(path), "alerts", "outbox", "--redrive", "all"])
    assert res.exit_code == 0 and "1 条已重新排队" in res.stderr
    assert json.loads(CliRunner().invoke(cli, ["-c", str(path), "alerts", "outbox"]).stdout)["dead"] == 0
    bad = CliRunner().invoke(cli, ["-c", str(path), "alerts", "outbox", "--redrive", "nope"])
    assert bad.exit_code != 0 and "not found" in str(bad.exception)
