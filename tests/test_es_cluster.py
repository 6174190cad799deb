"""A real three-node Elasticsearch cluster on this machine (scripts/es-dev cluster-start): a node stopped in
the middle of a bulk load loses and duplicates nothing, and search and the detection read keep working.

Runs wherever the single test node runs (YUQING_ES_URL set; required under CI=true). The cluster uses
HTTP ports 9240–9242 (YUQING_ES_CLUSTER_PORT) and is stopped afterwards; YUQING_ES_CLUSTER_URLS
points the test at a cluster already running (then it is left running, node 2 restarted).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from core import StoreUnavailable
from core.config import ElasticsearchConfig
from storage import PostQuery
from storage.elastic import ElasticStore
from storage.sqlite import SQLiteStore
from tests.storage_contract import T0, make_post, place, store_clock

pytestmark = [pytest.mark.elasticsearch, pytest.mark.slow]

ES_DEV = Path(__file__).resolve().parents[1] / "scripts" / "es-dev"
PORT = int(os.environ.get("YUQING_ES_CLUSTER_PORT", "9240"))
GIVEN = os.environ.get("YUQING_ES_CLUSTER_URLS", "")
N_POSTS = 6000


def _es_dev(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    done = subprocess.run([str(ES_DEV), *args], env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=timeout, check=False)
    if done.returncode != 0:
        raise AssertionError(f"es-dev {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout.strip()


@pytest.fixture(scope="module")
def cluster(es_url: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Comma-separated URLs of a three-node cluster, and the es-dev environment that manages it."""
    env = {"YUQING_ES_PORT": str(PORT), "YUQING_ES_TIMEOUT": "300", "YUQING_ES_NODES": "3",
           # not under pytest's 0700 temp dir: the node user must reach its run dir
           "YUQING_ES_RUN": os.environ.get("YUQING_ES_CLUSTER_RUN", "/tmp/yuqing-es-cluster")}
    if GIVEN:
        yield GIVEN, env
        return
    urls = _es_dev(env, "cluster-start", "3", timeout=900)
    try:
        yield urls, env
    finally:
        _es_dev(env, "cluster-stop", "3")


def _posts():
    places = [place(f"p{i}", f"地点{i}") for i in range(6)]
    for i in range(N_POSTS):
        yield make_post(50_000 + i, f"集群测试第{i}条 垃圾没人清理", hours=(i % 240) / 10,
                        topic=["sanitation", "parking", None][i % 3], is_complaint=i % 4 != 0,
                        places=[places[i % 6]], cluster_id=f"k{i // 2}" if i % 5 == 0 else None)


def _primary_node(es: Elasticsearch, index: str) -> int:
    """The number (1–3) of the node holding the index's primary shard."""
    rows = es.cat.shards(index=index, format="json", h="prirep,node")
    name = next(r["node"] for r in rows if r["prirep"] == "p")
    return int(name.rsplit("-", 1)[1])


def test_a_node_stopped_during_a_bulk_load_loses_and_duplicates_nothing(
        cluster: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    urls, env = cluster
    prefix = f"yqcluster-{uuid.uuid4().hex[:6]}"
    store = ElasticStore(ElasticsearchConfig(url=urls, index_prefix=prefix, bulk_chunk=200, request_timeout=30),
                         clock=store_clock)
    es = store.es
    assert store.health()["nodes"] == 3
    store.init()
    es.indices.put_settings(index=f"{prefix}-*", settings={"index.number_of_replicas": 1})
    es.cluster.health(index=f"{prefix}-*", wait_for_status="green", timeout="120s")
    month = f"{prefix}-posts-v1-{T0:%Y.%m}"
    victim = _primary_node(es, month)
    posts = list(_posts())
    chunks = [posts[i : i + 250] for i in range(0, len(posts), 250)]
    written: list[int] = []
    refused: list[str] = []
    stopping, stopped = threading.Event(), threading.Event()

    def load() -> None:
        for n, chunk in enumerate(chunks):
            if n == 3:
                stopping.wait(600)  # chunks 3 to 11 are written while the node shuts down …
            if n == len(chunks) // 2:
                stopped.wait(600)  # … and the second half after it is gone
            for _attempt in range(60):  # what the crawler's spool does with a batch the store refused
                try:
                    report = store.upsert_posts(chunk)
                except StoreUnavailable as exc:
                    refused.append(str(exc))
                    time.sleep(1)
                    continue
                assert report.failed == [], report.failed[:3]
                written.append(len(chunk))
                break
            else:
                raise AssertionError(f"a chunk was refused 60 times: {refused[-1]}")

    loader = threading.Thread(target=load)
    loader.start()
    while len(written) < 3 and loader.is_alive():
        time.sleep(0.05)
    stopper = threading.Thread(target=_es_dev, args=(env, "node-stop", str(victim)))  # the month's primary
    stopper.start()
    time.sleep(0.5)
    stopping.set()
    stopper.join(timeout=600)
    stopped.set()
    loader.join(timeout=600)
    assert not loader.is_alive() and sum(written) == N_POSTS
    try:
        health = store.health()
        assert health["status"] in ("yellow", "green") and health["nodes"] == 2
        store.refresh()
        assert store.search(PostQuery(limit=1)).total == N_POSTS, "nothing lost, nothing twice"
        stored = store.get_posts([p.id for p in posts])
        assert len(stored) == N_POSTS and {p.id for p in stored} == {p.id for p in posts}
        assert store.search(PostQuery(text="垃圾 清理", limit=1)).total == N_POSTS
        sqlite = SQLiteStore(tmp_path / "same.db", clock=store_clock)
        sqlite.upsert_posts(posts)
        window = (T0 - timedelta(days=1), T0 + timedelta(days=2), timedelta(hours=1))
        assert store.complaint_counts(*window) == sqlite.complaint_counts(*window)
        sqlite.close()
    finally:
        _es_dev(env, "node-start", str(victim))
        es.options(ignore_status=404).indices.delete(index=f"{prefix}-*")
        for tpl in es.options(ignore_status=404).indices.get_index_template(name=f"{prefix}-*").get(
                "index_templates", []):
            es.indices.delete_index_template(name=tpl["name"])
        store.close()
