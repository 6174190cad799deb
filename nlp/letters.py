"""Letters to officials of the five civic kinds (complaint, request, inquiry, suggestion, praise), composed
from phrases written for this project from general knowledge of 12345 / 网络问政 letters, not from any data set.
Training text for :mod:`nlp.message_type_train` (and, for matters outside 创全 work, the topic model's ``other``).
"""

from __future__ import annotations

import random
from collections.abc import Callable

import yaml

from nlp.corpus import SEED_FILE

SEED = 14
N_LETTERS = 1500

SALUTE = ["", "", "", "尊敬的领导：", "尊敬的领导您好！", "领导您好，", "您好！", "尊敬的市长：", "尊敬的区领导：",
          "各位领导好，", "政府领导您好：", "书记、市长好！", "12345热线您好，"]
WHO = ["", "", "我是{area}的居民，", "本人是{area}的业主，", "我是一名外来务工人员，", "我是{area}的一名退休职工，",
       "我是一名家长，", "我们是{area}的村民，", "我是在{area}上班的职工，", "本人是{area}的个体户，",
       "我们是{area}全体业主，",
       "我是一名残疾人，", "我是{area}的一名教师，", "我是一名应届毕业生，"]
AREA = ["某小区", "某社区", "某村", "某街道", "某镇", "开发区", "老城区", "新城区", "某花园小区", "某安置小区",
        "城郊某村",
        "县城", "某工业园", "某镇中心村"]
#: Problems a resident reports (any office, not only the 创全 topics).
PROBLEMS = [
    "公司已经拖欠我们工资半年多了，老板一直找理由推脱", "单位一直没有给我们缴纳社保", "工地包工头拖欠农民工工资不给",
    "小区开发商延期交房一年多，至今没有任何说法", "小区附近的工厂每天晚上偷偷排放废气，气味刺鼻",
    "楼下的烧烤店油烟直排，噪音一直到凌晨", "村里的道路修好不到一年就坑坑洼洼", "学校强制学生购买指定的教辅资料",
    "幼儿园乱收费，一个学期多收了好几项费用", "医院收费不透明，多收了检查费", "小区物业擅自涨物业费，服务却越来越差",
    "拆迁补偿款迟迟不到位，一家人没地方住", "附近的搅拌站粉尘很大，晾的衣服全是灰",
    "公交车经常不按时发车，一等就是一个小时",
    "小区的房产证办了三年还没下来", "渣土车晚上在路上飞驰，撒得到处都是泥", "河道里有人倒垃圾，水又黑又臭",
    "村干部违规分配低保名额，真正困难的人拿不到", "培训机构收了学费就关门跑路了", "小区里有人违章搭建，占用公共绿地",
    "中介公司扣押押金不退", "施工队在居民区半夜施工，吵得人睡不着", "药店卖过期药品", "驾校收了钱一直不安排考试",
    "供暖公司收了取暖费房子却一直不热", "小区停水停电也不提前通知", "电动车充电桩被物业私自拆除",
    "学校食堂饭菜质量很差，价格却很高", "养猪场污水直接排进农田", "租房合同到期房东不退押金",
    "路灯坏了几个月都没人修", "商家虚假宣传，买到的是假货", "快递公司丢件不赔", "单位强制员工加班还不给加班费",
    "小区电梯经常困人，物业不维修", "政府部门办事推诿扯皮，跑了好几趟都没办成", "医保报销一拖再拖",
    "村里的自来水浑浊发黄，不能饮用", "小区门口的马路被占道经营，车都开不过去", "学校周边的黑网吧接纳未成年人",
]
HISTORY = ["", "", "", "我们多次向有关部门反映，一直没有结果。", "打过好几次12345，每次都说会处理，到现在也没解决。",
           "找过街道和社区，互相推诿。", "已经持续好几个月了。", "附近居民苦不堪言。", "严重影响了我们的正常生活。",
           "这个问题存在很久了。", "去找负责人，对方态度恶劣。"]
DEMAND = ["希望有关部门尽快调查处理！", "请相关部门严肃查处。", "希望领导重视，还我们一个公道。",
          "望有关部门给予答复。",
          "要求相关部门依法处理。", "请有关部门管一管。", "望尽快整改。", "希望能给我们一个说法。",
          "请主管部门核实处理。"]
#: Background and consequences that make a composed letter read like a real one.
SINCE = ["", "", "近段时间，", "今年以来，", "从去年开始，", "这几年来，", "上个月，", "自从入住以来，", "每到夏天，",
         "最近一段时间，",
         "三个月前，", "疫情以后，", "从今年三月份开始，"]
SETTING = ["", "", "", "我们小区位于{area}，有一千多户居民。", "该路段是附近居民出行的必经之路。",
           "我们村有三百多户人家。",
           "这所学校有两千多名学生。", "我在这家公司工作了五年。", "该楼盘是当地的重点项目。",
           "我们这里属于城乡结合部。",
           "我家住在{area}的一栋老楼里。", "这个市场周边都是居民楼。"]
EFFECT = ["", "", "给周边居民的生活带来了极大不便。", "存在很大的安全隐患。", "群众意见很大。",
          "老人和孩子出行非常不便。",
          "我们的合法权益受到了严重侵害。", "一家人的生活都受到了影响。", "晚上根本无法休息。",
          "这种情况已经不是第一次了。",
          "相关负责人一直不予理睬。", "大家敢怒不敢言。"]
#: A resident asks for help with a hardship.
NEEDS = [
    "家里老人常年卧病在床，孩子还在上学，生活非常困难", "我父亲突发重病住院，需要一大笔手术费",
    "我家房子被大风吹塌，无处可住",
    "孩子今年要上小学，但户口问题一直解决不了", "我失业一年多，找不到工作，一家人没有收入",
    "我家是低保户，今年的补助一直没发下来",
    "我儿子大学毕业后一直找不到工作", "我的身份证丢了，外地补办遇到困难", "家里遭了水灾，庄稼全部被淹",
    "我母亲是残疾人，申请残疾补贴一直没批下来", "我在外地打工受了工伤，老板不管不问",
    "孩子患有重病，医疗费已经花光了积蓄",
    "我们村的路一下雨就没法走，孩子上学很危险", "我家的宅基地证办不下来，房子没法翻修",
    "我老伴去世了，我一个人带着两个孙子，生活没有着落", "我被骗了十几万元的积蓄，报警后一直没有进展",
    "我家的房子在拆迁中被强拆，到现在还住在亲戚家", "孩子因为户籍问题没法参加高考",
    "我是退伍军人，安置问题一直没有落实",
    "我们租住的房子被鉴定为危房，房东不管",
]
ASK_HELP = ["恳请领导帮帮我们！", "请求政府给予帮助。", "希望相关部门帮忙解决。", "请领导帮我们想想办法。",
            "恳请有关部门给予救助。", "求求领导帮帮忙，谢谢！", "希望政府能伸出援手。",
            "请求相关部门协调解决，万分感谢！",
            "请问能不能申请困难补助？恳请帮助。", "希望能得到帮助，谢谢领导。"]
#: A resident asks how something works.
QUESTIONS = [
    "外地户口的孩子在本地上小学需要准备哪些材料", "公积金怎么提取，需要什么手续", "新生儿上户口需要带哪些证件",
    "社保断缴了几个月，还能补缴吗", "退休人员的养老金什么时候调整", "办理居住证需要什么条件",
    "异地医保报销的流程是怎样的",
    "今年的中考政策有没有变化", "二手房过户要交哪些税", "购买经济适用房需要满足什么条件", "失业金怎么申领",
    "摩托车驾照在哪里可以考", "灵活就业人员怎么缴纳医保", "高龄补贴怎么申请", "幼儿园的招生时间是什么时候",
    "我们小区是否在拆迁范围内", "这条路什么时候能修通", "农村合作医疗今年的缴费标准是多少",
    "个体工商户营业执照怎么办理",
    "事业单位招聘考试的报名条件有哪些", "孩子的学籍怎么转到外地", "公租房的申请什么时候开始", "残疾证在哪里办理",
    "老房子加装电梯有没有补贴", "办理护照需要多长时间",
    "大学生创业有哪些扶持政策", "独生子女父母的奖励金怎么领取", "农村危房改造的补助标准是多少",
    "外地车牌限行的具体时间",
    "企业职工退休手续在哪里办理", "医保卡丢了怎么补办", "随迁子女参加中考需要满足什么条件",
    "不动产登记需要提交什么材料",
    "退役军人的安置政策是什么", "征收土地的补偿标准是怎么计算的",
]
ASK_OPEN = ["请问", "想咨询一下", "我想问一下", "咨询：", "请问一下", "想了解一下", "您好，请问", "打扰一下，请问"]
ASK_CLOSE = ["？", "？谢谢！", "？望答复。", "？盼回复，谢谢。", "？麻烦告知一下。", "？"]
#: The situation an inquiry starts from, and the question that ends it.
ASK_CONTEXT = ["", "", "我在外地工作了十年，现在回老家发展，", "我家孩子今年九月上初中，", "我是去年从部队退役的，",
               "我在本市交了五年社保，", "我父母都是农村户口，今年都七十多岁了，", "我们家今年买了一套二手房，",
               "我在私营企业上班，单位没有给我交公积金，", "我的户口还在老家，房子买在城区，", "我去年生了二胎，",
               "我们小区被列入了旧改计划，", "我已经失业半年了，", "我打算开一家小餐馆，"]
ASK_END = ["请问这种情况该怎么办？", "请问我们符合条件吗？", "请问相关政策是怎样规定的？", "请问应该找哪个部门？",
           "想知道具体的办理流程。", "请问需要准备什么材料？", "请问可以办理吗？", "请问什么时候能有结果？"]
#: A resident proposes an improvement.
PROPOSALS = [
    "在小区门口增设一个公交站点，方便老人出行", "在学校门口安装红绿灯，保障孩子安全", "延长地铁末班车的运营时间",
    "在公园里多安装一些健身器材", "把老旧小区的雨污管道改造列入计划", "在菜市场附近规划临时停车位",
    "增加社区养老服务点",
    "在主干道上增设过街天桥", "开通一条连接新区和老城区的公交线路", "对电动车乱停放设置专门的停放区",
    "在河边修建一条步道",
    "加大对农村道路的投入", "在路口增设监控和减速带", "在小区里增加电动车充电桩", "把空置的厂房改造成社区活动中心",
    "推行网上预约办理，减少群众跑腿", "在学校周边增加交警疏导", "给背街小巷装上路灯", "增加公共厕所的数量",
    "对老旧小区进行加装电梯改造",
    "在高峰期增加公交班次", "在老旧小区统一规划非机动车棚", "在居民区周边多建几个社区食堂", "把闲置的空地改成停车场",
    "对校外培训机构加强监管", "在乡镇设立便民服务窗口，让老人就近办事", "把学区划分和招生政策提前公开",
    "在河道两边种树，建设生态公园", "对渣土车实行定时定线运输", "在地铁站周边规划共享单车停放点",
]
PROPOSE_OPEN = ["建议", "我建议", "我想提个建议，", "关于{area}的一点建议：", "建议有关部门", "提一点建议：",
                "强烈建议",
                "希望政府考虑一下，", "建议相关部门考虑"]
PROPOSE_CLOSE = ["", "。", "，这样既方便群众，也能提升城市形象。", "，希望领导采纳。", "，望有关部门研究考虑。",
                 "，相信能给大家带来很大便利。", "，谢谢！"]
#: A resident thanks an office.
THANKS = [
    "社区工作人员上门帮我们办好了手续", "城管队员半天就把路边的垃圾清理干净了", "派出所民警帮我找回了丢失的钱包",
    "医院的医生护士对我母亲照顾得无微不至", "街道很快就把我们小区的路灯修好了",
    "12345热线接到反映后第二天就有人来处理了",
    "供电所的师傅冒雨抢修，很快恢复了供电", "学校的老师耐心辅导孩子", "政务大厅的工作人员热情耐心，一次就办好了",
    "交警在路口冒着大雨指挥交通", "环保部门及时处理了工厂的污染问题", "村干部帮我们解决了饮水难题",
]
THANK_OPEN = ["我要感谢", "特别感谢", "在此表扬", "真心感谢", "为他们点赞：", "想表扬一下，", "感谢政府，"]
THANK_CLOSE = ["，为你们点赞！", "，非常感谢！", "，真正为老百姓办实事。", "，特此致谢。", "，给你们点个赞。",
               "，谢谢你们！"]


def pick(rng: random.Random, xs: list[str]) -> str:
    return rng.choice(xs).replace("{area}", rng.choice(AREA))


def letter(rng: random.Random, body: str, close: str) -> str:
    return pick(rng, SALUTE) + pick(rng, WHO) + body + close


def compose_letters(n: int = N_LETTERS, seed: int = SEED) -> dict[str, list[str]]:
    """Messages to officials of the five civic kinds, composed from the phrases above."""
    rng = random.Random(seed)
    problems = PROBLEMS + [p for ps in yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))["topics"].values()
                           for p in ps]
    kinds: dict[str, Callable[[], str]] = {
        "complaint": lambda: letter(
            rng, pick(rng, SETTING) + pick(rng, SINCE) + "。".join(rng.sample(problems, rng.choice((1, 2, 2, 3))))
            + "。" + pick(rng, EFFECT) + pick(rng, HISTORY), rng.choice(DEMAND)),
        "request": lambda: letter(
            rng, pick(rng, SETTING) + pick(rng, SINCE) + rng.choice(NEEDS) + "，"
            + pick(rng, [*HISTORY[:3], "实在没有办法了。", "一家人的生活都受到了影响。"]), rng.choice(ASK_HELP)),
        "inquiry": lambda: letter(
            rng, pick(rng, SETTING[:6]) + rng.choice(ASK_CONTEXT) + rng.choice(ASK_OPEN)
            + "，".join(rng.sample(QUESTIONS, rng.choice((1, 1, 2)))), rng.choice(ASK_CLOSE))
        if rng.random() < 0.6
        else letter(rng, rng.choice(ASK_CONTEXT[2:]) + rng.choice(QUESTIONS) + "？", rng.choice(ASK_END)),
        "suggestion": lambda: letter(
            rng, pick(rng, SETTING) + pick(rng, [*EFFECT[:3], *SINCE[:3]]) + pick(rng, PROPOSE_OPEN)
            + rng.choice(PROPOSALS), rng.choice(PROPOSE_CLOSE)),
        "praise": lambda: letter(rng, pick(rng, SINCE) + rng.choice(THANK_OPEN) + rng.choice(THANKS),
                                  rng.choice(THANK_CLOSE)),
    }
    return {k: [f() for _ in range(n)] for k, f in kinds.items()}



# --- Messages with a subject line (网络问政 boards ask for one), for the message-type model -------------------
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
