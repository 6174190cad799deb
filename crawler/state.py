"""Per-source crawl state, kept in the store (``SourceState``, written with CAS on ``version``):
health, last success and error, backoff, per-account status, the watermark cursor and the gone list.

A crawl holds a lease on its source so two crawls never run at once, renewed while it runs
(``crawler.lease``); a lease whose owner process on this host is dead is taken over (a killed crawl does not
block the next one). The watermark only advances when a crawl completes without transient failures, so
nothing a failure skipped is ever treated as seen. Lists left at their page cap keep a resumable cursor
(``cursor.backlog``, ``crawler.backlog``).
"""

from __future__ import annotations

import logging
import os
import socket
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from core import Conflict, SourceHealth, SourceState
from crawler.backlog import Backlog
from crawler.classify import Outcome
from crawler.logformat import SECRET_KEYS, mask_urls

if TYPE_CHECKING:
    from storage import SourceStates

log = logging.getLogger(__name__)
GONE_KEEP = 5000  # newest gone keys kept in the cursor


def backoff_delay(errors: int, base: float, ceiling: float) -> float:
    """Exponential backoff in seconds for the n-th consecutive failure (n ≥ 1), capped at ``ceiling``."""
    return min(ceiling, base * 2 ** max(0, errors - 1))


def lease_host() -> str:
    """This machine's name in crawl leases: ``YUQING_LEASE_HOST`` if set (containers that share a host name, or
    several daemons on one machine standing for several machines), else the host name."""
    return os.environ.get("YUQING_LEASE_HOST") or socket.gethostname()


def lease_owner() -> str:
    """This process as a lease owner: host:pid."""
    return f"{lease_host()}:{os.getpid()}"


def _owner_alive(owner: str | None) -> bool:
    if not owner:
        return False
    host, _, pid = owner.rpartition(":")
    if host != lease_host() or not pid.isdigit():
        return True  # another host: trust its lease until it expires
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class Tracker:
    """What one crawl learns about its source; merged into the stored state at the end."""

    name: str
    base: float = 900.0
    ceiling: float = 10800.0
    outcomes: Counter[str] = field(default_factory=Counter)
    blocked: Outcome | None = None  # login / throttled / captcha that stopped the crawl
    errors: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    watermark: datetime | None = None
    stored: int = 0
    lost: int = 0  # requests given up after a transient failure (their content was not seen)
    walls: list[str] = field(default_factory=list)  # pages behind a login wall of their own (a private board)
    counters: Counter[str] = field(default_factory=Counter)
    backlog: Backlog = field(default_factory=Backlog)  # lists left at their page cap (resumable cursors)
    lease_lost: str | None = None  # the owner that took the lease over while this crawl ran
    interrupted: str | None = None  # why the crawl was closed before its queue drained (SIGTERM: "shutdown")
    partial: bool = False  # a page after the first of a list was not read (per-URL error): healthy, but the
    # watermark and the backlog stay, so the next crawl reads the older posts again instead of skipping them

    def record(self, outcome: Outcome, reason: str) -> None:
        """Count an outcome; remember the reason of a failure."""
        self.outcomes[outcome.value] += 1
        if outcome.transient:
            self.errors.append(f"{outcome.value}: {reason}")

    def block(self, outcome: Outcome, reason: str) -> None:
        """Stop the crawl: the source answers with a wall (login, throttle, captcha)."""
        if self.blocked is None:
            self.blocked = outcome
            self.errors.append(f"{outcome.value}: {reason}")

    def see(self, published_at: datetime) -> None:
        """Move the candidate watermark (applied only if the crawl completes)."""
        if self.watermark is None or published_at > self.watermark:
            self.watermark = published_at

    @property
    def complete(self) -> bool:
        """No transient failure at all: the watermark may advance."""
        return self.blocked is None and self.lost == 0 and self.interrupted is None

    def interrupt(self, reason: str) -> None:
        """The crawl was closed early (shutdown, spool unwritable …): requests still queued were never fetched,
        so the watermark and the stored backlog must stay where they were."""
        if self.interrupted is None:
            self.interrupted = reason
            if not self.errors:  # a cause recorded earlier (e.g. the spool's full disk) says more
                self.errors.append(f"interrupted: {reason}")

    def apply(self, state: SourceState, now: datetime) -> SourceState:
        """The stored state updated with this crawl's results (pure)."""
        cursor = dict(state.cursor)
        if self.gone:
            cursor["gone"] = (list(cursor.get("gone", [])) + [g for g in self.gone if g not in cursor.get("gone", [])]
                              )[-GONE_KEEP:]
        if self.accounts:
            accounts = dict(cursor.get("accounts", {}))
            accounts.update(self.accounts)
            cursor["accounts"] = accounts
        counters = Counter(state.counters)
        counters.update(self.outcomes)
        counters.update(self.counters)
        update: dict[str, Any] = {"last_run_at": now, "updated_at": now, "counters": dict(counters),
                                  "items_total": state.items_total + self.stored}
        if self.complete:  # an incomplete crawl keeps the stored backlog as it was (its pages may be lost)
            backlog = self.backlog.result()
            if self.partial:
                pass  # healthy, but pages were missed: backlog and watermark stay where they were
            elif backlog:
                cursor["backlog"] = backlog
            else:
                cursor.pop("backlog", None)
            if self.watermark is not None and not self.partial:
                old = cursor.get("watermark")
                if old is None or datetime.fromisoformat(old) < self.watermark:
                    cursor["watermark"] = self.watermark.isoformat()
            update.update(health=SourceHealth.OK, last_success_at=now, consecutive_errors=0, backoff_until=None)
            bad = [n for n, a in self.accounts.items() if a.get("status") != "ok"]
            if bad:
                update["last_error"] = f"账号 cookie 失效 invalid cookie for account(s): {', '.join(bad)}"
            elif self.walls:
                update["last_error"] = f"需要登录或无权限 login wall on {len(self.walls)} page(s), e.g. {self.walls[0]}"
        elif self.interrupted and self.blocked is None and self.lost == 0:
            pass  # closed by us (shutdown): not the source's fault, so no backoff and no change of health
        else:
            n = state.consecutive_errors + 1
            delay = backoff_delay(n, self.base, self.ceiling)
            health = {Outcome.LOGIN: SourceHealth.LOGIN_NEEDED, Outcome.CAPTCHA: SourceHealth.BLOCKED,
                      Outcome.THROTTLED: SourceHealth.BACKING_OFF}.get(self.blocked, SourceHealth.FAILING)
            update.update(health=health, consecutive_errors=n, backoff_until=now + timedelta(seconds=delay),
                          last_error=self.errors[-1][:300] if self.errors else "incomplete crawl")
        update["cursor"] = cursor
        if update.get("last_error"):  # a URL's token never reaches the state, the report or the health page
            update["last_error"] = mask_urls(update["last_error"], SECRET_KEYS)
        return state.model_copy(update=update)


class StateStore:
    """Reads and writes one source's state through a Store, with CAS retries and the crawl lease."""

    def __init__(self, store: SourceStates, name: str, lease: timedelta = timedelta(hours=2)) -> None:
        self.store = store
        self.name = name
        self.lease = lease
        self.owner = lease_owner()

    def load(self) -> SourceState:
        """The stored state, or a fresh one."""
        return self.store.get_source_state(self.name) or SourceState(name=self.name)

    def _save(self, change: Any, attempts: int = 5) -> SourceState:
        for _ in range(attempts):
            state = self.load()
            try:
                return self.store.save_source_state(change(state))
            except Conflict:
                continue
        raise Conflict(f"source state {self.name!r} kept changing")

    def acquire(self, now: datetime) -> SourceState | None:
        """Take the crawl lease; None if another live crawl holds it."""
        for _ in range(5):
            state = self.load()
            busy = state.lease_owner and state.lease_owner != self.owner and state.lease_until and \
                state.lease_until > now and _owner_alive(state.lease_owner)
            if busy:
                return None
            try:
                return self.store.save_source_state(
                    state.model_copy(update={"lease_owner": self.owner, "lease_until": now + self.lease}))
            except Conflict:
                continue
        return None

    def renew(self, now: datetime) -> str | None:
        """Extend this crawl's lease to ``now + lease`` (CAS, retried); the other owner if the lease was taken
        over, even if it was released since (then nothing is written), else None."""
        for _ in range(5):
            state = self.load()
            if state.lease_owner != self.owner:  # taken over; None: taken over and already released again
                return state.lease_owner or "another crawl (lease released)"
            try:
                self.store.save_source_state(
                    state.model_copy(update={"lease_owner": self.owner, "lease_until": now + self.lease}))
                return None
            except Conflict:
                continue
        return None  # the state kept changing under us: the next beat tells

    def commit(self, tracker: Tracker, now: datetime) -> SourceState:
        """Merge a crawl's results and release the lease (CAS, retried on conflict)."""
        def change(state: SourceState) -> SourceState:
            new = tracker.apply(state, now)
            if new.lease_owner == self.owner:
                new = new.model_copy(update={"lease_owner": None, "lease_until": None})
            return new
        return self._save(change)

    def release(self) -> None:
        """Drop the lease without other changes."""
        def change(state: SourceState) -> SourceState:
            if state.lease_owner != self.owner:
                return state
            return state.model_copy(update={"lease_owner": None, "lease_until": None})
        self._save(change)
