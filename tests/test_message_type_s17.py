"""Seventeenth session: what a 文明办 inspector's user check found with 96 posts of their own (/work/uc17/topics,
posts t77, t08, t36, t43, t89, t50) or written for these tests. A letter the writer names praise is praise whatever
trouble its story tells; a board's classifieds and an outage notice passed on are no complaint; a theft where a bike
was parked and a building permit chased are matters routed elsewhere, not parking or illegal construction."""

from __future__ import annotations

import pytest

from nlp.enrich import enricher_for
from tests.message_type_support import kind


@pytest.mark.parametrize(
    "text",
    [
        "表扬信\n尊敬的领导：我想表扬一下我们社区的网格员李晓燕同志。我母亲八十多岁独居，前段时间半夜突发疾病，是小李晚上巡查"
        "时发现我家灯一直亮着觉得不对，敲门后发现老人倒在地上，及时叫了救护车，还一直陪到医院。平时小李还经常帮居民联系维修、"
        "清理楼道杂物。这样的好同志应该表扬！",
        "感谢信\n尊敬的镇领导：上个月我家楼下的下水道一直堵着，污水漫到路上，我打了热线后城管和物业当天就来疏通了，"
        "师傅们忙到晚上九点。特此写信感谢！",
    ],
)
def test_a_letter_the_writer_names_praise_is_praise(text: str) -> None:
    assert kind(text) == ("praise", False)


@pytest.mark.parametrize(
    "text",
    [
        "表扬信\n我想表扬一下物业，但是门口的垃圾还是没人管，天天臭气熏天，希望尽快处理",
        "我想表扬一下物业的效率，为什么报修三个月的电梯还是坏的？",
    ],
)
def test_praise_that_turns_to_a_wrong_stays_a_complaint(text: str) -> None:
    assert kind(text) == ("complaint", True)


@pytest.mark.parametrize(
    "text",
    [
        "二手出：九成新婴儿推车一辆，小区内自提，价格私聊",
        "楼下停车场那只橘猫生了一窝小猫，有没有人想领养的🐱",
        "闲置跑步机转让，九成新，自己来搬",
        "物业群里说明天上午9点到12点停水，检修管道，大家提前储水哈",
    ],
)
def test_classifieds_and_an_outage_notice_passed_on_are_no_complaint(text: str) -> None:
    assert kind(text) == ("other", False)


@pytest.mark.parametrize(
    "text",
    [
        # an outage suffered, again or still, or a question about it
        "又停水了，物业也不提前通知，家里老人孩子怎么办",
        "3号停水到现在还没来水，家里老人都没法做饭",
        "明天又停水，这个月第四次了，一点通知都没有",
        "下周一到周五每天停水8小时，这谁受得了",
        # a classified's word in a complaint (a review of the rules found each read as everyday talk)
        "转：我们小区门口的垃圾堆了一个星期没人清理，臭死了",
        "收：物业每个月收我们200块卫生费，楼道却从来没人打扫",
        "出租：隔壁那套被二房东隔成了十几间群租，天天吵到半夜，物业也不管",
        "楼下超市卖过期牛奶，我去找老板他让我私聊，太气人了",
        "宠物店送养的猫有病，没几天就死了，老板不认账",
        "流浪狗越来越多了，有没有人管管，天天在小区里咬人",
        "小区里的闲置车位被物业转让给外人，业主都停不了车",
    ],
)
def test_outages_suffered_and_complaints_with_a_classified_word_stay_complaints(text: str) -> None:
    assert kind(text)[1] is True


@pytest.mark.parametrize(
    "text",
    [
        "我要表扬社区网格员，同时我要投诉物业乱收费",
        "我要表扬一下小区保安，另外小区门口的垃圾堆了一周没人清理，请尽快处理",
        "我们表扬过这个物业很多次，可现在他们乱收费，一个车位收三百",
        "表扬信写了也没用，楼下饭店油烟照样往我家窗户里灌",
        "来电表扬的那个师傅，今天上门维修又多收了我200元",
    ],
)
def test_praise_named_beside_a_complaint_is_no_praise(text: str) -> None:
    assert kind(text)[0] != "praise"


@pytest.mark.parametrize(
    "text",
    [
        "人行道上的井盖被偷了好几个，晚上路过很危险，希望尽快补上",
        "路灯的电缆被盗，整条街晚上黑漆漆的，请有关部门尽快修复",
    ],
)
def test_public_things_stolen_stay_facilities(text: str) -> None:
    [f] = enricher_for().analyze([text])
    assert f["topic"] == "facilities"


@pytest.mark.parametrize(
    "text",
    [
        "市民来电反映：其昨晚将电动车停在金山路菜场门口的非机动车停放区，今天早上发现电瓶被盗，已报警但至今没有结果，"
        "该处近期多次发生类似案件，要求加快侦办并加强巡逻。",
        "市民来电反映：其于三月向镇里提交自家宅基地旧房翻建申请，至今两个多月仍未审批，房子漏雨已无法居住，要求相关部门加快"
        "审批进度。",
    ],
)
def test_a_theft_and_a_permit_chased_are_routed_elsewhere(text: str) -> None:
    [f] = enricher_for().analyze([text])
    assert (f["topic"], f["is_complaint"]) == ("other", True)


def test_parking_that_blocks_a_fire_lane_stays_parking_beside_a_theft_told_in_passing() -> None:
    [f] = enricher_for().analyze(["小区门口天天有车乱停，把消防通道都堵死了，救护车都进不来，"
                                  "上次还有人的车被偷了，物业也不管"])
    assert f["topic"] == "parking"


def test_a_theft_an_estate_let_happen_stays_property() -> None:
    """A read sample's letter (blind4) in other words: the estate's security let the burglary happen."""
    [f] = enricher_for().analyze(["关于阳光花园物业安全管理不善的问题\n领导您好：我是阳光花园的业主，上个月我家被盗，"
                                  "报了警，至今没有破案。小区门禁形同虚设，保安晚上睡觉，物业却照收物业费，出事后推卸责任，"
                                  "请督促物业加强安保。"])
    assert f["topic"] == "property"


def test_a_long_letter_keeps_the_topic_the_model_is_sure_of() -> None:
    """The user check's t19: a letter about a shop's LED sign names the sign once (门头, 招牌); the length rule took its
    topic away although the model gave shop_signs 0.55 and `other` 0.03."""
    [f] = enricher_for().analyze([
        "尊敬的领导：您好！我家住在东城名苑2号楼，卧室窗户正对着楼下沿街的一家火锅店。上个月这家店重新装修，把整面门头换成了"
        "一块巨大的LED屏，上面滚动播放广告和菜品，红红绿绿，一直亮到凌晨一两点，光直接照进我家卧室，拉上遮光窗帘也挡不住，"
        "老人孩子都睡不好。我去找过老板，他说招牌是正规公司做的。请问这么大的电子屏门头经过审批了吗？能不能要求他们调低亮度、"
        "晚上按时关闭？"])
    assert f["topic"] == "shop_signs"


@pytest.mark.parametrize(
    "text",
    [
        # a second user check (/work/uc17/terse): a wrong a business did, told flatly in one line
        "星跃健身老板跑路了，年卡才办两个月",
        "幸福里养老院护工打老人，视频都拍到了，有没有人管",
        "网约车司机绕路，多收了我40块",
        "顺达二手车卖给我的是泡水车",
        "月子中心把宝宝烫伤了，还说是宝宝自己乱动",
        "驾校教练收红包，不给就不让上车练",
        "营业厅偷偷给我开了个视频会员，每月扣15",
        "手机店贴膜说免费，贴完收了80",
        # written for these tests: other businesses, other wrongs
        "楼下理发店办的卡，老板换了人就不认了",
        "房东退租的时候押金不退，说墙上有个钉子眼",
        "那家早教中心卷款跑路，几十个家长的学费没了",
    ],
)
def test_a_wrong_a_business_did_told_flatly_is_a_complaint(text: str) -> None:
    assert kind(text)[1] is True


@pytest.mark.parametrize(
    "text",
    [
        "新开的健身房老板人挺好，还送了毛巾",
        "听说那家店老板跑路了？真的假的",
        "希望以后遇到的司机都不绕路，导航准一点",
        "这个司机师傅从不绕路，开车还稳",
        "网吧老板听了想打人[笑cry]",
    ],
)
def test_a_wrong_supposed_heard_of_wished_away_or_denied_is_none_told(text: str) -> None:
    from nlp.message_type import wrong_by_body

    assert not wrong_by_body(text)


@pytest.mark.parametrize(
    "text",
    [
        "仁心诊所的王医生特别耐心，给孩子看得很仔细",  # the terse check's s093
        "燃气公司师傅上门安检，十分钟搞定，很专业",  # s112
        "社区医院的护士态度特别好，打针一点都不疼",
    ],
)
def test_praise_of_how_a_body_served_is_praise_without_a_thanks_word(text: str) -> None:
    assert kind(text) == ("praise", False)


@pytest.mark.parametrize(
    "text",
    [
        "今天银行排队的人好多，估计是发工资了",
        "求推荐靠谱的钢琴老师，孩子六岁零基础",  # a fresh set written after the rule (/work/uc17/fresh, f094)
        "有没有靠谱的家政阿姨推荐一下，要会做饭的",
    ],
)
def test_a_crowd_or_a_recommendation_asked_for_is_no_praise(text: str) -> None:
    assert kind(text)[0] != "praise"


def test_a_colleague_running_off_early_is_no_business_run_off() -> None:
    from nlp.message_type import wrong_by_body

    assert not wrong_by_body("下班跑路了，健身房走起")
    assert wrong_by_body("培训机构关门跑路，学费要不回来")
