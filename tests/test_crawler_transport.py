"""Transport as real sites send it: every classification is made on the decoded body (gzip, deflate, br),
through the project's real downloader-middleware chain in its pinned order; strict decoding (a truncated
stream is broken, not a half page; a decompression bomb is refused within DOWNLOAD_MAXSIZE); the simulator
speaks the same transport (content coding per Accept-Encoding, chunked bodies, cookies, Date, login walls)."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import brotli
import httpx
import pytest
from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from core import SHANGHAI, Config
from core.config import SourceConfig
from crawler.context import CrawlContext
from crawler.middlewares import Undecodable, inflate
from crawler.settings import build_settings
from crawler.spiders import SPIDERS
from crawler.spool import Spool
from crawler.state import Tracker
from simulator import discuz, transport, wechat, weibo
from simulator.scenario import Scenario
from simulator.server import SimServer

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
NOW = datetime(2026, 11, 5, 12, 0, tzinfo=SHANGHAI)
CODINGS = {"gzip": lambda b: gzip.compress(b), "deflate": zlib.compress, "br": brotli.compress,
           "raw-deflate": lambda b: zlib.compress(b)[2:-4]}


def chain(family: str, tmp: Path) -> tuple[Any, CrawlContext]:
    """The downloader middlewares of a real crawl of ``family``, in their effective order."""
    src = SourceConfig(name="s", family=family, base_url="http://127.0.0.1:1", options={})
    config = Config.model_validate({"data_dir": str(tmp)})
    crawler = get_crawler(SPIDERS[family], build_settings(config, src))
    ctx = CrawlContext(config=config, source=src, family="forum" if family == "forum" else family,
                       tracker=Tracker("s"), spool=Spool(tmp, "s"))
    crawler.spider = SimpleNamespace(ctx=ctx, name="s", crawler=crawler)
    manager = DownloaderMiddlewareManager.from_crawler(crawler)
    manager._set_compat_spider(crawler.spider)
    return manager, ctx


def respond(manager: Any, url: str, body: bytes, coding: str | None, status: int = 200,
            content_type: bytes = b"text/html; charset=utf-8") -> Response | Request:
    """Run one response up the real chain (downloader side first), as Scrapy does."""
    headers = {b"Content-Type": content_type}
    if coding:
        body = CODINGS[coding](body)
        headers[b"Content-Encoding"] = b"deflate" if coding == "raw-deflate" else coding.encode()
    request = Request(url)
    response: Response | Request = Response(url, status=status, body=body, headers=headers, request=request)
    for method in manager.methods["process_response"]:
        response = manager._handle_mw_method(method, request=request, response=response)
        if isinstance(response, Request):
            break
    return response


#: (family, body, status, outcome, the page's shape)
CASES = [
    ("weibo", (PAGES / "weibo/timeline.json").read_bytes(), 200, "ok"),
    ("weibo", (PAGES / "weibo/empty.json").read_bytes(), 200, "empty"),
    ("weibo", weibo.LOGIN_HTML.encode(), 200, "login"),
    ("weibo", (PAGES / "weibo/captcha.json").read_bytes(), 200, "captcha"),
    ("weibo", b"", 418, "throttled"),
    ("wechat", (PAGES / "wechat/article-current.html").read_bytes(), 200, "ok"),
    ("wechat", wechat.VERIFY_HTML.encode(), 200, "captcha"),
    ("wechat", (PAGES / "wechat/deleted.html").read_bytes(), 200, "gone"),
    ("forum", (PAGES / "forum/viewthread-gbk.html").read_bytes(), 200, "ok"),
    ("forum", discuz.failure("nologin").body, 200, "login"),
    ("forum", discuz.failure("flood").body, 200, "throttled"),
]


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate", "br"])
@pytest.mark.parametrize(("family", "body", "status", "outcome"), CASES,
                         ids=[f"{c[0]}-{c[3]}" for c in CASES])
def test_each_outcome_is_classified_on_the_decoded_body(tmp_path: Path, coding: str, family: str, body: bytes,
                                                         status: int, outcome: str) -> None:
    manager, ctx = chain(family, tmp_path)
    url = "http://127.0.0.1:1/api/container/getIndex?page=1" if family == "weibo" else "http://127.0.0.1:1/p"
    assert len(CODINGS[coding](body)) != len(body) or not body
    try:
        result = respond(manager, url, body, coding, status)
    except IgnoreRequest:  # walls and gone pages are acted on (stop, mark gone); ok and empty pass on
        assert outcome not in ("ok", "empty")
    else:
        assert outcome in ("ok", "empty")
        assert isinstance(result, Response) and result.body == body  # the parser gets the decoded page
    assert dict(ctx.tracker.outcomes) == {outcome: 1}


def test_a_gzipped_gone_thread_is_gone_not_ok(tmp_path: Path) -> None:
    manager, ctx = chain("forum", tmp_path)
    deleted = discuz.message_page("抱歉，指定的主题不存在或已被删除或正在被审核").encode("gbk")
    req = Request("http://127.0.0.1:1/thread-7-1-1.html", meta={"gone_key": "t7"})
    resp = Response(req.url, body=gzip.compress(deleted), headers={b"Content-Encoding": b"gzip"}, request=req)
    with pytest.raises(IgnoreRequest):
        for method in manager.methods["process_response"]:
            resp = manager._handle_mw_method(method, request=req, response=resp)
    assert ctx.tracker.outcomes["gone"] == 1 and ctx.gone == {"t7"}


def test_truncated_or_invalid_streams_are_broken_and_retried_not_read_as_pages(tmp_path: Path) -> None:
    page = (PAGES / "forum/viewthread.html").read_bytes()
    manager, ctx = chain("forum", tmp_path)
    cut = gzip.compress(page)[: len(gzip.compress(page)) // 2]
    retry = respond(manager, "http://127.0.0.1:1/t", cut, None, content_type=b"text/html")
    assert isinstance(retry, Response)  # no Content-Encoding header: nothing to decode
    headers = {b"Content-Encoding": b"gzip", b"Content-Type": b"text/html"}
    for body in (cut, b"not gzip at all"):
        req = Request("http://127.0.0.1:1/t2")
        resp: Any = Response(req.url, body=body, headers=headers, request=req)
        for method in manager.methods["process_response"]:
            resp = manager._handle_mw_method(method, request=req, response=resp)
            if isinstance(resp, Request):
                break
        assert isinstance(resp, Request) and resp.meta["yuqing_retries"] == 1  # retried like a 5xx
    assert ctx.tracker.outcomes["broken"] == 2 and "truncated gzip" in ctx.tracker.errors[0]


def test_a_decompression_bomb_is_refused_within_the_limit_and_counted(tmp_path: Path,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    manager, ctx = chain("weibo", tmp_path)
    bomb = transport.bomb(64)  # 64 MiB of zeros, a few KB on the wire (the simulator's default is 1 GiB)
    assert len(bomb) < 20_000
    req = Request("http://127.0.0.1:1/api/container/getIndex?page=1",
                  meta={"download_maxsize": 8 << 20})
    resp: Any = Response(req.url, body=bomb, headers={b"Content-Encoding": b"deflate, gzip"}, request=req)
    with pytest.raises(IgnoreRequest):
        for method in manager.methods["process_response"]:
            resp = manager._handle_mw_method(method, request=req, response=resp)
    assert ctx.tracker.counters["refused"] == 1 and ctx.tracker.lost == 1  # unseen: the crawl is incomplete
    lines = [r for r in caplog.records if "DOWNLOAD_MAXSIZE" in r.getMessage()]
    assert len(lines) == 1


def test_inflate_reads_concatenated_members_and_raw_deflate() -> None:
    assert inflate(gzip.compress(b"ab") + gzip.compress(b"cd"), 31) == b"abcd"
    assert inflate(zlib.compress(b"x" * 100_000)[2:-4], -15) == b"x" * 100_000
    with pytest.raises(Undecodable):
        inflate(gzip.compress(b"y" * 100_000)[:-30], 31)


def test_accept_encoding_is_negotiated_with_q_values() -> None:
    assert transport.negotiate("gzip, deflate, br, zstd", ["br", "gzip"]) == "br"
    assert transport.negotiate("gzip;q=0, deflate", ["gzip"]) is None
    assert transport.negotiate("*", ["deflate"]) == "deflate"
    assert transport.negotiate("", ["gzip"]) is None


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    with SimServer(Scenario(now=NOW, days=3, rates={"weibo": 1.0, "forum": 0.5, "wechat": 1.5},
                            gazetteer="builtin")) as s:
        yield s


def test_the_simulator_speaks_real_transport(sim: SimServer) -> None:
    url = sim.base("weibo") + "/api/container/getIndex?containerid=100103type%3D1%26q%3D%E5%9E%83%E5%9C%BE"
    with httpx.Client(timeout=10) as http:
        for coding in ("gzip", "br"):
            r = http.get(url, headers={"Accept-Encoding": coding})
            assert r.headers.get("content-encoding") == ("gzip" if coding == "gzip" else None)
        r = http.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert r.headers["content-encoding"] == "gzip" and r.headers["transfer-encoding"] == "chunked"
        assert "content-length" not in r.headers and r.headers["vary"] == "Accept-Encoding"
        assert r.json()["ok"] == 1  # decoded by the client
        assert {c.split("=")[0] for c in r.headers.get_list("set-cookie")} >= {"XSRF-TOKEN", "MLOGIN"}
        assert datetime.strptime(r.headers["date"], "%a, %d %b %Y %H:%M:%S GMT").year == NOW.year
        plain = http.get(url, headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers and int(plain.headers["content-length"]) == len(plain.content)
        assert plain.content == r.content
        forum = http.get(sim.base("forum") + "/forum.php?mod=forumdisplay&fid=2",
                         headers={"Accept-Encoding": "deflate"})
        assert forum.headers.get("content-encoding") is None  # Discuz servers here send gzip or nothing
        forum = http.get(sim.base("forum") + "/forum.php?mod=forumdisplay&fid=2", headers={"Accept-Encoding": "gzip"})
        assert forum.headers["content-encoding"] == "gzip" and "_saltkey=" in forum.headers["set-cookie"]


def test_login_walls_redirect_to_a_wall_page_the_crawler_classifies(sim: SimServer) -> None:
    httpx.post(f"{sim.url}/_sim/faults", json={"family": "weibo", "modes": ["login_redirect"]}).raise_for_status()
    with httpx.Client(timeout=10) as http:
        r = http.get(sim.base("weibo") + "/api/container/getIndex?containerid=1076031234")
        assert r.status_code == 302 and "/passport/signin/login?entry=mweibo&r=http" in r.headers["location"]
        wall = http.get(r.headers["location"])
        assert wall.status_code == 200 and "wbBotDetector" in wall.text


def _wechat_config(tmp: Path, sim: SimServer, db: str) -> Config:
    account = sim.sim.scenario.wechat_accounts[0]
    feed = f"feeds/MP_WXS_{wechat.account_no(sim.sim, account)}.atom"
    return Config.model_validate({
        "data_dir": str(tmp), "storage": {"sqlite": {"path": str(tmp / db)}},
        "sources": [{"name": "wx", "family": "wechat", "base_url": sim.base("wechat"), "delay": 0,
                     "lookback_hours": 72, "options": {"feeds": [feed]}}]})


def _stored(path: Path) -> dict[str, Any]:
    from storage.base import PostQuery
    from storage.sqlite import SQLiteStore

    store = SQLiteStore(path)
    try:
        return {p.native_id: p for p in store.iter_posts(PostQuery(limit=10_000, highlight=False))}
    finally:
        store.close()


@pytest.mark.slow
def test_hostile_transport_is_refused_or_read_within_limits_one_line_each(tmp_path: Path, sim: SimServer) -> None:
    """A bomb and an endless body are refused at DOWNLOAD_MAXSIZE (one line each, the crawl is incomplete so
    the window is read again); truncated gzip is retried; a wrong charset label is read right; every other
    article is stored exactly as in a clean crawl."""
    from crawler.run import crawl_source, read_report, start_crawl

    sim.sim.clear_faults()
    clean = crawl_source(_wechat_config(tmp_path, sim, "clean.db"), "wx", timeout=180)
    reference = _stored(tmp_path / "clean.db")
    assert clean.status == "finished" and len(reference) >= 4
    account = sim.sim.scenario.wechat_accounts[0]
    articles = [p for p in sim.sim.world.visible("wechat", NOW) if p.channel == account and p.status == "ok"]
    by_native = {f"{p.native}:{p.idx}": p for p in articles}
    natives = sorted(k for k in reference if k.split(":", 1)[1] in by_native)[:4]
    assert len(natives) == 4
    modes = ["bomb", "endless", "truncated", "charset"]
    for native, mode in zip(natives, modes, strict=True):
        sim.sim.add_faults("wechat", [mode], f"/s/{wechat.token(by_native[native.split(':', 1)[1]])}")
    log = tmp_path / "crawl.log"
    with log.open("wb") as err:
        report = read_report("wx", start_crawl(_wechat_config(tmp_path, sim, "hostile.db"), "wx", stderr=err), 300)
    got = _stored(tmp_path / "hostile.db")
    refused = set(natives[:2])
    assert set(got) == set(reference) - refused  # nothing else lost, nothing doubled
    for native in natives[2:]:  # the truncated stream was fetched again; the mislabelled page read right
        assert got[native].text == reference[native].text and got[native].title == reference[native].title
    assert report.status == "incomplete" and report.outcomes["broken"] == 3  # 2 refused, 1 truncated once
    assert report.stats["yuqing/refused/too_large"] == 2 and report.stats["yuqing/undecodable"] == 1
    lines = log.read_text("utf-8", "replace").splitlines()
    size_lines = [ln for ln in lines if "WARNING" in ln and ("max size" in ln or "DOWNLOAD_MAXSIZE" in ln)]
    assert len(size_lines) == 2, size_lines
    assert not [ln for ln in lines if ln.startswith("Traceback")]
    assert sum("truncated gzip" in ln for ln in lines) == 1


@pytest.mark.slow
def test_a_redirect_through_the_login_wall_stops_the_crawl_as_login_needed(tmp_path: Path, sim: SimServer) -> None:
    """m.weibo.cn sends a logged-out client through a 302 to passport's sign-in page: the redirect is followed,
    the (gzipped) wall page is classified as a login wall, the source needs a new cookie — not "ok"."""
    from crawler.run import crawl_source

    sim.sim.clear_faults()
    sim.sim.add_faults("weibo", ["login_redirect"], "getIndex")
    cfg = Config.model_validate({
        "data_dir": str(tmp_path), "storage": {"sqlite": {"path": str(tmp_path / "y.db")}},
        "sources": [{"name": "wb", "family": "weibo", "base_url": sim.base("weibo"), "delay": 0,
                     "lookback_hours": 24, "options": {"users": [5600000000]}}]})
    report = crawl_source(cfg, "wb", timeout=180)
    assert report.status == "stopped" and report.outcomes.get("login") == 1, report
    assert report.health == "login_needed" and "login" in (report.error or "")
    assert report.stats.get("httpcompression/response_count", 0) >= 1  # the wall page came gzipped
