"""Places beyond the gazetteer, third round: towns, villages, communities and groups named one after another
right after a county or district (jieba splits such names), and phrases that are no places."""

from __future__ import annotations

import pytest

from tests.mention_support import names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("F7县茅市镇的快递点经常丢件", ["茅市镇"]),
        ("L5县中都乡的冶炼厂严重污染环境", ["中都乡"]),
        ("西地省F市F9市长塘镇今年补助没有发放", ["长塘镇"]),  # F9|市长|塘镇
        ("B8县市花明楼镇的砂石场", ["花明楼镇"]),  # A8|县市|花明楼
        ("H7县清江镇梅林桥社区李家冲组有人乱倒垃圾", ["清江镇", "梅林桥社区", "李家冲组"]),
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
        "早就拿到B4县小城镇建房准建证",
        "也是把K7县当故乡的人",
        "随意指责别人，编造谎言弄人，太不像话",
        "学校里大大的商店不知道开没开",
        "人事厅、交通厅下文让公路部门招录的一批年轻人",
        "A市政府为了支持乡镇企业发展",
    ],
)
def test_no_junk(text: str) -> None:
    assert names(text) == []


def test_a_longer_facility_keeps_the_town_in_its_name() -> None:
    assert names("西地省F6县黄仓镇中心学校的校长") == ["黄仓镇中心学校"]


def test_a_works_named_before_its_trade_word() -> None:
    assert "青山界冶炼厂" in names("M5县中和乡青山界冶炼厂排放黑烟")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我是B市B3区含浦锑都家园12栋住户", "含浦锑都家园"),
        ("C3县金地花园聚福楼噪音扰民", "金地花园"),
        ("投诉B4区月湖安置小区内的群租房", "月湖安置小区"),
        ("B市B1区马王堆海鲜市场的活禽摊", "马王堆海鲜市场"),
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
        "给C6州招投标市场提个醒",
        "买房以后觉得B市房地产销售市场乱象多",
        "E1区东方里附近道路坑坑洼洼",
        "F3县浯溪水厂老板不接电话",
        "N9县县桃溪口乡K12县界村村级公路坑多",
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
        ("G6县绍基学校美术老师的补贴没发", ["绍基学校"]),
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
        ("七里山社区的网格员上门登记", "七里山社区"),  # 七里 is a numeral to jieba, but a name's part here
        ("听说星沙城北新区的规划公示了", "星沙城北新区"),
        ("C4县团河片区的校车经常超载", "团河片区"),
        ("B市B2区竹园安置市场的摊位被转租", "竹园安置市场"),
    ],
)
def test_numbered_names_districts_and_resettlement_markets(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize("text", ["此前该片区没有设置菜市场", "全县八个建制镇", "外围一千多个铺面", "走了三里路"])
def test_counted_and_pronoun_phrases_are_no_places(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    "text",
    ["她到县社保站询问", "挂到乡镇涉农站所人员", "宿舍区旁丁字路口有人私搭", "明年要上小学中学的孩子们",
     "I6市公交车九路车专线", "没能享受高铁站带来的便利", "碎石厂和洗砂厂"],
)
def test_offices_generic_facilities_and_route_numbers_are_no_places(text: str) -> None:
    assert names(text) == []


def test_a_town_facility_after_a_function_word() -> None:
    assert names("到永安镇中心卫生院住院") == ["永安镇中心卫生院"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("再问柏家坪市场何时修公厕", ["柏家坪市场"]),  # a market by its own name
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
        ("去过好几家物业和保安公司当保安", []),  # jieba calls 保安 a proper noun (nz): no name of its own
        ("深夜，一些渣土公司不按规定路线行驶", []),
        ("请问E市廉租房和公租房怎么申请", []),
    ],
)
def test_a_company_needs_a_name_of_its_own(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("F1区七层坡社区旁有人违建", ["七层坡社区"]),  # 七层 is a numeral to jieba
        ("E3县莫家塔村主任占用耕地", ["莫家塔村"]),  # 村|主任 joined
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
        ("楼下新开了一家做铝壳厂", ["铝壳厂"]),
        ("D6县进头镇", ["进头镇"]),  # a unit at the very end of a text
    ],
)
def test_words_glued_to_a_name_front_are_cut(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("学区范围里的富源安置小区", ["富源安置小区"]),
        ("谁也不想买房在安置小区", []),
        ("我是热市镇居民，受水泥厂影响", ["热市镇"]),  # 热|市镇: jieba's 市镇 is a common noun
        ("农村和市镇", []),
    ],
)
def test_resettlement_estates_and_towns_jieba_calls_common(text: str, expected: list[str]) -> None:
    assert names(text) == expected
