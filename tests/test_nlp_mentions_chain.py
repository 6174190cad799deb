"""Places beyond the gazetteer, third round: towns, villages, communities and groups named one after another
right after a county or district (jieba splits such names), and phrases that are no places."""

from __future__ import annotations

import pytest

from tests.mention_support import names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("D7县茅市镇邮政网点破烂不堪", ["茅市镇"]),
        ("L5县中都乡的冶炼厂严重污染环境", ["中都乡"]),
        ("西地省F市F9市长塘镇今年补助没有发放", ["长塘镇"]),  # F9|市长|塘镇
        ("A8县市花明楼镇郑家冲的工地", ["花明楼镇"]),  # A8|县市|花明楼
        ("G7县漳江镇梅溪桥社区王家冲组有人焚烧垃圾", ["漳江镇", "梅溪桥社区", "王家冲组"]),
        ("我们是J4县赤石乡汇溪村的村民", ["赤石乡", "汇溪村"]),
        ("C3县县城易俗河镇的学校", ["易俗河镇"]),
    ],
)
def test_reads_a_chain_of_units_after_a_county(text: str, expected: list[str]) -> None:
    found = names(text)
    assert all(e in found for e in expected), found


@pytest.mark.parametrize(
    "text",
    [
        "F9市无工作的农村老人挂靠企业",
        "已经有G4县小城镇建设房屋准建证",
        "也是把K7县当故乡的人",
        "妄加指责，编造谎言弄人，很不现实",
        "学校的大大的商店不知道在不在",
        "人事厅、交通厅下文被告公路部门招聘的一批青年",
        "我们周围500米处有市妇幼保健院",
        "A市政府为了支持乡镇企业发展",
    ],
)
def test_no_junk(text: str) -> None:
    assert names(text) == []


def test_a_longer_facility_keeps_the_town_in_its_name() -> None:
    assert names("西地省E6县白仓镇中心学校的老师") == ["白仓镇中心学校"]


def test_a_works_named_before_its_trade_word() -> None:
    assert "大山界冶炼厂" in names("L5县中都乡大山界冶炼厂严重污染环境")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我是A市A3区含浦锑都家园35栋业主", "含浦锑都家园"),
        ("H3县金地花园聚仙楼油烟扰民", "金地花园"),
        ("举报A4区月湖安置小区内的传销窝点", "月湖安置小区"),
        ("位于A市A1区马王堆海鲜市场的狗肉摊", "马王堆海鲜市场"),
        ("在F市公园大邸小区买了房", "公园大邸小区"),
        ("A3区阳光丽城附近的垃圾场晚上焚烧", "阳光丽城"),
    ],
)
def test_an_estate_or_market_right_after_a_district(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "A市出租车市场很乱",
        "敲响M6州招投标市场的警钟",
        "看房至今深感A市目前房地产销售市场潜规则多",
        "D1区东方里附近道路路面破烂不堪",
        "K3县浯溪水厂老板糊弄我们",
        "L9县县梨溪口乡K10县界村村级公路路基不好",
        "G4县乡镇卫生院的医生",
    ],
)
def test_no_junk_after_a_district(text: str) -> None:
    found = names(text)
    assert not any(n.endswith(("市场", "道路", "糊弄", "公路", "卫生院")) for n in found), found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("但是舜德学校的体育老师却长期占用场地", ["舜德学校"]),
        ("K6县绍基学校体育教师的工作服没有发放", ["绍基学校"]),
        ("体育局把邵冬体育场出租给别人做游乐场", ["邵冬体育场"]),
        ("我们这所学校的老师", []),
        ("假期学校不开放", []),
        ("交资料时学校说不收", []),
        ("民办学校收费太高", []),
    ],
)
def test_a_school_needs_a_name_of_its_own(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我是七里山社区的一名工作人员", "七里山社区"),  # 七里 is a numeral to jieba, but a name's part here
        ("星沙城北新区规划已经出台", "星沙城北新区"),
        ("L6县团河片区农村客运车辆严重超载", "团河片区"),
        ("K市K1区竹园安置市场开发商违规建设", "竹园安置市场"),
    ],
)
def test_numbered_names_districts_and_resettlement_markets(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize("text", ["此前该片区没有设置菜市场", "全县八个建制镇", "外围一千多个铺面", "走了三里路"])
def test_counted_and_pronoun_phrases_are_no_places(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    "text",
    ["她到县社保站询问", "挂到乡镇涉农站所人员", "家属区旁丁字路口居民私宅", "近两年需就读小学中学的孩子",
     "I6市公交车九路车专线", "不能享受到高铁站带来的红利", "碎石厂和洗砂厂"],
)
def test_offices_generic_facilities_and_route_numbers_are_no_places(text: str) -> None:
    assert names(text) == []


def test_a_town_facility_after_a_function_word() -> None:
    assert names("到永安镇中心卫生院住院") == ["永安镇中心卫生院"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("再谈柏家坪市场何时才有公厕", ["柏家坪市场"]),  # a market by its own name
        ("金穗商城的商户乱摆摊", ["金穗商城"]),  # a subject line opening with the market
        ("房地产市场潜规则多", []),
        ("扰乱建筑人才市场", []),
        ("C5市旅游市场太乱", []),
    ],
)
def test_a_market_by_its_name(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("举报K市华鑫集团违规排污", ["华鑫集团"]),
        ("艾亿诺光电有限公司拖欠工资", ["艾亿诺光电有限公司"]),
        ("到不同的物业和保安公司做保安", []),  # jieba calls 保安 a proper noun (nz): no name of its own
        ("晚上，一些渣土公司没有按政府规定", []),
        ("咨询D市廉租房和公租房申请的条件", []),
    ],
)
def test_a_company_needs_a_name_of_its_own(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("K1区七层坡社区旁的违建", ["七层坡社区"]),  # 七层 is a numeral to jieba
        ("西地省H4县莫家塔村主任私挖河道", ["莫家塔村"]),  # 村|主任 joined
        ("学校座落在东坪镇", ["东坪镇"]),
        ("G4县三个村的路没有修", []),
    ],
)
def test_units_jieba_joins_or_counts(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("二级以上公立医院收费", []),  # what remains is a generic word
        ("我家隔壁开了一家做铝壳厂", ["铝壳厂"]),
        ("D6县进头镇", ["进头镇"]),  # a unit at the very end of a text
    ],
)
def test_words_glued_to_a_name_front_are_cut(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("招生片区内的富源安置小区", ["富源安置小区"]),
        ("我们也不会买房在安置小区", []),
        ("我是热市镇居民，受水泥厂影响", ["热市镇"]),  # 热|市镇: jieba's 市镇 is a common noun
        ("农村和市镇", []),
    ],
)
def test_resettlement_estates_and_towns_jieba_calls_common(text: str, expected: list[str]) -> None:
    assert names(text) == expected
