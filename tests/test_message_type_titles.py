"""A message's subject line says what kind of message it is: 请问/咨询 asks, 请求… asks for help, 建议… proposes;
a subject naming a wrong done, a rhetorical question, or a grievance put as a question keeps it a complaint."""

from __future__ import annotations

import pytest

from nlp.enrich import Enricher
from nlp.message_type import subject_line

E = Enricher()
PROBLEM = "小区门口的垃圾堆了一个多星期，苍蝇乱飞，多次反映都没人管，严重影响居民生活。"
BODY = "我在外地工作多年，今年回到县城，家里老人身体不好，孩子也要上学，相关手续一直没有办下来。"


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("请问外地户口的孩子在县城上初中需要什么条件？", "inquiry"),
        ("关于农村自建房办理房产证的咨询", "inquiry"),
        ("请求有关部门帮助解决孩子的入学问题", "request"),
        ("请您帮忙协调一下老人的医保转移", "request"),
        ("建议县城增设一条通往高铁站的公交线路", "suggestion"),
        # a wrong done, or a rhetorical question, stays a complaint
        ("某公司拖欠我们工资半年，请问该怎么办？", "complaint"),
        ("为什么我们小区的垃圾一直没人清运？", "complaint"),
        ("小区门口的垃圾什么时候才能清运？", "complaint"),  # a grievance put as a question is no inquiry
    ],
)
def test_the_subject_line_names_the_kind(title: str, kind: str) -> None:
    body = BODY if kind != "complaint" else PROBLEM
    [f] = E.analyze([f"{title}\n{body}"])
    assert f["message_type"] == kind
    assert f["is_complaint"] is (kind in ("complaint", "request"))


def test_a_question_inside_the_body_is_no_subject_line() -> None:
    assert subject_line("今天天气不错？") == ""
    assert subject_line("标题\n正文") == "标题"
    assert subject_line("这是一段很长的第一行" * 10 + "\n正文") == ""
    # without a subject line the same question in running text does not decide the kind by itself
    [f] = E.analyze(["小区门口的垃圾堆了一个多星期没人清运，苍蝇乱飞，什么时候能处理？"])
    assert f["message_type"] == "complaint"
