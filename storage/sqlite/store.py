"""The SQLite store: every aggregate over one connection (what ``open_store`` returns by default)."""

from __future__ import annotations

from storage.base import Store
from storage.sqlite.cases import SQLiteCases
from storage.sqlite.outbox import SQLiteOutbox
from storage.sqlite.posts import SQLitePosts
from storage.sqlite.sources import SQLiteSources


class SQLiteStore(SQLitePosts, SQLiteCases, SQLiteOutbox, SQLiteSources, Store):
    """The embedded store. One connection guarded by a lock; safe across threads and processes (WAL)."""
