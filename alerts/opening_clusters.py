"""Opening cluster cases (the part of :class:`alerts.opening.CaseOpening` for clusters of neighbouring places).

A cluster's key is ``zone:<zone id>|<topic>``, and a re-detection in an overlapping zone (a nested 居委, the grid
around it) joins the open cluster case it overlaps. Overlapping zones have different keys, so a per-key id would
let two runners that see overlapping zones at once open two cases. A cluster case's id is a **slot** of its
topic instead, ``c-<sha1(zone:*|topic)>-<n>``, taken in order (the first free one, found by reading ids; the
store refuses a second create of an id). The slot is found before the last look for an overlapping open case,
so a runner that did not see the other's case yet tries the other's slot, is refused, reads it and joins it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alerts.lifecycle import S, case_id_for
from alerts.zones import ZONE_PREFIX
from core import SHANGHAI, Case, Conflict
from storage.base import CaseQuery

if TYPE_CHECKING:
    from alerts.clusters import ClusterMatch

RETRIES = 8


class ClusterOpening:
    """Opening (or joining) cluster cases; mixed into :class:`alerts.opening.CaseOpening`, whose helpers it uses."""

    store: Any
    router: Any
    clock: Any
    _add: Any
    _history: Any
    _create: Any
    _any_after: Any

    def open_cluster(self, match: ClusterMatch) -> Case:
        """A cluster of neighbouring places → one case for the zone (idempotent like :meth:`open_or_update`).

        The case names the zone (a 居委/小区 with its sub-units, a road, a grid), lists the member places with
        observed vs expected in its history, and is routed like a place case with the zone as the place. A
        re-detection in a zone overlapping an open cluster case of the same topic adds evidence to that case;
        a new case takes the topic's next free slot (see the module docstring), so two runners seeing
        overlapping zones at once open one case. A cluster after its zone's case was closed is a new event: a
        new case naming the closed one (reopening it could race with a neighbouring zone's new case).
        """
        route = self.router.route_zone(match.zone, match.topic, match.place_ids)
        n = len(match.members)
        title = f"{match.zone.name}片区{self.router.topic_name(match.topic)}问题聚集（{n} 处点位）"
        post_ids = list(match.post_ids)
        note = match.details.get("explanation")
        spike = match.spike_info()
        data: dict[str, Any] = {"count": match.count, "baseline": match.expected, "score": match.score,
                                "zone": match.zone.id, "members": match.details.get("members", []),
                                "match_id": match.id}
        add = lambda case: self._add(case, post_ids, "system:cluster", spike, match.id, note, data)  # noqa: E731
        floor, joined = 1, None  # the lowest slot not known taken; an open case a refused slot holds
        for _ in range(RETRIES):
            case = joined or self._open_overlapping(match)
            if case is None:  # about to open: first the free slot, then look again with the store up to date
                slot = self._free_slot(match.topic, floor)  # (a slot taken from here on is refused to us)
                self.store.refresh()
                case = self._open_overlapping(match)
            joined = None
            if case is not None:
                if (added := add(case)) is not None:
                    return added
                continue
            last, _total, done = self._history(match.key, post_ids, spike, match.id)  # the match applied already
            if done is not None:
                return done
            if last is not None and last.status.is_open:
                joined = last
                continue
            opened, why = {**data, "slot": slot}, note
            closed = self._closed_overlapping(match)
            if closed is not None and closed.closed_at is not None:
                if not self._any_after(post_ids, closed.closed_at):
                    return closed  # the episode a closed case (maybe a neighbouring zone's) already covered
                opened["previous_case"] = closed.id
                day = closed.closed_at.astimezone(SHANGHAI)  # the office's calendar day, not UTC's
                why = f"同片区聚集案件 {closed.id} 已于 {day:%Y-%m-%d} 办结，问题再次出现。{note or ''}"
            case_id = cluster_case_id(match.topic, slot)
            try:
                return self._create(match.key, route.place.id if route.place else None, match.topic, post_ids,
                                    "system:cluster", spike, why, opened, slot, self.clock(),
                                    route=route, title=title, case_id=case_id)
            except Conflict:  # another runner took the slot: its case, if it overlaps ours, is ours too
                floor = slot + 1
                found = self.store.get_case(case_id)
                if found is not None and found.status.is_open and _overlaps(found, match):
                    joined = found
        raise Conflict(f"cluster {match.key}: too many concurrent changes, try again")

    def _free_slot(self, topic: str | None, floor: int = 1) -> int:
        """The first free slot of the topic's cluster cases at or above ``floor`` (slots are taken in order, so
        the taken ones are a prefix: a doubling then a halving search, by id)."""
        def taken(n: int) -> bool:
            return self.store.get_case(cluster_case_id(topic, n)) is not None

        lo, hi = floor - 1, floor  # every slot ≤ lo is taken; hi is the candidate
        while taken(hi):
            lo, hi = hi, hi + 2 * (hi - lo)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if taken(mid) else (lo, mid)
        return hi

    def _open_overlapping(self, match: ClusterMatch) -> Case | None:
        """The open case of this cluster's key, else an open cluster case on the same topic sharing a member place."""
        own = self.store.open_case_for_key(match.key)
        if own is not None:
            return own
        offset = 0
        while True:  # every open case of the topic, a page at a time (a city may hold thousands)
            page = self.store.list_cases(CaseQuery(open_only=True, topic=match.topic, offset=offset, limit=500))
            for case in page.items:
                if _overlaps(case, match):
                    return case
            offset += len(page.items)
            if not page.items or offset >= page.total:
                return None


    def _closed_overlapping(self, match: ClusterMatch) -> Case | None:
        """The closed cluster case of the topic, overlapping this cluster, closed last (among the 200 newest)."""
        page = self.store.list_cases(CaseQuery(statuses=(S.CLOSED,), topic=match.topic, limit=200))
        closed = [c for c in page.items if c.closed_at is not None and _overlaps(c, match)]
        return max(closed, key=lambda c: c.closed_at) if closed else None


def cluster_case_id(topic: str | None, slot: int) -> str:
    """The id of the topic's ``slot``-th cluster case: the same on every runner."""
    return case_id_for(f"{ZONE_PREFIX}*|{topic or '*'}", slot)


def _overlaps(case: Case, match: ClusterMatch) -> bool:
    """Whether ``case`` is a cluster case of the match's topic sharing a member place with it."""
    if not case.key.startswith(ZONE_PREFIX) or case.topic != match.topic:
        return False
    if case.key == match.key:
        return True
    seen = {m.get("place_id") for m in (case.spike.details.get("members", []) if case.spike else [])}
    return bool(seen & set(match.place_ids))
