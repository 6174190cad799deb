"""What a second user check of the console found: a case quietly taking one of several places, a 并入案件 box
pre-set to another place's case, and place lists that offered ids and a flat jumble of areas."""

from __future__ import annotations

import re

import pytest

from tests.web_support import login, make_client, post

pytest.importorskip("alerts.cases")

FETCH = {"x-requested-with": "fetch"}
FOOD = "food_hygiene"


def food_posts():
    return [
        post(1, "西弥浦边小吃店后厨很脏", topic=FOOD, place="dc-rv-ximipu", place_name="西弥浦"),
        post(2, "西弥浦附近小吃店吃坏肚子", topic=FOOD, place="dc-rv-ximipu", place_name="西弥浦", hours=2),
        post(3, "大华二村菜场生鲜摊苍蝇多", topic=FOOD, place="dc-xq-dahua2", place_name="大华二村", hours=3),
        post(4, "南大路早餐店卫生差", topic=FOOD, place="dc-rd-nanda", place_name="南大路", hours=4),
    ]


def store_of(client):
    return client.app.state.console.store


def cases_of(client) -> list:
    from storage import CaseQuery

    return store_of(client).list_cases(CaseQuery(limit=50)).items


# 1. A case for posts that name different places: the reviewer sees the places and picks one


def test_ticked_posts_at_different_places_ask_for_the_case_place_first(tmp_path):
    client = make_client(tmp_path, posts=food_posts())
    token = login(client, "office")
    ids = [p.id for p in food_posts()]
    form = {"csrf": token, "action": "open_case", "post_id": ids, "next": "/review"}
    r = client.post("/review", data=form, headers=FETCH)
    assert r.status_code == 409 and r.json()["choose_place"], r.text
    message = r.json()["message"]
    assert "所选 4 条帖子涉及不同点位：西弥浦 2 条、大华二村 1 条、南大路 1 条" in message
    assert "请选择案件的点位" in message and "默认为提及最多的「西弥浦」" in message
    assert cases_of(client) == []  # nothing created unseen

    page = client.post("/review", data=form)  # without the script: a page to pick the place on
    assert page.status_code == 200 and "选择案件点位" in page.text
    radios = re.findall(r'<input type="radio" name="place" value="([^"]+)"\s*(checked)?>\s*([^<]+)<', page.text)
    assert [(v, c, t.strip()) for v, c, t in radios] == [
        ("dc-rv-ximipu", "checked", "西弥浦（2 条）"), ("dc-xq-dahua2", "", "大华二村（1 条）"),
        ("dc-rd-nanda", "", "南大路（1 条）")]
    assert cases_of(client) == []

    r = client.post("/review", data={**form, "place": "dc-xq-dahua2"}, follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    (case,) = cases_of(client)
    assert case.place.id == "dc-xq-dahua2" and case.title == "大华二村食品卫生问题"
    assert sorted(case.evidence) == sorted(ids)


def test_a_place_typed_for_the_case_or_one_shared_place_needs_no_question(tmp_path):
    client = make_client(tmp_path, posts=food_posts())
    token = login(client, "office")
    ids = [p.id for p in food_posts()]
    r = client.post("/review", data={"csrf": token, "action": "open_case", "post_id": ids, "place": "南大路"},
                    headers=FETCH)
    assert r.status_code == 200 and r.json()["ok"], r.text
    assert [c.place.id for c in cases_of(client)] == ["dc-rd-nanda"]
    r = client.post("/review", data={"csrf": token, "action": "open_case", "post_id": ids[:2]}, headers=FETCH)
    assert r.status_code == 200 and "西弥浦食品卫生问题" in r.json()["message"], r.text


def test_the_attach_box_preselects_only_a_case_of_the_posts_place_and_topic(tmp_path):
    posts = [post(1, "乾溪新村垃圾乱堆", place="dc-xq-qianxi", place_name="乾溪新村"),
             post(2, "沪太路垃圾没人扫", place="dc-rd-hutai", place_name="沪太路", hours=2),
             post(3, "乾溪新村又堆垃圾了", place="dc-xq-qianxi", place_name="乾溪新村", hours=3)]
    client = make_client(tmp_path, posts=posts)
    token = login(client, "office")
    r = client.post(f"/review/{posts[0].id}", data={"csrf": token, "action": "open_case"}, follow_redirects=False)
    case_id = r.headers["location"].rsplit("/", 1)[1]
    queue = client.get("/review").text
    hutai = re.search(r'id="post-' + posts[1].id + r'".*?</article>', queue, re.S).group(0)
    qianxi = re.search(r'id="post-' + posts[2].id + r'".*?</article>', queue, re.S).group(0)
    assert '<option value="" selected>请选择案件</option>' in hutai
    assert not re.search(r'value="' + case_id + r'"\s+selected', hutai)
    assert re.search(r'value="' + case_id + r'"\s+selected>乾溪新村市容环境问题', qianxi)
    r = client.post(f"/review/{posts[1].id}", data={"csrf": token, "action": "attach", "case_id": ""},
                    headers=FETCH)
    assert r.status_code == 400 and r.json()["message"] == "请选择要并入的案件"


# 2. Place lists: names to type, the town's own places first by kind, other areas last


def datalist(html: str, list_id: str) -> list[tuple[str, str]]:
    body = re.search(rf'<datalist id="{list_id}">(.*?)</datalist>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)">([^<]*)</option>', body)


def test_the_place_boxes_suggest_names_that_the_forms_read_back(tmp_path):
    from web.filters import listed_place

    client = make_client(tmp_path, posts=food_posts())
    login(client, "office")
    con = client.app.state.console
    for page in ("/review", f"/posts/{food_posts()[0].id}", "/subscriptions"):
        options = datalist(client.get(page).text, "place-list")
        values = [v for v, _ in options]
        assert ("沪太路", "道路") in options and ("乾溪新村", "小区") in options, page
        assert not [v for v in values if v.startswith("dc-")], page  # no internal ids in the boxes
        assert len(values) == len(con.place_names)
    assert all(listed_place(con.gazetteer, con.place_names, o.value) == o.id for o in con.place_options)


def test_places_sharing_a_name_are_suggested_by_id():
    from web.places import place_options

    options = place_options(None, {"a-xincun": "新村", "b-xincun": "新村", "dc-rd-hutai": "沪太路"})
    assert [(o.value, o.label) for o in options] == [("a-xincun", "新村"), ("b-xincun", "新村"), ("沪太路", "")]


def test_the_place_dropdown_lists_the_towns_own_places_first_by_kind_other_areas_last(tmp_path):
    client = make_client(tmp_path, posts=food_posts())
    login(client, "office")
    page = client.get("/search").text
    select = re.search(r'<select name="place" class="place-select" data-filter="[^"]+">(.*?)</select>', page,
                       re.S).group(1)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    labels = [g for g, _ in groups]
    assert labels[:4] == ["大场镇", "大场镇 · 道路", "大场镇 · 路口", "大场镇 · 小区"]
    assert labels.index("大场镇 · 居委/村") < labels.index("大场镇 · 市场") < labels.index("其他地区")
    assert labels[-1] == "其他地区"
    names = {g: re.findall(r'<option value="[^"]+" >([^<]+)</option>', body) for g, body in groups}
    assert names["大场镇"] == ["大场镇"] and "沪太路" in names["大场镇 · 道路"]
    others = names["其他地区"]
    assert "普陀区（区）" in others and "静安区（区）" in others and "罗店镇（镇）" in others
    assert not [n for g, ns in names.items() if g != "其他地区" for n in ns if n in ("普陀区", "静安区", "罗店镇")]
    total = sum(len(ns) for ns in names.values())
    assert total == len(client.app.state.console.place_names)  # every listed place, once
    chosen = client.get("/search", params={"place": "南大路"}).text
    assert '<option value="dc-rd-nanda" selected>南大路</option>' in chosen


def test_one_post_naming_an_estate_and_its_road_opens_its_case_without_a_question(tmp_path):
    """Review R25: a single post names several places (乾溪新村 and 沪太路): the case takes its first place, as before;
    posts whose first places differ are the ones that ask. A tie is not called 提及最多."""
    from core import PlaceRef

    one = post(1, "乾溪新村门口沪太路上垃圾成堆", place="dc-xq-qianxi", place_name="乾溪新村")
    one.places.append(PlaceRef(id="dc-rd-hutai", name="沪太路"))
    client = make_client(tmp_path, posts=[one, post(2, "南大路早餐店卫生差", place="dc-rd-nanda",
                                                    place_name="南大路", hours=2)])
    token = login(client, "office")
    r = client.post("/review", data={"csrf": token, "action": "open_case", "post_id": [one.id]}, headers=FETCH)
    assert r.status_code == 200 and r.json()["ok"], r.text
    assert [c.place.id for c in cases_of(client)] == ["dc-xq-qianxi"]
    two = [p.id for p in store_of(client).get_posts([one.id]) + store_of(client).get_posts([post(2, "").id])]
    r = client.post("/review", data={"csrf": token, "action": "open_case", "post_id": two}, headers=FETCH)
    assert r.status_code == 409 and "默认为「" in r.json()["message"] and "提及最多" not in r.json()["message"]
