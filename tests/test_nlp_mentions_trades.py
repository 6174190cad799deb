"""Firms named by a name of their own and their trade, without 公司 (创达铝业, 宏远实业, 星航教育, 金石水泥): the
trade words that are common words (教育, 科技, 传媒, 水泥) need a name jieba does not know or knows as a name.
Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.mention_support import names


@pytest.mark.parametrize(
    ("text", "firm"),
    [
        ("创达铝业的废水直接排进河里", "创达铝业"),
        ("鑫宏实业拖欠工人工资三个月", "鑫宏实业"),
        ("我在星航教育报了班，退费被拒", "星航教育"),
        ("投诉金石水泥粉尘污染\n金石水泥日夜生产", "金石水泥"),
        ("鑫源印务的机器噪音太大", "鑫源印务"),
    ],
)
def test_a_firm_by_its_name_and_trade(text: str, firm: str) -> None:
    assert firm in names(text), names(text)


@pytest.mark.parametrize(
    "text",
    [
        "要加强中小学教育的投入",
        "请问下半年教育系统招聘吗",
        "部门要严格监督教育机构",
        "从小受圣贤教育长大",
        "路面用水泥填平了",
        "发展高新科技产业",
        "中国教育太注重分数",
    ],
)
def test_a_kind_of_teaching_or_trade_is_no_firm(text: str) -> None:
    assert not any(n.endswith(("教育", "科技", "水泥")) for n in names(text)), names(text)


def test_a_trade_word_before_a_university_does_not_end_its_name() -> None:
    assert any(n.endswith("科技大学") for n in names("我今年成绩刚上东川省科技大学投档线")), names(
        "我今年成绩刚上东川省科技大学投档线")


@pytest.mark.parametrize(
    "text",
    [
        "中科院科技政策研究所发布报告",  # a noun after the trade: 科技|政策
        "湖天教育背后的乱想",  # a locative after it
        "全市普职教育均衡发展",  # an adjective after it
        "李庄水泥路面开裂",  # 水泥|路面: what the road is made of
        "阿里巴巴传媒帝国越来越大",
        "老王教育孩子很有一套",  # a person teaching: 教育 is a verb
        "张三教育了我",
        "湖南教育很落后",  # a place's teaching
        "要合理分配教育资源",
    ],
)
def test_a_trade_word_used_as_a_word_of_the_sentence_is_no_firm(text: str) -> None:
    got = names(text)
    assert not any(n.endswith(("教育", "科技", "水泥", "传媒")) for n in got), (text, got)


@pytest.mark.parametrize(("text", "firm"), [("湖天教育乱收费，家长投诉无门", "湖天教育"),  # what it does wrong
                                           ("学校以博雅教育的名义要求补课", "博雅教育")])  # a name jieba tags nr
def test_a_firm_before_what_it_does_wrong_or_by_a_name_tagged_a_person_is_still_a_firm(text: str, firm: str) -> None:
    assert firm in names(text), names(text)


@pytest.mark.parametrize(
    ("long", "short"),
    [
        ("天成实业集团有限公司", "天成实业"),
        ("天润实业控股股份有限公司", "天润实业"),
        ("耶思教育培训学校", "耶思教育"),
    ],
)
def test_a_firm_by_its_trade_and_by_its_legal_form_has_one_key(long: str, short: str) -> None:
    from nlp.mentions import place_key

    assert place_key(long) == place_key(short) == f"raw:{short}"


@pytest.mark.parametrize(
    ("text", "short"),
    [
        ("我是天成实业集团有限公司的员工，天成实业拖欠工资", "天成实业"),
        ("湖天中学高三补课，湖天教育乱收费", "湖天教育"),
    ],
)
def test_a_firm_named_in_full_is_not_found_again_by_its_trade(text: str, short: str) -> None:
    assert short not in names(text), names(text)


@pytest.mark.parametrize(
    ("text", "firm"),
    [
        ("华星科技员工每天工作十二个小时", "华星科技"),  # its staff
        ("蓝思科技工人反映食堂饭菜太差", "蓝思科技"),
        ("博雅教育老师打学生", "博雅教育"),
        ("天普教育老板卷款跑路", "天普教育"),
        ("博雅教育学费太贵", "博雅教育"),  # its fees
        ("金太阳教育学费一万多", "金太阳教育"),
        ("新星教育机构倒闭", "新星教育"),  # the body it is
        ("林肯教育拖欠老师工资", "林肯教育"),  # a surname first, but 教育 is no verb here: a verb follows
    ],
)
def test_a_firm_before_a_word_for_its_staff_fees_or_premises_is_still_a_firm(text: str, firm: str) -> None:
    assert any(n.startswith(firm) for n in names(text)), names(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("我是宏发物业派到环卫处的员工，工资拖欠三个月", "宏发物业"), ("永盛物业乱收停车费", "永盛物业")],
)
def test_a_property_firm_by_its_own_name(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize("text", ["小区物业不作为", "前期物业乱收费", "我们小区的物业太差了"])
def test_no_property_firm_without_a_name(text: str) -> None:
    assert not [n for n in names(text) if n.endswith("物业")], names(text)


@pytest.mark.parametrize(
    ("text", "firm"),
    [
        ("村旁边的宏远化工有限公司排放污水", "宏远化工有限公司"),
        ("我在丰茂牧业有限公司上班，公司拖欠工资", "丰茂牧业有限公司"),
        ("投诉鼎盛建材有限公司拖欠货款", "鼎盛建材有限公司"),
    ],
)
def test_a_registered_firm_named_by_an_adjective(text: str, firm: str) -> None:
    """Before its trade and a legal form (有限公司), a word jieba tags adjective or status word and counts rarely
    (宏远, 丰茂, 鼎盛) is the firm's own name; a common one (著名, 优秀), one after 一家 or 这家, or one before a plain
    公司 or a shop stays a description."""
    assert firm in names(text), names(text)


@pytest.mark.parametrize("text", ["找了一家正规装修公司", "路边一家新鲜蔬菜店", "这些大型化工厂污染严重",
                                  "一家著名家具有限公司卖的柜子甲醛超标", "有一家无良物业管理有限公司乱收停车费",
                                  "这家和谐物业管理有限公司态度很差", "入职一家优秀互联网科技有限公司三个月没发工资"])
def test_an_adjective_that_describes_a_firm_names_none(text: str) -> None:
    assert not names(text), names(text)
