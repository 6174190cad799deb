"""Shapes of 创全 letters the classifier used to call `other` (sixth session): pollution that made people ill or
spoilt their land (the harm is no matter routed elsewhere), dust that hangs over a village every day, noise that
keeps residents from sleeping; and a word or two with no rule word is no problem at all. Sentences of our own."""

from __future__ import annotations

import pytest

from nlp.taxonomy import load_taxonomy
from nlp.topics import MODEL_ONLY_MIN_CHARS, TopicClassifier


@pytest.fixture(scope="module")
def clf() -> TopicClassifier:
    return TopicClassifier.load(load_taxonomy())


# letters as residents write them to officials: a subject line, a greeting, the problem and its harm, a plea
@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # pollution that sent people to hospital: patients and doctors are the harm, not the health matter
        ("村口的砖厂天天冒黑烟，村里好几个老人住院了，医生说是呼吸道的问题，请环保局管一管。", "sanitation"),
        # dust over a village every day, in a letter that says more about the complaints made than the dust
        ("尊敬的领导：我家住在镇北，自从村口开了两家碎石场，每天尘土飞扬，家里的门窗都不敢开，一家老小咳嗽不断。"
         "这几年我们写过很多信，打过很多电话，也去镇政府找过领导，每次都说会处理，结果到现在还是老样子，"
         "实在没有办法了才在这里留言，希望领导能派人来看一看。", "sanitation"),
        # a farm's sewage let into a village pond
        ("养猪场的污水直接排进了村里的水塘，鱼都死了，村民要求赔偿损失却被赶了出来。", "river"),
        # a road that floods whenever it rains
        ("尊敬的市长：您好！我住在城西的幸福小区，小区门口的建设路每逢下雨必定积水，最深的时候能没过膝盖，车辆熄火，"
         "行人只能蹚水过去。听说是因为下水管道太细，又常年没有疏通。这个问题已经存在好多年了，每年汛期我们都提心吊胆，"
         "去年还有一位老人在积水中摔伤。希望有关部门能尽快改造这段路的排水系统，解决积水问题，谢谢！", "facilities"),
        # noise from a road that keeps a family awake
        ("尊敬的书记：您好！我是柳树村的村民，我家就在国道边上，离路面不到二十米。国道拓宽以后，过往的车辆越来越多，"
         "特别是晚上的大货车，一辆接一辆，我们一家人饱受噪音困扰，已经好几年没有睡过一个安稳觉了。我们多次向有关部门"
         "反映，希望能在村子这一段加装隔音屏障，但至今没有答复，恳请领导帮忙协调解决。", "noise"),
        # roads that fall apart soon after they are built
        ("尊敬的领导：我家住在镇上，门前这条公路前年才修好，现在已经千疮百孔，车子开过去一颠一颠的，骑摩托车的人摔过好几个，"
         "希望有关部门尽快派人来看一看，把这条路修好。", "facilities"),
        ("我们镇上的公路一边修一边烂，修了三年还没有一段是好的，请交通部门查一查施工质量。", "facilities"),
        # tap water unfit to drink, named after what is wrong with it
        ("领导您好！我们村这几天放出来的都是浑浊的自来水，烧开以后壶底一层黄泥，村里老人孩子都不敢喝，请供水部门尽快处理。",
         "facilities"),
        # a works' spray coating filling the air
        ("我要举报开发区的一家机械公司，公司日常生产中会进行油漆喷涂，每次喷涂作业的时候，周边空气中便弥漫着漆雾，对附近"
         "居民的身体健康影响很大。当地有关部门每次来检测之前都会提前通知公司停工，几个小时后才进厂监测，所以从来查不出问题。"
         "请领导查处这种行为。", "sanitation"),
        # a public place's hygiene, put plainly in the subject line
        ("滨江公园卫生极差\n滨江公园是附近居民散步休闲的好去处，最近几个月管理越来越差，游客越来越多却没有人维护，"
         "希望主管部门重视。", "sanitation"),
    ],
)
def test_letters_with_their_harm_get_their_topic(clf: TopicClassifier, text: str, topic: str) -> None:
    assert clf.classify([text])[0].topic == topic


@pytest.mark.parametrize(
    "text",
    [
        # the health matter itself: a hospital's own business, no pollution
        "我父亲在县医院住院半个月，医生乱开药，费用高得离谱，请卫生局查一查这家医院",
        # compensation for land, no pollution
        "修高速公路占了我家的山林和承包地，到现在补偿款还没有发下来，请问找哪个部门",
        # workers' conditions and pay
        "我们厂里车间粉尘很大，工人都没有防护，老板还拖欠了三个月的工资不发",
        # everyday posts with the same words: one's own toothache, a dusty trip, a noisy laptop
        "连续两天牙疼得夜不能寐，今天终于挂上号了",
        "周末开车回老家，乡间小路尘土飞扬，但风景真不错",
        "新买的笔记本电脑风扇噪音有点大，不过性能还可以",
        "我家厨房的水槽一到下雨天积水就渗到墙里，开发商交房时说没问题",  # a home's leak, the developer's matter
        "一到下雨，积水就从墙体渗进屋里，开发商说不归他们管。",  # the wall after the water: a building's leak too
        "快递寄来的水果在路上就烂了，商家说不归他们管",  # fruit spoilt on the way, no road
        "这双鞋穿了不到一个月就烂了，质量太差",
        "路由器用了一年就烂了，客服还说过了保修期不管。",  # 路 inside a word is no road
        "网路不稳定，游戏一开就卡，这路由器两个月就烂了。",
        "我这条路走得千疮百孔，可还是不想放弃。",  # a road of one's life
        "我们宿舍的卫生太差了，室友都不打扫，真受不了",  # one's own room, no public place
        "宿舍的环境卫生太差了，室友都不打扫，真受不了。",  # 环境卫生 names no place
        "镇卫生院卫生很差，看病排队两个小时，医生态度恶劣。",  # a health centre: the 镇 of 镇卫生院 is no public place
        "村卫生室卫生很差，医生还乱收费，请卫生局管一管。",
        "房间里弥漫着咖啡的香味，周末的早晨真舒服",
        # a chemical smell with no works letting it out: a new car, a new flat, a disinfectant
        "新车里总能闻到一股化学气味，4S店说过几个月就好，我要求退车被拒绝了。",
        "新装修的房子有刺激性气味，熏得眼睛疼，装修公司说甲醛不超标。",
        "84消毒液的刺激性气味太呛了，每天在家消毒两遍，头都晕了。",
        # fish or spring water let into a lake or a brook: nothing foul let in
        "今天去放生，把买来的鲫鱼都倒进了湖里，功德加一。",
        "山上的泉水流进了小溪，清澈见底，真想住在这里。",
        # noise with no source where people live: earplugs, a library, a household appliance
        "深受噪音困扰的朋友可以试试这款降噪耳机，真的好用。",
        "考研党饱受噪声折磨，图书馆里总有人打电话。",
        "这款吸尘器分贝超标，吵得要命，申请退货。",
        # sulphur burnt against mosquitoes or snakes, a bad water pipe: no food made unsafe, no tap water
        "我朋友用硫磺熏蚊子，结果自己被呛得咳嗽了一晚上。",
        "老家的人用硫磺熏屋子防蛇，熏完大家都咳嗽。",
        "村里用不合格的自来水管，施工队偷工减料，水管爆了好几次。",
    ],
)
def test_the_same_words_elsewhere_stay_other(clf: TopicClassifier, text: str) -> None:
    assert clf.classify([text])[0].topic == "other"


@pytest.mark.parametrize("text", ["路过", "草了", "河南牛批", "全线都废", "地狱"])
def test_a_word_or_two_without_a_rule_word_gets_no_topic_from_the_model(clf: TopicClassifier, text: str) -> None:
    # the model leaning to a topic on a post of a few characters (given here as probabilities)
    assert clf.rule_scores(text) == {} and len(text) < MODEL_ONLY_MIN_CHARS
    classes = list(clf.model.classes)
    probs = [[0.6 if c == "sanitation" else 0.4 / (len(classes) - 1) for c in classes]]
    assert clf.classify([text], probs=probs)[0].topic == "other"
    longer = "这几天街上那一片实在让人受不了，希望有人来看看"  # the same reading on a sentence stays the model's
    assert clf.classify([longer], probs=probs)[0].topic == "sanitation"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # a farm's stench and the wells it spoilt: the subject line names the water
        ("村民的井水被养猪场污染了\n我们村东头有一家养猪场，养了上千头猪，天天臭气熏天，苍蝇成群。猪场的粪水渗到地下，"
         "村里好几户人家的井水都有一股臭味，烧开了也不敢喝。请环保部门来查一查。", "river"),
        # a brickworks' smoke and its waste water: the subject line names the smoke
        ("砖厂的黑烟让我们喘不过气\n村口的砖厂天天冒黑烟，晚上排放得更厉害，烟尘落得到处都是。厂里的废水也排到了旁边的"
         "小河里，河水发黑。我们多次向镇里反映都没有结果，请求上级领导重视。", "sanitation"),
    ],
)
def test_smoke_and_sewage_in_one_letter_take_the_topic_its_subject_names(clf: TopicClassifier, text: str,
                                                                          topic: str) -> None:
    assert clf.classify([text])[0].topic == topic
    body = text.split("\n", 1)[1]  # without a subject line the rules' larger share decides, as before
    assert clf.classify([body])[0].topic in ("sanitation", "river")


def test_food_made_unsafe_or_meat_sold_without_quarantine(clf: TopicClassifier) -> None:
    bamboo = ("请制止有毒竹笋的加工\n近段时间我们村附近有人大量收购新鲜竹笋，拉到山里的棚子里用硫磺熏制，"
              "再添加化工原料漂白，然后拉到外地去卖。这样加工出来的竹笋吃多了会危害身体，特别是对老人和孩子伤害更大。听说以前也有人举报过，"
              "但是没过多久又开始了。希望有关部门尽快调查，依法取缔这些加工点。")
    assert clf.classify([bamboo])[0].topic == "food_hygiene"
    # meat without a lawful quarantine ticket in the market is a problem pattern, as meat without quarantine was
    assert "food_hygiene" in clf.classify(["镇上有很多没有合法检疫票的猪肉在市场流通"])[0].pattern_hits
    for text in ("新家装修完甲醛超标，只能先不住了", "请问工业盐和食用盐有什么区别？",
                 "检疫法规定了哪些动物需要检疫？"):
        assert "food_hygiene" not in clf.classify([text])[0].pattern_hits


def test_toxic_gas_a_chemical_leak_and_noise_over_the_limit(clf: TopicClassifier) -> None:
    leak = ("昨天下午镇上的化工厂在装卸原料时发生泄漏，附近几个村子都闻到了很重的化学气体，消防队晚上才赶到，"
            "厂里第二天照常生产，请问这样的事谁来管？")
    assert clf.classify([leak])[0].topic == "sanitation"
    gas = "小区北面的塑料厂一到晚上就散发出一股有毒气味，住户半夜被呛醒"
    assert "sanitation" in clf.classify([gas])[0].pattern_hits
    loud = "加气站的压缩机日夜运转，噪音分贝已经超过国家规定的标准"
    assert "noise" in clf.classify([loud])[0].pattern_hits
    for text in ("新买的耳机最大音量有一百分贝，太震撼了", "化学课讲了有毒气体的性质，好难记",
                 "这款洗衣液没有刺激性气味，用着很舒服"):  # no works letting gas out, no harm
        assert clf.classify([text])[0].pattern_hits == frozenset()


@pytest.mark.parametrize(
    "text",
    [
        # a hospital's own business with dirt or a smell in it: no polluter, no pollution that did harm
        "镇卫生院环境卫生堪忧，医生看病敷衍了事，挂号收费也不透明，希望上级部门整顿。",
        "县医院的环境卫生很差，病房里苍蝇乱飞，医生护士也不管。",
        "母亲在镇卫生院输液时，医生用错了药，医院周围弥漫着一股恶臭，卫生院还不承认。",
        # land taken and its compensation: the dust of the works on it is no harm the letter is about
        "村里的山林被采石场占用，补偿款被村干部截留，采石场每天尘土飞扬，请纪委查一查。",
        "征地补偿标准太低，村里修路占了我家的地，施工每天尘土飞扬，噪音影响休息，补偿款也没谈好。",
        "砖厂占了我们组的地，青苗补偿一分没给，厂里每天冒黑烟，请领导帮我们讨个说法。",
    ],
)
def test_hospitals_and_land_taking_with_a_pollution_word_stay_other(clf: TopicClassifier, text: str) -> None:
    assert clf.classify([text])[0].topic == "other"


def test_a_works_gas_is_a_problem_only_where_it_was_smelt(clf: TopicClassifier) -> None:
    for text in ("我们村旁边的化工厂散发出刺激性气味，熏得人喘不过气，晚上都不敢开窗。",
                 "化工厂晚上偷偷排放有毒气体，村民闻到刺鼻的化学气味，好多人头晕恶心。"):
        assert "sanitation" in clf.classify([text])[0].pattern_hits
    # an inspection that smelt nothing, a works that meets the limits: no problem pattern
    negated = "环保局来检测，现场没有闻到刺激性气味，厂里说一直达标排放。"
    assert "sanitation" not in clf.classify([negated])[0].pattern_hits


def test_only_something_foul_let_into_water_is_a_discharge(clf: TopicClassifier) -> None:
    assert "river" in clf.classify(["屠宰场的污水和猪粪都排进了村边的小河里，河水又黑又臭。"])[0].pattern_hits
    for text in ("暴雨过后雨水都流进了池塘，池塘里的荷花更好看了。", "小区里的雨水都排到小河里了，设计得挺合理。"):
        assert "river" not in clf.classify([text])[0].pattern_hits


def test_noise_that_keeps_people_awake_or_breaks_the_limit_has_a_source(clf: TopicClassifier) -> None:
    for text in ("加气站产生的噪音分贝已经严重高出国家规定的法定值，影响到了紧邻的小区业主。",
                 "工地每天晚上施工到凌晨，住户饱受噪音困扰。"):
        assert "noise" in clf.classify([text])[0].pattern_hits
    for text in ("老公打呼噜声音太大，噪声严重影响睡眠，有什么好办法吗？",
                 "这款电风扇的噪音分贝超过国家标准了吧，转起来跟拖拉机一样。"):
        assert "noise" not in clf.classify([text])[0].pattern_hits


def test_rain_water_in_a_home_is_no_flooded_road(clf: TopicClassifier) -> None:
    assert "facilities" in clf.classify(["建设路每逢下雨必定积水，最深能没过膝盖，行人只能蹚水过去。"])[0].pattern_hits
    assert "facilities" not in clf.classify(["每次下大雨，阳台的积水就顺着墙缝流到楼下邻居家。"])[0].pattern_hits
