"""The Weibo spider over HTTP against the simulator (each crawl a child process, into a real SQLiteStore):
the /api/config probe is a hint (a failed probe does not empty the source), container ids, watched statuses,
and the weibo.com ajax API as a second member of the family."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core import SHANGHAI, Config
from crawler.run import crawl_source
from simulator.scenario import Scenario
from simulator.server import SimServer
from simulator.weibo_shapes import bid
from storage.base import PostQuery
from storage.sqlite import SQLiteStore

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=SHANGHAI)
LOOKBACK = 24


@pytest.fixture(scope="module")
def server() -> Iterator[SimServer]:
    s = SimServer(Scenario(now=NOW, days=4, rates={"weibo": 1.5, "wechat": 0.1, "forum": 0.1, "board": 0.1,
                                                   "portal": 0.1}, gazetteer="builtin")).start()
    yield s
    s.stop()


def crawl(tmp: Path, server: SimServer, options: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    cfg = Config.model_validate({"data_dir": str(tmp), "storage": {"sqlite": {"path": str(tmp / "y.db")}},
                                 "sources": [{"name": "wb", "family": "weibo", "base_url": server.base("weibo"),
                                              "delay": 0, "lookback_hours": LOOKBACK, "options": options}]})
    report = crawl_source(cfg, "wb", timeout=180)
    store = SQLiteStore(tmp / "y.db")
    try:
        posts = {p.native_id: p for p in store.iter_posts(PostQuery(limit=10_000, highlight=False))}
    finally:
        store.close()
    return report, posts


def channels(server: SimServer) -> list[str]:
    """Weibo accounts with posts inside the window, busiest first."""
    counts: dict[str, int] = {}
    for p in server.sim.world.visible("weibo", NOW):
        if p.at >= NOW - timedelta(hours=LOOKBACK) and p.channel.isdigit():
            counts[p.channel] = counts.get(p.channel, 0) + 1
    return sorted(counts, key=lambda c: -counts[c])


def in_window(server: SimServer, channel: str) -> set[str]:
    return {p.native for p in server.sim.world.visible("weibo", NOW)
            if p.channel == channel and p.at >= NOW - timedelta(hours=LOOKBACK)}


def old_long_post(server: SimServer) -> Any:
    return next(p for p in server.sim.world.visible("weibo", NOW)
                if p.long and p.at < NOW - timedelta(hours=2 * LOOKBACK) and p.parent is None)


def test_failed_probe_is_a_hint_containers_and_watched_statuses(tmp_path: Path, server: SimServer) -> None:
    user, other = channels(server)[:2]
    watched = old_long_post(server)
    server.sim.add_faults("weibo", ["error_html"], path="/api/config")  # the probe fails (HTML error page)
    report, posts = crawl(tmp_path, server, {
        "users": [int(user)], "containers": [f"107603{other}"],
        "statuses": [f"https://m.weibo.cn/status/{bid(watched.native)}", "1"]})  # a bid in a URL; one missing
    assert report.status == "finished" and report.health == "ok", report
    assert report.stats["yuqing/weibo/probe_failed"]  # said once, the crawl went on
    got = set(posts)
    assert in_window(server, user) <= got and in_window(server, other) <= got  # timelines without the probe
    w = posts[watched.native]  # a watched status older than the window, its long text merged
    assert w.extra["watched"] and not w.extra.get("truncated")
    assert watched.text[-20:] in w.text.replace("\n", "")  # the end of the full text, not the cut one
    assert (w.metrics.comments, w.metrics.likes) == (watched.comments, watched.likes)
    assert not any(p.text.endswith(("全文", "...")) for p in posts.values())
    assert not any(p.extra.get("truncated") for p in posts.values())


def test_desktop_ajax_api_reads_timelines_statuses_and_long_text(tmp_path: Path, server: SimServer) -> None:
    user = channels(server)[0]
    watched = old_long_post(server)
    report, posts = crawl(tmp_path, server, {"api": "desktop", "users": [user], "statuses": [bid(watched.native)]})
    assert report.status == "finished" and report.health == "ok", report
    assert in_window(server, user) | {watched.native} <= set(posts)
    sim = {p.native: p for p in server.sim.world.visible("weibo", NOW)}
    for mid, post in posts.items():
        assert post.text == sim[mid].text  # long texts completed (ajax/statuses/longtext), no "展开"
        assert post.url and post.url.endswith(f"/{bid(mid)}") and post.author.id
    assert any(sim[mid].long for mid in posts)


def test_desktop_comments_come_from_build_comments(tmp_path: Path, server: SimServer) -> None:
    user, target = next((c, p) for c in channels(server) for p in server.sim.world.visible("weibo", NOW)
                        if p.native in in_window(server, c) and p.comments and p.at < NOW - timedelta(hours=10))
    report, posts = crawl(tmp_path, server, {"api": "desktop", "users": [user], "comments": True,
                                             "watch": [target.text[:6]]})  # comments of posts with watched words
    assert report.status == "finished" and report.health == "ok", report
    comments = [p for p in posts.values() if p.parent_id]
    assert comments and all(p.text and p.published_at for p in comments)
    assert {p.parent_id for p in comments} <= {p.id for p in posts.values()}
