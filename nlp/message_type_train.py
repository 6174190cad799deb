"""Train the message-type model (``nlp/models/message_type.npz``) from text the project may train on.

Sources: ``other`` from everyday posts of the weibo2018 train split; ``complaint`` from the topic corpus composed
from the project's own seeds (:mod:`nlp.corpus`), the complaints of the development sample
(``nlp/corpus/labelled_sample.jsonl``), negative food-delivery and ChnSentiCorp reviews (the complaint register)
and letters composed from the phrases below; ``request``, ``inquiry`` and ``suggestion`` from those composed
letters; ``praise`` from positive reviews and composed thanks. The phrases were written for this project from
general knowledge of 12345 / 网络问政 letters, not from any data set.

The TipDM 网络问政 messages (``../shared/data/complaints``) are competition data, "development and evaluation
only": nothing here reads them for training (:func:`training_data` refuses), and :func:`evaluate_tipdm` measures
the model on all of them. smp2020 (research use only) is not used either.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from nlp.blind import dev_rows, message_text
from nlp.corpus import SEED_FILE
from nlp.datasets import SENTIMENT_SETS, _binary, _csv, data_dir
from nlp.message_type import DEFAULT_MODEL

SEED = 14
N_OTHER = 4000
N_REVIEW_NEG = 8000
N_REVIEW_POS = 500
N_LETTERS = 1500
#: Data that may only be used for development and evaluation: training refuses to read below these folders.
EVALUATION_ONLY = ("complaints",)

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


def _pick(rng: random.Random, xs: list[str]) -> str:
    return rng.choice(xs).replace("{area}", rng.choice(AREA))


def _letter(rng: random.Random, body: str, close: str) -> str:
    return _pick(rng, SALUTE) + _pick(rng, WHO) + body + close


def compose_letters(n: int = N_LETTERS, seed: int = SEED) -> dict[str, list[str]]:
    """Messages to officials of the five civic kinds, composed from the phrases above."""
    rng = random.Random(seed)
    problems = PROBLEMS + [p for ps in yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))["topics"].values()
                           for p in ps]
    kinds: dict[str, Callable[[], str]] = {
        "complaint": lambda: _letter(
            rng, _pick(rng, SETTING) + _pick(rng, SINCE) + "。".join(rng.sample(problems, rng.choice((1, 2, 2, 3))))
            + "。" + _pick(rng, EFFECT) + _pick(rng, HISTORY), rng.choice(DEMAND)),
        "request": lambda: _letter(
            rng, _pick(rng, SETTING) + _pick(rng, SINCE) + rng.choice(NEEDS) + "，"
            + _pick(rng, [*HISTORY[:3], "实在没有办法了。", "一家人的生活都受到了影响。"]), rng.choice(ASK_HELP)),
        "inquiry": lambda: _letter(
            rng, _pick(rng, SETTING[:6]) + rng.choice(ASK_CONTEXT) + rng.choice(ASK_OPEN)
            + "，".join(rng.sample(QUESTIONS, rng.choice((1, 1, 2)))), rng.choice(ASK_CLOSE))
        if rng.random() < 0.6
        else _letter(rng, rng.choice(ASK_CONTEXT[2:]) + rng.choice(QUESTIONS) + "？", rng.choice(ASK_END)),
        "suggestion": lambda: _letter(
            rng, _pick(rng, SETTING) + _pick(rng, [*EFFECT[:3], *SINCE[:3]]) + _pick(rng, PROPOSE_OPEN)
            + rng.choice(PROPOSALS), rng.choice(PROPOSE_CLOSE)),
        "praise": lambda: _letter(rng, _pick(rng, SINCE) + rng.choice(THANK_OPEN) + rng.choice(THANKS),
                                  rng.choice(THANK_CLOSE)),
    }
    return {k: [f() for _ in range(n)] for k, f in kinds.items()}


def _guard(path: Path) -> Path:
    """``path`` unless it lies in evaluation-only data (then ValueError)."""
    root = data_dir().resolve()
    for sub in EVALUATION_ONLY:
        if path.resolve().is_relative_to(root / sub):
            raise ValueError(f"{path} is evaluation-only data (../shared/data/README.md): not for training")
    return path


def training_data() -> tuple[list[str], list[str], list[float]]:
    """(texts, kinds, sample weights) for the model; never reads evaluation-only data."""
    from nlp.corpus import compose_corpus
    from nlp.evaluate import SAMPLE, load_sample
    from nlp.gazetteer import load_gazetteer
    from nlp.taxonomy import load_taxonomy

    rng = random.Random(SEED)
    texts: list[str] = []
    labels: list[str] = []
    weights: list[float] = []

    def add(xs: list[str], kind: str, w: float = 1.0) -> None:
        texts.extend(xs)
        labels.extend([kind] * len(xs))
        weights.extend([w] * len(xs))

    for kind, xs in compose_letters().items():
        add(xs, kind)
    topic_x, _ = compose_corpus(load_gazetteer(), load_taxonomy(), per_topic=80, seed=SEED)
    add(topic_x, "complaint", 0.7)
    sample = load_sample(_guard(SAMPLE))  # the development sample, written for the project (never the tests)
    add([r["text"] for r in sample if r["is_complaint"]], "complaint", 2.0)
    add([r["text"] for r in sample if not r["is_complaint"]], "other", 2.0)
    (wb_x, _), _ = SENTIMENT_SETS["weibo2018"].load()
    add(rng.sample(wb_x, min(N_OTHER, len(wb_x))), "other")
    d = data_dir() / "sentiment"
    for path, col, sep in ((d / "waimai_10k.csv", "review", ","), (d / "chnsenticorp_train.tsv", "text", "\t")):
        rx, ry = _csv(_guard(path), col, _binary, sep)
        neg = [t[:300] for t, y in zip(rx, ry, strict=True) if y == 0]
        pos = [t[:300] for t, y in zip(rx, ry, strict=True) if y == 1]
        add(rng.sample(neg, min(N_REVIEW_NEG // 2, len(neg))), "complaint", 1.0)
        add(rng.sample(pos, min(N_REVIEW_POS // 2, len(pos))), "praise", 0.7)
    return texts, labels, weights


def train_message_type(out: Path | None = None, c: float = 2.0) -> Path:
    """Fit and save the model; returns its path."""
    from sklearn.utils.class_weight import compute_sample_weight

    from nlp.train import fit_linear

    texts, labels, own = training_data()
    weights = compute_sample_weight("balanced", labels) * own
    model = fit_linear(texts, labels, n_max=2, c=c, sample_weight=weights)
    path = out or DEFAULT_MODEL
    model.save(path)
    return path


def in_heldout(key: str) -> bool:
    """The 30 % of TipDM messages an earlier model (trained on the rest) was measured on, kept for comparison."""
    import hashlib

    return int(hashlib.sha1(f"heldout:{key}".encode()).hexdigest()[:8], 16) % 10 < 3


def evaluate_tipdm(enricher) -> dict[str, Any]:
    """On all TipDM dev messages (no exact re-posts; none trained on): the share flagged as complaints, by
    category, on the earlier held-out 30 %, and the types."""
    from nlp.blind import message_key

    rows = [r for r in dev_rows() if r["exact_dup_of_other_row"] != "True"]
    fields = enricher.analyze([message_text(r) for r in rows])
    by: dict[str, list[bool]] = {}
    types: dict[str, int] = {}
    held: list[bool] = []
    for r, f in zip(rows, fields, strict=True):
        by.setdefault(r["一级标签"], []).append(bool(f["is_complaint"]))
        types[f["message_type"]] = types.get(f["message_type"], 0) + 1
        if in_heldout(message_key(r["留言主题"], r["留言详情"])):
            held.append(bool(f["is_complaint"]))
    flags = [x for v in by.values() for x in v]
    return {
        "n": len(rows),
        "is_complaint_rate": round(sum(flags) / max(1, len(flags)), 3),
        "heldout30_n": len(held),
        "heldout30_is_complaint_rate": round(sum(held) / max(1, len(held)), 3),
        "by_label": {k: round(sum(v) / len(v), 3) for k, v in sorted(by.items())},
        "types": types,
    }


def everyday_rate(enricher, limit: int = 2000) -> dict[str, Any]:
    """Share of held-out everyday Weibo posts (weibo2018 test split) flagged as complaints, and their types."""
    _, (texts, _) = SENTIMENT_SETS["weibo2018"].load()
    fields = enricher.analyze(texts[:limit])
    types: dict[str, int] = {}
    for f in fields:
        types[f["message_type"]] = types.get(f["message_type"], 0) + 1
    return {"n": len(fields), "is_complaint_rate": round(sum(f["is_complaint"] for f in fields) / len(fields), 3),
            "types": types}


def main(argv: list[str] | None = None) -> None:
    """``python -m nlp.message_type_train [--train] [--evaluate] [--model PATH]``: retrain, print the figures."""
    import argparse
    import json

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", action="store_true", help="retrain nlp/models/message_type.npz")
    ap.add_argument("--evaluate", action="store_true", help="blind sample, all TipDM messages, everyday Weibo")
    ap.add_argument("--model", type=Path, help="evaluate (or write) this model file instead of the shipped one")
    args = ap.parse_args(argv)
    if args.train:
        print(f"saved {train_message_type(args.model)}")
    if args.evaluate or not args.train:
        from nlp.blind import evaluate_blind
        from nlp.enrich import Enricher
        from nlp.message_type import MessageTypeClassifier

        e = Enricher(message_types=MessageTypeClassifier.load(args.model))
        blind = evaluate_blind(e)
        out = {"blind_sample": {k: v for k, v in blind.items() if k not in ("place_misses", "places_not_labelled")},
               "tipdm_all": evaluate_tipdm(e), "everyday_weibo": everyday_rate(e)}
        print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
