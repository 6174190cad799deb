"""Helpers shared by the alerts tests: a settable clock, complaint posts, a planted spike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from core import Config, PlaceRef, Post


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


#: Thursday 2026-11-26 10:00 Asia/Shanghai (a working day, outside quiet hours)
T0 = datetime(2026, 11, 26, 2, tzinfo=UTC)
PLACE_NAMES = {"dc-rd-changzhong": "场中路", "dc-rd-hutai": "沪太路", "dachang": "大场镇"}


def complaint(n: int, at: datetime, *, place: str = "dc-rd-changzhong", topic: str = "sanitation",
              source: str = "portal:sqt", cluster: str | None = None, **kw: Any) -> Post:
    """A complaint post about a place."""
    return Post.new(
        source, f"{place}-{topic}-{n}", text=f"{PLACE_NAMES.get(place, place)}垃圾堆了好几天没人清理 #{n}",
        title=f"投诉{n}", url=f"http://127.0.0.1/post/{n}", published_at=at, is_complaint=True, topic=topic,
        places=[PlaceRef(id=place, name=PLACE_NAMES.get(place, place))], cluster_id=cluster, **kw,
    )


def background(now: datetime, days: int = 30, *, place: str = "dc-rd-changzhong", per_week: int = 1) -> list[Post]:
    """A quiet history: ``per_week`` complaints a week before ``now``."""
    out = []
    for d in range(days, 0, -1):
        if d % max(1, 7 // per_week) == 0:
            out.append(complaint(1000 + d, now - timedelta(days=d, hours=3), place=place))
    return out


def planted_spike(now: datetime, n: int = 8, *, place: str = "dc-rd-changzhong", topic: str = "sanitation",
                  start: int = 0) -> list[Post]:
    """``n`` distinct complaints in the last few hours, plus a repost of each (same near-duplicate cluster)."""
    posts = []
    for i in range(start, start + n):
        at = now - timedelta(minutes=20 * (i - start) + 5)
        posts.append(complaint(i, at, place=place, topic=topic, cluster=f"cl-{place}-{i}"))
        posts.append(complaint(i, at + timedelta(minutes=1), place=place, topic=topic, source="weibo",
                               cluster=f"cl-{place}-{i}"))
    return posts


def config(tmp_path: Any, **alerts: Any) -> Config:
    """A config whose data lives under tmp_path."""
    return Config.model_validate({"data_dir": str(tmp_path / "var"), "alerts": alerts})
