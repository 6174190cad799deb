"""The ``outbreak`` detector's window statistics and p-values: observed and expected counts per window length,
the over-dispersion θ_w (the key's residuals shrunk to the pooled value, plus the profile's own error), the
negative-binomial (mid-)p-value and, where it would alarm, the heavier busy-day × busy-hour tail."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from scipy.stats import gamma, nbinom

from alerts.detectors.outbreak_baseline import (
    Geo,
    Pool,
    excl_cumsum,
    level,
    place_prior,
    profile,
    residuals,
    window_max,
    window_sum,
)
from alerts.detectors.outbreak_options import OutbreakOptions


def window_stats(o: OutbreakOptions, x: np.ndarray, use: np.ndarray, seg: int, pool: Pool, geo: Geo,
                 wins: list[int], step: timedelta, key: str) -> dict[int, tuple[np.ndarray, ...]]:
    """Per window: observed S, expected M, NB size, history, level a/b, θ, profile — for every window end."""
    prior = pool.priors[key] if key in pool.priors else place_prior(o, x, pool, geo, key.split("|", 1)[0])
    prof, pvar = profile(o, x, use, pool, geo, prior, pool.strength(o, prior))
    guard = int(timedelta(days=1) / step)
    out = {}
    est: dict[int, np.ndarray] = {}  # per window: relative variance of the expected count's estimate (profile, days)
    for w in wins:
        a, b, hist = level(o, x, use, prof, seg, w, pool.rate, step)
        r, q = residuals(o, x, use, prof, seg, w, pool.rate, step)
        # residuals of windows that ended a day before this one starts: an anomaly under way is no noise
        j = np.clip(np.arange(len(x)) - w + 1 - guard, 0, None)
        cr, cq = excl_cumsum(r)[j], excl_cumsum(q)[j]
        lam = o.dispersion_strength
        est[w] = profile_error(o, prof, pvar, w)
        theta = o.dispersion_margin * np.maximum((cr + lam * pool.theta[w]) / (cq + lam), o.min_dispersion) \
            + est[w]
        m = a / b * window_sum(prof * use, w)  # a past episode's buckets count neither here nor there
        out[w] = (window_sum(x * use, w), m, None, hist, a, b, theta, prof)
    td = theta_day(out, guard) if o.level_day_error else None
    full = o.baseline_days * guard
    for w, (sw, m, _size, hist, a, b, theta, prof_) in out.items():
        if td is not None:
            # the level is a mean over the days of its baseline, and whole days are noisy: its error has a part
            # θ_day / days besides the Poisson 1/a. The residuals θ_w comes from already hold it for a full
            # baseline; what a shorter one adds (after a start or a restart, a day or two) is added here
            extra = td * np.clip(guard / np.maximum(hist, guard) - guard / full, 0.0, None)
            theta, est[w] = theta + extra, est[w] + extra
        out[w] = (sw, m, 1.0 / (theta + 1.0 / a), hist, a, b, theta, prof_, est[w])
    return out


def profile_error(o: OutbreakOptions, prof: np.ndarray, var: np.ndarray, w: int) -> np.ndarray:
    """Relative variance of a window's expected count from its profile estimate (added to θ_w).

    ``week``: the largest slot variance in the window; ``daytype``: ``Σ p²·v / (Σ p)²`` (slots are estimated
    from different counts, so their errors partly average out over a window)."""
    if o.profile_model == "week":
        return window_max(var, w)
    return window_sum(prof**2 * var, w) / np.maximum(window_sum(prof, w), 1e-9) ** 2


def theta_day(st: dict, day: int) -> np.ndarray | None:
    """The part of θ_w shared by every hour of a day (busy days), per bucket: θ_w ≈ θ_day + θ_hour / w, solved
    from the shortest and the longest window of a day at most."""
    short = [v for v in st if v <= day]
    if len(short) < 2:
        return None
    w1, w2 = min(short), max(short)
    return np.clip((w2 * st[w2][6] - w1 * st[w1][6]) / (w2 - w1), 0.0, None)


def pvalues(o: OutbreakOptions, st: dict, lo: int, hi: int, min_hist: float, alphas: dict[int, float], day: int
            ) -> tuple[np.ndarray, np.ndarray, dict[int, np.ndarray]]:
    """For buckets ``[lo, hi)``: the smallest ``p_w / α_w`` over windows and its window; and every window's p
    (exact up to the first match, at least α after it)."""
    th_day = theta_day(st, day) if o.tail == "day-mixture" else None
    half = 0.5 if o.mid_p else 0.0  # mid-p: P(X > s) + ½·P(X = s)
    ps: dict[int, np.ndarray] = {}
    fars: dict[int, np.ndarray] = {}
    for w, (s, m, size, hist, a, *_rest) in st.items():
        s, m, size, hist, past = s[lo:hi], m[lo:hi], size[lo:hi], hist[lo:hi], a[lo:hi] - o.prior_shape
        # a key whose baseline holds fewer than min_count complaints: new_key_min_count within a day
        new_need = o.new_key_min_count if w <= day else np.inf
        need = np.where(past < o.min_count - 1e-9, new_need, o.min_count)
        cand = (s >= need) & (hist >= min_hist) & (s > m) & (np.arange(lo, hi) >= w - 1)
        if w > day:  # a long window looks for a level shift: a relevant rise, not a drift the level lags behind,
            # against a level of a week at least (not the one or two days after a restart)
            cand &= (s >= o.long_window_min_ratio * m) & (hist >= o.long_window_history_days * day)
        if not cand.any():
            continue
        idx = np.flatnonzero(cand)
        p = np.ones(hi - lo)
        pr = size[idx] / (size[idx] + m[idx])
        p[idx] = (1 - half) * nbinom.sf(s[idx] - 1, size[idx], pr) + half * nbinom.sf(s[idx], size[idx], pr)
        ps[w] = p
        if th_day is not None and w <= day:
            fars[w] = idx[p[idx] < alphas[w]]
    if fars:
        # where one negative binomial would alarm, ask the heavier-tailed law of the same variance: a busy-day
        # gamma factor times hourly NB noise, and (``estimate_factor``) times the expected count's own error —
        # the level's and the profile's gamma posteriors are a factor of their own, not hourly noise. Only the
        # first match counts (the scan restarts after it): buckets are taken in order, a chunk at a time, and
        # those after the chunk holding the first match are left at p ≥ α (no match)
        todo = np.unique(np.concatenate(list(fars.values())))
        for k in range(0, len(todo), 48):
            chunk = todo[k:k + 48]
            hit = False
            for w, far in fars.items():
                far = far[np.isin(far, chunk)]
                if not len(far):
                    continue
                s, m, a = st[w][0][lo:hi][far], st[w][1][lo:hi][far], st[w][4][lo:hi][far]
                th = st[w][6][lo:hi][far]
                if o.estimate_factor:
                    ve = st[w][8][lo:hi][far]
                    noise = np.maximum(th - ve, o.min_dispersion)
                    td = np.minimum(th_day[lo:hi][far], 0.9 * noise)
                    sz = 1.0 / (noise - td)
                    ve = ve + 1.0 / a
                else:
                    td = np.minimum(th_day[lo:hi][far], 0.9 * th)
                    sz = 1.0 / (th - td + 1.0 / a)
                    ve = None
                p = (1 - half) * estimate_mixture_sf(s, m, td, sz, ve)
                if half:
                    p += half * estimate_mixture_sf(s + 1, m, td, sz, ve)
                ps[w][far] = p
                hit |= bool((p < alphas[w]).any())
            if hit:
                rest = todo[k + 48:]
                for w, far in fars.items():
                    far = far[np.isin(far, rest)]
                    ps[w][far] = np.maximum(ps[w][far], alphas[w])
                break
    best = np.full(hi - lo, np.inf)
    which = np.zeros(hi - lo, dtype=np.int64)
    for w, p in ps.items():
        ratio = p / alphas[w]
        better = ratio < best
        best = np.where(better, ratio, best)
        which = np.where(better, w, which)
    return best, which, ps


def estimate_mixture_sf(s: np.ndarray, m: np.ndarray, theta_day: np.ndarray, size: np.ndarray,
                        est_var: np.ndarray | None, nodes: int = 24) -> np.ndarray:
    """:func:`day_mixture_sf` with the mean ``m`` itself uncertain: times a factor E ~ Gamma(mean 1, variance
    ``est_var``) — the posterior of the level and of the profile (the Bayesian predictive law of a window count:
    estimate × busy day × busy hour). ``est_var`` None: the day mixture alone."""
    if est_var is None:
        return day_mixture_sf(s, m, theta_day, size)
    k = 1.0 / np.maximum(est_var, 1e-6)
    lo = np.maximum(gamma.ppf(1e-10, k, scale=1.0 / k), 1e-12)
    hi = gamma.ppf(1 - 1e-13, k, scale=1.0 / k)
    out = np.zeros(len(s))
    grid = np.linspace(0.0, 1.0, nodes)
    wsum = np.zeros(len(s))
    for u in grid:
        g = np.exp(np.log(lo) + (np.log(hi) - np.log(lo)) * u)
        wt = gamma.pdf(g, k, scale=1.0 / k) * g
        out += wt * day_mixture_sf(s, m * g, theta_day, size)
        wsum += wt
    return out / wsum


def day_mixture_sf(s: np.ndarray, m: np.ndarray, theta_day: np.ndarray, size: np.ndarray, nodes: int = 64
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
