"""The hour arithmetic of the precomputed complaint counts (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core import SHANGHAI
from storage.elastic.hours import HOUR, ceil_hour, floor_hour, merge, month_hours, runs

T = datetime(2026, 10, 1, 5, tzinfo=UTC)


def test_floor_and_ceil_hour() -> None:
    assert floor_hour(T + timedelta(minutes=59, seconds=59)) == T
    assert ceil_hour(T) == T and ceil_hour(T + timedelta(seconds=1)) == T + HOUR
    assert floor_hour(datetime(2026, 10, 1, 13, 30, tzinfo=SHANGHAI)) == datetime(2026, 10, 1, 5, tzinfo=UTC)


def test_runs_merge_neighbours_and_bridge_short_gaps() -> None:
    hours = [T, T + HOUR, T + 5 * HOUR]
    assert runs(hours) == [(T, T + 2 * HOUR), (T + 5 * HOUR, T + 6 * HOUR)]
    assert runs(hours, bridge=3) == [(T, T + 6 * HOUR)]
    assert runs(hours, bridge=2) == [(T, T + 2 * HOUR), (T + 5 * HOUR, T + 6 * HOUR)]
    assert runs([]) == []


def test_month_hours_is_the_shanghai_month_including_december() -> None:
    october = month_hours("2026.10")
    assert len(october) == 31 * 24
    assert october[0] == datetime(2026, 10, 1, tzinfo=SHANGHAI).astimezone(UTC)
    december = month_hours("2026.12")
    assert december[-1] + HOUR == datetime(2027, 1, 1, tzinfo=SHANGHAI).astimezone(UTC)


def test_merge_drops_empty_ranges_and_joins_touching_ones() -> None:
    assert merge([(T + HOUR, T + 2 * HOUR), (T, T), (T, T + HOUR), (T + 3 * HOUR, T + 4 * HOUR)]) == [
        (T, T + 2 * HOUR), (T + 3 * HOUR, T + 4 * HOUR)]


def test_the_counts_checkpoint_trails_now_by_every_retry_and_the_clock_skew() -> None:
    from storage.elastic.base import counts_margin

    assert counts_margin(30.0, 2) == timedelta(minutes=3, seconds=30)
    assert counts_margin(60.0, 0, skew=0) == timedelta(minutes=1)
