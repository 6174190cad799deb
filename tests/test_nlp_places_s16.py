"""Sixteenth session: places a resident's user check found missing (/tmp/ucheck-places, post B13)."""

from __future__ import annotations

from nlp.enrich import enricher_for


def test_a_car_park_named_after_its_road_is_a_place_before_the_road() -> None:
    [f] = enricher_for().analyze(["丰翔路停车场晚上乱收费，一小时收十块"])
    assert [(p["name"], p["level"]) for p in f["places"]][:2] == [("丰翔路停车场", "landmark"), ("丰翔路", "road")]
    assert f["places"][0]["key"] == "raw:丰翔路停车场"


def test_a_listed_estate_written_with_its_kind_word_has_no_unlisted_twin() -> None:
    [f] = enricher_for().analyze(["滨江雅苑小区门口垃圾没人清"])
    assert [(p.get("id"), p.get("key")) for p in f["places"]] == [("dc-xq-binjiang", None)]


def test_an_official_accounts_handle_and_a_posters_nickname_name_no_place() -> None:
    """@宝山发布 is the addressee and 网友“祁连山下的小路” a nickname (user checks, posts wx-001 and A23)."""
    fields = enricher_for().analyze(["@宝山发布 大华三村门口的路灯坏了",
                                     "网友“祁连山下的小路”反映，联东村村口的垃圾堆了一个星期没人清"])
    assert [[p.get("id") for p in f["places"]] for f in fields] == [["dc-xq-dahua3"], ["dc-cw-202"]]


def test_a_market_named_after_a_listed_estate_or_village_is_a_place_of_its_own() -> None:
    """大华三村菜场 and 丰明村菜场 (user check, post B20): the market first, the estate or village it is named after
    beside it."""
    fields = enricher_for().analyze(["大华三村菜场的地上全是烂菜叶", "丰明村菜场门口污水横流"])
    assert [[(p["name"], p["level"]) for p in f["places"]][:2] for f in fields] == [
        [("大华三村菜场", "market"), ("大华三村", "compound")],
        [("丰明村菜场", "market"), ("丰明村村委会", "community")]]
    assert fields[0]["places"][0]["key"] == "raw:大华三村菜市场"


def test_a_lane_of_a_listed_road_is_a_place_of_its_own() -> None:
    """场中路3000弄 (user check, posts B02 and B26) is a lane estate: its own key first, then the road."""
    fields = enricher_for().analyze(["场中路3000弄里有群租，一套房住了二十多个人", "场中路 3000 弄门口群租的人又多了"])
    assert [[p.get("key") or p.get("id") for p in f["places"]][:2] for f in fields] == [
        ["raw:场中路3000弄", "dc-rd-changzhong"]] * 2
    # a house number (锦秋路888号) stays its road: one key a house would be too fine for an alert
    [f] = enricher_for().analyze(["锦秋路888号门口的垃圾没人清"])
    assert [p.get("id") for p in f["places"]] == ["dc-rd-jinqiu"]


def test_a_listed_estate_typed_with_园_for_苑_or_with_its_kind_word_is_the_listed_one() -> None:
    """汇枫景园, 慧华园小区 (园 and 苑 are both read yuan) and 葑润花庭小区 (user check, posts A21 and follow-ups)."""
    fields = enricher_for().analyze(["汇枫景园门口乱停车", "慧华园小区里的路灯不亮", "葑润花庭小区门口垃圾没人清"])
    assert [[p.get("id") for p in f["places"]] for f in fields] == [["dc-xq-huifeng"], ["dc-xq-huihua"],
                                                                    ["dc-xq-fengrun"]]
