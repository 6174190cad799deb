"""Fifteenth session, second user check: a hotline record (来电人称…) that pleads for help, a plea to a body (社区,
村里, 居委, 物业, 政府) to help with a household's own trouble, a wrong reported in a short post (卷钱跑路, a nuisance
that smells or is loud; …谁来管？) and a question that puts a wrong (乱收…, 为什么还不处理？) are complaints or
requests; everyday talk that looks like them (希望明天天气好一点, 楼下邻居养了只鸡天天叫哈哈) stays other, and a
plain question an inquiry. Sentences written for these tests, except the user check's."""

from __future__ import annotations

import pytest

from tests.message_type_support import kind

#: the user check's sentences (their own), with the type they expect
USER_CHECK = [
    ("紫薇花园9号楼有人在绿地里养鸡养鸭，天一亮就叫，味道也很大。", "complaint"),
    ("新天地广场那家健身房老板卷钱跑路了，我刚办的年卡三千多块，谁来管？", "complaint"),
    ("来电人称其母亲独居在康乐新村7号楼，近日生病无人照顾，希望社区能够上门探望并提供帮助。", "request"),
    ("太平桥村的李大爷家房子漏雨漏得厉害，老人一个人住，希望村里能帮忙修一修。", "request"),
    ("请问物业乱收停车费合理吗？", "complaint"),
    ("想问一下，我们反映了三次的积水问题为什么还不处理？", "complaint"),
]


@pytest.mark.parametrize(("text", "expected"), USER_CHECK)
def test_the_user_checks_sentences(text: str, expected: str) -> None:
    assert kind(text) == (expected, True)


# --- a hotline record: 来电人称/来电反映 + a plea for help -------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "来电人称其父亲患病卧床，家中无人照料，希望街道能够安排人员上门帮助。",
        "来电反映其本人腿脚不便，独自居住，希望居委会能上门帮忙办理医保手续。",
        "市民来电称家中老人行动不便，做饭困难，希望社区能提供助餐帮助。",
        "来电人表示其丈夫下岗在家，家庭生活困难，希望村委能给予帮助。",
        "来电人称自家房屋在暴雨中受损，希望镇里能派人上门查看并帮忙维修。",
        "来电反映其孙子患重病，医药费负担很重，希望政府能够提供救助。",
        "来电人称其外婆九十岁高龄独自在家，希望居委会能定期上门看望。",
        "来电人称其残疾证到期需要换证，本人行动不便，希望残联能上门帮忙办理。",
    ],
)
def test_a_hotline_record_pleading_for_help_is_a_request(text: str) -> None:
    assert kind(text) == ("request", True)


@pytest.mark.parametrize(
    "text",
    [
        "来电人称已收到社区送来的慰问品，对社区工作人员的帮助表示感谢。",
        "今天社区志愿者上门探望了独居老人，还帮忙打扫了卫生。",
        "我妈一个人住，周末回去看看她。",
        "奶奶一个人在老家，希望她身体健健康康的。",
        "接到朋友来电说周末一起去爬山，希望天气好一点。",
        "新店开业，希望大家帮忙转发一下，谢谢！",
        "希望明天天气好一点。",
        "志愿者们每周上门帮助独居老人，真是太暖心了。",
    ],
)
def test_help_given_or_wished_for_oneself_is_no_plea(text: str) -> None:
    assert kind(text)[1] is False


# --- a plea to a body to help with a household's own trouble -------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "我们家老房子的墙裂了好几道缝，老人不敢住，希望村里帮忙看看。",
        "隔壁王奶奶八十多岁了，腿摔伤了没人照顾，希望居委能上门帮帮她。",
        "我父亲瘫痪在床，家里实在困难，希望政府能帮我们申请低保。",
        "我们家屋顶被大风掀掉了一角，希望镇政府能帮忙修一修。",
        "孩子转学需要居住证明，跑了好几趟都没开出来，希望社区帮忙开个证明。",
        "我家老人一个人住在六楼，下不了楼，希望社区能帮忙联系一下助浴服务。",
        "我爸中风以后一直卧床，家里没有劳动力，希望村委会能帮我们想想办法。",
        "我母亲患病卧床，家里只有我一个人照顾，希望街道能帮忙申请护理补贴。",
    ],
)
def test_a_plea_to_a_body_for_a_households_own_trouble_is_a_request(text: str) -> None:
    assert kind(text) == ("request", True)


@pytest.mark.parametrize(
    "text",
    [
        "社区今天组织志愿者帮老人修理家电，大家都很开心。",
        "希望老公能帮忙做做家务。",
        "村里今年帮我们家修了屋顶，真是太感谢了。",
        "希望社区的活动越办越好！",
        "物业帮忙把快递送上门了，服务真好。",  # praise of how a body served since the seventeenth session
        "周末回老家帮爸妈修屋顶，累并快乐着。",
        "希望同事能帮我带一杯咖啡。",
        "居委会的阿姨帮忙给我们拍了全家福，太开心了。",
        "希望社区多组织几次亲子活动，孩子们都很喜欢。",
        "我家孩子说长大了要当警察，帮助有困难的人。",
    ],
)
def test_help_told_or_wished_from_friends_is_no_plea(text: str) -> None:
    assert kind(text)[1] is False


def test_a_plea_about_a_problem_the_judge_reads_stays_a_complaint() -> None:
    # the judge reads a property problem (坏了): a 创全 matter is a complaint, whoever's it is
    assert kind("张阿姨家的门锁坏了进不了门，她一个人住，希望物业能帮忙想想办法。") == ("complaint", True)


# --- a wrong reported in a short post: 卷钱跑路, a nuisance that smells or is loud, …谁来管？ -----------------------

@pytest.mark.parametrize(
    "text",
    [
        "小区门口那家美容院老板卷钱跑路了，好多人的会员卡都打了水漂，谁来管？",
        "培训机构突然关门跑路，学费两万多退不了，谁来管？",
        "楼下那家游泳馆老板携款跑路了，我们办的卡怎么办？谁来管？",
        "后面那家养猪场味道太大了，一刮风整个村子都是臭味。",
        "凌晨三点还有人在广场上放音乐，声音特别大。",
        "小区里有人养了十几条狗，整天叫个不停，味道也很大，谁来管？",
        "隔壁工地晚上十二点还在施工，噪音特别大，吵得根本睡不着。",
        "河边那排垃圾桶臭气熏天，走过去都要捂着鼻子。",
        "楼下新开的洗车店天天把音响开得很大，吵得孩子没法写作业。",
    ],
)
def test_a_wrong_or_nuisance_reported_in_a_short_post_is_a_complaint(text: str) -> None:
    assert kind(text) == ("complaint", True)


@pytest.mark.parametrize(
    "text",
    [
        "楼下邻居养了只鸡天天叫哈哈",
        pytest.param("周末家里没人，猫谁来管？",
                     marks=pytest.mark.xfail(strict=True, reason="read as a complaint before this session too: the "
                                                                 "model's complaint and negative sentiment")),
        "这家螺蛳粉味道很大，但是越吃越香。",
        "昨晚的演唱会声音特别大，嗨翻了！",
        "老板说今天早点跑路，大家周末愉快！",
        "老家的公鸡天一亮就叫，乡下的早晨真热闹。",
        pytest.param("榴莲的味道太大了，我老公受不了，我却超爱。",
                     marks=pytest.mark.xfail(strict=True, reason="read as a complaint before this session too: "
                                                                 "PROBLEM's 受不了")),
        "下班了，跑路跑路～",
    ],
)
def test_everyday_talk_of_smells_noise_and_running_off_is_other(text: str) -> None:
    assert kind(text)[1] is False


def test_a_price_question_about_a_gym_is_an_inquiry() -> None:
    assert kind("请问这家健身房年卡多少钱？") == ("inquiry", False)


# --- a question that puts a wrong: 乱收…, 为什么还不处理？ -------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "请问学校乱收资料费，家长该找谁？",
        "想问问为什么我们楼的电梯报修一个星期了还没修好？",
        "请问驾校乱涨学费有人管吗？",
        "请问单位为什么一直不给我们交社保？",
        "想问一下物业乱罚款合理吗？",
        "请问我们上个月反映的路灯问题为什么还没人处理？",
        "问一下，小区门口的违建投诉了两次为什么还不拆？",
        "请问开发商为什么迟迟不给我们办房产证？",
    ],
)
def test_a_question_that_puts_a_wrong_is_a_complaint(text: str) -> None:
    assert kind(text)[1] is True


@pytest.mark.parametrize(
    "text",
    [
        "请问停车费怎么收？",
        "请问物业费多少钱一平米？",
        "请问小区停车收费标准是什么？",
        "想问一下，办居住证需要哪些材料？",
        "请问社区卫生服务中心周末开门吗？",
        "请问积分落户怎么申请？",
        "想问一下，公积金提取需要多长时间？",
        "请问小区的快递柜收费吗？",
    ],
)
def test_a_plain_question_stays_an_inquiry(text: str) -> None:
    assert kind(text) == ("inquiry", False)
