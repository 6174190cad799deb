"""Spellings of one unlisted place give one alert key; a road word beside a listed place makes no road (review R17)."""

from __future__ import annotations

import pytest

from core.model import PlaceLevel
from nlp.enrich import Enricher
from nlp.mentions import place_key


@pytest.mark.parametrize(("spellings", "key"), [
    (("向阳村委会", "向阳村委", "向阳村", "向阳村村委会"), "raw:向阳村"),  # a village's committee is its village
    (("东湖菜市场", "东湖菜场", "东湖农贸市场", "东湖菜市"), "raw:东湖菜市场"),  # the words for a wet market
    (("长宁马路", "长宁路"), "raw:长宁路"),  # 马路 after a road's own name
])
def test_spellings_of_one_place_share_a_key(spellings: tuple[str, ...], key: str) -> None:
    level = {"raw:向阳村": PlaceLevel.COMMUNITY, "raw:东湖菜市场": PlaceLevel.MARKET}.get(key, PlaceLevel.ROAD)
    assert {place_key(s, level) for s in spellings} == {key}


@pytest.mark.parametrize(("a", "b"), [
    ("东湖市场", "东湖菜市场"),  # 市场 alone may be another market (建材市场, 服装市场)
    ("大马路", "大路"), ("二马路", "二路"), ("十字马路", "十字路"),  # a kind of road, a numbered one, a crossing
    ("向阳村", "向阳社区"),  # a village and a community are two places
])
def test_kinds_that_tell_places_apart_stay(a: str, b: str) -> None:
    assert place_key(a) != place_key(b)


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher(place_tagger=False)


def _places(enricher: Enricher, text: str) -> list[tuple[str, str | None]]:
    return [(p["name"], p.get("id") or p.get("key")) for p in enricher.analyze([text])[0]["places"]]


@pytest.mark.parametrize("text", [
    "和泰苑路口的红绿灯坏了好几天，过马路很危险",  # an estate
    "南大公园路边摆摊的越来越多，垃圾没人收",  # a landmark
    "场中路站路边的共享单车堆成山了",  # a metro station
    "桃浦河路边有人往河里倒垃圾",  # a river
])
def test_a_road_word_beside_a_listed_place_names_no_road(enricher: Enricher, text: str) -> None:
    places = _places(enricher, text)
    assert places and all(not (key or "").startswith("raw:") for _, key in places), places


def test_roads_named_after_areas_and_short_names_stay(enricher: Enricher) -> None:
    assert ("大华路", "dc-rd-dahualu") in _places(enricher, "大华路口积水很深，车都开不过去")  # a listed road
    # 乾溪 is a listed estate's short name, and an area's: a road may carry it
    assert any(key == "raw:乾溪路" for _, key in _places(enricher, "乾溪路口的红绿灯坏了，没人来修"))


def test_a_village_committee_written_short_is_its_village(enricher: Enricher) -> None:
    for text in ("找了向阳村委好几次都没人管，路灯还是不亮", "向阳村委会门口的垃圾堆了一个星期"):
        assert ("raw:向阳村" in [key for _, key in _places(enricher, text)]), text
    assert _places(enricher, "我们村委根本不管，找村委也没用") == []  # no village named


def test_a_filter_finds_an_unlisted_place_as_the_enricher_keyed_it() -> None:
    """raw:NAME as written, as a place and as a body after a listed town (review R18: raw:大场菜场 missed the posts
    the enricher keyed raw:大场镇菜市场); the prefix in any case."""
    from nlp.gazetteer import load_gazetteer
    from nlp.resolve import is_unlisted, resolve_filter_places, unlisted_key

    town = load_gazetteer()
    keyed = Enricher(place_tagger=False).analyze(["大场菜场门口的垃圾三天没人清"])[0]["places"]
    stored = next(p["key"] for p in keyed if p.get("key"))
    assert stored == unlisted_key("大场菜场", town, PlaceLevel.MARKET) == "raw:大场镇菜市场"
    assert stored in resolve_filter_places(town, ["raw:大场菜场"])
    assert stored in resolve_filter_places(town, ["RAW:大场菜场"]) and is_unlisted(" Raw:x")
    assert "raw:锦绣家园" in resolve_filter_places(town, ["raw:锦绣家园小区"])


def test_a_filter_by_the_name_a_post_shows_finds_the_key_the_enricher_gave_it() -> None:
    """An address chain is keyed by its finest place (白沙街道望月社区 → raw:望月社区): raw:NAME with the name as a post
    shows it finds that key, and the key a person is told to use for an unknown place is the enricher's. Before,
    the name keyed on its own (raw:白沙街道望月社区) found none of the place's posts."""
    from nlp.gazetteer import load_gazetteer
    from nlp.resolve import UnknownName, resolve_filter_places, resolve_place, unlisted_key

    town = load_gazetteer()
    texts = ["白沙街道望月社区门口垃圾堆成山", "王家村二组的路灯坏了半年", "新华街道碧水豪庭地下车库漏水",
             "翠湖菜场门口污水横流"]
    fields = Enricher(place_tagger=False).analyze(texts)
    refs = [(p["name"], p["key"]) for f in fields for p in f["places"] if p.get("key")]
    assert ("白沙街道望月社区", "raw:望月社区") in refs and ("王家村二组", "raw:王家村") in refs
    for name, key in refs:
        assert key in resolve_filter_places(town, [f"raw:{name}"]), name
    assert unlisted_key("白沙街道望月社区", town) == "raw:望月社区"
    # a body after a listed town keeps that key beside the rules' (posts keyed before today's chain rules)
    assert {"raw:王家村", "raw:大场镇王家村二组"} <= set(resolve_filter_places(town, ["raw:大场王家村二组"]))
    with pytest.raises(UnknownName, match="raw:望月社区"):
        resolve_place(town, "白沙街道望月社区")
