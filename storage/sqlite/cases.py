"""Cases in SQLite: a JSON document plus the columns its filters use; writes compare-and-set on ``version``."""

from __future__ import annotations

import sqlite3
from typing import Any

from core import Case, CaseEvent, Conflict
from storage.base import CaseList, CaseQuery, CaseStore
from storage.sqlite.base import SQLiteBase, to_ts


class SQLiteCases(SQLiteBase, CaseStore):
    """Cases, versioned."""

    def _write_case(self, db: sqlite3.Connection, case: Case, insert: bool) -> None:
        values = (
            case.key, case.status.value, case.department, case.place.id if case.place else None, case.topic,
            to_ts(case.opened_at), to_ts(case.due_at), case.version, case.model_dump_json(),
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
        if query.place_ids:
            clauses.append(f"place_id IN ({','.join('?' * len(query.place_ids))})")
            params.extend(query.place_ids)
        for column, value in (("department", query.department), ("place_id", query.place_id),
                              ("topic", query.topic), ("key", query.key)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if query.due_before is not None:
            clauses.append("due_ts IS NOT NULL AND due_ts < ?")
            params.append(to_ts(query.due_before))
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
