"""Patterns are searched branch by branch (review R10): the same evidence, patterns and starts as searching each
pattern whole, and a pattern whose branches both match counts once."""

from __future__ import annotations

import pytest

from nlp.taxonomy import load_taxonomy
from nlp.topics import PATTERN_WEIGHT, TopicClassifier


@pytest.fixture(scope="module")
def clf() -> TopicClassifier:
    c = TopicClassifier.load(load_taxonomy(), use_model=False)
    c._kw = {}  # patterns only
    return c


@pytest.mark.parametrize(
    "text",
    [
        "我们小区门口的道路施工了三年，一直没有修好，晚上没有路灯，出行不便。",
        "楼下烧烤店每天半夜还在营业，油烟直排到我家窗户，吵得睡不着。",
        "村里的养猪场污水直接排到河里，鱼都死了，臭气熏天。",
        "共享单车堆在人行道上，电动车乱停，行人只能走马路。",
        "县汽车站上个厕所还要收费，厕所脏得要命。",
        "今天天气不错，和朋友去吃了火锅。",
    ],
)
def test_branches_give_what_the_whole_pattern_gives(clf: TopicClassifier, text: str) -> None:
    whole: dict[str, float] = {}
    whole_starts = set()
    for code, rx in clf._rx:
        if m := rx.search(text):
            whole[code] = whole.get(code, 0.0) + PATTERN_WEIGHT
            whole_starts.add(m.start())
    starts: list[int] = []
    hits, patterns = clf._rules(text, starts)
    assert hits == whole
    assert patterns == frozenset(whole)
    assert set(starts) == whole_starts


def test_a_pattern_counts_once(clf: TopicClassifier) -> None:
    # both branches of the street-light pattern match (没路灯, 没有…灯): one pattern, one PATTERN_WEIGHT
    text = "这条街没路灯，夜里没有一盏灯。"
    rx = next(rx for code, rx in clf._rx if code == "facilities" and "路灯" in rx.pattern and "没" in rx.pattern[:3])
    assert sum(1 for code, r in clf._rx if code == "facilities" and r.search(text)) == 1
    assert rx.search(text)
    assert clf._rules(text)[0] == {"facilities": PATTERN_WEIGHT}
