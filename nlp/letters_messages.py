"""Messages with a subject line (网络问政 boards ask for one), for the message-type model: the shapes that letters to
officials take beyond :func:`nlp.letters.compose_letters` (which the topic model composes from, unchanged)."""

from __future__ import annotations

import random
from collections.abc import Callable

import yaml

from nlp.corpus import SEED_FILE
from nlp.letters import (
    ASK_CONTEXT,
    DEMAND,
    EFFECT,
    HISTORY,
    N_LETTERS,
    NEEDS,
    PROBLEMS,
    PROPOSALS,
    SALUTE,
    SEED,
    SETTING,
    SINCE,
    WHO,
    pick,
)

# ``compose_letters`` above is unchanged (the topic model composes from it); what follows adds the shapes that
# letters to officials take beyond it: a subject line of every kind (a grievance put as a question, a plain
# question, a proposal, a plea), inquiries and suggestions that start from a problem, requests that read like
# complaints, and the ask placed at the start, in the middle or at the end.

#: Short names of a wrong done, for complaint subject lines.
GRIEVANCES = [
    "小区物业乱收费", "工地夜间施工扰民", "公司拖欠员工工资", "开发商延期交房", "烧烤店油烟扰民", "学校强制收费",
    "村道破损严重", "工厂偷排废气", "拆迁补偿款不到位", "渣土车沿路撒土", "河道垃圾成堆", "低保评定不公",
    "驾校收费不退", "供暖不达标", "小区电梯频繁故障", "培训机构卷款跑路", "中介扣押押金", "医院乱收费",
    "商户占道经营", "垃圾站臭气熏天", "单位不缴社保", "包工头拖欠农民工工资", "物业私拆充电桩", "自来水浑浊发黄",
    "广场舞噪音扰民", "违章建筑无人拆除", "村干部优亲厚友", "教师工资迟迟不发", "房产证迟迟办不下来",
    "小区停车位只售不租", "搅拌站粉尘污染", "养殖场污水直排",
]
GRIEVANCE_TITLE = ["{g}", "{g}", "{g}", "{g}的问题", "关于{g}的问题", "{g}，何时才能解决？", "{g}为什么没人管？",
                   "{g}谁来管？", "投诉{g}", "举报{g}", "{g}，请领导管一管", "{g}严重影响居民生活", "{g}问题至今未解决",
                   "强烈要求解决{g}问题", "{g}，相关部门在哪里？", "{g}多年得不到解决"]
#: Hardships, for request subject lines.
HARDSHIPS = [
    "危房改造", "村组公路修建", "孩子入学", "工伤赔偿", "养老金补发", "大病医疗救助", "低保申请", "残疾补贴申领",
    "退伍军人安置", "宅基地审批", "拖欠的工程款", "失地农民养老保险", "饮水安全", "受灾房屋重建", "户口迁移",
    "下岗职工生活补助", "民办教师待遇", "村医养老保障",
]
HARDSHIP_TITLE = ["{h}问题怎么维权？", "{h}，我们该怎么办？", "{h}的问题请帮忙协调",
                  "恳请帮助解决{h}问题", "关于{h}的求助", "请求解决{h}问题", "{h}问题，恳请领导帮帮我们",
                  "{h}何时能落实？", "希望解决{h}问题", "请领导关注{h}问题", "{h}问题盼解决", "{h}的请求",
                  "求助：{h}", "{h}何时能办下来"]
#: Administrative matters a resident asks about, and how the question is put.
MATTERS = [
    "退休人员工龄", "农村宅基地审批", "自建房临时用电开户费", "外来人口购房补贴", "二孩准生证办理", "教师绩效工资",
    "运动员退役补贴", "异地就医报销", "拆迁安置房分配", "公共维修基金使用", "失地农民养老保险", "公积金贷款额度",
    "事业单位招聘报名", "新农合住院报销", "随迁子女入学", "特岗教师转正", "小区是否纳入旧改", "独生子女奖励",
    "高龄津贴发放", "灵活就业社保补贴", "营业执照变更", "不动产证办理", "户口迁入条件", "残疾人两项补贴",
]
MATTER_Q = ["{m}还能办理吗", "{m}的说法是真的吗", "{m}什么时候可以在网上办理", "{m}今年有没有调整",
            "{m}的标准是什么", "{m}按什么标准执行", "{m}该找哪个部门", "{m}有什么政策", "{m}需要哪些材料",
            "{m}是怎样规定的", "{m}的依据是什么", "{m}怎么办理", "{m}是否符合规定", "{m}能不能办理",
            "{m}如何计算", "{m}有没有新的政策", "{m}什么时候开始受理", "{m}是否有文件规定", "{m}可以补办吗"]
INQUIRY_TITLE = ["{q}？", "{q}？", "{q}？", "关于{m}的咨询", "咨询{m}问题", "请问{q}？", "{m}相关政策咨询",
                 "想了解{m}的政策"]
#: What an inquirer met before asking: often a problem of their own.
INQUIRY_BACKGROUND = [
    "", "", "", "我去办理了好几次都没有办成，工作人员说不符合条件。", "听说今年政策有变化，但网上查不到相关文件。",
    "单位领导说这个要自己承担，不知道是否合理。", "当地的说法和其他地方不一样。",
    "我打电话问了几个部门，都说不归他们管。",
    "我身边的同事都办下来了，只有我的一直没有消息。", "现在听说要补缴一大笔费用，感觉很困惑。",
    "我们这里的做法和文件上写的不一样。", "工作人员的答复前后不一致。",
]
INQUIRY_ASK = ["请问{q}？", "想问一下{q}？", "{q}？", "请问领导，{q}？", "{q}？这样做对吗？", "请问这样收费合理吗？",
               "请问这算违规吗？", "我想知道{q}。", "请问我应该怎么办？"]
INQUIRY_CLOSE = ["", "", "烦请领导回复。", "望答复，谢谢！", "希望能解答我的疑虑。", "盼回复。", "谢谢您！",
                 "期待您的答复。"]
#: A proposal put in other words than 建议.
#: Proposals of policy (a rule to change, a service to offer), beside the facilities of ``PROPOSALS``.
POLICY_PROPOSALS = [
    "适当放宽公积金贷款的申请条件", "把事业单位招聘的现场报名改为网上报名", "统一城乡居民的医保报销比例",
    "对高龄老人的资格认证改为上门办理", "取消不必要的证明材料", "把公共厕所全部免费开放", "推行生活垃圾分类",
    "加强对民办培训机构的检查", "开设面向外来务工人员的免费技能培训", "将乡村教师的待遇向边远地区倾斜",
    "把老地名恢复起来，保护地方历史文化", "在公务员招考中增加城区职位的比例", "放宽随迁子女入学的条件",
    "出台扶持返乡创业的优惠政策", "让退休人员的养老金调整向低收入者倾斜", "为新就业的大学生提供租房补贴",
]
PROPOSE_ASK = ["应该{p}", "何不{p}？", "强烈希望{p}", "请为我们{p}吧", "{p}，这是大家共同的心愿",
               "建议{p}", "能否{p}？", "可否{p}？", "希望{p}", "恳请领导考虑{p}", "是否可以{p}？",
               "我们希望有关部门{p}", "看能否{p}", "呼吁{p}", "如果能{p}就好了"]
SUGGESTION_TITLE = ["应{p}", "{p}", "强烈希望{p}",
                    "关于{p}的建议", "建议{p}", "能否{p}？", "希望{p}", "{p}的建议", "对{p}的几点建议",
                    "可否{p}", "呼吁{p}"]
SUGGESTION_CLOSE = ["", "", "以上建议，望采纳。", "以上是个人建议，谢谢。", "请领导百忙之中考虑。", "望有关部门研究。",
                    "相信这对群众是件好事。", "谢谢！"]
#: The situation a proposal starts from.
SUGGESTION_SITUATION = [
    "", "", "早晚高峰期间这一带车辆拥堵严重，", "附近的老人越来越多，", "现在很多市民反映出行不方便，",
    "周边新建了好几个小区，", "外地游客越来越多，", "目前很多事项还要到现场办理，", "这里人流量大，",
    "隔壁县早就这样做了，效果很好，",
]
#: A writer's own story, told in letters of every kind (the words of the story do not say what is asked).
STORY = [
    "", "", "", "我在这家单位工作了十多年，一直兢兢业业。", "2015年我们购买了该小区的房子，当时开发商承诺很多。",
    "我家有四口人，父母年迈，孩子还在读书。", "去年我到相关部门办理过一次，当时说材料不全。",
    "我们村离县城有四十多公里。",
    "我从部队退役后回到家乡，一直在镇上做点小生意。", "我们这一批人是九十年代招进来的，当时签了合同。",
    "我母亲今年八十岁了，行动不便。", "我在外地打工多年，户口一直在老家。", "我们小区是十几年前建的老小区，没有电梯。",
    "今年年初单位进行了改制，很多老职工的身份没有明确。", "我在网上查了相关文件，也问过身边的人。",
    "孩子今年刚满六岁，到了上学的年龄。", "我们一家人靠种地和打零工维持生活。", "我是2008年参加工作的，当时是合同工。",
]
REQUEST_CLOSE = ["请帮我们讨个说法，谢谢！", "我们该怎么办？恳请领导帮忙。", "请为我们指一条出路。",
                 "希望领导能帮我们解决这个困难。", "恳请领导关心我们的实际困难。",
                 "希望领导重视为盼！", "恳请领导帮帮我们。", "请您帮我们管管。", "希望政府帮助解决。",
                 "望有关部门帮助解决。", "恳请领导在百忙之中过问此事。", "请求领导给予关心和帮助。",
                 "希望能得到妥善解决，万分感谢！", "望领导为我们做主。", "请领导帮我们协调解决。"]


def _fill(rng: random.Random, template: str, **parts: str) -> str:
    return pick(rng, [template.format(**parts)])


def _titled(rng: random.Random, title: str, body: str, p_title: float = 0.75) -> str:
    """``title`` as a subject line before ``body`` (most messages have one), else the body alone."""
    return f"{title}\n{body}" if rng.random() < p_title else body


def compose_messages(n: int = N_LETTERS, seed: int = SEED + 1) -> dict[str, list[str]]:
    """Messages to officials of the four civic kinds with subject lines and the ask in varied places."""
    rng = random.Random(seed)
    problems = PROBLEMS + [p for ps in yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))["topics"].values()
                           for p in ps]

    def complaint() -> str:
        g = rng.choice(GRIEVANCES)
        body = (pick(rng, SALUTE) + pick(rng, WHO) + rng.choice(STORY) + pick(rng, SINCE)
                + "。".join(rng.sample(problems, rng.choice((1, 2, 3)))) + "。" + pick(rng, EFFECT) + pick(rng, HISTORY)
                + rng.choice([*DEMAND, "", "请问这样的问题到底有没有人管？", "为什么就没人管呢？"]))
        return _titled(rng, _fill(rng, rng.choice(GRIEVANCE_TITLE), g=g), body)

    def request() -> str:
        h = rng.choice(HARDSHIPS)
        story = rng.choice(NEEDS) if rng.random() < 0.6 else rng.choice(problems)
        body = (pick(rng, SALUTE) + pick(rng, WHO) + pick(rng, SETTING) + rng.choice(STORY) + pick(rng, SINCE)
                + story + "，"
                + pick(rng, [*HISTORY, "实在没有办法了。", "生活非常困难。"]) + rng.choice(REQUEST_CLOSE))
        return _titled(rng, _fill(rng, rng.choice(HARDSHIP_TITLE), h=h), body)

    def inquiry() -> str:
        m = rng.choice(MATTERS)
        q = _fill(rng, rng.choice(MATTER_Q), m=m)
        ask = _fill(rng, rng.choice(INQUIRY_ASK), q=q)
        context = rng.choice(ASK_CONTEXT) + rng.choice(STORY) + rng.choice(INQUIRY_BACKGROUND)
        if rng.random() < 0.4:  # an inquiry often starts from a problem of the writer's own
            context += rng.choice(problems) + "，"
        body = pick(rng, SALUTE) + (context + ask if rng.random() < 0.7 else ask + context) + rng.choice(INQUIRY_CLOSE)
        return _titled(rng, _fill(rng, rng.choice(INQUIRY_TITLE), q=q, m=m), body, 0.65)

    def suggestion() -> str:
        p = rng.choice(PROPOSALS if rng.random() < 0.5 else POLICY_PROPOSALS)
        ask = _fill(rng, rng.choice(PROPOSE_ASK), p=p)
        situation = pick(rng, SETTING) + rng.choice(STORY) + rng.choice(SUGGESTION_SITUATION)
        if rng.random() < 0.6:
            situation += rng.choice(problems) + "，"
        body = pick(rng, SALUTE) + pick(rng, WHO) + situation + ask + "。" + rng.choice(SUGGESTION_CLOSE)
        return _titled(rng, _fill(rng, rng.choice(SUGGESTION_TITLE), p=p), body.replace("？。", "？"), 0.6)

    kinds: dict[str, Callable[[], str]] = {"complaint": complaint, "request": request, "inquiry": inquiry,
                                           "suggestion": suggestion}
    return {k: [f() for _ in range(n)] for k, f in kinds.items()}


# Letters about the writer's own standing (a pension, a birth, a post, an injury at work, a house): the same stories
# end in a plain question (an inquiry), in a wrong put as a question or a demand (a complaint), or in a proposal of
# a rule (a suggestion). Questions here need no 请问: a bare …能不能…呢？ or …可以…吗？ asks for a fact too.
#: The writer's own standing, told neutrally.
STANDING = [
    "我是2009年参加工作的事业单位职工，一直在乡镇上班。", "我爱人今年春天生了第二个孩子。",
    "我在外省打工，每年都在打工的地方交五险。", "我父亲是企业退休职工，今年七十多岁了。",
    "我去年从原单位辞职，社保停缴了几个月。", "我和爱人都是再婚，双方各有一个孩子。",
    "我在一家私营企业上班，下班路上骑车摔伤了。", "我家在城郊，全家都是农业户口。",
    "我参加了今年的事业单位招聘考试，已经进了面试。", "我是县医院的合同制护士，已经干了八年。",
    "我在县城买了一套商品房，契税和维修基金都交了。", "我孩子九月才满六周岁，户口在老家。",
    "我是一名退役士兵，退伍后回到了老家。", "我有中级会计职称，在民营企业做财务。",
    "我的养老保险在两个城市各交了几年。", "我母亲是下岗职工，一直按灵活就业交养老保险。",
    "我在乡村学校代课十几年了，一直没有编制。", "我们夫妻都在外地工作，孩子跟着老人在老家。",
    "我是一名个体户，在镇上开了一家小店。", "我丈夫前年因病去世，留下两个孩子。",
    "我今年五十八岁，缴费年限还差三年。", "我和公司签的劳动合同年底到期。",
    "我女儿大学毕业两年了，档案还在学校。", "我们家的老房子在旧城改造的范围边上。",
]
#: What the standing is about (a rule, a benefit, a procedure).
BENEFITS = [
    "产假", "生育津贴", "养老金", "工龄", "医保报销", "新农合", "公积金", "购房补贴", "职称评审", "工伤认定",
    "准生证", "出生证", "户口迁移", "入学报名", "退役安置", "独生子女奖励", "高龄补贴", "失业金", "住房补贴",
    "遗属补助", "社保转移", "退休手续", "事业编制", "医保异地结算",
]
PLAIN_ASK = [
    "像我这种情况，{b}能不能办理呢？", "我这种情况还可以申请{b}吗？", "{b}是从什么时候开始算的？",
    "如果换了单位，会不会影响{b}？", "我是否符合{b}的条件？", "{b}应该在户籍地办还是在工作地办？",
    "{b}有没有年龄限制？", "想知道{b}具体是怎么规定的。", "不知道{b}是按哪个文件执行的？",
    "这种情况下{b}该怎么处理？", "{b}能不能一次性补缴？", "我有几个疑问：1、{b}在哪里办理？2、需要什么材料？",
    "{b}是按新政策还是老政策执行呢？", "{b}需要单位出证明吗？", "{b}大概多长时间能办好？",
    "{b}可以在网上办理吗？", "有关{b}的政策，我有两点不明白：一是怎么计算，二是由哪个部门负责。",
    "麻烦告知{b}的办理流程。", "{b}会不会因为这个受影响呢？", "{b}的标准今年调整了没有？",
]
ASK_CLOSE_PLAIN = ["", "", "", "谢谢！", "盼复。", "麻烦解答一下，谢谢。", "望告知。", "期待回复。"]
#: The same standing, ending in a wrong put as a question or a demand.
WRONG_ASK = [
    "{b}到现在还没有发下来，为什么一拖再拖？", "单位一直推脱不给办{b}，这合理吗？请有关部门查一查！",
    "为了{b}跑了好多趟都办不下来，到底有没有人管？", "{b}迟迟不落实，我们要求尽快兑现。",
    "别人的{b}早就办好了，凭什么我的一直卡着？", "经办人员互相推诿，{b}至今没有着落，希望领导督促解决。",
    "单位违规克扣{b}，请相关部门依法处理。", "{b}被无故取消了，谁来给我们一个说法？",
    "说好的{b}一分钱都没拿到，这样做还有没有王法？", "{b}办了一年多还没结果，工作人员态度恶劣。",
    # a question for a fact after a stated wrong, or whether an authority may break a rule: the grievance's question
    "{b}每月只给了三百元，请问是按哪个文件执行的？", "政策写得清清楚楚，单位有权不给我们办{b}吗？",
    "材料交上去也不收，{b}难道可以不按政策执行吗？", "{b}拖了两年才发一半，这个标准是谁定的？",
    "别的地方{b}早就落实了，我们这里为何迟迟不办？考虑过我们的困难么？",
    "经办人员说我不符合{b}的条件，可文件里根本没有这一条，他们能随意加条件吗？",
]
#: Proposals of a rule or a service, told from other places' example or a general need.
RULE_PROPOSAL = [
    "放宽{b}的申请条件", "把{b}改为网上办理", "统一全省{b}的标准", "简化{b}的手续", "提高{b}的标准",
    "出台{b}的实施细则", "对{b}实行就近办理", "将{b}纳入一网通办",
]
PROPOSAL_FRAME = [
    "目前不少省份已经{p}，我省也可以借鉴。", "我认为可以{p}，这样既方便群众，又能减轻窗口压力。",
    "如果能{p}，会给大家带来很大便利。", "希望有关部门研究{p}的可行性。", "何不{p}呢？",
    "一是{p}；二是加强宣传，让群众知道怎么办。", "恳请领导考虑{p}。", "能不能{p}，让老百姓少跑几趟？",
    "我们呼吁尽快{p}。", "建议借鉴外地的做法，{p}。",
]
PROPOSAL_CLOSE = ["", "", "以上是我的一点想法，供领导参考。", "望采纳。", "谢谢！", "以上建议，望研究。"]
OPENING = ["", "", "", "您好！", "领导您好，", "尊敬的领导：", "厅长您好！", "局长：您好！"]


def compose_asks(n: int = N_LETTERS, seed: int = SEED + 2) -> dict[str, list[str]]:
    """Letters about the writer's own standing: a plain question (inquiry), a wrong (complaint) or a rule to
    change (suggestion), from the same stories, so that only the ask tells them apart."""
    rng = random.Random(seed)

    def story() -> str:
        return rng.choice(OPENING) + "".join(rng.sample(STANDING, rng.choice((1, 1, 2))))

    def ask(pool: list[str]) -> str:
        return rng.choice(pool).format(b=rng.choice(BENEFITS))

    def inquiry() -> str:
        q = ask(PLAIN_ASK)
        body = story() + q + rng.choice(ASK_CLOSE_PLAIN) if rng.random() < 0.8 else q + story()
        return _titled(rng, q.rstrip("。"), body, 0.3) if q.endswith("？") else body

    def complaint() -> str:
        return story() + ask(WRONG_ASK)

    def suggestion() -> str:
        p = rng.choice(PROPOSAL_FRAME).format(p=rng.choice(RULE_PROPOSAL).format(b=rng.choice(BENEFITS)))
        return rng.choice(OPENING) + rng.choice(SUGGESTION_SITUATION) + p + rng.choice(PROPOSAL_CLOSE)

    kinds: dict[str, Callable[[], str]] = {"inquiry": inquiry, "complaint": complaint, "suggestion": suggestion}
    return {k: [f() for _ in range(n)] for k, f in kinds.items()}
