"""The review queue for a busy week: one card per near-duplicate cluster, actions that answer the page's script
(JSON) or a plain form (redirect with a message), and undo."""

from __future__ import annotations

import re

from core import Metrics, ReviewStatus
from tests.web_support import login, make_client, post

FETCH = {"X-Requested-With": "fetch"}


def busy_posts():
    return [
        post(1, "场中路菜场门口垃圾堆了三天没人管", cluster_id="k1", metrics=Metrics(reposts=12, comments=5, likes=40)),
        post(2, "场中路菜场门口垃圾堆了三天没人管！！", cluster_id="k1", source="wechat:dachang", hours=5),
        post(3, "场中路菜场门口垃圾三天没人管了", cluster_id="k1", source="forum:baoshan", hours=9),
        post(4, "祁连山路店招松动", topic="shop_signs", place="qilianshanlu", place_name="祁连山路"),
    ]


def queue_ids(client) -> list[str]:
    return re.findall(r'<article class="post[^"]*" id="post-([0-9a-f]+)"', client.get("/review").text)


def test_one_card_per_cluster_with_count_sources_and_engagement(tmp_path):
    posts = busy_posts()
    client = make_client(tmp_path, posts=posts)
    login(client, "office")
    page = client.get("/review").text
    assert len(queue_ids(client)) == 2  # three near-duplicates are one card
    assert "相似 3 条" in page and "展开全部 3 条" in page
    assert "微博" in page and "微信公众号 · dachang" in page and "论坛 · baoshan" in page
    assert "转发 12" in page and "评论 5" in page and "点赞 40" in page
    assert f'value="{posts[0].id},{posts[1].id},{posts[2].id}"' in page


def test_a_cluster_card_acts_on_every_member_and_undo_puts_them_back(tmp_path):
    posts = busy_posts()
    client = make_client(tmp_path, posts=posts)
    token = login(client, "office")
    store = client.app.state.console.store
    ids = ",".join(p.id for p in posts[:3])
    r = client.post("/review", data={"csrf": token, "action": "dismiss", "post_id": ids}, headers=FETCH)
    body = r.json()
    assert r.status_code == 200 and body["ok"] and body["message"] == "已排除 3 条" and body["undo"]
    assert sorted(body["posts"]) == sorted(p.id for p in posts[:3])
    assert {store.get_post(p.id).review.status for p in posts[:3]} == {ReviewStatus.DISMISSED}
    assert queue_ids(client) == [posts[3].id]
    r = client.post("/review/undo", data={"csrf": token, "token": body["undo"]}, headers=FETCH)
    assert r.json()["ok"] and r.json()["message"] == "已撤销，3 条恢复原状"
    assert {store.get_post(p.id).review.status for p in posts[:3]} == {ReviewStatus.PENDING}
    assert len(queue_ids(client)) == 2
    # an undo works once
    r = client.post("/review/undo", data={"csrf": token, "token": body["undo"]}, headers=FETCH)
    assert r.status_code == 409 and not r.json()["ok"]


def test_without_script_the_redirect_says_what_happened_and_offers_undo(tmp_path):
    posts = busy_posts()
    client = make_client(tmp_path, posts=posts)
    token = login(client, "office")
    r = client.post("/review", data={"csrf": token, "action": "confirm", "post_id": posts[3].id,
                                     "next": "/review?topic=shop_signs"})
    assert r.status_code == 200 and "已确认 1 条" in r.text and 'action="/review/undo"' in r.text
    undo_token = re.search(r'name="token" value="([^"]+)"', r.text).group(1)
    r = client.post("/review/undo", data={"csrf": token, "token": undo_token, "next": "/review"})
    assert r.status_code == 200 and "已撤销，1 条恢复原状" in r.text
    assert posts[3].id in queue_ids(client)


def test_undo_is_the_actors_own_and_never_overwrites_a_later_review(tmp_path):
    posts = busy_posts()
    client = make_client(tmp_path, posts=posts)
    token = login(client, "office")
    body = client.post("/review", data={"csrf": token, "action": "dismiss", "post_id": posts[3].id},
                       headers=FETCH).json()
    client.cookies.clear()
    admin = login(client, "admin")
    r = client.post("/review/undo", data={"csrf": admin, "token": body["undo"]}, headers=FETCH)
    assert r.status_code == 409  # not admin's action
    client.post("/review", data={"csrf": admin, "action": "confirm", "post_id": posts[3].id}, headers=FETCH)
    client.cookies.clear()
    token = login(client, "office")
    r = client.post("/review/undo", data={"csrf": token, "token": body["undo"]}, headers=FETCH)
    assert r.json()["message"] == "已撤销，0 条恢复原状；1 条此后已被他人审核，保留其结果"
    assert client.app.state.console.store.get_post(posts[3].id).review.status is ReviewStatus.CONFIRMED


def test_an_action_never_overwrites_a_review_written_after_the_page_was_read(tmp_path, monkeypatch):
    """The action writes over the review it read (compare-and-set): a verdict written in between is kept, and the
    reviewer is told, by the script and after a plain form's redirect alike."""
    posts = busy_posts()
    client = make_client(tmp_path, posts=posts)
    store = client.app.state.console.store
    admin = login(client, "admin")
    client.post("/review", data={"csrf": admin, "action": "confirm", "post_id": posts[3].id}, headers=FETCH)
    client.cookies.clear()
    stale = {p.id: p for p in posts}  # what a reviewer read before admin's verdict
    monkeypatch.setattr(store, "get_posts", lambda ids: [stale[i] for i in ids if i in stale])
    token = login(client, "office")
    body = client.post("/review", data={"csrf": token, "action": "dismiss", "post_id": posts[3].id},
                       headers=FETCH).json()
    assert body["message"] == "已排除 0 条；1 条刚被他人审核，未覆盖，请刷新查看"
    assert body["posts"] == [] and body["undo"] is None  # nothing written, nothing to undo
    r = client.post("/review", data={"csrf": token, "action": "dismiss", "post_id": posts[3].id, "next": "/review"})
    assert r.status_code == 200 and "已排除 0 条；1 条刚被他人审核，未覆盖，请刷新查看" in r.text
    assert 'action="/review/undo"' not in r.text
    assert store.get_post(posts[3].id).review.status is ReviewStatus.CONFIRMED


def test_script_errors_come_back_as_json(tmp_path):
    client = make_client(tmp_path, posts=busy_posts())
    token = login(client, "office")
    r = client.post("/review", data={"csrf": token, "action": "confirm"}, headers=FETCH)
    assert r.status_code == 400 and r.json() == {"ok": False, "message": "请先选择帖子"}
    r = client.post("/review", data={"csrf": token, "action": "open_case", "post_id": busy_posts()[3].id,
                                     "topic": "nope"}, headers=FETCH)
    assert r.status_code == 400 and "未知的主题" in r.json()["message"]
