"""The connection and lifecycle of the embedded SQLite backend.

One SQLite file (WAL), FTS5 over jieba-segmented text. Documents are kept as
JSON next to the columns that filters, sorts and aggregations use. Each
aggregate (``posts``, ``cases``, ``outbox``, ``sources``) is a class over
:class:`SQLiteBase`; ``store.SQLiteStore`` is all of them at once.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from core import StoreUnavailable, utcnow
from nlp import Segmenter, default_segmenter
from storage.base import StoreAdmin
from storage.sqlite.schema import SCHEMA, SCHEMA_VERSION, is_current, migrate
from storage.words import IndexWords

OPEN_TIMEOUT = 30.0  # seconds a connection waits for another process's lock


def enter_wal(db: sqlite3.Connection, timeout: float = OPEN_TIMEOUT) -> None:
    """Put ``db`` in WAL mode, waiting out other processes that are creating or closing the same file.

    SQLite answers ``database is locked`` to ``PRAGMA journal_mode=WAL`` at once, without its busy handler,
    while another connection switches a new file to WAL or cleans up on its last close; two crawls opening one
    fresh store raced there. So the switch is retried until ``timeout``.
    """
    deadline = time.monotonic() + timeout
    pause = 0.005
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() >= deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


def to_ts(dt: datetime | None) -> float | None:
    """Seconds since the epoch (the columns' time format), or None."""
    return dt.timestamp() if dt is not None else None


class SQLiteBase(StoreAdmin):
    """The connection every aggregate of the SQLite backend shares (one, guarded by a lock), and its lifecycle."""

    backend = "sqlite"

    def __init__(self, path: str | Path, segmenter: Segmenter | None = None, *,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.path = Path(path)
        self._clock = clock  # "now" for record timestamps (updated_at)
        self._seg = segmenter or default_segmenter()
        self._words = IndexWords(self._seg)
        self._lock = threading.RLock()
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None,
                                       timeout=OPEN_TIMEOUT)
            enter_wal(self._db)
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
        except (OSError, sqlite3.Error) as exc:
            raise StoreUnavailable(f"cannot open SQLite store at {self.path}: {exc}") from None
        self._db.row_factory = sqlite3.Row
        self.init()

    # ---- lifecycle -------------------------------------------------------
    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def init(self) -> list[str]:
        """Create the tables if missing; bring a file written by an older schema up to date."""
        with self._lock:
            existed = self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'posts'").fetchone()
            done = self._migrate() if existed else []
            self._db.executescript(SCHEMA)
            self._db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
            self._db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
        return done if existed else [f"created SQLite schema v{SCHEMA_VERSION} in {self.path}"]
    def _migrate(self) -> list[str]:
        """Additive migrations of an existing file (see :func:`storage.sqlite.schema.migrate`)."""
        if is_current(self._db):
            return []
        with self._tx() as db:
            n = migrate(db)
        return [f"migrated SQLite schema to v{SCHEMA_VERSION} in {self.path}: posts.message_type ({n} posts)"]

    def health(self) -> dict[str, Any]:
        """Path, size and post count."""
        posts = self._query("SELECT COUNT(*) FROM posts")[0][0]
        size = self.path.stat().st_size if self.path.exists() else 0
        return {"backend": self.backend, "path": str(self.path), "posts": posts, "bytes": size, "status": "ok"}

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()
