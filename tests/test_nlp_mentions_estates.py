"""Places beyond the gazetteer, third round: numbered highways and rural roads, estates named by developer and
phase or block, estates named without a suffix word where a resident says they live there — and the phrases
around such shapes that are no places."""

from __future__ import annotations

import pytest

from core import PlaceLevel
from nlp.enrich import Enricher
from nlp.mentions import find_mentions, place_key
from tests.mention_support import SEG, names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("砂石车每天从318国道经过，灰尘很大", "318国道"),
        ("国道318线沿途的路灯全不亮", "国道318线"),
        ("G318两侧堆满了建筑垃圾", "G318"),
        ("S105省道上的坑好几个月没人补", "S105省道"),
        ("省道S105线长冲段塌方", "省道S105线长冲段"),  # the stretch in a place (P12); key S105
        ("省道Ｓ１０５线旁的砖厂冒黑烟", "省道Ｓ１０５线"),
        ("X027县道两边的树被砍光了", "X027县道"),
        ("乡道Y118没有护栏，晚上很危险", "乡道Y118"),
        ("s105省道的货车超载严重", "s105省道"),
        ("G4512高速出口天天堵车", "G4512高速"),
    ],
)
def test_numbered_roads_are_found(text: str, expected: str) -> None:
    assert expected in names(text)


def test_one_key_for_the_spellings_of_one_numbered_road() -> None:
    spellings = ["318国道", "国道318线", "G318", "g318", "Ｇ３１８", "G318国道", "国道G318", "G318线", "G318公路"]
    assert {place_key(s, PlaceLevel.ROAD) for s in spellings} == {"raw:G318"}
    assert place_key("S105省道") == place_key("省道S105线") == place_key("s105") == "raw:S105"
    assert place_key("X027县道") == place_key("县道X027") == "raw:X027"
    assert place_key("乡道Y118") == place_key("Y118乡道") == "raw:Y118"
    assert len({place_key(s) for s in ["318国道", "318省道", "318县道", "318乡道"]}) == 4  # four roads


@pytest.mark.parametrize(
    "text",
    [
        "G8县的居民反映G12、G13栋楼顶漏水",  # a masked county and buildings
        "车辆型号HG7216AB，车架号LS123",  # model numbers
        "他在K6县道江镇上班",  # 县道 inside 县|道江镇
        "交通县道沿线灰尘很大，国道上也一样",  # a kind of road without a number
        "2018国道改造完成了吗",  # a year, not a road number
        "S300型号的空调很耐用",
    ],
)
def test_codes_that_are_no_roads(text: str) -> None:
    assert not [n for n in names(text) if any(c.isdigit() for c in n) or n.endswith("道")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我家住在碧桂园三期，楼下垃圾堆成山", "碧桂园三期"),
        ("恒大御景三期的业主反映电梯经常坏", "恒大御景三期"),
        ("保利香槟国际5栋的住户晚上被噪音吵醒", "保利香槟国际"),
        ("万科城8栋楼下的烧烤摊油烟很大", "万科城"),
        ("翠湖花园二期12栋门口积水严重", "翠湖花园二期"),
        ("桂香小区C区的路灯全坏了", "桂香小区"),
    ],
)
def test_estates_named_by_developer_phase_or_block(text: str, expected: str) -> None:
    assert expected in names(text)


def test_phases_and_blocks_fold_into_their_estate() -> None:
    assert place_key("碧桂园三期") == place_key("碧桂园") == "raw:碧桂园"
    assert place_key("翠湖花园二期") == place_key("翠湖花园第二期") == place_key("翠湖花园2期") == "raw:翠湖花园"
    assert place_key("万科城8栋") == place_key("万科城") and place_key("桂香小区C区") == place_key("桂香小区")
    assert place_key("翠湖花园二期") != place_key("翠湖家园二期")  # kinds still never merge


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们是住在锦江华府的业主，物业乱收费", "锦江华府"),
        ("本人住在翠屏湾，小区路灯三个月不亮", "翠屏湾"),
        ("业主们购买了滨江公馆的房子，至今没有房产证", "滨江公馆"),
        ("家住H市H2区鹿鸣苑里。楼下每天施工", "鹿鸣苑里"),
        ("我住在E市E3区金沙天地，楼下烧烤店油烟很大", "金沙天地"),
        ("我家住C2区云栖首郡，离学校很远", "云栖首郡"),
        ("本人家住B1区南岸里，有近十年了", "南岸里"),
        ("某某置业开发的云水名流汇(又叫云水雅苑)小区交房五年了", "云水名流汇"),
        ("我住在桂馨苑小区，房子漏水", "桂馨苑小区"),
    ],
)
def test_estates_without_a_suffix_where_residents_live(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "我住在宿舍里，条件很差",
        "父亲现在住在农村里，没人照顾",
        "他和爷爷住在一套三室一厅的家里",
        "去年买了社保，今年又买了医保。",
        "我们住在市中心，晚上很吵",
        "我住在城里，孩子在乡下读书",
        "对碧桂园失望透顶，请领导关注",
        "恒大集团拖欠工程款，万科物业乱收费",
        "我买了恒大的房子，至今没交房",
        "恒大，你们什么时候交房",
        "施工造成小区环境很差，涉及小区有三个",
        "工地扬尘严重污染小区空气",
        "物业公司管理小区不到位",
        "我们是住在这里的业主",
        "开发商开发的房子质量太差，",
    ],
)
def test_phrases_around_estates_are_no_places(text: str) -> None:
    assert names(text) == []


def test_a_dwelling_cue_names_the_estate_not_a_developer_dot() -> None:
    text = "承建的B市B2区宏泰.凯悦名门三期项目"
    found = names(text)
    assert "凯悦名门三期" in found and "宏泰" not in found


def test_enrich_keys_a_numbered_road_and_a_phase() -> None:
    [f] = Enricher().analyze(["国道318线边上的翠湖花园二期门口，砂石车天天经过318国道"])
    keys = {p["name"]: p.get("key") for p in f["places"]}
    assert keys["国道318线"] == keys["318国道"] == "raw:G318"
    assert keys["翠湖花园二期"] == "raw:翠湖花园"


def test_mentions_keep_their_spans() -> None:
    text = "沿着X027县道走到碧桂园三期"
    pieces = SEG.tokenize(text, hmm=False)
    found = find_mentions(text, {s for _, s, _ in pieces} | {len(text)})
    assert [text[m.start:m.end] for m in found] == [m.name for m in found]


@pytest.mark.parametrize(
    "text",
    [
        "协助召开业主大会，选举产生小区业主委员会",
        "请相关部门前来小区实地查看",
        "他们反而祸害小区业主，把钱都拿走了",
        "面积很小的物业小区除外",
        "我们要誓死保卫家园",
        "大家一起建设绿色家园",
        "感谢大家关心社区工作",
        "原计划的封闭式小区变成了开放的",
    ],
)
def test_one_common_word_before_an_estate_word_is_no_estate(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们是B市B1区枫叶路12号电信小区的业主", "电信小区"),
        ("，邮电小区门口的垃圾没人清", "邮电小区"),
        ("住户们住在机床小区，天天停水", "机床小区"),
        ("请问书香华庭什么时候办房产证", "书香华庭"),
    ],
)
def test_one_word_estate_names_after_an_edge(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    ("text", "expected", "not_expected"),
    [
        ("车辆从二环路金色海岸小区门口经过", "金色海岸小区", "二环路金色海岸小区"),
        ("群众反映检察院东兴苑的下水道堵了", "东兴苑", "检察院东兴苑"),
        ("今后渔溪村的路由谁来修", "渔溪村", "今后渔溪村"),
        ("春晓花语二期门口的路一直没修好", "春晓花语二期", "花语二期"),
    ],
)
def test_places_and_times_glued_to_a_name_front_are_cut(text: str, expected: str, not_expected: str) -> None:
    found = names(text)
    assert expected in found and not_expected not in found


@pytest.mark.parametrize(
    "text",
    [
        "事情到了不得不站出来说话的地步",  # 站 after a function word is a verb
        "业主们听说小区不再火车站的拆迁红线内",  # an adverb before a bare kind word
        "当地村民曾组团上访",  # 村民曾组团 is no group
        "大量群众站在路中间堵路",
        "十几年的维权路走得很辛苦，还是收费路",
        "我们这里是贫困村，也是空心村，城中村改造还没开始",
        "全县规划建设一条街，度假村也要建",
    ],
)
def test_verbs_adverbs_and_kinds_of_place_are_no_names(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected", "not_expected"),
    [
        ("林场东靠茶园乡，南连祁东乡，西邻双峰乡", "祁东乡", "南连祁东乡"),
        ("我父亲生前系青山镇卫生院职工", "青山镇卫生院", "父亲生前系青山镇卫生院"),
        ("在你们眼里长江南路就不是县城了", "长江南路", "眼里长江南路"),
        ("我正在中南大学读书", "中南大学", "正在中南大学"),
    ],
)
def test_sides_times_and_subjects_are_cut_off_a_name(text: str, expected: str, not_expected: str) -> None:
    found = names(text)
    assert expected in found and not_expected not in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("K2区白沙岭街道东来村石桥组的村民反映", "东来村"),  # 东来 is a time word to jieba, not here
        ("F3县大同中学食堂饭菜太贵", "大同中学"),  # an adverb to jieba, a name after a county
        ("桃溪社区中心卫生院的医生", "桃溪社区"),  # a community's health centre, not a district's
        ("盘石村十一组建了一个冶炼厂", "十一组"),
    ],
)
def test_names_that_look_like_common_words_after_a_unit(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("银杏时代项目延期交房，业主很着急", "银杏时代"),
        ("楼盘阳光水岸交房三年了还没有房产证", "阳光水岸"),
        ("位于城南的锦华天地项目烂尾了", "锦华天地"),
        ("东方名都项目工地晚上噪音扰民", "东方名都"),
        ("B市锦湖首府3栋的住户反映电梯坏了", "锦湖首府"),
        ("C市长城名苑7栋外墙脱落", "长城名苑"),  # jieba reads 市长 after the masked city
    ],
)
def test_estates_by_their_ending_before_owners_projects_and_blocks(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "在这个信息化时代业主也要学会维权",
        "足足三年多的时间里物业一次次拖延",
        "市政府服务中心项目开工了",
        "我们要求开发商按规定交房",
    ],
)
def test_common_words_before_an_ending_are_no_estate(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请问K2区青坪农业开发区什么时候纳入规划", "青坪农业开发区"),  # a park's trade between name and park
        ("在人民路与解放路交叉口金楚商城路口处乱停车", "金楚商城"),  # a market named at its crossing
        ("G市白沙洲河堤上的树被风吹倒了", "白沙洲河堤"),
    ],
)
def test_parks_markets_and_embankments(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize("text", ["全县农业开发区建设要加快", "加强河堤建设，修好大堤"])
def test_a_trade_or_a_kind_alone_names_no_park(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("目前居住小区碧水花都（B市B3区芙蓉中路27号）停车位乱收费", "碧水花都"),  # named after 小区
        ("西地省A9市华信彩虹城，至少四成业主家漏水", "华信彩虹城"),  # after a masked city, by its ending
        ("开发商在销售中信国际城11座时改了规划", "中信国际城"),
        ("镇上还有锦绣年华、溪岸、云顶天城等楼盘迟迟未交房", "云顶天城"),  # a list before 等楼盘
        ("镇上还有锦绣年华、溪岸、云顶天城等楼盘迟迟未交房", "溪岸"),
    ],
)
def test_estates_after_a_city_after_xiaoqu_and_in_lists(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "B市城市广场，人很多",
        "要求整改、处罚等项目尽快落实",
        "我们和你们等小区都要交",
        "A市新城，B市老城",
    ],
)
def test_no_estate_from_a_city_or_a_list_of_words(text: str) -> None:
    assert names(text) == []


def test_a_road_before_an_estate_is_not_part_of_its_name() -> None:
    found = names("B市黄山路海天华城小区内，网吧空调外机很吵")
    assert "海天华城小区" in found and "黄山路海天华城" not in found


@pytest.mark.parametrize(
    "text",
    [
        "外省务工人员能否在C2市申请廉租房",
        "多谢社区领导照顾",
        "菜市场本应该交由街道管理",
        "大理石铺贴后高低不平",
        "城市里高楼大厦越来越多",
    ],
)
def test_verbs_before_a_kind_word_are_no_places(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected", "not_expected"),
    [
        ("造成采石场山脚下青冲村的房子开裂", "青冲村", "采石场山脚下青冲村"),
        ("校领导说可明德实验中学不让报名", "明德实验中学", "可明德实验中学"),
    ],
)
def test_sites_and_conjunctions_glued_to_a_name_are_cut(text: str, expected: str, not_expected: str) -> None:
    found = names(text)
    assert expected in found and not_expected not in found


@pytest.mark.parametrize(
    ("text", "expected", "not_expected"),
    [
        ("各位上级领导：现有青江镇岐石村的问题", "青江镇", "现有青江镇"),
        ("村民代表，现收白塘村、双合村的委托", "白塘村", "收白塘村"),
        ("希望有关K3县领导石家桥镇领导管一管", "", "领导石家桥镇"),
    ],
)
def test_subjects_and_verbs_before_a_town_or_village_are_cut(text: str, expected: str, not_expected: str) -> None:
    found = names(text)
    assert (not expected or expected in found) and not_expected not in found


@pytest.mark.parametrize("text", ["要求二甲医院以上医院开具的证明", "绿化影响临街门店的广告"])
def test_locatives_and_qualifiers_before_a_kind_are_no_places(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize("text, expected", [("沿江大道上的共享单车乱停乱放", "沿江大道"), ("沿海大道堵车", "沿海大道")])
def test_a_place_word_jieba_tags_as_a_locative_still_names_a_road(text: str, expected: str) -> None:
    assert expected in names(text)  # 沿江, 沿海 are tagged f like 以上, but they name the road


@pytest.mark.parametrize(
    ("text", "expected", "not_expected"),
    [
        ("在宝山区中心医院看病", "宝山区中心医院", "中心医院"),  # a district before a facility stays
        ("那家店原来的门牌是五一西路128号", "五一西路128号", "西路128号"),
        ("本应入市实验小学读书", "", "入市实验小学"),
        ("承包了E2县青石岭镇附近某村的鱼塘", "青石岭镇", "附近某村"),
        ("镇上那些廉租房什么时候变公租房的", "", "时候变公租房"),
    ],
)
def test_districts_stay_and_verbs_go(text: str, expected: str, not_expected: str) -> None:
    found = names(text)
    assert (not expected or expected in found) and not_expected not in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [("垃圾堆了一个月！雄峰豪庭不应该变成垃圾场", "雄峰豪庭"), ("住在凯旋名邸的居民反映水压不够", "凯旋名邸")],
)
def test_an_estate_by_a_strong_ending_anywhere(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize("text", ["有些报名都没报上", "销售的同一品牌手机", "江南华府小区的业主"])
def test_no_estate_by_a_strong_ending_inside_other_words(text: str) -> None:
    got = names(text)
    assert not [n for n in got if n.endswith(("名都", "一品", "尚品"))] and "江南华府" not in got, got
