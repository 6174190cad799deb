"""Spiders of every family run for real (Scrapy over HTTP, each crawl in a child process) against the
simulator and store into a real SQLiteStore: incremental re-crawls, a killed crawl, a store that is down."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from core import SHANGHAI, Config, post_id
from crawler.run import crawl_source, start_crawl
from crawler.spool import Spool
from simulator import wechat as sim_wechat
from simulator.scenario import Scenario
from simulator.server import SimServer
from storage.base import PostQuery
from storage.sqlite import SQLiteStore

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=SHANGHAI)
RATES = {"weibo": 1.5, "wechat": 0.3, "forum": 0.6, "board": 0.6, "portal": 0.6}


def make_server() -> SimServer:
    return SimServer(Scenario(now=NOW, days=4, rates=RATES, gazetteer="builtin")).start()


@pytest.fixture(scope="module")
def server() -> Iterator[SimServer]:
    s = make_server()
    yield s
    s.stop()


def config(tmp: Path, server: SimServer, db: str = "y.db", **extra: Any) -> Config:
    common = {"delay": 0, "lookback_hours": 96, **extra}
    return Config.model_validate({"data_dir": str(tmp), "storage": {"sqlite": {"path": str(tmp / db)}}, "sources": [
        {"name": "wb", "family": "weibo", "base_url": server.base("weibo"), **common,
         "options": {"keywords": ["垃圾"], "users": [5600000000], "comments": True, "slice_hours": 24}},
        {"name": "wx", "family": "wechat", "base_url": server.base("wechat"), **common,
         "options": {"feeds": ["feeds/MP_WXS_3209768755.atom", "feeds/MP_WXS_3209769872.json"],
                     "getmsg": [{"biz": "MzIwOTc2ODc1NQ==", "key_env": "TEST_WX_KEY"}]}},
        {"name": "dz", "family": "forum", "base_url": server.base("forum"), **common, "options": {"fids": [2, 5, 9]}},
        {"name": "bd", "family": "board", "base_url": server.base("board"), **common, "options": {"fid": 539}},
        {"name": "bh", "family": "board", "base_url": server.base("board"), **common,
         "options": {"fid": 539, "preset": "board_html"}},
        {"name": "pt", "family": "portal", "base_url": server.base("portal"), **common},
    ]})


def stored(path: Path, source: str | None = None) -> list:
    store = SQLiteStore(path)
    try:
        q = PostQuery(sources=(source,) if source else (), limit=10_000, highlight=False)
        return list(store.iter_posts(q))
    finally:
        store.close()


def test_every_family_crawls_over_http_into_sqlite(tmp_path: Path, server: SimServer,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_WX_KEY", "captured-key")  # getmsg needs a key captured from a WeChat session
    cfg = config(tmp_path, server)
    with ThreadPoolExecutor(3) as pool:  # each crawl is its own child process
        reports = dict(zip([s.name for s in cfg.sources],
                           pool.map(lambda s: crawl_source(cfg, s.name, timeout=180), cfg.sources), strict=True))
    for name, r in reports.items():
        assert r.status == "finished", (name, r)
        assert r.stored > 0 and r.health == "ok", (name, r)
    w, db = server.sim.world, tmp_path / "y.db"
    board = {p.native for p in w.visible("board", NOW)}
    assert {p.native_id for p in stored(db, "board:bd")} == board
    assert {p.native_id for p in stored(db, "board:bh")} == board  # the HTML variant gives the same set
    bd = {p.native_id: p for p in stored(db, "board:bd")}
    assert all(p.extra["status"] in ("待回复", "办理中", "已办理") for p in bd.values())
    assert any(p.extra["reply"] for p in bd.values())
    assert {p.native_id for p in stored(db, "portal:pt")} == {p.native for p in w.visible("portal", NOW)}
    threads = {t.native for fid in ("2", "5") for t, replies in w.threads(fid, NOW)
               if any(int(p.author_id) % 17 for p in [t, *replies])}  # a banned author's floor is masked
    forum = stored(db, "forum:dz")
    assert {p.thread_id for p in forum} == threads  # the private board (fid 9) is a login wall, not content
    assert len({p.id for p in forum}) == len(forum) > len(threads)  # replies as their own posts
    dz = SQLiteStore(db).get_source_state("dz")
    assert "login wall" in dz.last_error and "fid=9" in dz.last_error  # surfaced, the other boards crawled
    weibo = stored(db, "weibo")
    assert reports["wb"].stats["yuqing/weibo/fuzzy_filtered"] > 0
    assert any(p.extra.get("kind") == "comment" for p in weibo)
    longs = [p for p in weibo if "需要有人牵头" in p.text]  # long text fetched via statuses/extend
    assert longs and not any(p.extra.get("truncated") for p in longs)
    assert not any(p.text.endswith("全文") for p in weibo)
    searched = [p for p in weibo if p.author.id != "5600000000" and p.extra.get("kind") != "comment"
                and not any(q.extra.get("retweeted_mid") == p.native_id for q in weibo)]
    assert searched and all("垃圾" in p.text for p in searched)  # re-filtered for the exact keyword
    wechat = stored(db, "wechat:*")
    assert wechat and all(p.native_id.count(":") == 2 for p in wechat)
    accounts = {"大场发布", "宝山生活圈"}
    expected = [p for p in w.visible("wechat", NOW) if p.channel in accounts]
    ok = {f"{p.native}:{p.idx}" for p in expected if p.status == "ok"}
    assert {p.native_id.split(":", 1)[1] for p in wechat} == ok
    state = SQLiteStore(db).get_source_state("wx")
    placeholders = {p.seq: p for p in expected if p.status != "ok"}
    gone = {p.seq for url in state.cursor.get("gone", []) for p in placeholders.values()
            if f"/s/{sim_wechat.token(p)}" in url or f"mid={p.native}&" in url}  # a short and a long link each
    assert placeholders and gone == set(placeholders)
    assert reports["wx"].stats["yuqing/dropped/duplicate"] > 0  # the same article via feed and getmsg, kept once


def test_incremental_recrawl_fetches_only_what_is_new(tmp_path: Path) -> None:
    with make_server() as srv:
        cfg = config(tmp_path, srv)
        first = crawl_source(cfg, "bd", timeout=120)
        httpx.post(f"{srv.url}/_sim/clock", json={"advance": 24 * 3600})
        second = crawl_source(cfg, "bd", timeout=120)
        later = srv.sim.clock.now()
        visible = srv.sim.world.visible("board", later)
        assert {p.native_id for p in stored(tmp_path / "y.db", "board:bd")} == {p.native for p in visible}
        new_or_revisited = [p for p in visible if p.at >= NOW - timedelta(hours=6 + 1)]
        assert first.scraped == len(srv.sim.world.visible("board", NOW))
        assert second.scraped <= len(new_or_revisited) < first.scraped + 30
        assert second.stored == second.scraped


def test_killed_crawl_restarted_stores_the_same_set(tmp_path: Path, server: SimServer) -> None:
    reference = config(tmp_path, server, db="ref.db")
    assert crawl_source(reference, "bh", timeout=120).status == "finished"
    want = {p.id for p in stored(tmp_path / "ref.db")}
    cfg = config(tmp_path, server, db="killed.db", delay=0.05)
    cfg = cfg.model_copy(update={"sources": [s.model_copy(update={"options": {**s.options, "store_batch": 2}})
                                             for s in cfg.sources]})
    proc = start_crawl(cfg, "bh")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if (tmp_path / "killed.db").exists() and len(stored(tmp_path / "killed.db")) >= 4:
            break
        time.sleep(0.1)
    proc.kill()
    proc.communicate()
    partial = {p.id for p in stored(tmp_path / "killed.db")}
    assert 4 <= len(partial) < len(want)
    again = crawl_source(cfg, "bh", timeout=120)
    assert again.status == "finished"
    assert {p.id for p in stored(tmp_path / "killed.db")} == want


def test_store_down_spools_and_replays_without_loss_or_doubles(tmp_path: Path, server: SimServer) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    down = config(tmp_path, server, db="not-a-dir/y.db")
    r = crawl_source(down, "pt", timeout=120)
    spool = Spool(tmp_path, "pt")
    assert r.spooled == r.scraped > 0 and spool.pending() == r.spooled and r.stored == 0
    up = config(tmp_path, server)
    again = crawl_source(up, "pt", timeout=120)
    assert again.status == "finished" and spool.pending() == 0
    assert again.stats.get("yuqing/spool_replayed") == r.spooled
    posts = stored(tmp_path / "y.db", "portal:pt")
    assert len(posts) == len({p.id for p in posts}) == len(server.sim.world.visible("portal", NOW))
    assert {p.id for p in posts} == {post_id("portal:pt", p.native) for p in server.sim.world.visible("portal", NOW)}


# ---- warm crawl workers (crawler.workers) -----------------------------------------------------------------

def lease_free(db: Path, source: str) -> bool:
    store = SQLiteStore(db)
    try:
        state = store.get_source_state(source)
        return state is None or state.lease_owner is None
    finally:
        store.close()


def test_a_warm_worker_serves_several_runs_and_loads_the_models_once(tmp_path: Path, server: SimServer) -> None:
    from crawler.workers import WorkerPool

    cfg = config(tmp_path, server)
    with WorkerPool(1).start(cfg) as pool:
        [worker] = pool.workers()
        reports = [pool.run(cfg, name, timeout=180) for name in ("bd", "pt", "bh", "bd")]
    assert [r.status for r in reports] == ["finished"] * 4, [r.error for r in reports]
    assert {r.worker["pid"] for r in reports} == {worker}  # one process served every run …
    assert [r.worker["warmups"] for r in reports] == [1, 1, 1, 1]  # … and loaded the models once
    assert all(r.worker["preloaded"] for r in reports)  # each crawl found the enricher built, built none
    assert [r.worker["runs"] for r in reports] == [1, 2, 3, 4]
    assert len({r.worker["crawl_pid"] for r in reports}) == 4  # each run its own (forked) process and reactor
    assert all(r.owner == f"{r.owner.rsplit(':', 1)[0]}:{r.worker['crawl_pid']}" for r in reports)  # its lease
    w, db = server.sim.world, tmp_path / "y.db"
    assert {p.native_id for p in stored(db, "board:bd")} == {p.native for p in w.visible("board", NOW)}
    assert {p.native_id for p in stored(db, "portal:pt")} == {p.native for p in w.visible("portal", NOW)}
    assert reports[3].scraped < reports[0].scraped  # the second run of bd went on from the stored watermark
    assert lease_free(db, "bd") and lease_free(db, "bh")


def test_a_killed_crawl_or_worker_is_reported_replaced_and_loses_nothing(tmp_path: Path, server: SimServer) -> None:
    import os
    import signal
    import threading

    from crawler.workers import WorkerPool

    cfg = config(tmp_path, server, delay=0.05)
    cfg = cfg.model_copy(update={"sources": [s.model_copy(update={"options": {**s.options, "store_batch": 2}})
                                             for s in cfg.sources]})
    db = tmp_path / "y.db"
    want = {post_id("board:bh", p.native) for p in server.sim.world.visible("board", NOW)}

    def run_and_kill(pool: WorkerPool, target: str) -> Any:
        """Run bh, and once some posts are stored kill the crawl process or the worker running it."""
        out: list[Any] = []
        thread = threading.Thread(target=lambda: out.append(pool.run(cfg, "bh", timeout=180)))
        before = len(stored(db)) if db.exists() else 0
        thread.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (db.exists() and len(stored(db)) >= before + 4):
            time.sleep(0.05)
        running = pool.running()
        assert "bh" in running, "the crawl ended before it could be killed"
        os.kill(running["bh"] if target == "crawl" else pool.workers()[0], signal.SIGKILL)
        thread.join(timeout=180)
        return out[0]

    with WorkerPool(1).start(cfg) as pool:
        [worker] = pool.workers()
        crashed = run_and_kill(pool, "crawl")
        assert crashed.status == "failed" and "signal 9" in crashed.error and crashed.worker["pid"] == worker
        assert pool.workers() == [worker]  # the worker outlived its crawl
        # the dead crawl's lease names a dead pid on this host: taken over at once, no wait for its expiry
        died = run_and_kill(pool, "worker")
        assert died.status == "failed" and f"crawl worker {worker} died" in died.error, died.error
        [new] = pool.workers()
        assert new != worker and died.worker["replaced_by"] == new and pool.replaced == 1
        deadline = time.monotonic() + 60  # the orphaned crawl got SIGTERM from the kernel: it finishes like a
        while time.monotonic() < deadline and not lease_free(db, "bh"):  # shutdown and releases its lease
            time.sleep(0.1)
        assert lease_free(db, "bh")
        partial = {p.id for p in stored(db)}
        assert 4 <= len(partial) < len(want) and partial <= want
        again = pool.run(cfg, "bh", timeout=180)
        assert again.status == "finished" and again.worker["pid"] == new, again.error
    posts = stored(db)
    assert len(posts) == len({p.id for p in posts}) and {p.id for p in posts} == want  # nothing lost, none twice


def test_a_daemon_does_not_skip_its_own_last_run_but_skips_another_daemons(tmp_path: Path, server: SimServer) -> None:
    """Every daemon schedules every source, so a source another daemon crawled within half its interval is
    skipped ("recent"); this daemon's own last run never makes it skip (a crawl longer than half the interval
    would otherwise halve its own rate)."""
    import yaml

    from yuqing.daemon import Daemon

    cfg = tmp_path / "yuqing.yaml"
    cfg.write_text(yaml.safe_dump({"data_dir": str(tmp_path), "storage": {"sqlite": {"path": str(tmp_path / "y.db")}},
                                   "sources": [{"name": "pt", "family": "portal", "base_url": server.base("portal"),
                                                "delay": 0, "lookback_hours": 96, "interval": 3600,
                                                "enabled": False}]}),  # not scheduled: crawled only by this test
                   encoding="utf-8")
    daemon = Daemon(cfg, web=False, crawl_workers=1)
    daemon.start()
    try:
        first = daemon.crawl_report("pt")
        again = daemon.crawl_report("pt")  # at once: well within half the interval of its own run
        assert (first.status, again.status) == ("finished", "finished"), (first.error, again.error)
        state = daemon.store.get_source_state("pt")  # now another daemon crawls it
        later = state.last_run_at + timedelta(seconds=1)
        daemon.store.save_source_state(state.model_copy(update={"last_run_at": later}))
        assert daemon.crawl_report("pt").status == "recent"
    finally:
        daemon.stop()
