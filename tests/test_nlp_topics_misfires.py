"""Words of the newer topic rules in their other senses (review of this session's topic rules)."""

from __future__ import annotations

import pytest

from nlp.taxonomy import load_taxonomy
from nlp.topics import TopicClassifier, matters_in


@pytest.fixture(scope="module")
def clf() -> TopicClassifier:
    return TopicClassifier.load(load_taxonomy())


@pytest.mark.parametrize(
    ("text", "matter"),
    [
        ("政府征收村民的土地却不给补偿村民", "land_and_compensation"),  # a verb before 村民 is no estate name
        ("患者家属在医院门口等了一夜", "health"),
        ("春节期间班车票价20元涨到30元", "fares_and_prices"),
    ],
)
def test_a_matter_is_named_before_villagers_family_and_figures(text: str, matter: str) -> None:
    assert matter in matters_in(text)


@pytest.mark.parametrize("text", ["教师新村门口垃圾成堆没人管", "医院家属院的路灯坏了半个月"])
def test_a_matter_word_opening_an_estate_name_is_a_place(text: str) -> None:
    assert matters_in(text) == {}


def test_a_unanimous_vote_is_no_fare() -> None:
    assert "fares_and_prices" not in matters_in("业主大会全票通过更换物业公司，但是老物业赖着不走")


@pytest.mark.parametrize(
    ("text", "not_topic"),
    [
        ("公交公司不修改路线，路过我们村的车太少", "facilities"),  # 不修…路线 is no unbuilt road
        ("他有动脉硬化，走路都困难，希望社区帮忙申请补助", "facilities"),
    ],
)
def test_road_patterns_need_a_road(clf: TopicClassifier, text: str, not_topic: str) -> None:
    assert clf.classify([text])[0].topic != not_topic


def test_sewage_into_a_home_is_no_discharge_pattern(clf: TopicClassifier) -> None:
    assert "river" not in clf._rules("楼上下水道堵了，污水流进我家卫生间，臭死了", [])[1]
    assert "river" in clf._rules("工厂污水流入村边的小河，鱼都死了", [])[1]


@pytest.mark.parametrize("text", ["村里的路一直没有硬化，一下雨就泥泞不堪", "我们村还没通水泥路，出行太难了"])
def test_unbuilt_roads_stay_facilities(clf: TopicClassifier, text: str) -> None:
    assert clf.classify([text])[0].topic == "facilities"
