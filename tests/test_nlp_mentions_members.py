"""Places a letter's writer says they belong to (我们是X的业主, 我是X的一名员工, 我是X的法人): the estate, firm or
site, named as written, with or without a kind word. Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.mention_support import places


def refs(text: str) -> list[tuple[str, str | None]]:
    return [(p.name, p.key) for p in places(text)]


@pytest.mark.parametrize(
    ("text", "name", "key"),
    [
        ("我们是Q市翠谷云庭的业主，开发商迟迟不交房", "翠谷云庭", "raw:翠谷云庭"),  # read by its ending already
        ("我是W2区蓝湾国际一名员工的家属，单位不给交社保", "W2区蓝湾国际", "raw:蓝湾国际"),
        ("我是远景星汇娱乐城的法人，许可证一直办不下来", "远景星汇娱乐城", "raw:远景星汇娱乐城"),
        ("我们是P市P1区老粮食局宿舍第三栋居民，房子漏水", "P市P1区老粮食局宿舍第三栋", "raw:老粮食局宿舍"),
        ("我们是凤凰路66号锦澜华府的居民，路灯不亮", "锦澜华府", "raw:锦澜华府"),  # after the road
    ],
)
def test_the_place_a_writer_belongs_to(text: str, name: str, key: str) -> None:
    assert (name, key) in refs(text), refs(text)


@pytest.mark.parametrize(
    "text",
    [
        "我是县三小的老师，想反映食堂问题",  # a bare county names no school
        "我是一名普通的退休职工，养老金太低",
        "我是河南的，在这里打工",
        "我们是棚改户的居民，补偿款没到",
        "我是15栋701的业主，楼上漏水",
        "我们是这个小区的业主，物业不作为",
        "我是学校的老师，工资拖欠",
        "我们是Q市的居民，希望多修几条路",
    ],
)
def test_no_place_from_words_of_a_sentence(text: str) -> None:
    got = [n for n, _ in refs(text)]
    assert not any(n.endswith(("三小", "普通", "河南", "棚改户", "701", "这个小区", "学校")) for n in got), got
    assert all(len(n) >= 2 for n in got)


def test_a_member_reads_no_area_alone() -> None:
    assert [k for _, k in refs("我们是Q市的居民，希望多修几条路")] == [None]  # the keyless area only


@pytest.mark.parametrize(
    ("text", "junk"),
    [
        ("我是老国企的员工，工资被拖欠", "老国企"),  # 老 before a common word: no name
        ("我是老工厂的员工，厂子倒闭了", "老工厂"),
        ("我是老街坊的业主，楼道堆满杂物", "老街坊"),
        ("我是老李家的员工，老板跑了", "老李家"),  # a family
        ("我是刘老板的员工，工资拖欠半年", "刘老板"),  # a person by surname and title
        ("我们是陈总公司的员工，社保没交", "陈总公司"),
        ("我们是翠湖边上的住户，路灯不亮", "边上"),  # beside a place, not one
    ],
)
def test_a_person_or_a_common_word_is_no_place_a_writer_belongs_to(text: str, junk: str) -> None:
    got = [n for n, _ in refs(text)]
    assert not any(junk in n for n in got), got


def test_a_new_or_old_employee_leaves_new_and_old_out_of_the_name() -> None:
    got = [n for n, _ in refs("我是电信第三方装维队新员工，公司不给交社保")]
    assert "电信第三方装维队" in got and not any(n.endswith("新") for n in got), got


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("我是新天地的商户，市场管理混乱", "新天地"),  # 新/老 before a word that is no workplace's or body's
        ("我们是新世纪的业主，物业乱收费", "新世纪"),
        ("我们是新时代的业主，开发商不交房", "新时代"),
        ("我是老码头的商户，摊位费涨了", "老码头"),
        ("我是老车站的商户，门面被强拆", "老车站"),
    ],
)
def test_new_or_old_before_a_word_that_names_no_kind_of_workplace_is_a_name(text: str, name: str) -> None:
    assert (name, f"raw:{name}") in refs(text), refs(text)
