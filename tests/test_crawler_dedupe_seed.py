"""The crawl's near-duplicate index starts from the stored posts, so a copy found by a later crawl of another
source joins the cluster already stored (spikes count distinct complaints across sources)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from core import Config, Post
from crawler.pipelines import DedupePipeline
from storage.sqlite import SQLiteStore


def test_index_is_seeded_from_the_store(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "y.db")
    first = Post.new("board:dachang", "m1", text="乾溪新村垃圾堆放", published_at=datetime(2026, 11, 5, tzinfo=UTC),
                     simhash="0123456789abcdef", cluster_id="c-first")
    store.upsert_posts([first])
    ctx = SimpleNamespace(store=store, config=Config(), near_index=None)
    crawler = SimpleNamespace(spider=SimpleNamespace(ctx=ctx), settings=Settings())
    crawler.stats = MemoryStatsCollector(crawler)
    DedupePipeline(crawler).open_spider()
    assert ctx.near_index.add("weibo-copy", "0123456789abcdee") == "c-first"  # one bit away
    assert ctx.near_index.add("unrelated", "fedcba9876543210") == "unrelated"
    assert crawler.stats.get_value("yuqing/near_index_seeded") == 1
    store.close()


def test_no_store_no_seed() -> None:
    ctx = SimpleNamespace(store=None, config=Config(), near_index=None)
    crawler = SimpleNamespace(spider=SimpleNamespace(ctx=ctx), settings=Settings())
    crawler.stats = MemoryStatsCollector(crawler)
    DedupePipeline(crawler).open_spider()
    assert len(ctx.near_index) == 0
