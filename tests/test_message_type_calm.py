"""A letter that demands nothing and names no wrong is not tilted towards complaints: a short one that asks for a
fact is an inquiry, one that proposes a policy or a facility a suggestion, unless the model is clearly against it.
A demand (希望…处理, 请…查, 要求…退还, 还我们一个公道) or a wrong named (违规, 拖欠, 不合理 …) keeps the tilt.
Sentences written for these tests."""

from __future__ import annotations

import random

import pytest

from nlp.letters_messages import STANDING, compose_asks
from nlp.message_type import (
    DEMANDS_ACTION,
    NAMES_WRONG,
    PLAIN_MAX,
    MessageTypeClassifier,
    proposes,
)
from nlp.message_type_train import titled_post

#: model scores that lean to a complaint, with some inquiry and suggestion (as on real letters)
LEANS = {"complaint": 0.40, "request": 0.04, "inquiry": 0.20, "suggestion": 0.18, "praise": 0.06, "other": 0.12}
#: ... and scores clearly against the writer's ask
SURE = {"complaint": 0.70, "request": 0.04, "inquiry": 0.08, "suggestion": 0.07, "praise": 0.03, "other": 0.08}
BOOST = 2.5  # factor on complaint and request scores (shipped: exp(COMPLAINT_BIAS)); calm letters need no small one


def decide(text: str, scores: dict[str, float] = LEANS, judged: int = 0) -> str:
    return MessageTypeClassifier._decide(text, scores, judged, False, BOOST, 0.4).value


@pytest.mark.parametrize(
    "text",
    [
        "我爱人去年在外省生了二胎，户口还在老家，孩子的出生证明在哪里换发？",
        "我在县城的私营企业上班，交了六年社保，辞职以后这六年还能接着算工龄吗？",
        "老家的宅基地证丢了，补办需要村里出证明吗？需要的话找哪个部门盖章？",
        "退休后户口迁到女儿所在的城市，养老金是否可以在那边领取？谢谢。",
    ],
)
def test_a_short_calm_question_is_an_inquiry(text: str) -> None:
    assert len(text) <= PLAIN_MAX and not DEMANDS_ACTION.search(text) and not NAMES_WRONG.search(text)
    assert decide(text) == "inquiry"


@pytest.mark.parametrize(
    "text",
    [
        # the same kind of question with a demand, a wrong named, or the writer's anger
        "我在县城的私营企业上班，交了六年社保，辞职以后这六年还能接着算工龄吗？希望有关部门尽快处理。",
        "单位违规停了我们的社保，辞职以后这六年还能接着算工龄吗？",
        "老家的宅基地证办了三年，村干部一直刁难，补办需要村里出证明吗？",
        "退休后养老金被拖欠了半年，是否可以在女儿那边领取？请领导给我们一个说法。",
    ],
)
def test_a_question_with_a_demand_or_a_wrong_keeps_the_tilt(text: str) -> None:
    assert decide(text) == "complaint"


def test_a_short_calm_question_that_proposes_is_read_as_an_inquiry() -> None:
    # 能不能…？ proposes and asks at once (labellers read it both ways); the question wins in a short letter
    text = "外地很多城市已经把公积金提取改为网上办理，我市能不能也推行网上办理？"
    assert proposes(text) and decide(text) == "inquiry"


def test_a_long_letter_keeps_the_tilt_and_a_sure_model_wins() -> None:
    long = "我是在镇上开小店的个体户，" + "这几年生意一年比一年难做，" * 25 + "个体户的医保可以在县城交吗？"
    assert len(long) > PLAIN_MAX and decide(long) == "complaint"
    assert decide("退休后户口迁到女儿所在的城市，养老金是否可以在那边领取？", SURE) == "complaint"
    # a local problem the complaint judge found stays a complaint
    assert decide("退休后户口迁到女儿所在的城市，养老金是否可以在那边领取？", judged=2) == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "城东新区入住的人越来越多，早晚坐公交要等很久，建议开通一条通往老城区的公交线路。",
        "外地很多城市已经把公积金提取改为网上办理，我市也可以推行网上办理，让大家少跑几趟。",
        "我认为可以在河边修建一条步道，既方便居民散步，又能提升城市形象，望采纳。",
    ],
)
def test_a_calm_proposal_is_a_suggestion(text: str) -> None:
    assert proposes(text) and not DEMANDS_ACTION.search(text) and not NAMES_WRONG.search(text)
    assert decide(text) == "suggestion"


@pytest.mark.parametrize(
    "text",
    [
        "建议严查城东那家夜宵店的油烟直排问题。",  # to stop a wrong
        "我们小区旁边的菜场门口天天占道经营，一直没人管，建议增设一个临时摊点区。",  # a wrong named
        "公交站被拆了也不恢复，请有关部门尽快处理，建议增设一个站点。",  # a demand
    ],
)
def test_a_proposal_against_a_wrong_keeps_the_tilt(text: str) -> None:
    assert decide(text) == "complaint"


def test_proposes_needs_a_proposal_and_an_act_of_policy() -> None:
    assert proposes("希望在学校门口设置一个红绿灯。")
    assert not proposes("希望大家周末玩得开心。")  # no act of policy or facility
    assert not proposes("建议严查无证经营的黑诊所。")  # an act on a wrong


def test_demands_and_wrongs() -> None:
    assert DEMANDS_ACTION.search("恳请领导过问一下") and DEMANDS_ACTION.search("请有关部门查一查")
    assert DEMANDS_ACTION.search("还我们一个公道") and DEMANDS_ACTION.search("要求开发商退还定金")
    assert not DEMANDS_ACTION.search("请问公积金怎么提取？谢谢")
    assert NAMES_WRONG.search("物业乱收费") and NAMES_WRONG.search("这样分配不合理")
    assert not NAMES_WRONG.search("我想了解一下收费标准")


def test_composed_asks_share_their_stories() -> None:
    letters = compose_asks(60)
    assert set(letters) == {"inquiry", "complaint", "suggestion"} and all(len(v) == 60 for v in letters.values())
    # the same standing is told in inquiries and in complaints: only the ask tells them apart
    told = {k: {s for s in STANDING if any(s in t for t in v)} for k, v in letters.items()}
    assert len(told["inquiry"] & told["complaint"]) >= 10
    assert not any(DEMANDS_ACTION.search(t) or NAMES_WRONG.search(t) for t in letters["inquiry"])
    assert sum(bool(DEMANDS_ACTION.search(t) or NAMES_WRONG.search(t) or "？" in t) for t in letters["complaint"]) > 45


def test_a_share_of_everyday_posts_gets_a_subject_line() -> None:
    rng = random.Random(1)
    post = "今天和朋友去江边骑车。风很大，但是晚霞特别好看，拍了好多照片。"
    out = [titled_post(post, rng) for _ in range(400)]
    titled = [t for t in out if "\n" in t]
    assert 50 < len(titled) < 150
    assert all(t == "今天和朋友去江边骑车\n风很大，但是晚霞特别好看，拍了好多照片。" for t in titled)
    assert titled_post("没有句号的短帖", random.Random(0)) == "没有句号的短帖"


def test_a_model_inquiry_keeps_the_tilt_when_the_letter_demands() -> None:
    # the model leans to an inquiry, but the letter asks someone to act: the complaint tilt applies again
    scores = {"complaint": 0.20, "request": 0.04, "inquiry": 0.30, "suggestion": 0.1, "praise": 0.06, "other": 0.3}
    calm = "我父亲退休十年了，今年的养老金是否已经调整？"
    assert decide(calm, scores) == "inquiry"
    assert decide(calm + "单位一直不给说明，恳请领导过问此事。", scores) == "complaint"


@pytest.mark.parametrize(
    ("title", "body", "kind"),
    [
        ("请问公租房的申请条件是什么？", "我在县城上班三年了，一直租房住，想申请公租房。", "inquiry"),
        ("请问公租房的申请条件是什么？", "交了三次材料，窗口一直推说不全，请有关部门查一查。", "complaint"),
        ("农民工的医保在哪里报销", "我在外地工地干活，住院花了两万多，想回老家报销。", "inquiry"),
        ("农民工的医保在哪里报销", "我在外地工地干活，住院花了两万多，老板不管，希望政府为我们做主。", "complaint"),
    ],
)
def test_a_subject_line_question_yields_to_a_body_that_demands(title: str, body: str, kind: str) -> None:
    assert decide(f"{title}\n{body}") == kind


@pytest.mark.parametrize(
    "title",
    ["恳求领导批准我们村的危房改造补助", "请县里关心一下我们山区代课教师的待遇", "请领导过问一下我父亲的工伤赔偿"],
)
def test_a_subject_line_that_pleads_is_a_request(title: str) -> None:
    assert decide(f"{title}\n我们家里困难，老人常年生病，孩子还在读书。") == "request"


def test_a_demand_is_read_within_its_sentence() -> None:
    # 希望 … 还 across a full stop is no demand (希望和曙光。我还…)
    assert not DEMANDS_ACTION.search("新政策让我们看到了希望和曙光。我还想再问一个问题。")
    assert DEMANDS_ACTION.search("希望有关部门尽快还我们一个安静的夜晚。")


@pytest.mark.parametrize(
    ("question", "info"),
    [
        ("外出务工买了社保，还需要缴纳农村合作医疗么？", True),  # 么 asks like 吗
        ("这个文件在我省执行吗？", True),  # 执行吗 is no 行吗
        ("企业停产以后，职工的社保如何处理？", True),  # 如何处理 asks how
        ("卫生院的废水净化后能排进污水处理厂吗？", True),  # 污水处理厂 is no call to 处理 a wrong
        ("别人家补贴十几万，我们家才一两万，这算什么？", False),  # 什么 is no 么
        ("文件不是规定可以享受产假吗？", False),  # 不是…吗 puts a wrong
        ("这个问题什么时候才能处理？", False),
    ],
)
def test_questions_for_facts(question: str, info: bool) -> None:
    from nlp.message_type import asks_for_information

    assert asks_for_information(question) is info


def test_proposals_of_rules_that_simplify_or_open() -> None:
    assert proposes("希望有关部门简化医保报销的手续。")
    assert proposes("建议把违章记录在网上公开。")
    assert proposes("我建言规范汽车站的布局。")


def test_a_salutation_under_a_subject_line_addresses_an_official() -> None:
    # a pleasant-sounding short letter to an official is no everyday post, salutation first or under a subject line
    text = "请关注菜市场的卫生\n局长：你好！菜市场东门的摊位把烂菜叶堆在路边，请您派人看一看，谢谢！"
    everyday = {"complaint": 0.35, "request": 0.02, "inquiry": 0.02, "suggestion": 0.05, "praise": 0.1, "other": 0.46}
    assert MessageTypeClassifier._decide(text, everyday, 0, False, BOOST, 0.8).value == "complaint"
    chat = "周末随手拍\n天气真好，带孩子去公园放风筝，草地上人很多，大家都很开心。"
    assert MessageTypeClassifier._decide(chat, everyday, 0, False, BOOST, 0.8).value == "other"


def test_a_subject_line_that_asks_to_act_is_no_everyday_talk() -> None:
    # a long letter in words the everyday class knows, under a subject line asking for action
    story = "我们这里原本是个好地方，大家都很喜欢这里，周末常带着孩子出去玩。" * 8
    # (the model sure of everyday talk: above OTHER_MIN_LONG for a long text)
    everyday = {"complaint": 0.03, "request": 0.01, "inquiry": 0.01, "suggestion": 0.01, "praise": 0.01, "other": 0.93}
    assert decide(f"请严查城南那家假冒保健品店\n{story}", everyday) == "complaint"
    assert decide(f"城南周末好去处\n{story}", everyday) == "other"
