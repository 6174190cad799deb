"""Administrative zones a city runs as a county (Q市白湖管理区): an area, the most specific one a letter names, keyless
like every area. Sentences written for these tests."""

from __future__ import annotations

import pytest

from core import PlaceLevel
from tests.mention_support import places


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q市白湖管理区，快递代收点不送包裹，取件还要收费", "Q市白湖管理区"),
        ("W2市青岭管理区招考为何不公布成绩\n领导您好！青岭管理区今年招考", "W2市青岭管理区"),  # not the cut W2市青岭
    ],
)
def test_a_zone_after_its_city_is_the_area_where_nothing_finer_is_named(text: str, expected: str) -> None:
    found = places(text)
    assert [p.name for p in found] == [expected]
    assert found[0].level is PlaceLevel.DISTRICT and found[0].key is None and found[0].id is None


def test_the_zone_is_not_repeated_after_its_own_body() -> None:
    found = places("Q市白湖管理区教育局乱收费，Q市教育局也不管")
    assert [p.name for p in found] == ["Q市白湖管理区教育局", "Q市教育局"]


@pytest.mark.parametrize("text", ["Q市的城管理区不作为", "P3县我们管理区的路灯坏了",
                                  "W市物业管理区域内的充电桩太少了",  # 管理区域: the area managed
                                  "R市停车管理区收费太贵"])  # a verb: what is managed
def test_no_zone_from_words_of_a_sentence(text: str) -> None:
    assert not any(p.name.endswith("管理区") and p.level is PlaceLevel.DISTRICT for p in places(text))
