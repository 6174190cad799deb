"""A real three-node Elasticsearch cluster on this machine (scripts/es-dev cluster-start): a node stopped in
the middle of a bulk load loses and duplicates nothing, and search and the detection read keep working.

Runs wherever the single test node runs (YUQING_ES_URL set; required under CI=true). The cluster uses
HTTP ports 9240–9242 (YUQING_ES_CLUSTER_PORT) and is stopped afterwards; YUQING_ES_CLUSTER_URLS
points the test at a cluster already running (then it is left running, node 2 restarted).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from elasticsearch import Elasticsearch

from core import SHANGHAI, SourceState, StoreUnavailable, post_id, utcnow
from core.config import ElasticsearchConfig
from simulator.scenario import Scenario
from simulator.server import SimServer
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


# ---- daemons and crawls on the cluster ---------------------------------------------------------------------

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=SHANGHAI)
REPO = Path(__file__).resolve().parents[1]


def _one_replica(es: Elasticsearch, prefix: str) -> None:
    """Every index of ``prefix`` (and every monthly index still to come) with one replica, so one node can go."""
    for tpl in es.indices.get_index_template(name=f"{prefix}-*")["index_templates"]:
        body = tpl["index_template"]
        body.setdefault("template", {}).setdefault("settings", {}).setdefault("index", {})["number_of_replicas"] = 1
        body["template"]["settings"].pop("number_of_replicas", None)
        es.indices.put_index_template(name=tpl["name"], **{k: v for k, v in body.items()
                                                            if k not in ("created_date", "modified_date")})
    es.indices.put_settings(index=f"{prefix}-*", settings={"index.number_of_replicas": 1})
    es.cluster.health(index=f"{prefix}-*", wait_for_status="green", timeout="120s")


def _cluster_store(urls: str, prefix: str) -> ElasticStore:
    store = ElasticStore(ElasticsearchConfig(url=urls, index_prefix=prefix, request_timeout=30))
    store.init()
    _one_replica(store.es, prefix)
    return store


def _drop(store: ElasticStore, prefix: str) -> None:
    es = store.es
    es.options(ignore_status=404).indices.delete(index=f"{prefix}-*")
    for tpl in es.options(ignore_status=404).indices.get_index_template(name=f"{prefix}-*").get("index_templates", []):
        es.indices.delete_index_template(name=tpl["name"])
    store.close()


def _sources(sim: SimServer, n: int, **extra: Any) -> list[dict[str, Any]]:
    """``n`` sources over the simulator's message board and portal (each stores its posts under its own name)."""
    out = []
    for i in range(n):
        if i % 2:
            out.append({"name": f"pt{i:02d}", "family": "portal", "base_url": sim.base("portal"), **extra})
        else:
            out.append({"name": f"bd{i:02d}", "family": "board", "base_url": sim.base("board"), **extra,
                        "options": {"fid": 539}})
    return out


def _expected(sim: SimServer, sources: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Per source, the ids of the posts the simulator serves within its lookback (what a complete crawl stores)."""
    world = sim.sim.world
    return {s["name"]: {post_id(f"{s['family']}:{s['name']}", p.native) for p in world.visible(s["family"], NOW)
                        if p.at >= NOW - timedelta(hours=s["lookback_hours"])} for s in sources}


def _stored(store: ElasticStore, name: str, family: str) -> set[str]:
    return {p.id for p in store.iter_posts(PostQuery(sources=(f"{family}:{name}",), limit=100_000, highlight=False))}


def _crawl_lines(log: Path) -> list[dict[str, Any]]:
    """The crawl records a daemon logged (``--json-logs``: one object a line; crawl children's Scrapy lines
    are plain text and skipped)."""
    out = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("{") and '"crawl"' in line:
            with contextlib.suppress(ValueError):
                out.append(json.loads(line)["crawl"])
    return out


def _wait(check: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


LEASE_S = 6  # short leases: renewed every 1.5 s, a dead daemon's sources free after at most 6 s


def test_three_daemons_share_sixty_sources_and_take_over_a_killed_ones(
        cluster: tuple[str, dict[str, str]], tmp_path: Path, request: pytest.FixtureRequest) -> None:
    urls, _env = cluster
    prefix = f"yqdaemons-{uuid.uuid4().hex[:6]}"
    scenario = Scenario(now=NOW, days=2, rates={"board": 0.3, "portal": 0.3}, gazetteer="builtin")
    with SimServer(scenario) as sim:
        # a round of 60 crawls on three one-worker daemons takes minutes here: each daemon skips a source
        # another crawled within half its interval ("recent"), so the interval must exceed twice a round's share
        srcs = _sources(sim, 60, delay=0.1, lookback_hours=240, interval=300, jitter=0.1)
        expected = _expected(sim, srcs)
        family = {s["name"]: s["family"] for s in srcs}
        store = _cluster_store(urls, prefix)
        request.addfinalizer(lambda: _drop(store, prefix))
        cfg = tmp_path / "yuqing.yaml"
        cfg.write_text(yaml.safe_dump({
            "data_dir": str(tmp_path / "var"), "sources": srcs,
            "storage": {"backend": "elasticsearch", "elasticsearch": {"url": urls, "index_prefix": prefix}},
        }, allow_unicode=True), encoding="utf-8")
        logs = [tmp_path / f"daemon-{i}.log" for i in (1, 2, 3)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("YUQING_")}
        daemons = []
        for i, log in enumerate(logs, 1):  # three machines: each names itself in leases (YUQING_LEASE_HOST)
            with log.open("wb") as err:
                daemons.append(subprocess.Popen(
                    [sys.executable, "-m", "yuqing", "-c", str(cfg), "run", "--no-web", "--json-logs",
                     "--node-id", f"node-{i}", "--crawl-workers", "1", "--crawl-lease", str(LEASE_S)],
                    cwd=REPO, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
                    env={**env, "YUQING_LEASE_HOST": f"machine-{i}"}))
        try:
            def victim_busy() -> bool:  # machine-1 has crawled and holds a lease (in the middle of a crawl)
                if sum(1 for r in _crawl_lines(logs[0]) if r["status"] == "finished") < 2:
                    return False
                states = (store.get_source_state(n) or SourceState(name=n) for n in expected)
                return any((s.lease_owner or "").startswith("machine-1:") for s in states)
            _wait(victim_busy, 300, "daemon 1 in the middle of a crawl")
            os.killpg(daemons[0].pid, signal.SIGKILL)  # the machine dies: daemon, worker and crawl at once
            daemons[0].wait()
            killed_at = utcnow()
            time.sleep(1)  # a write already on the wire when it died lands now
            orphaned = {s.name: s.lease_until for s in (store.get_source_state(n) for n in expected)
                        if s is not None and (s.lease_owner or "").startswith("machine-1:")}
            assert orphaned, "daemon 1 held no lease when it was killed"

            def all_stored() -> bool:
                store.refresh()
                return all(_stored(store, n, family[n]) == ids for n, ids in expected.items())

            def taken_over() -> bool:
                runs = [r for log in logs[1:] for r in _crawl_lines(log)]
                return all(any(r["source"] == n and r["status"] == "finished" and r["leased_at"]
                               and datetime.fromisoformat(r["leased_at"]) >= killed_at for r in runs)
                           for n in orphaned)
            _wait(lambda: taken_over() and all_stored(), 600, "the survivors to crawl every source")
        finally:
            for d in daemons:
                if d.poll() is None:
                    d.send_signal(signal.SIGTERM)
            for d in daemons:
                try:
                    d.wait(timeout=120)
                except subprocess.TimeoutExpired:
                    os.killpg(d.pid, signal.SIGKILL)
                    d.wait()
        assert [d.returncode for d in daemons[1:]] == [0, 0], "SIGTERM stops a daemon cleanly"
        runs = [r for log in logs for r in _crawl_lines(log)]
        held = [r for r in runs if r["owner"] and r["leased_at"]]
        assert {r["node"] for r in held} == {"node-1", "node-2", "node-3"}, "every daemon crawled"
        # every source crawled by exactly one daemon at a time: per source, no two lease spans overlap
        for name in expected:
            spans = sorted((datetime.fromisoformat(r["leased_at"]),
                            datetime.fromisoformat(r["released_at"] or r["leased_at"]), r["owner"])
                           for r in held if r["source"] == name)
            for (_s1, e1, o1), (s2, _e2, o2) in pairwise(spans):
                assert e1 <= s2, f"{name}: {o1} and {o2} crawled it at once"
        # a killed daemon's sources went to the others only after its lease ran out
        for name, until in orphaned.items():
            later = [datetime.fromisoformat(r["leased_at"]) for r in held
                     if r["source"] == name and r["node"] != "node-1"
                     and datetime.fromisoformat(r["leased_at"]) >= killed_at]
            assert later and min(later) >= until, (name, until, later)
        assert any(r["status"] in ("busy", "recent") for r in runs), "the daemons met on the same sources"
        # no post lost, none twice: every source holds exactly what the simulator served
        store.refresh()
        for name, ids in expected.items():
            assert _stored(store, name, family[name]) == ids, name
        assert store.search(PostQuery(limit=1)).total == sum(len(ids) for ids in expected.values())


def test_a_node_stopped_in_the_middle_of_a_crawl_loses_and_duplicates_nothing(
        cluster: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from core import Config
    from crawler.workers import WorkerPool

    urls, env = cluster
    prefix = f"yqcrawl-{uuid.uuid4().hex[:6]}"
    scenario = Scenario(now=NOW, days=3, rates={"board": 0.5, "portal": 0.5}, gazetteer="builtin")
    victim = None
    with SimServer(scenario) as sim:
        srcs = _sources(sim, 8, delay=0.2, lookback_hours=240)
        for s in srcs:  # small batches: many writes while the node goes
            s["options"] = {**s.get("options", {}), "store_batch": 3}
        expected = _expected(sim, srcs)
        family = {s["name"]: s["family"] for s in srcs}
        store = _cluster_store(urls, prefix)
        cfg = Config.model_validate({"data_dir": str(tmp_path), "sources": srcs, "storage": {
            "backend": "elasticsearch", "elasticsearch": {"url": urls, "index_prefix": prefix}}})
        try:
            with WorkerPool(2).start(cfg) as pool, ThreadPoolExecutor(2) as run:
                first = run.map(lambda n: pool.run(cfg, n, timeout=600), expected)

                def some_stored() -> bool:
                    store.refresh()
                    return store.search(PostQuery(limit=0)).total >= 10
                _wait(some_stored, 300, "the first stored posts")
                posts_index = sorted(store.es.indices.get(index=f"{prefix}-posts-*"))[-1]
                victim = _primary_node(store.es, posts_index)
                _es_dev(env, "node-stop", str(victim))  # the posts' primary, in the middle of the crawls
                stopped_at = utcnow()
                reports = list(first)
                health = store.health()
                assert health["status"] in ("yellow", "green") and health["nodes"] == 2, health
                again = [pool.run(cfg, n, timeout=600) for n in expected]  # the next round: spool replayed
            assert all(r.status in ("finished", "incomplete") for r in reports), [r.error for r in reports]
            assert any(datetime.fromisoformat(r.released_at) > stopped_at for r in reports), "a crawl outlived the node"
            assert all(r.status == "finished" for r in again), [(r.source, r.error) for r in again]
            store.refresh()
            for name, ids in expected.items():
                assert _stored(store, name, family[name]) == ids, name  # nothing lost
            assert store.search(PostQuery(limit=1)).total == sum(len(ids) for ids in expected.values())  # none twice
            assert not any(Path(tmp_path, "spool").rglob("*.jsonl")), "every spooled post was replayed"
        finally:
            if victim is not None:
                _es_dev(env, "node-start", str(victim))
            _drop(store, prefix)
