"""Scenario files and the scenario clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core import SHANGHAI
from simulator.places import fallback_places, load_places
from simulator.scenario import SimClock, load_scenario, scenario_from_dict

REPO = Path(__file__).resolve().parents[1]


def test_demo_scenario_loads_with_events_and_the_gazetteer() -> None:
    sc = load_scenario(REPO / "config" / "demo-scenario.yaml")
    assert sc.speed == 600 and sc.events and sc.events[0].place == "dc-xq-qianxi"
    assert sc.gazetteer == REPO / "config" / "gazetteer-dachang.yaml"
    assert sc.now == datetime(2026, 11, 4, tzinfo=SHANGHAI) and sc.end - sc.start == timedelta(days=7)


def test_unknown_keys_are_refused_and_naive_times_are_shanghai() -> None:
    with pytest.raises(ValueError, match="unknown scenario keys: sped"):
        scenario_from_dict({"sped": 3})
    sc = scenario_from_dict({"start": "2026-11-02T00:00:00", "rates": {"weibo": 1}})
    assert sc.start.utcoffset() == timedelta(hours=8) and sc.rates["weibo"] == 1.0 and sc.rates["portal"] == 2.0


def test_clock_runs_faster_than_real_time_or_stands_still() -> None:
    start = datetime(2026, 11, 2, tzinfo=SHANGHAI)
    wall = [100.0]  # the wall clock's seconds, moved by hand
    fast, frozen = SimClock(start, speed=3600, ticks=lambda: wall[0]), SimClock(start, speed=0, ticks=lambda: wall[0])
    wall[0] += 0.05
    assert fast.now() - start == timedelta(seconds=180) and frozen.now() == start
    frozen.advance(90)
    assert frozen.now() == start + timedelta(seconds=90)


def test_places_come_from_the_gazetteer_or_the_builtin_list(tmp_path: Path) -> None:
    assert load_places("builtin") == fallback_places()
    assert load_places(tmp_path / "missing.yaml") == fallback_places()
    real = load_places()
    assert any(p.name == "乾溪新村" for p in real) and all(p.id != "luodian" for p in real)  # only 大场镇
