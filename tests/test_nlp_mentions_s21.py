"""A firm's branch (中国移动B市分公司), firms whose trade jieba tags as a verb (顺丰|快递|公司) and bodies
named by a field jieba tags as a verb (城管|执法|大队). Sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.mention_support import names, places


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中国移动B市分公司乱扣话费，打客服也没人管", "中国移动B市分公司"),
        ("中国联通A市分公司宽带装不上", "中国联通A市分公司"),
        ("我在命生人寿保险公司G市分公司买的保险，理赔拖了半年", "命生人寿保险公司G市分公司"),
        ("中国移动营业厅的人态度差", "中国移动营业厅"),
    ],
)
def test_a_firms_branch_is_the_place(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize("text", ["公司让我去分公司报到", "这家公司下属分公司很多", "该公司在B市的分公司欠薪"])
def test_no_branch_without_a_firm_or_with_a_function_word(text: str) -> None:
    assert not [n for n in names(text) if n.endswith("分公司")], names(text)


def test_a_trade_jieba_tags_as_a_verb_stays_in_the_firms_name() -> None:
    assert "顺丰快递公司" in names("我在顺丰快递公司上班，老板拖欠工资三个月")


@pytest.mark.parametrize("text", ["快递公司老板跑路了", "找了一家装修公司，结果偷工减料", "他在开发公司上班"])
def test_a_trade_alone_is_no_firm(text: str) -> None:
    assert not names(text), names(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("K市城管执法大队的人把摊子掀了", "K市城管执法大队"), ("B3区房屋征收办不给说法", "B3区房屋征收办")],
)
def test_a_bodys_field_in_its_name(text: str, expected: str) -> None:
    assert expected in [p.name for p in places(text)]


def test_a_field_and_a_kind_without_an_area_name_no_body() -> None:
    assert not [p.name for p in places("执法大队的人来了又走")]


@pytest.mark.parametrize(
    ("text", "expected"), [("我家在人民路开店，城管天天来赶", "人民路"), ("他在胜利路开厂，噪音扰民", "胜利路")]
)
def test_opening_a_shop_on_a_road_names_the_road(text: str, expected: str) -> None:
    assert names(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("A市和平路的路灯坏了", "和平路"), ("家住文化路，晚上噪音扰民", "文化路"),
     ("和平路两边的小摊把人行道占满了", "和平路")],
)
def test_a_road_jieba_knows_well_named_by_a_name_word(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize("text", ["走和平路线，不搞对抗", "坚持文化路线", "他们走的是和平路子"])
def test_a_name_word_in_a_line_or_way_is_no_road(text: str) -> None:
    assert not names(text), names(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("建设路两边的小摊把人行道占满了", "建设路"), ("A市复兴路的路灯坏了", "复兴路"),
     ("K2区发展大道的路灯坏了", "发展大道"), ("发展大道两边都是小摊", "发展大道")],
)
def test_a_road_named_by_a_verb_or_a_name_word(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize("text", ["他走上了发展大道", "走上致富大道", "要加快建设大道，方便出行", "加强建设路网规划"])
def test_a_way_is_no_avenue(text: str) -> None:
    assert not names(text), names(text)


@pytest.mark.parametrize(("text", "expected"), [("家住前进路，晚上噪音扰民", "前进路"), ("我家住奋斗路附近", "奋斗路")])
def test_home_at_a_road_named_by_a_verb(text: str, expected: str) -> None:
    assert expected in names(text)
