"""Rivers, lakes and hills by a name of their own (捞刀河, 洞庭湖, 莲花山), and sayings, common words and longer
places of the same characters that are none (信口开河, 三座大山, 这座山, 岳麓山路 is a road). Sentences written
for these tests."""

from __future__ import annotations

import pytest

from tests.mention_support import names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请拯救下这条快要死的捞刀河吧", "捞刀河"),
        ("化工厂的废水直接排进洞庭湖", "洞庭湖"),
        ("莲花山上有人偷偷开采石头", "莲花山"),
    ],
)
def test_a_river_lake_or_hill_by_its_name(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "他们就是信口开河，从来不兑现",  # a saying
        "医疗、教育、住房成了压在头上的三座大山",
        "这座山被挖得千疮百孔",  # no name
        "我们每天都去爬山",
        "中国湖山诗书画院成立了",  # the kind runs on into another name
    ],
)
def test_no_river_lake_or_hill_from_sayings_and_common_words(text: str) -> None:
    assert not [n for n in names(text) if n.endswith(("河", "江", "湖", "山"))], names(text)


def test_a_longer_place_named_after_a_hill_is_read_whole() -> None:
    got = names("莲花山路的路灯坏了半个月")
    assert "莲花山" not in got and any(n.endswith("路") for n in got), got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("孙家浜的水发黑发臭", "孙家浜"),
        ("周家浜里全是垃圾", "周家浜"),
        ("云龙港边上有人倒垃圾", "云龙港"),
        ("七星港水质很差", "七星港"),
    ],
)
def test_the_waters_of_the_lower_yangtze(text: str, expected: str) -> None:
    """浜, 港, 塘 and 泾 are kinds of water there; a family's water (孙家浜) is named by the family."""
    assert expected in names(text), names(text)


@pytest.mark.parametrize("text", ["我家门口的池塘臭了", "香港的朋友来了", "船进港了", "村里的鱼塘干了",
                                  "张家山上全是坟", "家是温暖的避风港", "他说一口洋泾浜英语", "这个深水港不让渔民进去",
                                  "这是内河港的货船", "宁波是重要的枢纽港"])
def test_common_words_of_those_kinds_are_no_waters(text: str) -> None:
    assert not names(text), names(text)
