"""Places beyond the gazetteer: fixes from a read-only review of the fourth session's rules — sentence words read
as a town before an ordinal school, a grade read as a resort's name. Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.mention_support import names


@pytest.mark.parametrize(
    "text",
    [
        "K3县今年一中考上清华的有五个",
        "B县只有一中和二中两所高中",
        "M2县还有一中没有装空调",
        "Q县目前一中的宿舍太挤",
        "R4县包括一中在内的学校都在补课",
        "T市去年一中招了两千人",
    ],
)
def test_a_sentence_word_before_an_ordinal_school_is_no_town(text: str) -> None:
    assert not any(n.endswith("中") and len(n) == 4 for n in names(text)), names(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("D10县洪桥一中违规收费", "洪桥一中"),
        ("G县城关一中乱收费", "城关一中"),
        ("K县石门一中晚自习上到十一点", "石门一中"),
    ],
)
def test_a_town_before_an_ordinal_school_names_it(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "国家级旅游度假区门票太贵",
        "这里是国家AAAA级旅游度假区，可是厕所很脏",
        "AAAA级旅游度假区的标准是什么",
    ],
)
def test_a_grade_is_no_resort_name(text: str) -> None:
    assert names(text) == []


def test_a_resort_with_a_name_before_its_grade_stays() -> None:
    assert names("柳叶湖国家级旅游度假区乱收费") == ["柳叶湖国家级旅游度假区"]
