"""Edges found in review: redirects are followed before classification, a 404 on a list page is broken (and its
URL, which may carry a token, is never stored), zone-less RFC 2822 dates are read as Asia/Shanghai."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core import SHANGHAI, Config
from crawler.parsers.common import parse_cn_time
from crawler.run import crawl_source
from simulator.scenario import Scenario
from simulator.server import SimServer
from storage.sqlite import SQLiteStore

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    with SimServer(Scenario(now=NOW, days=2, rates={"portal": 1.0}, gazetteer="builtin")) as s:
        yield s


def _serve(handler: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def _config(tmp: Path, base_url: str, **options: object) -> Config:
    return Config.model_validate({
        "data_dir": str(tmp), "storage": {"sqlite": {"path": str(tmp / "y.db")}},
        "sources": [{"name": "pt", "family": "portal", "base_url": base_url, "delay": 0, "lookback_hours": 48,
                     "options": options}]})


def test_a_redirected_portal_is_followed_not_counted_broken(sim: SimServer, tmp_path: Path) -> None:
    target = sim.base("portal")

    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd, url = _serve(Redirect)
    try:
        report = crawl_source(_config(tmp_path, url), "pt", timeout=120)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert report.status == "finished", report
    assert report.stored > 0


def test_a_404_list_page_is_broken_and_its_url_is_not_stored(tmp_path: Path, monkeypatch) -> None:
    class Gone(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"not found"
            self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    monkeypatch.setenv("PT_TOKEN", "SECRET-TOKEN-123")
    httpd, url = _serve(Gone)
    try:
        report = crawl_source(_config(tmp_path, url, token_env="PT_TOKEN"), "pt", timeout=120)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert report.status != "finished"
    store = SQLiteStore(tmp_path / "y.db")
    state = store.get_source_state("pt")
    store.close()
    assert state is not None and "SECRET-TOKEN-123" not in state.model_dump_json()
    assert state.cursor.get("watermark") is None, "an incomplete crawl does not advance the watermark"


def test_zone_less_rfc2822_dates_are_shanghai_time() -> None:
    dt = parse_cn_time("Thu, 05 Nov 2026 08:00:00 -0000", NOW)
    assert dt.tzinfo is not None and dt == datetime(2026, 11, 5, 8, 0, tzinfo=SHANGHAI)


def test_no_permission_on_one_thread_keeps_a_valid_forum_account(tmp_path: Path, monkeypatch) -> None:
    with SimServer(Scenario(now=NOW, days=2, rates={"forum": 1.0}, gazetteer="builtin")) as forum:
        forum.sim.add_faults("forum", ["noperm"], path="thread-")
        monkeypatch.setenv("DZ_COOKIE", "auth=valid-cookie")
        config = Config.model_validate({
            "data_dir": str(tmp_path), "storage": {"sqlite": {"path": str(tmp_path / "y.db")}},
            "sources": [{"name": "dz", "family": "forum", "base_url": forum.base("forum"), "delay": 0,
                         "lookback_hours": 48, "cookie_env": "DZ_COOKIE", "options": {"fids": [2]}}]})
        report = crawl_source(config, "dz", timeout=120)
    assert report.status == "finished", report
    store = SQLiteStore(tmp_path / "y.db")
    state = store.get_source_state("dz")
    store.close()
    assert state is not None and state.health.value == "ok"
    assert all(a.get("status") == "ok" for a in state.cursor.get("accounts", {}).values())
    assert "login wall" in (state.last_error or "")
