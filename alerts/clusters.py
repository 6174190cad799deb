"""Clusters across neighbouring places: a prospective space-time permutation scan over the gazetteer's hierarchy.

Several 小区 of one 居委 (or one road, one grid) each with two complaints is one event that no per-key rule
sees. In the spirit of Kulldorff's prospective space-time permutation scan (SaTScan; Kulldorff et al. 2005),
at every bucket ``t`` the scan looks at every **zone** (a parent place with its descendants, or a grid) × topic
and every window of ``windows`` ending at ``t``:

- **expected** count without any baseline model: conditioned on the space and time marginals of the study
  period (the last ``study_days`` up to ``t``), ``μ = N_zone × N_window / N`` — the zone's share of all
  complaints times the window's share. The town's rhythm (quiet nights, busy evenings, weekends, a town-wide
  busy day) is in ``N_window``, each place's level is in ``N_zone``: nothing to estimate, nothing to tune per key;
- **no single key explains it**: members that are alarms on their own (at least ``member_min_count`` complaints
  and a log-likelihood ratio above ``member_llr`` against their own expected: a per-key spike, a level shift) are
  left out, and so is the most excessive remaining member (its count and its expected), so one busy 小区 — the
  per-key detector's business — or two places with their own spikes at once never make a cluster; at least
  ``min_members`` member places must have complaints in the window, ``min_count`` in all;
- **over-dispersion**: complaints come in bursts (a busy day, one resident posting twice), not independently.
  The zone's variance over its past windows relative to ``μ`` gives a factor ``φ ≥ 1`` (shrunk towards 1 by
  ``dispersion_strength`` pseudo-complaints); the observed log-likelihood ratio is divided by ``φ``;
- **the p-value**: ``replicates`` Monte-Carlo permutations of the time labels (seeded from ``seed`` and the bucket,
  so a restarted runner finds the same clusters) give the null distribution of the largest statistic over all
  zones and windows; its tail is the Gumbel fitted to the replicates (SaTScan's Gumbel approximation: p-values
  far below ``1/replicates`` without 10⁵ replicates), times the share of replicates where any zone qualified.
  The permutation of the recent windows is drawn exactly: nested multivariate hypergeometric draws
  (which complaints fall in the longest window, then in each shorter one);
- **the false-alarm budget**: one analysis a bucket tests all zones at once and its p-value is family-wise, so
  ``α = budget / 1000 × zones / (analyses per week)`` gives at most ``alerts.false_alarms_per_1000_key_weeks``
  false cluster cases per 1,000 zone-weeks (consecutive analyses finding one cluster are one case).

The most likely cluster is reported, then any other significant zone sharing no member key with it (secondary
clusters). Keys without a place in any zone (``raw:`` keys of unlisted places: they have no parent) still count in
the marginals but join no cluster. Pure: series and zones in, matches out; no store, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator
from scipy.stats import chi2, nbinom, poisson

from alerts.series import Series, parse_duration
from core import SHANGHAI, SpikeInfo

ZONE_PREFIX = "zone:"  # the case key of a cluster: ``zone:<zone id>|<topic>``
_EULER = 0.5772156649015329
_WEEK = timedelta(days=7)
_SCREEN = 3.0  # the Monte-Carlo runs only when the best zone's own p (χ² approximation) is below 3·α


class ClusterOptions(BaseModel):
    """Options of the cluster scan (``alerts.clusters`` in the config; defaults as measured in docs/alerts.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    false_alarms_per_1000_key_weeks: float | None = Field(
        None, gt=0, description="false cluster cases per 1,000 zone-weeks (default: the alerts budget, else 1)")
    windows: list[str] = Field(default_factory=lambda: ["6h", "12h", "24h", "48h"],
                               description="window lengths ending at each bucket")
    study_days: float = Field(28, gt=0, description="the study period whose marginals give the expected counts")
    min_study_days: float = Field(3, ge=0, description="silent until this much history precedes the bucket")
    min_members: int = Field(3, ge=2, description="member places with complaints in the window")
    min_count: int = Field(6, ge=2, description="complaints in the zone's window")
    replicates: int = Field(199, ge=19, le=9999, description="Monte-Carlo permutations per analysis")
    seed: int = Field(0, description="seed of the permutations (mixed with the bucket time)")
    dispersion_strength: float = Field(10.0, ge=0, description="pseudo-complaints pulling φ towards 1")
    min_positive: int = Field(20, ge=5, description="fewer qualifying replicates: the analytic bound instead")
    member_llr: float = Field(7.0, gt=0, description="a member whose own window is this unusual (log-likelihood "
                              "ratio; 7 ≈ p 1e-4) and holds member_min_count complaints is left out: it explains "
                              "itself (the per-key detector's case)")
    member_min_count: int = Field(3, ge=2, description="see member_llr")

    @field_validator("windows")
    @classmethod
    def _durations(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("at least one window")
        for w in v:
            parse_duration(w)
        return v


@dataclass(frozen=True)
class Zone:
    """Neighbouring places scanned together: a parent with its descendants (``anchor``), or a grid."""

    id: str
    name: str
    places: frozenset[str]
    anchor: str | None = None  # the parent place (None for a grid)
    grid: str | None = None


@dataclass(frozen=True)
class Member:
    """One place of a cluster: its key, complaints in the window and the expected count."""

    place_id: str
    key: str
    observed: float
    expected: float
    name: str = ""


@dataclass(frozen=True)
class ClusterMatch:
    """A cluster found at ``bucket``: the zone, its window and the member places with observed vs expected."""

    zone: Zone
    topic: str | None
    bucket: datetime
    window_start: datetime
    window_end: datetime
    count: float
    expected: float
    score: float
    p_value: float
    alpha: float
    members: tuple[Member, ...]
    details: dict[str, Any] = field(default_factory=dict)
    post_ids: tuple[str, ...] = ()
    detector = "cluster"

    @property
    def key(self) -> str:
        """The case key of the cluster: ``zone:<zone id>|<topic or *>``."""
        return f"{ZONE_PREFIX}{self.zone.id}|{self.topic or '*'}"

    @property
    def id(self) -> str:
        """A stable id: the same zone and topic at the same bucket is the same match."""
        return f"cluster:{self.key}:{self.bucket.isoformat()}"

    @property
    def place_ids(self) -> tuple[str, ...]:
        """The member places with complaints in the window."""
        return tuple(m.place_id for m in self.members)

    def with_posts(self, post_ids: Iterable[str]) -> ClusterMatch:
        """The same match with the complaints of its members in the window."""
        from dataclasses import replace

        return replace(self, post_ids=tuple(post_ids))

    def spike_info(self) -> SpikeInfo:
        """The match as stored on a case (the members in ``details.members``)."""
        return SpikeInfo(detector=self.detector, count=self.count, baseline=self.expected, score=self.score,
                         window_start=self.window_start, window_end=self.window_end,
                         details={**self.details, "bucket": self.bucket.isoformat(), "match_id": self.id})

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the shape of a detector match, with the zone and its members)."""
        return {"key": self.key, "bucket": _iso(self.bucket), "detector": self.detector,
                "score": round(self.score, 4), "count": self.count, "baseline": round(self.expected, 4),
                "window_start": _iso(self.window_start), "window_end": _iso(self.window_end),
                **({"post_ids": list(self.post_ids)} if self.post_ids else {}), "details": self.details}


def _iso(dt: datetime) -> str:
    return dt.astimezone(SHANGHAI).isoformat()


def zones_from_gazetteer(gazetteer: Any, exclude_levels: Iterable[str] = ("district", "town")) -> list[Zone]:
    """Every parent place (not of an excluded level) with its descendants, and every grid; at least two places
    each, identical member sets once (the parent wins over the grid)."""
    places = [p for p in gazetteer if p.level.value not in set(exclude_levels)]
    ok = {p.id for p in places}
    children: dict[str, list[str]] = {}
    for p in places:
        if p.parent in ok:
            children.setdefault(p.parent, []).append(p.id)

    def subtree(pid: str) -> set[str]:
        out, todo = {pid}, [pid]
        while todo:
            for c in children.get(todo.pop(), ()):
                if c not in out:
                    out.add(c)
                    todo.append(c)
        return out

    zones: list[Zone] = []
    seen: set[frozenset[str]] = set()
    for p in places:
        if p.id in children:
            members = frozenset(subtree(p.id))
            if len(members) >= 2 and members not in seen:
                seen.add(members)
                zones.append(Zone(p.id, p.name, members, anchor=p.id, grid=p.grid))
    grids: dict[str, set[str]] = {}
    for p in places:
        if p.grid:
            grids.setdefault(p.grid, set()).add(p.id)
    for g, members in sorted(grids.items()):
        fm = frozenset(members)
        if len(fm) >= 2 and fm not in seen:
            seen.add(fm)
            zones.append(Zone(f"grid:{g}", f"网格 {g}", fm, grid=g))
    return zones


# ---- the scan ------------------------------------------------------------------------------------------


@dataclass
class _Units:
    """Zone × topic units over the keys: membership as padded index rows (``K`` = no member)."""

    zones: list[Zone]
    topics: list[str | None]
    idx: np.ndarray  # (U, maxm) key indices, padded with K
    mat: np.ndarray  # (K, U) 0/1 membership


def _units(keys: list[str], zones: list[Zone], min_members: int) -> _Units:
    by_topic: dict[str | None, list[tuple[int, str]]] = {}
    for i, k in enumerate(keys):
        place, _, topic = k.partition("|")
        by_topic.setdefault(topic if topic not in ("", "*") else None, []).append((i, place))
    zs, ts, rows = [], [], []
    for z in zones:
        for t, items in by_topic.items():
            members = [i for i, place in items if place in z.places]
            if len(members) >= min_members:
                zs.append(z)
                ts.append(t)
                rows.append(members)
    k = len(keys)
    width = max((len(r) for r in rows), default=1)
    idx = np.full((len(rows), width), k, dtype=np.int64)
    mat = np.zeros((k, len(rows)))
    for u, r in enumerate(rows):
        idx[u, :len(r)] = r
        mat[r, u] = 1.0
    return _Units(zs, ts, idx, mat)


def _llr(c: np.ndarray, mu: np.ndarray, n: float) -> np.ndarray:
    """Kulldorff's log-likelihood ratio for ``c`` observed against ``μ`` of ``n`` in all (0 unless c > μ)."""
    c = np.asarray(c, dtype=np.float64)
    mu = np.maximum(np.asarray(mu, dtype=np.float64), 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = np.where(c > 0, c * np.log(np.maximum(c, 1e-300) / mu), 0.0)
        rest = n - c
        outside = np.where(rest > 0, rest * np.log(np.maximum(rest, 1e-300) / np.maximum(n - mu, 1e-12)), 0.0)
    return np.where(c > mu, inside + outside, 0.0)


def _mvhg(rng: np.random.Generator, colors: np.ndarray, nsample: np.ndarray) -> np.ndarray:
    """Multivariate hypergeometric draws, one per row: ``nsample[r]`` balls from urns ``colors[r]``.

    Vectorised by halving: the balls going to the left half of each node are one hypergeometric draw.
    """
    r, k = colors.shape
    size = 1 << max(0, (k - 1).bit_length())
    c = np.zeros((r, size), dtype=np.int64)
    c[:, :k] = colors
    n = nsample.reshape(r, 1).astype(np.int64)
    nodes = 1
    while nodes < size:
        half = size // nodes // 2
        parts = c.reshape(r, nodes, 2, half).sum(axis=3)
        left = rng.hypergeometric(parts[:, :, 0], parts[:, :, 1], n)
        n = np.stack((left, n - left), axis=2).reshape(r, nodes * 2)
        nodes *= 2
    return n[:, :k]


def _gumbel_sf(x: float, sample: np.ndarray) -> float:
    """``P(X ≥ x)`` under the Gumbel fitted to ``sample`` by moments."""
    sd = float(sample.std(ddof=1)) if len(sample) > 1 else 0.0
    if sd <= 0:
        return 0.0 if x > float(sample.max()) else 1.0
    beta = sd * math.sqrt(6) / math.pi
    loc = float(sample.mean()) - _EULER * beta
    return float(-np.expm1(-np.exp(-(x - loc) / beta)))


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
        return len(_units(sorted(keys), self.zones, self.options.min_members).zones)

    def scan(self, series: Mapping[str, Series], *, since: datetime | None = None) -> list[ClusterMatch]:
        """Clusters at every bucket (at or after ``since``) of series sharing one range, oldest first."""
        if not series or not self.zones:
            return []
        s0 = next(iter(series.values()))
        keys = sorted(k for k, s in series.items() if len(s) == len(s0) and s.start == s0.start)
        if not keys:
            return []
        x = np.stack([np.asarray(series[k].counts, dtype=np.int64) for k in keys])
        units = _units(keys, self.zones, self.options.min_members)
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
        for t in range(first, n):
            if tcum[t + 1] == tcum[max(0, t + 1 - self._wins(step)[-1])]:
                continue  # nothing in the longest window: no cluster can end here
            out.extend(self._analyse(t, keys, s0, cum, ucum, tcum, units))
        return out

    # ---- one analysis ------------------------------------------------------------------------------
    def _wins(self, step: timedelta) -> list[int]:
        return sorted({max(1, math.ceil(parse_duration(w) / step)) for w in self.options.windows})

    def _dispersion(self, t: int, w: int, lo: int, ucum: np.ndarray, tcum: np.ndarray, nz: np.ndarray,
                    total: float) -> np.ndarray:
        """φ per unit for windows of ``w`` buckets: past non-overlapping windows ending at ``t − 2w, t − 3w, …``."""
        ends = np.arange(t - 2 * w, lo + w - 2, -w)
        if not len(ends) or total <= 0:
            return np.ones(len(nz))
        c = ucum[:, ends + 1] - ucum[:, ends + 1 - w]
        mu = np.outer(nz, (tcum[ends + 1] - tcum[ends + 1 - w]) / total)
        lam = self.options.dispersion_strength
        phi = (((c - mu) ** 2).sum(axis=1) + lam) / (mu.sum(axis=1) + lam)
        return np.maximum(phi, 1.0)

    def _hot(self, counts: np.ndarray, nk: np.ndarray, nw: float, total: float) -> np.ndarray:
        """Members alarming on their own in this window: ``member_min_count`` complaints, LLR > ``member_llr``."""
        o = self.options
        mu_k = np.broadcast_to(nk * (nw / total), counts.shape)
        return (counts >= o.member_min_count) & (_llr(counts, mu_k, total) > o.member_llr)

    def _stats(self, counts: np.ndarray, nk: np.ndarray, nw: float, total: float, units: _Units, hot: np.ndarray
               ) -> tuple[np.ndarray, ...]:
        """For counts ``(R, K)`` in one window, per (R, U): the leave-top-out LLR, the qualifying mask, the unit
        count and expected, and the count and expected without the member left out (0 where not qualifying)."""
        o = self.options
        r = counts.shape[0]
        counts = counts.astype(np.float64)  # BLAS for the products below
        mu_k = np.broadcast_to(nk * (nw / total), counts.shape)
        # a member that is an alarm on its own in this or a shorter window (a per-key spike, a level shift)
        # explains itself: left out
        counts, mu_k = np.where(hot, 0.0, counts), np.where(hot, 0.0, mu_k)
        cu = counts @ units.mat  # (R, U)
        muu = mu_k @ units.mat
        members = (counts > 0).astype(np.float64) @ units.mat
        rr, uu = np.nonzero((members >= o.min_members) & (cu >= o.min_count))
        pad_e = np.concatenate((counts - mu_k, np.full((r, 1), -np.inf)), axis=1)
        top = units.idx[uu, pad_e[rr[:, None], units.idx[uu]].argmax(axis=1)]  # the most excessive member
        c_rest, mu_rest = np.zeros(cu.shape), np.zeros(cu.shape)
        c_rest[rr, uu] = cu[rr, uu] - counts[rr, top]
        mu_rest[rr, uu] = muu[rr, uu] - mu_k[rr, top]
        ok = np.zeros(cu.shape, dtype=bool)
        ok[rr, uu] = c_rest[rr, uu] > mu_rest[rr, uu]
        llr = np.zeros(cu.shape)
        llr[ok] = _llr(c_rest[ok], mu_rest[ok], total)
        return llr, ok, cu, muu, c_rest, mu_rest

    def _analyse(self, t: int, keys: list[str], s0: Series, cum: np.ndarray, ucum: np.ndarray, tcum: np.ndarray,
                 units: _Units) -> list[ClusterMatch]:
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
        for w in wins:  # shortest first: a member hot in a shorter window stays out of the longer ones
            ws = max(lo, t + 1 - w)
            ck[w] = cum[:, t + 1] - cum[:, ws]
            nw = float(ck[w].sum())
            hot = hot | self._hot(ck[w][None, :], nk, nw, total)
            st = self._stats(ck[w][None, :], nk, nw, total, units, hot)
            phi = self._dispersion(t, w, lo, ucum, tcum, nz, total)
            scaled = st[0][0] / phi
            obs[w] = (*(a[0] for a in st), phi)
            better = scaled > best
            best, best_w = np.where(better, scaled, best), np.where(better, w, best_w)
        alpha = self.alpha(step, len(units.zones))
        if not (best > 0).any() or 0.5 * float(chi2.sf(2 * best.max(), 1)) > _SCREEN * alpha:
            return []  # even the best zone alone is not unusual enough: the family-wise p can only be larger
        # the null: permutations of the time labels, nested windows drawn longest first
        rng = np.random.default_rng([o.seed & 0xFFFFFFFF, int(s0.bucket_at(t).timestamp()) // 60])
        reps = o.replicates
        colors = np.broadcast_to(nk.astype(np.int64), (reps, len(keys)))
        null = np.zeros(reps)
        drawn = {}
        for w in sorted(wins, reverse=True):
            colors = drawn[w] = _mvhg(rng, np.ascontiguousarray(colors), np.full(reps, int(ck[w].sum())))
        hot_r = np.zeros((reps, len(keys)), dtype=bool)
        for w in wins:
            nw = float(ck[w].sum())
            hot_r = hot_r | self._hot(drawn[w], nk, nw, total)
            llr = self._stats(drawn[w], nk, nw, total, units, hot_r)[0]
            null = np.maximum(null, llr.max(axis=1))
        order = np.argsort(-best)
        found: list[ClusterMatch] = []
        used: set[int] = set()
        for u in order:
            if best[u] <= 0:
                break
            p = self._pvalue(float(best[u]), null, obs[int(best_w[u])], u, len(units.zones) * len(wins))
            if p > alpha:
                continue
            rows = {int(i) for i in units.idx[u] if i < len(keys)}
            if rows & used:
                continue  # overlaps a cluster already reported: not a second one
            used |= rows
            found.append(self._match(t, int(best_w[u]), u, float(best[u]), p, alpha, keys, s0, ck, nk, total,
                                     units, obs))
        return found

    def _pvalue(self, stat: float, null: np.ndarray, ob: tuple[np.ndarray, ...], u: int, tests: int) -> float:
        """Gumbel tail fitted to the qualifying replicates × their share; few of them: the analytic bound."""
        pos = null[null > 0]
        if len(pos) >= self.options.min_positive:
            return float(min(1.0, len(pos) / len(null) * _gumbel_sf(stat, pos)))
        c_rest, mu_rest, phi = float(ob[4][u]), float(ob[5][u]), float(ob[6][u])
        if phi > 1.0001:  # variance φ·μ
            size = mu_rest / (phi - 1.0)
            p = float(nbinom.sf(c_rest - 1, size, size / (size + mu_rest)))
        else:
            p = float(poisson.sf(c_rest - 1, mu_rest))
        return min(1.0, p * tests)

    def _match(self, t: int, w: int, u: int, stat: float, p: float, alpha: float, keys: list[str], s0: Series,
               ck: dict[int, np.ndarray], nk: np.ndarray, total: float, units: _Units,
               obs: dict[int, tuple[np.ndarray, ...]]) -> ClusterMatch:
        zone, topic = units.zones[u], units.topics[u]
        nw = float(ck[w].sum())
        rows = [int(i) for i in units.idx[u] if i < len(keys)]
        places = {i: keys[i].partition("|")[0] for i in rows}
        members = sorted((Member(places[i], keys[i], float(ck[w][i]), float(nk[i] * nw / total),
                                 self.names.get(places[i], places[i])) for i in rows if ck[w][i] > 0),
                         key=lambda m: (-m.observed, m.place_id))
        _llr_u, _ok, cu, muu, c_rest, mu_rest, phi = (a[u] for a in obs[w])
        count, expected = float(cu), float(muu)
        start, end = s0.bucket_at(t - w + 1), s0.bucket_at(t + 1)
        hours = s0.step / timedelta(hours=1) * w
        span = f"{hours:g} 小时" if hours < 48 else f"{hours / 24:g} 天"
        budget = self.options.false_alarms_per_1000_key_weeks or 1.0
        listed = "、".join(f"{m.name} {m.observed:g} 件（预计 {m.expected:.1f}）"
                          for m in members)
        text = (f"近 {span}（{_hm(start)}–{_hm(end)}）{zone.name}片区 {len(members)} 处点位共 {count:g} 件，"
                f"按各点位近 {self.options.study_days:g} 天占比与该时段全镇总量预计 {expected:.1f} 件：{listed}；"
                f"去掉最多的一处后仍有 {float(c_rest):g} 件（预计 {float(mu_rest):.1f}），非单一点位所致；"
                f"偶然出现的概率 p = {p:.1e}，低于阈值 {alpha:.1e}（每千片区周误报 {budget:g} 次）")
        return ClusterMatch(
            zone=zone, topic=topic, bucket=s0.bucket_at(t), window_start=start, window_end=end, count=count,
            expected=expected, score=math.log10(max(p, 1e-300)) / math.log10(alpha), p_value=p, alpha=alpha,
            members=tuple(members),
            details={"zone": zone.id, "zone_name": zone.name, "window_hours": hours, "observed": count,
                     "expected": round(expected, 3), "p_value": float(f"{p:.3g}"), "alpha": float(f"{alpha:.3g}"),
                     "llr": round(stat, 3), "dispersion": round(float(phi), 3),
                     "members": [{"place_id": m.place_id, "name": m.name, "key": m.key, "observed": m.observed,
                                  "expected": round(m.expected, 3)} for m in members],
                     "explanation": text},
        )


def _hm(dt: datetime) -> str:
    return f"{dt.astimezone(SHANGHAI):%m-%d %H:%M}"
