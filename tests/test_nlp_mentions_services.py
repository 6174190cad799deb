"""Places beyond the gazetteer: services of one house that short posts complain about — elder-care homes, gyms,
bathhouses, telecom halls, office towers, sales offices, KTVs, after-school care, early-education centres,
check-up centres, parcel depots; a common noun or a word of where (路边, 楼上) before them names none. Sentences
written for these tests."""

from __future__ import annotations

import pytest

from tests.mention_support import names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("康宁养老院的护工打老人，视频都传出来了", "康宁养老院"),
        ("康乐敬老院冬天不开暖气", "康乐敬老院"),
        ("我妈在松鹤福利院住了三年", "松鹤福利院"),
        ("金健健身房老板跑路，会员卡退不了", "金健健身房"),
        ("力美健身中心的私教天天推课", "力美健身中心"),
        ("海天洗浴中心的储值卡说停就停", "海天洗浴中心"),
        ("移动公司城北营业厅偷偷给我开了增值业务", "城北营业厅"),
        ("国贸写字楼的电梯一周坏三次", "国贸写字楼"),
        ("盛世华庭售楼部虚假宣传学区房", "盛世华庭售楼部"),
        ("蓝海KTV半夜有人打架", "蓝海KTV"),
        ("金鼎ktv的音响开到凌晨", "金鼎ktv"),
        ("喜洋洋托管班把孩子锁在屋里", "喜洋洋托管班"),
        ("优贝早教中心的顾问天天打电话", "优贝早教中心"),
        ("韵捷快递网点把我的件弄丢了", "韵捷快递网点"),
        ("在阳光养老院看到老人没人管", "阳光养老院"),
    ],
)
def test_finds_the_service(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "我每天下班去健身房锻炼一小时",
        "养老院的护工其实很辛苦",
        "营业厅排队的人太多了",
        "附近的健身房都倒闭了",
        "社区养老院条件还不错",
        "公办幼儿园学位太紧张",
        "品牌驾校收费都高",
        "报名驾校要多少钱",
        "这栋写字楼晚上也亮着灯",
        "农村敬老院缺护理员",
        "私人健身房不好找",
        "民办培训学校太多了",
        "去售楼部看了看房价",
        "周末去KTV唱歌了",
        "小区附近的托管班太贵了",
        "体检中心的报告今天出来了",
        "儿童福利院需要捐助",
        "女子健身房被曝偷拍",
        "男士洗浴中心被查了",
        "专业驾校收费也不低",
        "公益养老院排不上",
        "路边KTV太吵了",
        "街边托管班没资质",
        "楼上早教中心很吵",
    ],
)
def test_no_service(text: str) -> None:
    assert names(text) == []
