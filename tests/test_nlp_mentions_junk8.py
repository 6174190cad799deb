"""Junk spans read on the blind samples (session 8) and the shapes behind them: kinds of road by their
material or use (泥巴沙子路, 步行路), counts (三大农贸市场), pronouns (哪个社区), 同组 (the same group), a station
begun inside a word (至今|电站), 镇乡; and the places of the same shapes that stay. Sentences written for these
tests."""

from __future__ import annotations

import pytest

from tests.mention_support import names


@pytest.mark.parametrize(
    "text",
    [
        "从校门口到教室至今还是泥巴沙子路",
        "公园里修了大理石面的步行路",
        "前有悬崖，后有火车路",
        "他们霸占了Q市三大农贸市场",
        "请问下Q市哪个社区能打疫苗",
        "同村,同组,同一个项目，补偿却不一样",
        "反而至今电站还欠着职工工资",
        "隔壁镇乡都没有大型的医院",
    ],
)
def test_no_junk_span(text: str) -> None:
    assert names(text) == [], names(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我从长沙站出发，车晚点了三个小时", "长沙站"),
        ("Q3县肖家镇清泉村的村民反映", "肖家镇"),
        ("七里桥社区的路灯坏了", "七里桥社区"),
    ],
)
def test_places_of_the_same_shapes_stay(text: str, expected: str) -> None:
    assert any(expected in n for n in names(text)), names(text)


def test_people_glued_to_a_places_front_are_cut() -> None:
    got = names("我们是Q3县荷塘小学的学生家长，学生家长荷塘小学目前还没有食堂")
    assert "荷塘小学" in got and not [n for n in got if "家长" in n], got
