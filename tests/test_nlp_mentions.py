"""Place mentions beyond the gazetteer: what is a place, what is not, and one key per place."""

from __future__ import annotations

import pytest

from core import PlaceLevel
from nlp.enrich import Enricher
from nlp.mentions import place_key
from tests.mention_support import names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("B2区南山春天小区旁边的酒吧半夜很吵", "南山春天小区"),
        ("本人是C市C2区锦绣家园小区的一位老住户", "锦绣家园小区"),
        ("白石砖厂开在E4市禾青镇杨坪村地界上", "杨坪村"),
        ("店址在桂花岭8号佳惠福超市，希望查查过期食品", "佳惠福超市"),
        ("就在城西市场里面，摊位占了过道", "城西市场"),
        ("松林二路82号楼的后面被挖空了", "松林二路"),
        ("每周二乘坐城轨早晨从大丰站出发", "大丰站"),
        ("F市四季酒店招用未成年服务员", "四季酒店"),
        ("G5县银湖佳园工地的工人没戴安全帽", "银湖佳园"),
        ("在幸福路上摆摊", "幸福路"),
        ("幸福路菜场门口很脏", "幸福路菜场"),
        ("投诉K8县一中高二老师私自办培训", "K8县一中"),
        ("本人是石溪乡李木村，李木组村民", "李木组"),
        # jieba joins the suffix onto the next word (小区业主): the estate still ends there
        ("我们B2县凯旋门小区业主都交了天然气开户费", "凯旋门小区"),
        # named without a suffix word, after a (masked) city or district and before 的房子 / 项目 / 业主
        ("H市翠竹郡的房子买了两年还没办证", "翠竹郡"),
        ("C3区星河小镇项目停工，拖欠工人工资", "星河小镇"),
        ("我们“翠湖湾”业主要求退还物业费", "翠湖湾"),
        # an estate word (城, 一品, 湾) before a block number, 业主 or a side: common words cut off its front
        ("他在H市碧桂园江山一品12栋租了房", "碧桂园江山一品"),
        ("金沙国际城南面在建安置房，噪音很大", "金沙国际城"),
        ("第一个楼盘星河湾的业主都很气愤", "星河湾"),
        # shops and works: a name of their own before the trade word (烧烤店, 火疗馆, 水泥厂)
        ("大道38号金凤烧烤店一到晚上就开始营业", "金凤烧烤店"),
        ("举报涉嫌传销的福泰火疗馆", "福泰火疗馆"),
        ("X3县宏达水泥厂粉尘污染严重", "宏达水泥厂"),
        # a firm after a city, district or county and before what is wrong with it
        ("M2市华鑫电子环评报告写的是零排放", "华鑫电子"),
        ("B3区雪峰山集团拖欠工人工资", "雪峰山集团"),
        # a clause that opens with a name and says where it lies
        ("群众反映，金鹏印刷位于国道旁边，气味很大", "金鹏印刷"),
    ],
)
def test_named_places_are_found(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "我已经走投无路了，只能向您求助",
        "您反映小区的问题我们已转交",
        "严重影响小区居民的休息",
        "当地农村的村民都很着急",
        "回到家乡过年，马路市场堵了三个小时",
        "混凝土市场被垄断，建筑市场乱象",
        "公立医院和民办幼儿园都要加强监管",
        "自己谋出路，走了10步路",
        "健康义诊进社区活动正如火如荼",
        "晚上跳广场舞的人很多",
        "好的守门人村医越来越少",
        "K市房地产项目一律停工",
        "口号“绿水青山”项目要落实",
        "B3县田园综合体项目迟迟不动工",
        "改造原县政府南面这边的路",
        "洒水车在红绿灯路口闯红灯",
        "我家楼下的烧烤店油烟很大",
        "夜宵烧烤店太吵了",
        "K市城管局违规收费，K市电子环评造假",
        "K市人民会吞下污染的苦果",
        "我们学校位于城郊，这个项目位于河边",
        "这个厂一直排污，附近新开了一家理发店",
    ],
)
def test_phrases_are_not_places(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected", "not_expected"),
    [
        ("文件早就下了，而柳塘镇一中却照样收费", "柳塘镇一中", "而柳塘镇一中"),
        ("详情[见石板桥镇信访回复", "石板桥镇", "见石板桥镇"),
    ],
)
def test_function_words_are_cut_off_the_front(text: str, expected: str, not_expected: str) -> None:
    found = names(text)
    assert expected in found and not_expected not in found


def test_one_key_for_the_spellings_of_one_place() -> None:
    assert place_key("锦绣家园小区") == place_key("锦绣家园") == place_key("A3区锦绣家园小区") == "raw:锦绣家园"
    assert place_key("雅居乐花园小区") == place_key("雅居乐花园") and place_key("雅居乐小区") == place_key("雅居乐")
    assert place_key("梅溪桥社区") == place_key("梅溪桥社区居委会") == place_key("梅溪桥居委会") == "raw:梅溪桥社区"
    assert place_key("乾溪 居委会") == place_key("乾溪居委") == "raw:乾溪社区"
    assert place_key("杨坪村村委会") == place_key("杨坪村") == "raw:杨坪村"
    assert place_key("靖港古镇") == "raw:靖港古镇"


def test_places_of_different_kinds_never_share_a_key() -> None:
    kinds = ["阳光镇", "阳光街道", "阳光社区", "阳光花园", "阳光公寓", "阳光家园小区", "阳光村", "阳光路"]
    assert len({place_key(k) for k in kinds}) == len(kinds)
    assert place_key("锦绣花园") != place_key("锦绣家园") and place_key("城南街道") != place_key("城南花园小区")
    assert place_key("杉木桥村") != place_key("杉木桥镇") and place_key("洞井街道") != place_key("洞井镇")
    assert place_key("锦绣家园２期") == place_key("锦绣家园")  # a phase is its estate (see test_nlp_mentions_estates)
    assert place_key("锦绣家园二期") != place_key("锦绣花园二期") and place_key("G207") != place_key("S207")


def test_city_inside_an_estate_name_is_no_city_prefix() -> None:
    # 城市 / 都市 after a brand is part of the estate's name: two estates, two keys, neither a bare kind word
    keys = [place_key(n) for n in ("万科城市花园二期", "保利城市花园", "润景城市广场三期", "金茂都市之光小区")]
    assert len(set(keys)) == 4 and not {"raw:花园", "raw:广场", "raw:之光"} & set(keys)
    assert place_key("万科城市花园二期") == place_key("万科城市花园小区") == "raw:万科城市花园"
    # a real city before the estate still goes, 成都 and 盐城 included
    assert place_key("成都市锦江花园") == place_key("盐城市锦江花园") == place_key("锦江花园") == "raw:锦江花园"
    # a prefix that leaves only a bare kind word is the name after all
    assert place_key("华城市花园二期") == "raw:华城市花园"


def test_enrich_gives_unlisted_places_a_key_and_gazetteer_places_win() -> None:
    e = Enricher()
    [f] = e.analyze(["北欧春天小区门口垃圾堆了三天没人管，乾溪新村也一样"])
    by_name = {p["name"]: p for p in f["places"]}
    assert by_name["北欧春天小区"]["key"] == "raw:北欧春天" and "id" not in by_name["北欧春天小区"]
    assert by_name["乾溪新村"]["id"] == "dc-xq-qianxi" and "key" not in by_name["乾溪新村"]
    assert by_name["北欧春天小区"]["level"] == PlaceLevel.COMPOUND.value


def test_span_lookup_by_bisection_agrees_with_a_scan() -> None:
    from nlp.mentions import _span_over

    spans = [(0, 2), (2, 3), (3, 7), (7, 9)]
    for x in range(0, 11):
        scan = next((k for k, (a, b) in enumerate(spans) if a < x <= b), None)
        assert _span_over(spans, x) == scan

