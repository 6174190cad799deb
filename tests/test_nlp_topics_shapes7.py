"""Shapes of 创全 letters the seventh session added (sentences of our own, each `other` or another topic before):
a county or provincial road in ruins, a road still of mud, public facilities broken down, sewage let out on land
with a stench (the smell is the matter when no water is named), and a subject line that states the problem beside
matters routed elsewhere in the body."""

from __future__ import annotations

import pytest

from nlp.taxonomy import load_taxonomy
from nlp.topics import SEWAGE_OUT, WATER_BODY, TopicClassifier


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
    # 设施…破损 needs a public prefix (公共/配套 …): a home's furniture is no public facility
    assert "facilities" not in clf.classify(["家里的设施都很破损了，想换一套新家具。"])[0].pattern_hits
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


@pytest.mark.parametrize(
    "text",
    [
        # a channel is water: 河道 is no place name ending in 道
        "我们村的养猪场污水直接排入河道，夏天臭气熏天，村民苦不堪言，请环保部门查处。",
        "养殖场污水直排河道\n尊敬的领导：我们组旁边的养猪场把污水直接排入河道，一到夏天就臭气熏天，希望有关部门调查处理。",
        "养牛场污水乱排\n尊敬的领导：我们组旁边的养牛场把污水排进河沟，一到夏天就臭气熏天，希望有关部门调查处理。",
    ],
)
def test_sewage_into_a_channel_is_river(clf: TopicClassifier, text: str) -> None:
    assert WATER_BODY.search(text)
    assert clf.classify([text])[0].topic == "river"


@pytest.mark.parametrize("phrase", ["排入河道", "排进河沟", "倒在江边", "流进小河", "井水发臭", "水库里", "池塘",
                                    "死鱼"])
def test_water_words(phrase: str) -> None:
    assert WATER_BODY.search(phrase)


@pytest.mark.parametrize("phrase", ["河西路", "石塘村", "湘江区", "江南路", "多次沟通无果", "井盖都冲开了", "湖南路上",
                                    "河南老板", "浙江客商", "香港回来", "卖鱿鱼", "通过正规渠道反映"])
def test_words_that_name_no_water(phrase: str) -> None:
    assert not WATER_BODY.search(phrase)


@pytest.mark.parametrize(
    "text",
    [
        # a place or a word that begins with a water character names no water: sewage let out on land, with a stench
        "河西路化工厂偷排\n尊敬的领导：化工厂晚上偷排污水，附近臭气熏天，请环保部门查处。",
        "养猪场污水乱排\n尊敬的领导：我们组旁边的养猪场污水到处乱排，一到夏天就臭气熏天，多次沟通无果，希望有关部门调查处理。",
        "尊敬的领导：我们组旁边的养猪场污水到处乱排，把路边的井盖都冲开了，一到夏天就臭气熏天，希望有关部门调查处理。",
        "河南老板开的养猪场\n尊敬的领导：我们组旁边有个河南老板开的养猪场，污水到处乱排，一到夏天就臭气熏天，"
        "希望有关部门调查处理。",
    ],
)
def test_common_words_name_no_water(clf: TopicClassifier, text: str) -> None:
    assert not WATER_BODY.search(text)
    assert clf.classify([text])[0].topic == "sanitation"


def test_sewage_out_needs_a_smell(clf: TopicClassifier) -> None:
    # rubbish by the gate (sanitation evidence) but no smell: the sewage is still the letter's matter
    text = "工厂污水直排\n尊敬的领导：我们组旁边的电镀厂废水直排，门口堆着垃圾，请环保部门查处。"
    assert clf.classify([text])[0].topic == "river"


def test_sewage_out_heeds_the_subject(clf: TopicClassifier) -> None:
    # fumes and a stench lead the body, the subject line names the discharge (SUBJECT_DECIDES: river); no water
    # named does not take the subject's decision back
    text = ("电镀厂偷排废水\n尊敬的领导：我们组旁边的电镀厂天天晚上排放刺鼻的废气，附近臭气熏天，废水也偷偷排掉，"
            "请环保部门查处。")
    assert clf.classify([text])[0].topic == "river"


def test_arranging_is_no_discharge() -> None:
    # 安排 ends in 排: arranging sewage treatment lets nothing out
    assert not SEWAGE_OUT.search("镇里安排了污水处理，明年完工。")
    assert not SEWAGE_OUT.search("请尽快安排人员清理污水。")
    assert SEWAGE_OUT.search("养猪场污水随意排放")


def test_subject_naming_a_thing_states_no_problem(clf: TopicClassifier) -> None:
    # one keyword in the subject (物业) names a thing, not a problem: the developer's matters in the body route the
    # letter elsewhere
    text = ("关于幸福家园物业的问题\n我们是幸福家园的业主，开发商交房三年了房产证还没办下来，开发商说是物业没交齐资料，"
            "物业公司说是开发商的事，物业费照收，小区保安、保洁也是开发商的关联公司，两边互相推诿，我们去住建局也没人管。")
    assert clf.classify([text])[0].topic == "other"


@pytest.mark.parametrize(
    "text",
    [
        "路过城东那个老厂房，破败不堪，听说要改成文创园了，挺期待的。",  # passing by a road
        "我家住在幸福路边的老房子年久失修，墙体开裂，下雨漏水，请求政府帮忙危房改造。",  # a house by a road
        "祠堂就在马路旁边，年久失修，村里想请文物部门来看看。",  # beside a road, and across a comma
        "出了村就是马路，老祠堂年久失修，村里想集资修一修。",  # another clause
    ],
)
def test_things_beside_a_road_are_no_broken_road(clf: TopicClassifier, text: str) -> None:
    assert "facilities" not in clf.classify([text])[0].pattern_hits


@pytest.mark.parametrize("text", ["我们村通往镇上的县道年久失修，一下雨到处是坑。", "这条路坑坑洼洼的，车都开不了。",
                                  "村里的路破败不堪，一下雨就没法走。", "一下雨路上坑坑洼洼，全是泥水。"])
def test_broken_roads_still_match(clf: TopicClassifier, text: str) -> None:
    assert "facilities" in clf.classify([text])[0].pattern_hits
