"""The precomputed hourly complaint counts (storage.elastic.counts) on a real Elasticsearch node: the detection
read gives the same rows as counting the posts directly — after re-upserts, reviews, new posts, a dropped
month — and serves unchanged hours from the counts index."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from core import Review, ReviewStatus
from core.config import ElasticsearchConfig
from storage.elastic import ElasticStore
from storage.elastic.counts import HOUR, HourlyCounts
from tests.storage_contract import store_clock
from tests.test_storage_es_aggregations import complaint_posts

pytestmark = pytest.mark.elasticsearch

START = datetime(2026, 9, 20, tzinfo=UTC)  # aggregation posts: 60 days over September to November
WINDOWS = [(START, START + timedelta(days=60)),
           (START + timedelta(days=3, minutes=17), START + timedelta(days=41, hours=5, minutes=40)),
           (START + timedelta(days=10, hours=10, minutes=17), START + timedelta(days=10, hours=11, minutes=40))]


class _Spy:
    """Wraps the direct read to count the hours it is asked to read."""

    def __init__(self, counts: HourlyCounts) -> None:
        self.inner = counts.direct
        self.hours = 0.0
        counts.direct = self

    def __call__(self, since, until, bucket, by_topic):
        self.hours += (until - since) / HOUR
        return self.inner(since, until, bucket, by_topic)


@pytest.fixture
def store(es_url: str) -> Iterator[ElasticStore]:
    prefix = f"yqtest-{uuid.uuid4().hex[:8]}"
    s = ElasticStore(ElasticsearchConfig(url=es_url, index_prefix=prefix), clock=store_clock)
    s.counts.delay = timedelta(0)  # every acknowledged write is searchable after the rollup's refresh
    s.init()
    yield s
    s.es.options(ignore_status=404).indices.delete(index=f"{prefix}-*", expand_wildcards="all")
    for tpl in s.es.options(ignore_status=404).indices.get_index_template(
            name=f"{prefix}-*").get("index_templates", []):
        s.es.indices.delete_index_template(name=tpl["name"])
    s.close()


def _same(store: ElasticStore) -> None:
    for since, until in WINDOWS:
        for by_topic in (True, False):
            want = store._direct_counts(since, until, HOUR, by_topic)
            got = store.complaint_counts(since, until, HOUR, by_topic=by_topic)
            assert got == want, (since, until, by_topic)


def test_counts_index_gives_the_direct_rows_through_rewrites(store: ElasticStore) -> None:
    posts = list(complaint_posts(3000, seed=11))
    store.upsert_posts(posts, refresh=True)
    assert store.counts.update().startswith("recounted ")
    assert sum(r.count for r in store._direct_counts(*WINDOWS[0], HOUR, True)) > 1500
    spy = _Spy(store.counts)
    _same(store)
    # whole unchanged hours come from the counts index: only the two partial edge hours are read directly
    assert spy.hours <= 4 * 2, spy.hours

    # the same posts again (a re-crawl), some re-stored with another topic or no longer complaints,
    # a reviewer's verdict, and new posts: nothing counted twice, nothing lost, before and after a rollup
    again = [p.model_copy(update={"topic": "noise"}) if i % 7 == 0 else p for i, p in enumerate(posts[:600])]
    store.upsert_posts(again, refresh=True)
    store.review_post(posts[1].id, Review(status=ReviewStatus.DISMISSED, is_complaint=False))
    store.upsert_posts(list(complaint_posts(200, seed=12))[:200], refresh=True)
    store.counts.delay = timedelta(days=365)  # the rollup's checkpoint stays behind these writes
    spy.hours = 0
    _same(store)
    assert spy.hours > 8, "the changed hours are read from the posts"
    store.counts.delay = timedelta(0)
    line = store.counts.update()
    assert line and "recounted" in line
    spy.hours = 0
    _same(store)
    assert spy.hours <= 4 * 2


def test_a_dropped_month_and_a_held_lease(store: ElasticStore) -> None:
    store.upsert_posts(list(complaint_posts(1500, seed=5)), refresh=True)
    store.counts.update()
    store.es.indices.delete(index=f"{store.prefix}-posts-v1-2026.09")  # retention: the oldest month goes
    _same(store)
    # another process holds the lease (its rollup is running): the read neither waits nor writes
    other = HourlyCounts(store.es, store.prefix, store.posts_alias, store._direct_counts,
                         check=lambda resp, op: None, delay=timedelta(0))
    state = store.counts._state()
    store.es.index(index=store.counts.index, id="state", refresh=True, document={
        **{k: v for k, v in state.items() if not k.startswith("_")},
        "claim": {"owner": other.owner, "until": int((store.counts.wall() + timedelta(minutes=5)).timestamp() * 1e3)}})
    store.upsert_posts(list(complaint_posts(100, seed=6)), refresh=True)
    assert store.counts.update() is None
    _same(store)


def test_without_the_counts_index_the_read_says_so_and_counts_the_posts(
        store: ElasticStore, caplog: pytest.LogCaptureFixture) -> None:
    store.upsert_posts(list(complaint_posts(500, seed=3)), refresh=True)
    store.es.indices.delete(index=store.counts.index)
    with caplog.at_level("WARNING", logger="storage.elastic.counts"):
        _same(store)
    lines = [m for r in caplog.records
             if r.name == "storage.elastic.counts" and "complaint counts" in (m := r.getMessage())]
    assert len(lines) == 1 and "is missing" in lines[0] and "yuqing es init" in lines[0]
    assert store.init() == [f"created index {store.counts.index} (precomputed hourly complaint counts; "
                            "filled by the first detection read)"]
    _same(store)
    assert store.counts._state()["checkpoint"] is not None
