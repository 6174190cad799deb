"""What a subject line asks: a question for a fact is an inquiry, a proposal of a facility or policy is a
suggestion, a question that puts a wrong stays a complaint; a letter to an official is no everyday talk, and the
thanks closing a question is no praise. Sentences written for these tests."""

from __future__ import annotations

import pytest

from nlp.message_type import (
    ADDRESSED,
    INFO_QUESTION,
    NOT_INFO,
    PROPOSAL_ACT,
    PROPOSAL_TITLE,
    MessageTypeClassifier,
    asks_for_information,
)

BODY = "我在外地工作多年，今年回到县城，家里老人身体不好，孩子也要上学，想提前了解清楚。"
#: model scores that lean to a complaint (as the model does on long real letters)
LEANS_COMPLAINT = {"complaint": 0.45, "request": 0.05, "inquiry": 0.2, "suggestion": 0.1, "praise": 0.05, "other": 0.15}


def decide(text: str, scores: dict[str, float] | None = None, judged: int = 0, praised: bool = False) -> str:
    return MessageTypeClassifier._decide(text, scores or LEANS_COMPLAINT, judged, praised, 1.0, 0.5).value


@pytest.mark.parametrize(
    "title",
    [
        "县城公办幼儿园的保育费标准是多少？",
        "退役军人的优待证在哪里办理？",
        "灵活就业人员是否可以参加职工医保？",
        "外地户口的孩子能不能在县城参加中考？",
        "新建的游泳馆何时开始对外开放",
        "残疾人的护理补贴还需要每年认证吗？",
        "农村自建房办房产证，该去哪些部门开证明",  # 去哪些: no 去哪了
        "什么时候可以在网上查询公积金余额？",
        "首套房的商业贷款最多能贷多少？",  # V + 多少
        "新生儿落户一般需要多长时间？",
        "请问拆迁补偿的标准是多少？",  # 拆迁 names no wrong (拆 alone was read as one)
        "请问老旧小区加装电梯的维修资金怎么申请？",  # 维修资金 is no ask for a repair
    ],
)
def test_a_subject_line_that_asks_for_a_fact_is_an_inquiry(title: str) -> None:
    assert decide(f"{title}\n{BODY}") == "inquiry"


@pytest.mark.parametrize(
    "title",
    [
        "为什么我们村的低保一直不发？",  # puts a wrong
        "小区停水三天了，何时能解决？",  # asks for a fix
        "学校收这么多补课费合理吗？",  # challenges
        "乡镇卫生院的医生还要值多少天班？",  # rhetorical
        "我们的养老金去哪儿了？",
        "近几年新建的厂房遍地开花",  # no question at all
        "被拖了三年的货款怎么维权？",  # help against a wrong
        "村口这段路坏了多少年了？",  # 多少 about a wrong
        "镇上的路灯什么时候修好？",  # asks for a repair
    ],
)
def test_a_question_that_puts_a_wrong_is_no_inquiry(title: str) -> None:
    assert decide(f"{title}\n{BODY}") == "complaint"


@pytest.mark.parametrize(
    "title",
    [
        "希望县城增设几处公共自行车停放点",
        "老城区的公厕宜改为免费开放",
        "城南公交线路可否延长到高铁站",
        "退休人员资格认证应该实行上门服务",
        "关于发展乡村旅游的建言",
        "希望教育局加强对校外培训机构的监管",  # 监管 is no 管 (a fix asked for)
    ],
)
def test_a_subject_line_that_proposes_is_a_suggestion(title: str) -> None:
    assert decide(f"{title}\n{BODY}") == "suggestion"


@pytest.mark.parametrize(
    "title",
    [
        "希望有关部门尽快处理小区门口的垃圾问题",  # a fix of a wrong, not a proposal
        "学校食堂的饭菜不便宜，增加了家长负担",  # 便宜 holds no 宜
        "应届毕业生申报职称无人审查",  # 应届 is no 应
    ],
)
def test_a_demand_to_put_a_wrong_right_is_no_suggestion(title: str) -> None:
    assert decide(f"{title}\n{BODY}") == "complaint"


def test_can_you_do_it_for_us_is_no_question_for_a_fact() -> None:
    assert decide(f"能不能为我们村修一条通组公路\n{BODY}") != "inquiry"
    assert decide(f"能不能在网上办理退休手续\n{BODY}") == "inquiry"


def test_the_complaint_judge_keeps_a_local_problem_a_complaint_whatever_the_title() -> None:
    assert decide(f"小区旁的排污口是否属于违规排放？\n{BODY}", judged=2) == "complaint"
    assert decide(f"小区旁的排污口是否属于违规排放？\n{BODY}", judged=0) == "complaint"  # 违规: a wrong named
    assert decide(f"小区旁的小路是否属于市政道路？\n{BODY}", judged=2) == "complaint"
    assert decide(f"小区旁的小路是否属于市政道路？\n{BODY}", judged=0) == "inquiry"


def test_the_patterns_themselves() -> None:
    assert INFO_QUESTION.search("医师注册需要哪些材料") and not NOT_INFO.search("医师注册需要哪些材料")
    assert INFO_QUESTION.search("这个政策何时出台") and NOT_INFO.search("何时才能解决")
    assert not INFO_QUESTION.search("近几年变化很大")
    assert PROPOSAL_TITLE.search("建议增设路灯") and PROPOSAL_ACT.search("建议增设路灯")
    assert not PROPOSAL_TITLE.search("价格便宜") and not PROPOSAL_TITLE.search("应届生")


EVERYDAY = {"complaint": 0.1, "request": 0.02, "inquiry": 0.05, "suggestion": 0.03, "praise": 0.05, "other": 0.75}


def test_a_letter_to_an_official_is_no_everyday_talk() -> None:
    letter = "尊敬的王局长：您好！我是县城的一名退休教师，退休后的待遇一直按老办法计算，和同年退休的同事相差很多。"
    assert ADDRESSED.search(letter)
    assert decide(letter, EVERYDAY) == "complaint"
    # the same words without the salutation are left to the everyday reading
    assert decide(letter.split("！", 1)[1], EVERYDAY) == "other"


@pytest.mark.parametrize("post", ["领导：你今天脸色不好。我：没事，熬夜了。", "今天和领导一起去爬山，风景真好。"])
def test_a_boss_in_a_chat_is_no_salutation(post: str) -> None:
    assert not ADDRESSED.search(post)
    assert decide(post, EVERYDAY) == "other"


def test_thanks_closing_a_question_to_an_official_is_no_praise() -> None:
    asked = "李局长您好，请问灵活就业人员的医保可以在网上缴费吗？谢谢！"
    assert decide(asked, EVERYDAY, praised=True) != "praise"
    thanked = "李局长您好，上次反映的路灯已经修好了，谢谢！"
    assert decide(thanked, EVERYDAY, praised=True) == "praise"
    # without a salutation or a subject line, the judge's praise of a short post holds as before
    assert decide("路灯终于修好了，有人问过吗？谢谢！", EVERYDAY, praised=True) == "praise"


@pytest.mark.parametrize("question", ["请问拆迁补偿的标准是多少？", "请问老旧小区加装电梯的维修资金怎么申请？",
                                      "公积金贷款最多可以贷多少？", "居住证办理需要多久？"])
def test_questions_for_a_fact_with_how_much_how_long_or_a_word_of_repair(question: str) -> None:
    """多少 after a verb, 多久 and 多长时间 ask for a fact; 拆迁 and 维修资金 name no wrong (拆 and 修 alone did)."""
    assert asks_for_information(question)


@pytest.mark.parametrize("question", ["这段路坏了多少年了？", "路灯什么时候修好？", "请问强拆合法吗？"])
def test_how_long_about_a_wrong_or_a_repair_asked_for_is_no_question_for_a_fact(question: str) -> None:
    assert not asks_for_information(question)
