"""Firms, shops and complexes a letter introduces as ones there are (有家众鑫混凝土公司, 对面有家文枝动漫城), and
the trades and common words after 有家 that name none (有家烧烤店, 有三家超市). Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.mention_support import names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("村口有家恒鑫混凝土公司，粉尘大得睁不开眼", "恒鑫混凝土公司"),
        ("学校对面有家金鹰动漫城，学生天天逃课去玩", "金鹰动漫城"),
    ],
)
def test_a_place_introduced_by_there_is(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "楼下有家烧烤店天天吵到半夜",  # a trade alone
        "我们这里有三家超市都卖过期食品",  # a count
        "他家有家具厂的股份",  # no 有家 cue: 家具
    ],
)
def test_no_place_from_a_trade_after_there_is(text: str) -> None:
    assert not [n for n in names(text) if n.endswith(("店", "超市", "厂", "公司"))], names(text)
