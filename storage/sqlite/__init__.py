"""The embedded SQLite backend, one module per aggregate over a shared connection (``base``): ``posts``
(writes and lookups), ``search`` (FTS5 search and aggregations), ``cases``, ``outbox``, ``sources``;
``schema`` holds the tables and their migrations."""

from storage.sqlite.store import SQLiteStore

__all__ = ["SQLiteStore"]
