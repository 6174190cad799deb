"""Estates and named complexes right after a masked city, county or district, by their last character alone
(Q7县锦华豪庭买的房, R3县华达物流城在…, Q市王家湾至…), and what of that shape is no estate (bodies, common
words, developers, towns). Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.mention_support import names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016年在Q7县锦华豪庭买的商品房，至今没有房产证", "锦华豪庭"),
        ("R3县华达物流城在没有取得手续的情况下开工", "华达物流城"),
        ("投诉Q市喜乐门范城三楼的商家欺骗顾客", "喜乐门范城"),
        ("从Q市Q3区王家湾至火车站的路坑坑洼洼", "王家湾"),
    ],
)
def test_an_estate_after_a_masked_area_by_its_ending(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "Q7县县政府门口天天堵车",  # a body
        "R3县商业城太乱了",  # common words alone
        "投诉Q市碧桂园地产拒绝公积金贷款",  # the developer
        "Q市全城都在修路",  # the whole city
        "R3县的公园太少了",  # a function word
        "Q7县幼儿园收费太高",  # a kind of place without a name
    ],
)
def test_no_estate_from_bodies_or_common_words_after_an_area(text: str) -> None:
    assert not [n for n in names(text) if n[-1] in "城庭湾郡苑府园居"], names(text)


def test_an_estate_right_after_a_road_by_its_ending() -> None:
    # the road's reader stops at the road; what follows it up to an estate's last character is the estate (the
    # older readers miss 碧水湾; 翠微园 after 建设西路 they found, so it tested nothing of this rule)
    assert "碧水湾" in names("在东风路碧水湾买的房子漏水")


def test_no_estate_from_a_side_of_a_road() -> None:
    assert not [n for n in names("沿着建设西路，东面梅园那边在施工") if "东面" in n or "，" in n]


def test_an_ending_inside_a_longer_place_after_the_area_is_no_estate() -> None:
    got = names("请调查Q市东洞庭管理区的下岗职工安置")
    assert "东洞庭" not in got, got
