"""What the cluster scan (:mod:`alerts.clusters`) works on and returns: its options, the zones the gazetteer's
hierarchy gives (a parent place with its descendants, a grid), and the match with its member places."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from alerts.series import duration_list
from core import SHANGHAI, SpikeInfo

ZONE_PREFIX = "zone:"  # the case key of a cluster: ``zone:<zone id>|<topic>``


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
    replicates: int = Field(199, ge=19, le=9999, description="Monte-Carlo permutations per analysis, to which the "
                            "Gumbel tail is fitted")
    max_replicates: int = Field(9999, ge=19, le=999999, description="a zone the fitted tail finds significant must "
                                "also pass the exact sequential Monte-Carlo test: up to 2/α permutations, at most "
                                "this many (fewer: the fitted tail alone decides, docs/alerts.md)")
    seed: int = Field(0, description="seed of the permutations (mixed with the bucket time)")
    dispersion_strength: float = Field(10.0, ge=0, description="pseudo-complaints pulling φ towards 1")
    min_positive: int = Field(20, ge=5, description="fewer qualifying replicates: the analytic bound instead")
    member_llr: float = Field(7.0, gt=0, description="a member whose own window is this unusual (log-likelihood "
                              "ratio; 7 ≈ p 1e-4) and holds member_min_count complaints is left out: it explains "
                              "itself (the per-key detector's case)")
    member_min_count: int = Field(3, ge=2, description="see member_llr")
    statistic: Literal["members", "pooled"] = Field(
        "members", description="members: the sum of each member's own LLR (over its dispersion) without the "
        "largest; pooled: Kulldorff's LLR of the zone's total without its most excessive member")
    member_floor: int = Field(2, ge=1, description="members: a member counts from this many complaints in the "
                              "window, as one with this many (one complaint at a quiet place is common; two at "
                              "several is the event; a member expecting more adds nothing)")
    member_rise: float | None = Field(None, ge=1, description="members, opt-in: a member counts from member_floor "
                                      "complaints or member_floor of its standard deviations above its expected, "
                                      "whichever is more, as one with at most this many times its expected (a busy "
                                      "place's rise counts; it cost recall on the benchmark: docs/alerts.md)")

    @field_validator("windows")
    @classmethod
    def _durations(cls, v: list[str]) -> list[str]:
        return duration_list(v)


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


@dataclass
class Units:
    """Zone × topic units over the keys: membership as padded index rows (``K`` = no member)."""

    zones: list[Zone]
    topics: list[str | None]
    idx: np.ndarray  # (U, maxm) key indices, padded with K
    mat: np.ndarray  # (K, U) 0/1 membership


def key_units(keys: list[str], zones: list[Zone], min_members: int) -> Units:
    """Zone × topic units with at least ``min_members`` of these keys (``place|topic``) as members."""
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
    return Units(zs, ts, idx, mat)
