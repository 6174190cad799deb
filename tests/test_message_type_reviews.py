"""A glad review or post written in the complaint's register (short, about a shop's food or service) is no
complaint: the tilt towards complaints, made for letters to officials, turned 43 % of positive food-delivery
reviews into complaints (sixth session of 2026-12-05). Sentences written for these tests."""

from __future__ import annotations

import math

import pytest

from core.model import MessageType
from nlp.enrich import Enricher
from nlp.message_type import COMPLAINT_BIAS, COMPLAINT_TYPES, MessageTypeClassifier

BIAS = math.exp(COMPLAINT_BIAS)


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


@pytest.mark.parametrize("text", ["分量足，味道不错，送得也快", "骑手小哥很准时，饭菜还是热的，赞",
                                  "酒店位置很方便，前台服务热情，房间也干净"])
def test_a_glad_review_is_no_complaint(enricher: Enricher, text: str) -> None:
    (f,) = enricher.analyze([text])
    assert f["message_type"] in (MessageType.PRAISE.value, MessageType.OTHER.value) and not f["is_complaint"]


@pytest.mark.parametrize("text", ["饭菜送到都凉了，等了一个半小时", "菜很好吃，就是送餐太慢了，等了两个小时",
                                  "房间隔音太差，一晚上没睡好", "小区门口的垃圾三天没人清理了，请物业处理一下"])
def test_a_review_or_post_that_tells_a_fault_stays_a_complaint(enricher: Enricher, text: str) -> None:
    (f,) = enricher.analyze([text])
    assert f["is_complaint"]


def _decide(text: str, scores: dict[str, float], sentiment: float) -> MessageType:
    return MessageTypeClassifier._decide(text, scores, 0, False, BIAS, sentiment)


READS_PRAISE = {"complaint": 0.34, "praise": 0.62, "other": 0.01, "inquiry": 0.01, "request": 0.01, "suggestion": 0.01}
READS_NEITHER = {"complaint": 0.48, "praise": 0.39, "other": 0.05, "inquiry": 0.03, "request": 0.02,
                 "suggestion": 0.03}


def test_the_models_praise_before_the_tilt_holds_for_a_glad_short_post() -> None:
    assert _decide("送餐很快，师傅辛苦了", READS_PRAISE, 0.9) == MessageType.PRAISE
    assert _decide("送餐很快，师傅辛苦了", READS_PRAISE, 0.3) in COMPLAINT_TYPES  # not glad: the tilt decides
    # a demand or a wrong named keeps the tilt (a letter that thanks and then asks)
    assert _decide("送餐很快，希望你们尽快处理一下退款", READS_PRAISE, 0.9) in COMPLAINT_TYPES
    assert _decide("老板擅自把价格涨了，送餐倒是很快", READS_PRAISE, 0.9) in COMPLAINT_TYPES


def test_a_very_glad_short_post_the_model_reads_as_neither_is_no_complaint() -> None:
    assert _decide("配送员神速，点心也很新鲜，好", READS_NEITHER, 0.92) == MessageType.PRAISE
    assert _decide("配送员神速，点心也很新鲜，好", READS_NEITHER, 0.7) in COMPLAINT_TYPES  # only a sure sentiment
    long_letter = "尊敬的领导：" + "我们小区的情况是这样的，" * 12
    assert _decide(long_letter, READS_NEITHER, 0.95) in COMPLAINT_TYPES  # a letter to an official
