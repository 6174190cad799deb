"""Sixteenth session: what an analyst's user check found with posts of their own (about wages, services, 创全 work).
Thanks that turn to a wrong, thanks that only close an ask, a writer who asks somebody to act for them, mockery and a
fix told while the problem is still open are complaints or requests; a repost of news and an office's bulletin are
no complaint. The sentences are the user check's (/tmp/ucheck-types, posts o23, o32, o25, c05, o24, c51) or written
for these tests."""

from __future__ import annotations

import pytest

from tests.message_type_support import kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # thanks, then a turn to a wrong: the thanks are politeness
        ("谢谢社保中心的工作人员耐心解答，补卡手续很快办好了。但是窗口只有两个，排队排了一个半小时，中午还关窗口休息，"
         "这点实在不合理。", "complaint"),
        ("谢谢医生看得很仔细，但是医院收费窗口只开一个，交个费排了四十分钟，太不合理了。", "complaint"),
        # a writer who asks somebody to act for them: a request, not an inquiry, not praise for the closing thanks
        ("您好，麻烦问一下，我原来的公司拖欠我两个月工资，我已经离职了，能否请劳动监察帮忙催一下？谢谢您。", "request"),
        ("麻烦问一下，我以前的老板欠我一个月工资没给，能不能请劳动监察帮忙催一下？谢谢。", "request"),
        # mockery: kind words in scare quotes, 呵呵
        ("大场某小区交房一年了，开发商承诺的幼儿园还是一片空地，真是“言而有信”啊，佩服佩服。", "complaint"),
        ("开发商说好的年底交房，又延期了，真是“守信用”的好企业，给他们鼓掌", "complaint"),
        ("学校说买教辅是自愿的，不买的孩子老师就不理，真是“自愿”得很", "complaint"),
        ("物业说下周就来修电梯，这个“下周”可真长啊，呵呵", "complaint"),
        # a fix told, and the problem still open after it
        ("古墩路上那个施工围挡已经三年了，地铁早修好了围挡还不拆", "complaint"),
        # a light that glares is a nuisance, as a smell or a noise is
        ("益乐路上新开了一家奶茶店，招牌太亮了，晚上对着我家窗户照", "complaint"),
    ],
)
def test_complaints_and_requests_the_user_check_found_read_otherwise(text: str, expected: str) -> None:
    assert kind(text) == (expected, True)


@pytest.mark.parametrize(
    "text",
    [
        "【转发】宝山区人社局：2024年度根治欠薪冬季专项行动启动，重点排查建筑工程领域欠薪问题，劳动者可拨打12333反映。",
        "宝山区河长办通报：大场镇走马塘等3条河道水质已由劣V类提升至IV类，下一步将持续推进截污纳管工作。",
    ],
)
def test_a_repost_and_an_offices_bulletin_are_no_complaint(text: str) -> None:
    assert kind(text) == ("other", False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # praise that says what did not happen (还没多收钱, 还不多事) is no problem still open
        ("谢谢中通快递南街网点的小哥，我不在家帮我把冰箱搬到三楼还没多收钱", "praise"),
        ("给清风家政的刘阿姨点赞，干活利索还不多事，我妈说比亲戚还靠谱", "praise"),
        # thanks before a question are the writer's; a scare-quoted word of praise is no mockery
        ("今天去吃了那家“网红”火锅，真是名不虚传，好吃！", "other"),
        ("呵呵，今天又加班到十点，打工人的命", "other"),
    ],
)
def test_praise_and_everyday_posts_stay_what_they_are(text: str, expected: str) -> None:
    assert kind(text) == (expected, False)


@pytest.mark.parametrize(
    "text",
    [
        "孩子的班主任李老师每天晚上还在群里答疑，对每个孩子都特别上心，这样的好老师必须表扬！",
        "我们小区门口原来贴满小广告的那面墙，现在被画上了漂亮的墙绘，看着心情都好了，社区的同志们辛苦了！",
    ],
)
def test_praise_of_somebody_that_puts_no_wrong_is_praise(text: str) -> None:
    assert kind(text) == ("praise", False)


def test_a_hard_life_is_no_praise() -> None:
    text = ("每星期六都给孩子们补课。星期天一大堆作业。孩子活的太辛苦了。不要让孩子们成为书呆子。求你救救他们。")
    assert kind(text)[0] != "praise"


def test_a_childs_exam_is_no_job_matter() -> None:
    """考试 is a job's exam (招考, 公务员考试) in the off-topic matters, not a child's kept awake by a noise."""
    from nlp.enrich import enricher_for

    [f] = enricher_for().analyze(["晚上十一点了，楼下广场舞音响还开这么大，孩子明天还要考试，能不能管管？？"])
    assert (f["topic"], f["is_complaint"]) == ("noise", True)
    [job] = enricher_for().analyze(["请问今年事业单位考试什么时候报名？"])
    assert job["topic"] == "other"


@pytest.mark.parametrize("text", ["已经向12345反映了", "已转发给居委", "我也投诉过了"])
def test_a_reply_that_only_says_it_was_reported_is_no_complaint(text: str) -> None:
    """Replies in a thread the console's user check found flagged (29 % of the demo's complaints)."""
    assert kind(text) == ("other", False)


def test_a_reply_that_says_more_stays_a_complaint() -> None:
    assert kind("我也打过12345了，没用") == ("complaint", True)
