"""Where the writer's words, the model and the complaint judge meet: letters to officials against everyday talk
(fourth session of 2026-12-05). Sentences written for these tests."""

from __future__ import annotations

import math

import pytest

from core.model import MessageType
from nlp.message_type import COMPLAINT_BIAS, MessageTypeClassifier

BOOST = math.exp(COMPLAINT_BIAS)


def scores(best: str, p_best: float, p_other: float) -> dict[str, float]:
    """Model probabilities with ``best`` leading the civic kinds and ``p_other`` for everyday talk."""
    kinds = ["complaint", "request", "inquiry", "suggestion", "praise"]
    rest = (1.0 - p_best - p_other) / (len(kinds) - 1)
    out = {k: rest for k in kinds}
    out["other"] = p_other
    if best != "other":
        out[best] = p_best
    return out


def decide(text: str, sc: dict[str, float], judged: int = 0, praised: bool = False, sentiment: float = 0.5):
    return MessageTypeClassifier._decide(text, sc, judged, praised, BOOST, sentiment)


@pytest.mark.parametrize("text", ["姐妹们快去举报那个造谣的营销号，别让哥哥受委屈",
                                  "哈哈哈求求你别再唱了，笑得我肚子疼"])
def test_the_writers_word_yields_to_sure_everyday_talk(text: str) -> None:
    # fan chatter with 举报 / 求求 is no complaint or request when the model is sure it is everyday talk ...
    assert decide(text, scores("complaint", 0.03, 0.95)) is MessageType.OTHER
    # ... but it is where the model is unsure, where the judge saw a local problem, and without a model
    said = decide(text, scores("complaint", 0.3, 0.6))
    assert said in (MessageType.COMPLAINT, MessageType.REQUEST)
    # (a 创全 problem the judge found is a complaint, whatever plea the writer makes)
    assert decide(text, scores("complaint", 0.03, 0.95), judged=2) is MessageType.COMPLAINT
    assert decide(text, {}) is said


def test_a_letter_that_closes_with_thanks_is_no_praise() -> None:
    ask = "局长：您好！学校门口的小卖部把过期零食改了日期再卖，请您派人查一查，谢谢！"
    fixed = "局长：您好！学校门口堆了半个月的建筑垃圾昨天已经清理干净了，谢谢！"
    complaint_first = scores("complaint", 0.5, 0.2)
    assert decide(ask, complaint_first, praised=True) is MessageType.COMPLAINT
    assert decide(fixed, complaint_first, praised=True) is MessageType.PRAISE  # thanks for a fix stay praise
    # a post to nobody in particular that ends with thanks stays the judge's praise
    assert decide("学校门口的小卖部换了老板，东西新鲜多了，谢谢", complaint_first, praised=True) is MessageType.PRAISE


def test_a_titled_letter_is_no_pleasant_everyday_post() -> None:
    body = "县一中每个周末都让学生回校上课，还要另外交钱，希望教育局去了解一下。"
    sc = scores("complaint", 0.3, 0.4)
    assert decide("县一中周末还在上课\n" + body, sc, sentiment=0.8) is MessageType.COMPLAINT
    assert decide("周末带孩子去公园放风筝，草地上人真多", sc, sentiment=0.9) is MessageType.OTHER
    # a forum post's title is no letter's subject line: its pleasant post stays everyday talk
    assert decide("大华路随手拍\n周末带孩子去大华路转了一圈，天气真好", sc, sentiment=0.9) is MessageType.OTHER
    assert decide("关于大华路的情况\n周末带孩子去大华路转了一圈，天气真好", sc, sentiment=0.9) is MessageType.OTHER
    asks = "大华路随手拍\n周末带孩子去大华路转了一圈，希望城管来看看"
    assert decide(asks, sc, sentiment=0.9) is MessageType.COMPLAINT


@pytest.mark.parametrize("text", [  # titled everyday posts (a reviewer's own; they had become complaints)
    "问题不大\n今天考试有点难，不过问题不大，下周继续努力。",
    "何时再相聚\n老同学们，毕业十年了，希望大家有空回来看看。",
    "为何如此好看\n大场湿地公园的芦苇荡太美了，拍照超出片。",
    "情况说明\n我们班同学聚会改到下周六，地点不变。",
    "关于大场医院的一点感受\n妈妈住院期间王医生每天来查房，非常耐心细致，我们全家都很感激。",
    "游戏日记\n今晚打了五局，希望下一局能赢，结局还是输了。",
    "周末活动\n邀请各位街坊参加本周六社区游园会，希望大家踊跃参加，街道会准备小礼品。",
])
def test_a_titled_everyday_post_is_no_complaint(text: str) -> None:
    from nlp.enrich import Enricher

    (fields,) = Enricher().analyze([text])
    assert not fields["is_complaint"], fields["message_type"]


def test_please_ask_does_not_hide_a_local_problem() -> None:
    text = "请问县城东门菜场旁的垃圾堆什么时候能清走？苍蝇蚊子到处飞，附近住户都不敢开窗"
    sc = scores("inquiry", 0.4, 0.2)
    assert decide(text, sc, judged=2) is MessageType.COMPLAINT
    assert decide(text, sc, judged=0) is MessageType.INQUIRY


def test_a_question_in_the_subject_line_yields_to_a_plea_in_the_letter() -> None:
    text = ("请问下岗职工的生活补助怎么申请？\n我今年五十二岁，原来在农机厂上班，厂子倒闭后一直打零工，老伴常年吃药，"
            "儿子还在读书，家里的开销全靠我一个人，去社区问过几次都说等通知，实在没有办法了，请领导给我们想想办法。")
    assert decide(text, scores("request", 0.4, 0.1)) is MessageType.REQUEST
    assert decide(text, scores("inquiry", 0.4, 0.1)) is MessageType.INQUIRY


def test_the_bias_is_the_smallest_that_reaches_the_target() -> None:
    from nlp.message_type_train import BIAS_GRID, _choose

    flags = {b: [True] * (80 + i) + [False] * (20 - i) for i, b in enumerate(BIAS_GRID)}  # 0.80 … 1.00
    assert _choose(flags, 0.86) == BIAS_GRID[6] == 0.6
    assert _choose({b: [False] for b in BIAS_GRID}, 0.86) == BIAS_GRID[-1]  # never reached: the largest


def test_a_deadline_is_no_news_report() -> None:
    from nlp.message_type import NOTICE

    assert NOTICE.search("日前，镇城管中队对沿街商铺开展了专项整治")
    assert not NOTICE.search("孩子要在8月31日前满六周岁才能报名，差几天也不行吗？")
    assert not NOTICE.search("必须在本月15号日前交齐材料")


def test_a_call_to_stop_a_wrong_is_a_complaint() -> None:
    # the subject line or opening does not make a suggestion of it: the model's tilted reading decides
    sc = {"complaint": 0.3, "suggestion": 0.35, "request": 0.05, "inquiry": 0.05, "praise": 0.05, "other": 0.2}
    stop = "强烈呼吁取缔镇东头那家无证经营的废品收购站\n收购站堆得到处都是，附近住户意见很大，望领导过问。"
    propose = "呼吁在镇东头建一个便民菜市场\n附近几个小区的居民买菜要走很远，希望领导考虑。"
    assert decide(stop, sc) is MessageType.COMPLAINT
    assert decide(propose, sc) is MessageType.SUGGESTION
    assert decide("建议严查校门口无证摊贩，孩子们天天买着吃，出了问题谁负责", sc) is MessageType.COMPLAINT
