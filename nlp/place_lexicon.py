"""The word lists behind :mod:`nlp.mentions`: place suffixes by level, the words that end a stem, names that
are common nouns, and the small patterns for estates, schools, groups and stations."""

from __future__ import annotations

import re

from core.model import PlaceLevel

#: Trades that name a firm or shop after a name of its own (楚华塑业, 金熊汽修, 读书时间网吧, 通达物流, 天润实业).
TRADES = ("网吧 汽修 美发 物流 化工 塑业 矿业 蜡业 纸业 木业 建材 "
          "实业 置业 药业 酒业 铝业 锑业 钢业 瓷业 茶业 印务 铁艺 科技 教育 传媒 水泥 物业")

#: Shops and services by a name of their own and a kind the suffix words above do not hold (金井批发部, 宏泰经营部,
#: 兴旺门市部, 丽人美容工作室, 谢氏足部保健中心, 金太阳托管中心).
SHOP_KINDS = "批发部 经营部 门市部 工作室 美容院 养生馆 保健中心 托管中心 培训中心"

# suffix → level; longest first when matched
SUFFIXES: dict[str, PlaceLevel] = {}
for _level, _words in (
    (PlaceLevel.ROAD, "路 街 大道 大街 公路 巷 弄 胡同"),
    (PlaceLevel.COMPOUND, "小区 新村 新苑 花园 公寓 家园 苑 华庭 山庄 家属区 家属院 家属楼 宿舍区 安置区 公租房 "
                          "廉租房 棚户区"),
    (PlaceLevel.COMMUNITY, "村 社区 居委会 居委 村委会 村委 铺"),
    (PlaceLevel.TOWN, "街道 镇 乡"),
    (PlaceLevel.MARKET, "市场 菜场 菜市场 农贸市场 集贸市场 商场 超市 商城 批发市场"),
    (PlaceLevel.LANDMARK, "广场 公园 景区 学校 体育场 体育馆 小学 中学 大学 学院 幼儿园 医院 卫生院 诊所 酒店 "
                          "宾馆 饭店 药房 药店 旅行社 照相馆 照像馆 火车站 汽车站 客运站 地铁站 高铁站 公交站 "
                          "码头 大桥 桥 高中 店 馆 厂 新区 片区 公司 有限公司 集团 集团有限公司 股份有限公司 "
                          "有限责任公司 集团公司 "
                          "大酒店 水库 工业园 工业园区 产业园 科技园 开发区 林场 农场 矿区 填埋场 大厦 会所 古镇 "
                          "河堤 大堤 度假区 旅游区 风景区 故里 加油站 车站 驿站 收费站 服务区 大药房 "
                          "驾校 液化气站 加气站 派出所 动物园 植物园 游乐园 风光带 剧团 "
                          "养老院 敬老院 福利院 健身房 健身中心 洗浴中心 营业厅 写字楼 售楼部 售楼处 "
                          "KTV ktv 托管班 早教中心 体检中心 快递网点 停车场 停车库 " + SHOP_KINDS + " " + TRADES),
):
    for _w in _words.split():
        SUFFIXES[_w] = _level


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


SHOP_KIND_WORDS = _words(SHOP_KINDS)
BY_LEN = sorted(SUFFIXES, key=len, reverse=True)
SUFFIX_RX = re.compile("|".join(map(re.escape, BY_LEN)))
#: National chains named alone (在苏宁买的电视, 红星美凯龙买的沙发, 纳爱斯排放的气味): stores and works with a
#: building one complains of. Not a brand that is also a common word, idiom or name (物美, 步步高, 王府井, 华莱士), nor
#: a car make (比亚迪: the car), nor one jieba does not know as a word (银泰, 通程: inside people's names).
CHAIN_BRANDS = tuple(sorted(_words("""
苏宁易购 苏宁 国美电器 国美 红星美凯龙 居然之家 宜家 沃尔玛 家乐福 大润发 华润万家 永辉 欧尚 麦德龙 山姆会员店 友阿
新一佳 家润多 麦当劳 肯德基 必胜客 德克士 汉堡王 星巴克 海底捞 富士康 纳爱斯 三一重工 中联重科
"""), key=len, reverse=True))
#: A firm's registered name holding its city in brackets (中油中泰（J市）天然气有限公司, 中石化（长沙）石油有限公司);
#: :func:`nlp.mention_cues._bracketed_firms` checks the bracket names a place and no verb follows it.
BRACKETED_FIRM = re.compile(r"([\u4e00-\u9fff]{2,8})[（(]([A-Z]\d*[市县区]|[\u4e00-\u9fff]{2,3}[省市县区]?)[）)]"
                            r"([\u4e00-\u9fff]{0,10}?)(?:有限责任公司|股份有限公司|有限公司|分公司|公司)")
#: A telecom operator named after its city or county or 中国 (B市移动, K市联通, 中国电信): its local branch.
OPERATOR = re.compile(r"(?:中国|(?<![A-Za-z0-9])[A-Z]\d*[市县区])(?:移动|联通|电信)"
                      r"(?!支付|互联|通信|网络|端|硬盘|电源|诈骗|执法|摊|公厕|厕所|办公|电话|警务|医疗|设备|终端|式)")
#: Estate names without a suffix word are recognised by what follows them (嘉悦城业主, 汇金城二期, 凯旋城16栋).
ESTATE_END = re.compile(
    r"(?:城|园|府|湾|庭|居|郡|公馆|国际|名邸|花都|一品|名流汇)"
    r"(?=(?:\d+|[一二三四五六七八九十]+)(?:期|栋|幢|号楼|单元)|业主|楼盘|小区|项目|住户|工地|的[\u4e00-\u9fff]{0,2}业主|的住户|"
    r"的房子|[东南西北]面|附近|旁边|对面|门口)"
)
#: What follows an estate or project named without a suffix word (蓝湖郡的房子, 萌宠小镇项目, 江山一品25栋).
_ESTATE_CONTEXT = (r"(?=小区|业主|楼盘|项目|开发商|物业|住户|工地|的房子|的业主|的住户|的开发商|"
                   r"(?:[A-Z]?\d+|[一二三四五六七八九十]+)(?:期|栋|幢|号楼|单元))")
#: Such a name right after a (masked) city, district or county (G市蓝湖郡的房子) or in quotes (“蓝湖郡”业主).
NAMED_AFTER_ADMIN = re.compile(r"(?<=[A-Z]|\d)(?:市|区|县)([\u4e00-\u9fff]{2,7}?)" + _ESTATE_CONTEXT)
#: A firm, school or site after a city, district or county and before what is wrong with it (K市锦络电子环评,
#: D10县洪桥一中违规收费): a complaint names its subject there.
NAMED_BEFORE_PROBLEM = re.compile(
    r"(?<=[A-Z]|\d)(?:市|区|县)([\u4e00-\u9fff]{2,7}?)"
    r"(?=违规|违法|乱收费|拖欠|欠薪|噪音|扰民|污染|排污|偷排|环评|停工|烂尾|延期交房|逾期交房|虚假宣传|强制|克扣|"
    r"存在|无证|非法|欺诈|霸占|侵占|推销|乱搭|乱建|油烟|质量问题|不作为|收取|强行|擅自|私自)")
#: A clause that opens with a name and says where it lies (金媚印刷位于320国道…, XX古建筑群坐落于…).
NAMED_BEFORE_LOCATED = re.compile(
    r"(?:^|(?<=[，。！？\n；：、（(）)\s]))([\u4e00-\u9fff]{2,10}?)(?=位于|坐落于|坐落在|地处)")
NAMED_IN_QUOTES = re.compile(r"[“「\"]([\u4e00-\u9fff]{2,8})[”」\"]" + _ESTATE_CONTEXT)
#: Ordinal schools after a place prefix: K8县一中, 宝山区二中.
#: What follows 一中 … 十中 when it is no school (一中心, 二中全会, 三中间, 六中午, 一中等, 二中学生 …).
ORDINAL_NOT_AFTER = "心国央间午文医药级等专学"
ORDINAL_SCHOOL = re.compile(
    r"(?:[A-Z]\d*|[\u4e00-\u9fff]{2,4})(?:市|县|区|镇)([一二三四五六七八九十]{1,2}中(?![" + ORDINAL_NOT_AFTER + r"])"
    r"|[一二三四五六七八九十]{1,2}(?:完小|小)(?![\u4e00-\u9fff])|[一二三四五六七八九十]{1,2}(?:完小|小)"
    r"(?=的|校|老师|学生|门口|附近|旁边|违规|乱|强制|要求|食堂|操场|读书|上学|就读|读))"
)
#: Numbered vocational schools after a place prefix: C4市一职, 宝山区二职 (not 一职工).
ORDINAL_VOCATIONAL = re.compile(
    r"(?:[A-Z]\d*|[\u4e00-\u9fff]{2,4})(?:市|县|区)([一二三四五六七八九十]{1,2}职)(?![工业位务称责能员权场])"
)
#: Ordinal schools named after their town without its 镇, right after a masked county: D10县洪桥一中.
TOWN_ORDINAL_SCHOOL = re.compile(
    r"(?<=[A-Z]|\d)(?:市|县|区)([\u4e00-\u9fff]{2}[一二三四五六七八九十]中)(?![" + ORDINAL_NOT_AFTER + r"])"
)
#: A public facility named by the place it serves: L市火车站, D10县中心小学, 河洲镇中心小学, K9县人民医院,
#: K市第三医院, 泷泊镇卫生院, 河洲镇中学, A市博物馆.
ADMIN_FACILITY = re.compile(
    r"((?:[A-Z]\d*(?:市|县|区|州))+|[\u4e00-\u9fff]{2,3}(?:市|县|镇|乡))"
    r"(中心小学|中心学校|中心幼儿园|中心卫生院|中心医院|人民医院|中医院|妇幼保健院|火车站|汽车站|高铁站|客运站|[东南西北]站"
    r"|第?[一二三四五六七八九十]{1,2}(?:人民)?医院|卫生院|博物馆|图书馆|文化馆|科技馆|体育馆|殡仪馆"
    r"|(?:初级中学|高级中学|中学|小学|幼儿园|中心完小|完小)(?![生部段])"
    r"|(?:自来水|供水|燃气|天然气|煤气|供电|电力|热力|公交|木材|航运|副食品|物资|粮食|烟草|盐业)(?:有限)?公司"
    r"|(?:职业技术|职业|技工|卫生|师范|民族|外国语|实验)(?:学校|学院|中学|小学|中专)(?![生部段])"
    r"|第[一二三四五六七八九十]{1,3}(?:高级中学|初级中学|中学|小学)(?![生部段]))"
)
#: A hospital or school named as a university's or a college's affiliate (南华大学附一医院, 医药学院第一附属医院,
#: 楚雅附二医院, 附属南华医院, 师院附属中学): its owner's name, read leftwards, and the affiliate make one place.
AFFILIATED = re.compile(r"(?:第[一二三四五六七八九十]附属|附属第?[一二三四五六七八九十]?|附[一二三四五六七八九])"
                        r"(?:[\u4e00-\u9fff]{2})?医院|附属(?:中学|小学|实验学校|学校|幼儿园)")
#: A building phase names an estate without its suffix word (东方美景二期, 锦绣城三期).
PHASE = re.compile(r"(?:[一二三四五六七八九十]|\d{1,2})期(?![间限刊货末中初待望满工])")
#: Endings of estate names that carry no suffix word (江山华府, 东湖湾, 中央公馆, 锦绣天地): a name with one of them
#: counts as an estate where its context says so (住在 …, 家住 …, … 业主).
ESTATE_WORDS = tuple(sorted(_words("""
华府 首府 府邸 府 湾 庭 居 里 郡 公馆 名邸 一品 国际 广场 中心 天地 时代 名都 名城 新城 上城 城 园 公元 世家 印象
壹号 名门 豪庭 水岸 名流汇 花都 帝景 御景 小镇
"""), key=len, reverse=True))
#: Of those, the endings that are also common words or locatives (城里, 宿舍里, 市中心, 新时代): the name before
#: them must hold a word of its own, or a masked district must precede it.
WEAK_ESTATE_WORDS = _words("里 中心 广场 城 园 居 庭 国际 时代 天地 印象 世家 新城 上城 名城 水岸 公元 花都 小镇")
#: An estate's name by its ending and what follows it (金色时代项目, 锦绣天地的业主, 滨江首府3栋, 阳光水岸交房):
#: owners, projects, sites, blocks (54、55栋), house handovers and purchases (购房) belong to estates.
ESTATE_BY_ENDING = re.compile(
    "(" + "|".join(sorted(ESTATE_WORDS, key=len, reverse=True)) + ")"
    r"(?=业主|楼盘|项目|住户|工地|开发商|物业|交房|烂尾|房产证|电梯|业委会|的业主|的住户|的房子|的开发商|的物业|的电梯|"
    r"(?:的)?一名业主|购房|买房|购买了?一套|买了一套|"
    r"(?:[A-Z]?\d+[，,、和])*(?:[A-Z]?\d+|[一二三四五六七八九十]+)(?:期|栋|幢|号楼|单元|座))"
)
#: Where a resident says where they live or what they bought (家住, 住在, 购买了, 开发的): the name that follows,
#: up to a stop or 的房子 / 业主 / 小区, is an estate (家住D3区国能首郡，); a masked city or district may come first.
DWELLING = re.compile(
    r"(?:(家住|住在|居住在|居住于|住于|入住|入住了|搬进|搬进了|居住小区|小区名叫|小区名为|小区叫)"
    r"|买了|购买了|购买的是|开发的|开发建设的|承建的|小区|楼盘|(?<=[A-Z]|\d)[市区县州])"
    r"((?:[A-Z]\d*(?:市|区|县|州))*)([\u4e00-\u9fff]{2,8}?)"
    r"(?=[，。,;；！!？?\s（(“”、：:]|的房|的业主|的住户|的开发商|的物业|业主|住户|小区|$|"
    r"(?:[A-Z]?\d+|[一二三四五六七八九十]+)(?:期|栋|幢|号楼|单元|座))"
)
#: Estates listed before 等楼盘 / 等小区 (水木天成、澜湾、一品江山等楼盘): each item is an estate.
ESTATE_LIST = re.compile(r"((?:[\u4e00-\u9fff]{2,6}[、，,])+[\u4e00-\u9fff]{2,6}?)等+(?:楼盘|小区|项目)")
#: Developers whose brand opens an estate's name (恒大名都, 碧桂园江山一品): the brand, a few characters and a
#: phase, block or owner word after it make an estate even where jieba cuts the name apart (恒|大名|都|三期).
DEVELOPERS = tuple(sorted(_words("""
碧桂园 恒大 万科 保利 融创 龙湖 华润 万达 世茂 富力 雅居乐 旭辉 荣盛 蓝光 阳光城 佳兆业 奥园 宝龙 华侨城 泰禾 鲁能
金茂 绿城 海伦堡 中骏 新鸿基 中海 金地
"""), key=len, reverse=True))
_PHASE_OR_BLOCK = r"(?:第?(?:\d{1,2}|[一二三四五六七八九十]{1,2})期|(?:\d+|[A-Z])(?:栋|幢|号楼|单元|座|区))"
BRANDED = re.compile(
    "(" + "|".join(DEVELOPERS) + r")([·•][\u4e00-\u9fff]{2,6}?|[\u4e00-\u9fff]{0,6}?)(" + _PHASE_OR_BLOCK + r"?)"
    r"(?=业主|楼盘|项目|小区|住户|的房子|的业主|的住户|物业|开发商|购房|购买|买房|[，。,;；！!？?\s）)]"
    r"|(?:\d+|[A-Z])(?:栋|幢|号楼|单元|座))"
)
#: Words that make a developer's name a firm, not an estate (恒大集团, 万科物业).
BRANDED_NOT = ("集团", "地产", "置业", "物业", "公司", "开发", "房产", "旗下", "老板", "总部", "企业", "股份")
#: Numbered highways and rural roads (207国道, 国道207线, G207, S212省道, 省道Ｓ２１４线, X041县道, 乡道Y203): a
#: national (G), provincial (S), county (X) or township (Y) road and its number; a bare code only with three
#: digits and not as part of a longer code, a model number or a masked place (G8县, HG7205, G25栋).
_ALNUM = "A-Za-z0-9Ａ-Ｚａ-ｚ０-９"
_HW_LETTER = "GSXYgsxyＧＳＸＹｇｓｘｙ"
_HW_KIND = "国道|省道|县道|乡道"
_HW_CODE = rf"(?<![{_ALNUM}])[{_HW_LETTER}][0-9０-９]{{1,4}}(?![{_ALNUM}])"
_HW_NUM = rf"(?<![{_ALNUM}])[0-9０-９]{{2,3}}(?![{_ALNUM}])"
HIGHWAY = re.compile(
    rf"(?:{_HW_KIND})\s*(?:{_HW_CODE}|{_HW_NUM})线?"
    rf"|{_HW_CODE}\s*(?:{_HW_KIND}|高速公路|高速|公路|线)"
    rf"|{_HW_NUM}\s*(?:{_HW_KIND})"
    rf"|(?<![{_ALNUM}])[{_HW_LETTER}][0-9０-９]{{3}}(?![{_ALNUM}])(?![市县区州栋幢号楼层室座单元期型款次班车])"
)
#: A cheap test whether a text can hold a numbered road at all (the full pattern is slow to scan).
HIGHWAY_HINT = re.compile(rf"[国省县乡]道|[{_HW_LETTER}][0-9０-９]")
#: The letter of each kind of numbered road (国道207线 and G207 are one road).
HIGHWAY_LETTER = {"国道": "G", "省道": "S", "县道": "X", "乡道": "Y"}
#: Villages' groups (组) only right after a village: 王木村王木组, 滨湖村胡家组.
GROUP = re.compile(r"村[，,、\s]?((?:(?![的了在是和与民委干里曾同本该各每全])[\u4e00-\u9fff]){1,3}组"
                   r"|[一二三四五六七八九十\d]{1,3}组)(?![团织合员])")  # not 村民曾组团, 村委组织
#: A bare 站 names a station only after 从/到/在/至 (从大丰站出发).
STATION = re.compile(r"(?<=[从到在至往经])([\u4e00-\u9fff]{2,4}?)站(?![长点务台])")
LOCATIVE = re.compile(r"内|里|门口|路口|旁|附近|入口|出口|边|对面|转弯|周边|西侧|东侧|南侧|北侧|[东南西北]门|一带")
ROAD_WORDS = frozenset(["路上", "路边", "路旁", "路段", "路面", "路口", "街上", "街边", "街头", "街道上"])
#: Words that say where something is, not which (路边|超市, 楼上|KTV, 隔壁|托管班): no name before a strict kind.
BESIDE = _words("路边 街边 马路边 楼上 楼下 旁边 附近 门口 对面 隔壁 周边 身边")
NOT_STATIONS = ("加油", "治超", "防疫", "车", "网", "基", "服务", "上", "下", "里", "边", "旁")  # 在河边上|站
LANE = re.compile(r"\s*\d+\s*(?:弄|号)(?:\s*\d+\s*(?:号|支弄))?")
COUNTED = re.compile(r"^[\d一二两三四五六七八九十几百千万数多]+[步里米条段公个座所家]"
                     r"|^[一二两三四五六七八九十几]大(?![道街桥])")  # 三大农贸市场, 五大林场 (not 三一大道)
HAN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
ADMIN_TOKEN = re.compile(r"^(?:[A-Z]\d*|[\u4e00-\u9fff]*(?:省|市|区|县|州))$")
ADMIN_ONE = set("省市区县镇乡村")
#: Words that end a stem on its left (function words, locatives, discourse words, generic qualifiers).
STOP_WORDS = _words("""
段时间 段日子 阵子
在 到 去 从 于 和 与 跟 的 了 是 个 我 你 他 她 它 们 这 那 就 都 也 还 又 被 把 让
给 对 向 往 说 要 有 住 及 或 等 为 因 由 至 经 过 将 以 并 而 且 但 如 若 则 即 乃
之 其 此 该 本 各 某 每 全 整 所 一 个 条 座 所 栋 号 处 片 带 位于 位置 地处 家住 附近 周边
旁边 对面 隔壁 门口 楼下 后面 前面 里面 外面 一带 地区 区域 一些 那些 这些 一个 这个 那个 我们
你们 他们 咱们 本人 大家 居民 业主 住户 市民 村民 农民 群众 百姓 老百姓 家长 学生 孩子 小孩 老人
比如 比方 例如 包括 以及 还有 就是 也是 或者 而且 但是 可是 因为 所以 如果 虽然 通过 关于 对于
根据 按照 公立 私立 民办 公办 示范 重点 普通 正规 大型 小型 周围 城区 农村 城市 城镇 乡镇 乡村
当地 本地 外地 全市 全县 全区 全省 全国 各地 各级 各类 这所 那所 一所 一家 这家 那家 所在 所有
其他 其它 最近 硬化 入户 历史文化 县城 市区 校区 今天 昨天 晚上 早上 每天 一条 两条 这条 那条
其中 某些 部分 大部分 一部分 多个 几个 两个 许多 很多 不少 新建 在建 已建 原来 原先 以前 现在
目前 今年 去年 明年 住宅 商品房 安置 保障性 老旧 老 新 大 小 高档 附属 所属 相关 有关 政府
部门 单位 公司 分公司 支公司 企业 学校 医院 小区 市场 街道 社区 居委会 村委会 反映 投诉 举报 您 请 请问 咨询
希望 要求 建议 恳请 强烈 严重 影响 成立 维护 征求 开发 建设 加强 整顿 解决 确保 留言 变成 成为
当时 上午 下午 中午 凌晨 夜里 夜间 平时 近日 近年 以后 之前 之后 同时 刚才 最后 当天 每年 每月
期间 北起 南至 东起 西至 示范性 区内 市内 县内 镇内 境内 省级 市级 县级 今晚 今早 明天 后天
昨晚 距离 伴随 后 前往 红绿灯 信号灯 全体 广大 整个 楼盘 代表 无法 不能 可以 公交车 公交
众多 全日制 自然 行政 高层 多层 乡下 汇报 倡议 原籍 原藉 山区 私人 座落在 坐落在 坐落于 座落于
状告 规定 产生 利用 规范 祸害 掌控 导致 造成 涉及 前来 过来 起诉 控告 投诉了 举报了 打击 整治 治理
申请 交由 多谢 感谢 谢谢 承包 承包经营 兴建 现有 上级 领导 上级领导 临街 指导 植树 绿化 某村 某镇 某某
时候 报告 错失 很好 外围 高级 偏远 直属 规划
同一 一样 开放性 开放型 封闭式 普惠 普惠性 配套 民营 本身 主管 又称 转院 实际 借口 应属 天黑 结冰 甲方 乙方 情况
各个 权威 人口密集 住房 科普
""")
#: One-character words that never begin a name: cut off the front of a mention (而, 见, 非 …).
#: Endings of a river's name: a water that flows (杨家浜, 捞刀河), not a lake or a hill; the suffix reader, the waters'
#: reader and the tagger's names give these one level (``river``).
RIVER_ENDS = ("河", "江", "浜", "港", "塘", "泾")
LEAD_ONE = frozenset("而见非在到从对向把被给让将于和与跟及或即由经往至距离据像当内用时原可入级")
#: Words that jieba joins onto a place suffix (小区业主, 小区门口): the suffix still ends a place there.
AFTER_PLACE = _words("业主 居民 住户 物业 门口 大门 楼下 内 里 附近 旁边 周边 校长 老师 教师")
#: Parts of speech that end a stem (words of two characters or more).
NOT_NAME_POS = ("v", "d", "p", "c", "u", "r", "q", "y", "e", "o", "a", "m", "l")
VERB_BEFORE = "进去到回出入下上谋走"
VERB_ONE = frozenset("上下进去到来回住买找叫称在是有让读念办开现走吐看猜祝跑坐骑拿送接离距谈讲问聊做"
                     "系堵挡拦绕迷赶抢收变搞")
NOT_NAME_POS_ONE = ("p", "c", "u", "r", "d", "y", "e", "o")  # single characters
#: Words that belong to names although their part of speech says otherwise (星城实验小学, 第一中学).
NAME_WORDS = _words("""
实验 一里 二里 三里 四里 五里 六里 七里 八里 九里 十里
第一 第二 第三 第四 第五 第六 第七 第八 第九 第十 外国语 师范 附属 育才 育英 希望 和平
幸福 团结 胜利 解放 建设 光明 红旗 复兴 振兴 繁荣 新华 人民 民主 文化 阳光 春天 明珠 跃进 光复
东方 南方 西方 北方 中央 五一 七一 八一 十一 前进 青年
""")
#: Name words that are verbs of moving, and the words before them that make them the verb again (往|前进|小区,
#: 队伍|前进|广场: going on, not 前进小区).
MOVING_NAME_WORDS = frozenset(["前进"])
MOVING_BEFORE = _words("往 向 朝 继续 一起 勇往 奋勇 大步 不断 齐步 队伍 一路 跟着")
#: Suffixes that are also common nouns (建筑市场, 合格学校, 生态公园): the word before them must not be a common noun
#: unless an administrative prefix comes right before (F5县北门市场, K9县中心医院).
STRICT = _words("""
高中
公路 市场 商城 商场 学校 体育场 体育馆 大学 学院 公园 景区 医院 广场 中学 小学 幼儿园 超市 码头 大桥 诊所 药房
药店 公寓 工业园 产业园 开发区 新区 片区 店 馆 厂 公司 有限公司 集团 集团有限公司 股份有限公司 有限责任公司
集团公司 度假区 旅游区 风景区 故里 加油站 车站 驿站 收费站 服务区 大药房 驾校 液化气站 加气站 派出所
庙 寺 殿 塔 故居 祠堂 动物园 植物园 游乐园 风光带 剧团 棚户区
KTV ktv 托管班 早教中心 体检中心 快递网点
养老院 敬老院 福利院 健身房 健身中心 洗浴中心 营业厅 写字楼 售楼部 售楼处
""" + SHOP_KINDS + " " + TRADES)
#: Offices and authorities (城管局, 住建委, 执法队): no places.
UNIT_ENDS = ("局", "委", "办", "厅", "队", "部", "处", "政府", "中心", "部门", "单位", "公安", "城管", "交警", "法院")
#: Words that end no firm's name before a problem word (实验小学老师违规, 小镇项目停工: people, projects).
NOT_FIRM_END = _words("老师 教师 校长 领导 员工 工人 医生 护士 人员 工作人员 保安 老板 经理 负责人 职工 司机 "
                      "项目 工程 工地")
#: Words after a trade that is a common word that keep it a firm's (华星科技|员工, 博雅教育|学费, 新星教育|机构):
#: its people, its money, the body it is.
AFTER_FIRM = NOT_FIRM_END | _words("学费 费用 收费 工资 培训费 机构 集团 公司 学校 门店 校区 总部 分公司 培训班")
#: Words the dictionary calls places or names that do not name a school (礼拜学校, 普通高中学校).
SCHOOL_NOT_NAME = _words("礼拜 普通高中 义务教育 外地 本地 城区 乡镇 农村")
#: Shops and works (三禾烧烤店, 权健火疗馆): a name of their own before the trade word, else no place.
FIRM = _words(f"店 馆 厂 公司 有限公司 集团 集团有限公司 股份有限公司 有限责任公司 集团公司 {SHOP_KINDS} {TRADES}")
#: Trades that name a firm or shop after a name of its own (楚华塑业, 金熊汽修, 读书时间网吧, 通达物流).
TRADE_SUFFIXES = _words(TRADES)
#: Of those, the trades that are common words (职业教育, 高新科技, 水泥路): only after a name of its own, a word jieba
#: does not know or a person's or firm's name (天普教育, 蓝思科技, 裕华水泥; not 中小学教育, 中国教育, 下半年教育).
WEAK_TRADES = _words("科技 教育 传媒 水泥 物业")
#: Last characters of a word that makes a trade word part of a longer name (建材|管理站, 物流|公司, 化工|企业,
#: 石油化工|大学, 化工|学院).
LONGER_NAME_ENDS = frozenset("站司场厂局所部心会业处队行园店城团学院校")
#: A trade word joined to another before an association's or school's kind (中国物流|与|采购联合会).
JOINED_NAME = re.compile(r"[与和及][\u4e00-\u9fff]{1,8}?(?:联合会|协会|学会|研究会|商会|大学|学院|学校|研究院|研究所)")
#: Words that make a kind of trade, not a firm's name (冷链物流, 电竞网吧, 跨境电商物流).
TRADE_QUALIFIERS = _words("冷链 电竞 电商 跨境 快递 同城 仓储 智慧 智能 现代 绿色 网络 连锁 国际 冷冻 危化 精细 "
                          "石油 煤 盐 黑 无证 非法 正规 小 大 高端 社区 农村 城乡 乡镇 传统 新型 家装 装修 "
                          "网红")
COMPANY = _words("公司 有限公司 集团 集团有限公司 股份有限公司 有限责任公司 集团公司")
#: Trades that jieba tags as verbs, adjectives or names but that a firm's name holds between its own name and 公司
#: (顺丰|快递|公司): there they are trade words.
VERB_TRADES = _words("快递 装修 开发 租赁 配送 维修 安装 清洗 搬家 出租 制造 开采 包装 保洁 代驾 搬运 回收 拆除 拆迁 "
                     "洗涤 养护 疏通 开锁 装卸 屠宰 种植 治理 拍卖 典当 担保 理财 派遣 美发 按摩 足浴 婚庆 殡葬 搅拌 "
                     "爆破 钻探 排水 供暖 通讯 出版 养老 托管 健身 驾培 安防 防水 涂装 焊接 铸造 冶炼 采矿 造纸")
#: Whole names that are common nouns, not places.
GENERIC = _words("""
动物园 植物园 游乐园 镇乡 金字塔 象牙塔 宫殿 寺庙 庙宇 大殿 殿堂 铁塔 水塔 电塔 灯塔 信号塔 通信塔 发射塔 石窟寺
小区 新村 花园 公寓 家园 街道 社区 居委 市场 菜场 菜市场 农贸市场 广场 公园 小学 中学 大学 学院
学校 幼儿园 医院 卫生院 诊所 马路 道路 公路 大路 小路 大道 大街 小街 街 路 巷 村 镇 乡 超市
商场 酒店 宾馆 饭店 药房 药店 码头 大桥 水泥路 柏油路 高速公路 人民医院 中心医院 中医院 妇幼保健院
卫生室 小卖部 集镇 城乡 家乡 下乡 老乡 农村 乡村 村庄 新农村 美丽乡村 特色小镇 小城镇 快速路 名村
古村 文化广场 体育场 高速路 国道 省道 县道 乡道 村道
青年公寓 青年驿站 青年农场 青年旅舍 青年旅社 青年之家
度假村 城中村 空心村 贫困村 癌症村 中心村 新型农村 一条街 康复医院 建制镇 建制村 高楼大厦 国家历史文化名村
重点镇 省级重点镇 移民建镇 平层公寓
维权路 收费路 上学路 回家路 求学路 人生路 成长路 回乡路 致富路 扶贫路 人行道 盲道 车道 步行街
商业街 老街 夜市 菜市 早市 集市 居民小区 住宅小区 商品房小区 安置小区 老旧小区 职工宿舍 家属区
家属院 宿舍区 安置区 公租房 廉租房 民办学校 公办学校 天桥 长路 公交站 车站 自然村 行政村 水库 工业园 工业园区
产业园 科技园 开发区 新区 片区 林场 农场 矿区 填埋场 大厦 会所 古镇 垃圾填埋场 写字楼大厦 国有林场 商务大厦
个体诊所 客运汽车站 经济开发区 旅游景区 专科医院 临街 历史文化名村 中国历史文化名村 公立医院 乡镇中心幼儿园
高铁站 火车站 汽车站 客运站 地铁站 中心卫生院 中心小学 中心学校 实验小学 实验中学 山村 小山村 洗砂厂 砖厂
水泥厂 化工厂 纸厂 造纸厂 自来水厂 水厂 公交站 体育场 体育馆
沥青路 砂石路 石子路 泥巴路 土路 机耕路 度假区 旅游区 风景区 旅游度假区 风景名胜区 故里
加油站 驿站 收费站 服务区 大药房 驾校 液化气站 加气站 派出所
KTV ktv 托管班 早教中心 体检中心 快递网点
养老院 敬老院 福利院 健身房 健身中心 洗浴中心 营业厅 写字楼 售楼部 售楼处
""")
#: Industrial and development parks, and the trade words between their name and the park word (马坪农业开发区).
PARKS = _words("开发区 工业园 工业园区 产业园 科技园 新区 度假区 旅游区 风景区")
PARK_TRADES = _words("农业 经济 工业 高新 高新技术 科技 生态 物流 旅游 经济技术 现代农业 产业 创业 电子 化工")
MAX_STEM = 8
