"""Estates named without a suffix word where their owners or a block follow (我们是X的业主, 我是X一业主, X10栋),
even where jieba cuts the name into single characters, and the clauses of the same shape that name no estate.
Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.mention_support import names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们是润和院的业主，开发商至今不办房产证", "润和院"),
        ("您好！我是中建福和城一业主，前年买的房子漏水", "中建福和城"),
        ("我是青山映月的其中一位业主，交房时发现墙体开裂", "青山映月"),
        ("东岸雅品8栋电梯三天两头坏", "东岸雅品"),
        ("去年才交房的红枫谷15栋，外墙已经脱落", "红枫谷"),
    ],
)
def test_an_estate_named_before_its_owners_or_a_block(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "我是一名业主，物业费涨得太离谱",  # a count
        "我们是受害业主，请领导做主",  # a verb
        "本着充分尊重业主诉求的原则协商",  # an adverb and a verb
        "这都是非专业的业主自己发现的",  # an abbreviation of a phrase
        "别再伤业主的心了",  # a pronoun opens the clause
        "三日后在小区选新一届业主委员会",  # a verb and a count
        "我是商品房业主，房子质量很差",  # one common word
        "我是拆迁户业主，补偿款没到位",  # a kind of owner
    ],
)
def test_no_estate_from_clauses_before_owners(text: str) -> None:
    assert names(text) == [], names(text)
