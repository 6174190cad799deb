"""Count series: bucket alignment to Asia/Shanghai, dense filling, CSV parsing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from alerts.series import align, build_series, parse_duration, read_series_csv

H = timedelta(hours=1)


def test_parse_duration() -> None:
    assert parse_duration("1h") == H and parse_duration("30m") == timedelta(minutes=30)
    assert parse_duration("2d") == timedelta(days=2)
    with pytest.raises(ValueError, match="invalid duration"):
        parse_duration("0h")


def test_daily_buckets_start_at_shanghai_midnight() -> None:
    t = datetime(2026, 11, 2, 15, 59, tzinfo=UTC)  # 23:59 in Shanghai
    assert align(t, timedelta(days=1)) == datetime(2026, 11, 1, 16, tzinfo=UTC)
    assert align(t + timedelta(minutes=1), timedelta(days=1)) == datetime(2026, 11, 2, 16, tzinfo=UTC)
    with pytest.raises(ValueError):
        align(datetime(2026, 1, 1), H)


def test_build_series_fills_gaps_and_adds_repeats() -> None:
    t0 = datetime(2026, 11, 1, 0, 30, tzinfo=UTC)
    rows = [("a", t0, 1), ("a", t0 + 3 * H, 2), ("a", t0 + 3 * H, 1), ("b", t0 + H, 5)]
    out = build_series(rows, H)
    assert list(out) == ["a", "b"]
    assert out["a"].counts.tolist() == [1, 0, 0, 3] and out["b"].counts.tolist() == [0, 5, 0, 0]
    assert out["a"].start == datetime(2026, 11, 1, 0, tzinfo=UTC)
    ranged = build_series(rows, H, since=t0 - 2 * H, until=t0 + 5 * H)
    assert ranged["a"].counts.tolist() == [0, 0, 1, 0, 0, 3, 0, 0]  # [22:00, 06:00)


def test_read_series_csv() -> None:
    rows = read_series_csv("key,bucket,count\nx|noise,2026-11-01T09:00,3\nx|noise,2026-11-01T01:00Z,1\n")
    assert rows[0] == ("x|noise", datetime(2026, 11, 1, 1, tzinfo=UTC), 3.0)  # naive = Shanghai time
    assert rows[1][1] == datetime(2026, 11, 1, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="line 3"):
        read_series_csv("key,bucket,count\na,2026-11-01T00:00,1\na,yesterday,2\n")
    with pytest.raises(ValueError, match="missing column"):
        read_series_csv("place,bucket,count\n")
