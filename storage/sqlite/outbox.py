"""The delivery outbox in SQLite: leases are compare-and-set writes on ``version``."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from typing import Any

from core import Conflict, OutboxItem, OutboxStatus
from storage.base import OutboxQueue
from storage.sqlite.base import SQLiteBase, to_ts


class SQLiteOutbox(SQLiteBase, OutboxQueue):
    """The outbox: claiming due items leases them inside one write transaction."""

    def _write_outbox(self, db: sqlite3.Connection, item: OutboxItem) -> None:
        cur = db.execute(
            "UPDATE outbox SET status = ?, next_try_ts = ?, lease_until_ts = ?, version = ?, doc = ? "
            "WHERE id = ? AND version = ?",
            (item.status.value, to_ts(item.next_try_at), to_ts(item.lease_until), item.version,
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
                (item.id, item.status.value, to_ts(item.next_try_at), to_ts(item.lease_until),
                 to_ts(item.created_at), stored.model_dump_json()),
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
                (to_ts(now), to_ts(now), limit),
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
