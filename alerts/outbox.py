"""From case events to outbox items: which channels want an event, and when a notification may go.

Items are keyed ``<case id>:<event version>:<channel>`` so publishing twice (a retry, a restart, a
second runner) never queues a second delivery. Quiet hours and weekends delay notifications
(WeCom, DingTalk, email), never the tracker webhook and never the case itself. The office's 督办 by hand
(``supervised``) goes to every channel taking ``supervised`` or ``escalated`` (both urge the department).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from core import SHANGHAI, Case, OutboxItem, OutboxStatus, Severity, utcnow
from core.config import AlertsConfig, QuietHoursConfig

if TYPE_CHECKING:
    from storage import OutboxQueue

#: history actions and the event name channels subscribe to (others, e.g. "delivered", are not sent)
EVENT_OF_ACTION = {
    "opened": "opened", "flagged": "opened", "reopened": "reopened", "evidence": "evidence",
    "status": "status", "escalated": "escalated", "note": "note", "supervised": "supervised",
}
#: events also delivered to channels that take another one
ALSO_FOR = {"supervised": "escalated"}


def wants(events: list[str], kind: str) -> bool:
    """Whether a channel taking ``events`` delivers an event of ``kind``."""
    return kind in events or ALSO_FOR.get(kind) in events


def _hm(text: str) -> time:
    h, m = text.split(":")
    return time(int(h), int(m))


def in_quiet(local: datetime, quiet: QuietHoursConfig) -> bool:
    """Whether a Shanghai wall-clock time falls in the nightly quiet period."""
    start, end, t = _hm(quiet.start), _hm(quiet.end), local.time()
    return (t >= start or t < end) if start > end else (start <= t < end)


def release_time(now: datetime, quiet: QuietHoursConfig | None) -> datetime:
    """The first moment at or after ``now`` when a notification may go out."""
    if quiet is None:
        return now
    t = now.astimezone(SHANGHAI)
    end = _hm(quiet.end)
    for _ in range(8):
        if quiet.weekends and t.weekday() >= 5:
            monday = t.date() + timedelta(days=7 - t.weekday())
            t = datetime.combine(monday, end, SHANGHAI)
            continue
        if in_quiet(t, quiet):
            day = t.date() if t.time() < end else t.date() + timedelta(days=1)
            t = datetime.combine(day, end, SHANGHAI)
            continue
        break
    return max(now, t)


def case_summary(case: Case) -> dict[str, Any]:
    """The case as channels see it (no history)."""
    return case.model_dump(mode="json", exclude={"history", "delivery"})


class Outbox:
    """Publishes case events to the configured channels through the Store's durable outbox."""

    def __init__(self, store: OutboxQueue, config: AlertsConfig, clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.config = config
        self.clock = clock

    def items_for(self, case: Case, version: int) -> list[OutboxItem]:
        """The deliveries one history event (1-based ``version``) calls for; pure apart from the clock."""
        event = case.history[version - 1]
        kind = EVENT_OF_ACTION.get(event.action)
        if kind is None:
            return []
        now = self.clock()
        items = []
        for ch in self.config.channels:
            if not wants(ch.events, kind) or (ch.departments and case.department not in ch.departments):
                continue
            due = now
            bypass = self.config.quiet_hours is not None and self.config.quiet_hours.urgent_bypass \
                and case.severity is Severity.URGENT
            if ch.type != "webhook" and ch.quiet_hours and not bypass:
                due = release_time(now, self.config.quiet_hours)
            payload = {
                "event": kind, "version": version, "idempotency_key": f"{case.id}:{version}",
                "detail": event.model_dump(mode="json"), "case": case_summary(case),
            }
            items.append(OutboxItem(id=f"{case.id}:{version}:{ch.name}", channel=ch.name, case_id=case.id,
                                    payload=payload, created_at=now, next_try_at=due))
        return items

    def publish(self, case: Case, version: int | None = None) -> int:
        """Queue the deliveries of one event (default: the newest); returns how many were new."""
        v = version if version is not None else len(case.history)
        return sum(self.store.enqueue(item) for item in self.items_for(case, v)) if v else 0

    def sweep(self, cases: list[Case], since: datetime) -> int:
        """Re-publish every deliverable event since ``since`` (repairs a crash between write and enqueue)."""
        n = 0
        for case in cases:
            for i, event in enumerate(case.history):
                if event.at >= since and event.action in EVENT_OF_ACTION:
                    n += self.publish(case, i + 1)
        return n

    def publish_report(self, day: str, path: str, summary: dict[str, Any]) -> int:
        """Queue the daily report for every channel that takes ``daily_report``."""
        now = self.clock()
        n = 0
        for ch in self.config.channels:
            if "daily_report" not in ch.events:
                continue
            due = now if ch.type == "webhook" or not ch.quiet_hours else release_time(now, self.config.quiet_hours)
            payload = {"event": "daily_report", "idempotency_key": f"report:{day}", "day": day, "path": path,
                       "summary": summary}
            n += self.store.enqueue(OutboxItem(id=f"report:{day}:{ch.name}", channel=ch.name, payload=payload,
                                               created_at=now, next_try_at=due))
        return n



def dead_items(store: Any, config: AlertsConfig, now: datetime, *, report_days: int = 31, case_limit: int = 5000
               ) -> list[OutboxItem]:
    """Outbox items that gave up (status ``dead``), oldest first.

    The Store has no listing by status, but item ids are derived (``<case id>:<version>:<channel>`` and
    ``report:<day>:<channel>``), so every item a case event or a recent daily report could have queued is
    looked up by id: cases × events × channels, plus the daily reports of the last ``report_days`` days.
    """
    from storage.base import CaseQuery

    names = [ch.name for ch in config.channels]
    ids = [f"{c.id}:{v}:{name}" for c in store.list_cases(CaseQuery(limit=case_limit)).items
           for v in range(1, len(c.history) + 1) for name in names]
    today = now.astimezone(SHANGHAI).date()
    ids += [f"report:{today - timedelta(days=d)}:{name}" for d in range(report_days + 1) for name in names]
    items = [store.get_outbox_item(i) for i in ids]
    return sorted((it for it in items if it is not None and it.status == OutboxStatus.DEAD),
                  key=lambda it: it.created_at)


def redrive(store: OutboxQueue, item: OutboxItem, now: datetime) -> OutboxItem:
    """Put a dead item back in the queue, due now, with a fresh attempt budget (the last error is kept).

    Raises :class:`core.Conflict` if the item changed meanwhile; the idempotency key is unchanged, so a
    receiver that did make a ticket answers with the one it made.
    """
    return store.save_outbox_item(item.model_copy(update={
        "status": OutboxStatus.PENDING, "attempts": 0, "next_try_at": now, "lease_owner": None, "lease_until": None}))
