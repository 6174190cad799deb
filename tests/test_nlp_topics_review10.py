"""Review R10 of the eighth session's topic rules: loose branches bounded to a public place or work, one pattern
per fact, and the "letter to officials" cue read from the act of addressing (sentences of our own; each negative
matched the pattern, or got the topic, before the fix)."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.taxonomy import load_taxonomy
from nlp.topics import PATTERN_WEIGHT, TopicClassifier


@pytest.fixture(scope="module")
def clf() -> TopicClassifier:
    return TopicClassifier.load(load_taxonomy())


def _patterns(clf: TopicClassifier, text: str) -> frozenset[str]:
    return clf._rules(text)[1]


def _heavy(clf: TopicClassifier, n: int, code: str = "other") -> np.ndarray:
    """Model probabilities that read every text as ``code`` (0.9)."""
    classes = list(clf.model.classes)
    row = np.full(len(classes), 0.1 / (len(classes) - 1), dtype=np.float32)
    row[classes.index(code)] = 0.9
    return np.tile(row, (n, 1))


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("周末没有带孩子去公园，因为一直在下雨。", "greenery"),  # 没有 … 公园: no park lacking
        ("我们小区附近新建了一个漂亮的公园，散步很方便。", "greenery"),  # a park built, none wished for
        ("领导您好，去年区里建设的滨江公园很受欢迎，谢谢你们。", "greenery"),  # thanks for a park
        ("我家新房装修超过工期一个多月，装修队还在拖。", "facilities"),  # home renovation, no public work
        ("这个游戏开发项目工期严重拖延，团队天天加班。", "facilities"),  # a software project
        ("回家的路上想起我们建了五年的小家，心里很温暖。", "facilities"),  # 路 … 建了五年: no road works
        ("天天给院子里的菜地洒水，今年收成不错。", "sanitation"),  # watering a garden
        ("早上上班看见洒水车经过，街道干干净净的。", "sanitation"),  # a sprinkler truck seen, no harm
        ("火车站上厕所不收费，还挺干净。", "sanitation"),  # no fee
        ("新买的塑胶跑鞋塑胶味很重，晾了两天才好。", "sanitation"),  # consumer goods' smell
        ("演唱会现场烟雾笼罩，灯光效果很棒。", "sanitation"),  # stage smoke
        ("村民非法宰杀国家保护的野鸟被抓。", "food_hygiene"),  # wildlife, no livestock
        ("夜市路边拉客的烧烤摊很热情。", "traffic"),  # touting stalls, no vehicle
        ("这趟城乡公交沿途上下客，方便了村民。", "traffic"),  # normal service along the route
        ("早上五点起床放音乐做早餐，开始美好的一天。", "noise"),  # music at home, no public place or harm
        ("家里路由器电压不稳经常断网。", "facilities"),  # a router, no supply
        ("小区会所里还有健身的地方，很方便。", "facilities"),  # 还有, not 还给
        ("公司新建了一块运动场地，大家下班去打球。", "facilities"),  # built, none wished for
    ],
)
def test_loose_branches_closed(clf: TopicClassifier, text: str, topic: str) -> None:
    assert topic not in _patterns(clf, text)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("希望政府在我们社区旁边的空地上修建一个街心公园。", "greenery"),
        ("我们这个片区几万人，连一个公园都没有，没个公园散步。", "greenery"),
        ("县城东环路改造工程早已超过工期，至今还没完工。", "facilities"),
        ("这条道路修了三年还没修好。", "facilities"),
        ("每天早上高峰时段洒水车照洒不误，行人被溅一身泥水。", "sanitation"),
        ("景区上个厕所还要收费，一次两元。", "sanitation"),
        ("有辆中巴车长期在路边随意上下客，堵塞交通。", "traffic"),
        ("有人私自宰杀生猪，在菜市场门口卖。", "food_hygiene"),
        ("凌晨五点就有人在小区楼下放音乐跳舞。", "noise"),
        ("人民路一带电压太低，空调都开不了。", "facilities"),
        ("希望有关部门在小区附近规划建设健身场地。", "facilities"),
    ],
)
def test_bounded_shapes_still_match(clf: TopicClassifier, text: str, topic: str) -> None:
    assert topic in _patterns(clf, text)


def test_one_fact_one_pattern(clf: TopicClassifier) -> None:
    # a park's toilet fee is one pattern (the station and scenic-spot places joined the older one) ...
    fee = "公园上厕所要收费。"
    assert sum(1 for code, rx in clf._rx if code == "sanitation" and rx.search(fee)) == 1
    # ... a street's low voltage one pattern, and overdue works one pattern however they are put
    volts = "我们村和这条路上的电压太低。"
    assert sum(1 for code, rx in clf._rx if code == "facilities" and rx.search(volts)) == 1
    late = "社区活动中心已过工期，工期严重拖延。"
    assert sum(1 for code, rx in clf._rx if code == "facilities" and rx.search(late)) == 1
    hits, _ = clf._rules(late)
    assert hits["facilities"] <= PATTERN_WEIGHT + 1.5


def test_a_subject_line_that_decided_river_keeps_river(clf: TopicClassifier) -> None:
    # a farm's sewage with no water named is sanitation ...
    body = "我们组后山的养猪场污水直接排放，严重影响周边居民生活，希望有关部门调查处理。"
    probs = _heavy(clf, 2, "sanitation")
    alone, with_subject = clf.classify([body, "养猪场污水偷排污染严重\n" + body], probs=probs)
    assert alone.topic == "sanitation"
    # ... unless its subject line put the letter back to river from the model's sanitation
    assert with_subject.topic == "river"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("我们县城什么时候能建一个像样的公园？", "greenery"),  # a park wished for as a question
        ("这一片住了上万人，却没有一个休闲公园。", "greenery"),  # a count and a word before the park
        ("县城到乡下的班线，长期不进站上下客，扰乱秩序。", "traffic"),  # the line named before the clause
        ("清晨五点多就有人在滨江公园里甩鞭，吵死人。", "noise"),  # a public place before the noise
        ("城区道路天天洒水，搞得到处都是泥水。", "sanitation"),  # sprinkling that leaves mud
    ],
)
def test_bounded_shapes_read_letters_use(clf: TopicClassifier, text: str, topic: str) -> None:
    assert topic in _patterns(clf, text)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("周末能去新建的公园吗？", "greenery"),  # a new park visited, not wished for
        ("没有一个人去公园，下雨了。", "greenery"),  # nobody went, no park lacking
        ("开车去夜市，路边拉客的烧烤摊很多。", "traffic"),  # a car named, no coach touting
    ],
)
def test_bounded_shapes_not_here(clf: TopicClassifier, text: str, topic: str) -> None:
    assert topic not in _patterns(clf, text)


def test_storeys_beyond_a_permit_need_a_wrong(clf: TopicClassifier) -> None:
    # storeys built against storeys permitted are illegal building only with a word of wrong beside them ...
    assert "illegal_construction" in _patterns(clf, "规划8层的楼盖了10层，属于违法建设。")
    assert "illegal_construction" in _patterns(clf, "我要反映违章建筑：这栋楼审批5层，现已建7层。")
    # ... a tower still going up to its permitted height is none
    assert "illegal_construction" not in _patterns(clf, "楼盘规划地上26层，现在已建到20层，年底交房。")


def test_a_sprinkler_truck_seen_is_no_topic(clf: TopicClassifier) -> None:
    # 洒水车 named in passing (no keyword since review R10; the patterns still read one that splashes people)
    assert clf.classify(["早上出门看见洒水车经过，空气清新了不少。"])[0].topic == "other"
