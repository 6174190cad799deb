"""Scenario files: the seed, the time span, the rates per family, the accounts and the planted events.

Example (config/demo-scenario.yaml)::

    seed: 7
    start: 2026-11-02T00:00:00+08:00
    days: 7
    speed: 600          # scenario seconds per real second; 0 freezes the clock
    now: 2026-11-04T12:00:00+08:00   # scenario time when the server starts (default: start)
    rates: {weibo: 4, wechat: 0.3, forum: 1.5, board: 1, portal: 2}   # items per hour
    events:
      - {place: dc-xq-qianxi, topic: sanitation, start: 2026-11-05T08:00:00+08:00, hours: 10, rate: 6}
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from core import SHANGHAI

FAMILIES = ("weibo", "wechat", "forum", "board", "portal")


@dataclass(frozen=True)
class PlantedEvent:
    """Complaints about one place and topic arriving at ``rate`` per hour for ``hours`` from ``start``."""

    place: str
    topic: str
    start: datetime
    hours: float = 12.0
    rate: float = 6.0
    families: tuple[str, ...] = ("weibo", "portal", "board", "forum")


@dataclass(frozen=True)
class Scenario:
    """Everything the simulated world is generated from; the same scenario gives the same pages."""

    seed: int = 7
    start: datetime = datetime(2026, 11, 2, tzinfo=SHANGHAI)
    days: float = 7.0
    speed: float = 0.0
    now: datetime | None = None
    rates: dict[str, float] = field(default_factory=lambda: {
        "weibo": 4.0, "wechat": 0.3, "forum": 1.5, "board": 1.0, "portal": 2.0})
    mix: dict[str, float] = field(default_factory=lambda: {"chatter": 0.45, "praise": 0.15, "complaint": 0.4})
    weibo_users: int = 6
    wechat_accounts: tuple[str, ...] = ("大场发布", "宝山生活圈", "大场社区通")
    forum_fids: tuple[int, ...] = (2, 5)
    forum_private_fids: tuple[int, ...] = (9,)
    board_fid: int = 539
    communities: int = 6
    gazetteer: Path | str | None = None  # None: the bundled gazetteer; "builtin": a small fixed list
    search_page_cap: int = 50
    fault_rate: float = 0.0
    events: tuple[PlantedEvent, ...] = ()

    @property
    def end(self) -> datetime:
        """The end of the generated span."""
        return self.start + timedelta(days=self.days)


def _aware(value: Any) -> datetime:
    dt = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return dt if dt.tzinfo else dt.replace(tzinfo=SHANGHAI)


def scenario_from_dict(raw: dict[str, Any], base: Path | None = None) -> Scenario:
    """Validate a scenario mapping (as loaded from YAML)."""
    raw = dict(raw)
    known = set(Scenario.__dataclass_fields__)
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"unknown scenario keys: {', '.join(sorted(unknown))}")
    for key in ("start", "now"):
        if raw.get(key) is not None:
            raw[key] = _aware(raw[key])
    if "rates" in raw:
        raw["rates"] = {**Scenario().rates, **{k: float(v) for k, v in raw["rates"].items()}}
    for key in ("wechat_accounts", "forum_fids", "forum_private_fids"):
        if key in raw:
            raw[key] = tuple(raw[key])
    if raw.get("gazetteer") and raw["gazetteer"] != "builtin":
        g = Path(raw["gazetteer"])
        raw["gazetteer"] = g if g.is_absolute() or base is None else base / g
    raw["events"] = tuple(
        PlantedEvent(**{**e, "start": _aware(e["start"]), "families": tuple(e.get("families", PlantedEvent.families))})
        for e in raw.get("events", ())
    )
    return Scenario(**raw)


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario YAML file; relative paths in it are resolved against its directory."""
    file = Path(path)
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    return scenario_from_dict(data, base=file.parent)


class SimClock:
    """Scenario time: starts at ``now`` and runs ``speed`` times faster than the wall clock (0 = frozen);
    ``ticks`` is the wall clock's seconds counter (``time.monotonic``; injectable for tests)."""

    def __init__(self, start: datetime, speed: float = 0.0, ticks: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._ticks = ticks
        self._base = start
        self._mono = ticks()
        self.speed = speed

    def now(self) -> datetime:
        """The current scenario time (Asia/Shanghai)."""
        with self._lock:
            elapsed = (self._ticks() - self._mono) * self.speed
            return (self._base + timedelta(seconds=elapsed)).astimezone(SHANGHAI)

    def set(self, when: datetime) -> None:
        """Jump to a scenario time."""
        with self._lock:
            self._base, self._mono = when, self._ticks()

    def advance(self, seconds: float) -> None:
        """Move scenario time forward."""
        self.set(self.now() + timedelta(seconds=seconds))
