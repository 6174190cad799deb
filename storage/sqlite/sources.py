"""Per-source crawl state in SQLite: compare-and-set writes on ``version``."""

from __future__ import annotations

from core import Conflict, SourceState
from storage.base import SourceStates
from storage.sqlite.base import SQLiteBase


class SQLiteSources(SQLiteBase, SourceStates):
    """Source states, versioned."""

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
