"""The forum spider over HTTP against the simulator (each crawl a child process, into a real SQLiteStore):
list rows become posts completed by their thread pages, a watched thread, a missing thread is one per-URL
error, and a thread page that fails keeps its row until a later crawl reads the page."""

from __future__ import annotations

import gzip
import os
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from core import SHANGHAI, Config
from crawler.run import crawl_source
from simulator.scenario import Scenario
from simulator.server import SimServer
from storage.base import PostQuery
from storage.sqlite import SQLiteStore
from tests.shared import PAGES

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=SHANGHAI)
LOOKBACK = 48


@pytest.fixture()
def server() -> Iterator[SimServer]:
    s = SimServer(Scenario(now=NOW, days=4, rates={"weibo": 0.1, "wechat": 0.1, "forum": 0.6, "board": 0.1,
                                                   "portal": 0.1}, gazetteer="builtin")).start()
    yield s
    s.stop()


def config(tmp: Path, server: SimServer, options: dict[str, Any]) -> Config:
    return Config.model_validate({"data_dir": str(tmp), "storage": {"sqlite": {"path": str(tmp / "y.db")}},
                                  "sources": [{"name": "dz", "family": "forum", "base_url": server.base("forum"),
                                               "delay": 0, "lookback_hours": LOOKBACK, "options": options}]})


def stored(tmp: Path) -> dict[str, Any]:
    store = SQLiteStore(tmp / "y.db")
    try:
        return {p.native_id: p for p in store.iter_posts(PostQuery(limit=10_000, highlight=False))}
    finally:
        store.close()


def active(server: SimServer, fid: str) -> list[tuple[Any, list[Any]]]:
    return [(t, r) for t, r in server.sim.world.threads(fid, NOW)
            if max(p.at for p in [t, *r]) >= NOW - timedelta(hours=LOOKBACK)]


def test_rows_threads_counts_and_a_watched_thread(tmp_path: Path, server: SimServer) -> None:
    rows = active(server, "2")
    old = next(t for t, r in server.sim.world.threads("2", NOW)  # quiet since before the window
               if max(p.at for p in [t, *r]) < NOW - timedelta(hours=LOOKBACK) and int(t.author_id) % 17)
    cfg = config(tmp_path, server, {"fids": [2], "threads": [f"{server.base('forum')}/thread-{old.native}-1-1.html",
                                                               "99999999"]})  # the second thread does not exist
    report = crawl_source(cfg, "dz", timeout=180)
    assert report.status == "finished" and report.health == "ok", report  # a missing thread is not a failure
    posts = stored(tmp_path)
    for t, replies in rows:
        if not int(t.author_id) % 17:  # a banned author's first floor is masked: no post, no row
            assert f"dz:{t.native}" not in posts
            continue
        op = posts[f"dz:{t.native}"]  # the row's post, completed by the thread page
        assert op.title == t.title and op.text == t.text and op.extra["is_op"] and not op.extra["from_list"]
        assert (op.metrics.comments, op.metrics.reads) == (len(replies), t.reads)  # counts from the list row
        assert op.author.name == t.author_name and abs(op.published_at - t.at) < timedelta(minutes=1)
    watched = posts[f"dz:{old.native}"]
    assert watched.extra["watched"] and watched.text == old.text


def test_a_failing_thread_page_keeps_its_row_until_read(tmp_path: Path, server: SimServer) -> None:
    rows = [(t, r) for t, r in active(server, "5") if int(t.author_id) % 17]
    victim = rows[0][0]
    httpx.post(f"{server.url}/_sim/faults", json={"family": "forum", "modes": ["503"] * 3,
                                                  "path": f"thread-{victim.native}-"})
    cfg = config(tmp_path, server, {"fids": [5]})
    first = crawl_source(cfg, "dz", timeout=180)
    assert first.status == "incomplete" and first.stats["yuqing/forum/thread_failed"] == 1, first
    row = stored(tmp_path)[f"dz:{victim.native}"]  # kept from the list: title, author, date, counts
    assert row.extra["from_list"] and row.text == row.title == victim.title
    assert row.metrics.reads == victim.reads and row.author.name == victim.author_name
    assert {f"dz:{t.native}" for t, _ in rows} <= set(stored(tmp_path))
    second = crawl_source(cfg, "dz", timeout=180, force=True)  # the watermark stayed: the page is read again
    assert second.status == "finished", second
    done = stored(tmp_path)[f"dz:{victim.native}"]
    assert not done.extra["from_list"] and done.text == victim.text and done.metrics.reads == victim.reads


# ---- a real Discuz 7.2 list replayed at its real path ------------------------------------------------------------
REAL = PAGES / "forum" / \
    "hipda_HtmlParserThreadsData.html"


class _Replay(BaseHTTPRequestHandler):
    """forumdisplay.php?fid=2 (page 1) as the real capture, gzipped, GBK label and all; everything else 404."""

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        if urlsplit(self.path).path == "/forum/forumdisplay.php" and query.get("page", ["1"]) == ["1"]:
            body, status = gzip.compress(REAL.read_bytes()), 200
        else:
            body, status = b"<html><body>404 Not Found</body></html>", 404
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=gbk" if status == 200 else "text/html")
        if status == 200:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Date", "Thu, 04 May 2017 08:00:00 GMT")  # 16:00 in Shanghai, when the page was saved
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def test_real_list_rows_are_stored_when_thread_pages_and_page_two_are_missing(tmp_path: Path) -> None:
    if not REAL.is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"real capture {REAL} missing")
        pytest.skip("real capture not available")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Replay)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}/forum"
        cfg = Config.model_validate({
            "data_dir": str(tmp_path), "storage": {"sqlite": {"path": str(tmp_path / "y.db")}},
            "sources": [{"name": "hipda", "family": "forum", "base_url": base, "delay": 0, "lookback_hours": 48,
                         "options": {"fids": [2], "list_url": "forumdisplay.php?fid={fid}&page={page}"}}]})
        report = crawl_source(cfg, "hipda", timeout=180)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert report.status == "finished" and report.health == "ok", report  # 404s are per-URL errors
    assert "list page 2" in (report.error or "")
    posts = stored(tmp_path)
    rows = {"hipda:2089308": ("准备开始折腾小米5", "心在飞翔", 23, 637),  # read from the capture
            "hipda:2089878": ("主动辞职不如等着被开？", "Romney", 10, 270),
            "hipda:2089656": ("tplink是不是假货比较多？", "lsxs", 1, 87)}
    for native, (title, author, replies, views) in rows.items():
        p = posts[native]
        assert (p.title, p.author.name, p.metrics.comments, p.metrics.reads) == (title, author, replies, views)
        assert p.extra["from_list"]
    assert "hipda:468328" not in posts  # the sticky thread's last post (2017-03-06) is outside the window
    assert len(posts) == 74 and all(p.extra["from_list"] for p in posts.values())  # every normal row, once
