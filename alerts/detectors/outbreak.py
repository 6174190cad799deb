"""``outbreak``: a seasonal negative-binomial scan with a false-alarm budget (the default detector).

Modelled on public-health outbreak detection (Farrington flexible / Noufaily 2013, EARS C1–C3, NB CUSUM
with a seasonal expectation), for hourly complaint counts per key (docs/alerts.md gives the method and the
measured figures). For every bucket ``t`` and every window length ``w`` (1, 2, 3, 6, 12, 24 h; chosen on the
tuning seeds: 72 h and 168 h windows spent the budget on slow changes) ending at ``t``:

- **expected count** ``M = level × Σ profile`` over the window. The profile (``daytype``) is an hour-of-day
  factor for weekdays and one for weekends, each slot pooling the same hour of every previous day of its type;
  a place's profile (its keys summed) is shrunk towards the town's, and a key's own towards its place's, so a
  sparse key borrows its place's and the town's rhythm (quiet nights, busy evenings, weekends) and a busy key
  keeps its own (``week``: the earlier 168 hour-of-week cells). The estimate's own variance is added to θ.
  The level is a gamma posterior (prior: the pooled typical rate, shape ``prior_shape``) from the last
  ``baseline_days`` before the window;
- **over-dispersion**: for each window length, the excess variance ``θ_w`` of window counts over ``M²``
  (``Var = M + θ_w·M²``), estimated from the key's past residuals and shrunk to the pooled value; the level's
  own uncertainty adds ``1/shape`` — the window count is then negative binomial with size ``1/(θ_w + 1/a)``.
  Where that NB would alarm, the p-value is recomputed under a heavier-tailed law of the same variance
  (``tail: day-mixture``): a busy-day gamma factor (``θ_day``, from ``θ_w ≈ θ_day + θ_hour/w``) times hourly
  NB noise — complaints come in busy days and busy hours, and a product of two gammas has a heavier tail;
- **the p-value** ``P(X ≥ observed)``; a match when it is below ``α_w`` and the window holds ``min_count``
  distinct complaints (a key whose baseline holds fewer than ``min_count``: ``new_key_min_count`` within a day).
  ``α_w`` comes from the budget: ``α_w ∝ w^window_weight_power`` (0.5: longer windows, fewer of them, get
  a larger share) scaled so that ``effective_tests × Σ_w (168/w)·α_w = false_alarms_per_1000_key_weeks / 1000``
  (``effective_tests`` 1: windows of several lengths ending together are correlated, so this over-counts
  and the rate found stays at or below the budget) — a weighted scan-statistic Bonferroni bound, so the
  budget is the config number, not a side effect of a threshold;
- **episodes**: after a match the key is followed against the *frozen* pre-episode baseline; it ends after
  ``quiet_hours`` without an elevated bucket (p < ``continue_p``), and its buckets are left out of every later
  baseline (profile, level, dispersion) — past spikes do not mask the next one. If, ``shift_hours`` after
  it began, the last day is still elevated, it is a level shift: the baseline restarts from the last day,
  so a shift gives one case and then adapts.

Every match explains itself in Chinese (``details.explanation``): expected vs observed, the window, the
p-value and the threshold. Slow rises over weeks mostly stay inside the adapting level (they are reported as a
trend, 持续上升, by :mod:`alerts.trends`). All estimates use only buckets before the window, so the detector
is causal: a prefix of a series gives the same matches as the whole series over that prefix.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import ClassVar, Literal

import numpy as np
from pydantic import Field, field_validator
from scipy.stats import gamma, nbinom

from alerts.detectors.base import Detector, DetectorOptions, SpikeMatch, register
from alerts.series import Series, parse_duration
from core import SHANGHAI

_WEEK = timedelta(days=7)
_MONDAY = datetime(2024, 1, 1)  # a Monday; buckets are compared in Asia/Shanghai wall time


class OutbreakOptions(DetectorOptions):
    """Options of the ``outbreak`` detector (defaults are the measured configuration of docs/alerts.md)."""

    false_alarms_per_1000_key_weeks: float | None = Field(
        None, gt=0, description="false-alarm budget (default: alerts.false_alarms_per_1000_key_weeks, else 1)")
    effective_tests: float = Field(1.0, gt=0, le=1, description="share of the Σ 168/w window tests counted as "
                                   "independent (1: plain Bonferroni; lower spends more of the budget)")
    window_weight_power: float = Field(0.5, ge=0, le=2, description="α_w ∝ w^power: share of the budget by window")
    windows: list[str] = Field(default_factory=lambda: ["1h", "2h", "3h", "6h", "12h", "24h"],
                               description="window lengths scanned at every bucket")
    baseline_days: float = Field(14, gt=0, description="trailing days of the level estimate")
    min_history_hours: float = Field(24, ge=0, description="silent until this much history precedes a window")
    min_count: int = Field(3, ge=1, description="minimum distinct complaints in the window")
    new_key_min_count: int = Field(5, ge=1, description="when the key's baseline holds fewer than min_count: this "
                                   "many within a day")
    prior_shape: float = Field(0.5, gt=0, description="gamma prior shape of a key's level (pooled mean)")
    profile_strength: float = Field(8.0, ge=0, description="pseudo-counts pulling a key's profile to the pooled one")
    dispersion_strength: float = Field(20.0, ge=0, description="pseudo-windows pulling a key's θ_w to the pooled θ_w")
    profile_uncertainty: float = Field(0.5, ge=0, description="relative sd of a slot's factor never seen before")
    profile_model: Literal["daytype", "week"] = Field(
        "daytype", description="daytype: an hour-of-day profile for weekdays and one for weekends (a slot pools "
        "every past day of its type); week: 168 hour-of-week cells")
    profile_smoothing: float = Field(0.0, ge=0, le=0.34, description="weight of each neighbouring hour in a "
                                     "daytype slot (0: none; the profile is a smooth curve, a cell is noisy)")
    place_strength: float = Field(8.0, ge=0, description="pseudo-counts pulling a place's profile (all its keys) to "
                                  "the town's; a key's own profile is then pulled to its place's (0: no place level)")
    min_dispersion: float = Field(0.02, ge=0, description="floor of θ_w")
    dispersion_margin: float = Field(1.0, ge=1, description="θ_w is multiplied by this (1: the heavier "
                                     "tail comes from tail=day-mixture)")
    tail: Literal["nb", "day-mixture"] = Field(
        "day-mixture", description="law of a window count: one negative binomial of the estimated variance, or "
        "(day-mixture) a busy-day gamma factor times hourly NB noise with the same variance — a heavier tail")
    mid_p: bool = Field(True, description="mid-p values, P(X > s) + ½·P(X = s): less conservative on sparse keys, "
                        "whose counts move in big steps")
    continue_p: float = Field(1e-3, gt=0, lt=1, description="an episode goes on while some window is below this p")
    quiet_hours: float = Field(24, gt=0, description="an episode ends after this long without an elevated bucket")
    shift_hours: float = Field(72, gt=0, description="an episode still elevated this long is a level shift")

    @field_validator("windows")
    @classmethod
    def _durations(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("at least one window")
        for w in v:
            parse_duration(w)
        return v


@dataclass
class _Pool:
    """What all keys of one range share: pooled profile, pooled dispersion and typical rate, per bucket."""

    profile: np.ndarray  # pooled profile factor per bucket (mean ≈ 1)
    theta: dict[int, np.ndarray]  # per window length: pooled θ_w usable for windows starting at t
    rate: np.ndarray  # pooled typical rate per bucket (prior mean of a key's level)
    hod: np.ndarray  # pooled hour-of-day factor per bucket
    places: dict[str, np.ndarray] = field(default_factory=dict)  # per place: its profile factor per bucket


@dataclass(frozen=True)
class _Geo:
    """Where the buckets fall: buckets per week and per day, offsets from Monday 00:00 and midnight, weekend."""

    period: int
    day: int
    off_w: int
    off_d: int
    weekend: np.ndarray


def _excl_cumsum(a: np.ndarray) -> np.ndarray:
    """``c[i] = a[0] + … + a[i-1]``, length ``len(a) + 1``."""
    out = np.zeros(len(a) + 1, dtype=np.float64)
    np.cumsum(a, out=out[1:])
    return out


def _slot_past(a: np.ndarray, off: int, period: int) -> np.ndarray:
    """For each bucket, the sum of ``a`` over the same slot in previous periods (``t−period, t−2·period, …``)."""
    n = len(a)
    rows = -(-(off + n) // period)
    padded = np.zeros(rows * period)
    padded[off:off + n] = a
    m = padded.reshape(rows, period)
    past = np.cumsum(m, axis=0) - m
    return past.reshape(-1)[off:off + n]


def _window_max(a: np.ndarray, w: int) -> np.ndarray:
    """Max over ``[t−w+1, t]`` for each t."""
    if w == 1:
        return a
    padded = np.concatenate((np.full(w - 1, a[0]), a))
    return np.lib.stride_tricks.sliding_window_view(padded, w).max(axis=1)


def _window_sum(a: np.ndarray, w: int) -> np.ndarray:
    """Sum over ``[t−w+1, t]`` for each t (shorter at the start)."""
    c = _excl_cumsum(a)
    idx = np.arange(len(a))
    return c[idx + 1] - c[np.maximum(idx + 1 - w, 0)]


@register
class OutbreakDetector(Detector):
    """Seasonal negative-binomial scan over several windows, α from the false-alarm budget; episodes adapt."""

    name: ClassVar[str] = "outbreak"
    Options = OutbreakOptions
    options: OutbreakOptions

    # ---- public ----------------------------------------------------------
    def detect(self, series: Series) -> list[SpikeMatch]:
        """Matches for one key (pooled quantities from this key alone)."""
        return self.detect_many({series.key: series})

    def detect_many(self, series: Mapping[str, Series]) -> list[SpikeMatch]:
        """Matches for many keys sharing one range; the profile, dispersion and prior are pooled over them."""
        groups: dict[tuple, list[Series]] = {}
        for s in series.values():
            groups.setdefault((s.start, s.step, len(s)), []).append(s)
        out: list[SpikeMatch] = []
        for group in groups.values():
            out.extend(self._detect_group(group))
        return sorted(out, key=lambda m: (m.bucket, m.key))

    def alpha(self, step: timedelta, w: int = 1) -> float:
        """The significance level of a ``w``-bucket window for a bucket length (see the module docstring).

        ``α_w ∝ w^window_weight_power``, scaled so that ``effective_tests × Σ_w (buckets per week / w) · α_w``
        equals the budget per key-week.
        """
        o = self.options
        budget = o.false_alarms_per_1000_key_weeks or 1.0
        per_week = _WEEK / step
        g = o.window_weight_power
        tests = sum(per_week / v * v**g for v in self._windows(step)) * o.effective_tests
        return budget / 1000.0 / tests * w**g

    # ---- set-up ----------------------------------------------------------
    def _windows(self, step: timedelta) -> list[int]:
        return sorted({max(1, math.ceil(parse_duration(w) / step)) for w in self.options.windows})

    def _detect_group(self, group: list[Series]) -> list[SpikeMatch]:
        s0 = group[0]
        n = len(s0)
        if n == 0:
            return []
        step = s0.step
        period = int(_WEEK / step) if (_WEEK / step).is_integer() else 0
        day = int(timedelta(days=1) / step) if (timedelta(days=1) / step).is_integer() else 0
        local = s0.start.astimezone(SHANGHAI).replace(tzinfo=None)
        since_monday = (local - _MONDAY) % _WEEK
        off_w = int(since_monday / step) if period else 0
        off_d = int((since_monday % timedelta(days=1)) / step) if day else 0
        weekend = ((off_w + np.arange(n)) // day) % 7 >= 5 if period and day else np.zeros(n, dtype=bool)
        geo = _Geo(period, day, off_w, off_d, weekend)
        keys = [s for s in group if np.asarray(s.counts).any()]
        xs = [np.asarray(s.counts, dtype=np.float64) for s in keys]
        if not keys:
            return []
        wins = self._windows(step)
        pool = self._pool(keys, xs, geo, wins, step)
        alpha = {w: self.alpha(step, w) for w in wins}
        out: list[SpikeMatch] = []
        for s, x in zip(keys, xs, strict=True):
            out.extend(self._scan(s, x, pool, geo, wins, alpha))
        return out

    def _slots(self, a: np.ndarray, geo: _Geo) -> np.ndarray:
        """For each bucket, the sum of ``a`` over its profile slot in the past: the same hour of previous days of
        the same type (weekday / weekend) for ``daytype``, the same hour of previous weeks for ``week``."""
        if self.options.profile_model == "week" or not geo.day:
            return _slot_past(a, geo.off_w, geo.period) if geo.period else np.zeros(len(a))
        out = np.zeros(len(a))
        for mask in (geo.weekend, ~geo.weekend):
            out = np.where(mask, _slot_past(a * mask, geo.off_d, geo.day), out)
        sm = self.options.profile_smoothing
        if sm > 0 and len(out) > 1:  # slot sums of the hours on either side (they too lie in the past)
            out = (1 - 2 * sm) * out + sm * (np.concatenate((out[:1], out[:-1])) + np.concatenate((out[1:], out[-1:])))
        return out

    def _profile(self, x: np.ndarray, use: np.ndarray, pool: _Pool, geo: _Geo, prior: np.ndarray | None = None,
                 strength: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """A profile factor per bucket (relative to the running mean) and how many past slots it rests on.

        ``daytype``: the same hour on previous days of the same type, shrunk (``strength`` pseudo-counts) to
        ``prior`` (the place's profile, else the town's). ``week``: hour of day from previous days shrunk to the
        pooled hour of day, then hour of week from previous weeks shrunk to (own hour of day × pooled week/day).
        """
        k = self.options.profile_strength if strength is None else strength
        xu, u = x * use, use.astype(np.float64)
        cx, cu = _excl_cumsum(xu)[:-1], _excl_cumsum(u)[:-1]
        rate = np.divide(cx, cu, out=np.zeros_like(cx), where=cu > 0)
        if self.options.profile_model == "daytype" and geo.day:
            base = pool.profile if prior is None else prior
            c, m = self._slots(xu, geo), self._slots(u, geo)
            d = m * rate + k
            p = (c + k * base) / d
            # relative variance of the estimate: the slot's own counts (Poisson × hourly over-dispersion θ₁ of
            # the town) and the prior's, weighted as they enter the estimate
            r = p * rate
            theta1 = pool.theta.get(1, np.full(len(x), 0.3)) if pool.theta else np.full(len(x), 0.3)
            var = (m * r * (1 + theta1 * r) + (k * base * self.options.profile_uncertainty) ** 2) / d**2
            return p, var / np.maximum(p, 1e-9) ** 2
        hod = pool.hod
        if geo.day:
            c, m = _slot_past(xu, geo.off_d, geo.day), _slot_past(u, geo.off_d, geo.day)
            hod = (c + k * pool.hod) / (m * rate + k)
        if not geo.period:
            return hod, np.zeros(len(x))
        base = hod * pool.profile / pool.hod
        c, m = _slot_past(xu, geo.off_w, geo.period), _slot_past(u, geo.off_w, geo.period)
        return (c + k * base) / (m * rate + k), self.options.profile_uncertainty ** 2 / (1 + m) ** 2

    def _level(self, x: np.ndarray, use: np.ndarray, prof: np.ndarray, seg: int, w: int, rate_prior: np.ndarray,
               step: timedelta) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per window end t: gamma posterior (a, b) of the level from before the window, and history length."""
        o = self.options
        n = len(x)
        cx, cp, cu = _excl_cumsum(x * use), _excl_cumsum(prof * use), _excl_cumsum(use.astype(np.float64))
        j = np.clip(np.arange(n) - w + 1, 0, None)  # window start
        lo = np.maximum(j - int(timedelta(days=o.baseline_days) / step), seg)
        lo = np.minimum(lo, j)
        a0 = o.prior_shape
        b0 = a0 / np.maximum(rate_prior[j], 1e-6)
        a = a0 + cx[j] - cx[lo]
        b = b0 + cp[j] - cp[lo]
        hist = cu[j] - cu[lo]
        return a, b, hist

    def _pool(self, keys: list[Series], xs: list[np.ndarray], geo: _Geo, wins: list[int], step: timedelta) -> _Pool:
        n = len(xs[0])
        ones = np.ones(n, dtype=bool)
        total = np.sum(xs, axis=0)
        cu = np.arange(n, dtype=np.float64)
        rate = np.maximum(_excl_cumsum(total)[:-1] / np.maximum(cu, 1) / len(xs), 1e-3)
        hod = np.ones(n)
        if geo.day:  # pooled hour-of-day, from previous days, shrunk to flat
            c, m = _slot_past(total, geo.off_d, geo.day), _slot_past(np.ones(n), geo.off_d, geo.day)
            hod = (c + 20.0) / (m * rate * len(xs) + 20.0)
        prof = hod
        if geo.period:  # pooled profile slots, shrunk to the hour-of-day profile
            c, m = self._slots(total, geo), self._slots(np.ones(n), geo)
            prof = (c + 20.0 * hod) / (m * rate * len(xs) + 20.0)
        pool = _Pool(prof, {}, rate, hod)
        if self.options.place_strength > 0 and self.options.profile_model == "daytype":
            by_place: dict[str, np.ndarray] = {}
            for s, x in zip(keys, xs, strict=True):
                place = s.key.split("|", 1)[0]
                by_place[place] = by_place.get(place, 0) + x
            pool.places = {pl: self._profile(t, ones, pool, geo, None, self.options.place_strength)[0]
                           for pl, t in by_place.items()}
        num = {w: np.zeros(n + 1) for w in wins}
        den = {w: np.zeros(n + 1) for w in wins}
        for s, x in zip(keys, xs, strict=True):
            p, _var = self._profile(x, ones, pool, geo, pool.places.get(s.key.split("|", 1)[0]))
            for w in wins:
                r, q = self._residuals(x, ones, p, 0, w, rate, step)
                num[w] += _excl_cumsum(r)
                den[w] += _excl_cumsum(q)
        guard = int(timedelta(days=1) / step)
        for w in wins:
            j = np.clip(np.arange(n) - w + 1 - guard, 0, None)
            pool.theta[w] = np.clip((num[w][j] + 10.0 * 0.3) / (den[w][j] + 10.0), self.options.min_dispersion, 5.0)
        return pool

    def _residuals(self, x: np.ndarray, use: np.ndarray, prof: np.ndarray, seg: int, w: int, rate: np.ndarray,
                   step: timedelta) -> tuple[np.ndarray, np.ndarray]:
        """Per window end: ``q·((S−M)² − M)/M²`` and the information weight ``q`` (0 where not usable), per ``w``.

        ``q = (θ₀M/(1 + θ₀M))²`` is how much a window says about θ (≈ 1 for busy keys, ≈ 0 for sparse ones).
        """
        a, b, hist = self._level(x, use, prof, seg, w, rate, step)
        m = a / b * _window_sum(prof, w)
        s = _window_sum(x, w)
        full = (_window_sum(use.astype(np.float64), w) >= w) & (np.arange(len(x)) >= w - 1)
        ok = (hist >= 3 * timedelta(days=1) / step) & full & (m > 0)
        m = np.where(ok, m, 1.0)
        r = (np.minimum((s - m) ** 2, 25.0 * (m + m * m)) - m) / (m * m)
        q = (0.3 * m / (1 + 0.3 * m)) ** 2
        return np.where(ok, q * r / w, 0.0), np.where(ok, q / w, 0.0)

    # ---- the scan --------------------------------------------------------
    def _stats(self, x: np.ndarray, use: np.ndarray, seg: int, pool: _Pool, geo: _Geo, wins: list[int],
               step: timedelta, place: str) -> dict[int, tuple[np.ndarray, ...]]:
        """Per window: observed S, expected M, NB size, history, level a/b, θ, profile — for every window end."""
        o = self.options
        prof, pvar = self._profile(x, use, pool, geo, pool.places.get(place))
        guard = int(timedelta(days=1) / step)
        out = {}
        for w in wins:
            a, b, hist = self._level(x, use, prof, seg, w, pool.rate, step)
            r, q = self._residuals(x, use, prof, seg, w, pool.rate, step)
            # residuals of windows that ended a day before this one starts: an anomaly under way is no noise
            j = np.clip(np.arange(len(x)) - w + 1 - guard, 0, None)
            cr, cq = _excl_cumsum(r)[j], _excl_cumsum(q)[j]
            lam = o.dispersion_strength
            theta = o.dispersion_margin * np.maximum((cr + lam * pool.theta[w]) / (cq + lam), o.min_dispersion) \
                + self._profile_error(prof, pvar, w)
            m = a / b * _window_sum(prof * use, w)  # a past episode's buckets count neither here nor there
            size = 1.0 / (theta + 1.0 / a)
            out[w] = (_window_sum(x * use, w), m, size, hist, a, b, theta, prof)
        return out

    def _profile_error(self, prof: np.ndarray, var: np.ndarray, w: int) -> np.ndarray:
        """Relative variance of a window's expected count from its profile estimate (added to θ_w).

        ``week``: the largest slot variance in the window; ``daytype``: ``Σ p²·v / (Σ p)²`` (slots are estimated
        from different counts, so their errors partly average out over a window)."""
        if self.options.profile_model == "week":
            return _window_max(var, w)
        return _window_sum(prof**2 * var, w) / np.maximum(_window_sum(prof, w), 1e-9) ** 2

    @staticmethod
    def _theta_day(st: dict, day: int) -> np.ndarray | None:
        """The part of θ_w shared by every hour of a day (busy days), per bucket: θ_w ≈ θ_day + θ_hour / w, solved
        from the shortest and the longest window of a day at most."""
        short = [v for v in st if v <= day]
        if len(short) < 2:
            return None
        w1, w2 = min(short), max(short)
        return np.clip((w2 * st[w2][6] - w1 * st[w1][6]) / (w2 - w1), 0.0, None)

    def _pvalues(self, st: dict, lo: int, hi: int, min_hist: float, alphas: dict[int, float], day: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For buckets ``[lo, hi)``: the smallest ``p_w / α_w`` over windows, the window and its p."""
        o = self.options
        best = np.full(hi - lo, np.inf)
        bestp = np.ones(hi - lo)
        which = np.zeros(hi - lo, dtype=np.int64)
        theta_day = self._theta_day(st, day) if o.tail == "day-mixture" else None
        for w, (s, m, size, hist, a, *_rest) in st.items():
            s, m, size, hist, past = s[lo:hi], m[lo:hi], size[lo:hi], hist[lo:hi], a[lo:hi] - o.prior_shape
            # a key whose baseline holds fewer than min_count complaints: new_key_min_count within a day
            new_need = o.new_key_min_count if w <= day else np.inf
            need = np.where(past < o.min_count - 1e-9, new_need, o.min_count)
            cand = (s >= need) & (hist >= min_hist) & (s > m) & (np.arange(lo, hi) >= w - 1)
            if not cand.any():
                continue
            idx = np.flatnonzero(cand)
            p = np.ones(hi - lo)
            half = 0.5 if o.mid_p else 0.0  # mid-p: P(X > s) + ½·P(X = s)
            pr = size[idx] / (size[idx] + m[idx])
            p[idx] = (1 - half) * nbinom.sf(s[idx] - 1, size[idx], pr) + half * nbinom.sf(s[idx], size[idx], pr)
            if theta_day is not None and w <= day:
                # where one negative binomial would alarm, ask the heavier-tailed law of the same variance
                far = idx[p[idx] < alphas[w]]
                if len(far):
                    th = st[w][6][lo:hi][far]
                    td = np.minimum(theta_day[lo:hi][far], 0.9 * th)
                    sz = 1.0 / (th - td + 1.0 / a[lo:hi][far])
                    p[far] = (1 - half) * _day_mixture_sf(s[far], m[far], td, sz)
                    if half:
                        p[far] += half * _day_mixture_sf(s[far] + 1, m[far], td, sz)
            ratio = p / alphas[w]
            better = ratio < best
            best = np.where(better, ratio, best)
            bestp = np.where(better, p, bestp)
            which = np.where(better, w, which)
        return best, which, bestp

    def _scan(self, s: Series, x: np.ndarray, pool: _Pool, geo: _Geo, wins: list[int], alpha: dict[int, float]
              ) -> list[SpikeMatch]:
        o = self.options
        step = s.step
        n = len(x)
        hours = step / timedelta(hours=1)
        min_hist = o.min_history_hours / hours
        quiet, shift = int(o.quiet_hours / hours), int(o.shift_hours / hours)
        day = max(1, int(24 / hours))
        use = np.ones(n, dtype=bool)
        seg, t0 = 0, 0
        out: list[SpikeMatch] = []
        while t0 < n:
            st = self._stats(x, use, seg, pool, geo, wins, step, s.key.split("|", 1)[0])
            ratio, which, p = self._pvalues(st, t0, n, min_hist, alpha, day)
            hits = np.flatnonzero(ratio < 1.0)
            if not len(hits):
                break
            t1 = t0 + int(hits[0])
            w = int(which[hits[0]])
            out.append(self._match(s, t1, w, float(p[hits[0]]), st[w], alpha[w]))
            start = t1 - min(w, day) + 1  # the episode, for masking and the shift test: at most its last day
            # follow the episode against the frozen pre-episode baseline
            a_w, b_w, prof = st[w][4], st[w][5], st[w][7]
            level, a_f = a_w[t1] / b_w[t1], a_w[t1]
            end = min(n, start + 7 * day + shift)
            elevated = np.zeros(end - t1, dtype=bool)
            short = [v for v in wins if v <= day] or [min(wins)]
            for v in short:  # an episode is about the current rate: windows of a day at most
                sv = _window_sum(x, v)[t1:end]
                mv = level * _window_sum(prof, v)[t1:end]
                size = 1.0 / (st[v][6][t1] + 1.0 / a_f)
                pv = np.where(sv > mv, nbinom.sf(sv - 1, size, size / (size + mv)), 1.0)
                elevated |= pv < o.continue_p
            cx, cp = _excl_cumsum(x), _excl_cumsum(prof)
            size_tail = 1.0 / (st[max(short)][6][t1] + 1.0 / a_f)
            last, nxt, new_seg, checked = t1, None, None, False
            for u in range(t1 + 1, end):
                if elevated[u - t1]:
                    last = u
                if u - last > quiet:
                    nxt = u
                    break
                if not checked and u - start + 1 >= shift:
                    # still above the old level after the first day? (a spike of a day would be over by now)
                    checked = True
                    s_tail, m_tail = cx[u + 1] - cx[start + day], level * (cp[u + 1] - cp[start + day])
                    if s_tail > m_tail and nbinom.sf(s_tail - 1, size_tail, size_tail / (size_tail + m_tail)) \
                            < o.continue_p:
                        new_seg = u - day + 1
                        break
            if new_seg is None and nxt is None and end < n:
                new_seg = end - day  # elevated for a week: treat as a new level
            if new_seg is not None:
                seg, t0 = new_seg, new_seg + day
                use[start:new_seg] = False
            elif nxt is not None:
                use[start:last + 1] = False
                t0 = nxt
            else:
                break  # still in the episode at the end of the series
        return out

    def _match(self, s: Series, t: int, w: int, p: float, st: tuple, alpha: float) -> SpikeMatch:
        obs, m, _size, _hist, a, b, theta, _prof = st
        count, expected = float(obs[t]), float(m[t])
        hours = s.step / timedelta(hours=1) * w
        span = f"{hours:g} 小时" if hours < 48 else f"{hours / 24:g} 天"
        budget = self.options.false_alarms_per_1000_key_weeks or 1.0
        ratio = count / expected if expected > 0 else math.inf
        text = (f"近 {span}（{_hm(s.bucket_at(t - w + 1))}–{_hm(s.bucket_at(t + 1))}）实际 {count:g} 件，"
                f"按该点位近期水平与时段规律预计 {expected:.1f} 件（{ratio:.1f} 倍）；"
                f"偶然出现的概率 p = {p:.1e}，低于阈值 {alpha:.1e}（每千键周误报 {budget:g} 次）")
        return SpikeMatch(
            key=s.key, detector=self.name, bucket=s.bucket_at(t), window_start=s.bucket_at(t - w + 1),
            window_end=s.bucket_at(t + 1), count=count, baseline=expected,
            score=math.log10(max(p, 1e-300)) / math.log10(alpha),
            details={
                "p_value": float(f"{p:.3g}"), "alpha": float(f"{alpha:.3g}"), "window_hours": hours,
                "expected": round(expected, 3), "observed": count,
                "level_per_day": round(float(a[t] / b[t]) * 24 / (s.step / timedelta(hours=1)), 4),
                "dispersion": round(float(theta[t]), 4), "explanation": text,
            },
        )


def _day_mixture_sf(s: np.ndarray, m: np.ndarray, theta_day: np.ndarray, size: np.ndarray, nodes: int = 64
                    ) -> np.ndarray:
    """``P(X ≥ s)`` for X negative binomial (mean ``m·G``, ``size``) given a day factor G ~ Gamma(mean 1, variance
    ``theta_day``): a product of two gamma noises has a heavier tail than one NB of the same variance.
    Integrated on a log grid of G from its 10⁻¹⁰ to its 1 − 10⁻¹³ quantile."""
    k = 1.0 / np.maximum(theta_day, 1e-6)[:, None]
    lo = np.maximum(gamma.ppf(1e-10, k, scale=1.0 / k), 1e-12)
    hi = gamma.ppf(1 - 1e-13, k, scale=1.0 / k)
    z = np.log(lo) + (np.log(hi) - np.log(lo)) * np.linspace(0.0, 1.0, nodes)[None, :]
    g = np.exp(z)
    wts = gamma.pdf(g, k, scale=1.0 / k) * g
    wts /= wts.sum(axis=1, keepdims=True)
    size = size[:, None]
    sf = nbinom.sf(s[:, None] - 1, size, size / (size + m[:, None] * g))
    return (wts * sf).sum(axis=1)


def _hm(dt: datetime) -> str:
    return f"{dt.astimezone(SHANGHAI):%m-%d %H:%M}"
