"""Opening cases: a detector match or a reviewer's flag becomes a new case, evidence on the open case of its key,
or a reopened recent one (the part of :class:`alerts.cases.CaseService` that creates; clusters of neighbouring
places in :mod:`alerts.opening_clusters`; the lifecycle moves stay in :mod:`alerts.cases`).

Nothing is opened twice, however many runners share the store, because every new case is a create-only write
of an id every runner derives alike (the store refuses a second ``create_case`` of an id with Conflict): a place
case's id is ``c-<sha1(key)>-<generation>``, so two runners opening one key write one id, and the loser retries
into "add evidence" (a cluster case's id is a slot of its topic: :mod:`alerts.opening_clusters`).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from alerts.lifecycle import S, applied_matches, case_id_for
from alerts.opening_clusters import RETRIES, ClusterOpening, cluster_case_id
from alerts.routing import Route, Router, max_severity, unlisted_levels
from core import Case, CaseEvent, Config, Conflict, NotFound, Post, Severity, SpikeInfo
from storage.base import CaseQuery

if TYPE_CHECKING:
    from alerts.detectors import SpikeMatch
    from alerts.outbox import Outbox
    from storage.base import Store

log = logging.getLogger(__name__)

__all__ = ["RETRIES", "CaseOpening", "cluster_case_id"]


class CaseOpening(ClusterOpening):
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
            try:
                self.store.link_posts_to_case(ids, case.id)
            except Conflict as exc:  # the case stands: this must not read as another runner's create
                log.warning("case %s: %d posts not linked to it (%s); its evidence lists them", case.id, len(ids), exc)
        self.outbox.publish(case)
        return case

    def _event(self, actor: str, action: str, **kw: Any) -> CaseEvent:
        return CaseEvent(at=self.clock(), actor=actor, action=action, **kw)

    def _any_after(self, post_ids: list[str], when: datetime) -> bool:
        return any(p.published_at >= when for p in self.store.get_posts(post_ids))

    def _severity_of(self, base: Severity, post_ids: list[str]) -> Severity:
        posts = self.store.get_posts(post_ids[:200]) if post_ids else []
        return max_severity(base, *(p.severity for p in posts))

    def _add(self, case: Case, post_ids: list[str], actor: str, spike: SpikeInfo | None, match_id: str | None,
             note: str | None, data: dict[str, Any]) -> Case | None:
        """The posts (and the match) as evidence on the open ``case``; None if it changed meanwhile (retry)."""
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
            return None
        return self._saved(stored, event, new_posts)

    def _history(self, key: str, post_ids: list[str], spike: SpikeInfo | None, match_id: str | None
                 ) -> tuple[Case | None, int, Case | None]:
        """The key's last case, its case count, and that case if the match is its history (already applied, or no
        complaint published since it was closed: the same episode, not a recurrence)."""
        previous = self.store.list_cases(CaseQuery(key=key, limit=1))
        last = previous.items[0] if previous.items else None
        if last is None or last.status.is_open:
            return last, previous.total, None
        same = (match_id and match_id in applied_matches(last)) or (
            last.closed_at is not None and spike is not None and not self._any_after(post_ids, last.closed_at))
        return last, previous.total, last if same else None

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
                added = self._add(case, post_ids, actor, spike, match_id, note, data)
                if added is None:
                    continue
                return added
            last, total, done = self._history(key, post_ids, spike, match_id)
            if done is not None:
                return done
            if last is not None and last.status.is_open:  # opened by another runner since our first read:
                hint = last.id  # add to it (next round) instead of opening a second case for the key
                continue
            if (last is not None and last.closed_at is not None
                    and now - last.closed_at <= timedelta(days=self.config.alerts.reopen_days)):
                try:
                    return self._reopen(last, post_ids, actor, spike, note, data, now)
                except Conflict:
                    continue
            generation = max(total + 1, min_generation)
            try:
                return self._create(key, place_id, topic, post_ids, actor, spike, note, data, generation, now,
                                    route=route, title=title)
            except Conflict:
                hint, min_generation = case_id_for(key, generation), generation + 1
                continue
        raise Conflict(f"case key {key}: too many concurrent changes, try again")

    def _create(self, key: str, place_id: str | None, topic: str | None, post_ids: list[str], actor: str,
                spike: SpikeInfo | None, note: str | None, data: dict[str, Any], generation: int,
                now: datetime, *, route: Route | None = None, title: str | None = None,
                case_id: str | None = None) -> Case:
        route = route or self.router.route(place_id or "", topic)
        severity = self._severity_of(route.severity, post_ids)
        place_name = route.place.name if route.place else self.router.place_name(place_id or "")
        event = self._event(actor, "opened" if spike is not None else "flagged", to_status=S.NEW, note=note,
                            data={**data, "post_ids": post_ids, "generation": generation})
        case = Case(
            id=case_id or case_id_for(key, generation), key=key,
            title=title or f"{place_name}{self.router.topic_name(topic)}问题",
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

    def candidate_places(self, posts: list[Post]) -> Counter[str]:
        """The places a case for ``posts`` may take, each with how many posts name it, most named first (unlisted
        places' raw: keys too; a level too coarse for a case, such as the whole town, only when no post names a
        finer place): :meth:`flag` takes the first."""
        counts = Counter(k for p in posts for k in dict.fromkeys(p.effective_place_keys))
        levels = unlisted_levels(posts)  # an unlisted town (raw:青石镇) is as coarse as a listed one
        fine = Counter({k: n for k, n in counts.items() if not self.router.excluded(k, levels.get(k))})
        return Counter(dict((fine or counts).most_common()))

    def flag(self, post_ids: list[str], actor: str, *, place_id: str | None = None, topic: str | None = None,
             note: str | None = None) -> Case:
        """A reviewer's "flag this": the posts open (or join) the case of their place and topic."""
        posts = self.store.get_posts(post_ids)
        if not posts:
            raise NotFound("未找到这些帖子 (no such posts)")
        if place_id is None:
            candidates = self.candidate_places(posts)
            if not candidates:
                raise ValueError("无法确定地点，请指定地点 (no place: give place_id)")
            place_id = next(iter(candidates))
        if topic is None:
            topics = [p.effective_topic for p in posts if p.effective_topic]
            topic = Counter(topics).most_common(1)[0][0] if topics else None
        key = Case.make_key(place_id, topic)
        return self._open_or_add(key, place_id, topic, [p.id for p in posts], actor, note=note,
                                 data={"manual": True})
