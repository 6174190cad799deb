"""Places beyond the gazetteer, fifth session: address chains (town → village or community → group) are one place
with the village's key; estates named by their ending in a subject line and again in the body. Sentences written
for these tests."""

from __future__ import annotations

import pytest

from core import PlaceLevel
from nlp.gazetteer import load_gazetteer
from nlp.mentions import place_key
from nlp.places import PlaceExtractor
from nlp.segment import default_segmenter
from tests.mention_support import names

SEG = default_segmenter()
PX = PlaceExtractor(load_gazetteer())


def refs(text: str) -> list[tuple[str, str | None, str | None]]:
    """(name, level, key) of the places in ``text``, cut as the enricher cuts it."""
    pieces = SEG.tokenize(text, hmm=False)
    bounds = {s for _, s, _ in pieces} | {len(text)}
    return [(p.name, p.level.value if p.level else None, p.key) for p in PX.extract(text, boundaries=bounds)]


@pytest.mark.parametrize(
    ("text", "chain", "key", "town"),
    [
        ("我家在Q3县白石岭镇青松村五组，门前的水沟堵了", "白石岭镇青松村五组", "raw:青松村", "白石岭镇"),
        ("R2县枫溪乡白沙村三组的养鸡场臭气熏天", "枫溪乡白沙村三组", "raw:白沙村", "枫溪乡"),
        ("T5县云岭街道荷叶塘社区杨家湾组路灯坏了半年", "云岭街道荷叶塘社区杨家湾组", "raw:荷叶塘社区", "云岭街道"),
        ("W县石门镇梨花村有人乱倒建筑垃圾", "石门镇梨花村", "raw:梨花村", "石门镇"),
    ],
)
def test_an_address_chain_is_one_place_with_the_village_key(text: str, chain: str, key: str, town: str) -> None:
    got = refs(text)
    assert (chain, PlaceLevel.COMMUNITY.value, key) in got, got
    assert any(n == town for n, _, _ in got), got  # the town stays a place of its own
    assert not any(n.endswith("组") and n != chain for n, _, _ in got), got  # no bare 五组 beside the chain


def test_the_chain_and_the_village_alone_share_one_key() -> None:
    chain = dict((n, k) for n, _, k in refs("Q3县白石岭镇青松村五组的路没人修"))
    alone = dict((n, k) for n, _, k in refs("青松村的路没人修"))
    assert chain["白石岭镇青松村五组"] == alone["青松村"] == "raw:青松村"


@pytest.mark.parametrize(
    "text",
    [
        "青松村和五组的村民都来了",  # two units not written one after the other
        "白石岭镇，青松村五组",  # a comma ends the chain at the town
    ],
)
def test_units_apart_make_no_chain(text: str) -> None:
    got = [n for n, _, _ in refs(text)]
    assert not any(n.startswith(("青松村和", "白石岭镇青松村")) for n in got), got


@pytest.mark.parametrize(
    ("text", "estate"),
    [
        ("请整治湘江新城的夜市噪音\n湘江新城每晚烧烤摊到凌晨，居民无法休息。", "湘江新城"),
        ("Q市开成华府门口垃圾成堆\n下雨后Q市开成华府门口的垃圾一周没人清理", "开成华府"),  # a verb opens it
        ("Q市开成公馆电梯停运\n我是Q市开成公馆住户，开成公馆电梯又停了", "开成公馆"),
        ("恳请关注枫丹新城的排水问题\n枫丹新城一下雨就淹", "枫丹新城"),  # 枫|丹|新城: characters jieba splits
    ],
)
def test_an_estate_named_in_the_subject_and_again_in_the_body(text: str, estate: str) -> None:
    assert estate in names(text), names(text)


@pytest.mark.parametrize(
    "text",
    [
        "请整治湘江新城的夜市噪音\n每晚烧烤摊到凌晨，居民无法休息。",  # named once: no cue says it is an estate
        "Q市开成华府门口垃圾成堆\n下雨后门口的垃圾一周没人清理",
        "物业服务中心乱收费\n物业服务中心每月多收我们两百元",  # common words alone
        "T市再婚家庭子女如何落户\nT市再婚家庭的孩子上学难",  # 家庭 is a word, its 庭 no estate
        "市中心交通拥堵\n每天早上市中心堵得水泄不通",
    ],
)
def test_a_repeated_phrase_is_no_estate(text: str) -> None:
    assert names(text) == [], names(text)


def test_a_city_park_repeated_is_the_park_not_an_estate() -> None:
    # since the sixth session a city's logistics park is a place of its own (a park named by its city)
    got = refs("B市物流园大货车扰民\n每天夜里B市物流园进出的货车鸣笛")
    assert got == [("B市物流园", "landmark", "raw:B市物流园")], got


def test_a_road_keeps_the_house_number_written_after_it() -> None:
    got = refs("P县桃源西路318号的小作坊天天排放油烟")
    assert ("桃源西路318号", PlaceLevel.ROAD.value, "raw:桃源西路") in got, got  # one key with the bare road
    assert [k for n, _, k in refs("桃源西路的小作坊天天排放油烟") if n == "桃源西路"] == ["raw:桃源西路"]


@pytest.mark.parametrize(
    "text",
    [
        "桃源西路3号线施工围挡占道",  # a metro line
        "桃源西路12号晚上又有人摆摊",  # a date
        "桃源西路5号至8号之间没有路灯",  # a range of numbers
    ],
)
def test_a_line_a_date_or_a_range_is_no_house_number(text: str) -> None:
    assert "桃源西路" in names(text), names(text)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("我家住在金都花园，楼下烧烤摊太吵", "金都花园"),  # 金|都|花园: 都 is no adverb here
        ("工地位于岳都路，晚上施工", "岳都路"),
    ],
)
def test_single_characters_after_a_preposition_of_place_name_it(text: str, place: str) -> None:
    assert place in names(text), names(text)


@pytest.mark.parametrize(
    "text",
    [
        "他们搬到了都花园",  # a function word in the run
        "车停在C市大道边上被贴了罚单",  # a letter and a city are no name's characters
        "昨天在市一医院排队三小时",
    ],
)
def test_a_run_with_a_function_word_or_a_city_names_nothing(text: str) -> None:
    assert names(text) == [], names(text)


@pytest.mark.parametrize(
    ("text", "chain", "key"),
    [
        ("我在H3区青竹街道翠湖名苑买的房子漏水", "青竹街道翠湖名苑", "raw:翠湖名苑"),
        ("Q县石门镇杏林路88号门口污水横流", "石门镇杏林路88号", "raw:杏林路"),
    ],
)
def test_a_town_before_an_estate_or_road_locates_it(text: str, chain: str, key: str) -> None:
    got = refs(text)
    assert any(n == chain and k == key for n, _, k in got), got


@pytest.mark.parametrize(
    ("text", "estate"),
    [
        ("去年在H3区金|盘世界城购房一套至今没有房产证".replace("|", ""), "金盘世界城"),
        ("作为锦江名城12、13栋的业主，我们要求整改", "锦江名城"),
    ],
)
def test_a_purchase_or_a_list_of_blocks_names_an_estate(text: str, estate: str) -> None:
    assert estate in names(text), names(text)


def test_a_purchase_of_something_else_names_no_estate() -> None:
    assert names("我们在县城购房一套，现在房价跌了") == []


@pytest.mark.parametrize(
    ("text", "market"),
    [
        ("桂园北路永辉超市卖过期面包", "桂园北路永辉超市"),
        ("货车从松柏路建材市场出来总是超载", "松柏路建材市场"),
        ("M县城关镇和平超市的冻肉没有检疫章", "城关镇和平超市"),
    ],
)
def test_a_market_named_after_its_road_or_town(text: str, market: str) -> None:
    assert market in [n for n, _, _ in refs(text)], refs(text)


@pytest.mark.parametrize(
    "text",
    [
        "桂园北路附近的超市都关门了",  # no name between the road and the market
        "附近合格超市太少",  # a common word with no road before it
    ],
)
def test_a_market_without_a_name_or_road_is_none(text: str) -> None:
    assert not any(n.endswith("超市") for n, _, _ in refs(text)), refs(text)


@pytest.mark.parametrize(
    ("text", "place", "key"),
    [
        ("房子在红星街道前进居委会辖区", "红星街道前进居委会", "raw:前进社区"),  # a verb names a community
        ("我们是Q2区东风办事处桃园社区的居民", "东风办事处桃园社区", "raw:桃园社区"),  # 办事处 is a town's office
        ("白沙镇胜利村的水渠堵了", "白沙镇胜利村", "raw:胜利村"),
    ],
)
def test_a_community_or_village_after_its_town_whatever_its_name(text: str, place: str, key: str) -> None:
    got = refs(text)
    assert any(n == place and k == key for n, _, k in got), got


def test_a_verb_after_a_town_without_a_unit_word_names_nothing() -> None:
    assert [n for n, _, _ in refs("红星街道前进了一大步")] == ["红星街道"]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("每晚在中山路有人飙车", "中山路"),  # 中山路 a dictionary place name although 山路 is a word
        ("Q区三里店社区的路灯不亮", "三里店社区"),  # a distance and an inn name a place
    ],
)
def test_dictionary_roads_and_distance_names(text: str, place: str) -> None:
    assert place in names(text), names(text)


@pytest.mark.parametrize("text", ["这条山路太陡了", "三个店铺都关门了", "走了七里路才到"])
def test_a_mountain_path_or_a_count_is_no_place(text: str) -> None:
    assert names(text) == [], names(text)


def test_a_brand_and_a_name_joined_by_a_middle_dot() -> None:
    got = refs("去年在万科·金域蓝湾购买了一套房，至今没交房")
    assert ("万科·金域蓝湾", PlaceLevel.COMPOUND.value, "raw:万科金域蓝湾") in got, got
    assert [k for _, _, k in refs("万科金域蓝湾业主维权")] == ["raw:万科金域蓝湾"]  # one key with or without the dot
    assert refs("万科·的服务太差") == []


def test_a_repeated_common_phrase_before_an_ending_is_no_estate() -> None:
    assert names("我们对这些新城的建设很关心\n这些新城没有学校") == []


def test_a_short_estate_name_after_a_county_with_its_phase_and_block() -> None:
    got = refs("R3县星语二期6栋业主私搭乱建")
    assert ("星语二期", PlaceLevel.COMPOUND.value, "raw:星语") in got, got
    assert refs("R3县今年二期6栋业主私搭乱建") == [("R3县", "district", None)]  # a time word is no name: the county


def test_characters_after_a_masked_city_open_a_repeated_estate_name() -> None:
    assert "太月城" in names("K5市太月城，还我绿地\n太月城开发商把绿地建成了商铺")  # 太|月|城
    assert names("K5市太好了\n太好了") == []


def test_a_bare_road_side_takes_the_word_before_it() -> None:
    assert "建设南路" in names("货车在建设南路上掉了一地砂石")
    # a preposition, a verb, a count before the side
    for text in ("我们沿着南路一直走到头", "车辆经过北路时要减速", "他家就在这条北路上"):
        assert not any(len(n) > 2 and n.endswith("路") for n in names(text)), names(text)


def test_a_group_without_its_village_is_no_place() -> None:
    got = [n for n, _, _ in refs("我们村，四组的路没人修")]
    assert "四组" not in got, got
    assert "青松村四组" in [n for n, _, _ in refs("青松村四组的路没人修")]


@pytest.mark.parametrize(
    ("text", "place", "key"),
    [
        ("W3县自来水公司的水有一股怪味", "W3县自来水公司", "raw:W3县自来水公司"),  # a county's utility
        ("T市W3县中学乱收补课费", "T市W3县中学", "raw:W3县中学"),  # a county's middle school, one key with or without
    ],
)
def test_a_county_utility_and_middle_school(text: str, place: str, key: str) -> None:
    got = refs(text)
    assert any(n == place and k == key for n, _, k in got), got


@pytest.mark.parametrize("text", ["W市小学都在补课", "W市出租车公司太多", "这户按县自来水公司的标准交费"])
def test_a_city_primary_school_or_a_phrase_is_no_facility(text: str) -> None:
    assert not any(n.endswith(("小学", "公司")) for n, _, _ in refs(text)), refs(text)


@pytest.mark.parametrize(("text", "village"), [("我是青松村农民，家里的地被占了", "青松村"),
                                               ("R2县白沙村居民反映自来水浑浊", "白沙村")])
def test_a_village_that_jieba_joins_to_its_farmers(text: str, village: str) -> None:
    assert village in names(text), names(text)


@pytest.mark.parametrize("text", ["我们是农村农民", "全村农民都去了", "新农村居民的医保"])
def test_farmers_of_the_countryside_name_no_village(text: str) -> None:
    assert names(text) == [], names(text)


@pytest.mark.parametrize(
    "text",
    [
        "我们住的是同一小区，却两种收费",
        "这是一个开放性小区，外来车辆随便进",
        "县里的普惠性幼儿园太少",
        "周边配套小学还没建",
        "这条路本身公路等级就低",
        "一到天黑路上就没有灯",
        "他借口公司困难不发工资",
        "后来转院市一医院治疗",
        "各个街道都在搞创卫",
        "他们只信权威医院",
        "人口密集小区要多设垃圾桶",
    ],
)
def test_qualifiers_and_clause_words_before_a_kind_make_no_place(text: str) -> None:
    assert names(text) == [], names(text)


@pytest.mark.parametrize(
    ("text", "road"),
    [("我家离杭瑞高速不到五十米，噪音太大", "杭瑞高速"), ("住在沪昆高速公路旁边的村民", "沪昆高速公路")],
)
def test_an_expressway_named_by_the_places_it_joins(text: str, road: str) -> None:
    got = refs(text)
    assert any(n == road and lv == PlaceLevel.ROAD.value for n, lv, _ in got), got


def test_the_expressway_and_its_highway_spelling_share_one_key() -> None:
    assert place_key("沪昆高速公路") == place_key("沪昆高速") == "raw:沪昆高速"


@pytest.mark.parametrize("text", ["当地经济高速发展", "有了高速以后方便多了", "我上高速时被罚款", "这里几条高速都堵"])
def test_high_speed_and_a_clause_before_it_name_no_expressway(text: str) -> None:
    assert not any(n.endswith(("高速", "高速公路")) for n in names(text)), names(text)


@pytest.mark.parametrize(
    ("text", "place"),
    [("我家在T市水利局家属楼三单元，楼道灯坏了", "水利局家属楼"), ("县农机厂家属区没人管", "农机厂家属区")],
)
def test_staff_homes_keep_the_name_of_their_office_or_works(text: str, place: str) -> None:
    assert place in names(text), names(text)


@pytest.mark.parametrize("text", ["这栋家属楼没有电梯", "政府给工厂建宿舍楼", "医院家属楼的停车位"])
def test_staff_homes_without_a_name_are_none(text: str) -> None:
    assert names(text) == [], names(text)


@pytest.mark.parametrize(
    ("text", "place"),
    [("路口有一家名为鑫鑫生鲜超市的店天天占道", "鑫鑫生鲜超市"), ("我们住的小区名叫翠竹花苑，物业不作为", "翠竹花苑")],
)
def test_a_place_introduced_by_its_name(text: str, place: str) -> None:
    assert place in names(text), names(text)


@pytest.mark.parametrize("text", ["那个老板名叫李四", "一家名为快乐的店", "这个活动叫做文明小区评比"])
def test_a_name_that_is_no_place_or_a_kind_alone(text: str) -> None:
    assert not any(len(n) > 3 for n in names(text)), names(text)
