"""Words jieba's table tags as nouns that letters use as verbs or adverbs (充分考虑, 浅谈, 杜绝, 晋升, 原本): they
open no place's name. Sentences written for these tests."""

from __future__ import annotations

import pytest

from nlp.postags import pos_table
from tests.mention_support import names


@pytest.mark.parametrize(
    ("text", "junk"),
    [
        ("希望开发商充分考虑小区居民的诉求", "充分考虑"),
        ("浅谈卫生院垄断药品采购的问题", "浅谈"),
        ("可以在某些方面杜绝卫生院院长以权谋私", "杜绝"),
        ("请问代课老师能晋升中学高级教师吗", "晋升"),
        ("原本村卫生室有两个医生", "原本"),
        ("对同一条河的企业区别对待造纸厂却关停了", "区别对待"),
    ],
)
def test_a_verb_tagged_as_a_noun_opens_no_place(text: str, junk: str) -> None:
    assert not [n for n in names(text) if junk in n], names(text)


def test_the_corrections_are_read_through_the_table() -> None:
    assert pos_table().get("浅谈") == "v" and pos_table().get("原本") == "d"
    assert (pos_table().get("中学") or "").startswith("n")  # other words keep jieba's tags
