"""Places beyond the gazetteer, fourth round: institutions named the way residents name them — numbered and
affiliated hospitals, firms whose name holds trade words, scenic areas, 新苑 estates, a school joined to 校长 —
and the key of an estate's numbered zone. Sentences written for these tests."""

from __future__ import annotations

import pytest

from nlp.mentions import place_key
from tests.mention_support import names, places


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("上周我爸在Q5县一医院住院，护士态度很差", "Q5县一医院"),
        ("R市三医院的挂号窗口排队要两小时", "R市三医院"),
        ("孩子在P市第二医院拔牙被多收了钱", "P市第二医院"),
        ("H9县第三人民医院的停车场收费太贵", "H9县第三人民医院"),
        ("转到湘江大学附一医院以后病情才稳定", "湘江大学附一医院"),
        ("我在Q市卫生学院附属医院做的手术", "Q市卫生学院附属医院"),
        ("母亲住进了松雅附二医院的骨科", "松雅附二医院"),
        ("他在N5县附属中学读初三，每周六都被要求补课", "N5县附属中学"),
        ("西地省锐丰五金模具有限公司拖欠我们半年工资", "锐丰五金模具有限公司"),
        ("隔壁的华宇塑料制品厂整夜噪音", "华宇塑料制品厂"),
        ("长沙卷烟厂附近的路灯坏了", "长沙卷烟厂"),
        ("青螺湾旅游度假区违规建别墅", "青螺湾旅游度假区"),
        ("给W3县竹海故里景区建设提几点建议", "竹海故里"),
        ("今年才交房的翡翠新苑，外墙已经开裂", "翡翠新苑"),
        ("S2县石门小学校长要求家长买教辅", "石门小学"),
        ("我在T4县青溪镇卫生院上班，工资拖了三个月", "青溪镇卫生院"),
        ("看病得去七里坪乡卫生院，路太远", "七里坪乡卫生院"),
        ("W7县白沙镇中学食堂的饭菜不干净", "白沙镇中学"),
        ("N3县荷塘镇中心完小缺英语老师", "荷塘镇中心完小"),
        ("R市博物馆周一也不开门", "R市博物馆"),
        ("Q8县柳湾一中强制学生周末补课", "柳湾一中"),
        ("K市汇通机电贸易有限公司拖欠货款", "汇通机电贸易有限公司"),
        ("P市岚峰育才学校又涨学费了", "岚峰育才学校"),
        ("-星辉建材集团有限公司的搅拌站扬尘严重", "星辉建材集团有限公司"),
        ("我们是高新区，柳桥村的拆迁户", "柳桥村"),
        ("Q2县五里桥镇的卫生院看病难", "五里桥镇"),
        ("晚上金凤步行街的音响吵得人睡不着", "金凤步行街"),
        ("P4县职业技术学校强制学生实习", "P4县职业技术学校"),
        ("孩子在R市第三中学读初二", "R市第三中学"),
        ("儿子原是P6市二职的学生，在校被打", "P6市二职"),
        ("Q市西环路上的路灯坏了一半", "西环路"),
        ("新开的白马坳加油站夜里也在施工", "白马坳加油站"),
        ("从东坡车站到县城的班车乱收费", "东坡车站"),
        ("楼下的沙湾大药房卖过期药", "沙湾大药房"),
        ("凤凰岭森林公园里有人乱砍树", "凤凰岭森林公园"),
        ("沿着车站路往北走五百米就是菜场", "车站路"),
        ("P市金鹰驾校收了学费不安排考试", "金鹰驾校"),
        ("Q3区洪山液化气站强制更换气瓶", "洪山液化气站"),
        ("没想到，溪口华茂木材厂又在夜里开工", "华茂木材厂"),
        ("Q5县开往白溪口镇的班车不按站停", "白溪口镇"),
    ],
)
def test_finds_the_institution(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "他去了这家附属医院看病，结果越看越重",
        "在附属医院看病很贵，普通人负担不起",
        "这家服装厂天天往河里排污水",
        "农村污水处理厂建好了却一直不运行",
        "当地一家电子厂噪音扰民",
        "小区物业公司什么都不管",
        "我们向出租车公司投诉了三次",
        "政府投资公司负责这个项目",
        "某某房地产开发有限公司迟迟不办证",
        "一个黑心服装厂坑了我们",
        "我们公司员工的社保一直没交",
        "魂归故里是老人最后的心愿",
        "这个风景区门票太贵了",
        "全县旅游度假区建设进度缓慢",
        "我们县一医院的医生很负责",
        "全县乡镇卫生院都缺医生",
        "孩子发烧，连夜送到镇卫生院",
        "我们镇中学的老师很辛苦",
        "A市小学的课后服务收费不统一",
        "K8县中学生的近视率很高",
        "这位乡卫生院的院长不作为",
        "D10县高一中的学生很多",
        "渣土车洒落泥浆，严重污染路面",
        "A市出租车市场乱象丛生",
        "P市寄宿制学校太少",
        "我们向集团有限公司反映过",
        "城里的步行街太吵了",
        "建议支持全市职业学校发展",
        "两个村的村民都去了",
        "我们县一职工被车撞了",
        "A市环路上天天堵车",
        "早上去加油站加油排了很久的队",
        "在车站买票要排长队",
        "公交车站离小区太远",
        "这个驿站乱收费",
        "周末去驾校练车的人太多",
        "奖金及福利与市直属中学相同",
        "村里修了一条沥青路，下雨就坏",
        "按规划主街道两侧不许摆摊",
        "争创国家5A级旅游度假区",
    ],
)
def test_no_institution(text: str) -> None:
    assert names(text) == []


def test_numbered_hospital_keeps_its_city() -> None:
    # two cities' 第三医院 are two hospitals: the key keeps the masked city
    assert place_key("K市第三医院") != place_key("B市第三医院")
    assert place_key("F市一医院") == "raw:F市一医院"
    # numbered schools, vocational schools and affiliates too: the number alone is every city's
    assert place_key("K市一中") == "raw:K市一中" and place_key("K市一中") != place_key("B市一中")
    assert place_key("C4市一职") != place_key("B2市一职")
    assert place_key("K市附一医院") == "raw:K市附一医院" != place_key("附一医院")
    assert place_key("D市附属中学") == "raw:D市附属中学"
    # a bare number keeps a key of its own (the town's own city is meant), never merged with a city's
    assert place_key("第二医院") == "raw:第二医院" != place_key("K市第二医院")
    # a name of its own before the number is kept as it was
    assert place_key("湘江大学附一医院") == "raw:湘江大学附一医院" and place_key("柳湾一中") == "raw:柳湾一中"


def test_a_city_numbered_school_in_a_sentence_keeps_its_city() -> None:
    found = names("我家儿子在K市一中读高三，学校天天补课")
    assert found == ["K市一中"] and place_key(found[0]) == "raw:K市一中"


def test_numbered_zone_is_its_estate() -> None:
    assert place_key("阳光1区") == place_key("阳光一区") == place_key("阳光第一区") == "raw:阳光"
    assert place_key("阳光小区一区") == place_key("阳光小区") == "raw:阳光"
    assert place_key("锦绣家园三栋") == place_key("锦绣家园3栋") == "raw:锦绣家园"
    # 阳光小区 followed by three characters is no district prefix: its unit, block or building is the estate's
    for name in ("阳光小区一单元", "阳光小区十二栋", "阳光小区一号楼", "阳光小区三栋"):
        assert place_key(name) == "raw:阳光", name
    # kinds still stay apart: a district, a new district and a community are not the estate
    assert len({place_key("阳光一区"), place_key("阳光社区"), place_key("阳光新区")}) == 3


def test_a_county_school_is_no_firm_of_its_teachers() -> None:
    # the county's 实验小学 is one school; 实验小学老师 before a problem word is no firm
    assert names("D3县实验小学老师违规补课") == ["D3县实验小学"]


def test_a_road_before_a_firm_stays_a_road() -> None:
    found = names("在雪峰南路胖哥槟榔厂门口堆满了垃圾")
    assert "雪峰南路" in found and not any(n.startswith("雪峰南路") and n.endswith("厂") for n in found)


def test_a_road_before_its_crossing_word_is_not_doubled() -> None:
    assert "黄河路路" not in names("在长江路与黄河路路口发生车祸")


@pytest.mark.parametrize(
    ("text", "expected", "not_expected"),
    [
        ("出院的时候人民医院只给了一张单子", None, "时候人民医院"),
        ("上次寄给你们的报告石门镇也收到了", "石门镇", "报告石门镇"),
        ("这次错失翠竹坤苑的摇号资格", "翠竹坤苑", "错失翠竹坤苑"),
        ("你敢在河边上站十分钟吗", None, "河边上站"),
    ],
)
def test_words_of_the_sentence_are_cut_off_a_name(text: str, expected: str | None, not_expected: str) -> None:
    found = names(text)
    assert not_expected not in found and (expected is None or expected in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("偶然到中南林业科技大学，发现西校区晚上断电", "中南林业科技大学"),
        ("湖南科技大学南校区食堂饭菜涨价太厉害", "湖南科技大学南校区"),
        ("去长沙理工大学的公交车太少", "长沙理工大学"),
        ("兴隆路金井批发部卖假酒，欺骗老顾客", "金井批发部"),
        ("我在宏泰经营部上班三年，老板一直不给买社保", "宏泰经营部"),
        ("兴旺门市部在人行道上堆放建材", "兴旺门市部"),
        ("丽人美容工作室办卡后就关门跑路了", "丽人美容工作室"),
        ("金太阳托管中心没有办学资质", "金太阳托管中心"),
        ("城南路刘记批发部门口堆满纸箱", "城南路刘记批发部"),
        ("谢氏足部保健中心后面乱搭乱建木棚", "谢氏足部保健中心"),
    ],
)
def test_institutions_and_shops_by_a_name_and_their_trade(text: str, expected: str) -> None:
    """S19-A: field words between a name and 大学 / 学院; shop kinds of their own; a shop named by a common word
    right after its road."""
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "我考上了一所科技大学",
        "这所科技大学收费太高",
        "他在师范学院读书",
        "这家批发部卖假货",
        "附近的美容工作室都关门了",
        "我们托管中心的老师很负责",
        "市场监管局查了经营部",
    ],
)
def test_no_institution_or_shop_without_a_name(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("上个月在苏宁买了一台冰箱，送货时摔坏了", "苏宁"),
        ("红星美凯龙买的沙发甲醛超标，商家不处理", "红星美凯龙"),
        ("小区对面的肯德基后厨油烟直排", "肯德基"),
        ("富士康门口每天下班时段堵车", "富士康"),
        ("R市移动擅自给我开通增值业务", "R市移动"),
        ("中国联通营业厅排队两个小时", "中国联通营业厅"),
        ("中国电信乱扣话费", "中国电信"),
    ],
)
def test_chains_works_and_operators_named_alone(text: str, expected: str) -> None:
    """S19-C: national chains and works named alone, operators after their city or 中国."""
    assert expected in names(text)


@pytest.mark.parametrize("text", ["R市移动支付付款很方便", "R市电信诈骗案件高发", "中国电信诈骗电话太多",
                                  "A市移动执法车来了", "C县移动摊贩太多"])
def test_an_operators_word_in_another_sense_is_no_operator(text: str) -> None:
    assert not any(n.endswith(("移动", "联通", "电信")) for n in names(text))


@pytest.mark.parametrize("text", ["张永辉是我们村的村长", "村支书李国美收了钱", "这家店东西物美价廉",
                                  "这个孩子成绩步步高", "我买了一辆比亚迪", "我家住在王府井附近"])
def test_no_chain_in_a_persons_name_or_a_common_word(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("孩子在长沙儿童医院住院，收费不透明", "长沙儿童医院"),
        ("湘西民族中学强制补课", "湘西民族中学"),
        ("他在中石化（长沙）石油有限公司上班，加班没有工资", "中石化（长沙）石油有限公司"),
        ("2014年与中泰（R市）燃气有限公司签了合同", "中泰（R市）燃气有限公司"),
        ("五里岗棚户区改造工程进展缓慢", "五里岗棚户区"),
        ("湘江世纪城沿江风光带的路灯坏了一半", "湘江世纪城沿江风光带"),
    ],
)
def test_fields_brackets_and_kinds_of_s19f(text: str, expected: str) -> None:
    """S19-F: field words before a school or hospital, a firm holding its city in brackets, 棚户区 and 风光带."""
    assert expected in names(text)


@pytest.mark.parametrize("text", ["长沙优质小学太少", "宁乡农村小学缺老师", "农科院子弟小学乱收费"])
def test_a_class_of_schools_names_no_school(text: str) -> None:
    assert not any(n.endswith("小学") for n in names(text))


def test_other_provinces_are_no_area() -> None:
    assert [p.name for p in places("外省市的证件在西地省能用吗")] == ["西地省"]


@pytest.mark.parametrize("text", ["业主张先生（化名）投诉开发公司", "举报人（匿名）投诉物业公司",
                                  "小区业主（多人）投诉物业公司", "那个英语培训中心乱收费", "开了个美甲工作室",
                                  "这家中医养生馆", "去了一家韩国整容医院", "黄兴路步行街服装店"])
def test_no_firm_from_a_bracketed_note_or_a_counted_kind(text: str) -> None:
    assert not any(n.endswith(("公司", "中心", "工作室", "养生馆", "医院", "服装店")) for n in names(text))


@pytest.mark.parametrize("text", ["今年3月中泰（R市）燃气有限公司开始涨价", "突然中泰（R市）燃气有限公司停气了"])
def test_a_bracketed_firm_starts_at_its_name(text: str) -> None:
    assert "中泰（R市）燃气有限公司" in names(text)
