"""The case service: spikes, clusters and reviewers' flags become cases, routed, chased and closed.

Every change is one ``Store.update_case(case, event)`` with optimistic concurrency (re-read and retry
on Conflict), so the web console, the alert runner and a second runner can act at once. Case ids are
derived from the key and a generation number, so two runners cannot open two cases for one key:
the second ``create_case`` fails with Conflict and retries into "add evidence" (:mod:`alerts.opening`
holds the opening; this module the lifecycle moves). All state lives in the Store; a restart changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from alerts.lifecycle import (
    WAITING,
    S,
    allowed_transitions,
    case_id_for,
    check_move,
    check_supervise,
    escalation_due,
)
from alerts.opening import RETRIES, CaseOpening
from alerts.outbox import Outbox
from alerts.routing import Router
from core import Case, CaseEvent, CaseStatus, Config, Conflict, NotFound, utcnow
from storage.base import CaseQuery

if TYPE_CHECKING:
    from storage.base import Store

__all__ = ["CaseService", "case_id_for"]  # case_id_for: callers import it from here


class CaseService(CaseOpening):
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
    def _mutate(self, case_id: str, change: Callable[[Case], tuple[Case, CaseEvent, list[str]] | None]) -> Case:
        """Read, change, write; retry on Conflict. ``change`` returns None for "nothing to do"."""
        for _ in range(RETRIES):
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
