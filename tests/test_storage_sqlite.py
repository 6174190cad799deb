"""The storage contract on the embedded SQLite store, plus what is particular to it."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storage.sqlite import SQLiteStore
from tests.storage_contract import SAMPLE, StoreContract, store_clock


class TestSQLiteContract(StoreContract):
    @pytest.fixture
    def store(self, sqlite_path: Path) -> Iterator[SQLiteStore]:
        s = SQLiteStore(sqlite_path, clock=store_clock)
        yield s
        s.close()


def test_wal_mode_and_reopen(sqlite_path: Path) -> None:
    s = SQLiteStore(sqlite_path)
    assert s._query("PRAGMA journal_mode")[0][0] == "wal"
    s.upsert_posts(SAMPLE)
    s.close()
    again = SQLiteStore(sqlite_path)
    assert again.get_post(SAMPLE[0].id) is not None
    assert again.init() == []
    again.close()


def test_unwritable_path_is_a_clear_error(tmp_path: Path) -> None:
    from core import StoreUnavailable

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreUnavailable, match="cannot open SQLite store"):
        SQLiteStore(blocker / "sub" / "yuqing.db")


def test_a_file_from_schema_v1_gains_message_type_and_unlisted_keys(sqlite_path: Path) -> None:
    """A database written before ``message_type`` existed opens, is migrated from its documents, and filters."""
    from datetime import timedelta

    from core import PlaceRef
    from core.model import MessageType
    from storage import PostQuery
    from tests.storage_contract import T0, make_post

    old = make_post(21, "锦绣家园楼道堆满杂物", topic="sanitation", is_complaint=True,
                    message_type=MessageType.COMPLAINT, places=[PlaceRef(name="锦绣家园", key="raw:锦绣家园")])
    s = SQLiteStore(sqlite_path)
    s.upsert_posts([old, *SAMPLE])
    # what the v1 schema had: no message_type column, no raw: keys in post_places
    s._db.execute("DROP INDEX IF EXISTS posts_queue")
    s._db.execute("ALTER TABLE posts DROP COLUMN message_type")
    s._db.execute("DELETE FROM post_places WHERE place_id LIKE 'raw:%'")
    s._db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    s.close()

    again = SQLiteStore(sqlite_path)
    assert again._query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == "2"
    assert {h.post.id for h in again.search(PostQuery(message_types=("complaint",))).hits} == {old.id}
    rows = again.complaint_counts(T0 - timedelta(days=1), T0 + timedelta(days=1), timedelta(days=1))
    assert ("raw:锦绣家园", "sanitation") in {(r.place_id, r.topic) for r in rows}
    assert again.init() == [], "the migration runs once"
    again.close()


def _open_together(path: str, start: Any, errors: Any) -> None:
    start.wait()
    try:
        SQLiteStore(path).close()
    except Exception as exc:  # reported to the parent, which fails the test
        errors.put(repr(exc))


def test_processes_opening_one_fresh_file_at_once_all_succeed(tmp_path: Path) -> None:
    """Two crawls opening a new store together once got 'database is locked' from the switch to WAL."""
    SQLiteStore(":memory:").close()  # the children share the loaded segmenter, so they reach the file together
    ctx = multiprocessing.get_context("fork")
    errors = ctx.Queue()
    for round_ in range(60):
        start = ctx.Barrier(3)
        path = str(tmp_path / f"r{round_}.db")
        procs = [ctx.Process(target=_open_together, args=(path, start, errors)) for _ in range(3)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [p.exitcode for p in procs] == [0, 0, 0]
    assert errors.empty(), errors.get()
