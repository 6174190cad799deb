"""The simulator over real HTTP on 127.0.0.1: every family, the control API, faults and the clock."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from core import SHANGHAI
from simulator import board
from simulator.scenario import Scenario, load_scenario
from simulator.server import SimServer
from simulator.world import World

NOW = datetime(2026, 11, 4, 12, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def server() -> Iterator[SimServer]:
    with SimServer(Scenario(now=NOW, gazetteer="builtin")) as s:
        yield s


@pytest.fixture
def http(server: SimServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        client.delete("/_sim/faults")
        yield client


def test_every_family_answers_over_http(http: httpx.Client) -> None:
    r = http.get("/weibo/api/container/getIndex", params={"containerid": "100103type=1&q=垃圾"})
    assert r.json()["ok"] == 1 and r.json()["data"]["cards"][1]["card_group"][0]["card_type"] == 9
    assert http.get("/wechat/feeds/MP_WXS_3209768755.atom").text.startswith("<?xml")
    forum = http.get("/forum/forum.php", params={"mod": "forumdisplay", "fid": 2})
    assert forum.headers["content-type"] == "text/html; charset=gbk" and "大场论坛" in forum.content.decode("gbk")
    param = json.dumps({"fid": 539, "lastItem": "", "rows": 10}, separators=(",", ":"))
    body = {"appCode": board.APP_CODE, "param": param, "signature": board.signature("/v1/threads/list/df", param)}
    assert len(http.post("/board/v1/threads/list/df", json=body).json()["resultData"]["data"]) == 10
    body["signature"] = "0" * 32
    assert http.post("/board/v1/threads/list/df", json=body).json()["resultCode"] == 403
    assert http.get("/portal/api/v1/export/posts").json()["data"]["items"]
    assert "Disallow" in http.get("/robots.txt").text


def test_faults_are_served_once_each_in_order(http: httpx.Client) -> None:
    http.post("/_sim/faults", json={"family": "weibo", "modes": ["418", "432", "captcha", "login_html", "empty"],
                                    "path": "getIndex"})
    params = {"containerid": "100103type=1&q=垃圾"}
    assert http.get("/weibo/statuses/extend", params={"id": "1"}).status_code == 200  # path does not match
    got = [http.get("/weibo/api/container/getIndex", params=params) for _ in range(6)]
    assert [r.status_code for r in got[:2]] == [418, 432]
    assert "captcha" in got[2].json()["url"]
    assert "<title>登录 - 微博</title>" in got[3].text and got[3].status_code == 200
    assert got[4].json() == {"ok": 0, "msg": "这里还没有内容", "data": {"cards": []}}
    assert got[5].json()["ok"] == 1


def test_clock_control_makes_new_posts_visible(http: httpx.Client) -> None:
    before = http.get("/portal/api/v1/export/posts", params={"page_size": 200}).json()["data"]["total"]
    http.post("/_sim/clock", json={"advance": 6 * 3600})
    try:
        after = http.get("/portal/api/v1/export/posts", params={"page_size": 200}).json()["data"]["total"]
        assert after > before
    finally:
        http.post("/_sim/clock", json={"set": NOW.isoformat()})
    assert http.get("/_sim/clock").json()["now"] == NOW.isoformat()


def test_search_page_cap_and_fuzzy_results(http: httpx.Client, server: SimServer) -> None:
    capped = http.get("/weibo/api/container/getIndex", params={"containerid": "100103type=1&q=垃圾", "page": 51})
    assert capped.json()["ok"] == 0
    r = http.get("/weibo/api/container/getIndex", params={"containerid": "100103type=1&q=垃圾分类", "page": 1})
    texts = [c["mblog"]["text"] for c in r.json()["data"]["cards"][1]["card_group"]]
    assert any("垃圾分类" not in t for t in texts)  # fuzzy: the spider must re-filter


def test_wechat_placeholders_and_getmsg_need_a_key(http: httpx.Client) -> None:
    assert http.get("/wechat/mp/profile_ext", params={"action": "getmsg", "__biz": "x"}).json()["ret"] == -3
    r = http.get("/wechat/s", params={"src": "3", "timestamp": "1", "signature": "x"})
    assert r.status_code == 200 and "链接已过期" in r.text


def test_world_is_deterministic_and_plants_the_spike() -> None:
    sc = load_scenario(Path(__file__).resolve().parents[1] / "config" / "demo-scenario.yaml")
    a, b = World(sc), World(sc)
    assert [(p.native, p.text) for p in a.posts["weibo"]] == [(p.native, p.text) for p in b.posts["weibo"]]
    ev = sc.events[0]
    window = [p for fam in a.posts.values() for p in fam
              if p.place and p.place.id == ev.place and p.topic == ev.topic and p.kind == "complaint"]
    inside = [p for p in window if ev.start <= p.at < ev.start + timedelta(hours=ev.hours)]
    assert len(inside) >= ev.rate * ev.hours * 0.9
    assert len(inside) > 5 * (len(window) - len(inside) + 1) / (sc.days * 24 / ev.hours)


def test_near_duplicates_and_reposts_cross_families() -> None:
    w = World(Scenario(gazetteer="builtin"))
    dups = [p for fam in w.posts.values() for p in fam if p.dup_of is not None]
    assert dups and any(w.by_seq[d.dup_of].family != d.family for d in dups)
    assert any(p.kind == "repost" for p in w.posts["weibo"])
