"""Opening cases: a detector match, a cluster of neighbouring places or a reviewer's flag becomes a new case,
evidence on the open case of its key, or a reopened recent one (the part of :class:`alerts.cases.CaseService`
that creates; the lifecycle moves stay in :mod:`alerts.cases`).

One open case per key: ids are derived from the key and a generation number, so two runners cannot open two
cases for one key (the second ``create_case`` fails with Conflict and retries into "add evidence"). A cluster's
key is ``zone:<zone id>|<topic>``; a re-detection in an overlapping zone (a nested 居委 or the grid around it)
joins the open cluster case it overlaps instead of opening another.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from alerts.lifecycle import S, applied_matches, case_id_for
from alerts.routing import Route, Router, max_severity
from core import Case, CaseEvent, Config, Conflict, NotFound, Severity, SpikeInfo
from storage.base import CaseQuery

if TYPE_CHECKING:
    from alerts.clusters import ClusterMatch
    from alerts.detectors import SpikeMatch
    from alerts.outbox import Outbox
    from storage.base import Store

RETRIES = 8


class CaseOpening:
    """Opening cases from matches, clusters and flags (mixed into :class:`alerts.cases.CaseService`)."""

    store: Store
    config: Config
    router: Router
    outbox: Outbox
    clock: Callable[[], datetime]

    def _saved(self, case: Case, event: CaseEvent, post_ids: Iterable[str] = ()) -> Case:
        """After a successful write: link posts, queue deliveries."""
        ids = list(post_ids)
        if ids:
            self.store.link_posts_to_case(ids, case.id)
        self.outbox.publish(case)
        return case

    def _event(self, actor: str, action: str, **kw: Any) -> CaseEvent:
        return CaseEvent(at=self.clock(), actor=actor, action=action, **kw)

    def _any_after(self, post_ids: list[str], when: datetime) -> bool:
        return any(p.published_at >= when for p in self.store.get_posts(post_ids))

    def _severity_of(self, base: Severity, post_ids: list[str]) -> Severity:
        posts = self.store.get_posts(post_ids[:200]) if post_ids else []
        return max_severity(base, *(p.severity for p in posts))

    def _open_or_add(self, key: str, place_id: str, topic: str | None, post_ids: list[str], actor: str,
                     *, spike: SpikeInfo | None = None, match_id: str | None = None, note: str | None = None,
                     data: dict[str, Any] | None = None, route: Route | None = None, title: str | None = None
                     ) -> Case:
        data = dict(data or {})
        if match_id:
            data["match_id"] = match_id
        hint: str | None = None  # the id a create just conflicted with (read by id: no search lag)
        min_generation = 1
        for _ in range(RETRIES):
            now = self.clock()
            case = self.store.open_case_for_key(key)
            if case is None and hint is not None:
                found = self.store.get_case(hint)
                case = found if found is not None and found.status.is_open else None
            if case is not None:
                if match_id and match_id in applied_matches(case):
                    return case
                new_posts = [p for p in post_ids if p not in case.evidence]
                if not new_posts and not match_id:
                    return case
                update: dict[str, Any] = {"evidence": [*case.evidence, *new_posts]}
                if spike is not None and (case.spike is None or spike.score >= case.spike.score
                                          or spike.window_end > case.spike.window_end):
                    update["spike"] = spike
                update["severity"] = self._severity_of(case.severity, new_posts)
                event = self._event(actor, "evidence", note=note, data={**data, "post_ids": new_posts})
                try:
                    stored = self.store.update_case(case.model_copy(update=update), event)
                except Conflict:
                    continue
                return self._saved(stored, event, new_posts)
            previous = self.store.list_cases(CaseQuery(key=key, limit=1))
            last = previous.items[0] if previous.items else None
            if last is not None and last.status.is_open:  # opened by another runner since our first read:
                hint = last.id  # add to it (next round) instead of opening a second case for the key
                continue
            if last is not None and match_id and match_id in applied_matches(last):
                return last
            if last is not None and last.closed_at is not None and spike is not None \
                    and not self._any_after(post_ids, last.closed_at):
                return last  # no complaint since the closing: the same episode, not a recurrence
            if (last is not None and last.closed_at is not None
                    and now - last.closed_at <= timedelta(days=self.config.alerts.reopen_days)):
                try:
                    return self._reopen(last, post_ids, actor, spike, note, data, now)
                except Conflict:
                    continue
            generation = max(previous.total + 1, min_generation)
            try:
                return self._create(key, place_id, topic, post_ids, actor, spike, note, data, generation, now,
                                    route=route, title=title)
            except Conflict:
                hint, min_generation = case_id_for(key, generation), generation + 1
                continue
        raise Conflict(f"case key {key}: too many concurrent changes, try again")

    def _create(self, key: str, place_id: str, topic: str | None, post_ids: list[str], actor: str,
                spike: SpikeInfo | None, note: str | None, data: dict[str, Any], generation: int,
                now: datetime, *, route: Route | None = None, title: str | None = None) -> Case:
        route = route or self.router.route(place_id, topic)
        severity = self._severity_of(route.severity, post_ids)
        place_name = route.place.name if route.place else self.router.place_name(place_id)
        event = self._event(actor, "opened" if spike is not None else "flagged", to_status=S.NEW, note=note,
                            data={**data, "post_ids": post_ids, "generation": generation})
        case = Case(
            id=case_id_for(key, generation), key=key, title=title or f"{place_name}{self.router.topic_name(topic)}问题",
            severity=severity, place=route.place, topic=topic, grid=route.grid, department=route.department,
            opened_at=now, due_at=self.router.deadline(severity, now), updated_at=now, evidence=list(post_ids),
            spike=spike, history=[event],
        )
        stored = self.store.create_case(case)
        return self._saved(stored, event, post_ids)

    def _reopen(self, case: Case, post_ids: list[str], actor: str, spike: SpikeInfo | None, note: str | None,
                data: dict[str, Any], now: datetime) -> Case:
        new_posts = [p for p in post_ids if p not in case.evidence]
        severity = self._severity_of(case.severity, new_posts)
        update = {"status": S.REOPENED, "closed_at": None, "severity": severity,
                  "due_at": self.router.deadline(severity, now), "evidence": [*case.evidence, *new_posts],
                  "spike": spike or case.spike}
        event = self._event(actor, "reopened", from_status=case.status, to_status=S.REOPENED,
                            note=note or "整改后问题复发，案件重开", data={**data, "post_ids": new_posts})
        stored = self.store.update_case(case.model_copy(update=update), event)
        return self._saved(stored, event, new_posts)

    def open_or_update(self, match: SpikeMatch) -> Case:
        """A detector match → a new case, evidence on the open one, or a reopened recent one (idempotent)."""
        key = Case.make_key(match.place_id, match.topic)
        return self._open_or_add(
            key, match.place_id, match.topic, list(match.post_ids), f"system:{match.detector}",
            spike=match.spike_info(), match_id=match.id,
            data={"count": match.count, "baseline": match.baseline, "score": match.score},
        )

    def flag(self, post_ids: list[str], actor: str, *, place_id: str | None = None, topic: str | None = None,
             note: str | None = None) -> Case:
        """A reviewer's "flag this": the posts open (or join) the case of their place and topic."""
        posts = self.store.get_posts(post_ids)
        if not posts:
            raise NotFound("未找到这些帖子 (no such posts)")
        if place_id is None:
            places = [pid for p in posts for pid in p.effective_place_keys]  # unlisted places' raw: keys too
            fine = [pid for pid in places if not self.router.excluded(pid)] or places
            if not fine:
                raise ValueError("无法确定地点，请指定地点 (no place: give place_id)")
            place_id = Counter(fine).most_common(1)[0][0]
        if topic is None:
            topics = [p.effective_topic for p in posts if p.effective_topic]
            topic = Counter(topics).most_common(1)[0][0] if topics else None
        key = Case.make_key(place_id, topic)
        return self._open_or_add(key, place_id, topic, [p.id for p in posts], actor, note=note,
                                 data={"manual": True})

    def open_cluster(self, match: ClusterMatch) -> Case:
        """A cluster of neighbouring places → one case for the zone (idempotent like :meth:`open_or_update`).

        The case names the zone (a 居委/小区 with its sub-units, a road, a grid), lists the member places with
        observed vs expected in its history, and is routed like a place case with the zone as the place. A
        re-detection in a zone overlapping an open cluster case of the same topic adds evidence to that case.
        """
        key = self._overlapping_cluster(match) or match.key
        route = self.router.route_zone(match.zone, match.topic, match.place_ids)
        n = len(match.members)
        title = f"{match.zone.name}片区{self.router.topic_name(match.topic)}问题聚集（{n} 处点位）"
        return self._open_or_add(
            key, route.place.id if route.place and route.place.id else match.zone.id, match.topic,
            list(match.post_ids), "system:cluster", spike=match.spike_info(), match_id=match.id,
            note=match.details.get("explanation"), route=route, title=title,
            data={"count": match.count, "baseline": match.expected, "score": match.score, "zone": match.zone.id,
                  "members": match.details.get("members", [])},
        )

    def _overlapping_cluster(self, match: ClusterMatch) -> str | None:
        """The key of an open cluster case on the same topic sharing a member place with this match, if any."""
        places = set(match.place_ids)
        offset = 0
        while True:  # every open case of the topic, a page at a time (a city may hold thousands)
            page = self.store.list_cases(CaseQuery(open_only=True, topic=match.topic, offset=offset, limit=500))
            for case in page.items:
                if not case.key.startswith("zone:") or case.key == match.key or case.topic != match.topic:
                    continue
                seen = {m.get("place_id") for m in (case.spike.details.get("members", []) if case.spike else [])}
                if seen & places:
                    return case.key
            offset += len(page.items)
            if not page.items or offset >= page.total:
                return None
