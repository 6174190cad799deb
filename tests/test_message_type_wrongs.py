"""A letter that reports a wrong done by someone (a school, a firm, an official, a neighbour) and asks officials to
act is a complaint whatever its length; a plain question about a policy stays an inquiry, and everyday posts stay
``other`` (sixth session of 2026-12-05). Sentences written for these tests, in residents' style."""

from __future__ import annotations

import pytest

from nlp.enrich import Enricher
from nlp.message_type import (
    ADMIN_AREA,
    NAMES_WRONG,
    NOT_INFO,
    MessageTypeClassifier,
    aggrieved,
    public_wrong,
)

BIAS = 3.7  # ≈ exp(1.3), the shipped tilt
#: the model reads everyday talk (a short letter written like a post)
EVERYDAY = {"complaint": 0.20, "request": 0.01, "inquiry": 0.02, "suggestion": 0.01, "praise": 0.04, "other": 0.72}
#: ... leans to a complaint but half reads everyday talk (the "pleasant post" reading is possible)
HALF = {"complaint": 0.52, "request": 0.01, "inquiry": 0.03, "suggestion": 0.02, "praise": 0.05, "other": 0.37}
#: ... reads an inquiry
ASKS = {"complaint": 0.20, "request": 0.02, "inquiry": 0.63, "suggestion": 0.03, "praise": 0.03, "other": 0.09}


def decide(text: str, scores: dict[str, float], sentiment: float = 0.4, praised: bool = False) -> str:
    return MessageTypeClassifier._decide(text, scores, 0, praised, BIAS, sentiment).value


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


# --- the pieces ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "菜场的摊主短斤少两，一斤肉少了一两多。",
    "开发商偷工减料，墙一敲就掉渣。",
    "村干部套取低保名额给自己亲戚。",
    "公司拒绝支付加班费。",
    "补偿款签协议半年了，至今未发放。",
    "反映了好几次，城管视而不见。",
    "驾校说不交钱就约不上考试。",
    "他们逼我们签字。",
    "补贴一拖再拖，说好的年底也没发。",
    "开发商把交房拖到了明年。",
    "公司就是不发工资，老板电话也不接。",
    "我们多次上访都无果。",
    "在平台上反映了三个月，至今没有任何回复。",
])
def test_wrongs_done_by_someone_are_named(text: str) -> None:
    assert NAMES_WRONG.search(text)


@pytest.mark.parametrize("text", [
    "这个演员的演技真牛逼。",
    "苦逼的一天，作业写不完。",
    "我拒绝再吃外卖了。",
    "这本书至今未看完。",
    "周末在家拖地洗衣服。",
    "新买的拖鞋很舒服。",
    "我就是不想早起。",
])
def test_everyday_words_name_no_wrong(text: str) -> None:
    assert not NAMES_WRONG.search(text)


def test_a_named_area_is_a_district_town_or_street_not_an_estate_or_a_shop() -> None:
    for text in ("南山区", "东湖镇", "河西街道", "L3县", "A市"):
        assert ADMIN_AREA.search(f"{text}的某学校"), text
    for text in ("我们小区门口", "去超市买菜", "这座城市很美", "市场里人很多", "景区门票"):
        assert not ADMIN_AREA.search(text), text


def test_a_pleasant_question_puts_no_wrong() -> None:
    assert aggrieved("为什么北街小学每学期都要家长交三百元资料费？")
    assert aggrieved("幸福路菜场后面有人私设赌场，望公安机关予以取缔。")
    assert not aggrieved("这家面馆为什么这么好吃？周末又去了一次。")
    assert not aggrieved("老板居然送了我们一盘肥牛，太开心了。")


def test_a_public_wrong_names_who_did_it_and_where() -> None:
    assert public_wrong("西湖区的某中学强行要求学生在学校订校服，一套要六百元。")
    assert public_wrong("小区门口的托管班收费很高，希望教育局去查一查。")  # asks an authority
    assert not public_wrong("西湖区的某中学今天开运动会，孩子跑了第一名。")  # no wrong
    assert not public_wrong("室友强行拉我去跑步，累死了。")  # a wrong of sorts, nobody public, nowhere named
    assert not public_wrong("#恳请教育局推迟开学# 转发支持")  # a hashtag asks nobody


def test_a_subject_line_asking_whether_somebody_did_a_wrong_puts_a_wrong() -> None:
    for title in ("村干部是否有套取扶贫资金的行为？", "供水公司与物价局是一伙的吗？", "学校食堂的卫生能否查查？"):
        assert NOT_INFO.search(title), title
    assert not NOT_INFO.search("新农合在外地住院是否可以报销？")


# --- the decision paths ----------------------------------------------------------------------------------------

def test_a_short_report_of_a_public_wrong_is_no_everyday_talk() -> None:
    assert decide("西湖区的某中学强行要求学生在学校订校服，一套要六百元。", EVERYDAY) == "complaint"
    assert decide("南山区某驾校考试前要学员每人交两百元打点费，不交就约不上考试。", EVERYDAY) == "complaint"
    assert decide("西湖区的某中学今天开运动会，孩子跑了第一名。", EVERYDAY) == "other"
    assert decide("室友强行拉我去跑步，累死了。", EVERYDAY) == "other"


def test_a_wrong_put_as_a_question_is_no_pleasant_post() -> None:
    assert decide("为什么北街小学每学期都要家长交三百元资料费？", HALF, sentiment=0.7) == "complaint"
    assert decide("这家面馆为什么这么好吃？周末又去了一次。", HALF, sentiment=0.7) == "other"


def test_a_letter_opening_with_please_ask_yields_to_its_wrong_or_demand() -> None:
    assert decide("请问，物业擅自把小区绿地改成停车位收费，业主该找哪个部门？", ASKS) == "complaint"
    assert decide("请问我的补偿款什么时候发？签协议半年了，至今未发放。", ASKS) == "complaint"
    assert decide("请问新出台的生育补贴政策，二孩家庭每月能领多少？", ASKS) == "inquiry"
    assert decide("请问区住建局，我们的安置补贴到底要拖到什么时候才发？", ASKS) == "complaint"
    # 有这个说法吗 asks whether a rumour holds; 给个说法 demands an answer for a wrong
    assert decide("听说明年起小学要取消期末考试，请问有这个说法吗？", ASKS) == "inquiry"
    assert decide("请问学校凭空多收了两百元，能不能给家长一个说法？", ASKS) == "complaint"


def test_a_question_that_puts_a_wrong_is_no_calm_question() -> None:
    text = "在职教师能在校外办辅导班吗？如果不能，为什么隔壁班的老师可以办？"
    assert decide(text, ASKS) == "complaint"
    assert decide("镇上的幼儿园明年秋季招生，小班要满三周岁吗？", ASKS) == "inquiry"


def test_a_subject_question_yields_to_a_body_whose_questions_put_a_wrong() -> None:
    wrong = "小区的垃圾清运费标准是多少？\n物业每户每月收二十元，垃圾却三天才清一次，到底谁来管？收了钱为什么不干活？"
    plain_q = "小区的垃圾清运费标准是多少？\n物业每户每月收二十元，请问这个标准是哪个部门定的？"
    assert decide(wrong, ASKS) == "complaint"
    assert decide(plain_q, ASKS) == "inquiry"


def test_a_call_to_put_a_wrong_right_is_no_suggestion() -> None:
    assert decide("呼吁街道出来管管小区门口的黑车，天天拉客堵路。", HALF) == "complaint"
    assert decide("呼吁街道在小区门口增设一个公交站。", HALF) == "suggestion"


def test_thanks_after_a_demand_are_politeness() -> None:
    text = "前进路的水果店老板用的秤少了二两，我称了三次都一样，请市场监管所查一查。谢谢！"
    assert decide(text, HALF, praised=True) == "complaint"
    assert decide("谢谢大家的生日祝福，周末请大家吃蛋糕！", EVERYDAY, praised=True) == "praise"


def test_a_letter_to_an_official_that_opens_with_news_is_no_notice() -> None:
    letter = "王局长：您好！据悉，青石村的危房改造补助已经下拨半年了，可是至今未发放到户，请您过问一下。"
    assert decide(letter, EVERYDAY) == "complaint"
    assert decide("据悉，市图书馆下周起延长开放时间到晚上九点。", EVERYDAY) == "other"


# --- the whole enricher ----------------------------------------------------------------------------------------

COMPLAINTS = [
    "请问，物业擅自把小区绿地改成停车位收费，业主该找哪个部门？",
    "请问公积金中心为什么拒绝给我办理提取？材料都齐全了。",
    "青山村村干部是否有套取扶贫资金的行为？\n村里去年修路，每户都摊了钱，可是上面也拨了款，账目从来不公开。",
    "幸福路菜场后面有人私设赌场，望公安机关予以取缔。",
    "南山区某驾校考试前要学员每人交两百元“打点费”，不交就约不上考试。",
    "前进路的水果店老板用的秤少了二两，我称了三次都一样，请市场监管所查一查。谢谢！",
]
NOT_COMPLAINTS = [
    ("牛逼！东湖公园的樱花全开了，周末带娃去看。", "other"),
    ("周末和朋友去吃火锅，老板居然送了我们一盘肥牛，太开心了。", "other"),
    ("这家面馆为什么这么好吃？周末又去了一次。", "other"),
    ("今天在江湾镇的老街逛了一下午，小吃很多，居然还有卖糖画的。", "other"),
    ("我们公司年会在浦东区的酒店办的，抽奖抽到一台电视机，运气真好。", "other"),
    ("据悉，市图书馆下周起延长开放时间到晚上九点。", "other"),
    ("请问市民中心周六上班吗？想去办社保卡。", "inquiry"),
    ("请问新出台的生育补贴政策，二孩家庭每月能领多少？", "inquiry"),
]


def test_reports_of_wrongs_are_complaints_through_the_enricher(enricher: Enricher) -> None:
    out = enricher.analyze(COMPLAINTS)
    assert [f["message_type"] for f in out] == ["complaint"] * len(COMPLAINTS)


def test_everyday_posts_and_plain_questions_are_not_through_the_enricher(enricher: Enricher) -> None:
    out = enricher.analyze([t for t, _ in NOT_COMPLAINTS])
    assert [f["message_type"] for f in out] == [kind for _, kind in NOT_COMPLAINTS]
