"""Public bodies and institutions named by their area (Q市人社局, P3县运管所, W市电影公司): where a letter names no
finer place, the body right after the area is its place, in the area's stead — level *other*, no id and no alert
key, as for the area. Sentences written for these tests."""

from __future__ import annotations

import pytest

from core import PlaceLevel
from nlp.mentions import place_key
from tests.mention_support import places


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("投诉Q市人社局不作为，工伤待遇拖了两年", ["Q市人社局"]),
        ("W2区教育局违规收取补课费，家长意见很大", ["W2区教育局"]),
        ("R市住房公积金管理中心拒绝我的提取申请", ["R市住房公积金管理中心"]),
        ("我多次向P3县运管所反映，一直无果", ["P3县运管所"]),
        ("尊敬的R市人力资源和社会保障局：您好，我的参保记录有误", ["R市人力资源和社会保障局"]),
        ("Q市R2区劳动争议仲裁委员会久拖不决", ["Q市R2区劳动争议仲裁委员会"]),
        ("W市建筑工程总公司拖欠退休职工工资三年", ["W市建筑工程总公司"]),
        ("N4县建设工程质量监督站对开发商不管不问", ["N4县建设工程质量监督站"]),
        ("去N4县镇计生办办证，工作人员不签字", ["N4县镇计生办"]),
        ("请求P3县就业培训中心下乡办班", ["P3县就业培训中心"]),  # a verb before the kind's own noun
        ("Q市住建局让我找开发商，W市住建局说不归他们管", ["Q市住建局", "W市住建局"]),  # at most two, in order
        ("Q市Q1区环卫处不清运垃圾。Q1区环卫处的电话打不通", ["Q市Q1区环卫处"]),  # one body once
    ],
)
def test_a_body_after_its_area_is_the_place_when_nothing_finer_is_named(text: str, expected: list[str]) -> None:
    found = places(text)
    assert [p.name for p in found] == expected
    assert all(p.level is PlaceLevel.OTHER and p.key is None and p.id is None for p in found)  # no 区


def test_the_area_stays_where_no_body_returned_is_its() -> None:
    found = places("Q市教育局和Q市人社局都不管，我们去P3县住建局也没人理")
    assert [p.name for p in found] == ["Q市教育局", "Q市人社局", "P3县"]  # P3县住建局 is a third body
    assert found[-1].level is PlaceLevel.DISTRICT and all(p.key is None for p in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q市可以办理异地医保吗", ["Q市"]),  # 可以 is no body's name
        ("W2区相关部门所说的不对", ["W2区"]),
        ("Q市一家私人公司拖欠工资半年", ["Q市"]),  # a count of firms, not one
        ("W市出租车公司太多，车费乱收", ["W市"]),  # a trade's firms, many
        ("W2区交界处的路灯坏了", ["W2区"]),
        ("找过N4县张处，一直没有回复", ["N4县"]),  # an official by surname and rank
        ("Q市政府网站上查不到这个文件", []),  # 市政府 is one word: no area either
        ("P3县到处都是垃圾，没人管", ["P3县"]),
        ("我在R市父亲未办完退休手续就去世了", ["R市"]),
        ("W市普通中学的收费太乱", ["W市"]),
        ("W市民办学校的收费太乱", ["W市"]),
    ],
)
def test_words_of_a_sentence_after_an_area_name_no_body(text: str, expected: list[str]) -> None:
    assert [p.name for p in places(text)] == expected


def test_a_finer_place_wins_over_a_body() -> None:
    names = [p.name for p in places("Q市人社局说要到锦绣家园小区核实情况")]
    assert "锦绣家园小区" in names and "Q市人社局" not in names


def test_a_body_opens_no_case() -> None:
    (body,) = places("Q市人社局拖欠我的工伤待遇")
    assert body.key is None


def test_a_word_before_two_characters_and_province_names_no_province() -> None:
    assert [p.name for p in places("这笔钱当年由省里统一发放，我们县没有")] == []
    assert [p.name for p in places("这笔补贴由西地省统一发放，我们县没有")] == ["西地省"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q市翠湖还未通自来水\n我们是翠湖边上的住户", ["Q市翠湖"]),  # a place's name jieba knows
        ("P3县步步高周边商铺乱摆摊\n长期以来无人管", ["P3县步步高"]),
        ("R市2016年的危房改造款没到位\n请领导关注", ["R市"]),  # a year is no name
        ("W市何时能通高铁\n盼望已久", ["W市"]),
        ("Q市新型农村合作医疗报销难\n请问怎么办", ["Q市"]),  # common words
        ("Q市中路的路灯坏了\n晚上很黑", ["Q市"]),  # a road's side alone
        ("长沙市西湖还未通公交\n我们是西湖边上的住户", ["长沙市西湖"]),  # a real city, not only a masked one
        ("宁乡县何时能通高铁\n盼望已久", ["宁乡县"]),
        ("W市南湖区传销猖獗无人问津\n外地人员租住房屋", ["W市南湖区"]),  # an area after all: level district
        ("Q市张三李四强占土地\n请领导查处", ["Q市"]),  # people, not a place
        ("长沙市广场舞扰民\n请管管", ["长沙市"]),  # after a real area, a subject's words are no name
        ("株洲市渣土车撒漏\n请管管", ["株洲市"]),
        ("湘潭市共享单车乱停乱放\n请管管", ["湘潭市"]),
        ("衡阳市养老金调整\n请问", ["衡阳市"]),  # 养老金 tagged nr by mistake
    ],
)
def test_a_subject_line_names_its_place_after_its_area(text: str, expected: list[str]) -> None:
    found = places(text)
    assert [p.name for p in found] == expected
    assert all(p.key is None for p in found)
    areas = ("Q市", "R市", "W市", "宁乡县", "W市南湖区", "长沙市", "株洲市", "湘潭市", "衡阳市")
    assert all(p.level is (PlaceLevel.DISTRICT if p.name in areas else PlaceLevel.OTHER) for p in found)


@pytest.mark.parametrize(
    ("text", "body", "town"),
    [
        ("Q7县青石镇邮政网点破烂不堪，存钱都不安全", "青石镇邮政网点", "青石镇"),
        ("每年有拨款到白沙镇动物防疫站，我却一直领不到工资", "白沙镇动物防疫站", "白沙镇"),
        ("我去龙门乡计生办办证，工作人员刁难", "龙门乡计生办", "龙门乡"),
        ("河口镇派出所对打架的事不管不问", "河口镇派出所", "河口镇"),
    ],
)
def test_a_body_right_after_a_town_is_returned_before_the_town(text: str, body: str, town: str) -> None:
    found = places(text)
    names = [p.name for p in found]
    assert body in names and town in names and names.index(body) < names.index(town)
    ref = next(p for p in found if p.name == body)
    # keyed as the mention readers key a town's hospital (青石镇卫生院): the body's own key, not the town's
    assert ref.level is PlaceLevel.OTHER and ref.key == place_key(body) and ref.id is None
    # the town stays a place but has no key of its own: the body's is the letter's (review R14 item 6, as an
    # address chain has its most specific place's key alone), so the letter opens no second case for the town
    assert next(p for p in found if p.name == town).key is None


def test_a_town_named_on_its_own_too_keeps_its_key() -> None:
    found = {p.name: p for p in places("青石镇派出所民警态度恶劣，青石镇的治安也很差。")}
    assert found["青石镇派出所"].key == "raw:青石镇派出所" and found["青石镇"].key == "raw:青石镇"
    # written twice, both times before its body: still keyless
    found = {p.name: p for p in places("青石镇财政所乱扣钱。青石镇财政所不管。")}
    assert found["青石镇"].key is None


def test_a_gazetteer_town_before_a_body_keeps_its_id() -> None:
    # a listed town keeps its id (the office's exclude_levels, town by default, keeps a whole town from opening
    # cases); only an unlisted town's raw: key is dropped
    found = {p.name: p for p in places("大场镇派出所民警态度恶劣。")}
    assert found["大场镇派出所"].key == "raw:大场镇派出所"
    assert found["大场镇"].id == "dachang" and found["大场镇"].key is None


@pytest.mark.parametrize(
    "text",
    [
        "青石镇政府对垃圾问题不作为",  # the town's own government: the town
        "我们多次去白沙街道办事处反映，没有结果",  # likewise
        "龙门镇集镇中心经常露天焚烧垃圾",  # the town's centre
        "河口镇双庙处有人乱倒垃圾",  # 处 after a place's name: "at 双庙"
        "青石镇二楼房改办公室没人上班",  # a floor
    ],
)
def test_no_body_after_a_town_where_the_words_name_none(text: str) -> None:
    found = places(text)
    assert all(p.level is not PlaceLevel.OTHER for p in found), [p.name for p in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P3县电影公司擅自违建，消防通道被堵", ["P3县电影公司"]),
        ("盼严查W2区电信公司非法用工", ["W2区电信公司"]),
        ("Q市有线公司发射的信号干扰了我们的收视", ["Q市有线公司"]),
        ("Q市五金公司的职工没有社保", ["Q市五金公司"]),  # 五金 is a trade, no count
    ],
)
def test_a_county_or_city_firm_is_the_place_when_nothing_finer_or_no_body_is_named(text: str,
                                                                                   expected: list[str]) -> None:
    found = places(text)
    assert [p.name for p in found] == expected
    assert all(p.level is PlaceLevel.OTHER and p.key is None for p in found)  # keyless, as a body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("W市出租车公司都在涨价", ["W市"]),  # many firms
        ("Q市商业系统六大贸易公司的职工没有社保", ["Q市"]),  # a counted group of firms
        ("P3县电影公司的事我们找过P3县文化局", ["P3县文化局"]),  # a body is named: the body, not the firm
        # a market trade: a city has many such firms (the county's own firm is of a trade it ran one of)
        ("R市房地产公司拖欠工人工资三年", ["R市"]),
        ("Q市物业公司乱收停车费", ["Q市"]),
        ("P3县保险公司拒赔，我们没办法", ["P3县"]),
        ("W市运输公司的车天天超载", ["W市"]),
        ("Q市出租车公司乱收费，投诉无门", ["Q市"]),
    ],
)
def test_no_area_firm_where_it_is_many_or_a_body_is_named(text: str, expected: list[str]) -> None:
    assert [p.name for p in places(text)] == expected


def test_a_body_after_a_community_or_an_inn_comes_before_it() -> None:
    assert [p.name for p in places("白石铺教管中心乱收费，老师怨声载道")] == ["白石铺教管中心", "白石铺"]


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("我在R2区青山街道卫生服务中心打疫苗，收费不合理", "青山街道卫生服务中心"),  # 卫生 is tagged an
        ("我们找过Q市安全生产监督管理局，没有下文", "Q市安全生产监督管理局"),
    ],
)
def test_a_field_jieba_tags_an_adjectival_noun_names_a_body(text: str, body: str) -> None:
    assert body in [p.name for p in places(text)]


@pytest.mark.parametrize(
    ("text", "body", "finer"),
    [
        ("我住在青松小区，退休手续办完半年了，Q市人社局未给我发放养老金", "Q市人社局", "青松小区"),
        ("我母亲在W市第三医院住院，W2区医保局不给报销新农合", "W2区医保局", "W市第三医院"),
        ("投诉P3县城市管理和行政执法局乱批违章建筑，白沙村的房子都被挡了光", "P3县城市管理和行政执法局", "白沙村"),
    ],
)
def test_a_body_the_letter_says_did_wrong_is_returned_beside_finer_places(text: str, body: str,
                                                                         finer: str) -> None:
    found = places(text)
    names = [p.name for p in found]
    assert body in names and finer in names, names
    assert next(p for p in found if p.name == body).key is None  # keyless: no case for a whole city's office


@pytest.mark.parametrize(
    "text",
    [
        "我住在青松小区，楼下噪音大，已向Q市环保局反映",  # only written to
        "我住在青松小区，请Q市住建局管一管开发商",  # only asked
        "我住在青松小区，K1区法院不受理我的起诉",  # a court is where the matter went
        "我住在青松小区，向Q市住建局反映多次，Q市住建局未回复",  # not replying: how the letter was handled
        "我住在青松小区，噪音问题W2区环保局迟迟不答复",
        # classes of bodies by where they are, not one body
        "我住在青松小区，Q市全市学校乱收费",
        "我住在青松小区，Q市乡镇卫生院未配备医生",
        "我住在青松小区，Q市城区中小学校乱收补课费",
        "我住在青松小区，Q市农村学校未开设英语课",
    ],
)
def test_a_body_only_asked_or_a_court_stays_out_beside_finer_places(text: str) -> None:
    names = [p.name for p in places(text)]  # the area the letter names comes last (eighteenth session), no body
    assert names[0] == "青松小区" and all(n in ("Q市", "W2区") for n in names[1:]), names


@pytest.mark.parametrize(
    ("text", "body", "finer"),
    [
        ("关于Q市人社局的问题\n我在青松小区住了十年，退休手续办完半年了，养老金还没发", "Q市人社局", "青松小区"),
        ("W2区医保局报销难\n我母亲在W市第三医院住院，报销的钱至今没到", "W2区医保局", "W市第三医院"),
    ],
)
def test_a_body_the_subject_line_names_is_returned_beside_finer_places(text: str, body: str, finer: str) -> None:
    found = places(text)
    names = [p.name for p in found]
    assert body in names and finer in names, names
    assert next(p for p in found if p.name == body).key is None  # keyless, as the bodies said to do wrong


@pytest.mark.parametrize(
    "text",
    [
        "Q市住建局：\n我住在青松小区，楼下违建严重",  # the body the subject line addresses
        "请Q市住建局管一管\n我住在青松小区，楼下违建严重",  # the body the letter is put to
        "向Q市环保局反映噪音\n我住在青松小区，楼下噪音大",
        "K1区法院判决不公\n我住在青松小区，邻居占了我的车位",  # a court is where the matter went
    ],
)
def test_a_body_the_subject_line_addresses_or_asks_stays_out_beside_finer_places(text: str) -> None:
    names = [p.name for p in places(text)]
    assert names[0] == "青松小区" and all(n in ("Q市", "K1区") for n in names[1:]), names


def test_without_a_subject_line_the_first_sentence_stands_for_it() -> None:
    names = [p.name for p in places("Q市人社局的养老金发放问题，我住在青松小区十年了。退休手续办完半年了，钱还没到")]
    assert "Q市人社局" in names and "青松小区" in names, names
    later = [p.name for p in places("我住在青松小区，退休手续办完半年了。Q市人社局的养老金发放问题至今没有解决")]
    assert "Q市人社局" not in later, later  # a body named after the first sentence is read as before


@pytest.mark.parametrize(
    "text",
    [
        "咨询Q市人社局关于养老保险的问题\n我住在青松小区，养老金还没发",  # put to it
        "建议Q市住建局加强管理\n我住在青松小区，楼下违建严重",
        "给Q市住建局的一封信\n我住在青松小区，楼下违建严重",
        "@Q市人社局 @Q市发布\n我住在青松小区，养老金还没发",
        "向Q市人社局、Q市财政局反映\n我住在青松小区，养老金还没发",  # a list of the bodies it is put to
        "Q市住建局领导：\n我住在青松小区，楼下违建严重",  # greeted
        "Q市住建局您好\n我住在青松小区，楼下违建严重",
        "对Q市住建局答复的意见\n我住在青松小区，楼下违建严重",  # the body's reply
    ],
)
def test_a_body_the_subject_line_puts_the_letter_to_greets_or_answers_stays_out(text: str) -> None:
    names = [p.name for p in places(text)]
    assert names[0] == "青松小区" and all(n == "Q市" for n in names[1:]), names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q市城区学校乱收费，家长负担重", ["Q市"]),  # a class of schools, no body
        ("W市乡镇卫生院的医生太少", ["W市"]),
    ],
)
def test_a_class_of_bodies_by_where_they_are_is_no_body(text: str, expected: list[str]) -> None:
    assert [p.name for p in places(text)] == expected


def test_one_spelling_of_a_wrongdoing_body() -> None:
    names = [p.name for p in places("我住在青松小区，Q市Q1区环保局不作为，Q1区环保局不管噪音")]
    assert names == ["青松小区", "Q市Q1区环保局"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a letter without a subject line that opens with an area and a name: the first clause is read as one
        ("Q5县步步高周边商铺音响噪声严重扰民，震耳欲聋，让周边住户苦不堪言", ["Q5县步步高"]),
        ("P3县2018年的补贴何时发放，我们都等了很久", ["P3县"]),  # a year is no name
        # a matter's words (topic keywords, domain terms) and words for people are no name
        ("W市共享单车乱停乱放，人行道都堵了", ["W市"]),
        ("Q市外卖骑手太辛苦了，平台还扣钱", ["Q市"]),
        ("P3县初中生课业负担太重，希望减负", ["P3县"]),
        ("R市小学生减负落实了吗，作业还是很多", ["R市"]),
        ("R市市民热线打不通，我要反映噪音问题", ["R市"]),
    ],
)
def test_a_name_opening_a_letter_without_a_subject_line(text: str, expected: list[str]) -> None:
    found = places(text)
    assert [p.name for p in found] == expected
    assert all(p.key is None for p in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("W2市人民政府：我们小组的路灯坏了半年", ["W2市"]),  # the area's government: the area
        ("P3县人民政府：请兑现补贴，我们等了三年", ["P3县"]),
    ],
)
def test_a_government_after_the_area_is_no_subject_name(text: str, expected: list[str]) -> None:
    assert [p.name for p in places(text)] == expected


def test_a_government_after_a_subject_name_is_cut_off() -> None:
    found = places("W市西湖人民政府：\n请领导关注我们的住房问题")
    assert [(p.name, p.level) for p in found] == [("W市西湖", PlaceLevel.OTHER)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q市家乐福卖过期食品\n价格也乱标", ["Q市家乐福"]),  # 家 in a shop's name; 卖过期 a matter's words
        ("W市国家电网乱收费\n请领导关注", ["W市国家电网"]),
    ],
)
def test_a_subject_name_may_hold_words_a_body_name_may_not(text: str, expected: list[str]) -> None:
    assert [p.name for p in places(text)] == expected


def test_a_body_the_letter_is_addressed_to_comes_after_the_body_it_is_about() -> None:
    found = places("Q市教育局：尊敬的局领导，您好。Q市商贸中专学校乱收费，请核查")
    assert [p.name for p in found] == ["Q市商贸中专学校", "Q市教育局"]  # both kept: the addressee may be the matter


def test_a_body_the_letter_reports_to_comes_after_the_body_reported() -> None:
    found = places("本人已向Q市教育局实名举报Q市商贸中专学校买卖生源，至今没有回音")
    assert [p.name for p in found] == ["Q市商贸中专学校", "Q市教育局"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an office an area has one of, though its name opens with a class word
        ("我住在青松小区，W市城乡规划管理局未依法公示规划", ["青松小区", "W市城乡规划管理局"]),
        ("Q市农村合作医疗管理办公室拒不报销我的住院费", ["Q市农村合作医疗管理办公室"]),
        ("W市城区北站附近的学校太少，孩子上学不便", ["W市城区北站"]),  # a place's own name after 城区
        ("Q市青韵民小乱收费\n请领导关注", ["Q市青韵民"]),  # 民 a character of a school's name, no word for people
        ("我在W市铁通分公司上班十年，单位不给交社保", ["W市铁通分公司"]),  # a city's branch of a national firm
        ("W市移动公司乱扣话费", ["W市移动公司"]),
    ],
)
def test_guards_of_the_class_people_and_firm_rules(text: str, expected: list[str]) -> None:
    assert [p.name for p in places(text)] == expected
