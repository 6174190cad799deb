"""The ``outbreak`` detector's expected counts: where buckets fall in the week, the pooled quantities all keys of
a range share, a key's seasonal profile (shrunk to its place's and the town's), its gamma-posterior level and
the residuals its over-dispersion is estimated from. Every estimate uses only buckets before the window."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from scipy.stats import nbinom

from alerts.detectors.outbreak_options import OutbreakOptions
from alerts.series import Series
from core import SHANGHAI

WEEK = timedelta(days=7)
_MONDAY = datetime(2024, 1, 1)  # a Monday; buckets are compared in Asia/Shanghai wall time


@dataclass
class Pool:
    """What all keys of one range share: pooled profile, pooled dispersion and typical rate, per bucket."""

    profile: np.ndarray  # pooled profile factor per bucket (mean ≈ 1)
    theta: dict[int, np.ndarray]  # per window length: pooled θ_w usable for windows starting at t
    rate: np.ndarray  # pooled typical rate per bucket (prior mean of a key's level)
    hod: np.ndarray  # pooled hour-of-day factor per bucket
    places: dict[str, np.ndarray] = field(default_factory=dict)  # per place: its profile factor per bucket
    place_totals: dict[str, np.ndarray] = field(default_factory=dict)  # per place: its keys' counts summed
    profile_var: np.ndarray | None = None  # relative variance of the pooled profile factor per bucket
    place_var: np.ndarray | None = None  # per bucket: estimated relative variance of places' slots round the town's
    key_var: np.ndarray | None = None  # per bucket: the same for keys round their place's other keys
    priors: dict[str, tuple[np.ndarray, np.ndarray] | np.ndarray | None] = field(default_factory=dict)  # per key

    def strength(self, o: OutbreakOptions, prior: object, place: bool = False) -> np.ndarray | float:
        """Gamma shape of a slot's prior: from the estimated spread (``prior_strength: estimated``) of places round
        the town's (``place``, or a key alone at its place: its own place) or of keys round their place's other
        keys (``prior`` a tuple); else the fixed ``place_strength`` / ``profile_strength``."""
        by_key = isinstance(prior, tuple) and not place
        var = self.key_var if by_key else self.place_var
        if var is None:
            return o.place_strength if place else o.profile_strength
        return 1.0 / var


@dataclass(frozen=True)
class Geo:
    """Where the buckets fall: buckets per week and per day, offsets from Monday 00:00 and midnight, weekend."""

    period: int
    day: int
    off_w: int
    off_d: int
    weekend: np.ndarray


def geography(start: datetime, step: timedelta, n: int) -> Geo:
    """Where ``n`` buckets of ``step`` from ``start`` fall in the Shanghai week (no week/day: 0 per period)."""
    period = int(WEEK / step) if (WEEK / step).is_integer() else 0
    day = int(timedelta(days=1) / step) if (timedelta(days=1) / step).is_integer() else 0
    local = start.astimezone(SHANGHAI).replace(tzinfo=None)
    since_monday = (local - _MONDAY) % WEEK
    off_w = int(since_monday / step) if period else 0
    off_d = int((since_monday % timedelta(days=1)) / step) if day else 0
    weekend = ((off_w + np.arange(n)) // day) % 7 >= 5 if period and day else np.zeros(n, dtype=bool)
    return Geo(period, day, off_w, off_d, weekend)


def excl_cumsum(a: np.ndarray) -> np.ndarray:
    """``c[i] = a[0] + … + a[i-1]``, length ``len(a) + 1``."""
    out = np.zeros(len(a) + 1, dtype=np.float64)
    np.cumsum(a, out=out[1:])
    return out


def slot_past(a: np.ndarray, off: int, period: int) -> np.ndarray:
    """For each bucket, the sum of ``a`` over the same slot in previous periods (``t−period, t−2·period, …``)."""
    n = len(a)
    rows = -(-(off + n) // period)
    padded = np.zeros(rows * period)
    padded[off:off + n] = a
    m = padded.reshape(rows, period)
    past = np.cumsum(m, axis=0) - m
    return past.reshape(-1)[off:off + n]


def window_max(a: np.ndarray, w: int) -> np.ndarray:
    """Max over ``[t−w+1, t]`` for each t."""
    if w == 1:
        return a
    padded = np.concatenate((np.full(w - 1, a[0]), a))
    return np.lib.stride_tricks.sliding_window_view(padded, w).max(axis=1)


def window_sum(a: np.ndarray, w: int) -> np.ndarray:
    """Sum over ``[t−w+1, t]`` for each t (shorter at the start)."""
    c = excl_cumsum(a)
    idx = np.arange(len(a))
    return c[idx + 1] - c[np.maximum(idx + 1 - w, 0)]


def slots(o: OutbreakOptions, a: np.ndarray, geo: Geo) -> np.ndarray:
    """For each bucket, the sum of ``a`` over its profile slot in the past: the same hour of previous days of
    the same type (weekday / weekend) for ``daytype``, the same hour of previous weeks for ``week``."""
    if o.profile_model == "week" or not geo.day:
        return slot_past(a, geo.off_w, geo.period) if geo.period else np.zeros(len(a))
    out = np.zeros(len(a))
    for mask in (geo.weekend, ~geo.weekend):
        out = np.where(mask, slot_past(a * mask, geo.off_d, geo.day), out)
    sm = o.profile_smoothing
    if sm > 0 and len(out) > 1:  # slot sums of the hours on either side (they too lie in the past)
        out = (1 - 2 * sm) * out + sm * (np.concatenate((out[:1], out[:-1])) + np.concatenate((out[1:], out[-1:])))
    return out


def profile(o: OutbreakOptions, x: np.ndarray, use: np.ndarray, pool: Pool, geo: Geo,
            prior: tuple[np.ndarray, np.ndarray] | np.ndarray | None = None, strength: float | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
    """A profile factor per bucket (relative to the running mean) and its relative variance.

    ``daytype``: the same hour on previous days of the same type, shrunk to ``prior`` (factor and relative
    variance; None: the town's). ``profile_prior: shape`` (default): a gamma prior of mean ``prior`` and shape
    ``strength`` (so its pull does not fade where the prior is small: a quiet night slot is not pulled to zero
    by the few counts it saw), combined with the prior's own variance; the posterior is gamma, its relative
    variance ``1 / shape``. ``counts``: the earlier ``strength`` pseudo-counts of expected complaints.
    ``week``: hour of day from previous days shrunk to the pooled hour of day, then hour of week from previous
    weeks shrunk to (own hour of day × pooled week/day).
    """
    k = o.profile_strength if strength is None else strength
    xu, u = x * use, use.astype(np.float64)
    cx, cu = excl_cumsum(xu)[:-1], excl_cumsum(u)[:-1]
    rate = np.divide(cx, cu, out=np.zeros_like(cx), where=cu > 0)
    if o.profile_model == "daytype" and geo.day:
        if isinstance(prior, tuple):
            base, bvar = prior
        else:
            base = pool.profile if prior is None else prior
            bvar = (pool.profile_var if pool.profile_var is not None else np.zeros(len(x))) if prior is None \
                else np.zeros(len(x))
        c, m = slots(o, xu, geo), slots(o, u, geo)
        theta1 = pool.theta.get(1, np.full(len(x), 0.3)) if pool.theta else np.full(len(x), 0.3)
        if o.profile_prior == "shape":
            base = np.maximum(base, 1e-6)
            kappa = 1.0 / (1.0 / np.maximum(k, 1e-9) + bvar)
            f = 1.0 / (1.0 + theta1 * base * rate)  # a count's information under the hourly over-dispersion
            shape = kappa + c * f
            return shape / (kappa / base + m * rate * f), 1.0 / shape
        d = m * rate + k
        p = (c + k * base) / d
        # relative variance of the estimate: the slot's own counts (Poisson × hourly over-dispersion θ₁ of
        # the town) and the prior's, weighted as they enter the estimate
        r = p * rate
        var = (m * r * (1 + theta1 * r) + (k * base * o.profile_uncertainty) ** 2) / d**2
        return p, var / np.maximum(p, 1e-9) ** 2
    hod = pool.hod
    if geo.day:
        c, m = slot_past(xu, geo.off_d, geo.day), slot_past(u, geo.off_d, geo.day)
        hod = (c + k * pool.hod) / (m * rate + k)
    if not geo.period:
        return hod, np.zeros(len(x))
    base = hod * pool.profile / pool.hod
    c, m = slot_past(xu, geo.off_w, geo.period), slot_past(u, geo.off_w, geo.period)
    return (c + k * base) / (m * rate + k), o.profile_uncertainty ** 2 / (1 + m) ** 2


def place_prior(o: OutbreakOptions, x: np.ndarray, pool: Pool, geo: Geo, place: str
                ) -> tuple[np.ndarray, np.ndarray] | np.ndarray | None:
    """The prior of a key's profile: its place's rhythm. ``profile_prior: shape``: from the place's *other* keys
    only (factor and relative variance; None when it has none: then the town's) — a prior drawn from the key's own
    counts would count them twice and pull a slot that saw few complaints further down. ``counts``: the earlier
    profile of the place's keys summed, the key included."""
    if o.profile_prior != "shape":
        return pool.places.get(place)
    total = pool.place_totals.get(place)
    if total is None:
        return None
    rest = total - x
    if not rest.any():
        return None
    return profile(o, rest, np.ones(len(x), dtype=bool), pool, geo, None, pool.strength(o, None, place=True))


def prior_variance(o: OutbreakOptions, xs: list[np.ndarray], priors: list[tuple[np.ndarray, np.ndarray]], geo: Geo,
                   theta1: float = 0.3) -> np.ndarray | None:
    """Per bucket, the relative variance of the true slot factors round their priors, estimated across series
    (empirical Bayes, method of moments, from past buckets only): for each series the slot's past count ``c`` and
    its expectation under the prior ``e`` (days seen × running mean × prior factor) give
    ``((c − e)² − e − θ₁e²/days) / e² − prior variance``, an unbiased estimate of the spread; the series are
    weighted by how much they say (``1 / (v₀ + 1/e + θ₁/days)²``). None where no series says anything. Places differ
    most where their rhythms part (evenings, early mornings): a fixed prior shape there pulled a busy evening
    slot to the town's and under-estimated it."""
    if not xs:
        return None
    n = len(xs[0])
    days = slots(o, np.ones(n), geo)
    cu = np.arange(n, dtype=np.float64)
    num, den = np.zeros(n), np.zeros(n)
    for x, (base, bvar) in zip(xs, priors, strict=True):
        rate = excl_cumsum(x)[:-1] / np.maximum(cu, 1)
        e = days * rate * np.maximum(base, 1e-6)
        ok = (e > 0) & (days > 0)
        es, ds = np.where(ok, e, 1.0), np.maximum(days, 1.0)
        z = ((slots(o, x, geo) - es) ** 2 - es - theta1 * es**2 / ds) / es**2 - bvar
        wt = np.where(ok, 1.0 / (0.125 + 1.0 / es + theta1 / ds) ** 2, 0.0)
        num += wt * z
        den += wt
    if not den.any():
        return None
    v = np.divide(num, den, out=np.full(n, np.nan), where=den > 0)
    fallback = 1.0 / max(o.place_strength, 1e-9)
    return np.clip(np.where(np.isfinite(v), v, fallback), 0.01, 2.0)


def level(o: OutbreakOptions, x: np.ndarray, use: np.ndarray, prof: np.ndarray, seg: int, w: int,
          rate_prior: np.ndarray, step: timedelta) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per window end t: gamma posterior (a, b) of the level from before the window, and history length."""
    n = len(x)
    cx, cp, cu = excl_cumsum(x * use), excl_cumsum(prof * use), excl_cumsum(use.astype(np.float64))
    j = np.clip(np.arange(n) - w + 1, 0, None)  # window start
    lo = np.maximum(j - int(timedelta(days=o.baseline_days) / step), seg)
    lo = np.minimum(lo, j)
    a0 = o.prior_shape
    b0 = a0 / np.maximum(rate_prior[j], 1e-6)
    a = a0 + cx[j] - cx[lo]
    b = b0 + cp[j] - cp[lo]
    hist = cu[j] - cu[lo]
    return a, b, hist


def pooled(o: OutbreakOptions, keys: list[Series], xs: list[np.ndarray], geo: Geo, wins: list[int],
           step: timedelta, alpha: dict[int, float] | None = None) -> Pool:
    """The pooled profile, place profiles, typical rate and θ_w of the keys of one range."""
    n = len(xs[0])
    ones = np.ones(n, dtype=bool)
    total = np.sum(xs, axis=0)
    cu = np.arange(n, dtype=np.float64)
    rate = np.maximum(excl_cumsum(total)[:-1] / np.maximum(cu, 1) / len(xs), 1e-3)
    hod = np.ones(n)
    if geo.day:  # pooled hour-of-day, from previous days, shrunk to flat
        c, m = slot_past(total, geo.off_d, geo.day), slot_past(np.ones(n), geo.off_d, geo.day)
        hod = (c + 20.0) / (m * rate * len(xs) + 20.0)
    prof = hod
    if geo.period:  # pooled profile slots, shrunk to the hour-of-day profile
        c, m = slots(o, total, geo), slots(o, np.ones(n), geo)
        prof = (c + 20.0 * hod) / (m * rate * len(xs) + 20.0)
    pool = Pool(prof, {}, rate, hod)
    if geo.period:
        pool.profile_var = 1.0 / (20.0 + c)
    if o.place_strength > 0 and o.profile_model == "daytype":
        by_place: dict[str, np.ndarray] = {}
        for s, x in zip(keys, xs, strict=True):
            place = s.key.split("|", 1)[0]
            by_place[place] = by_place.get(place, 0) + x
        pool.place_totals = by_place
        if o.profile_prior != "shape":
            pool.places = {pl: profile(o, t, ones, pool, geo, None, o.place_strength)[0]
                           for pl, t in by_place.items()}
        elif o.prior_strength == "estimated":
            bv = pool.profile_var if pool.profile_var is not None else np.zeros(n)
            pool.place_var = prior_variance(o, list(by_place.values()), [(pool.profile, bv)] * len(by_place), geo)
    # a key's prior (its place's other keys) does not change during the scan: computed once here
    pool.priors = {s.key: place_prior(o, x, pool, geo, s.key.split("|", 1)[0]) for s, x in zip(keys, xs, strict=True)}
    if pool.place_var is not None:
        pairs = [(x, pool.priors[s.key]) for s, x in zip(keys, xs, strict=True)
                 if isinstance(pool.priors[s.key], tuple)]
        pool.key_var = prior_variance(o, [x for x, _ in pairs], [pr for _, pr in pairs], geo)  # type: ignore[misc]
        if pool.key_var is None:
            pool.key_var = pool.place_var
    profs = []
    for s, x in zip(keys, xs, strict=True):
        prior = pool.priors[s.key]
        profs.append(profile(o, x, ones, pool, geo, prior, pool.strength(o, prior))[0])
    guard = int(timedelta(days=1) / step)
    for rnd in range(2 if o.robust_pool else 1):
        # second round: leave out the windows that would have been matches (p < α_w) under the first round's θ_w —
        # past spikes are no over-dispersion, and many keys spiking at once (a town-wide event) would otherwise
        # lift every key's θ_w for the rest of the range (a short spike days after a long one was then missed)
        ref = dict(pool.theta) if rnd else {}
        num = {w: np.zeros(n + 1) for w in wins}
        den = {w: np.zeros(n + 1) for w in wins}
        for x, p in zip(xs, profs, strict=True):
            for w in wins:
                r, q = residuals(o, x, ones, p, 0, w, rate, step, ref.get(w), (alpha or {}).get(w, 1e-6))
                num[w] += excl_cumsum(r)
                den[w] += excl_cumsum(q)
        for w in wins:
            j = np.clip(np.arange(n) - w + 1 - guard, 0, None)
            pool.theta[w] = np.clip((num[w][j] + 10.0 * 0.3) / (den[w][j] + 10.0), o.min_dispersion, 5.0)
    return pool


def residuals(o: OutbreakOptions, x: np.ndarray, use: np.ndarray, prof: np.ndarray, seg: int, w: int,
              rate: np.ndarray, step: timedelta, theta_ref: np.ndarray | None = None, drop_p: float = 1e-6
              ) -> tuple[np.ndarray, np.ndarray]:
    """Per window end: ``q·((S−M)² − M)/M²`` and the information weight ``q`` (0 where not usable), per ``w``.

    ``q = (θ₀M/(1 + θ₀M))²`` is how much a window says about θ (≈ 1 for busy keys, ≈ 0 for sparse ones).
    ``theta_ref`` (per window end): windows whose count is an anomaly under NB(M, θ_ref) (p < ``drop_p``, the
    window's α: a window that would have been a match) are left out.
    """
    a, b, hist = level(o, x, use, prof, seg, w, rate, step)
    m = a / b * window_sum(prof, w)
    s = window_sum(x, w)
    full = (window_sum(use.astype(np.float64), w) >= w) & (np.arange(len(x)) >= w - 1)
    ok = (hist >= 3 * timedelta(days=1) / step) & full & (m > 0)
    m = np.where(ok, m, 1.0)
    if theta_ref is not None:
        z = (s - m) / np.sqrt(m + theta_ref * m * m)
        far = np.flatnonzero(ok & (z > 3.0))
        if len(far):
            size = 1.0 / theta_ref[far]
            ok[far] &= nbinom.sf(s[far] - 1, size, size / (size + m[far])) >= drop_p
    # the level's own error (relative variance 1/a, counted apart in the predictive law) is no over-dispersion
    clip = o.long_residual_clip * (m + 0.3 * m * m) if w * step > timedelta(days=1) else 25.0 * (m + m * m)
    r = (np.minimum((s - m) ** 2, clip) - m) / (m * m) - o.level_error_share / a
    q = (0.3 * m / (1 + 0.3 * m)) ** 2
    return np.where(ok, q * r / w, 0.0), np.where(ok, q / w, 0.0)
