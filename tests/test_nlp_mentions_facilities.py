"""Places beyond the gazetteer, second round: facilities named by the place they serve, estates named by their
building phase, reservoirs, parks of industry and buildings; and stems that are no names (众多, 全日制, 自然村)."""

from __future__ import annotations

import pytest

from nlp.mentions import place_key
from tests.mention_support import names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q3县中心小学今年又乱收费", "Q3县中心小学"),
        ("青石镇中心小学门口的路坑坑洼洼", "青石镇中心小学"),
        ("R市火车站门口出租车乱停", "R市火车站"),
        ("春晓花语二期门口的路一直没修好", "春晓花语二期"),
        ("我们村旁边的清风水库被养殖场污染了", "清风水库"),
        ("松岭工业园内的厂子每天排放废气", "松岭工业园"),
        ("翠湖大厦的电梯经常困人", "翠湖大厦"),
        ("楼下的金榜大酒店夜里噪音扰民", "金榜大酒店"),
    ],
)
def test_finds_the_facility(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "好多医院主任医师泛滥，坑害病人",
        "我是全日制大学毕业生，找工作遇到困难",
        "我们住在偏远的自然村，出行不便",
        "我们属于高层小区，电梯一坏就没法出门",
        "读完初二后前往原籍中学报到",
        "修建水库是好事，可是补偿款没有到位",
        "本次活动为期两天，第二期工程明年开工",
        "村一组的组长不作为",
        "楼下开了一家私人会所，夜夜笙歌",
    ],
)
def test_no_junk_span(text: str) -> None:
    assert names(text) == []


def test_one_key_for_the_spellings_of_a_facility() -> None:
    assert place_key("Q3县中心小学") == place_key("Q3县 中心小学")


def test_the_prefix_names_a_generic_facility() -> None:
    assert place_key("Q3县中心小学") != place_key("R县中心小学")
    assert place_key("R市火车站") == "raw:R市火车站"
    assert place_key("A3区锦绣家园小区") == place_key("锦绣家园")


def test_a_metro_station_by_its_name() -> None:
    from tests.mention_support import names as _names

    assert "地铁橘园公园站" in _names("Q市地铁橘园公园站的电梯坏了两个月")
    assert not [n for n in _names("坐地铁到站后还要走很远，地铁上下站的人太多") if n.startswith("地铁")]


def test_a_zoo_by_its_name_or_its_area() -> None:
    from tests.mention_support import names as _names

    assert any(n.endswith("生态动物园") for n in _names("Q市生态动物园开园半年了，公交车还是太少"))
    assert not [n for n in _names("周末带孩子去动物园玩，门票太贵") if n.endswith("动物园")]
