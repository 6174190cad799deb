"""The outbox worker: lease due items, send them, back off exponentially, record the tracker's ref.

Every state change is in the Store (``claim_due`` leases, ``save_outbox_item`` after each attempt), so
a worker killed mid-send leaves a leased item that another worker retries when the lease runs out —
with the same idempotency key, which the receiver answers with the ticket it already made.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from alerts.channels import REGISTRY, Channel, DeliveryError
from core import Case, Config, Conflict, OutboxItem, OutboxStatus, utcnow

log = logging.getLogger("yuqing.alerts.delivery")


@dataclass
class DeliveryReport:
    """What one pass did."""

    sent: int = 0
    retried: int = 0
    dead: int = 0
    lost_lease: int = 0


def backoff_seconds(attempts: int, base: float, ceiling: float) -> float:
    """Delay before the next try after ``attempts`` failures: base·2^(attempts−1), at most ``ceiling``."""
    return min(ceiling, base * 2 ** max(0, attempts - 1))


def build_channels(config: Config, *, transport: httpx.BaseTransport | None = None,
                   environ: Mapping[str, str] | None = None, clock: Callable[[], datetime] = utcnow
                   ) -> dict[str, Channel]:
    """The configured channels by name."""
    return {
        ch.name: REGISTRY[ch.type](ch, transport=transport, environ=environ, clock=clock,
                                   console_url=config.alerts.console_url)
        for ch in config.alerts.channels
    }


class Deliverer:
    """Sends due outbox items through their channels."""

    def __init__(self, store: Any, config: Config, *, channels: dict[str, Channel] | None = None,
                 transport: httpx.BaseTransport | None = None, environ: Mapping[str, str] | None = None,
                 clock: Callable[[], datetime] = utcnow, owner: str | None = None) -> None:
        self.store = store
        self.config = config
        self.clock = clock
        self.channels = channels if channels is not None else build_channels(
            config, transport=transport, environ=environ, clock=clock)
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}"

    def deliver_due(self, limit: int = 10) -> DeliveryReport:
        """One pass: claim up to ``limit`` due items and attempt each once."""
        report = DeliveryReport()
        now = self.clock()
        longest = max((c.config.timeout for c in self.channels.values()), default=10.0)
        lease = timedelta(seconds=longest * limit + 60)
        for item in self.store.claim_due(now, self.owner, lease, limit):
            outcome = self._attempt(item)
            setattr(report, outcome, getattr(report, outcome) + 1)
        return report

    def drain(self, max_passes: int = 100) -> DeliveryReport:
        """Pass after pass until nothing due is left (or ``max_passes``)."""
        total = DeliveryReport()
        for _ in range(max_passes):
            r = self.deliver_due()
            for f in ("sent", "retried", "dead", "lost_lease"):
                setattr(total, f, getattr(total, f) + getattr(r, f))
            if r.sent + r.retried + r.dead + r.lost_lease == 0:
                break
        return total

    def _attempt(self, item: OutboxItem) -> str:
        cfg = self.config.alerts
        channel = self.channels.get(item.channel)
        case = self.store.get_case(item.case_id) if item.case_id else None
        now = self.clock()
        attempts = item.attempts + 1
        try:
            if channel is None:
                raise DeliveryError(f"channel {item.channel!r} is not configured", permanent=True)
            try:
                ref = channel.send(item, case)
            except DeliveryError:
                raise
            except Exception as exc:  # a bug must not wedge the queue: log it, retry later
                log.exception("delivery %s: unexpected error", item.id)
                raise DeliveryError(f"{item.channel}: internal error {type(exc).__name__}") from None
        except DeliveryError as exc:
            dead = exc.permanent or attempts >= cfg.max_attempts
            delay = backoff_seconds(attempts, cfg.retry_base_seconds, cfg.retry_max_seconds)
            update = {"attempts": attempts, "last_error": str(exc)[:300], "lease_owner": None, "lease_until": None,
                      "status": OutboxStatus.DEAD if dead else OutboxStatus.PENDING,
                      "next_try_at": now if dead else now + timedelta(seconds=delay)}
            log.warning("delivery %s failed (attempt %d%s): %s", item.id, attempts,
                        ", giving up" if dead else f", retry in {delay:g}s", exc)
            outcome = "dead" if dead else "retried"
        else:
            update = {"attempts": attempts, "status": OutboxStatus.SENT, "sent_at": now, "response_ref": ref,
                      "last_error": None, "lease_owner": None, "lease_until": None}
            outcome = "sent"
        try:
            self.store.save_outbox_item(item.model_copy(update=update))
        except Conflict:
            log.warning("delivery %s: lease lost to another worker", item.id)
            return "lost_lease"
        if outcome == "sent" and case is not None and channel is not None:
            self._record(case.id, item, channel, ref, now)
        return outcome

    def _record(self, case_id: str, item: OutboxItem, channel: Channel, ref: str | None, now: datetime) -> None:
        """Save the delivery state (and the tracker's reference) on the case; retry on Conflict."""
        from core import CaseEvent

        for _ in range(8):
            case: Case | None = self.store.get_case(case_id)
            if case is None:
                return
            state = {**case.delivery, item.channel: {
                "version": item.payload.get("version"), "at": now.isoformat(), "ref": ref, "item": item.id}}
            update: dict[str, Any] = {"delivery": state}
            event = None
            if channel.type == "webhook" and ref and case.external_ref != ref:
                update["external_ref"] = ref
                event = CaseEvent(at=now, actor=f"system:{item.channel}", action="delivered",
                                  note=f"已推送至案件系统，编号 {ref}", data={"channel": item.channel, "ref": ref})
            try:
                self.store.update_case(case.model_copy(update=update), event)
                return
            except Conflict:
                continue
