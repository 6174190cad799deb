"""Every failure mode over real HTTP: the right classification, backoff and source state, and after
recovery the same set of posts as a clean crawl — nothing lost, nothing doubled. Cookies never leak."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from core import SHANGHAI, Config, SourceHealth
from crawler.run import crawl_source, read_report, start_crawl
from simulator.scenario import Scenario
from simulator.server import SimServer
from storage.base import PostQuery
from storage.sqlite import SQLiteStore

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=SHANGHAI)
RATES = {"weibo": 1.0, "wechat": 0.5, "forum": 0.3, "board": 0.6, "portal": 0.3}


@pytest.fixture(scope="module")
def server() -> Iterator[SimServer]:
    with SimServer(Scenario(now=NOW, days=4, rates=RATES, gazetteer="builtin")) as s:
        yield s


@pytest.fixture(autouse=True)
def _no_faults(server: SimServer) -> None:
    server.sim.clear_faults()


def faults(server: SimServer, family: str, modes: list[str], path: str = "") -> None:
    httpx.post(f"{server.url}/_sim/faults", json={"family": family, "modes": modes, "path": path}).raise_for_status()


def config(tmp: Path, server: SimServer, **source: Any) -> Config:
    base = {"delay": 0, "lookback_hours": 96, "backoff_base": 60, "backoff_ceiling": 600}
    wb = {"name": "wb", "family": "weibo", "base_url": server.base("weibo"), **base,
          "options": {"keywords": ["垃圾"], "slice_hours": 96}}
    wx = {"name": "wx", "family": "wechat", "base_url": server.base("wechat"), **base,
          "options": {"feeds": ["feeds/MP_WXS_3209769872.json", "feeds/MP_WXS_3209770989.atom"]}}
    bd = {"name": "bd", "family": "board", "base_url": server.base("board"), **base, "options": {"fid": 539}}
    pt = {"name": "pt", "family": "portal", "base_url": server.base("portal"), **base}
    sources = [{**s, **source.get(s["name"], {})} for s in (wb, wx, bd, pt)]
    return Config.model_validate({"data_dir": str(tmp), "storage": {"sqlite": {"path": str(tmp / "y.db")}},
                                  "sources": sources})


def posts(tmp: Path, source: str) -> list:
    store = SQLiteStore(tmp / "y.db")
    try:
        return list(store.iter_posts(PostQuery(sources=(source,), limit=10_000, highlight=False)))
    finally:
        store.close()


def state(tmp: Path, name: str):
    store = SQLiteStore(tmp / "y.db")
    try:
        return store.get_source_state(name)
    finally:
        store.close()


def weibo_expected(server: SimServer) -> set[str]:
    return {p.native for p in server.sim.world.visible("weibo", NOW) if "垃圾" in p.text}


def test_throttling_stops_backs_off_exponentially_then_recovers_everything(tmp_path: Path, server: SimServer) -> None:
    cfg = config(tmp_path, server)
    faults(server, "weibo", ["418"], "getIndex")
    first = crawl_source(cfg, "wb", timeout=120)
    s1 = state(tmp_path, "wb")
    assert first.status == "stopped" and first.outcomes.get("throttled") == 1
    assert s1.health is SourceHealth.BACKING_OFF and s1.consecutive_errors == 1
    assert s1.backoff_until - s1.last_run_at == timedelta(seconds=60) and "418" in s1.last_error
    assert "watermark" not in s1.cursor  # nothing was marked as seen
    assert crawl_source(cfg, "wb", timeout=120).status == "backing_off"  # respected without --force
    faults(server, "weibo", ["432"], "getIndex")
    crawl_source(cfg, "wb", force=True, timeout=120)
    s2 = state(tmp_path, "wb")
    assert s2.consecutive_errors == 2 and s2.backoff_until - s2.last_run_at == timedelta(seconds=120)
    done = crawl_source(cfg, "wb", force=True, timeout=120)
    s3 = state(tmp_path, "wb")
    assert done.status == "finished" and s3.health is SourceHealth.OK and s3.backoff_until is None
    stored = posts(tmp_path, "weibo")
    assert {p.native_id for p in stored} == weibo_expected(server)
    assert len(stored) == len({p.id for p in stored})


def test_invalid_cookie_rotates_to_the_next_account_and_is_surfaced(tmp_path: Path, server: SimServer,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WB_COOKIE_A", "SUB=expired-secret-a")
    monkeypatch.setenv("WB_COOKIE_B", "SUB=good-secret-b")
    cfg = config(tmp_path, server, wb={"cookie_env": "WB_COOKIE_A",
                                       "accounts": [{"name": "b", "cookie_env": "WB_COOKIE_B"}]})
    proc = start_crawl(cfg, "wb", stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=120)
    report = read_report("wb", _Done(out))
    s = state(tmp_path, "wb")
    assert report.status == "finished" and s.health is SourceHealth.OK
    assert s.cursor["accounts"]["default"]["status"] == "invalid"
    assert s.cursor["accounts"]["b"]["status"] == "ok"
    assert "default" in s.last_error  # the operator sees which cookie to replace
    assert {p.native_id for p in posts(tmp_path, "weibo")} == weibo_expected(server)
    for blob in (err.decode("utf-8", "replace"), out.decode("utf-8", "replace"), s.model_dump_json()):
        assert "secret" not in blob  # cookies never reach a log line or the stored state


def test_captcha_rests_one_account_and_the_next_carries_the_crawl(tmp_path: Path, server: SimServer,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WB_COOKIE_A", "SUB=aaa")
    monkeypatch.setenv("WB_COOKIE_B", "SUB=bbb")
    cfg = config(tmp_path, server, wb={"cookie_env": "WB_COOKIE_A",
                                       "accounts": [{"name": "b", "cookie_env": "WB_COOKIE_B"}]})
    faults(server, "weibo", ["captcha"], "getIndex")
    r = crawl_source(cfg, "wb", timeout=120)
    s = state(tmp_path, "wb")
    resting = [a for a in s.cursor["accounts"].values() if a["status"] == "captcha"]
    assert r.status == "finished" and s.health is SourceHealth.OK and len(resting) == 1
    assert datetime.fromisoformat(resting[0]["backoff_until"]) > s.last_run_at  # per-account backoff
    assert {p.native_id for p in posts(tmp_path, "weibo")} == weibo_expected(server)


def test_requests_go_through_the_configured_proxies(tmp_path: Path, server: SimServer) -> None:
    before = server.sim.stats["proxied"]
    cfg = config(tmp_path, server, pt={"base_url": "http://portal.sim.invalid/portal", "proxies": [server.url]})
    r = crawl_source(cfg, "pt", timeout=120)  # the host does not resolve: only the proxy can serve it
    assert r.status == "finished" and r.stored == len(server.sim.world.visible("portal", NOW))
    assert server.sim.stats["proxied"] - before == r.stats["response_received_count"]


def test_forums_obey_robots_txt(tmp_path: Path, server: SimServer) -> None:
    forum = {"name": "dz", "family": "forum", "base_url": server.base("forum"), "delay": 0,
             "options": {"fids": [2], "list_url": "admin.php?fid={fid}&page={page}"}}  # robots.txt: Disallow
    cfg = Config.model_validate({"data_dir": str(tmp_path), "sources": [forum],
                                 "storage": {"sqlite": {"path": str(tmp_path / "y.db")}}})
    r = crawl_source(cfg, "dz", timeout=120)
    assert r.stats.get("robotstxt/forbidden", 0) == 1 and r.scraped == 0


def test_all_accounts_invalid_means_login_needed(tmp_path: Path, server: SimServer,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WB_COOKIE_A", "SUB=expired")
    cfg = config(tmp_path, server, wb={"cookie_env": "WB_COOKIE_A"})
    r = crawl_source(cfg, "wb", timeout=120)
    s = state(tmp_path, "wb")
    assert r.status == "stopped" and s.health is SourceHealth.LOGIN_NEEDED and "login" in s.last_error
    assert posts(tmp_path, "weibo") == []


@pytest.mark.parametrize(("mode", "health"), [
    ("captcha", SourceHealth.BLOCKED), ("login_html", SourceHealth.LOGIN_NEEDED), ("login", SourceHealth.LOGIN_NEEDED)])
def test_walls_without_accounts(tmp_path: Path, server: SimServer, mode: str, health: SourceHealth) -> None:
    faults(server, "weibo", [mode], "getIndex")
    r = crawl_source(config(tmp_path, server), "wb", timeout=120)
    assert r.status == "stopped" and state(tmp_path, "wb").health is health


def test_empty_result_is_not_a_block(tmp_path: Path, server: SimServer) -> None:
    faults(server, "weibo", ["empty"], "getIndex")
    r = crawl_source(config(tmp_path, server), "wb", timeout=120)
    assert r.status == "finished" and r.outcomes.get("empty", 0) >= 1
    assert state(tmp_path, "wb").health is SourceHealth.OK


def test_broken_pages_are_retried_then_make_the_crawl_incomplete(tmp_path: Path, server: SimServer) -> None:
    cfg = config(tmp_path, server)
    faults(server, "board", ["502", "broken"], "list")
    r = crawl_source(cfg, "bd", timeout=120)
    assert r.status == "finished" and r.stats["yuqing/retries"] == 2  # two retries, then the page came
    expected = {p.native for p in server.sim.world.visible("board", NOW)}
    assert {p.native_id for p in posts(tmp_path, "board:bd")} == expected
    faults(server, "board", ["502", "502", "502"], "list")
    r2 = crawl_source(cfg, "bd", force=True, timeout=120)
    s = state(tmp_path, "bd")
    assert r2.status == "incomplete" and s.health is SourceHealth.FAILING and s.consecutive_errors == 1
    assert len(posts(tmp_path, "board:bd")) == len(expected)


def test_wechat_verify_is_transient_and_placeholders_are_gone(tmp_path: Path, server: SimServer) -> None:
    cfg = config(tmp_path, server)
    faults(server, "wechat", ["verify"], "/s")
    r = crawl_source(cfg, "wx", timeout=120)
    s = state(tmp_path, "wx")
    assert r.status == "stopped" and s.health is SourceHealth.BLOCKED and "环境异常" in s.last_error
    done = crawl_source(cfg, "wx", force=True, timeout=120)
    s = state(tmp_path, "wx")
    arts = [p for account in ("宝山生活圈", "大场社区通")  # a feed lists an account's newest 20
            for p in [p for p in reversed(server.sim.world.visible("wechat", NOW)) if p.channel == account][:20]]
    ok = {f"{p.native}:{p.idx}" for p in arts if p.status == "ok"}
    assert done.status == "finished"
    assert {p.native_id.split(":", 1)[1] for p in posts(tmp_path, "wechat:*")} == ok
    assert len(s.cursor["gone"]) == len(arts) - len(ok) > 0  # the verify page was never marked gone
    again = crawl_source(cfg, "wx", timeout=120)
    assert again.stats.get("yuqing/requests_skipped_gone", 0) == 0  # skipped before a request is made
    assert again.outcomes.get("gone", 0) == 0


def test_portal_token_rejected_is_login_needed(tmp_path: Path, server: SimServer) -> None:
    faults(server, "portal", ["401"])
    r = crawl_source(config(tmp_path, server), "pt", timeout=120)
    assert r.status == "stopped" and state(tmp_path, "pt").health is SourceHealth.LOGIN_NEEDED


class _Done:
    """A finished process's output, for read_report."""

    def __init__(self, out: bytes) -> None:
        self.out = out
        self.returncode = 0

    def communicate(self, timeout: float | None = None) -> tuple[bytes, bytes]:
        return self.out, b""
