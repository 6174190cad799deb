"""The storage contract on a real Elasticsearch node, plus index installation and migration."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from elasticsearch import Elasticsearch

from core import SHANGHAI, StoreUnavailable
from core.config import ElasticsearchConfig
from storage.elastic import ElasticStore
from tests.storage_contract import SAMPLE, T0, StoreContract, make_post, store_clock

pytestmark = pytest.mark.elasticsearch


def _store(url: str, prefix: str, clock: Callable[[], datetime] = store_clock) -> ElasticStore:
    """A store whose "now" is the sample posts' week (``init`` creates that month), never today."""
    return ElasticStore(ElasticsearchConfig(url=url, index_prefix=prefix), clock=clock)


def _posts_indices(store: ElasticStore, prefix: str) -> set[str]:
    return set(store.es.indices.get_alias(name=f"{prefix}-posts"))


class TestElasticContract(StoreContract):
    @pytest.fixture
    def store(self, es_url: str, es_prefix: str) -> Iterator[ElasticStore]:
        s = _store(es_url, es_prefix)
        s.init()
        yield s
        s.close()


def test_init_twice_is_a_no_op(es_url: str, es_prefix: str) -> None:
    store = _store(es_url, es_prefix)
    first = store.init()
    assert any("installed index template" in line for line in first)
    assert any(f"created alias {es_prefix}-cases" in line for line in first)
    assert store.init() == []


def test_posts_go_to_monthly_indices_behind_one_alias(es_url: str, es_prefix: str) -> None:
    store = _store(es_url, es_prefix)
    store.init()
    old = make_post(90, "去年的帖子 垃圾", hours=-24 * 400)
    store.upsert_posts([*SAMPLE, old], refresh=True)
    indices = set(store.es.indices.get_alias(name=f"{es_prefix}-posts"))
    assert f"{es_prefix}-posts-v1-2026.11" in indices and f"{es_prefix}-posts-v1-2025.10" in indices
    assert store.search(store_query_all()).total == len(SAMPLE) + 1
    # dropping an old month drops exactly its posts
    store.es.indices.delete(index=f"{es_prefix}-posts-v1-2025.10")
    assert store.search(store_query_all()).total == len(SAMPLE)


@pytest.mark.parametrize(("now", "month"), [
    (datetime(2027, 1, 1, 0, 0, tzinfo=SHANGHAI), "2027.01"),  # 2026-12-31 16:00 UTC: Shanghai's month
    (datetime(2026, 11, 30, 23, 59, 59, tzinfo=SHANGHAI), "2026.11"),
    (datetime(2026, 12, 1, 0, 0, tzinfo=SHANGHAI), "2026.12"),
])
def test_init_creates_the_month_of_the_injected_clock(es_url: str, es_prefix: str, now: datetime,
                                                      month: str) -> None:
    store = _store(es_url, es_prefix, clock=lambda: now)
    assert f"created index {es_prefix}-posts-v1-{month}" in store.init()
    assert _posts_indices(store, es_prefix) == {f"{es_prefix}-posts-v1-{month}"}


def store_query_all():
    from storage import PostQuery

    return PostQuery(limit=1000)


def test_mapping_version_bump_migrates_behind_the_alias(
    es_url: str, es_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index_mappings

    store = _store(es_url, es_prefix)
    store.init()
    store.upsert_posts(SAMPLE, refresh=True)
    from core import Case

    store.create_case(Case(id="C1", key="k", title="t", opened_at=T0))
    real = index_mappings.load_mapping

    def bumped(kind: str):
        d = json.loads(json.dumps(real(kind)))
        d["version"] = 2
        if kind == "cases":
            d["mappings"]["properties"]["note"] = {"type": "keyword"}
        return d

    monkeypatch.setattr("storage.elastic.admin.load_mapping", bumped)
    lines = store.init()
    assert any(f"{es_prefix}-cases-v1 → {es_prefix}-cases-v2" in line for line in lines), lines
    assert any(f"{es_prefix}-posts-v1-2026.11 → {es_prefix}-posts-v2-2026.11" in line for line in lines), lines
    assert store.init() == []
    assert list(store.es.indices.get_alias(name=f"{es_prefix}-cases")) == [f"{es_prefix}-cases-v2"]
    case = store.get_case("C1")
    assert case is not None and case.version == 1
    store.refresh()
    from storage import PostQuery

    assert store.search(PostQuery(text="垃圾")).total == 2
    assert store.es.indices.exists(index=f"{es_prefix}-cases-v1"), "the old index is kept"


def test_concurrent_upserts_of_one_post_never_duplicate(es_url: str, es_prefix: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from core import Metrics

    store = _store(es_url, es_prefix)
    store.init()
    base = make_post(95, "并发写入同一帖子")
    copies = [base.model_copy(update={"metrics": Metrics(likes=i)}) for i in range(8)]
    with ThreadPoolExecutor(4) as pool:
        reports = list(pool.map(lambda p: store.upsert_posts([p]), copies))
    assert sum(r.stored for r in reports) == 8 and all(r.failed == [] for r in reports)
    store.refresh()
    from storage import PostQuery

    assert store.search(PostQuery(text="并发")).total == 1


def test_unreachable_elasticsearch_is_one_clear_error() -> None:
    with pytest.raises(StoreUnavailable, match=r"Elasticsearch at http://127\.0\.0\.1:9 is unreachable"):
        ElasticStore(ElasticsearchConfig(url="http://127.0.0.1:9", request_timeout=2))


def test_client_is_not_mocked(es_url: str) -> None:
    """Guard: these tests talk to a real node."""
    health = Elasticsearch(es_url).cluster.health()
    assert health["number_of_nodes"] >= 1


def test_a_blocked_index_raises_so_the_batch_is_spooled_not_lost(es_url: str, es_prefix: str) -> None:
    store = _store(es_url, es_prefix)
    store.init()
    store.es.indices.put_settings(index=f"{es_prefix}-posts-v1-2026.11",
                                  settings={"index.blocks.read_only_allow_delete": True})
    try:
        with pytest.raises(StoreUnavailable, match="could not take 1 posts now"):
            store.upsert_posts([SAMPLE[0]])
    finally:
        store.es.indices.put_settings(index=f"{es_prefix}-posts-v1-2026.11",
                                      settings={"index.blocks.read_only_allow_delete": None})
    assert store.upsert_posts([SAMPLE[0]]).created == 1


def test_writes_before_es_init_are_refused(es_url: str, es_prefix: str) -> None:
    from core import StoreError

    store = _store(es_url, es_prefix)
    with pytest.raises(StoreError, match="run `yuqing es init` first"):
        store.upsert_posts(SAMPLE)
    from core import SourceState

    with pytest.raises(StoreError):
        store.save_source_state(SourceState(name="weibo"))
    assert store.es.indices.get(index=f"{es_prefix}-*") == {}, "nothing was auto-created"


def test_credentials_never_shown() -> None:
    from storage.elastic.base import _without_credentials

    assert _without_credentials("http://elastic:S3cret@127.0.0.1:9200") == "http://127.0.0.1:9200"
    assert _without_credentials("https://es.example.gov.cn") == "https://es.example.gov.cn"
    with pytest.raises(StoreUnavailable) as info:
        ElasticStore(ElasticsearchConfig(url="http://elastic:S3cret@127.0.0.1:9", request_timeout=2))
    assert "S3cret" not in str(info.value) and "http://127.0.0.1:9" in str(info.value)


def test_iterating_over_a_dead_node_is_one_clear_error() -> None:
    from storage import PostQuery

    store = ElasticStore(ElasticsearchConfig(url="http://127.0.0.1:9", request_timeout=2), check=False)
    with pytest.raises(StoreUnavailable, match="unreachable"):
        list(store.iter_posts(PostQuery()))


def _bump_posts_mapping(monkeypatch: pytest.MonkeyPatch) -> None:
    import index_mappings

    real = index_mappings.load_mapping

    def bumped(kind: str):
        d = json.loads(json.dumps(real(kind)))
        d["version"] = 2
        return d

    monkeypatch.setattr("storage.elastic.admin.load_mapping", bumped)


def test_migration_copies_an_empty_month_and_resumes_after_a_stop(
    es_url: str, es_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage import PostQuery
    from storage.elastic.admin import IndexAdmin

    # `es init` on the first of December: December is created and stays empty until the mapping bump
    store = _store(es_url, es_prefix, clock=lambda: datetime(2026, 12, 1, tzinfo=SHANGHAI))
    store.init()
    october = make_post(90, "十月的帖子 垃圾", hours=-24 * 40)
    store.upsert_posts([*SAMPLE, october], refresh=True)
    v1 = {f"{es_prefix}-posts-v1-{m}" for m in ("2026.10", "2026.11", "2026.12")}
    assert _posts_indices(store, es_prefix) == v1
    _bump_posts_mapping(monkeypatch)

    class Stop(Exception):
        """The operator's Ctrl-C between copying November and moving the alias."""

    real_swap = IndexAdmin._swap_alias
    swaps: list[str] = []

    def stopping_swap(self: IndexAdmin, alias: str, old: str, new: str) -> None:
        if len(swaps) == 1:
            raise Stop(old)
        swaps.append(old)
        real_swap(self, alias, old, new)

    monkeypatch.setattr(IndexAdmin, "_swap_alias", stopping_swap)
    with pytest.raises(Stop):
        store.init()
    assert _posts_indices(store, es_prefix) == {f"{es_prefix}-posts-v2-2026.10", f"{es_prefix}-posts-v1-2026.11",
                                                f"{es_prefix}-posts-v1-2026.12"}
    assert store.es.count(index=f"{es_prefix}-posts-v2-2026.11")["count"] == len(SAMPLE), "copied, not swapped"
    assert store.search(PostQuery(limit=100)).total == len(SAMPLE) + 1, "a copy in progress is not read twice"

    monkeypatch.setattr(IndexAdmin, "_swap_alias", real_swap)
    lines = store.init()  # continues with the months left
    assert not any("2026.10" in line for line in lines), lines
    assert f"migrated {es_prefix}-posts-v1-2026.11 → {es_prefix}-posts-v2-2026.11 ({len(SAMPLE)} posts)" in lines[0]
    assert any(f"{es_prefix}-posts-v1-2026.12 → {es_prefix}-posts-v2-2026.12 (0 posts)" in line for line in lines)
    assert _posts_indices(store, es_prefix) == {f"{es_prefix}-posts-v2-{m}" for m in ("2026.10", "2026.11", "2026.12")}
    assert store.search(PostQuery(limit=100)).total == len(SAMPLE) + 1
    assert store.search(PostQuery(text="垃圾")).total == 3
    assert store.init() == []


def test_bulk_load_turns_periodic_refresh_off_and_back_on(es_url: str, es_prefix: str) -> None:
    store = _store(es_url, es_prefix)
    store.init()
    month = f"{es_prefix}-posts-v1-2026.11"

    def interval() -> str | None:
        got = store.es.indices.get_settings(index=month, name="index.refresh_interval")
        return got.get(month, {}).get("settings", {}).get("index", {}).get("refresh_interval")

    assert interval() == "1s"  # from the template
    with store.bulk_load():
        assert interval() == "-1"
        store.upsert_posts(SAMPLE)
    assert interval() == "1s"
    assert store.search(store_query_all()).total == len(SAMPLE), "visible when the block ends"
    store.es.indices.put_settings(index=month, settings={"index.refresh_interval": "-1"})  # a load that died
    assert f"restored periodic refresh of {month} (left off by an interrupted bulk load)" in store.init()
    assert interval() is None and store.init() == []  # None: the default, 1s


def test_chunks_written_in_parallel_never_duplicate_or_lose_a_post(es_url: str, es_prefix: str) -> None:
    import random

    from core import Metrics
    from storage import PostQuery

    store = ElasticStore(ElasticsearchConfig(url=es_url, index_prefix=es_prefix, bulk_chunk=50), clock=store_clock)
    store.init()
    assert store.bulk_workers >= 2
    posts = [make_post(1000 + i, f"并行写入第{i}条", hours=i) for i in range(400)]  # over two months
    again = [p.model_copy(update={"metrics": Metrics(likes=7)}) for p in posts[::4]]  # the same posts again
    batch = posts + again
    random.Random(1).shuffle(batch)
    report = store.upsert_posts(batch, refresh=True)
    assert (report.created, report.updated, report.failed) == (400, 100, [])
    assert store.search(PostQuery(text="并行", limit=1)).total == 400
    last = {p.id: p.metrics.likes for p in batch}  # the last copy in the batch wins, as when written one by one
    assert {p.id: p.metrics.likes for p in store.get_posts(list(last))} == last


def test_a_batch_creates_its_months_before_any_chunk_is_written(es_url: str, es_prefix: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks in flight search the alias: a month another chunk was still creating failed that read (CI flake)."""
    store = ElasticStore(ElasticsearchConfig(url=es_url, index_prefix=es_prefix, bulk_chunk=2), clock=store_clock)
    store.init()
    assert store.bulk_workers >= 2
    posts = [make_post(3000 + i, f"月份第{i}条", hours=24 * 20 * i) for i in range(5)]  # four months, three chunks
    months = {store._month_index(p) for p in posts}
    new = months - _posts_indices(store, es_prefix)
    assert len(months) >= 3 and len(new) >= 2 and not any(store.es.indices.exists(index=m) for m in new)
    seen: list[dict[str, bool | str]] = []
    real = store._upsert_chunk

    def spy(chunk):
        health = store.es.cluster.health(index=",".join(sorted(months)))
        seen.append({m: store.es.indices.exists(index=m).body for m in months} | {"status": health["status"]})
        return real(chunk)

    monkeypatch.setattr(store, "_upsert_chunk", spy)
    report = store.upsert_posts(posts, refresh=True)
    assert (report.created, report.failed) == (5, [])
    assert seen and all(all(v is True for k, v in s.items() if k != "status") for s in seen)
    assert all(s["status"] in ("yellow", "green") for s in seen)
    assert len(seen) == 3 and months <= _posts_indices(store, es_prefix)  # from the template: behind the alias
    store.admin.forget_months(months)  # as after a read met a month starting again: made (here: found) again
    assert store.upsert_posts(posts[:1]).updated == 1


def test_an_additive_field_reaches_existing_months_without_a_version_bump(
    es_url: str, es_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Indices made before a new keyword (e.g. ``f.message_type``) take it in place; a conflicting change warns."""
    import index_mappings
    from core.model import MessageType
    from storage import PostQuery

    real = index_mappings.load_mapping

    def without(kind: str):
        d = json.loads(json.dumps(real(kind)))
        if kind == "posts":
            del d["mappings"]["properties"]["f"]["properties"]["message_type"]
        return d

    monkeypatch.setattr("storage.elastic.admin.load_mapping", without)
    store = _store(es_url, es_prefix)
    store.init()
    typed = [SAMPLE[0].model_copy(update={"message_type": MessageType.COMPLAINT}), *SAMPLE[1:]]
    store.upsert_posts(typed, refresh=True)  # stored by the old mapping: the type is in _source, not indexed
    assert store.search(PostQuery(message_types=("complaint",))).total == 0
    monkeypatch.setattr("storage.elastic.admin.load_mapping", real)
    lines = store.init()
    assert any("updated (additive fields)" in line for line in lines), lines
    assert f"re-derived the indexed fields of {len(SAMPLE)} posts in {es_prefix}-posts-v1-*" in lines, lines
    assert not any("warning" in line for line in lines), lines
    assert store.init() == [], "the second run is a no-op"
    index = f"{es_prefix}-posts-v1-2026.11"
    props = store.es.indices.get_mapping(index=index)[index]["mappings"]["properties"]["f"]["properties"]
    assert props["message_type"] == {"type": "keyword"}
    assert [h.post.id for h in store.search(PostQuery(message_types=("complaint",))).hits] == [SAMPLE[0].id]
    assert store.search(PostQuery(limit=100)).total == len(SAMPLE), "rewritten in place, not duplicated"

    def conflicting(kind: str):
        d = json.loads(json.dumps(real(kind)))
        if kind == "posts":
            d["mappings"]["properties"]["f"]["properties"]["message_type"] = {"type": "long"}
        return d

    monkeypatch.setattr("storage.elastic.admin.load_mapping", conflicting)
    lines = store.init()
    assert any("warning" in line and "raise 'version'" in line for line in lines), lines


def test_a_read_waits_while_a_new_months_primary_is_starting(monkeypatch: pytest.MonkeyPatch) -> None:
    # the real node's race (test above, which met it on a busy CI node): a chunk reads a monthly index another chunk
    # has just created; the read waits for the primary as long as that is the only failure, then answers whole.
    from types import SimpleNamespace

    store = ElasticStore(ElasticsearchConfig(url="http://127.0.0.1:9", index_prefix="yqtest-unit"), check=False)
    starting = {"_shards": {"total": 2, "successful": 1, "failed": 1,
                            "failures": [{"index": "yqtest-unit-posts-v1-2026.12",
                                          "reason": {"type": "no_shard_available_action_exception"}}]},
                "hits": {"hits": []}}
    whole = {"_shards": {"total": 2, "successful": 2, "failed": 0},
             "hits": {"hits": [{"_id": "a", "_index": "m", "_seq_no": 1, "_primary_term": 1, "_source": {}}]}}
    replies = [starting, starting, starting, whole]
    waits: list[dict] = []
    monkeypatch.setattr(store, "_search_ids", lambda ids: replies.pop(0))
    health = SimpleNamespace(health=lambda **kw: waits.append(kw))
    monkeypatch.setattr(store, "es", SimpleNamespace(options=lambda **kw: SimpleNamespace(cluster=health)))
    assert set(store._locate(["a"], {})) == {"a"}
    assert len(waits) == 3  # on the index that failed, not the whole alias (whose other months are ready)
    assert all(w["wait_for_status"] == "yellow" and w["index"] == "yqtest-unit-posts-v1-2026.12" for w in waits)
    replies[:] = [starting] * 10  # a primary that never starts: one clear error, not a partial answer
    with pytest.raises(StoreUnavailable, match="1 of 2 shards"):
        store._locate(["a"], {})
