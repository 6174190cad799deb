"""The case service: spikes and reviewers' flags become cases, routed, chased and closed.

Every change is one ``Store.update_case(case, event)`` with optimistic concurrency (re-read and retry
on Conflict), so the web console, the alert runner and a second runner can act at once. Case ids are
derived from the key and a generation number, so two runners cannot open two cases for one key:
the second ``create_case`` fails with Conflict and retries into "add evidence". All state lives in
the Store; a restart changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from alerts.lifecycle import (
    WAITING,
    S,
    allowed_transitions,
    applied_matches,
    case_id_for,
    check_move,
    check_supervise,
    escalation_due,
)
from alerts.outbox import Outbox
from alerts.routing import Router, max_severity
from core import Case, CaseEvent, CaseStatus, Config, Conflict, NotFound, Severity, SpikeInfo, utcnow
from storage.base import CaseQuery

if TYPE_CHECKING:
    from alerts.detectors import SpikeMatch
    from storage.base import Store

_RETRIES = 8


class CaseService:
    """Opens, updates and moves cases; used by the alert runner, the web console and the CLI."""

    def __init__(self, store: Store, config: Config, *, gazetteer: Any = None, taxonomy: Any = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        if gazetteer is None:
            from nlp.gazetteer import load_gazetteer

            gazetteer = load_gazetteer(config.nlp.gazetteer)
        if taxonomy is None:
            from nlp.taxonomy import load_taxonomy

            taxonomy = load_taxonomy(config.nlp.taxonomy)
        self.store = store
        self.config = config
        self.router = Router(config.alerts, gazetteer, taxonomy)
        self.outbox = Outbox(store, config.alerts, clock)
        self.clock = clock

    # ---- writing ---------------------------------------------------------
    def _saved(self, case: Case, event: CaseEvent, post_ids: Iterable[str] = ()) -> Case:
        """After a successful write: link posts, queue deliveries."""
        ids = list(post_ids)
        if ids:
            self.store.link_posts_to_case(ids, case.id)
        self.outbox.publish(case)
        return case

    def _mutate(self, case_id: str, change: Callable[[Case], tuple[Case, CaseEvent, list[str]] | None]) -> Case:
        """Read, change, write; retry on Conflict. ``change`` returns None for "nothing to do"."""
        for _ in range(_RETRIES):
            case = self.store.get_case(case_id)
            if case is None:
                raise NotFound(f"案件 {case_id} 不存在 (no such case)")
            result = change(case)
            if result is None:
                return case
            new, event, posts = result
            try:
                stored = self.store.update_case(new, event)
            except Conflict:
                continue
            return self._saved(stored, event, posts)
        raise Conflict(f"case {case_id}: too many concurrent changes, try again")

    def _event(self, actor: str, action: str, **kw: Any) -> CaseEvent:
        return CaseEvent(at=self.clock(), actor=actor, action=action, **kw)

    def _any_after(self, post_ids: list[str], when: datetime) -> bool:
        return any(p.published_at >= when for p in self.store.get_posts(post_ids))

    def _severity_of(self, base: Severity, post_ids: list[str]) -> Severity:
        posts = self.store.get_posts(post_ids[:200]) if post_ids else []
        return max_severity(base, *(p.severity for p in posts))

    # ---- opening ---------------------------------------------------------
    def _open_or_add(self, key: str, place_id: str, topic: str | None, post_ids: list[str], actor: str,
                     *, spike: SpikeInfo | None = None, match_id: str | None = None, note: str | None = None,
                     data: dict[str, Any] | None = None) -> Case:
        data = dict(data or {})
        if match_id:
            data["match_id"] = match_id
        hint: str | None = None  # the id a create just conflicted with (read by id: no search lag)
        min_generation = 1
        for _ in range(_RETRIES):
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
                return self._create(key, place_id, topic, post_ids, actor, spike, note, data, generation, now)
            except Conflict:
                hint, min_generation = case_id_for(key, generation), generation + 1
                continue
        raise Conflict(f"case key {key}: too many concurrent changes, try again")

    def _create(self, key: str, place_id: str, topic: str | None, post_ids: list[str], actor: str,
                spike: SpikeInfo | None, note: str | None, data: dict[str, Any], generation: int,
                now: datetime) -> Case:
        route = self.router.route(place_id, topic)
        severity = self._severity_of(route.severity, post_ids)
        place_name = route.place.name if route.place else self.router.place_name(place_id)
        event = self._event(actor, "opened" if spike is not None else "flagged", to_status=S.NEW, note=note,
                            data={**data, "post_ids": post_ids, "generation": generation})
        case = Case(
            id=case_id_for(key, generation), key=key, title=f"{place_name}{self.router.topic_name(topic)}问题",
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

    def attach_posts(self, case_id: str, post_ids: list[str], actor: str) -> Case:
        """Add posts to a case's evidence."""
        def change(case: Case):
            new = [p for p in dict.fromkeys(post_ids) if p not in case.evidence]
            if not new:
                return None
            event = self._event(actor, "evidence", data={"post_ids": new})
            return case.model_copy(update={"evidence": [*case.evidence, *new]}), event, new

        return self._mutate(case_id, change)

    # ---- the lifecycle ---------------------------------------------------
    def allowed_transitions(self, case: Case, role: str, department: str | None = None) -> list[CaseStatus]:
        """The statuses this role (and department, for the department role) may move the case to."""
        return allowed_transitions(case, role, department)

    def transition(self, case_id: str, to: CaseStatus, actor: str, role: str, *, department: str | None = None,
                   note: str | None = None, photos: list[str] | tuple[str, ...] = ()) -> Case:
        """Move a case; PermissionError if the role may not, ValueError if evidence is missing.

        For a reviewer or admin moving to ``assigned``, ``department`` names the department to assign to
        (default: the routed one); for the department role it is the actor's own department.
        """
        to = CaseStatus(to)
        photos = list(photos)

        def change(case: Case):
            check_move(case, to, role, department, note, photos)
            now = self.clock()
            update: dict[str, Any] = {"status": to}
            data: dict[str, Any] = {"role": role}
            if to is S.ASSIGNED and role != "department" and department and department != case.department:
                update["department"] = department
                data["department"] = department
            if to is S.CLOSED:
                update["closed_at"] = now
            if to is S.REOPENED:  # by hand: a fresh deadline, and never a second open case for the key
                other = self.store.open_case_for_key(case.key)
                if other is not None and other.id != case.id:
                    raise ValueError(f"该点位同类问题已有未办结案件 {other.id}，请在该案件中处理 "
                                     f"(case {other.id} is already open for this key)")
                update["closed_at"] = None
                update["due_at"] = self.router.deadline(case.severity, now)
            event = self._event(actor, "status", from_status=case.status, to_status=to, note=note,
                                photos=photos, data=data)
            return case.model_copy(update=update), event, []

        return self._mutate(case_id, change)

    def add_note(self, case_id: str, actor: str, note: str, photos: list[str] | tuple[str, ...] = ()) -> Case:
        """Append a note (and photos) to a case's history."""
        if not note.strip() and not photos:
            raise ValueError("备注不能为空 (empty note)")
        return self._mutate(case_id, lambda c: (c, self._event(actor, "note", note=note, photos=list(photos)), []))

    def supervise(self, case_id: str, actor: str, role: str, note: str) -> Case:
        """The office's 督办 by hand on a case a department is working on: a ``supervised`` history event (actor,
        time, note) delivered like the other case events; the status, the deadline and the automatic
        escalation levels stay as they are. PermissionError if the role or status does not allow it,
        ValueError without a note."""
        def change(case: Case):
            check_supervise(case, role, note)
            previous = sum(1 for e in case.history if e.action == "supervised")
            event = self._event(actor, "supervised", note=note.strip(),
                                data={"role": role, "count": previous + 1, "department": case.department})
            return case, event, []

        return self._mutate(case_id, change)

    def check_overdue(self) -> list[Case]:
        """Every open case past its deadline and not yet rectified; escalates each one whose next level is due.

        Level 1 at the deadline, then one more every ``alerts.escalate_every_hours`` up to
        ``alerts.max_escalations``; each escalation is a history event (and a notification).
        """
        now = self.clock()
        out: list[Case] = []
        offset = 0
        while True:
            page = self.store.list_cases(CaseQuery(open_only=True, due_before=now, offset=offset, limit=200))
            for case in page.items:
                if case.status in WAITING or case.due_at is None:
                    continue

                def change(c: Case):
                    level = escalation_due(c, now, self.config.alerts)
                    if level is None:
                        return None
                    hours = round((now - c.due_at).total_seconds() / 3600, 1)
                    event = self._event("system:overdue", "escalated", note=f"已超期 {hours} 小时，第 {level} 次督办",
                                        data={"level": level, "overdue_hours": hours})
                    return c, event, []

                out.append(self._mutate(case.id, change))
            offset += len(page.items)
            if not page.items or offset >= page.total:
                return out
