"""Junk a helper's sentences found in the twenty-first session's road and firm shapes: a way taken (踏上和平路), a
development drive (各区发展大道建设), a firm's branch named without the firm (A市分公司营业厅) and a clause (C市设有
办事处). Sentences written for these tests."""

from __future__ import annotations

import pytest

from core.model import PlaceLevel
from tests.mention_support import names, places


@pytest.mark.parametrize("text", ["我们要一起踏上和平路，共建美好家园", "他终于迈向复兴路，日子越过越好"])
def test_a_way_taken_is_no_road(text: str) -> None:
    assert not names(text), names(text)


@pytest.mark.parametrize(
    ("text", "expected"), [("出了小区走上和平路就是菜市场", "和平路"), ("我每天走上中山路去上班", "中山路")]
)
def test_a_road_walked_stays(text: str, expected: str) -> None:
    assert names(text) == [expected]


def test_a_road_a_resident_lives_on_stays() -> None:
    assert names("家住和平路，噪音扰民") == ["和平路"]


@pytest.mark.parametrize("text", ["各区发展大道建设进度不一，请市里督促", "全市发展大道建设要加快"])
def test_a_drive_across_areas_is_no_avenue(text: str) -> None:
    assert not names(text), names(text)


def test_an_avenue_after_its_area_stays() -> None:
    assert "发展大道" in names("K2区发展大道的路灯坏了一半")


@pytest.mark.parametrize(
    "text", ["电信A市分公司营业厅排队两个小时", "中石化K2区支公司加油站乱收费", "在A市分公司加油站加的油有问题"]
)
def test_a_branch_word_opens_no_place(text: str) -> None:
    assert not [p.name for p in places(text) if "公司" in p.name], [p.name for p in places(text)]


def test_a_clause_is_no_bodys_name() -> None:
    assert [p.name for p in places("C市设有办事处，但是没人办事")] == ["C市"]


def test_a_clause_verb_is_read_as_a_word() -> None:
    assert "K县公路建设立交桥管理处" in [p.name for p in places("K县公路建设立交桥管理处不作为")]


def test_a_head_office_keeps_its_name() -> None:
    assert "I市电容器总公司" in [p.name for p in places("I市电容器总公司排放废水")]


@pytest.mark.parametrize(
    "text", ["小区位于建设路，门口垃圾成堆", "家住建设路，门口垃圾成堆", "住在建设路，门口垃圾成堆"]
)
def test_a_road_jieba_knows_after_where_one_lives(text: str) -> None:
    assert names(text) == ["建设路"]


def test_a_road_jieba_knows_inside_a_phrase_stays_a_word() -> None:
    assert not names("要加强建设路网，方便群众出行")


@pytest.mark.parametrize("text", ["这是一条发财路", "走了一段坎坷路", "走好光复路", "民族光复路漫漫"])
def test_a_way_of_life_is_no_road(text: str) -> None:
    assert not names(text), names(text)


@pytest.mark.parametrize("text", ["A市建设大道的路灯坏了一半", "K2区建设大道的井盖丢了"])
def test_an_avenue_named_by_a_name_word_after_its_area(text: str) -> None:
    assert "建设大道" in names(text)


def test_a_name_word_before_an_avenue_across_a_city_is_a_drive() -> None:
    assert not names("全市建设大道要加快"), names("全市建设大道要加快")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("王家屯东头那条排水沟堵了", "王家屯"), ("孙家庄村口的大桥栏杆断了", "孙家庄"),
     ("马家湾自然村的村民没有自来水", "马家湾"), ("何家嘴的渡口没有救生设备", "何家嘴"),
     ("张家营自然村至今没通自来水", "张家营")],
)
def test_a_village_named_by_a_family(text: str, expected: str) -> None:
    assert names(text) == [expected]


@pytest.mark.parametrize("text", ["王家集资建了一栋楼", "我们去张家沟通了一下", "刘家营业的那个店关了",
                                  "张家冲出来一条大黄狗", "李家屯了几百斤粮食", "马家嘴上说得好听"])
def test_a_familys_doings_are_no_village(text: str) -> None:
    assert not [n for n in names(text) if n[1:2] == "家"], names(text)


def test_a_city_of_a_familys_shape_is_no_village() -> None:
    assert not [p for p in places("我在石家庄打工，老板拖欠工资") if p.level is PlaceLevel.COMMUNITY]


def test_a_village_named_in_full_keeps_its_kind() -> None:
    assert names("李家坪村的路烂了好几年") == ["李家坪村"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("人民广场的喷泉坏了一年了", "人民广场"), ("人民公园里有人乱扔垃圾", "人民公园"),
     ("K县人民广场的喷泉坏了", "K县人民广场")],
)
def test_a_towns_main_square_or_park(text: str, expected: str) -> None:
    assert names(text) == [expected]


@pytest.mark.parametrize("text", ["村村都建了文化广场", "文化广场晚上跳舞的音响声音太大"])
def test_a_culture_square_is_generic(text: str) -> None:
    assert not names(text), names(text)


def test_a_common_noun_before_a_square_names_none() -> None:
    assert not names("广场舞的音响太吵了，晚上睡不着")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("K县农贸市场搬迁后买菜不方便", "K县农贸市场"), ("城关镇农贸市场搬迁后买菜不方便", "城关镇农贸市场"),
     ("城关镇菜市场脏乱差，污水横流", "城关镇菜市场")],
)
def test_a_market_named_by_its_county_or_town(text: str, expected: str) -> None:
    assert [p.name for p in places(text)] == [expected]


@pytest.mark.parametrize("text", ["各乡镇农贸市场都要整治", "乡镇农贸市场脏乱差", "我市农贸市场要加强管理"])
def test_a_market_of_no_area_of_its_own(text: str) -> None:
    assert not [p.name for p in places(text) if p.name.endswith("市场")], [p.name for p in places(text)]


def test_a_subdistrict_jieba_cut_after_a_street() -> None:
    found = [p.name for p in places("长安街道和平社区居委会不作为，楼道堆物没人管")]
    assert found and all(not n.startswith("道") for n in found) and any("和平社区" in n for n in found), found


def test_a_street_stays_a_street() -> None:
    assert names("长安街的路灯坏了") == ["长安街"]


def test_a_market_named_by_its_road() -> None:
    assert names("丰收路农贸市场的摊位费一年涨了三次") == ["丰收路农贸市场"]


def test_a_market_after_a_road_in_another_clause() -> None:
    assert names("家住丰收路，农贸市场太吵") == ["丰收路"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("工商银行解放路支行的柜员态度差", "工商银行解放路支行"), ("建设银行东风路支行排队太久", "建设银行东风路支行"),
     ("农业银行城关镇支行门口乱停车", "农业银行城关镇支行")],
)
def test_a_banks_branch_named_by_a_road_or_town(text: str, expected: str) -> None:
    assert names(text) == [expected]


def test_a_bank_and_a_road_in_a_phrase_are_no_branch() -> None:
    assert names("建设银行在解放路的支行") == ["解放路"]


def test_a_park_whose_kind_jieba_cuts_in_two() -> None:
    assert names("北湖湿地公园的厕所坏了") == ["北湖湿地公园"]


@pytest.mark.parametrize("text", ["这个湿地公园没人管", "去年新建的湿地公园", "全市各地的森林公园"])
def test_a_kind_of_park_is_no_name(text: str) -> None:
    assert not names(text), names(text)
