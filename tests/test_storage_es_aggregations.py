"""Aggregations on a real Elasticsearch node at a size that matters: the detection read agrees with SQLite,
and a shard that fails is said in one line, never read as "no complaints"."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core import PlaceRef, Post
from core.config import ElasticsearchConfig
from storage.elastic import ElasticStore
from storage.sqlite import SQLiteStore
from tests.storage_contract import store_clock

pytestmark = pytest.mark.elasticsearch

START = datetime(2026, 9, 20, tzinfo=UTC)  # 60 days over three monthly indices (September to November)
DAYS = 60
PLACES = [f"place-{i:02d}" for i in range(24)]
TOPICS = ["sanitation", "parking", "shop_signs", "noise", "river", "greenery", "property", "traffic"]


def complaint_posts(n: int, seed: int = 7) -> Iterator[Post]:
    """``n`` posts, ~60 % complaints, about 24 places and 8 topics over 60 days; near-duplicates share a
    cluster (counted once), some posts name two places, some complaints have no topic."""
    rnd = random.Random(seed)
    for i in range(n):
        complaint = rnd.random() < 0.6
        places = rnd.sample(PLACES, 2 if rnd.random() < 0.1 else 1)
        topic = rnd.choice(TOPICS) if rnd.random() < 0.9 else None
        yield Post.new("weibo", f"agg{i}", text=f"{places[0]} 第{i}条", is_complaint=complaint, topic=topic,
                       published_at=START + timedelta(seconds=rnd.randint(0, DAYS * 86400 - 1)),
                       places=[PlaceRef(id=p, name=p) for p in places],
                       cluster_id=f"k{i // 3}" if rnd.random() < 0.3 else None)


@pytest.fixture(scope="module")
def loaded(es_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ElasticStore, SQLiteStore]]:
    """The same 12,000 posts in both backends (module scope: loaded once)."""
    import uuid

    prefix = f"yqtest-{uuid.uuid4().hex[:8]}"
    es_store = ElasticStore(ElasticsearchConfig(url=es_url, index_prefix=prefix), clock=store_clock)
    es_store.init()
    sqlite = SQLiteStore(Path(tmp_path_factory.mktemp("agg")) / "y.db", clock=store_clock)
    posts = list(complaint_posts(12_000))
    es_store.upsert_posts(posts, refresh=True)
    sqlite.upsert_posts(posts)
    yield es_store, sqlite
    es_store.es.options(ignore_status=404).indices.delete(index=f"{prefix}-*", expand_wildcards="all")
    for tpl in es_store.es.options(ignore_status=404).indices.get_index_template(
            name=f"{prefix}-*").get("index_templates", []):
        es_store.es.indices.delete_index_template(name=tpl["name"])
    es_store.close()
    sqlite.close()


@pytest.mark.parametrize("by_topic", [True, False])
def test_detection_read_agrees_with_sqlite_on_a_512mb_heap(loaded, by_topic: bool) -> None:
    """Thousands of hourly (place, topic) buckets over three monthly shards: before the fix two shards
    tripped the request circuit breaker and the read silently came back short."""
    es_store, sqlite = loaded
    since, until = START, START + timedelta(days=DAYS)
    want = sqlite.complaint_counts(since, until, timedelta(hours=1), by_topic=by_topic)
    got = es_store.complaint_counts(since, until, timedelta(hours=1), by_topic=by_topic)
    assert len(want) > 5000, "enough buckets to matter"
    assert sum(r.count for r in want) > 6000
    assert got == want


def test_a_failing_shard_is_one_line_never_an_empty_answer(es_url: str, es_prefix: str,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    """An index behind the alias whose shard cannot answer (here: ``published_at`` mapped as a keyword, so
    its date histogram fails while the other months answer): the detection read refuses the partial
    answer in one line, the charts log one line, and health() (read by /metrics) counts both."""
    from core import StoreUnavailable
    from storage import PostQuery

    store = ElasticStore(ElasticsearchConfig(url=es_url, index_prefix=es_prefix), clock=store_clock)
    store.init()
    store.upsert_posts(list(complaint_posts(300)), refresh=True)
    odd = f"{es_prefix}-posts-odd"
    store.es.indices.create(index=odd, mappings={"properties": {"published_at": {"type": "keyword"}}},
                            aliases={f"{es_prefix}-posts": {}})
    store.es.index(index=odd, id="x", document={"published_at": "2026-10-01", "f": {"is_complaint": True}},
                   refresh=True)
    assert store.health()["partial_reads"] == 0
    with pytest.raises(StoreUnavailable, match=r"complaint_counts answered by \d+ of \d+ shards, 1 failed: "
                                               r".*published_at.*not using a partial answer") as info:
        store.complaint_counts(START, START + timedelta(days=DAYS), timedelta(hours=1))
    assert "\n" not in str(info.value)
    with caplog.at_level("WARNING", logger="storage.elastic"):
        buckets = store.histogram(PostQuery(), timedelta(days=1))
    assert sum(b.total for b in buckets) == 300, "the shards that answered are still shown"
    (line,) = [r.getMessage() for r in caplog.records if r.name == "storage.elastic"]
    assert "histogram answered by" in line and "1 failed" in line and "the answer is partial" in line
    assert store.health()["partial_reads"] == 2
    from yuqing.metrics import Metrics

    page = Metrics(lambda: store).render().decode()
    assert "yuqing_store_partial_reads 2.0" in page and 'yuqing_store_status{status="' in page
