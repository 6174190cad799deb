"""Ordinal schools written by their number alone, as a county's residents name them (一中, 县二中, 镇三中), and
the phrases of the same characters that are no school (grades, plenums, courts, people). Sentences written for
these tests."""

from __future__ import annotations

import pytest

from tests.mention_support import names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("寒假还没过完，一中就通知学生回校补课了", "一中"),
        ("教育局三令五申不准补课，县二中照样收费补课", "县二中"),
        ("四中门口每天放学都堵得水泄不通", "四中"),
        ("我家孩子在镇三中读初二，食堂饭菜太差", "镇三中"),
    ],
)
def test_an_ordinal_school_by_its_number(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "认真学习十八届六中全会精神",  # a plenum
        "孩子读高二中途想转学怎么办",  # a grade
        "他是其中一中学生，成绩很好",  # one middle-school student
        "时任副县长肖六中在会上讲话",  # a person's name
        "案子已由二中院受理",  # a court
    ],
)
def test_no_school_in_phrases_of_the_same_characters(text: str) -> None:
    assert not [n for n in names(text) if n.endswith("中")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("孩子在城关一中读书，补课费一学期两千", "城关一中"),
        ("今年考上了长沙一中的学生比往年少", "长沙一中"),
        ("我在卲东五完小代课，四完小也不收插班生", "卲东五完小"),
        ("我在卲东五完小代课，四完小也不收插班生", "四完小"),
    ],
)
def test_an_ordinal_school_after_its_town_or_by_its_number(text: str, expected: str) -> None:
    # the town or city before the number names the school (its key keeps the name: 城关一中 and 长沙一中 are two)
    assert expected in names(text)
