"""The ``outbreak`` detector's scan of one key: the first window below its α is a match (explained in Chinese);
the episode is then followed against the frozen pre-episode baseline until it is quiet (its buckets are left
out of later baselines) or, still elevated after ``shift_hours``, a level shift (the baseline restarts). A match
of a window longer than a day is a level shift at once."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np
from scipy.stats import nbinom

from alerts.detectors.base import SpikeMatch
from alerts.detectors.outbreak_baseline import Geo, Pool, excl_cumsum, window_sum
from alerts.detectors.outbreak_options import OutbreakOptions
from alerts.detectors.outbreak_pvalues import pvalues, window_stats
from alerts.series import Series
from core import SHANGHAI


def scan(o: OutbreakOptions, detector: str, s: Series, x: np.ndarray, pool: Pool, geo: Geo, wins: list[int],
         alpha: dict[int, float]) -> list[SpikeMatch]:
    """Matches of one key (counts ``x``), one per episode, named ``detector``."""
    step = s.step
    n = len(x)
    hours = step / timedelta(hours=1)
    min_hist = o.min_history_hours / hours
    quiet, shift = int(o.quiet_hours / hours), int(o.shift_hours / hours)
    day = max(1, int(24 / hours))
    use = np.ones(n, dtype=bool)
    seg, t0 = 0, 0
    out: list[SpikeMatch] = []
    pending: tuple | None = None  # an episode that went quiet: is the rate after its first day still higher?
    while t0 < n:
        st = window_stats(o, x, use, seg, pool, geo, wins, step, s.key)
        ratio, which, ps = pvalues(o, st, t0, n, min_hist, alpha, day)
        hits = np.flatnonzero(ratio < 1.0)
        if pending is not None and o.shift_after_quiet:
            ended, pending = pending, None
            u = _late_shift(o, x, ended, t0, t0 + int(hits[0]) if len(hits) else n, day)
            if u is not None:  # a level shift whose first days were not all elevated: restart, no second case
                seg = u - day + 1
                use[ended[0]:seg] = False
                t0 = u + 1
                continue
        if not len(hits):
            break
        t1 = t0 + int(hits[0])
        w = int(which[hits[0]])
        # the case shows the whole rise: of the windows of a day at most that are themselves below their α, the
        # one holding the most complaints, the shortest of those (the most unusual window may be the rise's last
        # hour alone); the episode below still follows the most unusual one
        shown = max((v for v in ps if w <= v <= day and ps[v][hits[0]] < alpha[v]),
                    key=lambda v: (st[v][0][t1], -v), default=w)
        out.append(match(o, detector, s, t1, shown, float(ps[shown][hits[0]]), st[shown], alpha[shown]))
        if w > day:  # a long window found a level shift: the baseline restarts from its last day at once
            seg = max(t1 - day + 1, seg + 1)
            use[t1 - w + 1:seg] = False
            t0 = seg + day
            continue
        start = t1 - min(w, day) + 1  # the episode, for masking and the shift test: at most its last day
        # follow the episode against the frozen pre-episode baseline
        a_w, b_w, prof = st[w][4], st[w][5], st[w][7]
        level, a_f = a_w[t1] / b_w[t1], a_w[t1]
        end = min(n, start + 7 * day + shift)
        elevated = np.zeros(end - t1, dtype=bool)
        short = [v for v in wins if v <= day] or [min(wins)]
        for v in short:  # an episode is about the current rate: windows of a day at most
            sv = window_sum(x, v)[t1:end]
            mv = level * window_sum(prof, v)[t1:end]
            size = 1.0 / (st[v][6][t1] + 1.0 / a_f)
            pv = np.where(sv > mv, nbinom.sf(sv - 1, size, size / (size + mv)), 1.0)
            elevated |= pv < o.continue_p
        cx, cp = excl_cumsum(x), excl_cumsum(prof)
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
                if _tail_p(cx, cp, start, day, u, level, size_tail) < o.continue_p:
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
            pending = (start, level, prof, size_tail)
        else:
            break  # still in the episode at the end of the series
    return out


def _late_shift(o: OutbreakOptions, x: np.ndarray, pending: tuple, lo: int, hi: int, day: int) -> int | None:
    """The first bucket ``u`` in ``[lo, hi)`` (and within a week of the episode's start) where the counts since the
    episode's first day, a day of them at least, are above its frozen level at p < ``continue_p``: a level shift
    whose days after the first were too close to the old level, one by one, to keep the episode going (a quiet
    end would otherwise leave the old level in place and a later window would open a second case)."""
    start, level, prof, size = pending
    lo = max(lo, start + 2 * day - 1)
    hi = min(hi, start + 7 * day, len(x))
    if hi <= lo:
        return None
    u = np.arange(lo, hi)
    hit = np.flatnonzero(_tail_p(excl_cumsum(x), excl_cumsum(prof), start, day, u, level, size) < o.continue_p)
    return int(u[hit[0]]) if len(hit) else None


def _tail_p(cx: np.ndarray, cp: np.ndarray, start: int, day: int, u, level: float, size: float) -> np.ndarray:
    """p-value of the counts from an episode's second day to bucket ``u`` (inclusive; a bucket or an array of them)
    under its frozen level (``cx``, ``cp``: exclusive cumulative sums of the counts and of the hour profile)."""
    s_tail, m_tail = cx[u + 1] - cx[start + day], level * (cp[u + 1] - cp[start + day])
    return np.where(s_tail > m_tail, nbinom.sf(s_tail - 1, size, size / (size + m_tail)), 1.0)


def match(o: OutbreakOptions, detector: str, s: Series, t: int, w: int, p: float, st: tuple, alpha: float
          ) -> SpikeMatch:
    """The match of a ``w``-bucket window ending at bucket ``t``, with its figures and a Chinese explanation."""
    obs, m, _size, _hist, a, b, theta, _prof, _est = st
    count, expected = float(obs[t]), float(m[t])
    hours = s.step / timedelta(hours=1) * w
    span = f"{hours:g} 小时" if hours < 48 else f"{hours / 24:g} 天"
    budget = o.false_alarms_per_1000_key_weeks or 1.0
    ratio = count / expected if expected > 0 else math.inf
    text = (f"近 {span}（{_hm(s.bucket_at(t - w + 1))}–{_hm(s.bucket_at(t + 1))}）实际 {count:g} 件，"
            f"按该点位近期水平与时段规律预计 {expected:.1f} 件（{ratio:.1f} 倍）；"
            f"偶然出现的概率 p = {p:.1e}，低于阈值 {alpha:.1e}（每千键周误报 {budget:g} 次）")
    return SpikeMatch(
        key=s.key, detector=detector, bucket=s.bucket_at(t), window_start=s.bucket_at(t - w + 1),
        window_end=s.bucket_at(t + 1), count=count, baseline=expected,
        score=math.log10(max(p, 1e-300)) / math.log10(alpha),
        details={
            "p_value": float(f"{p:.3g}"), "alpha": float(f"{alpha:.3g}"), "window_hours": hours,
            "expected": round(expected, 3), "observed": count,
            "level_per_day": round(float(a[t] / b[t]) * 24 / (s.step / timedelta(hours=1)), 4),
            "dispersion": round(float(theta[t]), 4), "explanation": text,
        },
    )


def _hm(dt: datetime) -> str:
    return f"{dt.astimezone(SHANGHAI):%m-%d %H:%M}"
