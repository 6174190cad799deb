"""Official accounts in the console: flagged on the sources page and on their posts, and their notices are not in
the review queue of pending complaints."""

from __future__ import annotations

from core import load_config
from crawler.pipelines import mark_official
from tests.web_support import _HASH, NOW, USERS, TestClient, login, make_store, post
from web.app import create_app


def make(tmp_path) -> TestClient:
    config = load_config(None, environ={}, overrides={
        "data_dir": str(tmp_path / "data"), "web.secret_key": "k",
        "web.users": [{**u, "password_hash": _HASH} for u in USERS],
        "sources": [
            {"name": "dachang-fabu", "family": "wechat", "base_url": "http://127.0.0.1:1", "official": True,
             "options": {"account": "大场发布"}},
            {"name": "weibo-search", "family": "weibo", "base_url": "http://127.0.0.1:2"},
        ],
    })
    notice = mark_official(post(1, "关于场中路垃圾清运时间调整的通知：请居民按时投放", source="wechat:大场发布"))
    complaint = post(2, "场中路菜场门口垃圾堆了三天没人管", hours=2)
    store = make_store(tmp_path, [notice, complaint])
    return TestClient(create_app(config, store, clock=lambda: NOW))


def test_sources_page_shows_the_official_flag(tmp_path) -> None:
    client = make(tmp_path)
    login(client, "office")
    html = client.get("/sources").text
    row = html.split('data-source="dachang-fabu"', 1)[1].split("</tr>", 1)[0]
    assert "官方账号" in row
    other = html.split('data-source="weibo-search"', 1)[1].split("</tr>", 1)[0]
    assert "官方账号" not in other


def test_queue_leaves_out_official_notices_and_the_post_shows_its_flag(tmp_path) -> None:
    client = make(tmp_path)
    login(client, "office")
    notice, complaint = post(1, "x", source="wechat:大场发布").id, post(2, "x").id
    queue = client.get("/review").text
    assert f'data-post="{complaint}"' in queue and f'data-post="{notice}"' not in queue
    everything = client.get("/review", params={"kind": "all"}).text
    assert f'data-post="{notice}"' in everything  # still reviewable, with its flag on the card
    card = everything.split(f'id="post-{notice}"', 1)[1].split("</article>", 1)[0]
    assert "官方账号" in card
