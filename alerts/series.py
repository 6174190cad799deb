"""Count series: (key, bucket, count) rows made dense per key on Asia/Shanghai-aligned buckets.

Pure functions only: the runner reads rows from the Store, the CLI reads them
from a CSV, and both hand the detectors the same :class:`Series`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from core import SHANGHAI

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SHIFT = timedelta(hours=8)  # Asia/Shanghai, no daylight saving
_UNITS = {"m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    """``"1h"``, ``"30m"``, ``"2d"`` → a timedelta; ValueError otherwise."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([mhd])\s*", text or "")
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"invalid duration {text!r} (use e.g. 30m, 1h, 2d)")
    return timedelta(seconds=float(m.group(1)) * _UNITS[m.group(2)])


def duration_list(values: list[str]) -> list[str]:
    """A non-empty list of durations (a config validator's check); ValueError naming the first bad one."""
    if not values:
        raise ValueError("at least one window")
    for v in values:
        parse_duration(v)
    return values


def align(dt: datetime, step: timedelta) -> datetime:
    """The start of the bucket holding ``dt`` (buckets aligned to Asia/Shanghai midnight), in UTC."""
    if dt.tzinfo is None:
        raise ValueError("bucket times must be timezone-aware")
    s = int(step.total_seconds())
    local = int((dt - _EPOCH + _SHIFT).total_seconds())
    return _EPOCH + timedelta(seconds=(local // s) * s) - _SHIFT


@dataclass(frozen=True, eq=False)
class Series:
    """Dense counts for one key: ``counts[i]`` complaints in ``[start + i·step, start + (i+1)·step)``."""

    key: str
    start: datetime
    step: timedelta
    counts: np.ndarray

    def __len__(self) -> int:
        return len(self.counts)

    def bucket_at(self, i: int) -> datetime:
        """The start of bucket ``i``."""
        return self.start + self.step * i

    def index_of(self, dt: datetime) -> int:
        """The index of the bucket holding ``dt`` (may be out of range)."""
        return int((align(dt, self.step) - self.start) / self.step)

    def truncated(self, n: int) -> Series:
        """The first ``n`` buckets (a runner that stopped earlier saw this)."""
        return Series(self.key, self.start, self.step, self.counts[:n].copy())


def build_series(
    rows: Iterable[tuple[str, datetime, float]],
    step: timedelta,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[str, Series]:
    """Dense series per key over one common range; missing buckets count 0, repeated rows add up.

    The range is ``[align(since), until)`` when given, else from the first to the last bucket seen.
    """
    rows = [(k, align(b, step), c) for k, b, c in rows]
    if not rows and (since is None or until is None):
        return {}
    start = align(since, step) if since is not None else min(b for _, b, _ in rows)
    if until is not None:
        end = align(until - timedelta(microseconds=1), step) + step
    else:
        end = max(b for _, b, _ in rows) + step
    n = max(0, int((end - start) / step))
    out: dict[str, np.ndarray] = {}
    for key, bucket, count in rows:
        i = int((bucket - start) / step)
        if 0 <= i < n:
            arr = out.setdefault(key, np.zeros(n, dtype=np.int64))
            arr[i] += int(count)
    return {k: Series(k, start, step, v) for k, v in sorted(out.items())}


def parse_time(text: str) -> datetime:
    """An ISO time; a naive one is read as Asia/Shanghai wall-clock time."""
    dt = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=SHANGHAI)


def read_series_csv(text: str) -> list[tuple[str, datetime, float]]:
    """Rows of a ``key,bucket,count`` CSV (header required); ValueError names the bad line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"key", "bucket", "count"} - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"CSV line 1: missing column(s) {', '.join(sorted(missing))} (need key,bucket,count)")
    rows: list[tuple[str, datetime, float]] = []
    for row in reader:
        line = reader.line_num
        try:
            count = float(row["count"])
            if count < 0:
                raise ValueError("negative count")
            rows.append((row["key"].strip(), parse_time(row["bucket"]), count))
        except (ValueError, TypeError, AttributeError) as exc:
            raise ValueError(f"CSV line {line}: {exc}") from None
    return rows
