"""Reading a place name leftwards from its suffix: the :class:`RawMention` record, token spans, where a stem
starts, the cuts that trim function words and common words off a name's front, and whether a school's or a
company's stem is a name of its own."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import pairwise

from core.model import PlaceLevel
from nlp.place_lexicon import (
    ADMIN_ONE,
    ADMIN_TOKEN,
    AFTER_FIRM,
    BESIDE,
    COMPANY,
    GENERIC,
    HAN,
    LEAD_ONE,
    MAX_STEM,
    MOVING_BEFORE,
    MOVING_NAME_WORDS,
    NAME_WORDS,
    NOT_FIRM_END,
    NOT_NAME_POS,
    NOT_NAME_POS_ONE,
    PARK_TRADES,
    PARKS,
    SCHOOL_NOT_NAME,
    SHOP_KIND_WORDS,
    STOP_WORDS,
    STRICT,
    SUFFIXES,
    TRADE_SUFFIXES,
    VERB_ONE,
    VERB_TRADES,
)
from nlp.postags import pos_table
from nlp.segment import default_segmenter

#: Parts of speech of words that begin no name (verbs, adverbs, pronouns, conjunctions, idioms, times, locatives).
_FRONT_POS = ("v", "d", "p", "c", "r", "l", "i", "t", "f")
#: Words that end another place or an office and so begin no name of the place after them (二环路|金色夏威夷小区,
#: 检察院|东来苑, 政务中心|逸云路): the place named last is the one meant.
_SIDE = re.compile(r"^(?:[东南西北](?:靠|连|邻|接|临|抵|至|起|为|到)|毗邻|紧邻|相邻|邻近|靠近|紧靠|临近|紧挨|挨着)")
_BARE_KIND_POS = ("d", "p", "c", "r", "u", "t", "s")  # 不再|火车站: no name before a bare kind
#: Locatives (tagged f) that name no place before a bare kind (以上|医院); 沿江|大道, 沿海|大道 (also f) do.
_BARE_LOCATIVES = frozenset(["以上", "以下", "以内", "以外", "附近", "周边", "周围", "前面", "后面", "中间", "里面",
                             "外面", "旁边", "对面", "上面", "下面", "之间", "之内", "之外", "当中", "其中"])
_TIME_CHARS = frozenset("年月日天时今昨明后前当近现原曾将以之间早晚午夜正在")
#: Endings of a word that closes what comes before a name (大大的|商店, 交通厅|下文被告公路); 地 too, unless the word
#: is a name (慢慢地, not 新天地).
_ENDS_BEFORE_NAME = ("的", "了", "厅", "局", "委", "办事处", "所", "政府", "路口", "交叉口", "交汇处")
#: One-character places a station is named after (顾家|桥|地铁站, 7号线|杨家|湾|站).
STATION_PLACE_ONE = frozenset("桥湾村庄浜泾港塘")
#: A demonstrative or count and its measure word (整条|路, 这段|路, 那家|店): which one, not its name.
WHICH_ONE = re.compile(r"[这那哪整一半每该][条段片个座栋间家所处位]")
#: A measure word on its own after a demonstrative or count (那|家|鑫鑫理发店), and 趟 after 了 (去了|趟|滨江森林公园;
#: not 上了|位育中学, 去了|次坞镇: names that open with a measure word).
_MEASURE_ONE = frozenset("条段片个座栋间家所处位趟次")
_BEFORE_MEASURE = frozenset("这那哪整一半每该两几某此其")
#: Institutions whose names hold a trade word (长沙科技大学, 西地省化工学院, 天润化工厂).
_NAMED_BY_TRADE = frozenset(["大学", "学院", "学校", "研究院", "研究所", "厂", "公司", "有限公司", "集团"])
#: People a letter speaks for or about, glued to the front of a place's name (学生家长|藕塘小学, 全体村民|黄竹村).
_PEOPLE = ("家长", "学生", "老师", "村民", "居民", "业主", "员工", "工人", "职工", "群众", "百姓", "同学", "孩子",
           "住户")
_FRONT_PLACES = ("路", "街", "院", "局", "委", "所", "中心", "单位", "部门", "区", "场", "厂")


#: Stations and shops whose word before them must be a name of their own (not 旧加油站, 东门车站, 中石化加油站).
_SHOPS_AND_STATIONS = frozenset(["车站", "加油站", "加气站", "液化气站", "公交站", "驿站", "药店", "药房", "店", "超市",
                                 "诊所", "饭店", "酒店", "宾馆"])
#: One-character adjectives of age or size right before such a kind word (旧加油站, 老车站): no name.
_OLD_NEW = frozenset("旧新老小大破废")
#: A day, week or month said relative to now (周六, 星期三, 上周, 昨晚, 这个月, 周末) and a pointer or count before a
#: kind word (同一个, 另一个, 每座, 那条): they say when or which one, never a place's name (周六|社区, 同一个|村).
#: A bare 周 stays a name's (周|村: the family's village).
WHEN_OR_WHICH = re.compile(r"(?:[上下本这每]个?|)(?:周|星期|礼拜)[一二三四五六七日天末]|[上下本这每]个?(?:周|星期|礼拜)"
                           r"|周末|[今明昨前后][天日晚早]|[今昨明]儿|[上下本这每]个?月|月[初底中]"
                           r"|(?:同|另|这|那|哪|每|某|任何)一?[个座条家片所栋幢间处]|同一|另一|一[个座条家片所栋幢间处]")
#: Brands of fuel that name every one of their stations (中石化加油站): alone no name of one station.
_BRANDS_ALONE = frozenset(["中石化", "中石油", "中海油", "壳牌", "中化", "延长壳牌"])
_NUMERALS = frozenset("一二三四五六七八九十0123456789")
#: Words right before an estate's name after which a verb or adjective still opens the name (住在|合欢|苑小区).
_ESTATE_ENDS = frozenset(["苑", "园", "城", "湾", "府", "庭", "居", "郡"])
ESTATE_EDGE = frozenset(["在", "住", "住在", "家住", "居住", "位于", "是", "叫", "名叫", "购买", "入住"])


@dataclass(frozen=True)
class RawMention:
    """An unlisted place named in text."""

    start: int
    end: int
    name: str
    level: PlaceLevel
    kind: str  # the suffix word (小区, 村, 医院 …)


@functools.lru_cache(maxsize=4096)
def _phrase_tag(word: str) -> str:
    """The part of speech of a word the tagger does not know but the segmenter joined from two common words
    (严重|污染, 违规|收费 are the topic keywords' phrases, not names): the tag of its last word; "" otherwise."""
    pos = pos_table()
    for i in range(2, len(word) - 1):
        a, b = pos.get(word[:i]), pos.get(word[i:])
        if a and b and not a.startswith(_NAME_TAGS) and not b.startswith(_NAME_TAGS):
            return b
    return ""


_NAME_TAGS = ("ns", "nr", "nz", "nt")


def _is_admin(tok: str) -> bool:
    return (bool(ADMIN_TOKEN.match(tok)) and tok[-2:] not in NOT_ADMIN_AREAS
            and not (len(tok) > 1 and tok[0] in "我本该全各这那此每")) or (len(tok) == 1 and tok in ADMIN_ONE)


def _after_county(text: str, spans: list[tuple[int, int]], at: int) -> bool:
    """The words ending at ``at`` are a county, city or district, listed, read by its suffix or masked (长沙县,
    宁乡|县, H4|县, M5市): a name right after it is a place's name, whatever its part of speech."""
    k = bisect.bisect_left(spans, (at, -1)) - 1
    if k < 0 or spans[k][1] != at:
        return False
    tok = text[spans[k][0]:at]
    if tok in ("市", "县", "区"):
        before = text[spans[k - 1][0]:spans[k - 1][1]] if k > 0 else ""
        return re.fullmatch(r"[A-Z]\d*", before) is not None or (
            len(before) >= 2 and all(HAN.match(c) for c in before)
            and (pos_table().get(before) or "ns").startswith(("ns", "nr", "nz")))
    if re.fullmatch(r"[A-Z]\d*[市县区]", tok):
        return True
    return len(tok) > 1 and tok[-1] in "市县区" and _is_admin(tok) and all(HAN.match(c) for c in tok[:-1]) \
        and tok[-2] not in "城县市区" and tok[:-1] not in STOP_WORDS


#: Parts of a city or county, no district of a name of their own (城区建设大道, 郊区农贸市场).
CITY_PARTS = frozenset(["郊区", "城区", "市区", "新区", "县区"])
#: Words ending in 区 that name no district (社区, 小区: 小区|不再|火车站 has no county before it; 宝山区 and
#: 浦东新区 are districts).
NOT_ADMIN_AREAS = frozenset(["社区", "小区", "园区", "校区", "辖区", "片区", "景区"])


#: Single characters that are function words, pronouns and qualifiers: no place's name opens or holds them as a
#: word of its own (runs of single characters, provinces of two characters, institutions' names).
FUNCTION_CHARS = frozenset("的了在是和与及或我你他她它这那哪们就也还又被把让给对向往说要有很太最已曾将该此其每各某个不"
                           "没")
#: Numerals before 省: 东北三省, 通|九|省 count provinces, they name none (三河市, 五华县 are names).
_COUNTS = frozenset("一二三四五六七八九十两几多数")
#: Kinds of area jieba tags as places, and regions wider than a province (自治州, 无人区, 华东|区).
_AREA_KINDS = frozenset(["自治州", "自治区", "自治县", "自治旗", "无人区", "特区", "行政区", "经济区", "保护区"])
_REGIONS = frozenset(["华东", "华南", "华北", "华中", "华西", "西南", "西北", "东北", "东南", "中南", "西部", "东部"])
#: After a lettered 区: a block, stand, ward or floor (B区|3栋, D区|看台): a zone of an estate, a stadium or a
#: hospital, no district; before it: the building or site the zone is in (住院部|E区).
_ZONE_AFTER = re.compile(r"(?:\d+|[A-Z]|[一二三四五六七八九十]+)?(?:栋|幢|号楼|单元|楼|座|层|排|号|床|看台|病房|病区|"
                         r"楼道|车位|停车|车库|展厅|展位)")
_ZONE_BEFORE = ("住院部", "门诊部", "病区", "门诊", "小区", "看台", "医院", "校区", "园区", "体育场", "体育馆", "商场",
                "停车场", "广场", "公园", "大楼", "楼", "馆", "场", "部")


def _zone(text: str, spans: list[tuple[int, int]], i: int, letter: str) -> bool:
    """A single letter and 区 (B|区, ``spans[i]`` the 区) is a zone of a site where a block, stand or ward follows
    or the site precedes (B区3栋, D区看台, 住院部E区), not a masked district."""
    if len(letter) != 1:
        return False
    prev = text[spans[i - 2][0]:spans[i - 2][1]] if i > 1 else ""
    return _ZONE_AFTER.match(text, spans[i][1]) is not None or prev.endswith(_ZONE_BEFORE)

#: Words jieba tags as places that name kinds of area, not one (大城市, 文明城市, 老城区, 偏远地区, 山区).
_NOT_AREAS = frozenset(["城市", "城区", "地区", "山区", "郊区", "市区", "矿区", "灾区", "林区", "牧区", "老区", "县市",
                        "县区"])
_MASK = re.compile(r"[A-Z]\d{0,2}")
#: Characters that open no province's name of two characters (能|省|就|省, 我|省).
_NOT_PROVINCE = FUNCTION_CHARS | frozenset("能会可全本外节反自一二三四五六七八九十两几多由按仍从经至往据凭照依")


def area_spans(text: str, spans: list[tuple[int, int]], ends: dict[int, int] | None = None) -> list[tuple[int, int]]:
    """Where a text names a province, city, county or district: masked as the data set writes them (A|市, L3|县,
    西|地|省) or real (宁乡县, 宝山区, 湖南省, 东川|省: a word jieba tags as a place). Not 市长 (A|市长), 全县, 本市,
    城区, 社区, 能|省|就|省 (words, not names). Only the words that end in 省, 市, 县, 区 or 州 are read."""
    pos = pos_table()
    out = []
    for m in _AREA_CHAR.finditer(text):
        ends = ends if ends is not None else {b: i for i, (_, b) in enumerate(spans)}
        i = ends.get(m.end())
        if i is None:
            k = ends.get(m.start())  # D|市内: jieba joined the area's character to a locative after it
            if k is not None and k + 1 < len(spans) and text[spans[k + 1][0]:spans[k + 1][1]] in _AREA_LOCATIVES \
                    and _MASK.fullmatch(text[spans[k][0]:spans[k][1]]) and not (
                        k > 0 and text[spans[k - 1][1] - 1:spans[k - 1][1]].isascii()
                        and text[spans[k - 1][1] - 1:spans[k - 1][1]].isalnum()) and not (
                        m.group() == "区" and (spans[k][1] - spans[k][0] == 1 or _zone(text, spans, k + 1, "B"))):
                out.append((spans[k][0], m.end()))  # not B|区内, 住院部|C|区内: a single letter's 区 is a zone
            continue
        tok = text[spans[i][0]:spans[i][1]]
        prev = text[spans[i - 1][0]:spans[i - 1][1]] if i > 0 else ""
        start = None
        if len(tok) == 1 and _MASK.fullmatch(prev) and not (
                i > 1 and text[spans[i - 2][1] - 1:spans[i - 2][1]].isascii()
                and text[spans[i - 2][1] - 1:spans[i - 2][1]].isalnum()) and not _zone(text, spans, i, prev):
            start = spans[i - 1][0]  # A|市, L3|县
        elif len(tok) >= 3 and (pos.get(tok) or "").startswith("ns") and tok[-2:] not in NOT_ADMIN_AREAS \
                and tok[-2:] not in _NOT_AREAS and tok[0] not in "各全本该我这那此每某外" \
                and not (tok[-1] == "省" and tok[-2] in _COUNTS) and tok not in _AREA_KINDS \
                and tok[:-1] not in _REGIONS:
            # not 各县区, 东北三省, 自治州 (a kind alone), 无人区, 华东区 (a region, no administrative area)
            start = spans[i][0]  # 宁乡县, 宝山区, 湖南省
        elif tok == "省" and i > 1 and len(prev) == 1 and HAN_ONLY.match(prev) and prev not in _NOT_PROVINCE \
                and spans[i - 2][1] - spans[i - 2][0] == 1 and HAN_ONLY.match(text[spans[i - 2][0]]) \
                and text[spans[i - 2][0]] not in _NOT_PROVINCE \
                and not (i > 2 and spans[i - 3][1] - spans[i - 3][0] == 1 and HAN_ONLY.match(text[spans[i - 3][0]])
                         and text[spans[i - 3][0]] not in _NOT_PROVINCE):
            start = spans[i - 2][0]  # 西|地|省: a province of two characters jieba does not know
        elif tok == "省" and len(prev) == 2 and (pos.get(prev) or "").startswith("ns"):
            start = spans[i - 1][0]  # 东川|省
        if start is not None:
            out.append((start, spans[i][1]))
    return out


_AREA_CHAR = re.compile("[省市县区州]")
#: Words jieba makes of an area's character and a locative (D|市内, K3|县里): the masked area before them stands.
_AREA_LOCATIVES = frozenset(a + b for a in "省市县区州" for b in "内里外")
HAN_ONLY = re.compile(r"[\u4e00-\u9fff]")


def _tokens(text: str, boundaries: Collection[int]) -> list[tuple[int, int]]:
    """Token spans from sorted boundaries; a subdistrict's 街道 that jieba cut after a word ending in 街
    (长安街|道|和平社区) is one word again."""
    at = {0, len(text), *(b for b in boundaries if 0 <= b <= len(text))}
    return list(pairwise(sorted(c for c in at if not (c > 0 and text[c - 1:c + 1] == "街道" and c + 1 in at))))


def dictionary_road(word: str, suffix: str = "路") -> bool:
    """jieba's dictionary lists ``word`` + ``suffix`` as a name (建设路 nt): the road of that name, though the word
    alone is a verb or a stop word (建设|路口, 建设|路边)."""
    return len(word) > 1 and suffix in ("路", "街") and (pos_table().get(word + suffix) or "").startswith(
        ("ns", "nt", "nz"))


def dictionary_road_at(text: str, spans: list[tuple[int, int]], start: int, end: int, suffix: str) -> bool:
    """``text[start:end]``, a stop word (建设), names a road here: the road jieba's dictionary knows
    (:func:`dictionary_road`) where the word opens a clause or follows a preposition of place (在|建设|路口,
    位于|建设路: not 加强|建设路|网), or, if it is a name word, an avenue right after its county, city or district
    (A市|建设|大道; not 城区|建设|大道, 我区|…)."""
    word = text[start:end]
    k = bisect.bisect_left(spans, (start, -1)) - 1
    before = text[spans[k][0]:start] if k >= 0 and spans[k][1] == start else ""
    if suffix == "大道":
        return word in NAME_WORDS and _after_county(text, spans, start) and before[-2:] not in CITY_PARTS
    return dictionary_road(word, suffix) and _clause_edge(before)


def _clause_edge(before: str) -> bool:
    """The word before a name opens it: punctuation or a preposition of place (在|建设|路口; not 加强|建设|路网)."""
    return not before or not HAN.match(before[-1]) or before in _ROAD_EDGE


_ROAD_EDGE = frozenset(["在", "位于", "地处", "家住", "住在", "到", "从", "往", "去", "沿", "沿着", "经", "经过", "于",
                        "至", "近", "靠近", "和", "与", "及", "、", "是", "过", "走"])


def _stem_start(text: str, spans: list[tuple[int, int]], idx: int, level: PlaceLevel, suffix: str = "") -> int:
    """Where the name before token ``idx`` starts (== its end when there is no name)."""
    pos = pos_table()
    end = spans[idx][0] if idx < len(spans) else len(text)
    start = end
    j = idx - 1
    while j >= 0:
        s, e = spans[j]
        tok = text[s:e]
        if not all(HAN.match(c) for c in tok) or end - s > MAX_STEM:
            break
        if start == end and (run := _single_run(text, spans, j)) is not None:
            return run  # 住在|富|都|花园: jieba cut an unknown name into characters, the preposition opens it
        if start == end and suffix in _SHOPS_AND_STATIONS and (
                tok in _OLD_NEW or tok in _BRANDS_ALONE or _gate_of_place(text, spans, j)):
            return end  # 村口|旧|加油站, 小区|东门|车站, 中石化|加油站: no name of the place's own
        if tok == "规划" and start == end and level is PlaceLevel.ROAD and text[end:end + 1] in _NUMERALS and not (
                j > 0 and spans[j - 1][1] - spans[j - 1][0] > 1
                and (pos.get(text[spans[j - 1][0]:spans[j - 1][1]]) or "").startswith(("p", "v"))):  # 按照|规划
            start = s  # 规划|二路: a planned road keeps its working name
            j -= 1
            continue
        if start == end and suffix == "公园" and tok in _PARK_KINDS:
            prev = text[spans[j - 1][0]:spans[j - 1][1]] if j > 0 else ""
            if len(prev) < 2 or not (pos.get(prev) or "").startswith(("ns", "nz", "nr")):
                return end  # 这个|湿地|公园, 新建的|湿地|公园: a kind of park, no name
            start = s  # 北湖|湿地|公园: the park's kind in two words keeps the place name before it
            j -= 1
            continue
        if tok in ("安置", "还建", "拆迁") and start == end and level is PlaceLevel.COMPOUND:
            start = s  # 富源|安置|小区: a resettlement estate keeps its kind in its name
            j -= 1
            continue
        if start == end and suffix in _DANWEI_HOMES and tok.endswith(_DANWEI) and not ADMIN_TOKEN.match(tok):
            start = s  # 劳动局|家属楼, 机床厂|家属区: the homes of an office's or works' staff keep its name
            j -= 1
            continue
        if tok in STOP_WORDS and start == end and level is PlaceLevel.ROAD and dictionary_road_at(text, spans, s, e,
                                                                                                  suffix):
            start = s  # 在|建设|路口, A市|建设|大道: a word that is no name alone names the road here
            break
        if tok in STOP_WORDS or ADMIN_TOKEN.match(tok) or (len(tok) == 1 and tok in ADMIN_ONE):
            break
        if WHEN_OR_WHICH.fullmatch(tok):
            break  # 周六|社区, 上周|小区: when, not which; 同一个|村, 另一个|小区: a pointer or count, no name
        if len(tok) > 1 and (tok.endswith(_ENDS_BEFORE_NAME)
                             or (tok.endswith("地") and not (pos.get(tok) or "").startswith(("ns", "nr", "nz", "nt")))):
            break  # 大大的|商店, 交通厅|下文被告公路, 慢慢地 (but 新天地|广场: a name)
        tag = pos.get(tok) or _phrase_tag(tok)
        if tok in NAME_WORDS and not (tok in MOVING_NAME_WORDS and j > 0
                                      and text[spans[j - 1][0]:spans[j - 1][1]] in MOVING_BEFORE):
            tag = "nz"
        bad = (tag.startswith(NOT_NAME_POS) if len(tok) > 1 else
               tag.startswith(NOT_NAME_POS_ONE) or tok in VERB_ONE)
        if tok[0].isdigit() or (len(tok) == 1 and tok in "年月日号"):
            break
        if tok in SUFFIXES and start == end and SUFFIXES[tok] is level and level is PlaceLevel.COMPOUND:
            start = s  # 家园小区, 花园小区: one estate
            j -= 1
            continue
        if tok in ("路", "街", "大道") and level is not PlaceLevel.ROAD and start == end:
            start = s  # 幸福路菜场, 育才路小学: named after the road
            j -= 1
            continue
        if tok in ("桥", "铺", "湾") and start == end and level in (PlaceLevel.COMMUNITY, PlaceLevel.TOWN):
            start = s  # 凳|桥|村, 石|铺|乡: a bridge or inn names the village or town built at it
            j -= 1
            continue
        if tok in STATION_PLACE_ONE and start == end and suffix in ("地铁站", "站"):
            start = s  # 顾家|桥|地铁站, 杨家|湾|站: a station named after the bridge or bay it serves
            j -= 1
            continue
        if tok in ("车站", "加油站", "公园", "医院", "学院") and start == end and level is PlaceLevel.ROAD:
            start = s  # 车站|路, 公园|路: a road named after what stands on it
            j -= 1
            continue
        if (tok in SUFFIXES and not (tok in TRADE_SUFFIXES and suffix in _NAMED_BY_TRADE)) or (
                len(tok) > 1 and tok[-1] in "区村镇乡"):
            break  # another place ends here (but 长沙|科技|大学, 天润|化工|厂: a trade inside an institution's name)
        if start == end and suffix in PARKS and tok in PARK_TRADES:
            start = s  # 某某|农业|开发区, 某某|旅游|度假区: a park's trade (a verbal noun too) keeps the name before it
            j -= 1
            continue
        if bad and j > 0 and start == end and (_is_admin(before := text[spans[j - 1][0]:spans[j - 1][1]])
                                               or _located_by(text, spans, j, level, tag)):
            start = s  # right after an administrative prefix, a road or a town anything names the place
            break  # (J市三元酒店, 莲花西路|合力|超市, 城北街道|前进|居委会)
        if bad and not tag.startswith(("ns", "nr", "nz")):
            # a verb or adjective right before 路/街 names the road (建设路, 解放路, 幸福路) when nothing precedes it;
            # before 大道 when a clause or an area opens it (K2区|发展|大道; not 走上了|发展|大道, a way; not 各区|…)
            before = text[spans[j - 1][0]:spans[j - 1][1]] if j > 0 else ""
            first = start == end
            edge = (not before or not HAN.match(before[-1]) or before in STOP_WORDS or ADMIN_TOKEN.match(before)
                    or (len(before) == 1 and before in ADMIN_ONE))
            opens = not before or not HAN.match(before[-1]) or _is_admin(before)  # not 各区|发展|大道, 全市|…
            nxt = "" if first else text[start:spans[j + 1][1]]
            estate = level is PlaceLevel.COMPOUND and len(tok) > 1 and tag in ("v", "a", "ad") and (
                (first and ADMIN_TOKEN.match(before))
                or ((ADMIN_TOKEN.match(before) or before in ESTATE_EDGE) and (nxt in SUFFIXES or nxt in _ESTATE_ENDS)))
            # 住在|合欢|苑小区, K2区|温馨|家园: a verb opens an estate's name after a district or 住在 when an estate
            # word follows it (not 涉及|小区, J市|申请|广|廉租房)
            if not (first and tag.startswith(("v", "a")) and (
                    (edge and suffix in ("路", "街")) or (opens and suffix == "大道"))) and not estate:
                break
            start = s
            break
        if start == end and suffix in STRICT and len(tok) > 1 and (tok in BESIDE or (tag.startswith(
                ("n", "vn", "an", "b", "i")) and not tag.startswith(("ns", "nr", "nz", "nt")))):
            before = text[spans[j - 1][0]:spans[j - 1][1]] if j > 0 else ""
            if not (ADMIN_TOKEN.match(before) or (len(before) == 1 and before in ADMIN_ONE)
                    or _located_by(text, spans, j, level, tag) or _school_by_noun(suffix, tok, tag, before)
                    or (suffix in _NAMED_WITH_FIELD and _field_after_name(text, spans, j))):
                return end  # 合格|超市 is none, 莲花西路|合力|超市 is the market on that road
        start = s
        j -= 1
    return start


#: Kinds of park jieba writes as a word before 公园 (北湖|湿地|公园, 滨江|体育|公园).
_PARK_KINDS = frozenset(["湿地", "森林", "生态", "体育", "主题", "郊野"])
#: A town's main square and park, one common noun each in jieba's dictionary: a town has one (文化广场 stays
#: generic: every village builds one).
TOWN_SQUARES = frozenset(["人民广场", "人民公园"])
#: Schools residents name by a word that is also a common noun (稻田中学, 桔园小学, 成章中学), and the words
#: after which such a word opens the school's name: a clause's edge, a preposition of place, a verb (查处|稻田|中学).
_NOUN_SCHOOLS = frozenset(["中学", "小学", "完小"])
_SCHOOL_EDGE = frozenset(["在", "到", "去", "是", "从", "和", "与", "及", "、"])
#: Nouns that qualify schools without naming one (山区小学, 城区中学, 贫困小学).
_SCHOOL_QUALIFIERS = frozenset(["山区", "城区", "郊区", "边远", "偏远", "贫困", "民族", "外地", "本地", "城里", "乡里",
                                "村里", "镇上", "县里", "市里", "片区", "学区", "社区", "小区", "街道", "附近", "周边",
                                "寄宿", "寄宿制", "完全", "九年制", "一贯制", "初级", "高级", "中心", "试点", "名校",
                                "全日制", "省级", "市级", "县级", "国家级", "市属", "县属", "省属", "区属", "优质",
                                "薄弱", "老牌", "新建", "原来",
                                "职业", "技术", "技工", "师范", "卫生", "体育", "艺术", "外国语", "实验", "双语",
                                "子弟", "附属", "农村", "乡村", "乡镇", "城镇", "城市", "公立", "私立", "民办", "公办"])


def _school_by_noun(suffix: str, tok: str, tag: str, before: str) -> bool:
    """A middle or primary school named by a common noun of two characters (稻田|中学, 桔园|小学) where that word
    opens the name: at a clause's edge, after 在 / 到 / 和 or a verb (查处|稻田|中学); not a qualifier (山区|小学,
    寄宿|小学, 实验|中学: the name comes before those)."""
    if suffix not in _NOUN_SCHOOLS or tag != "n" or len(tok) != 2 or tok in _SCHOOL_QUALIFIERS or tok in STOP_WORDS:
        return False
    return not before or not HAN.match(before[-1]) or before in _SCHOOL_EDGE or (
        len(before) > 1 and (pos_table().get(before) or "") == "v")


#: Kinds whose names hold the field or trade after the name (中南|林业|科技|大学, 丽人|美容|工作室).
_NAMED_WITH_FIELD = frozenset(["大学", "学院", "学校", "中学", "小学", "幼儿园", "医院", *SHOP_KIND_WORDS])


#: School qualifiers that say which class of schools, not which school's field (宁乡|农村|小学, 长沙|民办|学校): no
#: name holds them (长沙|师范|学校, 农科院|子弟|小学 do hold theirs).
_CLASS_OF_SCHOOLS = _SCHOOL_QUALIFIERS - frozenset(["子弟", "职业", "技术", "技工", "师范", "卫生", "体育", "艺术",
                                                    "外国语", "实验", "双语", "附属", "民族"])


#: Last characters of a name that is a place of its own (农科院, 气象站): a field word after it opens another name.
_INSTITUTION_ENDS = ("院", "所", "局", "厂", "站", "校", "司", "委", "办")


#: Words before a measure word that count with it where :data:`WHICH_ONE` does not (两家, 几个, 某家, 开了个).
_COUNT_LEADS = frozenset(["", "两", "几", "某", "开了"])


def counted_before(text: str, spans: Sequence[tuple[int, int]], k: int) -> bool:
    """Whether the word before token ``k`` counts or points (一家, 那个, 这所, 开了|个): what follows is a kind
    (一家|韩国|整容|医院, 那个|英语|培训中心), no name."""
    before = text[spans[k - 1][0]:spans[k - 1][1]] if k > 0 else ""
    return (before[-1:] in _MEASURE_ONE and (WHICH_ONE.fullmatch(before) is not None or before[:-1] in _COUNT_LEADS)) \
        or (pos_table().get(before) or "").startswith(("r", "m", "q"))


def _field_after_name(text: str, spans: list[tuple[int, int]], j: int) -> bool:
    """Token ``j`` ends a run of up to three field words after a name (中南|林业|科技|大学, 丽人|美容|工作室): such
    a name holds its fields (not 这所|科技|大学, 一所|师范|学院, 附近的|美容|工作室)."""
    pos = pos_table()
    for k in range(j, max(j - 3, 0) - 1, -1):
        tok = text[spans[k][0]:spans[k][1]]
        tag = pos.get(tok) or ""
        if len(tok) < 2 or tok in STOP_WORDS or tok in NAME_WORDS or tag.startswith(("ns", "nz", "nr", "nt")):
            return k < j and len(tok) >= 2 and tok not in STOP_WORDS and all(HAN.match(c) for c in tok) and (
                tok in NAME_WORDS or tag.startswith(("ns", "nz", "nr", "nt"))) and not counted_before(text, spans, k) \
                and not tok.endswith(_INSTITUTION_ENDS)  # 农科院|子弟|小学: the name is a place of its own
        if not tag.startswith(("n", "vn")) or tok in _CLASS_OF_SCHOOLS:
            return False
    return False


def _located_by(text: str, spans: list[tuple[int, int]], j: int, level: PlaceLevel, tag: str) -> bool:
    """The word before token ``j`` locates a place of this level, so token ``j`` is its name whatever its part of
    speech: a road before a market (莲花西路|合力|超市), a named town before a community (城北街道|前进|居委会)."""
    before = text[spans[j - 1][0]:spans[j - 1][1]] if j > 0 else ""
    return (level is PlaceLevel.MARKET and len(before) > 1 and before.endswith(("路", "街", "大道"))) or (
        level is PlaceLevel.COMMUNITY and _after_named_town(text, spans, j, tag))


def _after_named_town(text: str, spans: list[tuple[int, int]], j: int, tag: str) -> bool:
    """Token ``j`` names a community right after a town with a name of its own (城北|街道|前进|居委会): not after a
    bare 街道 or 镇 (这个|街道|好多|社区), and not a count, a determiner or a qualifier (城北街道|下属|社区)."""
    tok = text[spans[j][0]:spans[j][1]]
    before = text[spans[j - 1][0]:spans[j - 1][1]] if j > 0 else ""
    unit = next((u for u in _TOWN_UNITS if before.endswith(u)), "")
    if not unit or tok in _NOT_COMMUNITY_NAMES or tag.startswith(("m", "q", "r", "d", "f", "b", "p", "c", "u")):
        return False
    name = before[:-len(unit)] or (text[spans[j - 2][0]:spans[j - 2][1]] if j > 1 else "")
    return bool(name) and all(HAN.match(c) for c in name) and name not in STOP_WORDS \
        and name[:1] not in "这那该本此各每全某整" \
        and not (pos_table().get(name) or "").startswith(("r", "m", "q", "b", "v", "d", "p", "c", "u"))


_TOWN_UNITS = ("街道", "办事处", "镇", "乡")
#: Words that qualify communities without naming one (城北街道|下属|社区, 辖区社区, 相关社区).
_NOT_COMMUNITY_NAMES = frozenset(["下属", "全部", "部分", "辖区", "相关", "有关", "当地", "个别", "新建", "老旧",
                                  "周边", "附近", "城区", "农村", "城市", "其他", "其它", "所属", "各级", "基层"])


#: Staff homes (单位宿舍) and the offices, works and firms whose name they keep (劳动局家属楼, 机床厂家属区).
_DANWEI_HOMES = frozenset(["家属区", "家属院", "家属楼", "宿舍区"])
_DANWEI = ("局", "厅", "委", "公司", "厂", "院", "所", "站", "银行", "矿", "学校", "医院")
#: Words after which a run of single characters before a place's suffix is its name (住在|富|都|花园).
_RUN_OPENERS = frozenset(["在", "住在", "家住", "位于", "到", "搬到", "来到", "回到", "于", "住", "去", "（", "("])


_RUN_STOP = FUNCTION_CHARS | {"年"}


def _single_run(text: str, spans: list[tuple[int, int]], j: int) -> int | None:
    """Start of a run of two or three one-character tokens ending with token ``j`` and opened by a preposition
    of place (在, 住在, 位于 …), none of them a function word; None if there is none."""
    k = j
    while k >= 0 and j - k < 3 and spans[k][1] - spans[k][0] == 1 and text[spans[k][0]] not in _RUN_STOP \
            and "\u4e00" <= text[spans[k][0]] <= "\u9fff" and text[spans[k][0]] not in ADMIN_ONE:
        k -= 1
    if j - k < 2 or k < 0 or text[spans[k][0]:spans[k][1]] not in _RUN_OPENERS:
        return None
    return spans[k + 1][0]


def _gate_of_place(text: str, spans: list[tuple[int, int]], j: int) -> bool:
    """Token ``j`` is a place's mouth, corner or gate (村口, 街角; 东门 right after 小区, 学校 …): it says where a
    station or shop stands, it is not its name."""
    tok = text[spans[j][0]:spans[j][1]]
    if len(tok) != 2 or tok[-1] not in "口角门":
        return False
    if tok[0] in "村街路镇巷桥校厂":
        return True
    before = text[spans[j - 1][0]:spans[j - 1][1]] if j > 0 else ""
    return tok[0] in "东南西北" and (before in SUFFIXES or before in ("学校", "医院", "小区", "公园", "广场", "车站"))


#: Below this count in jieba's dictionary a common noun can be a name (大木 58, 广济 31); above it, it is a word
#: of everyday sentences (个别 3125, 基层 1998, 梦想 1194, 公益 404, 创业 1528).
RARE_FREQ = 200


def rare_word(word: str) -> bool:
    """A word jieba's dictionary seldom sees (大木, 广济): a noun that may name a village or a road, not one of
    everyday sentences (B镇个别|村干部, 在梦想|路上)."""
    from nlp.segment import default_segmenter  # jieba's frequencies, loaded with the segmenter

    return default_segmenter().word_freq(word) < RARE_FREQ


def _common(word: str, by_pos: bool = True) -> bool:
    """A function word, a place suffix or (``by_pos``) a common word (not a proper name) of two characters or
    more."""
    tag = pos_table().get(word) or _phrase_tag(word)
    return word in STOP_WORDS or word in SUFFIXES or (
        by_pos and len(word) > 1 and word not in NAME_WORDS and tag.startswith(("n", "v", "b", "r", "m", "d", "a"))
        and not tag.startswith(("ns", "nr", "nz", "nt")))


def _plain_start(text: str, spans: list[tuple[int, int]], start: int, end: int, ending: str = "",
                 lead_pos: bool = True) -> int | None:
    """Where a suffixless name really starts once function words (and, with ``lead_pos``, common words) are cut
    off its front (整个|恒大城, 楼盘|星河湾); None when it ends in a common word (田园综合体) other than its
    ``ending`` word (江山|一品, 金岸|佳园)."""
    i = bisect.bisect_left(spans, (start, -1))
    toks = []
    while i < len(spans) and spans[i][1] <= end:
        toks.append(spans[i])
        i += 1
    while toks and _common(text[toks[0][0]:toks[0][1]], lead_pos):
        toks.pop(0)
    if not toks:
        return None
    last = text[toks[-1][0]:toks[-1][1]]
    if last != ending and len(last) > 1 and _common(last):
        return None
    return toks[0][0]


def _trim_front(text: str, spans: list[tuple[int, int]], m: RawMention) -> RawMention | None:
    """Cut function words, verbs, adverbs, locatives and counts that a pattern glued to the front of a name off it
    (而|洪桥镇一中, 见|横板桥镇, 植树|绿化|滨江南路, 二级|以上|公立医院), if a name of two characters or more
    remains; None when what remains is a generic word (办理|廉租房, 共有|幼儿园)."""
    s = m.start
    i = bisect.bisect_left(spans, (s, -1))
    ends = dict(spans[i:i + 8])
    pos = pos_table()
    if m.kind in COMPANY and i + 1 < len(spans) and _single_run(text, spans, i + 1) == s:
        return m  # 在|顺|丰|快递|公司: characters jieba could not join after a preposition of place name the firm
    if (side := _SIDE.match(m.name)) and len(m.name) - side.end() >= len(m.kind) + 2:
        s += side.end()  # 南连|祁|怀远乡, 西邻|志冲乡: a neighbour's side names no place
    while s in ends and ends[s] < m.end:
        tok = text[s:ends[s]]
        tag = pos.get(tok) or _phrase_tag(tok)
        if len(tok) == 1:
            cut = tok in LEAD_ONE or tok in VERB_ONE or tag.startswith(("p", "c", "u", "y", "e", "o")) or (
                tok in _MEASURE_ONE and (text[s - 1:s] in _BEFORE_MEASURE or (tok == "趟" and text[s - 1:s] == "了")))
        elif WHICH_ONE.fullmatch(tok):
            cut = True
        else:
            rest = text[ends[s]:ends[s] + 2]
            cut = tok not in NAME_WORDS and (
                tok in STOP_WORDS or (tag.startswith(_FRONT_POS) and not tag.startswith("t"))
                or (tag.startswith("t") and bool({tok[0], tok[-1]} & _TIME_CHARS))  # 今后|渔樵村, not 春晓|花语二期
                or tok in ("本来", "后来", "近来", "从来", "向来")
                or (tok.endswith(_PEOPLE) and tag.startswith("n")
                    and not tag.startswith(("ns", "nz")))  # 学生家长|藕塘小学
                or (tag.startswith("s") and tok[-1] in "里内外下")  # 眼里|文化南路, 校内|超市, 山脚下|白冲村
                or (tok.endswith(_FRONT_PLACES) and not _is_admin(tok)  # not 宝山区|中心医院
                    and all("\u4e00" <= c <= "\u9fff" for c in rest)))  # not 场中路|88弄
        if not cut:
            break
        if m.end - ends[s] < len(m.kind) + 2:
            # what remains is the kind word and at most one character: 不再|火车站 is no name, 幸福路|菜场 stays
            licensed = i > 0 and _is_admin(text[spans[i - 1][0]:spans[i - 1][1]])  # D7县|大同|中学
            bare = len(tok) == 1 or tag.startswith(_BARE_KIND_POS) or (tag.startswith("f") and tok in _BARE_LOCATIVES) \
                or WHICH_ONE.fullmatch(tok) is not None
            return None if not licensed and bare else m
        s = ends[s]
    if s == m.start:
        return m
    name = m.name[s - m.start:]
    return None if name in GENERIC else RawMention(s, m.end, name, m.level, m.kind)


#: A masked or real city, county or district before a facility's name (K市, A7县, 衡阳市).
_PREFIX = re.compile(r"(?:[A-Z]\d*(?:市|县|区|州))+|[\u4e00-\u9fff]{2,3}(?:市|县)")


def _non_overlapping(found: list[RawMention], first: Sequence[RawMention] = ()) -> list[RawMention]:
    """The longest mentions that do not overlap; ``first`` (read with more certainty) win over all others
    except a longer one that starts where they start (白仓镇 | 白仓镇中心学校) or that is the same place with the
    administrative prefix that names it (K市第三医院 | 第三医院)."""
    firsts = set(first)
    longest = max((x.end - x.start for x in (*found, *first)), default=0)
    keep: list[tuple[int, int, RawMention]] = [(k.start, i, k) for i, k in enumerate(first)]  # by start, then order
    keep.sort(key=lambda t: (t[0], t[1]))
    seq = len(keep)
    for m in sorted(found, key=lambda x: (-(x.end - x.start), x.start)):
        # the kept mentions that overlap m start after m.start - longest and before m.end (bisection, not a scan)
        lo, hi = bisect.bisect_left(keep, (m.start - longest, -1)), bisect.bisect_left(keep, (m.end, -1))
        clash = [t for t in keep[lo:hi] if t[2].end > m.start]
        if all(k in firsts and m.start <= k.start and k.end <= m.end and k != m for _, _, k in clash) and (
                not clash or min(t[0] for t in clash) == m.start
                or all(k.end == m.end and _PREFIX.fullmatch(m.name[:k.start - m.start]) for _, _, k in clash)):
            for t in clash:
                keep.remove(t)
            bisect.insort(keep, (m.start, seq, m), key=lambda t: (t[0], t[1]))
            seq += 1
    return [k for _, _, k in keep]


def words_in(text: str, spans: list[tuple[int, int]], start: int, end: int) -> list[str]:
    """The words that lie wholly between ``start`` and ``end``."""
    i = bisect.bisect_left(spans, (start, -1))
    out = []
    while i < len(spans) and spans[i][1] <= end:
        out.append(text[spans[i][0]:spans[i][1]])
        i += 1
    return out


def _school_name(text: str, spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether the stem before 学校 (or 市场) is a name: a word the dictionary knows as a place or name (山塘,
    外国语), an unknown word, or two single characters it does not know as words (启|慧, 团|山); no time word."""
    toks = words_in(text, spans, start, end)
    pos = pos_table()
    if not toks or any((pos.get(t) or "").startswith("t") for t in toks) or toks[-1] in SCHOOL_NOT_NAME \
            or toks[-1].endswith(("中学", "小学", "高中", "中专", "学院", "幼儿园", "二中", "一中")):
        return False
    last = toks[-1]
    if len(last) > 1:
        tag = pos.get(last) or ""
        return last in NAME_WORDS or tag in ("", "ns", "nz", "nrt", "nt")
    single = 0
    for t in reversed(toks):
        if len(t) > 1 or t in STOP_WORDS or t in VERB_ONE or (pos.get(t) or "").startswith(
                ("p", "c", "u", "d", "r", "t", "v", "f", "m")):
            break
        single += 1
    return single >= 2


#: Common words jieba's table files as place or person names (关联 ns, 安保 nr, 苗木 nr): before 公司 they say what
#: kind of firm it is (开发商的关联公司, 小区的安保公司, 苗木公司), as 物业 and 装修 (nouns) do, not which.
_FIRM_KINDS_AS_NAMES = frozenset(["关联", "安保", "苗木"])


def _firm_name(text: str, spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether a company's stem opens with a name (a place or name word, an unknown word, single characters) and
    holds no verb, pronoun or function word (达通|公司, 景树|卫生材料|有限公司; not 系|人力资源, 能|纵容)."""
    toks = words_in(text, spans, start, end)
    pos = pos_table()
    if not toks or toks[0] in LEAD_ONE or toks[0] in VERB_ONE or toks[0] in STOP_WORDS \
            or toks[0] in _FIRM_KINDS_AS_NAMES:
        return False
    head = pos.get(toks[0]) or ""
    if len(toks[0]) > 1 and head not in ("", "ns", "nr", "nrt", "nt", "nrfg"):  # jieba's nz: 保安, 渣土
        return False
    if len(toks[0]) == 1 and (head.startswith(("p", "c", "u", "d", "r", "v", "m", "q", "f")) or len(toks) < 2
                              or (len(toks[1]) > 1 and _common(toks[1]))):
        return False  # 坪|经纪公司: one character glued to a common word
    return not any((pos.get(t) or "").startswith(("v", "d", "p", "c", "r", "u")) and t not in NAME_WORDS
                   for t in toks)


#: Parts of speech of a works' or company's trade words (稀土, 自动化, 设备, 工贸), and of a name of its own.
_TRADE_POS = ("n", "vn", "l", "j", "b")
_OWN_NAME_POS = ("", "ns", "nr", "nrt", "nrfg", "nz", "nt")
_LEGAL_NAME_POS = ("a", "z")  # 宏远, 丰茂 (a); 鼎盛 (z): before trade words and a legal form, a firm's own name
#: ... when jieba's dictionary counts it rarely (宏远 71, 丰茂 47, 鼎盛 279; 简陋 363, 繁忙 782, 著名 9342) and no
#: count or pointer comes before it (一家, 这家: 一家无良物业管理有限公司 describes a firm).
_NAME_ADJECTIVE_MAX_FREQ = 300
_COUNTED_FIRM = ("家", "个", "间", "所")
_EDGE_POS = ("v", "p", "c", "u", "d", "r", "ns")
_PLACE_LAST = frozenset("路街巷村镇乡区市县")  # a word ending so is another place (雪松南路|胖哥|槟榔厂)


def _trade_start(text: str, spans: list[tuple[int, int]], idx: int, legal: bool = False) -> int | None:
    """Where a works' or company's name starts when trade words stand between its own name and the suffix token
    ``idx`` (远达|新材料|稀土|厂, 傲|派|自动化|设备|有限公司): one to three trade words (common nouns) and before
    them a name of its own (a place or person name, a word the dictionary does not know, or two or three single
    characters that are no function words) that opens a clause or follows a function word, a verb or a place;
    right after a city or county two trade words name it; None otherwise (这家|服装|厂, 农村|污水处理|厂,
    一家|电子|厂). ``legal``: the suffix is a legal form (有限公司 …), and a word jieba tags adjective or status word
    names the firm too when its dictionary counts it rarely and no count comes before it (宏远|化工|有限公司,
    鼎盛|建材|有限公司; not 一家|著名|家具|有限公司)."""
    pos = pos_table()
    own_pos = _OWN_NAME_POS + _LEGAL_NAME_POS if legal else _OWN_NAME_POS
    described = False  # the name holds an adjective or status word (宏远): a rare one, not after 一家 or 这家
    j, trades = idx - 1, 0
    while j >= 0 and trades < 3:
        tok = text[spans[j][0]:spans[j][1]]
        tag = pos.get(tok) or ""
        if tok not in VERB_TRADES and (
                len(tok) < 2 or tok in STOP_WORDS or tok in NOT_FIRM_END
                or (tok in SUFFIXES and tok not in TRADE_SUFFIXES) or tok in NAME_WORDS
                or not tag.startswith(_TRADE_POS) or tag.startswith(("nr", "ns", "nt", "nz"))):
            break
        trades, j = trades + 1, j - 1
    if trades == 0 or j < 0:
        return None
    tok = text[spans[j][0]:spans[j][1]]
    if trades >= 2 and (ADMIN_TOKEN.match(tok) or tok in ADMIN_ONE):
        return spans[j + 1][0]  # A市|达果|汽车贸易|有限公司: right after a city its first word is the firm's name
    if (run := _single_run(text, spans, j)) is not None:
        return run  # 在|顺|丰|快递|公司: a name jieba cut into characters, after a preposition of place
    chars, parts = 0, 0
    while j >= 0 and parts < 4 and chars < 6:  # 傲|派, 远达, 中科|盛|高, 廉|桥|华|宏: name words or characters
        tok = text[spans[j][0]:spans[j][1]]
        tag = pos.get(tok) or ""
        if not all(HAN.match(c) for c in tok) or tok in STOP_WORDS or (len(tok) > 1 and tok[-1] in _PLACE_LAST) or (
                tag not in own_pos and not tag.startswith("j") if len(tok) > 1 else
                tok in LEAD_ONE or tok in VERB_ONE or tok in ADMIN_ONE
                or tag.startswith((*NOT_NAME_POS_ONE, "m", "q", "f"))):
            break
        if len(tok) > 1 and tag.startswith(_LEGAL_NAME_POS):
            described = True
            if default_segmenter().word_freq(tok) >= _NAME_ADJECTIVE_MAX_FREQ:
                break  # 著名, 优秀, 虚假, 繁忙: a description of the firm, not its name (宏远 71, 丰茂 47, 鼎盛 279)
        chars, parts, j = chars + len(tok), parts + 1, j - 1
    if chars < 2:
        return None
    head = spans[j + 1][0]
    if j < 0:
        return head
    before = text[spans[j][0]:spans[j][1]]
    if described and before.endswith(_COUNTED_FIRM):
        return None  # 一家|无良|物业管理|有限公司: a counted firm is described, not named
    tag = pos.get(before) or ""
    edge = (not all(HAN.match(c) for c in before) or before in STOP_WORDS or bool(ADMIN_TOKEN.match(before))
            or (len(before) == 1 and (before in ADMIN_ONE or before in LEAD_ONE or before in VERB_ONE))
            or tag.startswith(_EDGE_POS))
    return head if edge else None


#: Parts of speech of one character that is never part of a name (a function word, count or locative) and of one
#: that is not unless jieba could not join it to the rest of the name (a verb, adjective or time: 天|旺|屠宰场).
_NOT_NAME_ONE = (*NOT_NAME_POS_ONE, "m", "q", "f")
_WORD_ONE = ("v", "a", "t")


def _name_part(tok: str, *, in_run: bool = False) -> bool:
    """A word that can only be part of a proper name: a place, person or other name, a word the dictionary does
    not know, or one character that is no function word, verb or locative (``in_run``: a character of a run jieba
    could not join may be a verb, adjective or time word: 天|旺)."""
    if not all(HAN.match(c) for c in tok) or tok in STOP_WORDS:
        return False
    tag = pos_table().get(tok) or ""
    if len(tok) > 1:
        return tag in ("", "ns", "nr", "nrt", "nrfg", "nz", "nt")
    return tok not in LEAD_ONE and tok not in VERB_ONE and tok not in ADMIN_ONE and not tag.startswith(
        _NOT_NAME_ONE if in_run else (*_NOT_NAME_ONE, *_WORD_ONE))


def own_name(stem: str) -> bool:
    """A firm's own name before a trade that is a common word: two to four characters that jieba does not know as
    one word or knows as a person's or firm's name, not two words of a sentence (严格|监督), opening with no
    function word or verb (受|圣贤)."""
    if not 2 <= len(stem) <= 4 or stem[0] in LEAD_ONE or stem[0] in VERB_ONE or stem[0] in FUNCTION_CHARS:
        return False
    pos = pos_table()
    tag = pos.get(stem)
    if len(stem) > 2 and (pos.get(stem[0]) or "").startswith("v") and pos.get(stem[:2]) is None:
        return False  # 受|圣贤: a verb opens no name
    return not _phrase_tag(stem) and (tag is None or tag.startswith(("nr", "nz", "nt")))  # 严格|监督 (tagged nr)


#: What follows a trade that is a common word used as one (科技|政策, 水泥|路面, 教育|孩子, 教育|了, 教育|背后,
#: 教育|均衡): a noun of two characters or more, a locative, an adjective, an aspect particle.
_AFTER_COMMON_TRADE = ("n", "f", "s", "a", "ul", "uz", "ug")


def own_firm(text: str, spans: list[tuple[int, int]], start: int, at: int, end: int) -> bool:
    """``text[start:end]`` is a firm named by its own name ``text[start:at]`` and a trade that is a common word
    (天普教育, 蓝思科技, 裕华水泥): :func:`own_name`; before 教育 (a verb too: 老王教育孩子, 张三教育了我) not a
    person's (a surname first) or a place's name (湖南教育: a place's teaching; 中星教育 is a firm, so 清华教育
    stays one) unless a verb follows (林肯教育|拖欠); and the trade is not followed by a noun, locative, adjective or
    了 that makes it a word of a sentence (中科院|科技|政策, 李庄|水泥|路面, 湖天|教育|背后, 普职|教育|均衡) — a
    word for its staff, fees or body keeps it a firm (华星科技|员工, 博雅教育|学费, 新星教育|机构)."""
    stem = text[start:at]
    if not own_name(stem):
        return False
    pos = pos_table()
    k = bisect.bisect_left(spans, (end, -1))
    nxt = text[spans[k][0]:spans[k][1]] if k < len(spans) and spans[k][0] == end else ""
    ntag = pos.get(nxt) or ""
    tag = pos.get(stem) or ""
    if text[at:end] == "教育" and (tag.startswith("ns") or (not ntag.startswith("v") and (
            nxt not in AFTER_FIRM or nxt in NOT_FIRM_END) and (
            (stem[0] in "老小" and stem[1] in SURNAMES) or (stem[0] in SURNAMES and len(stem) <= 3 and (
                tag.startswith("nr") or (pos.get(stem[1:]) or "m").startswith(("m", "nr"))))))):
        return False  # 湖南教育, 老王教育孩子, 张三教育了我 (but 腾飞教育: jieba tags many a firm's name nr;
        # 林肯教育|拖欠, 金太阳教育|学费)
    if not nxt or nxt in AFTER_FIRM or nxt in TRADE_SUFFIXES:
        return True  # 华星科技|员工, 博雅教育|学费, 新星教育|机构, 新东方教育|科技
    return not (ntag.startswith(_AFTER_COMMON_TRADE) and not ntag.startswith(("nr", "ns", "nz", "nt"))
                and (len(nxt) > 1 or ntag in ("ul", "uz", "ug", "f")) and not nxt.startswith(("乱", "违")))
    # (but 天普教育|乱收费, 蓝思科技|违规: what the firm does wrong)


#: Common surnames: an official addressed by surname and rank (张处, 王局, 李科) or a person by surname and name
#: (张三, 刘老板) is a person.
SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
                     "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
                     "万钱严覃武戴莫孔向汤")
