"""The storage contract on the embedded SQLite store, plus what is particular to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
