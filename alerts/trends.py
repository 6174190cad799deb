"""Slow rises (持续上升): keys whose daily complaints climb steadily over weeks — a trend for the daily and
weekly reports, never a spike case (the ``outbreak`` detector's level adapts to them on purpose).

For each key, a Poisson log-linear fit of daily counts over the last ``days`` days, ``log μ_d = a + b·d`` (a few
Newton steps, numpy only), with a quasi-Poisson dispersion ``φ`` (Pearson χ² / (n − 2), at least 1). A key is
rising when the fitted rise over the period ``exp(b·days)`` is at least ``min_ratio``, ``b / SE(b) ≥ min_z`` and
the last week holds at least ``min_last_week`` complaints.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from alerts.detectors.base import KeyParts
from core import Case

if TYPE_CHECKING:
    from storage import PostStore


@dataclass(frozen=True)
class Trend(KeyParts):
    """A steadily rising key: weekly totals (oldest first), the fitted rise over the period and its z."""

    key: str
    weekly: tuple[int, ...]
    ratio: float
    z: float


def poisson_slope(y: np.ndarray) -> tuple[float, float]:
    """Slope per step of a Poisson log-linear fit of ``y`` on 0..n−1, and its quasi-Poisson standard error."""
    n = len(y)
    x = np.arange(n, dtype=np.float64) - (n - 1) / 2
    beta = np.array([math.log(max(y.mean(), 1e-3)), 0.0])
    design = np.column_stack((np.ones(n), x))
    for _ in range(25):
        mu = np.exp(design @ beta)
        info = design.T @ (design * mu[:, None])
        step = np.linalg.solve(info, design.T @ (y - mu))
        beta = beta + step
        if np.abs(step).max() < 1e-8:
            break
    mu = np.exp(design @ beta)
    phi = max(1.0, float(((y - mu) ** 2 / mu).sum()) / max(1, n - 2))
    cov = np.linalg.inv(design.T @ (design * mu[:, None])) * phi
    return float(beta[1]), float(math.sqrt(cov[1, 1]))


def rising(daily: dict[str, np.ndarray], *, min_ratio: float = 1.5, min_z: float = 3.0, min_last_week: int = 5
           ) -> list[Trend]:
    """Keys whose daily counts (oldest first, whole weeks) rise steadily; strongest first."""
    out = []
    for key, y in daily.items():
        y = np.asarray(y, dtype=np.float64)
        if len(y) < 14 or y[-7:].sum() < min_last_week:
            continue
        b, se = poisson_slope(y)
        ratio, z = math.exp(b * len(y)), b / se if se > 0 else 0.0
        if ratio >= min_ratio and z >= min_z:
            weeks = tuple(int(y[max(0, i - 7):i].sum()) for i in range(len(y) % 7 or 7, len(y) + 1, 7))
            out.append(Trend(key, weeks, round(ratio, 2), round(z, 1)))
    return sorted(out, key=lambda t: -t.z)


def trends_from_store(store: PostStore, config: Any, end: datetime, days: int = 28) -> list[Trend]:
    """Rising keys over the ``days`` days before ``end``, from the Store's daily distinct-complaint counts."""
    from alerts.series import build_series

    step = timedelta(days=1)
    cfg = config.alerts
    rows = store.complaint_counts(end - timedelta(days=days), end, step, by_topic=cfg.by_topic)
    keyed = [(Case.make_key(r.place_id, r.topic if cfg.by_topic else None), r.bucket, r.count)
             for r in rows if r.place_id]
    series = build_series(keyed, step, since=end - timedelta(days=days), until=end)
    return rising({k: s.counts for k, s in series.items()})
