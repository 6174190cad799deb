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
