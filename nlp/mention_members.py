"""Places named by what a letter says of them. The place a resident says they belong to (我们是D市美的梧桐庄园的
业主, 我是香江集团高岭商贸城的一名员工, 我是E市新天地苏荷娱乐城的法人): a letter often opens by saying whose owner,
resident or employee its writer is, and that estate, firm or site is most often what it is about — named as the
resident names it, with or without a kind word. And the ends of a rural bus route (坐小横垅班车, L5县到祖师殿的班车,
桥江到L5县班车): villages and hamlets no gazetteer lists and no kind word names."""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.model import PlaceLevel
from nlp.mention_stems import FUNCTION_CHARS, SURNAMES, RawMention, words_in
from nlp.place_lexicon import (
    ADMIN_ONE,
    AFTER_PLACE,
    ESTATE_WORDS,
    GENERIC,
    LEAD_ONE,
    NAME_WORDS,
    NOT_NAME_POS,
    STOP_WORDS,
    VERB_ONE,
)
from nlp.postags import pos_table

#: What a writer is of a place: owner, resident, tenant, employee, staff, the firm's legal person.
ROLES = ("业主", "居民", "住户", "租户", "商户", "员工", "职工", "工人", "法人", "股东", "医务人员", "教职工", "教师",
         "老师", "退休职工", "下岗职工", "下岗工人", "内退职工", "在职职工")
_MEMBER = re.compile(
    r"(?:我们|我|本人)(?:都|均|也)?是((?:[A-Z]\d{0,2}(?:省|市|县|区|州))*)"
    r"([^，。！？；：、,.!?;:\s（）()“”\"《》]{2,16}?)"
    r"(?:的?(?:[一二三四五六七八九十\d]+期)?的?(?:一名|一位|一个|名|位)?(?:普通|在职|退休|下岗|内退|广大|新|老)?"
    r"(?:" + "|".join(sorted(ROLES, key=len, reverse=True)) + r")|的(?=[，。,！!\s]))")
_DIGIT = re.compile(r"[0-9０-９]")
_BESIDE = frozenset(["边上", "一带", "对面", "后面", "前面", "里面", "这边", "那边"])
_NOT_ONE_POS = ("v", "d", "p", "c", "r", "u", "y", "e", "o", "m", "q", "f", "a", "t")
#: Parts of speech no word of such a name has (verbs, adverbs, pronouns, prepositions …).
_NOT_MEMBER_POS = (*(p for p in NOT_NAME_POS if p != "m"), "i", "t", "f")  # 第七 (m) is read above
#: Endings that make a name a place's even when all its words are common (老农业局宿舍第七栋, 粮食学校).
_PLACE_ENDS = ("栋", "幢", "楼", "宿舍", "院", "场", "厂", "站", "所", "城", "园", "湾", "苑", "府", "庭", "居", "中心",
               "公司", "集团", "校", "学", "店", "馆", "村", "社区", "小区", "矿", *ESTATE_WORDS)


#: Words for a workplace, body or neighbourhood that 老/新/原 before them leave common (老国企, 原单位, 老街坊; but
#: 新天地, 新世纪, 老码头, 老车站 are names).
_OLD_COMMON = frozenset(["国企", "企业", "工厂", "厂子", "厂", "单位", "部门", "机关", "公司", "街坊", "邻居", "小区",
                         "社区", "宿舍", "家"])


def _named(text: str, spans: list[tuple[int, int]], start: int, end: int, bare: bool = False) -> bool:
    """``text[start:end]`` is a place's name: its words are no verbs, adverbs, pronouns or function words, the
    first is no qualifier or count, and a word of a name (one jieba does not know, a place's, person's or firm's
    name, single characters) or a place's ending is in it; not a common word alone (农民, 工厂, 企业)."""
    name = text[start:end]
    if len(name) < 3 or name.endswith("户") or name in GENERIC or name in STOP_WORDS or name[-1] in "省市县区州" \
            or _DIGIT.search(name) or (bare and not name.endswith(_PLACE_ENDS)):
        return False  # an area is read as one (L12市, B市B3区); 我是河南的, 我是50后的, 15栋701, 棚改户: no place
    words = words_in(text, spans, start, end)
    if not words or sum(map(len, words)) != len(name):
        return False  # the name must start and end on word boundaries
    pos = pos_table()
    if words[-1] in AFTER_PLACE or words[-1] in _BESIDE:
        return False  # 西湖|边上: beside a place, not one
    if person(words) or (name[0] in "老新原" and name[1:] in _OLD_COMMON):
        return False  # 刘老板, 陈|总公司, 老李家: a person; 老国企, 老工厂, 老街坊: a common word, no place's name
    named = name.endswith(_PLACE_ENDS)
    for i, w in enumerate(words):
        tag = pos.get(w) or ""
        if len(w) == 1:
            run = (i > 0 and len(words[i - 1]) == 1) or (i + 1 < len(words) and len(words[i + 1]) == 1)
            if w in FUNCTION_CHARS or w in LEAD_ONE or (i == 0 and w in ADMIN_ONE) or (
                    tag.startswith(_NOT_ONE_POS) and not run and not (i == 0 and w in "老新原")):
                return False  # 吃|辣条|长大, 集镇|一, 旗滨公园|里 (but 高|岭: a name jieba cut into characters)
            named = True  # 高|岭, 老|码头, 新|天地 (老|国企 is turned down above)
            continue
        if w in STOP_WORDS or (tag.startswith(("m", "b")) and not w.startswith("第")):
            return False  # 一个普通, 所在单位, 公路局一名普通: no name (老农业局宿舍|第七|栋 is one)
        if tag.startswith(_NOT_MEMBER_POS) and not tag.startswith("vn"):
            return False
        if not tag or tag.startswith(("ns", "nr", "nz", "nt")) or w in NAME_WORDS:
            named = True
    return named and not (len(words) == 1 and (pos.get(name) or "").startswith(("n", "vn")) and not (
        pos.get(name) or "").startswith(("ns", "nr", "nz", "nt")))


def with_members(text: str, spans: Sequence[tuple[int, int]], found: list[RawMention]) -> list[RawMention]:
    """``found`` and the places the writer says they are owners, residents or employees of (我是X的业主, 我们是X一名
    员工), named with their areas as written (C4市碧桂园; the key drops them). Such a name holding other mentions
    replaces them (美的梧桐庄园 over 梧桐庄园); one that opens with a road, town or village is read after it
    (联丰路109号|华润橡树湾); one that crosses another mention is dropped."""
    spans = list(spans)
    for m in _MEMBER.finditer(text):
        start, a, b = m.start(1), m.start(2), m.end(2)
        inner = [r for r in found if r.start < b and r.end > start]
        if any(r.start < start or r.end > b for r in inner):
            continue
        lead = [r for r in inner if r.start == a and r.level in _LEADS]
        if lead:
            start = a = max(r.end for r in lead)
            inner = [r for r in inner if r.start >= a]
        if not _named(text, spans, a, b, bare=m.group(0).endswith("的")) or text[a:b] in {r.name for r in found}:
            continue  # 嘉悦城 read already: the same place, not one more
        found = [r for r in found if r not in inner] + [RawMention(start, b, text[start:b], PlaceLevel.OTHER, "")]
    return sorted(found, key=lambda r: r.start)


_LEADS = frozenset([PlaceLevel.ROAD, PlaceLevel.TOWN, PlaceLevel.COMMUNITY])


#: A bus, coach or minibus and what comes before it (的, 方向的): a route's end is named right before.
_BUS = r"(?:的)?(?:方向的)?(?:班车|客车|中巴车|中巴|大巴|客运车|线路车)"
#: The end a bus goes to (坐X班车, 到X的班车, 发往X方向的客运车) and the end it comes from (X到L5县的班车, X-L5县客车).
_ROUTE_TO = re.compile(r"(?=(?:乘坐|搭乘|发往|开往|前往|坐|乘|搭|去|到|往|至|-|—|－)([\u4e00-\u9fff]{2,4}?)" + _BUS
                       + ")")  # a lookahead: every verb is tried (乘坐|小横垅, 坐到|鹰嘴坳), not only the first
_ROUTE_FROM = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,4}?)(?:到|至|-|—|－)"
                         r"(?:[A-Z]\d*[县市区]城?|[\u4e00-\u9fff]{2,4}?)" + _BUS)
#: A route's end is a name jieba does not know or knows as a place's or other name; not a person's (张师傅, 王|哥).
_ROUTE_TAGS = ("ns", "nz", "nt")
#: What follows a surname in the way people are named (刘老板, 张师傅, 王|哥, 陈|总公司, 老李家).
PERSON_TITLES = frozenset(["老板", "老总", "师傅", "经理", "老师", "主任", "书记", "医生", "阿姨", "大爷", "大妈",
                           "总", "哥", "姐", "叔", "婶", "嫂", "伯", "爷"])


def person(words: Sequence[str]) -> bool:
    """``words`` name a person: a surname (one character, or with 老/小 before it) and a title (刘老板, 张师傅, 王|哥,
    陈|总公司; 老|李家 at the end: 王家|湾 is a place)."""
    for i, w in enumerate(words):
        core = w[1:] if len(w) > 2 and w[0] in "老小" else w
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if core[0] in SURNAMES and (core[1:] in PERSON_TITLES or (core[1:] == "家" and not nxt) or (
                len(core) == 1 and (nxt in PERSON_TITLES or nxt.startswith("总")))):
            return True
    return False


def _not_route_word(w: str, tag: str | None) -> bool:
    if len(w) == 1:
        return w in FUNCTION_CHARS or w in LEAD_ONE or w in VERB_ONE
    return tag is not None and not tag.startswith(_ROUTE_TAGS)


def routes(text: str, spans: Sequence[tuple[int, int]]) -> list[RawMention]:
    """The ends of a bus route a letter names (坐小横垅班车, L5县到祖师殿的班车, 发往两丫坪方向的客运车,
    桥江到L5县班车): two to four characters on word boundaries that are names — words jieba does not know or
    knows as names, single characters that are no function words or verbs —, not an area (县城) or a common word
    (农村, 乡下)."""
    out: list[RawMention] = []
    if "车" not in text:
        return out
    spans = list(spans)
    pos = pos_table()
    seen: set[tuple[int, int]] = set()
    for m in (*_ROUTE_TO.finditer(text), *_ROUTE_FROM.finditer(text)):
        a, b = m.span(1)
        x = text[a:b]
        if x in GENERIC or x in STOP_WORDS or x[-1] in "省市县区州城里" or (a, b) in seen:
            continue  # 县城, 镇里: an area or where in it
        words = words_in(text, spans, a, b)
        if sum(map(len, words)) != len(x) or any(_not_route_word(w, pos.get(w)) for w in words) or person(words):
            continue
        seen.add((a, b))
        out.append(RawMention(a, b, x, PlaceLevel.OTHER, ""))
    return out
