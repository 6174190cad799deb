"""Complaint cues and severity."""

from __future__ import annotations

import pytest

from core import Severity
from nlp.complaint import judge
from nlp.taxonomy import load_taxonomy

TAX = load_taxonomy()


@pytest.mark.parametrize(
    ("text", "topic", "sentiment", "expected"),
    [
        ("沪太路的路灯坏了", "facilities", 0.5, True),  # a neutral-toned report of a problem
        ("小区垃圾没人管，已经打了12345", "sanitation", 0.2, True),
        ("多次反映乱停车问题，至今没有解决", "parking", 0.3, True),
        ("场中路的垃圾终于清理干净了，为城管点赞！", "sanitation", 0.9, False),  # praise of a rectified problem
        ("已整改到位，感谢居委", "sanitation", 0.8, False),
        ("垃圾清理干净了，可没过几天又堆满了，谁来管管", "sanitation", 0.3, True),  # recurrence beats praise
        ("行知公园的绿化很漂亮", "greenery", 0.95, False),
        ("今天天气真好", "other", 0.9, False),
        ("投诉一下，这事到底谁管", "other", 0.2, True),
        # the post ends on the fix: earlier cues tell the history, not a complaint
        ("之前反映了好几次都没人管，今天看到井盖已经换了新的，效率可以", "facilities", 0.5, False),
        # …but complaining again after the praise keeps it a complaint
        ("路灯修好了，感谢！可是旁边的井盖坏了好几天了一直没人管", "facilities", 0.3, True),
        ("井盖换了新的，可是周围的路面塌陷没人管", "facilities", 0.3, True),  # one cue after the fix is enough
        ("路灯已修复。", "facilities", 0.7, False),  # a fix stated without any cue
        ("小区门口的路灯坏了，谢谢", "facilities", 0.4, True),  # a closing 谢谢 is politeness, not praise
        ("感谢居委，楼道干净多了", "sanitation", 0.9, False),
        # negations, passives and reported fixes are not praise
        ("物业太不给力了，电梯坏了三天", "property", 0.2, True),
        ("垃圾分类整治效果很差，到处是垃圾", "sanitation", 0.2, True),
        ("小区的垃圾桶被搬走了，现在大家只能把垃圾扔在路边", "sanitation", 0.3, True),
        ("12345回复说已处理，结果垃圾还在原地", "sanitation", 0.3, True),
        ("请问楼下烧烤店每天开到凌晨三点，吵得睡不着，这合法吗？", "noise", 0.2, True),
    ],
)
def test_is_complaint(text: str, topic: str, sentiment: float, expected: bool) -> None:
    assert judge(text, topic, sentiment, TAX).is_complaint is expected


def test_severity_from_urgency_and_cues() -> None:
    assert judge("路灯坏了", "facilities", 0.3, TAX).severity is Severity.NORMAL
    assert judge("店招松动了", "shop_signs", 0.3, TAX).severity is Severity.HIGH  # urgent class
    assert judge("店招松动随时会砸到人", "shop_signs", 0.3, TAX).severity is Severity.URGENT
    assert judge("窨井盖缺了，有人摔倒", "facilities", 0.3, TAX).severity is Severity.HIGH
    assert judge("违章搭建", "illegal_construction", 0.3, TAX, pattern_hit=True).severity is Severity.NORMAL
    assert judge("违章搭建举报了半年", "illegal_construction", 0.3, TAX).severity is Severity.HIGH  # chronic
    assert judge("天气真好", "other", 0.9, TAX).severity is Severity.LOW


def test_cues_are_reported() -> None:
    assert "12345" in judge("打了12345", "sanitation", 0.3, TAX).cues


def test_place_and_negative_tone_without_topic() -> None:
    assert judge("这里太让人失望了", "other", 0.1, TAX, has_place=True).is_complaint
    assert not judge("这里太让人失望了", "other", 0.1, TAX, has_place=False).is_complaint
