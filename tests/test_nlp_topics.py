"""Topic rules and the combined classifier."""

from __future__ import annotations

import pytest

from nlp.taxonomy import load_taxonomy
from nlp.topics import TopicClassifier


@pytest.fixture(scope="module")
def clf() -> TopicClassifier:
    return TopicClassifier.load(load_taxonomy())


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("小区门口垃圾堆了三天没人清运", "sanitation"),
        ("店招松动随时会掉下来", "shop_signs"),
        ("一楼住户私自搭建阳光房", "illegal_construction"),
        ("消防通道被私家车停满了", "parking"),
        ("电动车逆行闯红灯太多", "traffic"),
        ("在小吃店吃完全家拉肚子", "food_hygiene"),
        ("河水发黑发臭还有死鱼", "river"),
        ("绿化带被人毁绿种菜", "greenery"),
        ("半夜施工吵得睡不着", "noise"),
        ("路灯坏了一个多月", "facilities"),
        ("电梯三天两头坏，物业不管", "property"),
        ("今天天气真好，出去走走", "other"),
    ],
)
def test_rules_pick_the_topic(clf: TopicClassifier, text: str, topic: str) -> None:
    assert clf.classify([text])[0].topic == topic


def test_model_alone_does_not_label_a_positive_post(clf: TopicClassifier) -> None:
    text = "这家店的招牌菜真的好吃"
    assert not clf.rule_scores(text)  # 招牌 alone is no rule evidence
    assert clf.classify([text], sentiments=[0.95])[0].topic == "other"


def test_model_alone_does_not_label_a_request_for_information(clf: TopicClassifier) -> None:
    text = "有没有人知道大华附近哪里可以修电动车的？"
    assert not clf.rule_scores(text)
    assert clf.classify([text], sentiments=[0.5])[0].topic == "other"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("空地成了垃圾倾倒场，破沙发和碎砖全扔在那", "sanitation"),
        ("有人把广告牌绑在路灯杆上，风一吹就晃", "shop_signs"),
        ("村里有人在耕地上建起了一排仓库出租", "illegal_construction"),
        ("三轮车横七竖八地停在路口，一停就是一整天", "parking"),
        ("小区到地铁站没有公交接驳，只能走半小时", "traffic"),
        ("卖熟食的不戴手套，收钱以后直接抓肉", "food_hygiene"),
        ("桥洞底下卡着一大堆垃圾，水都流不动了", "river"),
        ("楼下那棵树的粗枝裂开了，悬在停车位上面", "greenery"),
        ("饭店的空调外机响到半夜，吵得睡不着", "noise"),
        ("地铁站的自动扶梯停了半个月，推车只能抬上去", "facilities"),
        ("报修了好几次，物业一直拖着不来", "property"),
        ("一楼住户把墙砸开改成了门面", "illegal_construction"),
        ("台风刮倒的树横在人行道上没人管", "greenery"),
        ("晚上想去打羽毛球，有人一起吗", "other"),
    ],
)
def test_problem_phrasings_beyond_the_plain_keywords(clf: TopicClassifier, text: str, topic: str) -> None:
    assert clf.classify([text], sentiments=[0.3 if topic != "other" else 0.6])[0].topic == topic


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("一楼住户把墙砸开改成了门面", "illegal_construction"),
        ("临街那户人家凿了墙开了个窗口卖早点", "illegal_construction"),
        ("台风刮倒的树横在人行道上没人管", "greenery"),
        ("昨晚被车撞断的行道树还倒在路边", "greenery"),
    ],
)
def test_walls_opened_into_shops_and_felled_trees_are_read_by_patterns(
        clf: TopicClassifier, text: str, topic: str) -> None:
    assert topic in clf.classify([text])[0].pattern_hits


def test_pattern_hits_and_scores(clf: TopicClassifier) -> None:
    r = clf.classify(["垃圾桶满了好几天没人清理"])[0]
    assert r.topic == "sanitation" and "sanitation" in r.pattern_hits
    assert r.scores and max(r.scores, key=r.scores.get) == "sanitation"
    assert all(0 <= v <= 1 for v in r.scores.values())


def test_model_is_bundled_and_consistent(clf: TopicClassifier) -> None:
    assert clf.model is not None
    assert set(clf.model.classes) <= set(load_taxonomy().codes)


def test_rules_only_without_model() -> None:
    clf = TopicClassifier.load(load_taxonomy(), use_model=False)
    assert clf.model is None
    r = clf.classify(["护场河发臭，河面漂浮垃圾"])[0]
    assert r.topic == "river" and r.scores["river"] > 0.5
    assert clf.classify(["没有任何线索的一句话"])[0].topic == "other"


def test_empty_batch(clf: TopicClassifier) -> None:
    assert clf.classify([]) == []


def test_joint_code_lookup_scores_like_the_string_lookup() -> None:
    import numpy as np

    from nlp.enrich import Enricher
    from nlp.evaluate import load_sample

    joint = Enricher()._joint
    assert joint is not None and joint._codes is not None
    texts = ["", "a", "ab", "12 34 ABC", "\ud800x", "😀[二哈]好开心", "大场镇 沪太路", ""]
    texts += [r["text"] for r in load_sample()]
    fast = joint.scores(texts)
    codes, joint._codes = joint._codes, None
    try:
        slow = joint.scores(texts)
    finally:
        joint._codes = codes
    for a, b in zip(fast, slow, strict=True):
        assert a.shape == b.shape
        assert np.allclose(a, b, atol=1e-5)


@pytest.mark.parametrize(
    ("pattern", "chars"),
    [
        ("垃圾.{0,6}(没人|无人)", {"垃"}),
        ("(乱|随意|随地)(扔|丢)", {"乱", "随"}),
        ("狗(叫|吠)|犬吠", {"狗", "犬"}),
        ("(a|(b|c)d)e", {"a", "b", "c"}),
        ("x\\dy", {"x"}),
        ("(a|b)?c", None),
        ("a?b", None),
        ("a{0,2}b", None),
        ("[ab]c", None),
        (".{0,3}a", None),
        ("(?![菜饭])招牌", None),
        ("(a|)b", None),
        ("\\(a", None),
        ("", None),
    ],
)
def test_first_chars(pattern: str, chars: set[str] | None) -> None:
    from nlp.topics import first_chars

    assert first_chars(pattern) == (frozenset(chars) if chars is not None else None)


def test_first_character_filter_finds_what_a_plain_search_finds() -> None:
    import re

    import yaml

    from nlp.corpus import SEED_FILE
    from nlp.evaluate import load_sample
    from nlp.topics import first_chars

    seeds = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))["topics"]
    texts = [r["text"] for r in load_sample()] + [p for ps in seeds.values() for p in ps]
    patterns = [p for t in load_taxonomy() for p in t.patterns]
    assert all(first_chars(p) is not None for p in patterns)  # the shipped patterns are all filterable
    for p in patterns:
        rx, first = re.compile(p), first_chars(p)
        for text in texts:
            for m in rx.finditer(text):  # every match starts with one of the filter's characters
                assert m.end() > m.start() and text[m.start()] in first, (p, text)
