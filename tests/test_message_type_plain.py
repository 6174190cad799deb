"""Everyday talk is told by what a post says, not by Weibo's formatting; a question that follows a wrong, asks
whether an authority may break a rule or belittles a payment is a complaint's question (fifth session of
2026-12-05). Sentences written for these tests."""

from __future__ import annotations

import random

import pytest

from nlp.enrich import Enricher
from nlp.message_type import (
    BELITTLED,
    DEFIES_RULE,
    MessageTypeClassifier,
    asks_for_information,
    frame,
    plain,
    tidy,
)
from nlp.message_type_train import P_CLOSED, everyday_post

BOOST = 2.5  # a factor on complaint and request scores, as in test_message_type_calm


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


def test_plain_strips_microblog_formatting_but_not_document_numbers() -> None:
    post = "{%#周末#%} 今天去爬山了[哈哈][太开心] #户外运动# @小明 http://t.cn/abc //@小红:转发微博 \u200b"
    assert plain(post) == "今天去爬山了"
    assert plain("看完了一本书😂") == "看完了一本书"
    assert plain("湘政发[2019]12号文件规定的补偿") == "湘政发[2019]12号文件规定的补偿"  # no emoticon
    assert plain("关于小区停车的问题\n我们小区车位不够。") == "关于小区停车的问题\n我们小区车位不够。"


def test_tidy_drops_invisible_characters_and_reads_spaces_as_commas() -> None:
    assert tidy("换了个发型 想学画眼线  哭哭 \u200b") == "换了个发型，想学画眼线，哭哭"
    assert tidy("这合理吗?太过分了!") == "这合理吗？太过分了！"
    assert tidy("标题\n正文") == "标题\n正文"  # the subject line stays a line
    assert tidy("iPhone 15 很好用") == "iPhone 15，很好用"
    assert frame("今天去爬山了[哈哈]").startswith("今天去爬山了[哈哈]")  # the model still sees emoticons it is given


def test_everyday_posts_are_learnt_plain_and_some_closed_with_a_full_stop() -> None:
    rng = random.Random(7)
    posts = [everyday_post(f"今天{i}号天气不错 出去走走[太阳] #日常# \u200b", rng) for i in range(400)]
    assert not any("[" in p or "#" in p or "\u200b" in p for p in posts)
    closed = sum(p.endswith("。") for p in posts) / len(posts)
    assert abs(closed - P_CLOSED) < 0.1


# plain everyday sentences, with no Weibo formatting, and the same with it
EVERYDAY = [
    "早上喝了一杯豆浆，吃了两个包子。",
    "今天把阳台的花都浇了一遍水。",
    "下午在家看了两集纪录片，讲的是海洋生物。",
    "周末去郊外钓鱼，钓到了三条鲫鱼。",
    "晚上和家人一起包了饺子。",
    "新买的跑鞋很舒服，明天继续跑步。",
    "终于读完了这本历史书，收获很多。",
    "儿子今天数学考了一百分，奖励他一个冰淇淋。",
]


def test_plain_everyday_sentences_are_no_complaints_with_or_without_formatting(enricher: Enricher) -> None:
    formatted = [f"{s.rstrip('。')}[哈哈] #日常#" for s in EVERYDAY]
    out = enricher.analyze(EVERYDAY + formatted)
    assert [f["message_type"] for f in out] == ["other"] * len(out)


def test_complaints_stay_complaints(enricher: Enricher) -> None:
    texts = ["我们小区门口的路灯坏了一个多月了，晚上黑漆漆的，请有关部门尽快修好。",
             "公司拖欠我们三个月工资，老板一直推脱，请劳动监察部门帮帮我们。"]
    assert all(f["is_complaint"] for f in enricher.analyze(texts))


def test_a_question_whether_an_authority_may_break_a_rule_puts_a_wrong() -> None:
    assert DEFIES_RULE.search("国家政策写得清清楚楚，县里有权不执行吗？")
    assert DEFIES_RULE.search("难道能与法律对抗吗？")
    assert DEFIES_RULE.search("他们能随意加条件吗？")
    assert not DEFIES_RULE.search("我可以不按月缴纳吗？")  # the writer's own choice
    assert not DEFIES_RULE.search("请问单位有权查看员工的体检报告吗")  # no question mark, no refusal: 有权 + a verb
    assert not asks_for_information("文件写得清清楚楚，单位有权不给我们办吗？")
    assert asks_for_information("请问单位调岗后工龄可以连续计算吗？")


def test_a_belittled_payment_names_a_wrong() -> None:
    assert all(BELITTLED.search(t) for t in ("每亩只补偿一万元", "才发了八百元", "补偿款仅有三千元"))
    assert not BELITTLED.search("我月收入只有两千元，能否申请低保？")  # the writer's own income
    assert not BELITTLED.search("每亩补偿三万元")


def test_a_question_after_one_that_put_a_wrong_asks_no_fact() -> None:
    grievance = "低保金为何迟迟不发？已经拖了三个月了，这对困难家庭有没有影响？"
    assert not asks_for_information(grievance)
    assert asks_for_information("低保金每月几号发放？这对困难家庭有没有补助？")


def test_rhetorical_questions_after_a_grievance_are_complaints_and_calm_questions_inquiries(enricher: Enricher) -> None:
    out = enricher.analyze([
        "局长您好：我是一名乡村教师，今年申请乡村教师生活补助，结果说我不符合条件，材料也不收。"
        "文件写得清清楚楚，学校有权不执行吗？",
        "我家的房子被征收了，每平方米才补偿八百元，请问这个标准是哪里定的？",
        "我家的房子被征收了，每平方米补偿八千元，请问这个标准是哪里定的？",
        "我在外地工作，请问医保可以异地报销吗？",
    ])
    assert [f["message_type"] for f in out] == ["complaint", "complaint", "inquiry", "inquiry"]


def test_the_model_inquiry_yields_where_the_question_defies_a_rule() -> None:
    sure = {"complaint": 0.10, "request": 0.05, "inquiry": 0.74, "suggestion": 0.04, "praise": 0.03, "other": 0.04}
    defied = "我是代课教师，申请补助时说我们不符合条件。国家政策写得清清楚楚，县里有权不执行吗？"
    calm = "我是代课教师，今年想申请补助。请问代课教师补助的申请条件是什么？"
    assert MessageTypeClassifier._decide(defied, sure, 0, False, BOOST, 0.5).value == "complaint"
    assert MessageTypeClassifier._decide(calm, sure, 0, False, BOOST, 0.5).value == "inquiry"
