"""Through the whole enricher (the complaint judge's verdict included): a letter about a public matter the judge
finds (a 创全 problem topic read as a complaint) is a complaint whatever it calls itself (…的诉求, …的申请, 恳请…帮忙
解决); a letter under a plea's subject line that asks for a fact is an inquiry; a plea in the writer's own case about
no public matter is a request, whatever words it shares with one (交通补贴). Sentences written for these tests."""

from __future__ import annotations

import pytest

from nlp.enrich import Enricher
from nlp.message_type import MessageTypeClassifier
from nlp.topics import TopicResult


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


def kinds(enricher: Enricher, texts: list[str]) -> list[str]:
    return [f["message_type"] for f in enricher.analyze(texts)]


PUBLIC = [
    "关于小区停车难的诉求\n我们小区车位太少，每天晚上车都停到消防通道上，物业也不管，希望有关部门解决。",
    "关于城南菜市场脏乱差的诉求\n城南菜市场地面到处是污水，苍蝇乱飞，垃圾没人清理，希望有关部门整治。",
    "关于幸福路积水严重的诉求\n每次下雨幸福路都积水严重，行人车辆无法通行，已经好几年了，希望尽快解决。",
    "关于村里饮水安全的诉求\n我们村的自来水经常浑浊发黄，有异味，村民都不敢喝，希望有关部门重视。",
    "关于老旧小区改造的申请\n我们小区是八十年代建的老房子，管道老化，墙皮脱落，楼道没有灯，希望列入老旧小区改造。",
    "尊敬的领导：我们小区旁边新开了一家KTV，每天噪声很大，一直到凌晨两三点，老人孩子都睡不好，恳请有关部门帮忙解决。",
    # told in the writer's own voice, with a plea
    "我家楼下的烧烤店每天营业到凌晨，油烟和噪音让我们一家人没法休息，希望领导过问一下。",
    "我们这栋楼这个月已经停电五次了，我家冰箱里的东西都坏了，希望领导过问一下。",
    "我家住的楼里电梯三天两头坏，我母亲八十岁了下不了楼，希望有关部门督促物业。",
]


def test_a_public_matter_the_judge_finds_is_a_complaint(enricher: Enricher) -> None:
    assert kinds(enricher, PUBLIC) == ["complaint"] * len(PUBLIC)


def test_a_plea_title_over_a_question_is_an_inquiry(enricher: Enricher) -> None:
    texts = ["关于居住证办理的申请\n您好，我是外地来本镇务工人员，想办居住证，请问需要哪些材料？",
             "关于生育津贴的申请\n我今年三月生了孩子，单位交了生育保险，请问生育津贴怎么领取？",
             "公积金提取申请\n您好，我准备在镇上买房，想提取住房公积金，请问流程是怎样的？",
             "关于公租房的申请\n我家是低收入家庭，想申请公租房，请问需要准备什么材料？",
             # the hardship that justifies the application is no grievance when what the letter asks is a question
             "关于公租房的申请\n本人在市区无房，家庭收入较低，请问需要准备什么材料？",
             "关于廉租房的申请\n本人离异，独自带孩子，工资不高，请问需要提供什么证明？"]
    found = enricher.analyze(texts)
    assert [f["message_type"] for f in found] == ["inquiry"] * len(texts)
    assert not any(f["is_complaint"] for f in found)
    # ... while the same subject line over a plain plea stays one
    assert kinds(enricher, ["关于我父亲工伤待遇的申请\n我父亲在砖厂干活时摔伤了腰，至今没有认定工伤，家里生活困难，"
                            "希望领导关心。"]) == ["request"]


def test_an_own_case_is_a_request_only_with_a_plea(enricher: Enricher) -> None:
    assert kinds(enricher, [
        "我们单位的交通补贴三年没发了，我们多次找领导都没有结果，希望上级部门帮我们过问一下。",
        "我们村的土地被征用了五年，补偿款到现在还没有到位，我家里生活困难。",
    ]) == ["request", "complaint"]


@pytest.mark.parametrize("verb", ["整顿", "督查", "整治"])
def test_a_proposal_to_punish_a_wrong_is_a_complaint(enricher: Enricher, verb: str) -> None:
    text = f"关于{verb}城郊黑加油站的建议\n城郊有好几家黑加油站，油品质量差，存在安全隐患，附近居民很担心。"
    assert kinds(enricher, [text]) == ["complaint"]


def test_the_same_hardship_over_a_grievance_stays_flagged(enricher: Enricher) -> None:
    found = enricher.analyze(["关于公租房的申请\n本人在市区无房，家庭收入较低，已经申请两年了，"
                              "为什么至今还没有批下来？"])
    assert found[0]["is_complaint"]


#: A nuisance told in the writer's own voice with a plea; the topic rules find it (噪音, 水含有硫酸).
NUISANCE = ("你们好！我是本村村民，我家隔壁开了一家做铝合金加工的小厂，噪音很大，我们很多人无法正常休息，"
            "而且工厂的水含有硫酸，对我们这一片的水质也有影响，我们也和厂里的负责人谈了两次但无济于事，希望领导能快点帮我们解决问题，谢谢。")


def test_a_nuisance_the_topic_model_missed_is_no_own_case_request(enricher: Enricher, monkeypatch) -> None:
    """Where the topic model chooses ``other`` (the judge then finds nothing), the topic stage's 创全 rule evidence
    still makes the letter a public matter: a complaint, not a request in the writer's own case."""
    rules = enricher.topics.rule_scores(NUISANCE)
    assert sum(rules.values()) >= 2  # what the topic stage computes anyway
    model = MessageTypeClassifier.load()
    assert model.classify([NUISANCE])[0].message_type.value == "request"  # the own-case rule, without the evidence
    assert model.classify([NUISANCE], rule_scores=[rules])[0].message_type.value == "complaint"
    missed = [TopicResult("other", {"other": 1.0}, rules, frozenset())]
    monkeypatch.setattr(enricher.topics, "classify", lambda texts, **_: missed)
    found = enricher.analyze([NUISANCE])
    assert (found[0]["topic"], found[0]["message_type"]) == ("other", "complaint")


def test_a_single_rule_word_keeps_an_own_case_request() -> None:
    text = "我在工地干了一年活，老板拖欠我工资三万元，我多次讨要都没有结果，希望领导帮帮我。"
    model = MessageTypeClassifier.load()
    without = model.classify([text])[0].message_type.value
    assert model.classify([text], rule_scores=[{"illegal_construction": 1.0}])[0].message_type.value == without
