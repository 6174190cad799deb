"""A masked area written with its own area character twice (Q7县县社会福利中心, P3县县内, W2市市长): the masking kept
the county's own 县 before the letter's next word, and jieba joins the two characters into one word (县县), which hid
the area and the body after it. Sentences written for these tests."""

from __future__ import annotations

import pytest

from core import PlaceLevel
from tests.mention_support import places


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("投诉Q7县县社会福利中心附属工程不招标，请纪委调查", ["Q7县县社会福利中心"]),
        ("P3县县民政局拖欠低保金半年", ["P3县县民政局"]),
    ],
)
def test_a_body_after_a_doubled_area_character_is_read(text: str, expected: list[str]) -> None:
    found = places(text)
    assert [p.name for p in found] == expected
    assert all(p.level is PlaceLevel.OTHER and p.key is None for p in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P3县县内城乡客车票价太贵，请物价部门核查", "P3县"),
        ("Q7县县城的路灯晚上不亮", "Q7县"),
        ("W2市市长您好，我们的补贴一直没有发放", "W2市"),
    ],
)
def test_the_area_before_a_doubled_character_is_the_place_when_nothing_finer_is_named(text: str,
                                                                                   expected: str) -> None:
    found = places(text)
    assert [p.name for p in found] == [expected]
    assert found[0].key is None and found[0].level is PlaceLevel.DISTRICT  # an area never opens a case


def test_a_doubled_character_without_a_mask_before_it_is_no_area() -> None:
    assert places("县县通公路以后，村里的路好走多了") == []


def test_a_wrongdoing_body_after_a_doubled_area_character_is_read_beside_finer_places() -> None:
    names = [p.name for p in places("我住在青松小区，P3县县民政局拖欠低保金半年")]
    assert names == ["青松小区", "P3县县民政局"]  # the body readers share the cut after P3县 (P3县|县民政局)
