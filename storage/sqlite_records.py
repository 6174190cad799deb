"""Cases, the delivery outbox and per-source state in the embedded SQLite store (a mixin of SQLiteStore).

Each record is a JSON document plus the columns its filters use; writes are compare-and-set on ``version``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

from core import Case, CaseEvent, Conflict, OutboxItem, OutboxStatus, SourceState
from storage.base import CaseList, CaseQuery


def _ts(dt: datetime | None) -> float | None:
    return dt.timestamp() if dt is not None else None


class SQLiteRecords:
    """The versioned records of :class:`storage.sqlite.SQLiteStore`."""

    _clock: Callable[[], datetime]  # "now" for updated_at, injected by the store

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:  # provided by SQLiteStore
        raise NotImplementedError

    def _query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:  # provided by SQLiteStore
        raise NotImplementedError

    # ---- cases -----------------------------------------------------------
    def _write_case(self, db: sqlite3.Connection, case: Case, insert: bool) -> None:
        values = (
            case.key, case.status.value, case.department, case.place.id if case.place else None, case.topic,
            _ts(case.opened_at), _ts(case.due_at), case.version, case.model_dump_json(),
        )
        if insert:
            db.execute(
                "INSERT INTO cases (key, status, department, place_id, topic, opened_ts, due_ts, version, doc, id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, case.id),
            )
        else:
            cur = db.execute(
                "UPDATE cases SET key = ?, status = ?, department = ?, place_id = ?, topic = ?, opened_ts = ?, "
                "due_ts = ?, version = ?, doc = ? WHERE id = ? AND version = ?",
                (*values, case.id, case.version - 1),
            )
            if cur.rowcount != 1:
                raise Conflict(f"case {case.id} was changed by someone else (expected version {case.version - 1})")

    def create_case(self, case: Case) -> Case:
        """Store a new case; Conflict if the id exists."""
        stored = case.model_copy(update={"version": 1, "updated_at": self._clock()})
        with self._tx() as db:
            try:
                self._write_case(db, stored, insert=True)
            except sqlite3.IntegrityError:
                raise Conflict(f"case {case.id} exists already") from None
        return stored

    def get_case(self, case_id: str) -> Case | None:
        """The case with this id, or None."""
        rows = self._query("SELECT doc FROM cases WHERE id = ?", (case_id,))
        return Case.model_validate_json(rows[0]["doc"]) if rows else None

    def list_cases(self, query: CaseQuery) -> CaseList:
        """Cases matching the filter, newest first."""
        clauses: list[str] = []
        params: list[Any] = []
        if query.statuses:
            clauses.append(f"status IN ({','.join('?' * len(query.statuses))})")
            params.extend(s.value for s in query.statuses)
        if query.open_only:
            clauses.append("status != 'closed'")
        for column, value in (("department", query.department), ("place_id", query.place_id),
                              ("topic", query.topic), ("key", query.key)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if query.due_before is not None:
            clauses.append("due_ts IS NOT NULL AND due_ts < ?")
            params.append(_ts(query.due_before))
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        total = self._query(f"SELECT COUNT(*) FROM cases{where}", params)[0][0]
        rows = self._query(
            f"SELECT doc FROM cases{where} ORDER BY opened_ts DESC, id DESC LIMIT ? OFFSET ?",
            [*params, query.limit, query.offset],
        )
        return CaseList(total=total, items=[Case.model_validate_json(r["doc"]) for r in rows])

    def update_case(self, case: Case, event: CaseEvent | None = None) -> Case:
        """Write a changed case (optimistic concurrency on its version)."""
        history = [*case.history, event] if event is not None else case.history
        stored = case.model_copy(update={"version": case.version + 1, "updated_at": self._clock(), "history": history})
        with self._tx() as db:
            self._write_case(db, stored, insert=False)
        return stored

    def open_case_for_key(self, key: str) -> Case | None:
        """The newest case for this key that is not closed."""
        rows = self._query(
            "SELECT doc FROM cases WHERE key = ? AND status != 'closed' ORDER BY opened_ts DESC LIMIT 1", (key,)
        )
        return Case.model_validate_json(rows[0]["doc"]) if rows else None

    # ---- outbox ----------------------------------------------------------
    def _write_outbox(self, db: sqlite3.Connection, item: OutboxItem) -> None:
        cur = db.execute(
            "UPDATE outbox SET status = ?, next_try_ts = ?, lease_until_ts = ?, version = ?, doc = ? "
            "WHERE id = ? AND version = ?",
            (item.status.value, _ts(item.next_try_at), _ts(item.lease_until), item.version,
             item.model_dump_json(), item.id, item.version - 1),
        )
        if cur.rowcount != 1:
            raise Conflict(f"outbox item {item.id} was changed by someone else")

    def enqueue(self, item: OutboxItem) -> bool:
        """Add a delivery unless one with the same id exists."""
        stored = item.model_copy(update={"version": 1})
        with self._tx() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO outbox (id, status, next_try_ts, lease_until_ts, created_ts, version, doc) "
                "VALUES (?, ?, ?, ?, ?, 1, ?)",
                (item.id, item.status.value, _ts(item.next_try_at), _ts(item.lease_until),
                 _ts(item.created_at), stored.model_dump_json()),
            )
            return cur.rowcount == 1

    def get_outbox_item(self, item_id: str) -> OutboxItem | None:
        """The item with this id, or None."""
        rows = self._query("SELECT doc FROM outbox WHERE id = ?", (item_id,))
        return OutboxItem.model_validate_json(rows[0]["doc"]) if rows else None

    def claim_due(self, now: datetime, owner: str, lease: timedelta, limit: int = 20) -> list[OutboxItem]:
        """Lease due pending items."""
        claimed: list[OutboxItem] = []
        with self._tx() as db:
            rows = db.execute(
                "SELECT doc FROM outbox WHERE status = 'pending' AND next_try_ts <= ? "
                "AND (lease_until_ts IS NULL OR lease_until_ts <= ?) ORDER BY next_try_ts, created_ts LIMIT ?",
                (_ts(now), _ts(now), limit),
            ).fetchall()
            for r in rows:
                item = OutboxItem.model_validate_json(r["doc"])
                leased = item.model_copy(
                    update={"lease_owner": owner, "lease_until": now + lease, "version": item.version + 1}
                )
                self._write_outbox(db, leased)
                claimed.append(leased)
        return claimed

    def save_outbox_item(self, item: OutboxItem) -> OutboxItem:
        """Write an item after an attempt."""
        stored = item.model_copy(update={"version": item.version + 1})
        with self._tx() as db:
            self._write_outbox(db, stored)
        return stored

    def outbox_stats(self, now: datetime) -> dict[str, Any]:
        """Counts by status and the oldest pending item's age."""
        counts = {s.value: 0 for s in OutboxStatus}
        for r in self._query("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status"):
            counts[r["status"]] = r["n"]
        oldest = self._query("SELECT MIN(created_ts) FROM outbox WHERE status = 'pending'")[0][0]
        lag = max(0.0, now.timestamp() - oldest) if oldest is not None else 0.0
        return {**counts, "oldest_pending_age_s": lag}

    # ---- source state ----------------------------------------------------
    def get_source_state(self, name: str) -> SourceState | None:
        """One source's state."""
        rows = self._query("SELECT doc FROM source_state WHERE name = ?", (name,))
        return SourceState.model_validate_json(rows[0]["doc"]) if rows else None

    def save_source_state(self, state: SourceState) -> SourceState:
        """Write a state read at its version (0 creates)."""
        stored = state.model_copy(update={"version": state.version + 1, "updated_at": self._clock()})
        with self._tx() as db:
            if state.version == 0:
                cur = db.execute(
                    "INSERT OR IGNORE INTO source_state (name, version, doc) VALUES (?, 1, ?)",
                    (state.name, stored.model_dump_json()),
                )
            else:
                cur = db.execute(
                    "UPDATE source_state SET version = ?, doc = ? WHERE name = ? AND version = ?",
                    (stored.version, stored.model_dump_json(), state.name, state.version),
                )
            if cur.rowcount != 1:
                raise Conflict(f"source state {state.name} was changed by someone else")
        return stored

    def list_source_states(self) -> list[SourceState]:
        """Every source's state, by name."""
        return [SourceState.model_validate_json(r["doc"])
                for r in self._query("SELECT doc FROM source_state ORDER BY name")]
