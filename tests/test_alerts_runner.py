"""End to end: the simulator's planted spike → one routed case → delivered once, through real local receivers,
across a restart of the alert runner."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from alerts.runner import AlertRunner
from core import SHANGHAI, OutboxStatus, PlaceRef, Post
from simulator.scenario import scenario_from_dict
from simulator.world import SimPost, World
from storage.base import CaseQuery
from storage.sqlite import SQLiteStore
from tests.alerts_support import Clock, Receiver, Tracker, config, smtp_server, wecom_robot

SPIKE_START = datetime(2026, 11, 5, 8, tzinfo=SHANGHAI)  # a Thursday morning
SECRET = "s3cret-hmac-key"


def _source(p: SimPost) -> str:
    return {"weibo": "weibo", "wechat": f"wechat:{p.channel}", "forum": "forum:dachang",
            "board": "board:12345", "portal": "portal:sqt"}[p.family]


def as_post(p: SimPost) -> Post:
    """A simulated post as the pipeline would store it, with the world's true labels as its enrichment."""
    place = [PlaceRef(id=p.place.id, name=p.place.name, level=p.place.level)] if p.place else []
    cluster = f"sim-{p.dup_of}" if p.dup_of else f"sim-{p.seq}"
    return Post.new(_source(p), p.native or str(p.seq), text=p.text or p.title, title=p.title or None,
                    published_at=p.at, is_complaint=p.kind == "complaint", topic=p.topic,
                    places=place if p.kind == "complaint" else [], cluster_id=cluster,
                    url=f"http://127.0.0.1/{p.family}/{p.native}")


@pytest.fixture(scope="module")
def world_posts() -> list[Post]:
    scenario = scenario_from_dict({
        "seed": 11, "start": "2026-11-02T00:00:00+08:00", "days": 4,
        "events": [{"place": "dc-xq-qianxi", "topic": "sanitation", "start": SPIKE_START.isoformat(),
                    "hours": 10, "rate": 6}],
    })
    world = World(scenario)
    return [as_post(p) for items in world.posts.values() for p in items]


def visible(posts: list[Post], now: datetime) -> list[Post]:
    return [p for p in posts if p.published_at < now]


def test_planted_spike_becomes_one_case_delivered_once_across_a_restart(
        world_posts: list[Post], sqlite_path: Path, tmp_path: Path) -> None:
    tracker = Tracker(SECRET, ["fail", "crash"])  # down first; then commits the ticket but crashes before answering
    with Receiver(tracker) as trk, Receiver(wecom_robot("robot-key")) as robot, smtp_server() as (port, mails):
        cfg = config(tmp_path, channels=[
            {"type": "webhook", "name": "grid", "url": f"{trk.url}/api/cases", "secret": SECRET},
            {"type": "wecom", "name": "wecom", "url": f"{robot.url}/cgi-bin/webhook/send", "key": "robot-key"},
            {"type": "email", "name": "mail", "host": "127.0.0.1", "port": port, "recipients": ["wmb@example.cn"]},
        ], detectors=["spike"])
        clock = Clock(SPIKE_START + timedelta(hours=3))
        store = SQLiteStore(sqlite_path)
        store.upsert_posts(visible(world_posts, clock.now))
        first = AlertRunner(store, cfg, clock=clock).run_once()

        cases = store.list_cases(CaseQuery()).items
        assert len(cases) == 1
        case = cases[0]
        assert case.key == "dc-xq-qianxi|sanitation" and case.department == "大场镇城管中队"
        assert case.place is not None and case.place.name == "乾溪新村" and case.grid
        assert case.spike is not None and case.spike.count >= 5 and case.evidence
        posts = store.get_posts(case.evidence)
        assert all(p.case_id == case.id and p.places[0].id == "dc-xq-qianxi" for p in posts)
        assert first.delivery is not None and first.delivery.sent == 2 and first.delivery.retried == 1
        assert len(trk.requests) == 1 and tracker.tickets == {}
        assert len(robot.requests) == 1 and len(mails) == 1
        store.close()  # the runner stops here …

        # … and a new process starts over the same database, two minutes later, with more posts crawled
        clock.advance(minutes=2)
        store = SQLiteStore(sqlite_path)
        store.upsert_posts(visible(world_posts, clock.now))
        AlertRunner(store, cfg, clock=clock).run_once()  # attempt 2: the tracker commits, then crashes
        assert tracker.tickets and trk.requests[-1]["headers"]["Idempotency-Key"] == f"{case.id}:1"
        assert store.get_case(case.id).external_ref is None  # no answer was received
        clock.advance(minutes=5)
        last = AlertRunner(store, cfg, clock=clock).run_once()  # attempt 3: the same key → the same ticket
        assert last.delivery is not None and last.delivery.sent >= 1

        assert store.list_cases(CaseQuery()).total == 1
        case = store.get_case(case.id)
        assert list(tracker.tickets.values()) == ["GRID-0001"] and case.external_ref == "GRID-0001"
        assert [e.data["ref"] for e in case.history if e.action == "delivered"] == ["GRID-0001"]
        opened = [r for r in trk.requests if json.loads(r["body"])["event"] == "opened"]
        assert len(opened) == 3 and {r["headers"]["Idempotency-Key"] for r in opened} == {f"{case.id}:1"}
        assert tracker.rejected == 0
        item = store.get_outbox_item(f"{case.id}:1:grid")
        assert item is not None and item.status is OutboxStatus.SENT and item.attempts == 3
        assert item.response_ref == "GRID-0001"
        assert len(robot.requests) == 1 and len(mails) == 1  # notifications were not repeated

        msg = json.loads(robot.requests[0]["body"])
        assert msg["msgtype"] == "markdown" and "乾溪新村" in msg["markdown"]["content"]
        assert "大场镇城管中队" in msg["markdown"]["content"]
        mail = email.message_from_bytes(mails[0].content, policy=email.policy.default)
        assert "乾溪新村" in mail["Subject"] and mails[0].rcpt_tos == ["wmb@example.cn"]
        assert "整改时限" in mail.get_content()
        store.close()


def test_dry_run_and_test_rule_write_nothing(world_posts: list[Post], sqlite_path: Path, tmp_path: Path) -> None:
    clock = Clock(SPIKE_START + timedelta(hours=4))
    store = SQLiteStore(sqlite_path)
    store.upsert_posts(visible(world_posts, clock.now))
    runner = AlertRunner(store, config(tmp_path, detectors=["spike"]), clock=clock)
    report = runner.run_once(dry_run=True)
    assert [m.key for m in report.matches] == ["dc-xq-qianxi|sanitation"]
    assert report.matches[0].post_ids
    replay = runner.test_rule(SPIKE_START - timedelta(days=2), SPIKE_START + timedelta(hours=4))
    assert {m.key for m in replay} == {"dc-xq-qianxi|sanitation"}
    assert store.list_cases(CaseQuery()).total == 0
    store.close()


def test_late_posts_recount_their_bucket(world_posts: list[Post], sqlite_path: Path, tmp_path: Path) -> None:
    clock = Clock(SPIKE_START + timedelta(hours=3))
    store = SQLiteStore(sqlite_path)
    early = visible(world_posts, clock.now)
    spike_ids = {p.id for p in early if p.published_at >= SPIKE_START and p.is_complaint
                 and p.places and p.places[0].id == "dc-xq-qianxi"}
    store.upsert_posts([p for p in early if p.id not in spike_ids])  # the spike's posts are not crawled yet
    runner = AlertRunner(store, config(tmp_path, detectors=["spike"]), clock=clock)
    assert runner.run_once(deliver=False).cases == []
    clock.advance(hours=2)
    store.upsert_posts([p for p in early if p.id in spike_ids])  # crawled late, published hours ago
    (case,) = {c.id: c for c in runner.run_once(deliver=False).cases}.values()
    assert case.spike is not None and case.spike.window_end <= SPIKE_START + timedelta(hours=4)
    store.close()


def test_raw_simulated_text_through_the_real_enricher_gives_the_same_single_case(
        sqlite_path: Path, tmp_path: Path) -> None:
    from nlp.enrich import enricher_for

    scenario = scenario_from_dict({
        "seed": 11, "start": "2026-11-02T00:00:00+08:00", "days": 4,
        "events": [{"place": "dc-xq-qianxi", "topic": "sanitation", "start": SPIKE_START.isoformat(),
                    "hours": 10, "rate": 6}],
    })
    raw = [Post.new(_source(p), p.native or str(p.seq), text=p.text or p.title, title=p.title or None,
                    published_at=p.at) for items in World(scenario).posts.values() for p in items]
    now = SPIKE_START + timedelta(hours=3)
    enriched = enricher_for(None).enrich([p for p in raw if p.published_at < now])
    store = SQLiteStore(sqlite_path)
    store.upsert_posts(enriched)
    AlertRunner(store, config(tmp_path), clock=Clock(now)).run_once(deliver=False)  # both detectors
    (case,) = store.list_cases(CaseQuery()).items
    assert case.key == "dc-xq-qianxi|sanitation" and case.department == "大场镇城管中队"
    assert len(case.evidence) >= 5
    store.close()


def test_the_cluster_scan_follows_its_config(sqlite_path: Path, tmp_path: Path) -> None:
    from core import ConfigError

    store = SQLiteStore(sqlite_path)
    on = AlertRunner(store, config(tmp_path, clusters={"windows": ["24h"]}), clock=Clock(SPIKE_START))
    assert on.clusters is not None and on.clusters.options.windows == ["24h"] and on.clusters.zones
    assert on.clusters.options.false_alarms_per_1000_key_weeks == 1.0  # the alerts budget
    assert AlertRunner(store, config(tmp_path, clusters=None), clock=Clock(SPIKE_START)).clusters is None
    with pytest.raises(ConfigError, match=r"alerts\.clusters.*bogus"):
        AlertRunner(store, config(tmp_path, clusters={"bogus": 1}), clock=Clock(SPIKE_START))
    store.close()
