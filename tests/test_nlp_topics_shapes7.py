"""Shapes of 创全 letters the seventh session added (sentences of our own, each `other` or another topic before):
a county or provincial road in ruins, a road still of mud, public facilities broken down, sewage let out on land
with a stench (the smell is the matter when no water is named), and a subject line that states the problem beside
matters routed elsewhere in the body."""

from __future__ import annotations

import pytest

from nlp.taxonomy import load_taxonomy
from nlp.topics import WATER_BODY, TopicClassifier


@pytest.fixture(scope="module")
def clf() -> TopicClassifier:
    return TopicClassifier.load(load_taxonomy())


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # a county road nobody maintains
        ("尊敬的领导：我们村口这段县道破烂不堪，四五年来从未见人养护，开车的走路的都提心吊胆，希望领导来看一看。",
         "facilities"),
        # the road to a hamlet is still of gravel
        ("尊敬的镇长：我们组到现在还是砂石路，老人小孩出门很不方便，希望政府考虑一下。", "facilities"),
        # a sports hall's facilities broken down
        ("城东体育馆建成十几年了，如今体育设施多处损毁，无人维修，市民意见很大。", "facilities"),
        # a farm's sewage let out on land with a smell, no water named
        ("养鸭场污水随意排放\n尊敬的领导：我们组旁边新建了一个养鸭场，污水随意排放，一到夏天就有异味，已经向镇里反映过，"
         "希望有关部门来调查处理。", "sanitation"),
    ],
)
def test_shapes(clf: TopicClassifier, text: str, topic: str) -> None:
    assert clf.classify([text])[0].topic == topic


def test_a_place_named_after_water_is_no_water(clf: TopicClassifier) -> None:
    # 石塘村 is a village, not a pond: the sewage still goes nowhere but the ground
    text = ("养鸭场污水随意排放\n尊敬的领导：我们石塘村新建了一个养鸭场，污水随意排放，一到夏天就有异味，"
            "希望有关部门来调查处理。")
    assert not WATER_BODY.search(text)
    assert clf.classify([text])[0].topic == "sanitation"


def test_sewage_into_water_stays_river(clf: TopicClassifier) -> None:
    # the same farm, its sewage let into the village pond with a stench: river
    text = ("养鸭场污水随意排放\n尊敬的领导：我们组旁边新建了一个养鸭场，污水随意排放到村里的水塘，一到夏天就有异味，"
            "希望有关部门来调查处理。")
    assert WATER_BODY.search(text)
    assert clf.classify([text])[0].topic == "river"


def test_subject_that_states_the_problem(clf: TopicClassifier) -> None:
    # the subject names illegal buildings; the body names land taking and an official's neglect in passing
    body = ("尊敬的局长：我们村东头有大量违章建筑，已经有十几家了，有的在耕地上搭建，到处乱搭乱建。周边村民都是拆迁户，"
            "多次反映，乡里说拆违工作不好开展，有关人员滥用职权，违章建筑只增不减，一处违章建筑正在搭建。")
    assert clf.classify([f"拆除违章建筑的工作严重不作为！\n{body}"])[0].topic == "illegal_construction"
    # without a subject line that states it, the same matters still route the letter elsewhere
    assert clf.classify([body])[0].topic == "other"


def test_roads_not_in_need(clf: TopicClassifier) -> None:
    # a mud road fee or a dirt-road race is no broken road; furniture at home is no public facility
    assert "facilities" not in clf.rule_scores("家里的设施都很破旧了，想换一套新家具。")
    assert "facilities" not in clf.rule_scores("这次越野赛全是土路赛段，选手们跑得很开心。")



def test_roads_never_repaired(clf: TopicClassifier) -> None:
    # roads and pavements never repaired since the estate was handed over (交房 names the developer's matter once)
    text = ("望将新区外围道路和井盖修好\n尊敬的局长：我们小区已交房两年，周围的道路、人行道一直不修，井盖也少了好几个，"
            "老人孩子出门很不方便，请尽快安排修好。")
    assert clf.classify([text])[0].topic == "facilities"


def test_subject_with_one_keyword_clears_one_matter(clf: TopicClassifier) -> None:
    # the subject names the estate's management; the body names the developer once among the management's failings
    text = ("反映幸福家园物业的问题\n我是幸福家园的业主，小区管理很差，保安形同虚设，开发商当初承诺的会所也没兑现，"
            "请有关部门管一管。")
    assert clf.classify([text])[0].topic == "property"
