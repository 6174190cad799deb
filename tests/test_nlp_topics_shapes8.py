"""Shapes of 创全 letters the eighth session added (sentences of our own, each `other` or another topic before):
street sprinkling at rush hour, a station's or scenic spot's toilet that charges or is left filthy, a strong
asphalt or chemical smell, coaches picking up passengers outside their stations, illegal slaughter, a small park
or fitness ground wished for, a road without street lights, road works dragging on for years."""

from __future__ import annotations

import pytest

from nlp.taxonomy import load_taxonomy
from nlp.topics import TopicClassifier


@pytest.fixture(scope="module")
def clf() -> TopicClassifier:
    return TopicClassifier.load(load_taxonomy())


def _rules(clf: TopicClassifier, text: str) -> tuple[dict[str, float], frozenset[str]]:
    return clf._rules(text)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # sprinkling trucks at rush hour splash the people going to work
        ("南环路每天早上上班高峰洒水车就出来作业，骑电动车的人被溅得一身泥，能不能把洒水时间改到晚上？", "sanitation"),
        # a scenic spot's toilet left filthy, nobody looking after it
        ("青石古镇景区里有一座无人看管的厕所，粪便堆积，十几米外都能闻到臭味，游客纷纷掩鼻，请有关部门尽快处理。",
         "sanitation"),
        # a bus station's toilet charges
        ("为什么我们县汽车站上个厕所还要收费？别的地方早就免费了。", "sanitation"),
        # coaches picking up passengers anywhere but their station
        ("县城到各乡镇的班线客车长期站外上下客，在城区随意揽客，多次反映没有整改。", "traffic"),
        # illegal slaughter in a residential street
        ("我们街上有人非法屠宰生猪，每天凌晨开始杀猪，血水横流，肉直接拿到市场上卖，请有关部门查处。", "food_hygiene"),
        # a small park wished for on waste land
        ("建议把新华路口那片荒地建设成小游园，附近几千户居民连个散步的地方都没有。", "greenery"),
    ],
)
def test_shapes(clf: TopicClassifier, text: str, topic: str) -> None:
    assert topic in _rules(clf, text)[1]  # a problem pattern of the topic (none matched before)
    assert clf.classify([text])[0].topic == topic


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("村旁的沥青厂半夜生产，沥青味太重，村民被熏得头痛。", "sanitation"),
        ("这段新修的街道至今没路灯，晚上出门一片漆黑。", "facilities"),
        ("建议在各乡镇配套建设小型健身广场，便于群众健身。", "facilities"),
        ("广场被出租做了游乐场，请还老人们一个晨练的地方。", "facilities"),
        ("往县城方向的公路修了两年了，还是没有多大改观。", "facilities"),  # road works dragging on
        ("这座跨铁路的公路桥工期严重超期，至今没有通车。", "facilities"),
    ],
)
def test_patterns(clf: TopicClassifier, text: str, topic: str) -> None:
    assert topic in _rules(clf, text)[1]


@pytest.mark.parametrize(
    "text",
    [
        "我家卫生间的花洒坏了，洒水一直滴。",  # a home's shower, no street sprinkling
        "近年来城镇建设飞速发展，多个公园、广场相继建成。",  # parks built, none wished for
        "建议规划建设一座体育公园，集篮球和网球场地于一体。",  # a sports park is a sports facility proposal
        "新家装修完油漆味很重，要通风几个月。",  # a home's paint smell
        "坐车到站后下客，大家有序离开。",  # passengers getting off at the station
        "路边那家店开了三年了，生意一直很好。",  # no road works
    ],
)
def test_not_these_shapes(clf: TopicClassifier, text: str) -> None:
    _, patterns = _rules(clf, text)
    assert not patterns & {"sanitation", "greenery", "traffic", "facilities"}


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # a farm lets its sewage out and no water is named: the ground, not a river (no smell needed)
        ("据村民反映，我们组后山的养鸡场污水直接排放，严重影响周边居民生活，希望有关部门调查处理。", "sanitation"),
        # the same with the water it reaches named stays river
        ("据村民反映，我们组后山的养鸡场污水直接排放进小溪，严重影响周边居民生活，希望有关部门调查处理。", "river"),
        # surface water people drink is water: a farm's sewage stays river (sanitation without 地表水; review R10)
        ("养猪场污水直接排放，我们都喝地表水，请领导关注。", "river"),
    ],
)
def test_sewage_on_land_from_a_works(clf: TopicClassifier, text: str, topic: str) -> None:
    assert clf.classify([text])[0].topic == topic


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("我们县城没有夜间公交车，下晚自习的学生只能摸黑走回家。", "traffic"),
        ("这一带的电动车不理红绿灯，横穿路口，行人提心吊胆。", "traffic"),
        ("工业园旁的居民每天生活在废气笼罩之下，晚上不敢开窗。", "sanitation"),
        ("隔壁作坊的冲压机噪声极大，整栋楼都在震。", "noise"),
        ("这栋楼报建8层，现在已经建到11层，还在往上加。", "illegal_construction"),
        ("这家公司超规划建设了一栋仓库。", "illegal_construction"),  # beyond its permit, no X了N层 (review R10)
        ("天还没亮就有人在小区广场上抽陀螺，啪啪响。", "noise"),  # early-morning noise in a public place
        ("镇上修路已经半年，村民出行不便，希望尽快修好。", "facilities"),  # road works obstructing
        ("半夜有辆渣土车在我们路口倒了一车砖，堆在马路中间没人管。", "sanitation"),  # building waste dumped on a road
        ("菜市场的电压太低，冰柜都启动不了。", "facilities"),  # supply failure anywhere
        ("社区活动中心早就过了施工工期，到现在还没建好。", "facilities"),  # public works overdue
    ],
)
def test_more_problem_patterns(clf: TopicClassifier, text: str, topic: str) -> None:
    assert topic in _rules(clf, text)[1]


@pytest.mark.parametrize(
    "text",
    [
        "这个路口的红绿灯很醒目，大家都很守规矩。",  # no red-light running
        "山顶云雾笼罩，风景美极了。",  # mist, no fumes
        "这栋楼一共11层，我们住在8层。",  # storeys, no permit exceeded
        "手机充电器电压不稳，充了一晚上才充到一半。",  # a charger, no supply failure
    ],
)
def test_more_patterns_not_here(clf: TopicClassifier, text: str) -> None:
    assert not _rules(clf, text)[1] & {"traffic", "sanitation", "illegal_construction", "facilities"}


def _other_heavy(clf: TopicClassifier, n: int):
    """Model probabilities that read every text as ``other`` (0.9) with a little of each topic."""
    import numpy as np

    classes = list(clf.model.classes)
    row = np.full(len(classes), 0.1 / (len(classes) - 1), dtype=np.float32)
    row[classes.index("other")] = 0.9
    return np.tile(row, (n, 1))


def test_firm_evidence_in_a_letter_to_officials(clf: TopicClassifier) -> None:
    # a problem pattern and a keyword (evidence 3) overrule the model's other in a text put to officials ...
    letter = "请城管的领导查一下：那家汽修店天天噪音扰民，上次说会搬走，现在还没搬。"
    everyday = "那家汽修店天天噪音扰民，上次说会搬走，现在还没搬，唉。"
    for text in (letter, everyday):
        hits, patterns = clf._rules(text)
        assert "noise" in patterns and 3.0 <= hits["noise"] < 4.0
    letter_topic, everyday_topic = (r.topic for r in clf.classify([letter, everyday], probs=_other_heavy(clf, 2)))
    assert letter_topic == "noise"
    # ... not in an everyday post that asks nobody to act (FIRM_MIN still applies there)
    assert everyday_topic == "other"


def test_a_lorry_dumping_is_not_parked(clf: TopicClassifier) -> None:
    # a lorry that dumps its load is no parking problem; bikes piled on the pavement still are
    assert "parking" not in _rules(clf, "昨晚一辆大货车倒了一车砖堆在路口。")[1]
    assert "parking" in _rules(clf, "共享单车堆在人行道上，行人没法走。")[1]
