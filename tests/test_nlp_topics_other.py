"""The topic model says `other`: everyday posts and letters about matters routed elsewhere (wages, schools,
hospitals, compensation, developers, consumer disputes) get no 创全 topic, even when they mention 物业, 食品 or
房子 in passing; a letter about a 创全 problem keeps its topic. The training data never reads TipDM."""

from __future__ import annotations

import pytest

from nlp.taxonomy import OTHER, load_taxonomy
from nlp.topics import TopicClassifier

LETTER = "尊敬的领导：您好！{}。我们多次向有关部门反映，一直没有结果，希望有关部门尽快调查处理！"


@pytest.fixture(scope="module")
def clf() -> TopicClassifier:
    return TopicClassifier.load(load_taxonomy())


def test_the_model_has_an_other_class(clf: TopicClassifier) -> None:
    assert clf.model is not None and OTHER in clf.model.classes


@pytest.mark.parametrize(
    "matter",
    [
        "我们在一家食品公司上班，老板已经拖欠了我们五个月的工资，找了劳动监察大队也没有下文",
        "孩子所在的中学每个学期都要额外收取资料费和补课费，家长们敢怒不敢言",
        "我母亲在县医院做完手术后出现并发症，医院拒绝承担任何责任",
        "我们村的土地被征收三年了，补偿款至今没有发到村民手里",
        "开发商承诺的学位和配套全都没有兑现，交房两年了房产证也办不下来",
        "在商场买的冰箱用了一个月就坏了，商家和厂家互相推诿不给退换",
    ],
)
def test_matters_routed_elsewhere_are_other(clf: TopicClassifier, matter: str) -> None:
    assert clf.classify([LETTER.format(matter)])[0].topic == OTHER


@pytest.mark.parametrize(
    ("matter", "topic"),
    [
        ("我们小区门口的垃圾堆了一个多星期没人清运，夏天臭气熏天，苍蝇到处飞", "sanitation"),
        ("小区旁边的工地每天半夜还在施工，机器轰鸣，吵得居民根本睡不着觉", "noise"),
        ("村口的小河被周边的养殖场排污，河水发黑发臭，还漂着死鱼", "river"),
        ("附近的厂子每天晚上排放废气，气味刺鼻，居民晚上都不敢开窗", "sanitation"),
    ],
)
def test_a_letter_about_a_problem_keeps_its_topic(clf: TopicClassifier, matter: str, topic: str) -> None:
    assert clf.classify([LETTER.format(matter)])[0].topic == topic


def test_everyday_posts_are_other() -> None:
    from nlp.enrich import Enricher

    posts = ["今天和朋友去吃了火锅，太开心了", "周末带孩子去公园放风筝", "新买的口红颜色好好看[爱你]",
             "加班到十点，终于可以回家睡觉了", "这部电影的结局太感人了，哭得稀里哗啦", "又是想吃夜宵的一天[摊手]",
             "小猫今天又把花盆打翻了[吃瓜]", "下雨天最适合窝在家里听歌"]
    assert [f["topic"] for f in Enricher().analyze(posts)] == [OTHER] * len(posts)


def test_training_data_has_other_and_never_reads_tipdm(monkeypatch: pytest.MonkeyPatch) -> None:
    import nlp.blind
    from nlp.gazetteer import load_gazetteer
    from nlp.topic_train import topic_training_data

    def no_rows():
        raise AssertionError("topic training read the TipDM messages")

    monkeypatch.setattr(nlp.blind, "dev_rows", no_rows)
    monkeypatch.setattr("nlp.blind2.dev_rows", no_rows)
    texts, labels, weights = topic_training_data(load_gazetteer(), load_taxonomy())
    assert len(texts) == len(labels) == len(weights)
    assert OTHER in labels and len(set(labels)) == 12


def test_subject_line_is_a_short_first_line_followed_by_text() -> None:
    from nlp.topics import subject_of

    assert subject_of("某村养猪场臭气熏天\n尊敬的领导：村里的养猪场……") == "某村养猪场臭气熏天"
    assert subject_of("只有一行，没有正文") is None
    assert subject_of("标题\n   ") is None
    assert subject_of("长" * 80 + "\n正文") is None


def test_sentences_with_evidence_are_picked_in_text_order() -> None:
    from nlp.topics import _sentences_at

    text = "我们是村民。工厂天天排放废气！大家很无奈。请领导重视。"
    assert _sentences_at(text, [text.index("废气"), text.index("排放")]) == "工厂天天排放废气！"
    assert _sentences_at(text, [0, text.index("领导")]) == "我们是村民。请领导重视。"


BACKGROUND = ("我们村有三百多户人家，大多是老人和孩子，年轻人都在外地打工，村里的经济条件一般，"
              "这几年镇上修了新的公路，村民出行方便了不少，大家对政府的工作是认可的。")


def test_a_long_letter_whose_subject_names_the_problem_keeps_its_topic(clf: TopicClassifier) -> None:
    body = BACKGROUND * 2 + "但是村口的养猪场臭气熏天，夏天根本不敢开窗。希望有关部门尽快调查处理！"
    assert clf.classify(["关于某村养猪场臭气熏天的问题\n" + body])[0].topic == "sanitation"
    # for the rules, one word in a long letter is not enough, unless the subject line says that is what the letter
    # is about; the letter reader (nlp/topic_reader.py) reads this one as about the toilet, as a reader would
    thin = BACKGROUND * 2 + "但是村口的公共厕所很久没人管了。希望有关部门尽快处理！"
    assert TopicClassifier.load(load_taxonomy(), use_reader=False).classify([thin])[0].topic == OTHER
    assert clf.classify([thin])[0].topic in {"sanitation", "facilities"}
    assert clf.classify(["村口公共厕所脏乱差\n" + thin])[0].topic == "sanitation"


def test_a_long_letter_about_wages_stays_other_under_any_subject(clf: TopicClassifier) -> None:
    body = BACKGROUND * 2 + "公司拖欠我们半年工资，小区物业费都交不起了。希望领导为我们做主！"
    assert clf.classify(["某公司拖欠工资\n" + body])[0].topic == OTHER
    assert clf.classify([body])[0].topic == OTHER


def test_topic_letters_are_composed_for_every_problem_topic() -> None:
    from nlp.corpus import compose_topic_letters

    tax = load_taxonomy()
    texts, labels = compose_topic_letters(tax, per_topic=5)
    assert set(labels) == set(tax.codes) - {OTHER}
    assert len(texts) == len(labels) == 5 * len(set(labels))
    assert all(len(t) > 30 for t in texts)
    assert any("\n" in t for t in texts) and not all("\n" in t for t in texts)


@pytest.mark.parametrize(
    "matter",
    [
        "开发商承诺去年年底交房，到现在已经延期一年多了，违约金也不给，小区里的电梯都还没装好",
        "我们小区交房五年了还办不了不动产证，开发商和房产局互相推诿",
        "出租车公司每月收取高额份子钱，司机们起早贪黑还是入不敷出",
        "村支书在低保评定中优亲厚友，还对举报的村民打击报复",
        "我家承包的山林被邻村的人占了，土地纠纷找了镇里好几次都没有解决",
        "父亲退休后养老金一直按最低标准发放，社保局说是档案问题",
        "家里的宽带被电信公司垄断，物业不让其他运营商进小区，网速慢价格高",
        "在小区门口的电器店买的电饭煲用了三天就坏了，商家拒绝退款还态度恶劣",
        "在建材市场买的瓷砖没几个月就开裂变形，厂家和经销商互相推诿",
    ],
)
def test_developers_taxi_firms_officials_land_and_pensions_are_other(clf: TopicClassifier, matter: str) -> None:
    assert clf.classify([LETTER.format(matter)])[0].topic == OTHER
    assert clf.classify([matter.split("，")[0] + "\n" + LETTER.format(matter)])[0].topic == OTHER


LIFT = LETTER.format("我们小区的电梯经常故障困人，上个月还把一位老人关了两个小时，物业一直拖着不修")


def test_a_subject_line_that_names_a_matter_routed_elsewhere_needs_the_topic_there_too(
        clf: TopicClassifier) -> None:
    assert clf.classify([LIFT])[0].topic == "property"
    assert clf.classify(["小区电梯经常故障困人，房产证也办不下来\n" + LIFT])[0].topic == "property"
    assert clf.classify(["房产证五年了还办不下来\n" + LIFT])[0].topic == OTHER


def test_each_further_matter_routed_elsewhere_asks_for_more_evidence(clf: TopicClassifier) -> None:
    lift = "小区里的电梯经常故障困人，物业拖着不修，开发商也不管"
    assert clf.classify([LETTER.format(lift)])[0].topic == "property"
    more = lift + "，物业公司还拖欠保安的工资，困难户的低保也被取消了"  # wages and aid: two more matters
    assert clf.classify([LETTER.format(more)])[0].topic == OTHER


def test_many_words_of_one_matter_count_as_one_matter_named_twice(clf: TopicClassifier) -> None:
    from nlp.topics import matters_in, off_count

    same = ("小区里的电梯经常故障困人，物业拖着不修，开发商也不管，我们的房产证和契税的问题也没有解决，"
            "交房时的承诺全是假的")
    assert matters_in(same) == {"home_purchase": 4} and off_count(matters_in(same)) == 2
    assert clf.classify([LETTER.format(same)])[0].topic == "property"


@pytest.mark.parametrize(
    ("matter", "topic"),
    [
        ("银行门口的人行道上每天停满了电瓶车和汽车，行人只能走到马路上", "parking"),
        ("出租车和网约车天天在小区门口排队等客，把出入口堵得严严实实", "parking"),
        ("村里的小河被上游的养猪场排污，河水发黑发臭，村民的补贴也不敢去要", "river"),
        ("小区门口的超市经常卖过期变质的食品，熟食柜里苍蝇乱飞", "food_hygiene"),
    ],
)
def test_a_problem_letter_that_names_a_bank_taxis_or_aid_in_passing_keeps_its_topic(
        clf: TopicClassifier, matter: str, topic: str) -> None:
    assert clf.classify([LETTER.format(matter)])[0].topic == topic


def test_a_school_is_a_matter_routed_elsewhere_unless_it_only_places_the_problem(clf: TopicClassifier) -> None:
    canteen = "学校食堂长期烧煤，浓烟刺鼻，学校还不准家长进校门反映"
    assert clf.classify([LETTER.format(canteen)])[0].topic == OTHER
    stalls = "学校门口的流动摊贩占道经营，放学时把人行道都堵死了"
    assert clf.classify([LETTER.format(stalls)])[0].topic == "sanitation"


def test_firm_evidence_without_a_problem_pattern_keeps_a_topic_beside_one_matter_routed_elsewhere(
        clf: TopicClassifier) -> None:
    owners = "业主们依法筹备成立业委会，物业公司和开发商却千方百计阻挠，物业经理还威胁业主，物业费也一年涨了两次"
    assert clf.classify([LETTER.format(owners)])[0].topic == "property"
    thin = "业主们依法筹备成立业委会，开发商却千方百计阻挠"
    assert clf.classify([LETTER.format(thin)])[0].topic == OTHER


@pytest.mark.parametrize(
    ("matter", "topic"),
    [
        ("镇医院后门的垃圾站好几天没清运，臭气熏天", "sanitation"),
        ("学校围墙外的排水沟堵了，污水发臭，蚊虫乱飞", "river"),
        ("幼儿园对门的烧烤摊每天晚上油烟太大，熏得人睡不着", "sanitation"),
        ("拆迁工地扬尘太大，附近居民都不敢开窗", "sanitation"),
        ("村里正在拆迁，每天扬尘很大，路边的树叶都是灰", "sanitation"),
    ],
)
def test_an_institution_or_demolition_site_that_only_places_the_problem_keeps_its_topic(
        clf: TopicClassifier, matter: str, topic: str) -> None:
    assert clf.classify([matter], sentiments=[0.3])[0].topic == topic
    assert clf.classify([LETTER.format(matter)])[0].topic == topic


def test_an_institution_before_a_locative_is_a_place_and_after_none_a_matter() -> None:
    from nlp.topics import OFF_TOPIC

    for placed in ("医院后面", "卫生院的门口", "诊所对门", "银行门前", "营业厅楼下", "幼儿园围墙外", "安置小区",
                   "拆迁工地"):
        assert OFF_TOPIC.search(placed) is None, placed
    for matter in ("医院拒绝", "卫生院的医生", "银行不给办", "拆迁补偿", "强制拆迁", "拆迁户", "强拆", "安置费"):
        assert OFF_TOPIC.search(matter) is not None, matter


@pytest.mark.parametrize(
    "matter",
    [
        "小区楼下那家饭店的油烟直接排到居民窗口，商家根本不管",
        "沿街的商家到处乱贴小广告，墙上脏得不成样子",
    ],
)
def test_shopkeepers_are_not_a_matter_routed_elsewhere(clf: TopicClassifier, matter: str) -> None:
    assert clf.classify([matter], sentiments=[0.3])[0].topic == "sanitation"
    assert clf.classify([LETTER.format(matter)])[0].topic != OTHER


@pytest.mark.parametrize(
    ("subject", "matter", "topic"),
    [
        ("关于县人民医院的问题", "县人民医院周边乱停车现象十分严重，汽车和电动车把人行道和盲道都占满了", "parking"),
        ("关于银行网点的问题", "银行网点门前的人行道上每天停满了汽车，行人只能走到马路上", "parking"),
        ("幼儿园", "幼儿园门口每天早晚都有流动摊贩占道经营，把人行道都堵死了", "sanitation"),
    ],
)
def test_a_subject_line_that_only_names_an_institution_does_not_remove_the_topic(
        clf: TopicClassifier, subject: str, matter: str, topic: str) -> None:
    assert clf.classify([subject + "\n" + LETTER.format(matter)])[0].topic == topic
    # a subject line naming a matter routed elsewhere still does
    assert clf.classify(["医院拖欠工资\n" + LETTER.format(matter)])[0].topic == OTHER


def test_the_matters_routed_elsewhere_are_read_from_the_taxonomy_file(tmp_path) -> None:
    from core.errors import ConfigError
    from nlp.topics import MATTERS, _off_topic_lists

    assert {"wages", "home_purchase", "consumer_disputes"} <= set(MATTERS) and "商家" not in "".join(MATTERS.values())
    good = tmp_path / "topics.yaml"
    good.write_text("topics: []\noff_topic:\n  placed: [门口]\n  institutions: {health: [医院]}\n"
                    "  matters: {health: [医生, 看病], price_rises: [涨价]}\n  lift_fault: [\"电梯.{0,4}坏\"]\n",
                    encoding="utf-8")
    placed, matters, institutions, lift = _off_topic_lists(good)
    assert matters == {"health": "医生|看病", "price_rises": "涨价"} and institutions == {"health": "医院"}
    assert "门口" in placed and lift == "(?:电梯.{0,4}坏)"
    for broken in ("topics: []\n", "topics: []\noff_topic:\n  placed: [门口]\n  institutions: {}\n"
                   "  matters: {wages: [\"工资(\"]}\n",
                   "topics: []\noff_topic:\n  placed: [门口]\n  institutions: {health: [医院]}\n  matters: {}\n",
                   "topics: []\noff_topic:\n  placed: [门口]\n  institutions: {}\n  matters: {price_rises: [涨价]}\n",
                   "topics: []\noff_topic:\n  placed: [门口]\n  institutions: {}\n  matters: {health: [医生]}\n"
                   "  lift_fault: [电梯]\n"):
        bad = tmp_path / "bad.yaml"
        bad.write_text(broken, encoding="utf-8")
        with pytest.raises(ConfigError, match="off_topic"):
            _off_topic_lists(bad)


def test_a_matter_word_that_begins_an_estate_name_is_a_place() -> None:
    from nlp.topics import matters_in

    assert matters_in("城东教师新村3栋楼下") == {}
    assert matters_in("医生公寓门前的路灯") == {}
    assert matters_in("教师节学校又要补课") == {"schools": 3}


def test_a_subject_line_that_states_the_problem_outweighs_one_matter_named_in_passing(clf: TopicClassifier) -> None:
    body = (BACKGROUND + "隔壁的加工厂每天从早到晚切割石材，机器轰鸣，我母亲是一名心脏病患者，被吵得整夜睡不着。"
            "我们找过厂里很多次，他们照样开工，希望有关部门来看一看！")
    assert clf.classify(["石材加工厂噪音扰民严重\n" + body])[0].topic == "noise"
    assert clf.classify(["关于我母亲看病的问题\n" + body])[0].topic == OTHER  # the subject names the matter
    # a subject naming a thing over a letter about something else: the body must state the problem too
    wages = BACKGROUND + "我在这家物业公司当保安，公司已经半年没发工资了，找了好几次都说没钱。希望领导为我们做主！"
    assert clf.classify(["关于某物业公司的问题\n" + wages])[0].topic == OTHER
    # two matters in the body: the subject line alone does not decide (a consumer dispute over cracked tiles)
    two = BACKGROUND + "门店的瓷砖铺了没几个月就开裂了，厂家和经销商都说不归他们管，要求退款也不理。"
    assert clf.classify(["客厅瓷砖开裂\n" + two])[0].topic == OTHER


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("我们组到镇上的那段村道至今没有硬化，一下雨全是泥巴，老人孩子出门很难", "facilities"),
        ("小区后面那条路挖开以后一直没人管，希望尽快修好这条路", "facilities"),
        ("山脚下的几户人家到现在还没有通自来水，每天要去很远的地方挑水", "facilities"),
        ("镇上那家电镀厂晚上偷偷排放废水，下游的稻田都发黄了", "river"),
        ("养猪场的粪水顺着水沟流入村民的水井，井水都有味道了", "river"),
        ("有人在村口的空地上未经审批新建了两层楼房，村委会也不管", "illegal_construction"),
    ],
)
def test_roads_water_supply_discharges_and_unapproved_building(clf: TopicClassifier, text: str, topic: str) -> None:
    assert clf.classify([LETTER.format(text)])[0].topic == topic


def test_no_held_back_tipdm_message_is_in_the_training_data() -> None:
    from nlp.blind import dev_rows, message_key, message_text
    from nlp.blind2 import held_keys
    from nlp.gazetteer import load_gazetteer
    from nlp.textfeat import normalize
    from nlp.topic_train import topic_training_data

    held = held_keys()
    rows = [r for r in dev_rows() if message_key(r["留言主题"], r["留言详情"]) in held]
    assert len(rows) >= 1000  # the first blind sample, blind2 … blind5
    texts = {normalize(t) for t in topic_training_data(load_gazetteer(), load_taxonomy())[0]}
    details = {d for r in rows if len(d := normalize(r["留言详情"].strip())) > 30}
    assert not texts & ({normalize(message_text(r)) for r in rows} | details)
    assert not any(d in t for t in texts if len(t) > 200 for d in details)


def test_firm_rule_evidence_with_a_problem_pattern_overrules_the_models_other(
        clf: TopicClassifier, monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    import nlp.topics as topics

    firm = (BACKGROUND + "村东头的化工厂每天晚上排放废气，浓烟滚滚，刺鼻的气味飘进村里，空气污染严重，"
            "满地都是粉尘，村民们咳嗽不止。希望环保部门来查一查！")
    weak = BACKGROUND + "村东头有一家化工厂，村里的空气不太好。希望有关部门关心一下！"
    classes = list(clf.model.classes)
    probs = np.full((2, len(classes)), 0.001, dtype=np.float32)
    probs[:, classes.index(OTHER)] = 0.99  # the model reads both letters as `other`
    res = clf.classify([firm, weak], probs=probs)
    assert [r.topic for r in res] == ["sanitation", OTHER]
    assert res[0].scores[OTHER] > res[0].scores["sanitation"]  # the model's `other` had won the scores
    monkeypatch.setattr(topics, "FIRM_OVERRULES", False)
    assert clf.classify([firm], probs=probs[:1])[0].topic == OTHER


def test_a_restaurants_fumes_are_sanitation_not_food_hygiene(clf: TopicClassifier) -> None:
    text = "小区楼下新开的饭店没有安装油烟净化设备，后厨的油烟直接排向居民楼，家家户户都不敢开窗"
    assert clf.classify([LETTER.format(text)])[0].topic == "sanitation"


def test_fares_are_a_matter_routed_elsewhere_and_a_road_turned_market_is_sanitation(clf: TopicClassifier) -> None:
    from nlp.topics import matters_in

    assert matters_in("春节期间班车票价上涨，孩子也要买全票") == {"fares_and_prices": 2}
    assert matters_in("小区门口收停车费") == {}  # 停车费 is no fare
    fare = clf.classify([LETTER.format("开往县城的公交车对一岁的婴儿也要收全票，公交公司说是规定")])[0]
    assert fare.topic == OTHER and max(fare.scores, key=fare.scores.__getitem__) == "traffic"  # the fare decides
    bus = "开往县城的公交车班次太少，每天等车都要等一个多小时"
    assert clf.classify([LETTER.format(bus)])[0].topic == "traffic"
    market = "学校旁边那段马路每天早上都变成了菜市场，行人和车辆都过不去"
    assert clf.classify([LETTER.format(market)])[0].topic == "sanitation"


def test_water_supply_failures_are_facilities_and_building_permits_tenders_are_matters(clf: TopicClassifier) -> None:
    from nlp.topics import matters_in

    water = "镇上的水厂三天两头停水，自来水管去年换的又爆裂了，村民只能去井里挑水"
    assert clf.classify([LETTER.format(water)])[0].topic == "facilities"
    assert matters_in("想把老房子翻新，申请建房证跑了半年") == {"building_permits": 1}
    assert set(matters_in("这条公路硬化工程的招投标有围标串标的问题")) == {"tenders"}
