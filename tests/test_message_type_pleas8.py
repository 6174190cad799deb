"""Eighth session of issue #14 (M8): subject lines that plead in the writer's own case, and the question of a
sentence read without the story told before it. Sentences written for these tests."""

from __future__ import annotations

import pytest

from nlp.message_type import MessageTypeClassifier, asks_for_information, question_part

#: the model leans to a complaint and gives the request little (a plea must come from the subject line)
FIRM = {"complaint": 0.55, "request": 0.05, "inquiry": 0.12, "suggestion": 0.06, "praise": 0.04, "other": 0.18}
BOOST = 1.3
BODY = "我们几户人家的生活一直很困难，已经等了好几年了，实在没有别的办法。"


def decide(text: str, scores: dict[str, float] = FIRM, judged: int = 0) -> str:
    return MessageTypeClassifier._decide(text, scores, judged, False, BOOST, 0.4).value


@pytest.mark.parametrize(
    "title",
    # no 解决/帮 after the plea: SAYS_REQUEST (请求…解决, 恳请…帮) would read those without the subject line's rule
    ["关于请求落实我们几户人家安置房的报告", "强烈请求市住建局给我们办理房产证", "关于恳请落实老民办教师待遇的请示",
     "诚恳请求补办我父亲的退休手续"],
)
def test_a_subject_line_that_opens_with_a_plea_after_guan_yu_or_an_adverb_is_a_request(title: str) -> None:
    assert decide(f"{title}\n{BODY}") == "request"


@pytest.mark.parametrize(
    "title",
    ["请社保局按时给我们办理退休手续", "请县里妥善安排我们厂一百多户住户"],
)
def test_a_subject_line_that_asks_for_care_in_the_writers_case_is_a_request(title: str) -> None:
    # the writer in the subject line
    assert decide(f"{title}\n{BODY}") == "request"


@pytest.mark.parametrize(
    "title",
    ["请关注一下老纺织厂的下岗职工", "请尽快发放去年的执业资格证", "八十年代民办教师的待遇问题请考虑"],
)
def test_a_plea_for_care_whose_letter_opens_with_who_the_writer_is_is_a_request(title: str) -> None:
    # the writer in the opening of a letter to an official (a salutation, then 我是… / 我们是…)
    body = "刘厅长：您好！我们是县纺织厂的老职工，厂子关了十几年，大家的生活一直很困难，盼望领导给个答复。"
    assert decide(f"{title}\n{body}") == "request"


@pytest.mark.parametrize(
    "title",
    ["关于请求彻查建材公司诈骗行为的报告", "请求彻查建材公司偷工减料的行为", "强烈请求查处河边的无证砂石场",
     "请求取缔小区门口的非法诊所"],
)
def test_a_plea_to_punish_a_wrong_stays_a_complaint(title: str) -> None:
    body = "那里每天都有人进进出出，附近居民意见很大，多次反映都没有结果。"
    assert decide(f"{title}\n{body}") == "complaint"


def test_a_question_is_no_plea() -> None:
    # 请问…办理 asks for a fact; 请示 names a report, not a plea for care
    text = "请问在县里办理残疾证要满足哪些条件？\n请问办理残疾证需要满足哪些条件？"
    assert decide(text, {**FIRM, "inquiry": 0.30}) == "inquiry"


def test_a_question_is_read_from_its_first_asking_clause() -> None:
    assert question_part("单位说要扣我的奖金，这个工伤假应该怎么算？") == "这个工伤假应该怎么算？"
    assert question_part("我在乡镇上班，请问我们可以享受补贴吗？") == "请问我们可以享受补贴吗？"
    assert question_part("补贴已经发了。") == "补贴已经发了。"


def test_the_story_before_a_fact_question_puts_no_wrong_into_it() -> None:
    # the story's 欠/扣 are no wrong put by the question that follows in the same sentence
    assert asks_for_information("休了一个半月工伤假，单位说年底要扣考勤，这个假应该怎么算？")
    # ... while a question that itself puts a wrong stays one
    assert not asks_for_information("休了一个半月工伤假，为什么单位要扣我的考勤？")
    assert not asks_for_information("补贴欠了两年，凭什么还不发？")


def test_the_calibration_records_what_the_enricher_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--calibrate`` replays the enricher's inputs at every bias, the topic stage's rule evidence included (the
    recorder once refused the enricher's ``rule_scores`` and the command failed)."""
    import nlp.message_type_train as mtt

    rows = [{"留言主题": "关于小区路灯的问题", "留言详情": "小区的路灯坏了半年，一直没人修，晚上出门很不方便。"},
            {"留言主题": "", "留言详情": "请问办理居住证需要哪些材料？"}]
    flags = mtt._flags_by_bias(None, rows)
    assert set(flags) == set(mtt.BIAS_GRID)
    assert all(len(v) == len(rows) for v in flags.values())


@pytest.mark.parametrize(
    "text",
    ["景点的无线网名字五花八门，很不合理，提点个人建议，名字统一设置成景区的名字。",
     "我是在县城开店的，现在步行街晚上八点就清场很不合理，我的建议是周末延长到晚上十点。"],
)
def test_a_writer_who_names_a_proposal_writes_a_suggestion(text: str) -> None:
    # the letter names a wrong (不合理), so it is tilted; the writer calls it a proposal
    scores = {"complaint": 0.40, "request": 0.02, "inquiry": 0.05, "suggestion": 0.20, "praise": 0.08, "other": 0.25}
    assert decide(text, scores) == "suggestion"


def test_a_subject_line_that_asks_for_a_law_proposes() -> None:
    text = "可否立法禁止中小学教师有偿补课？\n国家可否立法禁止在职教师有偿补课，艺术类可以例外。"
    scores = {"complaint": 0.22, "request": 0.02, "inquiry": 0.05, "suggestion": 0.06, "praise": 0.08, "other": 0.57}
    assert decide(text, scores) == "suggestion"


def test_guo_wen_asks_someone_to_act_not_for_an_answer() -> None:
    # 过问一下 (look into it) is no 问一下 (let me ask)
    text = "王局长：你好！请你过问一下我们小区的房屋质量问题。"
    scores = {"complaint": 0.19, "request": 0.02, "inquiry": 0.08, "suggestion": 0.02, "praise": 0.07, "other": 0.62}
    assert decide(text, scores) == "complaint"
    assert decide("王局长：你好！我想问一下我们小区的房产证什么时候能办？", scores) == "inquiry"


def test_a_date_before_which_something_happened_is_no_news_reports_ri_qian() -> None:
    # 十一日前后 (around the eleventh) dates the story; 日前 (recently) opens a news report
    from nlp.message_type import NOTICE

    assert not NOTICE.search("城东有一辆黑车，今年四月十一日前后多次给人运送赃物，扰乱出租车市场。")
    assert not NOTICE.search("请在三月二十日前交齐材料。")
    assert NOTICE.search("日前，县城管局开展了占道经营整治行动。")
    assert NOTICE.search("县城管局日前通报了一批违规商户。")
