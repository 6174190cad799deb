"""Per-source crawl leases in the Store, so two daemons sharing one store never crawl one source at once."""

from __future__ import annotations

from datetime import datetime, timedelta

from core import Conflict, SourceState
from storage import Store


def acquire_lease(store: Store, source: str, owner: str, ttl: timedelta, now: datetime) -> SourceState | None:
    """Take the source's lease for ``ttl``; None if another owner holds an unexpired lease or won the race."""
    state = store.get_source_state(source) or SourceState(name=source)
    if state.lease_owner not in (None, owner) and state.lease_until is not None and state.lease_until > now:
        return None
    try:
        return store.save_source_state(state.model_copy(update={"lease_owner": owner, "lease_until": now + ttl}))
    except Conflict:
        return None


def release_lease(store: Store, source: str, owner: str, attempts: int = 5) -> bool:
    """Give the lease back if this owner still holds it (retrying over concurrent state updates)."""
    for _ in range(attempts):
        state = store.get_source_state(source)
        if state is None or state.lease_owner != owner:
            return False
        try:
            store.save_source_state(state.model_copy(update={"lease_owner": None, "lease_until": None}))
            return True
        except Conflict:
            continue
    return False
