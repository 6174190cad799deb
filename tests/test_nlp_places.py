"""Golden place extraction: names, aliases, crossings, address patterns, raw mentions, disambiguation."""

from __future__ import annotations

import pytest

from core import Place, PlaceLevel
from nlp.gazetteer import Gazetteer, load_gazetteer
from nlp.places import PlaceExtractor
from nlp.segment import default_segmenter


def extract(text: str, extractor: PlaceExtractor | None = None, region: str | None = None) -> list[tuple]:
    px = extractor or PlaceExtractor(load_gazetteer())
    pieces = default_segmenter().tokenize(text, hmm=False)  # as the enricher cuts it
    bounds = {s for _, s, _ in pieces} | {e for _, _, e in pieces}
    return [(r.id, r.name, r.level) for r in px.extract(text, region=region, boundaries=bounds)]


def ids(text: str, **kw) -> list[str | None]:
    return [i for i, _, _ in extract(text, **kw)]


def test_names_and_aliases_resolve_to_ids() -> None:
    assert ids("嘉华苑门口垃圾没人清") == ["dc-xq-jiahuayuan"]  # alias of 大华二村嘉华苑
    assert ids("虎城商圈的夜市") == ["dc-lm-hucheng"]
    assert ids("行知公园里") == ["dc-lm-xingzhipark"]
    assert ids("蕴藻浜边上") == ["dc-rv-yunzaobang"]  # common variant spelling


def test_longest_match_and_specific_first() -> None:
    got = extract("宝山大场的大华二村嘉华苑")
    assert [g[0] for g in got] == ["dc-xq-jiahuayuan", "dachang", "baoshan"]
    assert ids("大场镇站出口") == ["dc-mt-dachangzhen"]  # the station, not the town


def test_known_crossing_in_any_order_and_form() -> None:
    for text in ("沪太路与场中路路口乱停车", "场中路沪太路交叉口", "沪太路场中路口"):
        assert ids(text) == ["dc-x-hutai-changzhong"], text


def test_unknown_crossing_of_known_roads_keeps_raw_and_roads() -> None:
    got = extract("南大路和祁连山路路口的店招松动")
    assert got[0] == (None, "南大路和祁连山路路口", PlaceLevel.CROSSING)
    assert {g[0] for g in got[1:]} == {"dc-rd-nanda", "dc-rd-qilianshan"}


def test_unknown_crossing_gets_road_department() -> None:
    px = PlaceExtractor(load_gazetteer())
    ref = px.extract("南大路和祁连山路路口")[0]
    assert ref.id is None and ref.grid == "DC-04" and ref.department


@pytest.mark.parametrize(
    ("text", "raw", "level"),
    [
        ("我家在锦绣家园小区，垃圾没人管", "锦绣家园小区", PlaceLevel.COMPOUND),
        ("幸福路菜场门口很脏", "幸福路菜场", PlaceLevel.MARKET),
        ("在幸福路上摆摊", "幸福路", PlaceLevel.ROAD),
        ("A3区锦绣家园小区", "锦绣家园小区", PlaceLevel.COMPOUND),
        ("长江路口红绿灯坏了", "长江路口", PlaceLevel.CROSSING),
    ],
)
def test_unresolved_mentions_keep_the_raw_name(text: str, raw: str, level: PlaceLevel) -> None:
    assert extract(text)[0] == (None, raw, level)


def test_address_patterns_resolve_the_road() -> None:
    # a lane (弄) is also a place of its own (its raw key, no id) before its road; a house number is the road alone
    assert ids("场中路88弄门口的窨井盖坏了") == [None, "dc-rd-changzhong"]
    assert ids("沪太路1858号对面") == ["dc-rd-hutai"]


def test_market_nested_road() -> None:
    got = extract("大华路菜市场里面很脏")
    assert got == [(None, "大华路菜市场", PlaceLevel.MARKET), ("dc-rd-dahualu", "大华路", PlaceLevel.ROAD)]


def test_phrases_are_not_places() -> None:
    assert extract("回家一路上都是垃圾，门口马路上，晚上路上一片黑") == []
    assert ids("马上大扫除") == []  # 上大 (上海大学) only on token boundaries


def test_foreign_town_before_a_shared_road_keeps_it_raw() -> None:
    got = extract("顾村镇沪太路上有个坑")
    assert (None, "沪太路", PlaceLevel.ROAD) in got and ("gucun", "顾村镇", PlaceLevel.TOWN) in got
    assert ids("沪太路上有个坑") == ["dc-rd-hutai"]


def _ambiguous() -> Gazetteer:
    return Gazetteer((
        Place(id="t1", name="甲镇", level=PlaceLevel.TOWN),
        Place(id="t2", name="乙镇", level=PlaceLevel.TOWN),
        Place(id="r1", name="人民路", level=PlaceLevel.ROAD, parent="t1"),
        Place(id="r2", name="人民路", level=PlaceLevel.ROAD, parent="t2"),
    ), {"name": "甲镇"})


def test_context_disambiguation_town_in_post_then_region_then_home() -> None:
    px = PlaceExtractor(_ambiguous())
    assert ids("乙镇人民路有个坑", extractor=px)[0] == "r2"
    assert ids("人民路有个坑", extractor=px, region="t2") == ["r2"]
    assert ids("人民路有个坑", extractor=px, region="乙镇") == ["r2"]  # a region given by name
    assert ids("人民路有个坑", extractor=px) == ["r1"]  # the gazetteer's home town


def test_each_place_once() -> None:
    assert ids("沪太路，沪太路，还是沪太路") == ["dc-rd-hutai"]


def test_a_subject_line_names_the_place_first() -> None:
    """The places of a message's first line (its subject) come before those of the body."""
    text = "星沙东一路占道经营亟需取缔\n去年封刀岭菜市场投入使用后，小贩仍在星沙东一路摆摊。"
    assert [n for _, n, _ in extract(text)][:2] == ["星沙东一路", "封刀岭菜市场"]
    assert extract(text.replace("\n", "。"))[0][1] == "封刀岭菜市场"  # no subject: the most specific first


def test_a_village_comes_before_its_town() -> None:
    got = extract("G7县漳江镇梅溪桥社区有人焚烧垃圾")  # the community is named with its town (an address chain)
    assert [(n, lv) for _, n, lv in got] == [("漳江镇梅溪桥社区", PlaceLevel.COMMUNITY), ("漳江镇", PlaceLevel.TOWN),
                                             ("G7县", PlaceLevel.DISTRICT)]  # the county last


def test_a_crossing_needs_a_road() -> None:
    for text in ("上学路上要经过多少路口、安全不安全", "所以曾经这个路口有高", "好多交通路口都堵"):
        assert not [n for _, n, lv in extract(text) if lv is PlaceLevel.CROSSING], text
    assert extract("幸福路与建国路交叉口堵车")[0][1:] == ("幸福路与建国路交叉口", PlaceLevel.CROSSING)


def test_unknown_crossing_of_two_unlisted_roads() -> None:
    # two unlisted roads make one crossing; a bus line's 路 and the words between two crossings make none
    names = [n for _, n, _ in extract("在枫溪路与杏林路路口经常堵车")]
    assert names == ["枫溪路与杏林路路口"]
    names = [n for _, n, _ in extract("你看608路枫溪路口站到杏林路口站那么近也设一站")]
    assert not any("到" in n or n.startswith("路") for n in names)
