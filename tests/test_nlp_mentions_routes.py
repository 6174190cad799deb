"""The ends of a rural bus route (坐鹰嘴坳班车, P3县到白沙坪的班车, 发往两河口方向的客运车): hamlets no gazetteer
lists and no kind word names; and a district's own hospital by a bare 区 (区妇幼保健院). Sentences written for these
tests."""

from __future__ import annotations

import pytest

from tests.mention_support import names


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("昨天坐鹰嘴坳班车，司机多收了五块钱", "鹰嘴坳"),
        ("P3县到白沙坪的班车乱收费", "白沙坪"),
        ("发往两河口方向的客运车按人头收费", "两河口"),
        ("白沙坪到P3县班车为何涨价", "白沙坪"),
        ("乘坐小横垅班车要五块钱", "小横垅"),  # a verb of two characters before the end
        ("搭乘鹰嘴坳班车的人很多", "鹰嘴坳"),
        ("坐到鹰嘴坳的班车停运了", "鹰嘴坳"),
    ],
)
def test_a_route_end_is_a_place(text: str, place: str) -> None:
    assert place in names(text), names(text)


@pytest.mark.parametrize(
    "text",
    [
        "我每天坐早上的班车去上班",
        "到县城的班车太少",
        "去乡下的客车很挤",
        "孩子坐他的车回家",
        "到了的班车也不停",
        "每天坐张师傅的班车上学",  # a person's bus
        "坐李老板的班车去县里",
        "搭王哥的客车回家",
        "到镇里的班车一天只有一趟",  # where in the town
    ],
)
def test_words_of_a_sentence_before_a_bus_are_no_place(text: str) -> None:
    assert names(text) == [], names(text)


@pytest.mark.parametrize(("text", "found"), [("下午到区妇幼保健院看病，等了很久", ["区妇幼保健院"]),
                                            ("小区医院太远", []), ("社区医院不开门", []), ("城区医院人太多", [])])
def test_a_district_own_hospital_by_a_bare_district(text: str, found: list[str]) -> None:
    assert names(text) == found, names(text)


def test_a_road_named_by_a_common_noun_before_on_it() -> None:
    # 广济 is tagged a common noun; after 的/在/到 … and before 路上/路口 it names the road
    from tests.mention_support import names as _names

    assert "广济路" in _names("渣土车每天在城市中心的广济路上横冲直撞")
    assert not [n for n in _names("我在回家的路上摔倒了，学校路口也没有红绿灯") if n.endswith("路")]
