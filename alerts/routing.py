"""Routing: topic → department and urgency (the taxonomy), place → grid and department (the gazetteer),
severity → deadline (the config). Pure lookups over data loaded once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core import Place, PlaceLevel, PlaceRef, Post, Severity
from core.config import AlertsConfig

SEVERITY_ORDER = [Severity.LOW, Severity.NORMAL, Severity.HIGH, Severity.URGENT]
UNASSIGNED = "待分派"
UNLISTED_PREFIX = "raw:"  # the alert key of a place the gazetteer lacks: ``raw:<normalised name>``


def max_severity(*levels: Severity | str | None) -> Severity:
    """The most urgent of these severities (normal if none)."""
    ranks = [SEVERITY_ORDER.index(Severity(s)) for s in levels if s]
    return SEVERITY_ORDER[max(ranks)] if ranks else Severity.NORMAL


def unlisted_levels(posts: Iterable[Post]) -> dict[str, PlaceLevel]:
    """The level each unlisted place's key has in these posts' own place refs (``raw:青石镇`` → town): the one most
    refs give (the first seen on a tie); keys no ref gives a level are left out. The gazetteer knows only its own
    places' levels, so this is how ``exclude_levels`` reaches a town or district the gazetteer lacks."""
    seen: dict[str, Counter[PlaceLevel]] = {}
    for post in posts:
        for ref in post.places:
            if not ref.id and ref.key and ref.level is not None:
                seen.setdefault(ref.key, Counter())[ref.level] += 1
    return {key: levels.most_common(1)[0][0] for key, levels in seen.items()}


def topic_departments_apply(gazetteer: Any, taxonomy: Any) -> bool:
    """Whether the taxonomy's departments are the gazetteer's town's: a taxonomy that names its town (the bundled
    one: 大场镇) routes by topic only in a gazetteer that lists that town. Another town that imported its own places
    but kept the bundled topics routes by its places' departments, never to 大场镇's."""
    town = getattr(taxonomy, "town", None)
    if not town or gazetteer is None:
        return True
    return any(p.level is PlaceLevel.TOWN and town in (p.name, *p.aliases) for p in gazetteer.places)


@dataclass(frozen=True)
class Route:
    """Where a case about a place and topic goes, and how urgent it is."""

    place: PlaceRef | None
    topic_name: str | None
    grid: str | None
    department: str
    severity: Severity


class Router:
    """Routes cases with the taxonomy and gazetteer (``nlp.taxonomy`` / ``nlp.gazetteer`` objects)."""

    def __init__(self, config: AlertsConfig, gazetteer: Any = None, taxonomy: Any = None) -> None:
        self.config = config
        self.gazetteer = gazetteer
        self.taxonomy = taxonomy
        self.by_topic = topic_departments_apply(gazetteer, taxonomy)

    def place(self, place_id: str | None) -> Place | None:
        """The gazetteer entry, if known."""
        return self.gazetteer.get(place_id) if (self.gazetteer is not None and place_id) else None

    def _chain(self, place_id: str | None) -> list[Place]:
        p = self.place(place_id)
        if p is None:
            return []
        return [p, *self.gazetteer.ancestors(place_id)]

    def topic(self, code: str | None) -> Any:
        """The taxonomy topic, if known."""
        if self.taxonomy is None or not code or code not in self.taxonomy:
            return None
        return self.taxonomy.get(code)

    def topic_name(self, code: str | None) -> str:
        """The Chinese name of a topic (the code if unknown, 综合 if none)."""
        t = self.topic(code)
        return t.name if t is not None else (code or "综合")

    def place_name(self, place_id: str | None) -> str:
        """The Chinese name of a place (an unlisted place's name without ``raw:``; the id if unknown)."""
        p = self.place(place_id)
        if p is not None:
            return p.name
        if place_id and place_id.startswith(UNLISTED_PREFIX) and len(place_id) > len(UNLISTED_PREFIX):
            return place_id[len(UNLISTED_PREFIX):]
        return place_id or "未知地点"

    def excluded(self, place_id: str, level: PlaceLevel | str | None = None) -> bool:
        """Whether a place's level is too coarse to open cases on (e.g. the whole town): a gazetteer place's own
        level, else ``level``, the one the posts' place refs give a place the gazetteer lacks (``raw:青石镇``,
        town: :func:`unlisted_levels`); a place of no known level is never excluded."""
        p = self.place(place_id)
        if p is not None:
            return p.level.value in self.config.exclude_levels
        return level is not None and PlaceLevel(level).value in self.config.exclude_levels

    def topic_department(self, topic: Any) -> str | None:
        """The topic's department, when the taxonomy's departments are this gazetteer's town's
        (:func:`topic_departments_apply`)."""
        return topic.department if topic is not None and self.by_topic else None

    def route(self, place_id: str | None, topic: str | None) -> Route:
        """Department: the topic's, else the nearest place (or ancestor) with one; grid: the nearest with one.

        An unlisted place (``raw:`` key) has neither: the topic's department, else the office's own queue
        (待分派), for a dispatcher to assign. Its place keeps the key as id (cases filter and link by it).
        """
        chain = self._chain(place_id)
        t = self.topic(topic)
        department = self.topic_department(t) or next(
            (p.department for p in chain if p.department), None)
        grid = next((p.grid for p in chain if p.grid), None)
        urgency = t.urgency if t is not None else "routine"
        severity = Severity(self.config.urgency_severity.get(urgency, "normal"))
        ref = None
        if chain:
            p = chain[0]
            ref = PlaceRef(id=p.id, name=p.name, level=p.level, grid=grid, department=p.department)
        elif place_id:
            unlisted = place_id.startswith(UNLISTED_PREFIX)
            ref = PlaceRef(id=place_id, name=self.place_name(place_id), key=place_id if unlisted else None)
        return Route(place=ref, topic_name=t.name if t is not None else topic, grid=grid,
                     department=department or UNASSIGNED, severity=severity)

    def route_zone(self, zone: Any, topic: str | None, place_ids: Iterable[str] = ()) -> Route:
        """Where a cluster case goes: like a place case with the zone's parent place as the place; a grid (no
        place of its own) goes to the topic's department, else the one department its member places share, else
        their town's; its place is the grid itself (``grid:<id>``, named 网格 <id>)."""
        if getattr(zone, "anchor", None):
            return self.route(zone.anchor, topic)
        t = self.topic(topic)
        chains = [self._chain(pid) for pid in place_ids]
        depts = {next((p.department for p in c if p.department), None) for c in chains if c}
        town = next((self.gazetteer.town_of(c[0].id) for c in chains if c), None) if self.gazetteer else None
        department = self.topic_department(t) or (depts.pop() if len(depts) == 1 else None) \
            or (town.department if town is not None else None)
        urgency = t.urgency if t is not None else "routine"
        severity = Severity(self.config.urgency_severity.get(urgency, "normal"))
        ref = PlaceRef(id=zone.id, name=zone.name, grid=zone.grid, department=department)
        return Route(place=ref, topic_name=t.name if t is not None else topic, grid=zone.grid,
                     department=department or UNASSIGNED, severity=severity)

    def deadline(self, severity: Severity, start: datetime) -> datetime:
        """When rectification is due for a case of this severity opened (or reopened) at ``start``."""
        hours = self.config.deadline_hours.get(severity.value, self.config.deadline_hours.get("normal", 72))
        return start + timedelta(hours=hours)
