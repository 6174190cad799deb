"""The case lifecycle as data and pure rules: who may move a case where, what a move needs, when it escalates."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from core import Case, CaseStatus, labels
from core.config import AlertsConfig

S = CaseStatus
ROLES = ("reviewer", "department", "admin")
#: status → allowed next status → roles that may make the move (admin may make every move listed).
#: Closing anything but a verified case is a dismissal and needs a note.
TRANSITIONS: dict[CaseStatus, dict[CaseStatus, frozenset[str]]] = {
    S.NEW: {S.ASSIGNED: frozenset({"reviewer"}), S.CLOSED: frozenset({"reviewer"})},
    S.ASSIGNED: {S.IN_PROGRESS: frozenset({"department", "reviewer"}), S.ASSIGNED: frozenset({"reviewer"}),
                 S.CLOSED: frozenset({"reviewer"})},
    # the office may reassign or recall (→ assigned) or close (a dismissal) work in progress, with a reason
    S.IN_PROGRESS: {S.RECTIFIED: frozenset({"department"}), S.ASSIGNED: frozenset({"reviewer"}),
                    S.CLOSED: frozenset({"reviewer"})},
    S.RECTIFIED: {S.VERIFIED: frozenset({"reviewer"}), S.IN_PROGRESS: frozenset({"reviewer"})},
    S.VERIFIED: {S.CLOSED: frozenset({"reviewer"})},
    S.CLOSED: {S.REOPENED: frozenset({"reviewer"})},
    S.REOPENED: {S.ASSIGNED: frozenset({"reviewer"}), S.IN_PROGRESS: frozenset({"department"}),
                 S.CLOSED: frozenset({"reviewer"})},
}
STATUS_ZH = labels.CASE_STATUS  # the one table of Chinese labels (core.labels)
def case_id_for(key: str, generation: int) -> str:
    """The id of the ``generation``-th case on a key: the same on every runner."""
    return f"c-{hashlib.sha1(key.encode()).hexdigest()[:12]}-{generation}"


def applied_matches(case: Case) -> set[str]:
    """Ids of the detector matches already recorded on a case."""
    return {e.data["match_id"] for e in case.history if "match_id" in e.data}




def allowed_transitions(case: Case, role: str, department: str | None = None) -> list[CaseStatus]:
    """The statuses this role (and department, for the department role) may move the case to."""
    if role not in ROLES:
        return []
    if role == "department" and (department is None or department != case.department):
        return []
    moves = TRANSITIONS.get(case.status, {})
    return [to for to, roles in moves.items() if role == "admin" or role in roles]


def check_move(case: Case, to: CaseStatus, role: str, department: str | None, note: str | None,
               photos: list[str]) -> None:
    """Raise PermissionError if the role may not make the move, ValueError if its evidence is missing."""
    if to not in allowed_transitions(case, role, department):
        raise PermissionError(
            f"{role} 无权将案件从「{STATUS_ZH[case.status]}」改为「{STATUS_ZH[to]}」"
            f" (may not move {case.status.value} → {to.value})")
    if to is S.RECTIFIED and (not photos or not (note or "").strip()):
        raise ValueError("整改完成需上传照片并填写整改说明 (rectified needs photos and a note)")
    dismiss = to is S.CLOSED and case.status is not S.VERIFIED
    sent_back = (case.status, to) in ((S.RECTIFIED, S.IN_PROGRESS), (S.IN_PROGRESS, S.ASSIGNED))
    if (dismiss or sent_back) and not (note or "").strip():
        raise ValueError("请填写原因 (a note is required)")


#: statuses in which a case waits for the office, not the department: never overdue
WAITING = (S.RECTIFIED, S.VERIFIED, S.CLOSED)
#: statuses in which a department works on a case: the office may 督办 (urge) it by hand
SUPERVISABLE = (S.ASSIGNED, S.IN_PROGRESS, S.REOPENED)
#: roles that may 督办
SUPERVISORS = frozenset({"reviewer", "admin"})


def can_supervise(case: Case, role: str) -> bool:
    """Whether this role may 督办 (urge) the case by hand: the office or an admin, while a department works on it."""
    return role in SUPERVISORS and case.status in SUPERVISABLE and case.department is not None


def check_supervise(case: Case, role: str, note: str | None) -> None:
    """Raise PermissionError if the role may not 督办 this case now, ValueError if the note is empty."""
    if not can_supervise(case, role):
        raise PermissionError(f"{role} 不能督办「{STATUS_ZH[case.status]}」的案件 (may not supervise a "
                              f"{case.status.value} case)")
    if not (note or "").strip():
        raise ValueError("请填写督办意见 (a note is required)")


def escalation_due(case: Case, now: datetime, config: AlertsConfig) -> int | None:
    """The escalation level a case should reach now, or None if nothing is due.

    Level 1 at the deadline, one more every ``escalate_every_hours``, at most ``max_escalations``.
    """
    if case.status in WAITING or case.due_at is None:
        return None
    # escalations of this episode only: a reopened case starts again from level 0
    last_reopen = max((i for i, e in enumerate(case.history) if e.to_status is S.REOPENED), default=-1)
    level = sum(1 for e in case.history[last_reopen + 1:] if e.action == "escalated")
    if level >= config.max_escalations:
        return None
    if now < case.due_at + timedelta(hours=config.escalate_every_hours * level):
        return None
    return level + 1
