"""Places a user check of the fifteenth session found wrong, in sentences of its own: crossings that swallowed the
words before them, roads jieba keeps as one dictionary word, measure words glued to a shop or park, an estate's
corner read as a road, and stations and crossings that got a key per spelling."""

from __future__ import annotations

import pytest

from core import PlaceLevel
from nlp.mentions import place_key
from tests.mention_support import names, places


def _keys(text: str) -> list[str | None]:
    return [p.key or p.id for p in places(text)]


@pytest.mark.parametrize(("text", "name"), [
    ("求助！我家老人走失了，今天下午在长江路和复兴路路口附近走丢的", "长江路和复兴路路口"),
    ("建议在光明路和文化路路口增设一个红绿灯", "光明路和文化路路口"),
    ("昨天晚上在新华路与胜利街交叉口又出车祸了", "新华路与胜利街交叉口"),
])
def test_a_crossing_of_unlisted_roads_starts_at_its_first_road(text: str, name: str) -> None:
    assert [p.name for p in places(text) if p.level is PlaceLevel.CROSSING] == [name]


def test_one_crossing_however_written_is_one_key() -> None:
    spellings = ["长江路和复兴路路口", "长江路与复兴路交叉口", "复兴路长江路路口", "A3区长江路复兴路口"]
    assert {place_key(s, PlaceLevel.CROSSING) for s in spellings} == {"raw:复兴路与长江路路口"}
    assert place_key("红旗路口", PlaceLevel.CROSSING) == "raw:红旗路口"  # one road's corner stays as written


@pytest.mark.parametrize("text", ["民生路的垃圾没人清。", "民生路上乱停车没人管。", "家住莲花路，楼下天天有人烧垃圾",
                                  "宝山路边的共享单车堆成山", "在吉林路上摆摊的太多了"])
def test_a_road_jieba_keeps_as_one_word_is_a_road(text: str) -> None:
    road = next(w for w in ("民生路", "莲花路", "宝山路", "吉林路") if w in text)
    assert road in names(text)


@pytest.mark.parametrize("text", ["村里的石头路坑坑洼洼没人修", "人生路上总有坎坷", "他走上了一条新思路",
                                  "每天早上去公园路上的人很多", "公园路口的地锁坏了", "这条线路的公交车太少了"])
def test_a_kind_of_road_or_a_metaphor_is_no_road(text: str) -> None:
    assert not [n for n in names(text) if n.endswith("路")]


@pytest.mark.parametrize(("text", "name"), [
    ("民生路上那家鑫鑫理发店把店门口的人行道全占了", "鑫鑫理发店"),
    ("楼下那家老王烧烤店油烟太大", "老王烧烤店"),
    ("周末带娃去了趟滨江森林公园，草坪上全是垃圾", "滨江森林公园"),
])
def test_a_measure_word_before_a_name_is_not_part_of_it(text: str, name: str) -> None:
    assert name in names(text) and not any(n.endswith(name) and n != name for n in names(text))


@pytest.mark.parametrize("text", ["育才路小学门口每天放学都有家长乱停车，把整条路堵死了", "这段路一下雨就积水"])
def test_which_road_is_no_road(text: str) -> None:
    assert not {"整条路", "这段路"} & set(names(text))


@pytest.mark.parametrize(("text", "estate"), [("锦绣华庭路口每天早上都有人乱停车", "锦绣华庭"),
                                              ("东方花园路口堵车严重，没人疏导", "东方花园")])
def test_an_estates_corner_is_the_estate(text: str, estate: str) -> None:
    refs = places(text)
    assert [(p.name, p.level) for p in refs] == [(estate, PlaceLevel.COMPOUND)]
    assert refs[0].key == f"raw:{estate}"


def test_a_station_is_one_key_however_written() -> None:
    texts = ["7号线顾家桥站门口乱停车没人管。", "地铁7号线顾家桥站出口有人摆摊", "顾家桥地铁站门口乱停车"]
    assert [_keys(t) for t in texts] == [["raw:顾家桥站"]] * 3
    assert place_key("人民广场地铁站", PlaceLevel.LANDMARK) == place_key("地铁人民广场站", PlaceLevel.LANDMARK)


@pytest.mark.parametrize(("text", "level"), [("杨家浜的水又黑又臭，河道里全是垃圾", PlaceLevel.RIVER),
                                             ("周家港河道里漂满了垃圾", PlaceLevel.RIVER),
                                             ("捞刀河里有人倒垃圾", PlaceLevel.RIVER),
                                             ("莲花山上有人烧垃圾", PlaceLevel.LANDMARK)])
def test_a_water_is_a_river_however_it_was_read(text: str, level: PlaceLevel) -> None:
    assert [p.level for p in places(text)] == [level]


def test_the_tagger_files_villages_and_towns_as_the_rules_do() -> None:
    from nlp.places import _level_of

    assert [_level_of(n) for n in ("沈家村", "沈家村三组", "梅溪桥社区", "茅市镇", "鑫鑫理发店")] == [
        PlaceLevel.COMMUNITY, PlaceLevel.COMMUNITY, PlaceLevel.COMMUNITY, PlaceLevel.TOWN, PlaceLevel.LANDMARK]


@pytest.mark.parametrize(("text", "found"), [("新天地广场那家健身房老板卷钱跑路了", ["新天地广场"]),
                                             ("在新天地广场门口乱停车", ["新天地广场"]),
                                             ("慢慢地广场上人多了起来", []), ("远远地小区门口站着一群人", [])])
def test_a_name_ending_in_di_is_read_on_but_an_adverb_is_not(text: str, found: list[str]) -> None:
    assert names(text) == found


@pytest.mark.parametrize(("text", "found"), [
    ("孩子上了位育中学", ["位育中学"]), ("我们去了次坞镇", ["次坞镇"]),  # names that open with a measure word
    ("这段时间民生路堵", ["民生路"]), ("这段时间复兴路很堵", ["复兴路"]),  # 这|段时间 (jieba tags 段时间 a person)
    ("在新时代的长征路上砥砺前行", []), ("长征路上有人摆摊", ["长征路"]),  # a way, or a road
])
def test_review_r24_cases(text: str, found: list[str]) -> None:
    assert names(text) == found


def test_a_station_at_the_railway_station_keeps_its_name() -> None:
    assert place_key("火车站地铁站", PlaceLevel.LANDMARK) == "raw:火车站地铁站"
