"""Keyword alerts: a reviewer subscribes in the console; matching posts reach a real local WeCom robot once."""

from __future__ import annotations

import json

from alerts.delivery import Deliverer
from core import load_config
from storage.sqlite import SQLiteStore
from tests.alerts_support import Receiver, wecom_robot
from tests.web_support import _HASH, NOW, USERS, TestClient, csrf_of, login, post
from web.app import create_app
from web.subscriptions import Subscription, parse_words


def app_with_robot(tmp_path, robot_url: str, posts):
    config = load_config(None, environ={}, overrides={
        "data_dir": str(tmp_path / "data"), "web.users": [{**u, "password_hash": _HASH} for u in USERS],
        "web.secret_key": "k", "alerts.console_url": "http://console.local:8800",
        "alerts.channels": [{"type": "wecom", "name": "wecom-office", "url": f"{robot_url}/cgi-bin/webhook/send",
                             "key": "robot-key", "quiet_hours": False}],
    })
    store = SQLiteStore(tmp_path / "y.db")
    store.upsert_posts(posts, refresh=True)
    return create_app(config, store, clock=lambda: NOW), config, store


def test_words_and_places_match_text_and_labels():
    sub = Subscription("s1", "office", parse_words("燃气，坠落 大华小学"), ("qilianshanlu",), ("c",), "")
    assert sub.words == ("燃气", "坠落", "大华小学")
    assert sub.matches(post(1, "楼道里一股燃气味")) == ["燃气"]
    assert sub.matches(post(2, "店招松动", place="qilianshanlu")) == ["qilianshanlu"]
    assert sub.matches(post(3, "场中路垃圾")) == []


def test_subscribe_check_and_deliver_once_per_cluster(tmp_path):
    posts = [
        post(1, "大华一村楼道里一股燃气味，很危险", cluster_id="gas"),
        post(2, "大华一村楼道燃气味！！", cluster_id="gas", source="wechat:dachang"),  # the same cluster
        post(3, "场中路垃圾没人管"),
    ]
    with Receiver(wecom_robot("robot-key")) as rx:
        app, config, store = app_with_robot(tmp_path, rx.url, posts)
        client = TestClient(app)
        token = login(client, "office")
        page = client.get("/subscriptions").text
        assert 'value="wecom-office"' in page
        r = client.post("/subscriptions", data={"csrf": csrf_of(page), "words": "燃气 坠落",
                                                "channel": "wecom-office"})
        assert r.status_code == 200 and "已添加订阅" in r.text and "燃气、坠落" in r.text
        r = client.post("/subscriptions/check", data={"csrf": token})
        assert "新排队推送 1 条" in r.text  # two posts, one cluster
        r = client.post("/subscriptions/check", data={"csrf": token})
        assert "新排队推送 0 条" in r.text  # nothing twice
        report = Deliverer(store, config).drain()
        assert report.sent == 1
    (req,) = rx.requests
    doc = json.loads(req["body"])
    text = doc["markdown"]["content"]
    assert "【关键词提醒】燃气" in text and "燃气味" in text and "http://console.local:8800/posts/" in text


def test_bad_subscriptions_are_refused(tmp_path):
    with Receiver(wecom_robot("robot-key")) as rx:
        app, _, _ = app_with_robot(tmp_path, rx.url, [])
        client = TestClient(app)
        token = login(client, "office")
        for data, message in (({"words": "", "channel": "wecom-office"}, "请填写关键词"),
                              ({"words": "燃气", "channel": "nope"}, "推送渠道"),
                              ({"words": "燃气", "place": "<b>x</b>", "channel": "wecom-office"}, "未知的点位")):
            r = client.post("/subscriptions", data={"csrf": token, **data})
            assert r.status_code == 400 and message in r.text
        client.cookies.clear()
        login(client, "cg")
        assert client.get("/subscriptions").status_code == 403


def test_the_daemons_job_reads_the_consoles_subscriptions(tmp_path):
    from web.subscriptions import keyword_job

    with Receiver(wecom_robot("robot-key")) as rx:
        app, config, store = app_with_robot(tmp_path, rx.url, [post(1, "学校门口燃气管道漏气")])
        con = app.state.console
        con.subscriptions.add("office", ("燃气",), (), ("wecom-office",), con.now())
        assert keyword_job(store, config, con.now()) == 1
        assert keyword_job(store, config, con.now()) == 0
