"""Crawl log lines: dropped items by id and reason (never their text or poster); no URL in any line keeps
its userinfo or query values, checked on a real crawl child's log output."""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from scrapy import Request
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse

from core import SHANGHAI, Author, Config, Post
from crawler.logformat import SECRET_KEYS, QuietDropFormatter, UrlMaskFilter, mask_url, mask_urls
from crawler.run import start_crawl
from simulator.scenario import Scenario
from simulator.server import SimServer
from storage.base import PostQuery
from storage.sqlite import SQLiteStore

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=SHANGHAI)


def test_dropped_item_line_has_no_body() -> None:
    post = Post.new("weibo", "1", text="秘密的投诉内容", author=Author(name="张三"),
                    published_at=datetime(2026, 11, 5, tzinfo=UTC))
    entry = QuietDropFormatter().dropped(post, DropItem("duplicate"), None, None)
    line = entry["msg"] % entry["args"]
    assert entry["level"] == logging.INFO
    assert line == f"Dropped {post.id}: duplicate"
    assert "张三" not in line and "秘密" not in line


def test_urls_lose_userinfo_and_query_values() -> None:
    line = "Redirecting (302) to <GET https://u:pw@x.cn:8080/l?token=abc&page=2#f> from <GET http://x/?a=b>)"
    assert mask_urls(line) == "Redirecting (302) to <GET https://x.cn:8080/l?token=***&page=***#f> from <GET http://x/?a=***>)"
    assert mask_url("http://x/a?fid=9&key=k1", SECRET_KEYS) == "http://x/a?fid=9&key=***"
    assert mask_url("http://[::1]:80/a?b") == "http://[::1]:80/a?b=***"
    assert mask_urls("no url here: token=abc") == "no url here: token=abc"


def test_filter_masks_scrapy_records_and_tracebacks() -> None:
    req = Request("https://x.cn/list?token=SECRET1&page=2")
    record = logging.LogRecord("scrapy.downloadermiddlewares.redirect", logging.DEBUG, __file__, 1,
                               "Redirecting (%(reason)s) to %(redirected)s from %(request)s",
                               ({"reason": 302, "redirected": req, "request": req},), None)
    try:
        raise ValueError("fetch failed: http://u:SECRET2@x.cn/?sid=SECRET3")
    except ValueError:
        record.exc_info = sys.exc_info()
    assert UrlMaskFilter().filter(record)
    line = logging.Formatter().format(record)
    assert "SECRET" not in line and "token=***" in line and "ValueError" in line
    crawled = QuietDropFormatter().crawled(req, HtmlResponse(req.url, request=req), None)
    assert "SECRET1" not in crawled["msg"] % crawled["args"]


def test_a_real_crawl_logs_no_token_userinfo_or_proxy_password(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    token = "tok-5ecret-9f3a"
    monkeypatch.setenv("TEST_PORTAL_TOKEN", token)
    with SimServer(Scenario(now=NOW, days=2, rates={"portal": 1.0}, gazetteer="builtin")).start() as srv:
        port = srv.url.rsplit(":", 1)[1]
        cfg = Config.model_validate({
            "data_dir": str(tmp_path), "logging": {"level": "DEBUG"},
            "storage": {"sqlite": {"path": str(tmp_path / "y.db")}},
            "sources": [{"name": "pt", "family": "portal", "delay": 0, "lookback_hours": 48,
                         "base_url": f"http://siteuser:site-pa55@127.0.0.1:{port}/portal",
                         "proxies": [f"http://proxyuser:proxy-pa55@127.0.0.1:{port}"],
                         "options": {"token_env": "TEST_PORTAL_TOKEN", "page_size": 5}}]})
        httpx.post(f"{srv.url}/_sim/faults", json={"family": "portal", "modes": ["redirect", "500"],
                                                    "path": "export"})
        proc = start_crawl(cfg, "pt", stderr=subprocess.PIPE)
        out, err = proc.communicate(timeout=180)
        served = srv.sim.stats["proxied"]
    log_text = err.decode("utf-8", "replace")
    assert "Crawled (200)" in log_text and "Redirecting (302)" in log_text  # Scrapy's own lines are there
    assert "token=***" in log_text and "_moved=***" in log_text
    assert served > 0  # the requests went through the (simulated) proxy
    assert "Remote control HTTP server" not in log_text and "Telnet" not in log_text  # no control port opened
    for secret in (token, "site-pa55", "proxy-pa55", "siteuser", "proxyuser"):
        assert secret not in log_text, secret
        assert secret not in out.decode("utf-8", "replace"), secret
    store = SQLiteStore(tmp_path / "y.db")
    try:
        assert store.get_source_state("pt").health.value == "ok"
        assert any(True for _ in store.iter_posts(PostQuery(limit=10, highlight=False)))
    finally:
        store.close()
