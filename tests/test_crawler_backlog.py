"""Resumable page cursors: a list left at its page cap is continued by the next crawls until the window's
start, over HTTP against the simulator, without a backoff and without storing anything twice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from core import SHANGHAI, Config, SourceHealth, SourceState
from crawler.backlog import Backlog, Entry, in_gaps, merge_gaps, trim_gaps
from crawler.run import crawl_source
from crawler.state import Tracker
from simulator import wechat as sim_wechat
from simulator.scenario import PlantedEvent, Scenario
from simulator.server import SimServer
from simulator.weibo import fuzzy_match
from storage.base import PostQuery
from storage.sqlite import SQLiteStore

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=SHANGHAI)
H = timedelta(hours=1)


def test_gaps_merge_trim_and_cover() -> None:
    a, b, c, d = NOW - 10 * H, NOW - 8 * H, NOW - 6 * H, NOW - 4 * H
    assert merge_gaps([(a, b), (b, c), (d, NOW)]) == [(d, NOW), (a, c)]
    assert trim_gaps([(d, NOW), (a, c)], NOW - 7 * H) == [(a, NOW - 7 * H)]
    assert trim_gaps([(a, c)], a) == [(a, a)] and trim_gaps([(a, c)], a - H) == []
    assert in_gaps([(a, c)], b) and not in_gaps([(a, c)], d) and in_gaps([], None)


def test_backlog_walk_and_head_cap_merge_into_one_cursor() -> None:
    a, b = NOW - 48 * H, NOW - 30 * H
    log = Backlog({"fid:2": Entry(11, [(a, b)]).to_json(), "fid:old": Entry(3, [(a, b)]).to_json()})
    (key, entry), = log.resume("fid:2")
    assert key == "fid:2" and entry.next == 11
    assert log.advance("fid:2", 12, NOW - 40 * H, more=True, last=True) is False  # budget spent
    log.cap("fid:2", 11, NOW - 20 * H, NOW - 10 * H)  # this crawl's head stopped at its cap too
    kept = log.result()
    assert set(kept) == {"fid:2"}  # a list no longer walked is dropped
    assert Entry.from_json(kept["fid:2"]) == Entry(11, [(NOW - 20 * H, NOW - 10 * H), (a, NOW - 40 * H)])
    done = Backlog(kept)
    done.resume()
    assert done.advance("fid:2", 12, a - H, more=True, last=False) is False  # past the window's start
    assert done.result() == {}


def test_a_list_removed_from_the_options_loses_its_backlog() -> None:
    a, b = NOW - 48 * H, NOW - 30 * H
    log = Backlog({"fid:2": Entry(11, [(a, b)]).to_json(), "fid:9": Entry(3, [(a, b)]).to_json()})
    fids = {"2"}  # fid 9 was taken out of the source's options
    assert [k for k, _ in log.resume("fid:", lambda k: k[4:] in fids)] == ["fid:2"]
    assert set(log.result()) == {"fid:2"}  # fid 9 is not kept for a later crawl to walk back to


def test_only_a_complete_crawl_moves_the_stored_backlog() -> None:
    stored_backlog = {"fid:2": Entry(11, [(NOW - 48 * H, NOW - 30 * H)]).to_json()}
    before = SourceState(name="s", cursor={"backlog": stored_backlog})
    failed = Tracker("s", backlog=Backlog(stored_backlog), lost=1)
    failed.backlog.resume()
    failed.backlog.advance("fid:2", 12, NOW - 60 * H, more=True, last=False)  # walked past the floor, but lost pages
    assert failed.apply(before, NOW).cursor["backlog"] == stored_backlog
    done = Tracker("s", backlog=Backlog(stored_backlog))
    done.backlog.resume()
    done.backlog.advance("fid:2", 12, NOW - 60 * H, more=True, last=False)
    state = done.apply(before, NOW)
    assert "backlog" not in state.cursor and state.health is SourceHealth.OK and state.backoff_until is None


def stored(path: Path) -> list:
    store = SQLiteStore(path)
    try:
        return list(store.iter_posts(PostQuery(sources=("forum:dz",), limit=10_000, highlight=False)))
    finally:
        store.close()


def test_capped_forum_is_finished_over_several_crawls_without_backoff(tmp_path: Path) -> None:
    scenario = Scenario(start=NOW - 96 * H, now=NOW, days=6, gazetteer="builtin",
                        rates={"weibo": 0.1, "wechat": 0.1, "forum": 2.0, "board": 0.1, "portal": 0.1})
    with SimServer(scenario).start() as srv:
        cfg = Config.model_validate({"data_dir": str(tmp_path), "storage": {"sqlite": {"path": str(tmp_path / "y.db")}},
                                     "sources": [{"name": "dz", "family": "forum", "base_url": srv.base("forum"),
                                                  "delay": 0, "lookback_hours": 48, "backoff_base": 3600,
                                                  "options": {"fids": [2, 5], "max_pages": 2}}]})
        reports: list[Any] = []
        for hours in (30, 2, 2, 2, 2, 2, 2, 2, 2, 0):  # a busy spell, then a few hours between crawls
            reports.append(r := crawl_source(cfg, "dz", timeout=180))
            assert r.status == "finished" and r.health == "ok" and r.backoff_until is None, r
            if not r.backlog:
                break
            httpx.post(f"{srv.url}/_sim/clock", json={"advance": hours * 3600})
        end = srv.sim.clock.now()
        world = srv.sim.world
        rows = [(t, replies) for fid in ("2", "5") for t, replies in world.threads(fid, end)
                if max(p.at for p in [t, *replies]) >= NOW - 48 * H]  # active inside the first crawl's window
    assert set(reports[0].capped) == {"fid:2", "fid:5"} and set(reports[0].backlog) == {"fid:2", "fid:5"}
    assert reports[0].stats["yuqing/capped"] == 2 and reports[1].capped  # the busy spell caps the head again
    assert 3 <= len(reports) < 10 and not reports[-1].backlog  # resumed over several crawls, then cleared
    assert all(r.stats.get("yuqing/backlog_pages", 0) > 0 for r in reports[1:])
    state = SQLiteStore(tmp_path / "y.db").get_source_state("dz")
    assert "backlog" not in state.cursor and state.consecutive_errors == 0 and state.backoff_until is None
    posts = stored(tmp_path / "y.db")
    want = {f"dz:{t.native}:{int(t.native) * 100 + floor}" if floor else f"dz:{t.native}"  # 1st floor: the thread
            for t, replies in rows
            for floor, p in enumerate([t, *replies]) if int(p.author_id) % 17}  # a banned author's floor is masked
    assert len(rows) > 2 * 3 * 20  # the window holds far more than each board's two-page cap
    assert sorted(p.native_id for p in posts) == sorted(want)  # every post of the window, each once


def test_capped_weibo_slices_and_wechat_history_are_resumed(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_WX_KEY", "captured-key")
    burst = PlantedEvent(place="dachang", topic="sanitation", start=NOW - 4 * H, hours=3, rate=40, families=("weibo",))
    scenario = Scenario(start=NOW - 30 * H, now=NOW, days=2, gazetteer="builtin", events=(burst,),
                        rates={"weibo": 1.0, "wechat": 2.0, "forum": 0.1, "board": 0.1, "portal": 0.1})
    with SimServer(scenario).start() as srv:
        account = "大场社区通"
        common = {"delay": 0, "backoff_base": 3600}
        cfg = Config.model_validate({"data_dir": str(tmp_path), "storage": {"sqlite": {"path": str(tmp_path / "y.db")}},
                                     "sources": [
            {"name": "wb", "family": "weibo", "base_url": srv.base("weibo"), "lookback_hours": 6, **common,
             "options": {"keywords": ["垃圾"], "slice_hours": 24, "max_pages": 2}},
            {"name": "wx", "family": "wechat", "base_url": srv.base("wechat"), "lookback_hours": 30, **common,
             "options": {"getmsg": [{"biz": sim_wechat.biz(srv.sim, account), "key_env": "TEST_WX_KEY"}],
                         "max_offset": 10}}]})
        rounds: dict[str, list[Any]] = {"wb": [], "wx": []}
        for _ in range(6):
            due = [name for name, reports in rounds.items() if not reports or reports[-1].backlog]
            with ThreadPoolExecutor(2) as pool:  # each crawl is its own child process
                for name, r in zip(due, pool.map(lambda n: crawl_source(cfg, n, timeout=180), due), strict=True):
                    assert r.status == "finished" and r.health == "ok" and r.backoff_until is None, r
                    rounds[name].append(r)
            if not any(reports[-1].backlog for reports in rounds.values()):
                break
            httpx.post(f"{srv.url}/_sim/clock", json={"advance": 3600})
        first_now = NOW
        weibo = [p for p in srv.sim.world.visible("weibo", srv.sim.clock.now()) if p.at >= NOW - 6 * H
                 and fuzzy_match(p.text, "垃圾", p.seq) and "垃圾" in p.text]
        articles = [p for p in srv.sim.world.visible("wechat", srv.sim.clock.now())
                    if p.channel == account and p.status == "ok" and p.at >= first_now - 30 * H]
    for name, reports in rounds.items():
        assert reports[0].capped and reports[0].stats["yuqing/capped"] >= 1, name
        assert 2 <= len(reports) < 6 and not reports[-1].backlog, name
    assert all(k.startswith("search:") for k in rounds["wb"][0].capped)
    assert rounds["wx"][0].capped == [f"getmsg:{sim_wechat.biz(srv.sim, account)}"]
    store = SQLiteStore(tmp_path / "y.db")
    try:
        got = list(store.iter_posts(PostQuery(sources=("weibo",), limit=10_000, highlight=False)))
        wx = list(store.iter_posts(PostQuery(sources=("wechat:*",), limit=10_000, highlight=False)))
        assert "backlog" not in store.get_source_state("wb").cursor
    finally:
        store.close()
    assert len(weibo) > 2 * 3 * 10  # three busy hours, each more than a walk's two pages of ten
    assert {p.native for p in weibo} <= {p.native_id for p in got} and len(got) == len({p.native_id for p in got})
    assert {f"{p.native}:{p.idx}" for p in articles} == {p.native_id.split(":", 1)[1] for p in wx}


@pytest.mark.parametrize("api", ["mobile", "desktop"])
def test_a_capped_weibo_timeline_resumes_where_it_stopped_without_backoff(tmp_path: Path, api: str) -> None:
    """#13 item 7: a user timeline stopped by ``max_pages`` while older posts are still inside the window is not
    a complete read of it: the next crawls continue where it stopped (m.weibo.cn: its since_id; weibo.com
    mymblog: its page), with no backoff, until every post of the first window is stored, each once."""
    uid = "5600000000"
    scenario = Scenario(start=NOW - 30 * H, now=NOW, days=2, gazetteer="builtin",
                        rates={"weibo": 6.0, "wechat": 0.1, "forum": 0.1, "board": 0.1, "portal": 0.1})
    with SimServer(scenario).start() as srv:
        cfg = Config.model_validate({"data_dir": str(tmp_path), "storage": {"sqlite": {"path": str(tmp_path / "y.db")}},
                                     "sources": [{"name": "wb", "family": "weibo", "base_url": srv.base("weibo"),
                                                  "delay": 0, "lookback_hours": 24, "backoff_base": 3600,
                                                  "options": {"users": [int(uid)], "max_pages": 1,
                                                              "api": api, "probe": False}}]})
        reports: list[Any] = []
        for _ in range(8):
            reports.append(r := crawl_source(cfg, "wb", timeout=180))
            assert r.status == "finished" and r.health == "ok" and r.backoff_until is None, r
            if not r.backlog:
                break
            httpx.post(f"{srv.url}/_sim/clock", json={"advance": 600})
        want = {p.native for p in srv.sim.world.visible("weibo", NOW) if p.channel == uid and p.at >= NOW - 24 * H}
    assert len(want) > 2 * 10  # more than two pages of ten: the one-page cap hides most of the window
    key = f"timeline:107603{uid}" if api == "mobile" else f"mymblog:{uid}"
    assert reports[0].capped == [key] and 3 <= len(reports) < 8 and not reports[-1].backlog
    assert all(r.stats.get("yuqing/backlog_pages", 0) > 0 for r in reports[1:])
    store = SQLiteStore(tmp_path / "y.db")
    try:
        got = [p.native_id for p in store.iter_posts(PostQuery(sources=("weibo",), limit=10_000, highlight=False))]
        assert "backlog" not in store.get_source_state("wb").cursor
    finally:
        store.close()
    assert want <= set(got) and len(got) == len(set(got))
