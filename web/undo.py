"""Undo for review actions: the reviews an action replaced, kept for a while under a random token.

Kept in ``<data_dir>/web/undo.db`` (SQLite), so any console process sharing the data directory can undo, and a
page without JavaScript can undo through a plain form. Only the user who acted may undo, and only while the
posts still carry the review that action wrote (a later review by someone else is never overwritten).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from pathlib import Path

from core import Review
from web.auth import connect_sqlite

#: How long an action can be undone.
UNDO_SECONDS = 15 * 60


class UndoLog:
    """Replaced reviews by token; ``path`` None keeps them in memory."""

    def __init__(self, path: Path | None) -> None:
        self._db = connect_sqlite(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS undo (token TEXT PRIMARY KEY, username TEXT, at REAL, "
                         "payload TEXT)")
        self._lock = threading.Lock()

    def save(self, username: str, replaced: dict[str, Review], written: dict[str, Review],
             now: float | None = None) -> str:
        """Remember what an action replaced (and what it wrote); return the token that undoes it."""
        now = time.time() if now is None else now
        token = secrets.token_urlsafe(16)
        payload = {pid: {"old": replaced[pid].model_dump(mode="json"), "new": written[pid].model_dump(mode="json")}
                   for pid in replaced}
        with self._lock:
            self._db.execute("DELETE FROM undo WHERE at < ?", (now - UNDO_SECONDS,))
            self._db.execute("INSERT INTO undo VALUES (?, ?, ?, ?)",
                             (token, username, now, json.dumps(payload, ensure_ascii=False)))
        return token

    def take(self, token: str, username: str, now: float | None = None) -> dict[str, tuple[Review, Review]] | None:
        """The (replaced, written) reviews of this user's action, removed from the log; None if unknown or expired."""
        now = time.time() if now is None else now
        with self._lock:  # one statement: of two processes taking one token, only one gets it
            rows = self._db.execute("DELETE FROM undo WHERE token = ? AND username = ? RETURNING payload, at",
                                    (token, username)).fetchall()  # fetched to the end: the statement commits
        if not rows:
            return None
        payload, at = rows[0]
        if now - at > UNDO_SECONDS:
            return None
        return {pid: (Review.model_validate(v["old"]), Review.model_validate(v["new"]))
                for pid, v in json.loads(payload).items()}
