"""The closest thing to a live crawl these machines allow: the real captures of ../shared/reference/pages
served at the paths the real sites use (gzip, chunked, the sites' Date, Set-Cookie and charset headers),
a yuqing.yaml written as a user would write it (only the hosts point here), one `yuqing crawl --all
--once` through the real spiders, and the stored records checked against what the captures say (read
here with plain JSON and regular expressions, not with our parsers).

What the replay does not have answers 404 like a server without the page: Weibo's ``/api/config`` (a hint,
not a gate), the long texts of other statuses, the hi-pda thread pages (their list rows are kept).
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml

from core import SHANGHAI
from simulator import transport
from simulator.http import Response
from tests.conftest import IN_CI
from tests.shared import PAGES

REPO = Path(__file__).resolve().parents[1]
CAPTURES = PAGES  # outside the repository, never copied into it

pytestmark = pytest.mark.slow


def capture(name: str) -> bytes:
    return (CAPTURES / name).read_bytes()


Route = Callable[[str, dict[str, str]], Response | None]


class Site:
    """One real host replayed on 127.0.0.1: ``route(path, query)`` gives the capture (or None: 404); every
    answer goes through the simulator's transport (gzip per Accept-Encoding, chunked) with the site's clock."""

    def __init__(self, family: str, date: str, route: Route) -> None:
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "nginx"
            sys_version = ""

            def do_GET(self) -> None:
                site.requests.append(self.path)
                parts = urlsplit(self.path)
                resp = route(parts.path, dict(parse_qsl(parts.query, keep_blank_values=True)))
                if resp is None:
                    resp = Response(404, b"<html><head><title>404 Not Found</title></head><body><center>"
                                         b"<h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>")
                when = parsedate_to_datetime(date)
                wire = transport.prepare(resp, family, self.headers.get("Accept-Encoding", ""),
                                         set_cookies=transport.cookies(family, when, len(site.requests)))
                self.send_response_only(wire.status)
                self.send_header("Server", "nginx")
                self.send_header("Date", date)
                self.send_header("Connection", "keep-alive")
                for k, v in wire.headers:
                    self.send_header(k, v)
                self.end_headers()
                for chunk in wire.body:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if wire.chunked else chunk)
                if wire.chunked:
                    self.wfile.write(b"0\r\n\r\n")

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# ---- what the captures say (read here, independently of crawler.parsers) ---------------------------------

WEIBO_UID = "6279793937"
WEIBO_NOW = datetime(2021, 6, 17, 17, 0, tzinfo=SHANGHAI)  # the replayed m.weibo.cn's clock
WEIBO_LOOKBACK = 24
WECHAT = {  # the article URLs a user copies from the app (mp.weixin.qq.com), one per capture
    "https://mp.weixin.qq.com/s?__biz=MzIwOTc2ODc1NQ==&mid=2247484727&idx=1":
        "wechat/wechatsogou_article_detail_qqmusic.html",
    "https://mp.weixin.qq.com/s?__biz=MjM5NzE1NTMyNg==&mid=2650934104&idx=1": "wechat/gne_wechat_1.html",
    "https://mp.weixin.qq.com/s/Xq3Ue5RlqNqY4rGk2BzKyA": "wechat/wechatsogou_article_detail_expired.html",
}
HIPDA_NOW = datetime(2017, 5, 4, 16, 0, tzinfo=SHANGHAI)
HIPDA_LOOKBACK = 1


def weibo_cards() -> list[dict[str, Any]]:
    data = json.loads(capture("weibo/nonebot-bison_weibo_ak_list_1.json"))
    return [c["mblog"] for c in data["data"]["cards"] if c.get("card_type") == 9]


def weibo_time(created_at: str) -> datetime:
    return datetime.strptime(created_at, "%a %b %d %H:%M:%S %z %Y")


def squash(text: str) -> str:
    """Whitespace as a browser shows it: runs of spaces and line breaks are one space."""
    return " ".join(text.split())


def plain(fragment: str) -> list[str]:
    """The text runs of an HTML fragment (tags dropped, entities read, the "..." of a cut text dropped, spaces
    squashed), longest first."""
    runs = [squash(html.unescape(r)).removesuffix("...").strip() for r in re.split(r"<[^>]+>", fragment)]
    return sorted((r for r in runs if len(r) >= 8 and "全文" not in r), key=len, reverse=True)


def hipda_rows() -> list[dict[str, Any]]:
    """Every thread row of the hi-pda list: tid, title, author and uid, date, replies, views, last post."""
    page = capture("forum/hipda_HtmlParserThreadsData.html").decode("utf-8")  # labelled GBK, bytes UTF-8
    rows = []
    for m in re.finditer(r'<tbody id="(normal|stick)thread_(\d+)">(.*?)</tbody>', page, re.S):
        body = m.group(3)
        title = re.search(r'<span id="thread_\d+"><a [^>]*>(.*?)</a>', body, re.S).group(1)
        author = re.search(r'<td class="author">\s*<cite>\s*<a href="space.php\?uid=(\d+)">(.*?)</a>\s*</cite>\s*'
                           r'<em>([\d-]+)</em>', body, re.S)
        nums = re.search(r'<strong>(\d+)</strong>/<em>(\d+)</em>', body)
        last = re.search(r'goto=lastpost#lastpost">([\d-]+ [\d:]+)</a>', body).group(1)
        rows.append({"tid": m.group(2), "sticky": m.group(1) == "stick", "title": html.unescape(title),
                     "uid": author.group(1), "author": html.unescape(author.group(2)),
                     "date": datetime.strptime(author.group(3), "%Y-%m-%d").date(),
                     "replies": int(nums.group(1)), "views": int(nums.group(2)),
                     "last": datetime.strptime(last, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)})
    return rows


#: The mcbbs thread, as its page reads (floor authors, uids and times; the header's views and replies).
MCBBS_TID = "1340080"
MCBBS_TITLE = "（已恢复）Mojang Status：服务器出现一些小问题"
MCBBS_FLOORS = [("25820735", "2999647", "DreamVoid", "2022-05-16T19:34:56"),
                ("25822215", "4602348", "躲雨的行人", "2022-05-16T21:55:51"),
                ("25822437", "3290945", "浅海星未眠", "2022-05-16T22:17:01"),
                ("25822849", "4274332", "peterlsl", "2022-05-16T22:48:42")]
MCBBS_VIEWS, MCBBS_REPLIES = 1612, 3


def test_the_mcbbs_constants_are_what_the_page_says() -> None:
    if not CAPTURES.is_dir():
        if IN_CI:
            pytest.fail(f"CI=true and the real captures are missing at {CAPTURES}", pytrace=False)
        pytest.skip(f"real captures not found at {CAPTURES}")
    page = capture("forum/nonebot-bison_mcbbsnews_java_express.html").decode("utf-8")
    assert f'<span id="thread_subject">{MCBBS_TITLE}</span>' in page
    for pid, uid, name, at in MCBBS_FLOORS:
        assert f'id="postmessage_{pid}"' in page and f"uid={uid}" in page and f">{name}</a>" in page
        day, time = at.split("T")
        y, mo, d = day.split("-")
        assert f"发表于 {int(y)}-{int(mo)}-{int(d)} {time}" in page
    assert f'<span class="xi1">{MCBBS_VIEWS}</span>' in page
    assert f'回复:</span> <span class="xi1">{MCBBS_REPLIES}' in page


# ---- the replay ----------------------------------------------------------------------------------------------

def weibo_route(path: str, q: dict[str, str]) -> Response | None:
    json_type = "application/json; charset=utf-8"
    if path == "/api/container/getIndex":
        if "since_id" not in q and q.get("containerid") == f"107603{WEIBO_UID}":
            return Response(200, capture("weibo/nonebot-bison_weibo_ak_list_1.json"), json_type)
        return Response(200, capture("weibo/nonebot-bison_weibo_err_profile.json"), json_type)
    if path == "/statuses/extend" and q.get("id") == "4649031014551911":
        return Response(200, capture("weibo/nonebot-bison_weibo_detail_4649031014551911.json"), json_type)
    return None  # /api/config among others


def wechat_route(path: str, q: dict[str, str]) -> Response | None:
    for url, name in WECHAT.items():
        parts = urlsplit(url)
        if path == parts.path and all(q.get(k) == v for k, v in parse_qsl(parts.query)):
            return Response(200, capture(name), "text/html; charset=UTF-8")
    return None


def hipda_route(path: str, q: dict[str, str]) -> Response | None:
    if path == "/forum/forumdisplay.php" and q.get("fid") == "2" and q.get("page", "1") == "1":
        return Response(200, capture("forum/hipda_HtmlParserThreadsData.html"), "text/html; charset=gbk")
    return None


def mcbbs_route(path: str, q: dict[str, str]) -> Response | None:
    if path == f"/thread-{MCBBS_TID}-1-1.html":
        return Response(200, capture("forum/nonebot-bison_mcbbsnews_java_express.html"),
                        "text/html; charset=utf-8")
    return None


def gmt(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%a, %d %b %Y %H:%M:%S +0800")


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not CAPTURES.is_dir():
        if IN_CI:
            pytest.fail(f"CI=true and the real captures are missing at {CAPTURES}", pytrace=False)
        pytest.skip(f"real captures not found at {CAPTURES}")
    sites = {
        "weibo": Site("weibo", gmt(WEIBO_NOW), weibo_route),
        "wechat": Site("wechat", gmt(datetime(2020, 2, 13, 10, 0, tzinfo=SHANGHAI)), wechat_route),
        "hipda": Site("forum", gmt(HIPDA_NOW), hipda_route),
        "mcbbs": Site("forum", gmt(datetime(2022, 5, 20, 12, 0, tzinfo=SHANGHAI)), mcbbs_route),
    }
    tmp = tmp_path_factory.mktemp("replay")
    here = lambda url: url.replace("https://mp.weixin.qq.com", "")  # noqa: E731 — the one host swap
    config = {  # what a user writes (docs/configuration.md), hosts aside
        "data_dir": "data",
        "sources": [
            {"name": "arknights", "family": "weibo", "base_url": sites["weibo"].url, "delay": 0,
             "lookback_hours": WEIBO_LOOKBACK, "options": {"users": [int(WEIBO_UID)]}},
            {"name": "wx", "family": "wechat", "base_url": sites["wechat"].url, "delay": 0,
             "options": {"urls": [here(u) for u in WECHAT]}},
            {"name": "hipda", "family": "forum", "base_url": sites["hipda"].url + "/forum", "delay": 0,
             "lookback_hours": HIPDA_LOOKBACK,
             "options": {"fids": [2], "list_url": "forumdisplay.php?fid={fid}&page={page}"}},
            {"name": "mcbbs", "family": "forum", "base_url": sites["mcbbs"].url, "delay": 0,
             "lookback_hours": 24 * 7,
             "options": {"threads": [int(MCBBS_TID)], "thread_url": "thread-{tid}-1-1.html", "site": "www.mcbbs.net"}},
        ],
    }
    path = tmp / "yuqing.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        checked = subprocess.run([sys.executable, "-m", "yuqing", "-c", str(path), "config", "check"], cwd=tmp,
                                 capture_output=True, text=True, timeout=120)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        crawl = subprocess.run([sys.executable, "-m", "yuqing", "-c", str(path), "crawl", "--all", "--once",
                                "--json"], cwd=tmp, capture_output=True, text=True, timeout=600)
    finally:
        for site in sites.values():
            site.stop()
    reports = {r["source"]: r for r in map(json.loads, crawl.stdout.splitlines())}
    from storage.base import PostQuery
    from storage.sqlite import SQLiteStore

    db = tmp / "var" / "yuqing.db"  # the default store, beside the config
    assert db.is_file(), f"no store written: {crawl.stdout[-2000:]} {crawl.stderr[-3000:]}"
    store = SQLiteStore(db)
    try:
        posts = list(store.iter_posts(PostQuery(limit=10_000, highlight=False)))
        states = {name: store.get_source_state(name) for name in reports}
    finally:
        store.close()
    yield {"reports": reports, "posts": posts, "states": states, "stderr": crawl.stderr, "sites": sites,
           "returncode": crawl.returncode}


def by_source(replay: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {p.native_id: p for p in replay["posts"] if p.source.startswith(prefix)}


def test_every_source_was_crawled_through_compressed_transport(replay: dict[str, Any]) -> None:
    assert set(replay["reports"]) == {"arknights", "wx", "hipda", "mcbbs"}, replay["stderr"][-3000:]
    for name, report in replay["reports"].items():
        assert report["status"] in ("finished", "incomplete"), (name, report)
        assert report["stats"].get("yuqing/response/ok", 0) >= 1, (name, report)
        assert report["outcomes"].get("broken", 0) == 0, (name, report)  # gzip read, never "invalid JSON"
    assert "Traceback" not in replay["stderr"]


def test_weibo_timeline_without_the_config_probe(replay: dict[str, Any]) -> None:
    weibo = replay["sites"]["weibo"].requests
    assert any(r.startswith("/api/config") for r in weibo)  # asked, answered 404: a hint, not a gate
    assert any(r.startswith("/api/container/getIndex") for r in weibo)
    cutoff = WEIBO_NOW - timedelta(hours=WEIBO_LOOKBACK)
    cards = weibo_cards()
    expected = {m["id"] for m in cards if m.get("isTop") or weibo_time(m["created_at"]) >= cutoff}
    stored = by_source(replay, "weibo")
    assert set(stored) == expected and len(expected) == 4  # the pinned post and three inside the window
    for m in cards:
        if m["id"] not in expected:
            continue
        post = stored[m["id"]]
        assert post.published_at == weibo_time(m["created_at"])
        assert post.author.id == str(m["user"]["id"]) and post.author.name == m["user"]["screen_name"]
        assert "全文" not in post.text
        if m["id"] != "4649031014551911":
            assert (post.metrics.reposts, post.metrics.comments, post.metrics.likes) == \
                (m["reposts_count"], m["comments_count"], m["attitudes_count"])
            assert plain(m["text"])[0] in squash(post.text)


def test_weibo_long_text_merges_text_and_counts(replay: dict[str, Any]) -> None:
    detail = json.loads(capture("weibo/nonebot-bison_weibo_detail_4649031014551911.json"))["data"]
    post = by_source(replay, "weibo")["4649031014551911"]
    for run in plain(detail["longTextContent"])[:5]:
        assert run in squash(post.text)
    assert (post.metrics.reposts, post.metrics.comments, post.metrics.likes) == \
        (detail["reposts_count"], detail["comments_count"], detail["attitudes_count"])
    assert not post.extra.get("truncated")


def test_wechat_articles_and_the_expired_placeholder(replay: dict[str, Any]) -> None:
    stored = {p.native_id: p for p in replay["posts"] if p.source.startswith("wechat")}
    assert set(stored) == {"MzIwOTc2ODc1NQ==:2247484727:1", "MjM5NzE1NTMyNg==:2650934104:1"}
    qq, gne = stored["MzIwOTc2ODc1NQ==:2247484727:1"], stored["MjM5NzE1NTMyNg==:2650934104:1"]
    assert qq.title == "关于音乐" and qq.source == "wechat:闲云野鹤古刹"
    assert qq.published_at == datetime.fromtimestamp(1523110915, SHANGHAI)  # var ct
    assert gne.title == "三星 Galaxy S20 系列手机正式发布" and gne.source == "wechat:爱否科技"
    assert gne.published_at == datetime.fromtimestamp(1581517074, SHANGHAI)  # rendered 「昨天」, ct exact
    assert "Galaxy S20" in gne.text and "\\x26" not in (gne.url or "") + (qq.url or "")
    gone = replay["states"]["wx"].cursor.get("gone", [])
    assert len(gone) == 1 and gone[0].endswith("/s/Xq3Ue5RlqNqY4rGk2BzKyA")


def test_forum_list_rows_are_posts_with_their_counts(replay: dict[str, Any]) -> None:
    cutoff = HIPDA_NOW - timedelta(hours=HIPDA_LOOKBACK)
    rows = [r for r in hipda_rows() if r["last"] >= cutoff]
    assert 3 <= len(rows) < 40
    stored = {p.thread_id: p for p in replay["posts"] if p.source == "forum:hipda"}
    assert set(stored) == {r["tid"] for r in rows}
    for r in rows:
        post = stored[r["tid"]]
        assert post.title == squash(r["title"])
        assert (post.author.id, post.author.name) == (r["uid"], r["author"])
        assert post.published_at.astimezone(SHANGHAI).date() == r["date"]
        assert (post.metrics.comments, post.metrics.reads) == (r["replies"], r["views"])
    report = replay["reports"]["hipda"]
    assert report["status"] == "finished", report  # missing thread pages are per-URL, not a source failure


def test_a_watched_forum_thread(replay: dict[str, Any]) -> None:
    stored = {p.native_id: p for p in replay["posts"] if p.source == "forum:www.mcbbs.net"}
    assert len(stored) == len(MCBBS_FLOORS)
    by_time = sorted(stored.values(), key=lambda p: p.published_at)
    for post, (_pid, uid, name, at) in zip(by_time, MCBBS_FLOORS, strict=True):
        assert (post.author.id, post.author.name) == (uid, name)
        assert post.published_at == datetime.fromisoformat(at).replace(tzinfo=SHANGHAI)
        assert post.thread_id == MCBBS_TID
    first = by_time[0]
    assert first.title == MCBBS_TITLE and (first.metrics.comments, first.metrics.reads) == (MCBBS_REPLIES,
                                                                                            MCBBS_VIEWS)


FUZZED = {"weibo": ["weibo/nonebot-bison_weibo_ak_list_1.json",
                    "weibo/nonebot-bison_weibo_detail_4649031014551911.json",
                    "weibo/nonebot-bison_weibo_err_profile.json"],
          "wechat": ["wechat/wechatsogou_article_detail_qqmusic.html", "wechat/gne_wechat_1.html",
                     "wechat/wechatsogou_article_detail_expired.html"],
          "forum": ["forum/hipda_HtmlParserThreadsData.html", "forum/nonebot-bison_mcbbsnews_java_express.html"]}


def mutate(body: bytes, rng: Any) -> bytes:
    """One damage a transport or a site does: cut short, a flipped byte, a hole, a doubled run, lost quotes."""
    i = rng.randrange(len(body))
    kind = rng.randrange(5)
    if kind == 0:
        return body[:i]
    if kind == 1:
        return body[:i] + bytes([rng.randrange(256)]) + body[i + 1:]
    if kind == 2:
        return body[:i] + body[i + rng.randrange(1, 2000):]
    if kind == 3:
        j = i + rng.randrange(1, 500)
        return body[:i] + body[i:j] * 2 + body[j:]
    return body.replace(b'"', b"", rng.randrange(1, 20))


@pytest.mark.parametrize("family", sorted(FUZZED))
def test_parsers_survive_mutated_real_captures(family: str) -> None:
    """Every mutation parses or is refused with a ParseError (one line): never another exception."""
    import random

    from crawler.parsers import PARSERS
    from crawler.parsers.common import ParseError

    if not CAPTURES.is_dir():
        if IN_CI:
            pytest.fail(f"CI=true and the real captures are missing at {CAPTURES}", pytrace=False)
        pytest.skip(f"real captures not found at {CAPTURES}")
    rng = random.Random(f"fuzz:{family}")
    now = datetime(2021, 6, 17, 17, 0, tzinfo=SHANGHAI)
    refused = 0
    for name in FUZZED[family]:
        body = capture(name)
        for _ in range(40):
            try:
                PARSERS[family](mutate(body, rng), url="https://example.com/s?id=1", now=now)
            except ParseError:
                refused += 1
    assert refused < 40 * len(FUZZED[family])  # most damage still leaves a readable page
