"""Hour arithmetic for the precomputed complaint counts: pure functions over UTC hour starts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from core import SHANGHAI

HOUR = timedelta(hours=1)
_MS = 1000


def ms(ts: datetime) -> int:
    """Epoch milliseconds."""
    return int(ts.timestamp() * _MS)


def from_ms(value: int | float) -> datetime:
    """The UTC time of epoch milliseconds."""
    return datetime.fromtimestamp(value / _MS, UTC)


def floor_hour(ts: datetime) -> datetime:
    """The start of the UTC hour (Asia/Shanghai hours are the same: a whole-hour offset)."""
    return from_ms(ms(ts) // 3_600_000 * 3_600_000)


def ceil_hour(ts: datetime) -> datetime:
    """The first hour start at or after ``ts``."""
    start = floor_hour(ts)
    return start if start == ts else start + HOUR


def runs(hours: Iterable[datetime], bridge: int = 0) -> list[tuple[datetime, datetime]]:
    """Sorted hour starts merged into ``[lo, hi)`` ranges; gaps of up to ``bridge`` hours are bridged (fewer,
    longer reads: an hour recounted without need gets the same rows)."""
    out: list[tuple[datetime, datetime]] = []
    for h in sorted(set(hours)):
        if out and h - out[-1][1] <= bridge * HOUR:
            out[-1] = (out[-1][0], h + HOUR)
        else:
            out.append((h, h + HOUR))
    return out


def month_hours(suffix: str) -> list[datetime]:
    """Every hour of the Asia/Shanghai month named ``YYYY.MM`` (a posts index's suffix)."""
    year, month = (int(x) for x in suffix.split("."))
    lo = datetime(year, month, 1, tzinfo=SHANGHAI)
    hi = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=SHANGHAI)
    n = int((hi - lo) / HOUR)
    start = floor_hour(lo)
    return [start + i * HOUR for i in range(n)]


def hours_in(lo: datetime, hi: datetime) -> list[datetime]:
    """The hour starts of ``[lo, hi)`` (both on hour starts)."""
    return [lo + i * HOUR for i in range(max(0, int((hi - lo) / HOUR)))]


def merge(ranges: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Non-empty ``[lo, hi)`` ranges, overlapping or touching ones merged, in order."""
    out: list[tuple[datetime, datetime]] = []
    for lo, hi in sorted(r for r in ranges if r[0] < r[1]):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return out
