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
