"""The durable spool: atomic files, replay into a real store, nothing lost, nothing doubled."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core import Post
from crawler.spool import Spool
from storage.base import PostQuery
from storage.sqlite import SQLiteStore


def posts(n: int, start: int = 0) -> list[Post]:
    at = datetime(2026, 11, 4, tzinfo=UTC)
    return [Post.new("portal:t", str(i), text=f"第{i}条 垃圾没人清理", published_at=at)
            for i in range(start, start + n)]


def test_spool_replays_into_the_store_once(tmp_path: Path) -> None:
    spool = Spool(tmp_path, "portal/t")
    spool.put(posts(3))
    spool.put(posts(3, start=2))  # overlaps: post 2 and 3... twice
    assert spool.pending() == 6 and len(spool.files()) == 2
    assert not list(spool.dir.glob(".*.tmp"))
    store = SQLiteStore(tmp_path / "y.db")
    store.init()
    assert spool.replay(store) == 6
    assert spool.files() == [] and spool.replay(store) == 0
    assert store.search(PostQuery(limit=100, highlight=False)).total == 5  # upsert by id: nothing doubled
    store.close()


def test_failed_replay_keeps_the_file_for_later(tmp_path: Path) -> None:
    spool = Spool(tmp_path, "s")
    spool.put(posts(2))

    class Down:
        def upsert_posts(self, batch):
            raise ConnectionError("store down")

    with pytest.raises(ConnectionError):
        spool.replay(Down())
    assert spool.pending() == 2
    store = SQLiteStore(tmp_path / "y.db")
    store.init()
    assert spool.replay(store) == 2 and spool.pending() == 0
    assert spool.put([]) is None
    store.close()
