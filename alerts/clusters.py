"""Clusters across neighbouring places: a prospective space-time permutation scan over the gazetteer's hierarchy
(in the spirit of Kulldorff's, SaTScan; docs/alerts.md gives the method and the measured figures).

At every bucket ``t``, for every zone (a parent place with its descendants, or a grid) × topic and every window
ending at ``t``: the expected count of each member is conditioned on the study period's marginals,
``μ = N_key × N_window / N`` (no baseline model); members alarming on their own are left out; the statistic
(``members``, the default) is the sum of each member's own Poisson LLR over its past over-dispersion ``φ ≥ 1``,
counting members with at least two complaints, without the largest (no single key explains a cluster) — or
(``pooled``) Kulldorff's LLR of the zone's total without its most excessive member, over the zone's ``φ``; the
p-value is the Gumbel tail of the largest statistic over seeded permutations of the time labels (exact nested
multivariate hypergeometric draws), and a zone it finds significant must also pass the exact sequential Monte-Carlo
test (up to ⌈1/α⌉ − 1 permutations, none beating it) unless it continues a cluster found at the bucket before;
``α = budget / 1000 × units / (analyses per week)``. The most likely cluster
is reported, then any other significant unit sharing no member key with it. ``raw:`` keys (no parent) count in the
marginals but join no cluster. Pure: series and zones in, matches out; no store, no clock.
"""


from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

import numpy as np
from scipy.stats import chi2, nbinom, poisson

from alerts.scan_stats import gumbel_sf, llr, members_max, mvhg, past_dispersion, unit_stats
from alerts.series import Series, parse_duration
from alerts.zones import (
    ZONE_PREFIX,
    ClusterMatch,
    ClusterOptions,
    Member,
    Units,
    Zone,
    key_units,
    zones_from_gazetteer,
)
from core import SHANGHAI

__all__ = ["ZONE_PREFIX", "ClusterMatch", "ClusterOptions", "ClusterScan", "Member", "Zone", "zones_from_gazetteer"]

_WEEK = timedelta(days=7)
_SCREEN = 3.0  # pooled: the Monte-Carlo runs only when the best zone's own p (χ² approximation) is below 3·α
_PILOT = 19  # members: the Monte-Carlo goes on past this many permutations only if none beat the best zone
_EXCEED = 1  # the sequential Monte-Carlo test stops once this many replicates beat the best significant zone


# ---- the scan ------------------------------------------------------------------------------------------


class ClusterScan:
    """The prospective space-time permutation scan over fixed zones (see the module docstring)."""

    def __init__(self, zones: list[Zone], options: ClusterOptions | None = None,
                 names: Mapping[str, str] | None = None) -> None:
        self.zones = zones
        self.options = options if options is not None else ClusterOptions()
        self.names = dict(names or {})  # place id → Chinese name, for the explanation

    def alpha(self, step: timedelta, units: int) -> float:
        """The family-wise level of one analysis testing ``units`` zone × topic units (one analysis a bucket)."""
        budget = self.options.false_alarms_per_1000_key_weeks or 1.0
        return min(0.5, budget / 1000.0 * max(units, 1) / (_WEEK / step))

    def units(self, keys: Iterable[str]) -> int:
        """How many zone × topic units these keys give (those with ``min_members`` member keys): the budget's unit."""
        return len(key_units(sorted(keys), self.zones, self.options.min_members).zones)

    def scan(self, series: Mapping[str, Series], *, since: datetime | None = None) -> list[ClusterMatch]:
        """Clusters at every bucket (at or after ``since``) of series sharing one range, oldest first."""
        if not series or not self.zones:
            return []
        s0 = next(iter(series.values()))
        keys = sorted(k for k, s in series.items() if len(s) == len(s0) and s.start == s0.start)
        if not keys:
            return []
        x = np.stack([np.asarray(series[k].counts, dtype=np.int64) for k in keys])
        units = key_units(keys, self.zones, self.options.min_members)
        if not len(units.zones):
            return []
        step, n = s0.step, x.shape[1]
        first = max(0, math.ceil(timedelta(days=self.options.min_study_days) / step) - 1)
        if since is not None:
            first = max(first, s0.index_of(since) if since > s0.start else 0)
        cum = np.zeros((len(keys), n + 1), dtype=np.int64)
        np.cumsum(x, axis=1, out=cum[:, 1:])
        ucum = units.mat.T @ cum  # (U, n + 1)
        tcum = cum.sum(axis=0)
        out: list[ClusterMatch] = []
        carried: set[int] = set()  # the keys of the clusters found at the bucket before
        for t in range(first, n):
            if tcum[t + 1] == tcum[max(0, t + 1 - self._wins(step)[-1])]:
                carried = set()
                continue  # nothing in the longest window: no cluster can end here
            found = self._analyse(t, keys, s0, cum, ucum, tcum, units, carried)
            carried = {int(i) for m in found for i in m.details.pop("_rows")}
            out.extend(found)
        return out

    # ---- one analysis ------------------------------------------------------------------------------
    def _wins(self, step: timedelta) -> list[int]:
        return sorted({max(1, math.ceil(parse_duration(w) / step)) for w in self.options.windows})

    def _hot(self, counts: np.ndarray, nk: np.ndarray, nw: float, total: float) -> np.ndarray:
        """Members alarming on their own in this window: ``member_min_count`` complaints, LLR > ``member_llr``."""
        o = self.options
        out = counts >= o.member_min_count
        r, k = np.nonzero(out)  # few: the LLR only where it can matter
        out[r, k] = llr(counts[r, k], nk[k] * (nw / total), total) > o.member_llr
        return out

    def _stats(self, counts: np.ndarray, nk: np.ndarray, nw: float, total: float, units: Units, hot: np.ndarray,
               scale: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
        """:func:`alerts.scan_stats.unit_stats` for counts ``(R, K)`` in one window, members alarming on their own
        in this or a shorter window (a per-key spike, a level shift: they explain themselves) left out."""
        o = self.options
        counts, mu_k = _without_hot(counts, nk, nw, total, hot)
        return unit_stats(counts, mu_k, units.mat, units.idx, total, min_members=o.min_members,
                          min_count=o.min_count, statistic=o.statistic, scale=scale, floor=o.member_floor,
                          rise=o.member_rise)

    def _null(self, rng: np.random.Generator, reps: int, wins: list[int], ck: dict[int, np.ndarray],
              nk: np.ndarray, total: float, units: Units) -> np.ndarray:
        """The largest statistic over units and windows in ``reps`` permutations of the time labels (nested
        windows drawn longest first, exactly: multivariate hypergeometric)."""
        colors = np.broadcast_to(nk.astype(np.int64), (reps, len(nk)))
        drawn = {}
        for w in sorted(wins, reverse=True):
            colors = drawn[w] = mvhg(rng, np.ascontiguousarray(colors), np.full(reps, int(ck[w].sum())))
        null = np.zeros(reps)
        hot_r = np.zeros((reps, len(nk)), dtype=bool)
        for w in wins:
            nw = float(ck[w].sum())
            hot_r = hot_r | self._hot(drawn[w], nk, nw, total)
            if self.options.statistic == "members":
                o = self.options
                counts, mu_k = _without_hot(drawn[w], nk, nw, total, hot_r)
                top = members_max(counts, mu_k, units.mat, units.idx, min_members=o.min_members,
                                  min_count=o.min_count, floor=o.member_floor, rise=o.member_rise)
            else:
                top = self._stats(drawn[w], nk, nw, total, units, hot_r)[0].max(axis=1)
            null = np.maximum(null, top)
        return null

    def _analyse(self, t: int, keys: list[str], s0: Series, cum: np.ndarray, ucum: np.ndarray, tcum: np.ndarray,
                 units: Units, carried: frozenset[int] | set[int] = frozenset()) -> list[ClusterMatch]:
        o = self.options
        step = s0.step
        wins = self._wins(step)
        lo = max(0, t + 1 - int(timedelta(days=o.study_days) / step))
        nk = (cum[:, t + 1] - cum[:, lo]).astype(np.float64)
        total = float(nk.sum())
        if total <= 0:
            return []
        nz = units.mat.T @ nk
        obs: dict[int, tuple[np.ndarray, ...]] = {}
        ck: dict[int, np.ndarray] = {}
        best = np.zeros(len(units.zones))
        best_w = np.zeros(len(units.zones), dtype=np.int64)
        hot = np.zeros((1, len(keys)), dtype=bool)
        hots: dict[int, np.ndarray] = {}
        for w in wins:  # shortest first: a member hot in a shorter window stays out of the longer ones
            ws = max(lo, t + 1 - w)
            ck[w] = cum[:, t + 1] - cum[:, ws]
            nw = float(ck[w].sum())
            hot = hot | self._hot(ck[w][None, :], nk, nw, total)
            hots[w] = hot[0]
            lam = o.dispersion_strength
            phi = past_dispersion(ucum, tcum, nz, t, w, lo, total, lam)
            if o.statistic == "members":  # each member's LLR over its own dispersion
                st = self._stats(ck[w][None, :], nk, nw, total, units, hot,
                                 past_dispersion(cum, tcum, nk, t, w, lo, total, lam))
                scaled = st[0][0]
            else:
                st = self._stats(ck[w][None, :], nk, nw, total, units, hot)
                scaled = st[0][0] / phi
            obs[w] = (*(a[0] for a in st), phi)
            better = scaled > best
            best, best_w = np.where(better, scaled, best), np.where(better, w, best_w)
        alpha = self.alpha(step, len(units.zones))
        if not (best > 0).any():
            return []
        if o.statistic == "pooled" and 0.5 * float(chi2.sf(2 * best.max(), 1)) > _SCREEN * alpha:
            return []  # even the best zone alone is not unusual enough: the family-wise p can only be larger
        rng = np.random.default_rng([o.seed & 0xFFFFFFFF, int(s0.bucket_at(t).timestamp()) // 60])
        if o.statistic == "members":  # a pilot first: a statistic some of 19 permutations beat is p ≳ 1/20
            null = self._null(rng, _PILOT, wins, ck, nk, total, units)
            if alpha < 1 / (_PILOT + 1) and (null >= best.max()).any():
                return []  # (an α of 1/20 or more, a few zones tested rarely, must see the full Monte-Carlo)
            null = np.concatenate((null, self._null(rng, o.replicates - _PILOT, wins, ck, nk, total, units)))
        else:
            null = self._null(rng, o.replicates, wins, ck, nk, total, units)
        order = np.lexsort(((units.idx < len(keys)).sum(axis=1), -best))  # ties: the smaller zone first
        tests = len(units.zones) * len(wins)
        fitted = {int(u): self._pvalue(float(best[u]), null, obs[int(best_w[u])], u, tests)
                  for u in order if best[u] > 0}
        if not any(p <= alpha for p in fitted.values()):
            return []

        def rows_of(u: int) -> set[int]:
            return {int(i) for i in units.idx[u] if i < len(keys)}

        # a zone sharing keys with a cluster found at the bucket before continues that event (its case): the exact
        # test was passed when the event began; a new event must pass it here
        new = [float(best[u]) for u, p in fitted.items() if p <= alpha and not rows_of(u) & carried]
        exact = False
        if new:
            null, exact = self._extend(rng, null, max(new), alpha, wins, ck, nk, total, units)
        found: list[ClusterMatch] = []
        used: set[int] = set()
        for u in order:
            if best[u] <= 0:
                break
            rows = rows_of(int(u))
            continued = bool(rows & carried)
            p = fitted[int(u)] if continued else max(fitted[int(u)], _mc_pvalue(float(best[u]), null, exact))
            if p > alpha:
                continue
            if rows & used:
                continue  # overlaps a cluster already reported: not a second one
            used |= rows
            m = self._match(t, int(best_w[u]), u, float(best[u]), p, alpha, keys, s0, ck, nk, total, units, obs,
                            hots[int(best_w[u])])
            m.details["monte_carlo"] = "continued" if continued else "exact" if exact else "fitted"
            m.details["_rows"] = sorted(rows)
            found.append(m)
        return found

    def _extend(self, rng: np.random.Generator, null: np.ndarray, top: float, alpha: float, wins: list[int],
                ck: dict[int, np.ndarray], nk: np.ndarray, total: float, units: Units) -> tuple[np.ndarray, bool]:
        """More permutations (doubling) until ``top`` is beaten ``_EXCEED`` times or there are ``⌈_EXCEED/α⌉ − 1``
        of them (at most ``max_replicates``): Besag & Clifford's sequential Monte-Carlo test, exact at level α.
        Returns the replicates and whether there are enough of them for the exact test (else capped)."""
        need = math.ceil(_EXCEED / alpha) - 1
        cap = min(need, max(self.options.max_replicates, len(null)))
        while len(null) < cap and int((null >= top).sum()) < _EXCEED:
            more = min(len(null), cap - len(null))
            null = np.concatenate((null, self._null(rng, more, wins, ck, nk, total, units)))
        return null, cap >= need

    def _pvalue(self, stat: float, null: np.ndarray, ob: tuple[np.ndarray, ...], u: int, tests: int) -> float:
        """Gumbel tail fitted to the qualifying replicates × their share; few of them, or most of them one value (a
        short study period where the same few keys win every replicate: no Gumbel tail), the analytic bound."""
        pos = null[null > 0]
        if len(pos) >= self.options.min_positive and 2 * np.unique(np.round(pos, 9), return_counts=True)[1].max() \
                <= len(pos):
            return float(min(1.0, len(pos) / len(null) * gumbel_sf(stat, pos)))
        c_rest, mu_rest, phi = float(ob[4][u]), float(ob[5][u]), float(ob[6][u])
        if phi > 1.0001:  # variance φ·μ
            size = mu_rest / (phi - 1.0)
            p = float(nbinom.sf(c_rest - 1, size, size / (size + mu_rest)))
        else:
            p = float(poisson.sf(c_rest - 1, mu_rest))
        return min(1.0, p * tests)

    def _match(self, t: int, w: int, u: int, stat: float, p: float, alpha: float, keys: list[str], s0: Series,
               ck: dict[int, np.ndarray], nk: np.ndarray, total: float, units: Units,
               obs: dict[int, tuple[np.ndarray, ...]], hot: np.ndarray) -> ClusterMatch:
        """The match, its members (with complaints, not alarming on their own) and the Chinese explanation."""
        zone, topic = units.zones[u], units.topics[u]
        nw = float(ck[w].sum())
        rows = [int(i) for i in units.idx[u] if i < len(keys)]
        places = {i: keys[i].partition("|")[0] for i in rows}
        members = sorted((Member(places[i], keys[i], float(ck[w][i]), float(nk[i] * nw / total),
                                 self.names.get(places[i], places[i])) for i in rows if ck[w][i] > 0 and not hot[i]),
                         key=lambda m: (-m.observed, m.place_id))
        _llr_u, _ok, cu, muu, c_rest, mu_rest, phi = (a[u] for a in obs[w])
        count, expected = float(cu), float(muu)
        start, end = s0.bucket_at(t - w + 1), s0.bucket_at(t + 1)
        hours = s0.step / timedelta(hours=1) * w
        span = f"{hours:g} 小时" if hours < 48 else f"{hours / 24:g} 天"
        budget = self.options.false_alarms_per_1000_key_weeks or 1.0
        if self.options.statistic == "members":
            floor = self.options.member_floor
            high = sum(1 for m in members if m.observed >= floor and m.observed > m.expected)
            rest_text = (f"逐点位比较，其中 {high} 处各有 {floor} 件以上、均高于各自预计，去掉最突出的一处后仍有 "
                         f"{high - 1} 处，非单一点位所致；")
        else:
            rest_text = f"去掉最多的一处后仍有 {float(c_rest):g} 件（预计 {float(mu_rest):.1f}），非单一点位所致；"
        listed = "、".join(f"{m.name} {m.observed:g} 件（预计 {m.expected:.1f}）"
                          for m in members)
        text = (f"近 {span}（{_hm(start)}–{_hm(end)}）{zone.name}片区 {len(members)} 处点位共 {count:g} 件，"
                f"按各点位近 {self.options.study_days:g} 天占比与该时段全镇总量预计 {expected:.1f} 件：{listed}；"
                f"{rest_text}"
                f"偶然出现的概率 p = {p:.1e}，低于阈值 {alpha:.1e}（每千片区周误报 {budget:g} 次）")
        return ClusterMatch(
            zone=zone, topic=topic, bucket=s0.bucket_at(t), window_start=start, window_end=end, count=count,
            expected=expected, score=math.log10(max(p, 1e-300)) / math.log10(alpha), p_value=p, alpha=alpha,
            members=tuple(members),
            details={"zone": zone.id, "zone_name": zone.name, "window_hours": hours, "observed": count,
                     "expected": round(expected, 3), "p_value": float(f"{p:.3g}"), "alpha": float(f"{alpha:.3g}"),
                     "llr": round(stat, 3), "statistic": self.options.statistic, "dispersion": round(float(phi), 3),
                     "members": [{"place_id": m.place_id, "name": m.name, "key": m.key, "observed": m.observed,
                                  "expected": round(m.expected, 3)} for m in members],
                     "explanation": text},
        )


def _without_hot(counts: np.ndarray, nk: np.ndarray, nw: float, total: float, hot: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Counts ``(R, K)`` of one window and their expected, members alarming on their own zeroed (float64: BLAS)."""
    mu_k = np.broadcast_to(nk * (nw / total), counts.shape)
    return np.where(hot, 0.0, counts.astype(np.float64)), np.where(hot, 0.0, mu_k)


def _mc_pvalue(stat: float, null: np.ndarray, exact: bool) -> float:
    """The Monte-Carlo p of ``stat`` against the replicates' largest statistics (ties count against it): ``k / n`` once
    beaten ``_EXCEED`` times (the sequential test stopped), else ``(k + 1) / (n + 1)``; with too few replicates for
    the exact test (``max_replicates`` below ``⌈_EXCEED/α⌉ − 1``) only a statistic beaten ``_EXCEED`` times gets one
    (0 otherwise: the fitted tail decides alone)."""
    k, n = int((null >= stat).sum()), len(null)
    if k >= _EXCEED:
        return k / n
    return (k + 1) / (n + 1) if exact else 0.0


def _hm(dt: datetime) -> str:
    return f"{dt.astimezone(SHANGHAI):%m-%d %H:%M}"
