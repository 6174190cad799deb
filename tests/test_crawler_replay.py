"""The closest thing to a live crawl these machines allow: the real captures of ../shared/reference/pages
served at the paths the real sites use (gzip, chunked, the sites' Date, Set-Cookie and charset headers),
a yuqing.yaml written as a user would write it (only the hosts point here), one `yuqing crawl --all
--once` through the real spiders, and the stored records checked against what the captures say (read
here with plain JSON and regular expressions, not with our parsers).

What the replay does not have answers 404 like a server without the page: Weibo's ``/api/config`` (a hint,
not a gate), the long texts of other statuses, the hi-pda thread pages (their list rows are kept).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import yaml

from core import SHANGHAI
from tests.real_captures import (
    HIPDA_LOOKBACK,
    HIPDA_NOW,
    MCBBS_FLOORS,
    MCBBS_REPLIES,
    MCBBS_TID,
    MCBBS_TITLE,
    MCBBS_VIEWS,
    WECHAT,
    WEIBO_LOOKBACK,
    WEIBO_NOW,
    WEIBO_UID,
    capture,
    hipda_rows,
    need_captures,
    plain,
    squash,
    weibo_cards,
    weibo_time,
)
from tests.replay_sites import Site, gmt, hipda_route, mcbbs_route, wechat_route, weibo_route

pytestmark = pytest.mark.slow


def test_the_mcbbs_constants_are_what_the_page_says() -> None:
    need_captures()
    page = capture("forum/nonebot-bison_mcbbsnews_java_express.html").decode("utf-8")
    assert f'<span id="thread_subject">{MCBBS_TITLE}</span>' in page
    for pid, uid, name, at in MCBBS_FLOORS:
        assert f'id="postmessage_{pid}"' in page and f"uid={uid}" in page and f">{name}</a>" in page
        day, time = at.split("T")
        y, mo, d = day.split("-")
        assert f"发表于 {int(y)}-{int(mo)}-{int(d)} {time}" in page
    assert f'<span class="xi1">{MCBBS_VIEWS}</span>' in page
    assert f'回复:</span> <span class="xi1">{MCBBS_REPLIES}' in page


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    need_captures()
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
