"""What a user check of the console found: place boxes that took only ids, English on screen, forms that lost what
was typed, and filters that quietly showed nothing."""

from __future__ import annotations

import re

import pytest

from tests.web_support import _HASH, NOW, USERS, TestClient, login, make_client, make_store, post
from web.filters import UnknownPlace, listed_place

pytest.importorskip("alerts.cases")

FETCH = {"x-requested-with": "fetch"}


@pytest.fixture
def client(tmp_path):
    return make_client(tmp_path, posts=[post(1, "场中路垃圾堆了三天没人管", place="dc-rd-changzhong"),
                                        post(2, "楼道里堆满杂物", place="")])


def store_of(client):
    return client.app.state.console.store


def first_id(client) -> str:
    return post(1, "场中路垃圾堆了三天没人管", place="dc-rd-changzhong").id


# 1. Place boxes take a Chinese name or alias, like the search page's place filter


@pytest.mark.parametrize(("typed", "place_id"), [
    ("沪太路", "dc-rd-hutai"), ("乾溪新村", "dc-xq-qianxi"), ("乾溪", "dc-xq-qianxi"),  # a name, an alias
    ("場中路", "dc-rd-changzhong"), ("dc-rd-hutai", "dc-rd-hutai"),  # traditional characters, an id
])
def test_correcting_a_post_takes_a_place_name_or_alias(client, typed, place_id):
    token = login(client, "office")
    r = client.post(f"/review/{first_id(client)}", data={"csrf": token, "action": "correct", "place": typed},
                    headers=FETCH)
    assert r.status_code == 200 and r.json()["ok"], r.text
    assert store_of(client).get_post(first_id(client)).review.place_ids == [place_id]


def test_opening_a_case_takes_a_place_name(client):
    token = login(client, "office")
    r = client.post(f"/review/{first_id(client)}", data={"csrf": token, "action": "open_case", "place": "沪太路"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    case = store_of(client).get_case(r.headers["location"].rsplit("/", 1)[1])
    assert case.place.id == "dc-rd-hutai"


@pytest.mark.parametrize("action", ["correct", "open_case"])
def test_an_unknown_place_name_says_what_it_may_mean(client, action):
    token = login(client, "office")
    r = client.post(f"/review/{first_id(client)}", data={"csrf": token, "action": action, "place": "大华"},
                    headers=FETCH)
    message = r.json()["message"]
    assert r.status_code == 400 and message.startswith("未知的点位：大华")
    assert "您是不是要找：" in message and "大华路" in message
    assert store_of(client).get_post(first_id(client)).review.status.value == "pending"


def test_the_place_boxes_ask_for_a_name_or_an_id(client):
    login(client, "office")
    for page in (client.get("/review").text, client.get("/subscriptions").text):
        assert "点位名称或编号" in page and "点位编号" not in page.replace("点位名称或编号", "")


class TwoPlaces:
    """A gazetteer where one name belongs to two places."""

    class Place:
        def __init__(self, id: str, name: str) -> None:
            self.id, self.name = id, name

    places = (Place("a-xincun", "新村"), Place("b-xincun", "新村"))

    def get(self, value: str):
        return next((p for p in self.places if p.id == value), None)

    def lookup(self, value: str):
        return [p for p in self.places if p.name == value]


def test_an_ambiguous_place_name_lists_its_places():
    names = {"a-xincun": "新村", "b-xincun": "新村"}
    with pytest.raises(UnknownPlace, match=r"点位「新村」对应多个点位：新村（a-xincun）、新村（b-xincun）"):
        listed_place(TwoPlaces(), names, "新村")
    assert listed_place(TwoPlaces(), names, "b-xincun") == "b-xincun"


def subscriptions_client(tmp_path):
    from core import load_config
    from web.app import create_app

    config = load_config(None, environ={}, overrides={
        "data_dir": str(tmp_path / "data"), "web.users": [{**u, "password_hash": _HASH} for u in USERS],
        "web.secret_key": "k",
        "alerts.channels": [{"type": "webhook", "name": "office-hook", "url": "http://127.0.0.1:9/hook"}],
    })
    return TestClient(create_app(config, make_store(tmp_path, []), clock=lambda: NOW))


def test_subscribing_takes_a_place_name(tmp_path):
    client = subscriptions_client(tmp_path)
    token = login(client, "office")
    r = client.post("/subscriptions", data={"csrf": token, "place": "乾溪新村", "channel": "office-hook"})
    assert r.status_code == 200 and "已添加订阅" in r.text, r.text[-800:]
    (sub,) = client.app.state.console.subscriptions.all("office")
    assert sub.places == ("dc-xq-qianxi",)


def test_a_refused_subscription_keeps_what_was_typed(tmp_path):
    client = subscriptions_client(tmp_path)
    token = login(client, "office")
    r = client.post("/subscriptions", data={"csrf": token, "words": "燃气 坠落", "place": "大华",
                                            "channel": "office-hook"})
    assert r.status_code == 400 and "未知的点位：大华。您是不是要找：" in r.text
    assert 'name="words" value="燃气 坠落"' in r.text and 'value="大华"' in r.text
    assert re.search(r'value="office-hook"\s+checked', r.text)
    assert client.app.state.console.subscriptions.all("office") == []


# 2. 留言类型 on 待审核: the complaint default of 类别 applies only when no message type is chosen


def typed_posts():
    from core.model import MessageType

    return [
        post(1, "场中路垃圾堆了三天没人管", message_type=MessageType.COMPLAINT),
        post(2, "请问场中路垃圾几点清运", complaint=False, sentiment="neutral", message_type=MessageType.INQUIRY),
        post(3, "求助：场中路路灯坏了，晚上很黑", complaint=False, message_type=MessageType.REQUEST),
        post(4, "表扬场中路环卫师傅", complaint=False, sentiment="positive", message_type=MessageType.PRAISE),
    ]


def card_texts(html: str) -> list[str]:
    return re.findall(r'<article class="post.*?</article>', html, re.S)


def test_choosing_a_message_type_on_the_queue_is_not_hidden_by_the_complaint_default(tmp_path):
    client = make_client(tmp_path, posts=typed_posts())
    login(client, "office")
    queue = client.get("/review").text
    assert len(card_texts(queue)) == 1 and "垃圾堆了三天" in queue  # no type: complaints only, as before
    assert '<option value="auto" selected' in queue
    for code, text in (("inquiry", "几点清运"), ("request", "路灯坏了"), ("praise", "环卫师傅")):
        for params in ({"type": code}, {"type": code, "kind": "auto"}):  # a link; the form with 类别 left as is
            (card,) = card_texts(client.get("/review", params=params).text)
            assert text in card
    assert card_texts(client.get("/review", params={"type": "inquiry", "kind": "complaint"}).text) == []  # chosen
    assert len(card_texts(client.get("/review", params={"kind": "auto"}).text)) == 1


# 3. Chinese on screen, where the lower layers say it in English


def test_reporting_rectified_without_a_photo_says_so_in_chinese(client):
    from tests.web_support import DEPARTMENT

    token = login(client, "office")
    r = client.post(f"/review/{first_id(client)}", data={"csrf": token, "action": "open_case"}, follow_redirects=False)
    case_id = r.headers["location"].rsplit("/", 1)[1]
    client.post(f"/cases/{case_id}/transition", data={"csrf": token, "to": "assigned", "department": DEPARTMENT})
    client.cookies.clear()
    token = login(client, "cg")
    client.post(f"/cases/{case_id}/transition", data={"csrf": token, "to": "in_progress"})
    r = client.post(f"/cases/{case_id}/transition", data={"csrf": token, "to": "rectified", "note": "已清理"})
    assert r.status_code == 409 and "报告已整改需上传整改照片并填写整改说明" in r.text
    assert "rectified needs" not in r.text and "已清理" in r.text  # the note typed is kept


def test_a_case_for_a_post_without_a_place_asks_for_one_in_chinese(tmp_path):
    from core import PlaceRef

    placeless = post(3, "楼道里堆满杂物").model_copy(update={"places": [PlaceRef(name="")]})
    client = make_client(tmp_path, posts=[placeless])
    token = login(client, "office")
    r = client.post(f"/review/{placeless.id}", data={"csrf": token, "action": "open_case"}, headers=FETCH)
    message = r.json()["message"]
    assert r.status_code == 400 and "无法确定地点" in message and "点位" in message
    assert "place_id" not in message and "no place" not in message


def test_system_actors_and_channels_are_named_in_chinese(tmp_path):
    from core import load_config
    from web.app import create_app

    config = load_config(None, environ={}, overrides={
        "data_dir": str(tmp_path / "data"), "web.users": [{**u, "password_hash": _HASH} for u in USERS],
        "web.secret_key": "k",
        "alerts.channels": [{"type": "webhook", "name": "tracker", "url": "http://127.0.0.1:9/tickets"}],
    })
    p = post(1, "场中路垃圾堆了三天没人管", place="dc-rd-changzhong")
    client = TestClient(create_app(config, make_store(tmp_path, [p]), clock=lambda: NOW))
    con = client.app.state.console
    case = con.cases.flag([p.id], "system:outbreak", place_id="dc-rd-changzhong")
    con.cases.add_note(case.id, "system:tracker", "已同步")
    token = login(client, "office")
    page = client.get(f"/cases/{case.id}").text
    assert "系统（突增检测）" in page and "系统（案件系统同步）" in page and "system:" not in page
    subs = client.get("/subscriptions").text
    assert re.search(r'value="tracker"\s*>\s*案件系统</label>', subs)
    client.post("/subscriptions", data={"csrf": token, "words": "燃气", "channel": "tracker"})
    assert re.search(r"<td>案件系统</td>", client.get("/subscriptions").text)


def test_department_users_and_unknown_places_are_told_without_config_keys(client):
    login(client, "office")
    page = client.get("/search", params={"place": "不存在"}).text
    assert "不在点位表中" in page and "raw:" not in page
    client.cookies.clear()
    login(client, "cg")
    r = client.get("/search")
    assert r.status_code == 403 and "web.department_search" not in r.text and "联系管理员" in r.text


def test_lower_layer_messages_lose_their_english():
    from web.present import actor_name, zh_message

    assert zh_message("请填写原因 (a note is required)") == "请填写原因"
    assert zh_message("department 无权将案件从「已分派」改为「已核实」 (may not move assigned → verified)") == \
        "职能部门无权将案件从「已分派」改为「已核实」"
    assert zh_message("case c1: too many concurrent changes, try again") == "案件正被他人同时修改，请稍后重试"
    assert actor_name("office") == "office" and actor_name("system:overdue") == "系统（超期督办）"


# 4. Forms that lost what was typed


def test_a_wrong_password_keeps_the_username(client):
    from tests.web_support import login_form

    r = client.post("/login", data=login_form(client, "office", "wrong-password"))
    assert r.status_code == 401 and "用户名或密码错误" in r.text
    assert re.search(r'<input name="username" value="office"', r.text)
    assert "wrong-password" not in r.text
    assert re.search(r'name="password"[^>]*autofocus', r.text)  # the cursor waits in the password box
    r = client.post("/login", data=login_form(client, '<b>"x"</b>', "wrong-password"))
    assert 'value="&lt;b&gt;&#34;x&#34;&lt;/b&gt;"' in r.text  # escaped


def test_a_subscription_without_a_channel_keeps_words_and_places(tmp_path):
    client = subscriptions_client(tmp_path)
    token = login(client, "office")
    r = client.post("/subscriptions", data={"csrf": token, "words": "燃气", "place": "沪太路、乾溪新村"})
    assert r.status_code == 400 and "请选择已配置的推送渠道" in r.text
    assert 'name="words" value="燃气"' in r.text and 'value="沪太路、乾溪新村"' in r.text
    r = client.post("/subscriptions", data={"csrf": token, "words": "燃气", "place": "沪太路、乾溪新村",
                                            "channel": "office-hook"})
    (sub,) = client.app.state.console.subscriptions.all("office")
    assert sub.places == ("dc-rd-hutai", "dc-xq-qianxi")


# 5. Search past the last page, and a reversed date range


def test_a_page_past_the_end_shows_the_last_page_and_says_so(tmp_path):
    client = make_client(tmp_path, page_size=1)
    login(client, "office")
    last = client.get("/search", params={"q": "垃圾"}).text
    pages = int(re.search(r"第 1 / (\d+) 页", last).group(1))
    assert pages > 1
    html = client.get("/search", params={"q": "垃圾", "page": "99"}).text
    assert f"第 99 页超出范围（共 {pages} 页），已显示最后一页" in html
    assert f"第 {pages} / {pages} 页" in html and len(card_texts(html)) == 1
    queue = client.get("/review", params={"page": "50"}).text
    assert "第 50 页超出范围" in queue and len(card_texts(queue)) == 1
    nothing = client.get("/search", params={"q": "没有这个词", "page": "9"}).text
    assert "超出范围" not in nothing  # no results: nothing to say about pages


def test_a_reversed_date_range_is_swapped_and_said(client):
    login(client, "office")
    right = client.get("/search", params={"since": "2026-11-04", "until": "2026-11-06"}).text
    html = client.get("/search", params={"since": "2026-11-06", "until": "2026-11-04"}).text
    assert "起止日期颠倒（自 2026-11-06 至 2026-11-04），已按 2026-11-04 至 2026-11-06 检索" in html
    assert len(card_texts(html)) == len(card_texts(right)) == 2
    assert 'name="since" value="2026-11-04"' in html and 'name="until" value="2026-11-06"' in html


def test_places_typed_for_a_subscription_are_read_whole() -> None:
    """Review R25: place names were cut to a keyword's 20 characters, so a long listed name was unknown."""
    from web.subscriptions import parse_places, parse_words

    long_name = "上海市宝山区大场镇某某某某某某某某某某路与某某某某路路口"
    assert parse_places(f"{long_name}、乾溪新村") == (long_name, "乾溪新村")
    assert parse_words(long_name) == (long_name[:20],)
