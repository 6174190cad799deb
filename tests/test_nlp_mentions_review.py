"""Places beyond the gazetteer: fixes from a read-only review of the fourth session's rules — sentence words read
as a town before an ordinal school, a grade read as a resort's name. Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.mention_support import names


@pytest.mark.parametrize(
    "text",
    [
        "K3县今年一中考上清华的有五个",
        "B县只有一中和二中两所高中",
        "M2县还有一中没有装空调",
        "Q县目前一中的宿舍太挤",
        "R4县包括一中在内的学校都在补课",
        "T市去年一中招了两千人",
    ],
)
def test_a_sentence_word_before_an_ordinal_school_is_no_town(text: str) -> None:
    assert not any(n.endswith("中") and len(n) == 4 for n in names(text)), names(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("D10县洪桥一中违规收费", "洪桥一中"),
        ("G县城关一中乱收费", "城关一中"),
        ("K县石门一中晚自习上到十一点", "石门一中"),
    ],
)
def test_a_town_before_an_ordinal_school_names_it(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "国家级旅游度假区门票太贵",
        "这里是国家AAAA级旅游度假区，可是厕所很脏",
        "AAAA级旅游度假区的标准是什么",
    ],
)
def test_a_grade_is_no_resort_name(text: str) -> None:
    assert names(text) == []


def test_a_resort_with_a_name_before_its_grade_stays() -> None:
    assert names("柳叶湖国家级旅游度假区乱收费") == ["柳叶湖国家级旅游度假区"]


@pytest.mark.parametrize(
    "text",
    [
        "我们村口旧加油站一直没拆",
        "街角旧加油站天天排长队",
        "镇口旧车站早就没有班车了",
        "小区东门车站没有站牌",
        "我们村口旧药店卖过期药",
        "学校南门超市卖三无零食",
    ],
)
def test_an_old_or_gate_word_is_no_station_or_shop_name(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    "text", ["我在中石化加油站加油被多收钱", "附近的中海油加油站晚上不开门", "壳牌加油站的洗车太贵"]
)
def test_a_fuel_brand_alone_names_no_station(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中石化白马坳加油站多收钱", "中石化白马坳加油站"),
        ("新开的白马坳加油站夜里也在施工", "白马坳加油站"),
        ("楼下的沙湾大药房卖过期药", "沙湾大药房"),
        ("南门药店卖假药", "南门药店"),
    ],
)
def test_a_station_or_shop_with_a_name_stays(text: str, expected: str) -> None:
    assert expected in names(text)


def test_a_planned_road_keeps_its_working_name() -> None:
    assert names("规划二路的路灯全坏了") == ["规划二路"]
    assert names("在规划三路和规划五路路口") == ["规划三路", "规划五路"]
    assert names("按照规划一路要拓宽") == []
