"""Temples, pagodas, halls and former residences by a name of their own (杨公庙, 回龙塔, 东岳庙, 唐智生故居), and
the common words and longer places of the same characters that are none (金字塔, 信号塔, 太子庙镇 is a town).
Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.mention_support import names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请问Q7县的李公庙修复进展怎么样了", "李公庙"),
        ("金光灿灿的望龙塔周围堆满了垃圾", "望龙塔"),
        ("陪同学参观王守仁故居，发现故居被围起来收费", "王守仁故居"),
        ("我们村的刘家祠堂被人强占做了仓库", "刘家祠堂"),
    ],
)
def test_a_sight_by_a_name_of_its_own(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "这是典型的金字塔模式传销",  # a common word
        "小区旁边建了个信号塔，辐射很大",  # a kind of tower
        "这座庙年久失修",  # no name
        "古文化遗址、古墓葬、石窟寺等属于文物",  # a category
    ],
)
def test_no_sight_from_common_words(text: str) -> None:
    assert not [n for n in names(text) if n.endswith(("庙", "寺", "塔", "殿", "故居", "祠堂"))], names(text)


def test_a_longer_place_that_holds_a_sight_word_is_read_whole() -> None:
    assert "太子庙镇" in names("太子庙镇的路太烂了")
