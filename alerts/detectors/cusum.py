"""A negative-binomial CUSUM per key, with a robust baseline from the trailing weeks.

For every day the in-control rate ``μ0`` is the mean of the key's daily counts over the previous
``baseline_days`` (skipping the ``guard_days`` just before it, so a rise is not its own baseline), after
capping each day at median + 3·MAD so a past outbreak does not inflate it, and never below
``min_rate_per_day``. Over-dispersion is estimated from the same days (method of moments: size
``r = m²/(v − m)`` when the variance ``v`` exceeds the mean ``m``) and spread over the day's buckets,
so every count weighs less when the key is bursty by nature.

The statistic is the log-likelihood-ratio CUSUM for a rise of the mean by ``shift``:
``S_t = min(cap·h, max(0, S_{t−1} + llr(x_t)))``; a match when ``S_t > h`` and at least ``min_count``
complaints fell since S last left zero. It then stays quiet until ``S`` falls to ``h/2`` — a plateau
keeps it high, so it never repeats. It catches the slow, persistent rises a two-window ratio misses.
The match explains itself: the run window, its count and expected count, ``μ0`` per day, the size,
the CUSUM value and a p-value of the window's count under the baseline.
"""

from __future__ import annotations

import math
from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from alerts.detectors.base import Detector, DetectorOptions, SpikeMatch, register
from alerts.detectors.stats import count_sf
from alerts.series import Series

_DAY = 86400.0
_SHIFT = 8 * 3600  # Asia/Shanghai days


class CusumOptions(DetectorOptions):
    """Options of the ``cusum`` detector."""

    baseline_days: int = Field(28, ge=2, description="trailing days that form the baseline")
    guard_days: int = Field(7, ge=0, description="days just before the current one left out of the baseline")
    min_history_days: int = Field(7, ge=2, description="silent until this many baseline days exist")
    shift: float = Field(2.0, gt=1, description="the rise to detect, as a multiple of the baseline rate")
    h: float = Field(7.0, gt=0, description="decision interval (log-likelihood units)")
    cap: float = Field(1.5, ge=1, description="the statistic is capped at cap × h")
    min_rate_per_day: float = Field(0.5, gt=0, description="floor of the baseline rate")
    min_count: int = Field(3, ge=1, description="minimum complaints in the alarm window")
    dispersion: Literal["auto", "poisson"] | float = Field("auto", description="auto, poisson, or a daily NB size")


def _robust_daily(periods: np.ndarray, o: CusumOptions, per_day: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per period: baseline mean, NB size (inf = Poisson) and whether enough history exists."""
    n = len(periods)
    mean = np.full(n, np.nan)
    size = np.full(n, np.inf)
    lo = np.arange(n) - o.guard_days - o.baseline_days
    hi = np.arange(n) - o.guard_days
    avail = np.clip(hi, 0, None) - np.clip(lo, 0, None)
    ready = avail >= o.min_history_days
    if not ready.any():
        return mean, size, ready
    padded = np.concatenate((np.full(o.baseline_days, np.nan), periods.astype(np.float64)))
    rows = np.flatnonzero(ready)
    # window for period d: periods lo..hi-1 → padded index lo+B .. hi+B-1
    win = np.lib.stride_tricks.sliding_window_view(padded, o.baseline_days)[lo[rows] + o.baseline_days]
    med = np.nanmedian(win, axis=1, keepdims=True)
    mad = np.nanmedian(np.abs(win - med), axis=1, keepdims=True)
    capped = np.minimum(win, med + 3 * np.maximum(1.4826 * mad, 1.0))
    m = np.nanmean(capped, axis=1)
    v = np.nanvar(capped, axis=1, ddof=1)
    floor = o.min_rate_per_day / per_day
    mean[rows] = np.maximum(m, floor)
    if o.dispersion == "auto":
        over = v > m * 1.05
        size[rows] = np.where(over, np.maximum(m**2 / np.where(over, v - m, 1.0), 0.5), np.inf)
        size[rows] = np.where(m > 0, size[rows], np.inf)
    elif o.dispersion != "poisson":
        size[rows] = float(o.dispersion)
    return mean, size, ready


@register
class CusumDetector(Detector):
    """Negative-binomial CUSUM against a robust trailing baseline."""

    name: ClassVar[str] = "cusum"
    Options = CusumOptions
    options: CusumOptions

    def detect(self, series: Series) -> list[SpikeMatch]:
        """Matches oldest first; see the module docstring for the rule."""
        o = self.options
        x = np.asarray(series.counts, dtype=np.float64)
        n = len(x)
        if n == 0 or not x.any():
            return []
        step = series.step.total_seconds()
        period = max(step, _DAY)
        per_day = _DAY / period  # periods per day (1 unless buckets exceed a day)
        t0 = series.start.timestamp() + _SHIFT
        pidx = ((t0 + np.arange(n) * step) // period).astype(np.int64)
        pidx -= pidx[0]
        periods = np.bincount(pidx, weights=x)
        mean_p, size_p, ready_p = _robust_daily(periods, o, per_day)
        g = period / step  # buckets per period
        mu0 = mean_p[pidx] / g
        size = size_p[pidx] / g
        ready = ready_p[pidx]
        mu1 = o.shift * mu0
        with np.errstate(invalid="ignore", divide="ignore"):
            fin = np.isfinite(size)
            s = np.where(fin, size, 1.0)
            llr_nb = x * np.log(mu1 * (s + mu0) / (mu0 * (s + mu1))) + s * np.log((s + mu0) / (s + mu1))
            llr_po = x * math.log(o.shift) - (mu1 - mu0)
            llr = np.where(fin, llr_nb, llr_po)
        llr = np.where(ready, llr, -np.inf)
        return self._scan(series, x, llr, mu0, size)

    def _scan(self, series: Series, x: np.ndarray, llr: np.ndarray, mu0: np.ndarray, size: np.ndarray
              ) -> list[SpikeMatch]:
        o = self.options
        top, rearm = o.cap * o.h, o.h / 2
        matches: list[SpikeMatch] = []
        stat, start, armed = 0.0, -1, True
        for i, v in enumerate(llr.tolist()):
            if stat == 0.0 and v <= 0:
                continue
            stat = min(top, max(0.0, stat + v))
            if stat == 0.0:
                start, armed = -1, True
                continue
            if start < 0:
                start = i
            if stat <= rearm:
                armed = True
            if stat > o.h and armed:
                count = float(x[start:i + 1].sum())
                if count < o.min_count:
                    continue
                armed = False
                matches.append(self._match(series, i, start, count, stat, mu0, size))
        return matches

    def _match(self, series: Series, i: int, start: int, count: float, stat: float,
               mu0: np.ndarray, size: np.ndarray) -> SpikeMatch:
        o = self.options
        expected = float(mu0[start:i + 1].sum())
        r = float(size[start:i + 1].sum()) if np.isfinite(size[i]) else None
        g = _DAY / series.step.total_seconds()
        return SpikeMatch(
            key=series.key, detector=self.name, bucket=series.bucket_at(i),
            window_start=series.bucket_at(start), window_end=series.bucket_at(i + 1),
            count=count, baseline=expected, score=stat / o.h,
            details={
                "cusum": round(stat, 4), "h": o.h, "shift": o.shift,
                "baseline_per_day": round(float(mu0[i]) * g, 4),
                "dispersion_size_per_day": None if r is None else round(float(size[i]) * g, 4),
                "p_value": count_sf(count, expected, r),
            },
        )
