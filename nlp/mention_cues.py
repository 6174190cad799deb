"""Estates, projects and firms named without a suffix word, found by the cues around them (after a city or
county, in quotes, before 业主, 项目, 的房子, 位于 …), for :func:`nlp.mentions.find_mentions`."""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Sequence

from core.model import PlaceLevel
from nlp.mention_stems import _RUN_STOP as _STEM_RUN_STOP
from nlp.mention_stems import (
    FUNCTION_CHARS,
    SURNAMES,
    RawMention,
    _after_county,
    _common,
    _name_part,
    _plain_start,
    area_spans,
    own_firm,
    words_in,
)
from nlp.place_lexicon import (
    ADMIN_ONE,
    ADMIN_TOKEN,
    AFFILIATED,
    AFTER_PLACE,
    BRACKETED_FIRM,
    BRANDED,
    BRANDED_NOT,
    CHAIN_BRANDS,
    COUNTED,
    DEVELOPERS,
    DWELLING,
    ESTATE_BY_ENDING,
    ESTATE_LIST,
    ESTATE_WORDS,
    GENERIC,
    HAN,
    LEAD_ONE,
    LOCATIVE,
    LONGER_NAME_ENDS,
    NAME_WORDS,
    NAMED_AFTER_ADMIN,
    NAMED_BEFORE_LOCATED,
    NAMED_BEFORE_PROBLEM,
    NAMED_IN_QUOTES,
    NOT_FIRM_END,
    NOT_NAME_POS,
    NOT_NAME_POS_ONE,
    OPERATOR,
    STOP_WORDS,
    STRICT,
    SUFFIX_RX,
    SUFFIXES,
    TRADE_QUALIFIERS,
    TRADE_SUFFIXES,
    UNIT_ENDS,
    VERB_ONE,
    WEAK_ESTATE_WORDS,
    WEAK_TRADES,
)
from nlp.postags import PosTable, pos_table


def _spans_within(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The words of sorted ``spans`` that lie inside ``[start, end)``, found by bisection."""
    k = bisect.bisect_left(spans, (start, -1))
    out = []
    while k < len(spans) and spans[k][1] <= end:
        out.append(spans[k])
        k += 1
    return out


def _named_by_context(text: str, spans: list[tuple[int, int]], ends: set[int]) -> list[RawMention]:
    """Estates and projects named without a suffix word, where their context says so: right after a city,
    district or county or in quotes, and followed by 业主, 项目, 楼盘, 的房子, 25栋 … (G市蓝湖郡的房子)."""
    pos = pos_table()
    starts = {a for a, _ in spans}
    end_at = {b: i for i, (_, b) in enumerate(spans)}
    out = []
    for rx in (NAMED_AFTER_ADMIN, NAMED_IN_QUOTES, NAMED_BEFORE_PROBLEM, NAMED_BEFORE_LOCATED):
        for m in rx.finditer(text):
            s, e = m.span(1)
            name = m.group(1)
            if s not in starts or e not in ends:
                continue
            if rx is NAMED_IN_QUOTES and text.startswith(("项目", "工地"), m.end()):
                continue  # “绿水青山”项目: a quoted slogan names projects, not estates
            firm = rx in (NAMED_BEFORE_PROBLEM, NAMED_BEFORE_LOCATED)  # a firm's name may end in its trade (锦络|电子)
            last = text[spans[end_at[e]][0]:e] if firm and e in end_at else ""
            lead = rx is NAMED_BEFORE_LOCATED  # not right after a prefix: 我们|学校位于 …
            cut = _plain_start(text, spans, s, e, last, lead_pos=lead)  # right after the prefix: 星河|小镇 is a name
            if cut is not None and cut != s:
                cut = _plain_start(text, spans, cut, e, last)  # K市在建|工程|教师园: not right after it any more
            if firm and cut is not None and (
                    e - cut == len(last) or _common(text[cut:e - len(last)])
                    or text[cut:e].endswith(tuple(NOT_FIRM_END))
                    or not (pos.get(last) or "n").startswith(("n", "vn"))
                    or any(text[a:b].endswith(UNIT_ENDS) for a, b in _spans_within(spans, cut, e))):
                continue  # the trade alone (K市电子|环评), a common word before it, an office or a phrase: no firm
            if cut is None or e - cut < 2:
                continue
            s, name = cut, text[cut:e]
            toks = [text[a:b] for a, b in _spans_within(spans, s, e)]
            head = pos.get(toks[0], "") or ""
            if lead and len(toks[0]) == 1 and head.startswith(("v", "n")) and not head.startswith(("ns", "nr", "nz")):
                continue  # 氏|周蜡业, 岭|森林公园: the clause began inside a name
            tag = pos.get(name, "") or ""
            if (tag and not tag.startswith(("ns", "nr", "nz", "nt"))) or name in GENERIC \
                    or any(t in STOP_WORDS or t in SUFFIXES or t.endswith("办事处") for t in toks) \
                    or any(t in STOP_WORDS or t in VERB_ONE or (pos.get(t, "") or "").startswith(NOT_NAME_POS_ONE)
                           for t in toks if len(t) == 1) \
                    or (len(toks[0]) == 1 and (pos.get(toks[0], "") or "").startswith(("q", "m"))) \
                    or any((pos.get(t, "") or "").startswith(NOT_NAME_POS) and t not in NAME_WORDS
                           for t in (toks[:-1] if firm else toks) if len(t) > 1):
                continue  # (蒙华铁路A9市|段|施工扰民: a measure word opening it is the stretch of a line, no name)
            if firm:
                out.append(RawMention(s, e, name, PlaceLevel.LANDMARK, "单位"))
            else:
                out.append(RawMention(s, e, name, PlaceLevel.COMPOUND, "楼盘"))
    return out


#: Characters that no estate's name holds (function words, pronouns): where jieba cuts a name apart, the
#: characters themselves are read.
_NOT_IN_ESTATE = set("的了在是和与及或我你他她它这那们就也还又被把让给对向往说要有很最已曾将该此其每各某")  # 太悦城
#: Words inside a suffixless name that make it an office, a firm or a facility, not an estate.
_NOT_ESTATE = ("政府", "公司", "单位", "医院", "学校", "集团", "地产", "物业", "银行", "部门")
#: Words after which one common word and a weak ending still make a name (位于城南的|锦绣|天地项目).
_ENDING_EDGE = frozenset(["的", "在", "住", "住在", "家住", "是", "叫", "名叫", "楼盘", "项目", "小区", "我们", "了",
                          "位于"])
_NOT_ENDING_POS = ("v", "d", "p", "c", "u", "r", "q", "y", "e", "o", "m", "l", "i", "t")
_NOT_LISTED_POS = ("p", "c", "u", "r", "q", "y", "e", "o")
_PLACE_ENDS = frozenset("区村镇乡路街")
#: An estate word at the end of a word (for names in a subject line) and the longest subject line.
_ESTATE_WORD = re.compile("(?:" + "|".join(sorted(ESTATE_WORDS, key=len, reverse=True)) + ")")
TITLE_MAX = 80


def subject_end(text: str) -> int:
    """Where a message's subject line ends (its first line, if a line break ends it within :data:`TITLE_MAX`
    characters), else -1."""
    nl = text.find("\n")
    return nl if 0 < nl <= TITLE_MAX else -1

#: Units after which one or two single characters open an estate's name (街道|怡|海星|城), and characters that
#: never do (function words, pronouns, negations).
_UNIT_EDGE = frozenset(["街道", "镇", "乡", "区", "县", "市"])
_RUN_STOP = _STEM_RUN_STOP - {"太"}  # 太|悦|城 opens an estate's name here
_NOT_BRANDED_POS = ("v", "d", "a", "i", "l", "r", "m")
_NOT_DWELLING_POS = ("d", "p", "c", "u", "r", "q", "y", "e", "o", "m", "l", "t", "f")


def _named_by_dwelling(text: str, spans: list[tuple[int, int]], ends: set[int]) -> list[RawMention]:
    """Estates named without a suffix word where a resident says they live or bought there (家住D3区国能首郡，
    住在江山华府的业主, 开发的西山名流汇（…）): the name runs from the cue (and any masked city or district) to
    a stop, 的房子, 业主 or a block number."""
    pos = pos_table()
    starts = {a for a, _ in spans}
    out = []
    for m in DWELLING.finditer(text):
        lives, masked = bool(m.group(1)), bool(m.group(2))
        bare_admin = m.group(0)[:1] in "市区县州"  # A9市|华盛彩虹城，: only with an estate word at its end
        s, e = m.span(3)
        name = m.group(3)
        if (not masked and s not in starts) or e not in ends or set(name) & _NOT_IN_ESTATE:
            continue
        ending = next((w for w in ESTATE_WORDS if name.endswith(w)), "")
        suffix = max((len(w) for w in SUFFIXES if name.endswith(w)), default=0)
        if name in GENERIC or name in STOP_WORDS or name in DEVELOPERS or suffix > len(ending) \
                or name.endswith(UNIT_ENDS) or any(w in name for w in _NOT_ESTATE) or set(name) & set("局厅委") \
                or name[-1] in "内外旁边上下前后中市县区州省":
            continue  # 住在村里, 住在县城, 住在医院: the suffix extractor reads named ones (住在XX小区)
        whole = pos.get(name, "") or ""
        if whole and not whole.startswith(("ns", "nr", "nz", "nt")):
            continue  # 住在农村, 买了保险, 住在外地: a common word
        if not (lives or masked or ending or text.startswith(("的房", "业主", "小区"), e) or text[e:e + 1].isdigit()):
            continue  # 买了社保, 购买了五险: what one buys is an estate only where its name or context says so
        if bare_admin and not ending:
            continue
        if any(t[-1] in _PLACE_ENDS for t in words_in(text, spans, s, e)):
            continue  # B市|黄山路|海韵天城小区: a road or town inside, the suffix extractor reads the estate
        if ending and len(name) - len(ending) < 2:
            continue  # 住在里, 住在城: no name before the ending
        toks = words_in(text, spans, s, e)
        if any(len(t) == 1 and (t in STOP_WORDS or t in LEAD_ONE or t in VERB_ONE
                                or (pos.get(t, "") or "").startswith(NOT_NAME_POS_ONE)) for t in toks):
            continue
        bad = _NOT_DWELLING_POS[:-1] if masked else _NOT_DWELLING_POS  # after a district: B1区|南岸|里
        if any(len(t) > 1 and t not in NAME_WORDS and (t in STOP_WORDS or (pos.get(t, "") or "").startswith(bad))
               for t in toks):
            continue  # 住在一套…, 买了很多: counts, adverbs, pronouns
        if not masked and (ending in WEAK_ESTATE_WORDS or not ending) and all(
                _common(t) or (len(t) == 1 and t in ending) for t in toks):
            continue  # 买了社保, 住在宿舍里: common words name no estate unless a district precedes them
        if not (masked or ending) and any(len(t) > 1 and _common(t) for t in toks):
            continue
        out.append(RawMention(s, e, name, PlaceLevel.COMPOUND, "楼盘"))
    return out


def _named_by_ending(text: str, spans: list[tuple[int, int]], ends: set[int]) -> list[RawMention]:
    """Estates named without a suffix word by their ending where owners, a project, a block or a handover follow
    (金色时代项目, 东方名都项目, 锦绣天地的业主): the words before the ending, up to a function word, a verb, an
    administrative prefix or another place, are the name."""
    out = []
    for m in ESTATE_BY_ENDING.finditer(text):
        b, e = m.span(1)
        bought = text.startswith(("购房", "买房", "购买", "买了"), e)
        if e in ends and (start := _ending_start(text, spans, b, e, bought=bought)) is not None:
            out.append(RawMention(start, e, text[start:e], PlaceLevel.COMPOUND, "楼盘"))
    return out


def _named_twice(text: str, spans: list[tuple[int, int]], ends: set[int]) -> list[RawMention]:
    """Estates named without a suffix word by their ending in a message's subject line and again in its body
    (开成公馆电梯多次故障⏎我是开成公馆一名业主; 请加大对滨水新城的绿化⏎滨水新城高楼林立): a resident names the
    place the letter is about in its title and repeats it. Not a name of common words alone (物业服务中心)."""
    nl = subject_end(text)
    if nl < 0:
        return []
    out = []
    for m in _ESTATE_WORD.finditer(text, 0, nl):
        b, e = m.span()
        if e not in ends or (start := _ending_start(text, spans, b, e, verb=True)) is None:
            continue
        name = text[start:e]
        toks = words_in(text, spans, start, b)
        # right after a city or county (listed, read by its suffix or masked) a verb or a name word may open it
        # (M5市|开成|公馆, 宁乡县|开成|公馆), not a common
        # noun (A市|物流|园) nor a word that holds the ending (再婚|家庭)
        masked = _after_county(text, spans, start) and bool(toks) \
            and (pos_table().get(toks[0]) or "x") != "n" and b == spans[bisect.bisect_left(spans, (b, -1))][0]
        # one noun before an ending of two characters and more names it (滨水|新城; not 物业服务|中心, 教师|园)
        # two or more single characters (滨|水|新城: a name jieba does not know) name it too
        noun = (len(toks) == 1 and e - b >= 2 and (pos_table().get(toks[0]) or "") == "n" and b in {
            spans[bisect.bisect_left(spans, (b, -1))][0]}) or (
            len(toks) >= 2 and all(len(t) == 1 and t not in _RUN_STOP and t not in ADMIN_ONE for t in toks))
        if len(name) < 3 or text.find(name, nl) < 0 \
                or (all(_common(t) or len(t) == 1 for t in toks) and not masked and not noun) \
                or any(name.endswith(w) and len(w) > e - b for w in SUFFIXES):
            continue  # 英才幼儿园, 兰江公园: a kind of place the suffix reader reads
        out.append(RawMention(start, e, name, PlaceLevel.COMPOUND, "楼盘"))
    return out


_NAMED_AS = re.compile(r"(?:名为|名叫|叫做|取名为|取名叫)[“\"「]?([\u4e00-\u9fff\dA-Za-z]{2,12}?)"
                       r"(?=[”\"」，。,;；！!？?\s（(]|的|在|却|从|是|于|已|$)")


def _named_as(text: str) -> list[RawMention]:
    """A place introduced by its name (一家名为农夫生鲜蔬菜市场, 名叫兴典花苑的小区): what follows 名为 / 名叫 / 叫做 up
    to a stop is the name, if it ends in a place's suffix word (a shop, market, estate, school …) or an estate word."""
    out = []
    for m in _NAMED_AS.finditer(text):
        name = m.group(1)
        kind = max((w for w in SUFFIXES if name.endswith(w)), key=len, default="")
        level = SUFFIXES[kind] if kind else None
        if not kind and name.endswith(ESTATE_WORDS):
            kind, level = "楼盘", PlaceLevel.COMPOUND
        if level is None or len(name) - (len(kind) if kind != "楼盘" else 1) < 2 or name in GENERIC \
                or set(name.replace("有限", "")) & _NOT_IN_ESTATE:
            continue
        out.append(RawMention(m.start(1), m.end(1), name, level, kind))
    return out


_EXPRESSWAY = re.compile("高速公路|高速")
_ON_OFF = frozenset("上下进出走开驶")  # 上高速, 走高速: getting on or off, no name
_NEAR = frozenset("离近沿经往临靠挨到从于")  # 离|杭|瑞|高速: a word of place before the name


def _expressways(text: str, spans: list[tuple[int, int]]) -> list[RawMention]:
    """Expressways named by the two places they join (岳|临|高速, 沪|昆|高速公路, 京珠高速): two single characters
    or one name word of two characters right before 高速 / 高速公路 as a word of its own; not a function word, a
    count or a verb before it (有了高速, 几条高速, 驶向高速), nor 高速 as an adverb (高速发展)."""
    out: list[RawMention] = []
    if "高速" not in text:
        return out
    pos = pos_table()
    for m in _EXPRESSWAY.finditer(text):
        k = bisect.bisect_left(spans, (m.start(), -1))
        if k >= len(spans) or spans[k] != m.span() or k < 1:
            continue  # 高速 must be a word of its own
        after = text[m.end():m.end() + 2]
        if m.group(0) == "高速" and after in ("发展", "增长", "运转", "运行", "行驶", "前进", "推进", "扩张", "上涨"):
            continue
        one = text[spans[k - 1][0]:spans[k - 1][1]]
        if len(one) == 2 and (pos.get(one) or "").startswith(("nz", "j")):
            start = spans[k - 1][0]
        elif k >= 2 and len(one) == 1 and spans[k - 2][1] - spans[k - 2][0] == 1:
            pair = text[spans[k - 2][0]:spans[k - 1][1]]
            before = text[spans[k - 3][0]:spans[k - 3][1]] if k >= 3 else ""
            if set(pair) & (_RUN_STOP | ADMIN_ONE | _ON_OFF) or not all("\u4e00" <= c <= "\u9fff" for c in pair) \
                    or (len(before) == 1 and "\u4e00" <= before <= "\u9fff" and before not in _RUN_STOP
                        and before not in _NEAR):
                continue  # 还没|高速, 车|上|高速; 离|杭|瑞|高速 is one
            start = spans[k - 2][0]
        else:
            continue
        out.append(RawMention(start, m.end(), text[start:m.end()], PlaceLevel.ROAD, "高速"))
    return out


def _ending_start(text: str, spans: list[tuple[int, int]], b: int, e: int, verb: bool = False,
                  bought: bool = False) -> int | None:
    """Where an estate's name ending in ``text[b:e]`` (an estate word) begins: the words before the ending, up to
    a function word, a verb, an administrative prefix or another place; None when they name no estate. With
    ``verb``, a verb of two characters right after a city or county opens the name (M5市|开成|公馆, 宁乡县|开成|公馆).
    With ``bought`` (a purchase follows: 购房, 买房), one common word before a weak ending is no name even after 在
    (在|老家|小镇买房, 在|大学|城买房: where one buys, not an estate)."""
    pos = pos_table()
    k = bisect.bisect_right(spans, (b, len(text) + 1)) - 1  # the token holding the ending's first character
    start = spans[k][0]
    j = k - 1
    while j >= 0 and b - spans[j][0] <= 6:
        tok = text[spans[j][0]:spans[j][1]]
        tag = pos.get(tok) or ""
        if (not all("\u4e00" <= c <= "\u9fff" for c in tok) or tok in STOP_WORDS or tok in SUFFIXES
                or tok[-1] in _PLACE_ENDS
                or ADMIN_TOKEN.match(tok) or (len(tok) == 1 and (tok in ADMIN_ONE or tok in LEAD_ONE
                                                                 or tok in VERB_ONE))
                or (tok not in NAME_WORDS and tag.startswith(_NOT_ENDING_POS))) and not (
                verb and len(tok) == 2 and tag.startswith("v") and _after_county(text, spans, spans[j][0])):
            run = j  # 暮云街道|怡|海星|城, K2区|金|盘|世界|城: one or two characters after a unit open the name
            while run >= 0 and j - run < 2 and spans[run][1] - spans[run][0] == 1 \
                    and text[spans[run][0]] not in _RUN_STOP and text[spans[run][0]] not in ADMIN_ONE \
                    and "\u4e00" <= text[spans[run][0]] <= "\u9fff":
                run -= 1
            if run < j and run >= 0 and text[spans[run][0]:spans[run][1]] in _UNIT_EDGE:
                start, j = spans[run + 1][0], run
            elif j == run + 1 and start < spans[k][0] and _opens_name(text, spans, j):
                start, j = spans[j][0], j - 1  # 怡|海星|城12、13栋, 在|怡|海星|城购房: one character opens the name
            break
        start = spans[j][0]
        j -= 1
    if j >= 0 and re.fullmatch(r"[A-Z]\d*", text[spans[j][0]:spans[j][1]]) and text[start] in "市县区州":
        start += 1  # A|市长|房|云|时代: jieba took the masked city's 市 on
    name = text[start:e]
    stem = text[start:b]
    if len(stem) < 2 or name in GENERIC or set(name) & _NOT_IN_ESTATE or any(w in name for w in _NOT_ESTATE) \
            or name.endswith(UNIT_ENDS) or stem in ESTATE_WORDS:
        return None
    toks = words_in(text, spans, start, b)
    ending = text[b:e]
    if ending == "里" and any(_common(t) for t in toks):
        return None  # 4年多的时间里开发商…: 里 is a locative after a common word
    if bought and ending in WEAK_ESTATE_WORDS and (_common(name) or all(
            _common(t) or (pos.get(t) or "").startswith(("s", "f")) for t in toks)):
        return None  # 在|海边|小镇买房, 在|大学城买房: where one buys is no estate by common words alone
    prev = text[spans[j][0]:spans[j][1]] if j >= 0 else ""
    if ending in WEAK_ESTATE_WORDS and len(toks) == 1 and _common(toks[0]) and prev \
            and HAN.match(prev[-1]) and not (ADMIN_TOKEN.match(prev) or (prev in _ENDING_EDGE and not bought)
                                             or (len(prev) > 1 and prev.endswith(("路", "街", "大道")))):
        return None  # 这个|信息化|时代业主: one common word mid-clause before a weak ending (人民西路|春晓|园 is one)
    return start


def _opens_name(text: str, spans: list[tuple[int, int]], j: int) -> bool:
    """Token ``j`` is one character that opens an estate's name (怡|海星|城): no function word, administrative
    character or verb one says before a place, at the start of a clause or after a word of place (在, 住在, 的)."""
    c = text[spans[j][0]:spans[j][1]]
    if c in STOP_WORDS or c in LEAD_ONE or c in VERB_ONE or c in ADMIN_ONE or c in _RUN_STOP \
            or ((pos_table().get(c) or "").startswith((*NOT_NAME_POS_ONE, "v", "a", "m", "q", "f", "t"))
                and not (pos_table().get(c) or "").endswith("g")):
        return False  # 请|海星|城, 看|海星|城: a verb; 怡, 春 (a verb or time word only as a morpheme) open a name
    prev = text[spans[j - 1][0]:spans[j - 1][1]] if j > 0 else ""
    return not prev or not HAN.match(prev[-1]) or prev in _ENDING_EDGE


def _listed_estates(text: str, spans: list[tuple[int, int]], ends: set[int]) -> list[RawMention]:
    """Estates listed before 等楼盘 / 等小区 (锦绣年华、溪岸、云顶天城等楼盘未交房): each item on word bounds, no
    function word, not a common word alone."""
    starts = {a for a, _ in spans}
    out = []
    for m in ESTATE_LIST.finditer(text):
        at = m.start(1)
        for n, item in enumerate(re.split(r"[、，,]", m.group(1))):
            s, e = at, at + len(item)
            at = e + 1
            toks = words_in(text, spans, s, e)
            lead = ("v", "d", "t", *_NOT_LISTED_POS)
            while n == 0 and toks and s in starts and (
                    toks[0] in STOP_WORDS or (pos_table().get(toks[0]) or "").startswith(lead)):
                s += len(toks.pop(0))  # 还有|锦绣年华、…: the list's first item begins after the verb
            item = text[s:e]
            if (s not in starts or e not in ends or len(item) < 2 or set(item) & _NOT_IN_ESTATE or item in GENERIC
                    or item in STOP_WORDS or (len(toks) == 1 and _common(toks[0]))
                    or any(t in STOP_WORDS or (pos_table().get(t) or "").startswith(_NOT_LISTED_POS) for t in toks)):
                continue
            out.append(RawMention(s, e, item, PlaceLevel.COMPOUND, "楼盘"))
    return out


_CHAIN = re.compile("|".join(map(re.escape, CHAIN_BRANDS)))
_OPERATOR_HINT = re.compile("移动|联通|电信")
#: A masked or real area right before a brand (P3县步步高, 湘潭市永辉): the subject-line reader joins the two.
_MASKED_AREA_BEFORE = re.compile(r"[A-Z]\d*[省市县区州]$")


def _chains_and_operators(text: str, spans: list[tuple[int, int]], starts: Collection[int],
                          ends: Collection[int]) -> list[RawMention]:
    """National chains and works named alone, on word bounds (在|苏宁|买的; not 苏宁路, 苏宁广场: the suffix readers
    name those; not 张|永|辉 or 李|国|美, a person's name jieba cut into characters), and telecom operators after
    their city or 中国 (B市移动, 中国电信; not 电信诈骗). ``starts``, ``ends``: where ``spans``' words start and
    end."""
    pos = pos_table()
    out = []
    for m in _CHAIN.finditer(text):
        if m.start() not in starts or m.end() not in ends or SUFFIX_RX.match(text, m.end()):
            continue
        k = bisect.bisect_left(spans, (m.start(), -1))
        before = text[spans[k - 1][0]:spans[k - 1][1]] if k > 0 else ""
        if (len(before) == 1 and before in SURNAMES) or _MASKED_AREA_BEFORE.search(text, 0, m.start()) or (
                before[-1:] in "省市县区州" and (pos.get(before) or "").startswith("ns")):
            continue
        out.append(RawMention(m.start(), m.end(), m.group(0), PlaceLevel.LANDMARK, "品牌"))
    for m in OPERATOR.finditer(text) if _OPERATOR_HINT.search(text) else ():
        if m.end() in ends and not SUFFIX_RX.match(text, m.end()):
            out.append(RawMention(m.start(), m.end(), m.group(0), PlaceLevel.LANDMARK, "品牌"))
    return out


_NOT_FIRM_FRONT = ("t", "p", "c", "u", "v", "d", "r", "m", "q", "ad")


def _bracketed_firms(text: str, spans: list[tuple[int, int]]) -> list[RawMention]:
    """Firms whose registered name holds their city in brackets (中油中泰（J市）天然气有限公司): the whole name, read
    back from the bracket over words of a name (月|与|中油中泰…: no time, verb or function word in it). The bracket
    names a place (J市, 长沙, 中国; not 化名, 匿名, 多人) and no verb follows it (张先生（化名）投诉开发公司)."""
    out: list[RawMention] = []
    if "（" not in text and "(" not in text:
        return out
    pos = pos_table()
    for m in BRACKETED_FIRM.finditer(text):
        inside = m.group(2)
        if not (inside[-1] in "省市县区" or (pos.get(inside) or "").startswith("ns")) or any(
                (pos.get(text[a:b]) or "").startswith(_NOT_FIRM_FRONT) or text[a:b] in STOP_WORDS
                for a, b in _spans_within(spans, m.start(3), m.end(3))):
            continue
        cut = m.end(1)
        for a, b in reversed(_spans_within(spans, m.start(1), m.end(1))):
            w = text[a:b]
            if w in STOP_WORDS or w in FUNCTION_CHARS or (pos.get(w) or "").startswith(_NOT_FIRM_FRONT):
                break
            cut = a
        if m.end(1) - cut < 2:
            continue
        out.append(RawMention(cut, m.end(), text[cut:m.end()], PlaceLevel.OTHER, "公司"))
    return out


def _branded(text: str) -> list[RawMention]:
    """Estates that open with a developer's brand (恒大名都三期, 碧桂园二期, 万达城5栋): brand, name and phase."""
    pos = pos_table()
    out = []
    for m in BRANDED.finditer(text):
        body, phase = m.group(2), m.group(3)
        after = text[m.end():m.end() + 1]
        if set(body) & _NOT_IN_ESTATE or any(w in body + after + text[m.end():m.end() + 2] for w in BRANDED_NOT):
            continue  # 恒大集团, 万科物业: the firm
        cue = re.match(r"业主|楼盘|项目|小区|住户|的业主|的住户|的房子|[\dA-Z]", text[m.end():])
        if not (phase or (cue and (body or m.group(1).endswith(ESTATE_WORDS))) or body.endswith(ESTATE_WORDS)):
            continue  # 恒大， and 恒大的房子 name the developer (碧桂园的业主 an estate); 碧桂园失望透顶， no estate
        words = (body[i:j] for i in range(len(body)) for j in range(i + 2, len(body) + 1))
        if any(w not in NAME_WORDS and w not in ESTATE_WORDS and (pos.get(w) or "n").startswith(_NOT_BRANDED_POS)
               for w in words):
            continue  # 恒大烂尾三期: a verb or adverb inside is no name
        if body.endswith(tuple(SUFFIXES)) and not phase and body[:1] not in "·•":
            continue  # 万达广场, 碧桂园小区: the suffix extractor reads it
        name = re.sub(r"(?:\d+|[A-Z])(?:栋|幢|号楼|单元|座)$", "", m.group(0))
        out.append(RawMention(m.start(), m.start() + len(name), name, PlaceLevel.COMPOUND, "楼盘"))
    return out


#: One unit of an administrative chain: a name and its kind (茅市镇, 汇溪村, 梅溪桥社区, 王家冲组).
_UNIT = re.compile(r"([\u4e00-\u9fff]{2,5}?)(街道|办事处|社区|居委会|村委会|镇|乡|村|组)")
#: Names that are words, not places (农村, 城乡 …; and 农业农村: K3县农业|农村|局 is a bureau) and characters no town's
#: name holds.
_NOT_UNIT = frozenset(["农村", "城乡", "乡村", "乡镇", "城镇", "村村", "新农村", "美丽乡村", "小城镇", "特色小镇"])
_UNIT_STOP = set("的了在是和与及或等各该本这那我你他们有个对为向到从把被就也还又其区县省某")
_NOT_IN_UNIT = re.compile("政府|公司|局|委|办|人民|医院|学校|中学|小学|乡镇|村道|村级|领导|干部|书记|主任|部门")
_NOT_UNIT_POS = tuple(p for p in NOT_NAME_POS if p not in ("a", "m"))  # 易俗|河镇, 七层|坡社区
#: Words that jieba joins onto a unit word (莫家塔|村主任): the unit still ends there.
_UNIT_JOINED = ("主任", "支书", "书记", "委会", "干部", "委", "部", "里", "内", "上", "农民", "居民")  # 响水|村农民
_UNIT_VERBS = frozenset(["安置", "还建", "拆迁"])  # 月湖安置小区
_PLACE_UNIT = re.compile(r"([\u4e00-\u9fff]{2,8}?)(" + "|".join(
    w for w in sorted(SUFFIXES, key=len, reverse=True) if SUFFIXES[w] not in (PlaceLevel.COMMUNITY, PlaceLevel.TOWN)
    and w not in ("店", "馆", "厂", "桥", "街", "巷", "弄")) + ")")
_ADMIN_CHAR = re.compile("[市县区州]")
_CHAIN_SOFT = ("我", "本", "该", "全", "各", "这", "那", "此", "每", "省")


def _admin_chain(text: str, spans: list[tuple[int, int]]) -> list[RawMention]:
    """Towns, villages, communities and groups named right after a county, district or city and after each
    other (D7县茅市镇, G7县漳江镇梅溪桥社区王家冲组, J4县赤石乡汇溪村): jieba often splits such names
    (茅|市镇), but right after an administrative prefix the characters up to the unit word are the name."""
    pos = pos_table()
    ends: set[int] = set()
    out: list[RawMention] = []
    seen = -1
    for c in _ADMIN_CHAR.finditer(text):
        k = bisect.bisect_right(spans, (c.start(), len(text) + 1)) - 1
        if k == seen or k < 0:
            continue
        seen, (a, b) = k, spans[k]
        if not ends:
            ends = {e for _, e in spans}
        tok, at = text[a:b], b
        if tok[0] in "市县区州" and k > 0 and re.fullmatch(r"[A-Z]\d*", text[spans[k - 1][0]:a]):
            at = a + len(tok) - len(tok.lstrip("市县区州"))  # F9|市长|塘镇, A8|县市|花明楼: jieba took the 市 on
        elif not (len(tok) >= 3 and tok[-1] in "市县区州" and not tok.startswith(_CHAIN_SOFT)
                  and (pos.get(tok) or "ns").startswith("ns")):
            continue
        last = ""
        if text.startswith(("县城", "城区", "市区"), at):
            at += 2  # C3县县城易俗河镇
        elif at < b and text[at:b] in ("城", "城区"):
            at = b  # M9|县城|三期
        while (m := _UNIT.match(text, at)) is not None:
            name, kind = m.group(1), m.group(2)
            joined = text.startswith(_UNIT_JOINED, m.end()) and spans[
                bisect.bisect_left(spans, (m.start(2), -1)) % len(spans)][0] == m.start(2)
            if ((m.end() not in ends and not joined) or _counted(name) or name in _NOT_UNIT
                    or name + kind in _NOT_UNIT or (name + kind).endswith("农业农村") or name + kind in GENERIC
                    or _NOT_IN_UNIT.search(name)
                    or _UNIT_STOP & set(name) or (kind == "组" and last not in ("村", "社区", "居委会"))
                    or (kind in ("村", "乡", "镇") and m.end() < len(text) and text[m.end()] in "民子庄落级干务医长")
                    or (kind in ("乡", "镇") and name[-1] in "故家他异老下"
                        and not (name[-1] == "家" and len(name) == 2 and name[0] in SURNAMES))):
                break
            if not _name_ok(text, spans, m.start(), m.end(1)):
                break
            level = PlaceLevel.TOWN if kind in ("镇", "乡", "街道", "办事处") else PlaceLevel.COMMUNITY
            out.append(RawMention(m.start(), m.end(), m.group(0), level, kind))
            at, last = m.end(), kind
        place = _last_unit(text, spans, at, ends)
        if place is not None:
            out.append(place)
    return out


def _name_ok(text: str, spans: list[tuple[int, int]], start: int, end: int, strict: bool = True) -> bool:
    """No verb, adverb, pronoun … of two characters or more and (``strict``) no one-character function word among
    the name's tokens."""
    pos = pos_table()
    toks = words_in(text, spans, start, end)
    return not (any(len(t) > 1 and (pos.get(t) or "").startswith(_NOT_UNIT_POS) and t not in NAME_WORDS
                    and t not in _UNIT_VERBS for t in toks)
                or any(strict and len(t) == 1 and (t in LEAD_ONE or ((pos.get(t) or "").startswith(("p", "c", "u", "t"))
                                        and pos.get(t) not in ("uv", "ud"))) for t in toks))  # 金|地|花园


def _last_unit(text: str, spans: list[tuple[int, int]], at: int, ends: set[int]) -> RawMention | None:
    """An estate, market, road or facility named right after the chain (A3区含浦锑都家园35栋, A1区马王堆海鲜市场,
    H3县金地花园): the characters up to its suffix word are its name."""
    m = _PLACE_UNIT.match(text, at)
    if m is None or spans[bisect.bisect_left(spans, (m.start(2), -1)) % len(spans)][0] != m.start(2):
        return None  # the suffix must begin a word: 道路, 线路, 垄断市场 are words
    name, kind = m.group(1), m.group(2)
    after = text[m.end():m.end() + 2]
    if kind in WEAK_TRADES and not own_firm(text, spans, m.start(2) - len(name), m.start(2), m.end(2)):
        return None  # C市|下半年|教育: a kind of teaching, no firm
    if kind in TRADE_SUFFIXES and (k := bisect.bisect_left(spans, (m.end(), -1))) < len(spans) \
            and spans[k][0] == m.end() and text[spans[k][0]:spans[k][1]] not in AFTER_PLACE \
            and text[spans[k][1] - 1] in LONGER_NAME_ENDS:
        return None  # A9市|建筑|建材|管理站: the trade word is inside a longer name
    if not (m.end() in ends or after[:1].isdigit() or LOCATIVE.match(after) or after in AFTER_PLACE
            or after[:1] in AFTER_PLACE):
        return None
    estate = SUFFIXES[kind] is PlaceLevel.COMPOUND  # after a county and before 小区, 苑 …: 嘉|和|上|都|小区 is a name
    if ((set(name) & set("的了在是我你他这那们个有") if estate else _UNIT_STOP & set(name)) or set(name) & set("进旁")
            or _NOT_IN_UNIT.search(name) or name in GENERIC or name + kind in GENERIC or name in ("中心", "中央")
            or "级" in name or not _name_ok(text, spans, m.start(), m.end(1), strict=not estate)
            or (COUNTED.match(name) and len(name) - COUNTED.match(name).end() < 2)):
        return None  # M市|三大|农贸市场: a count
    toks = words_in(text, spans, m.start(), m.end(1))
    if any(t in SUFFIXES and len(t) > 1 for t in toks) and any(t in ("和", "与", "及", "或", "、") for t in toks):
        return None  # D市廉租房和公租房: two places (but 公园大邸小区 is one)
    if any(len(t) > 1 and t in STOP_WORDS and t not in _UNIT_VERBS for t in toks) or (
            kind in STRICT and toks and toks[-1] not in _UNIT_VERBS
            and (_common(toks[-1]) or (pos_table().get(toks[-1]) or "").startswith("j"))
            and not any(_name_part(t) for t in toks[:-1])):
        return None  # A市目前…, A市出租车市场, M6州招投标市场: a common word before the suffix names no place
        # (but E市|崀|山|培英|学校, C市|韶|西|逸夫|学校: a name of its own comes first)
    return RawMention(m.start(), m.end(), m.group(0), SUFFIXES[kind], kind)


def _affiliated(text: str, spans: list[tuple[int, int]], found: list[RawMention]) -> list[RawMention]:
    """Hospitals and schools named as a university's or college's affiliate (南华大学附一医院,
    K市职业技术学院附属医院, 楚雅附二医院, D10县附属中学): the owner is the school named right before, else the
    name words before the affiliate (a masked city or county before them stays); a bare 附属医院 with neither
    names no place (附一医院 does)."""
    out: list[RawMention] = []
    if "附" not in text:
        return out
    pos = pos_table()
    owners: dict[int, RawMention] = {}
    for f in found:
        if f.name.endswith(("大学", "学院")):
            owners.setdefault(f.end, f)  # the first found, as a scan of ``found`` would take
    for m in AFFILIATED.finditer(text):
        s = m.start()
        owner = owners.get(s)
        if owner is not None:
            s = owner.start
        else:
            k = bisect.bisect_left(spans, (s, -1)) - 1
            while k >= 0 and m.start() - spans[k][0] <= 8:
                tok = text[spans[k][0]:spans[k][1]]
                tag = pos.get(tok) or ""
                if not all(HAN.match(c) for c in tok) or tok in STOP_WORDS or ADMIN_TOKEN.match(tok) or (
                        len(tok) == 1 and (tok in ADMIN_ONE or tok in LEAD_ONE or tok in VERB_ONE
                                           or tag.startswith(NOT_NAME_POS_ONE))) or (
                        len(tok) > 1 and tag.startswith(NOT_NAME_POS) and tok not in NAME_WORDS):
                    break
                s = spans[k][0]
                k -= 1
        prefix = re.search(r"(?:[A-Z]\d*(?:市|县|区|州))+$", text[max(0, s - 8):s])
        if s == m.start() and text.startswith("附属", s) and prefix is None:
            continue  # 附属医院 alone: no hospital of its own
        if prefix is not None:
            s -= len(prefix.group(0))  # D市附一医院, D10县附属中学: the masked city or county names it
        out.append(RawMention(s, m.end(), text[s:m.end()], PlaceLevel.LANDMARK, m.group(0)[-2:]))
    return out



def _counted(name: str) -> bool:
    """A count, not a name (三个, 两座): a number and a measure word with nothing or only a common word after it;
    七里桥, 五里牌 and 七里店 are names (a distance and a landmark)."""
    c = COUNTED.match(name)
    if c is None:
        return False
    rest = name[c.end():]
    return not rest or (_common(rest) and rest not in ("桥", "铺", "牌", "坪", "塘", "湾", "店", "庄", "岗", "亭"))


#: Kinds of institution a county, city or district names with its own name or alone (K3县康原肾病专科医院,
#: A市土木建筑工程有限公司, C市阀门厂, K1区法院): firms and works, hospitals, schools, stations, courts, police,
#: post, television, banks' branches. Longest first.
INSTITUTION_KINDS = ("集团有限公司", "股份有限公司", "有限责任公司", "有限公司", "分公司", "公司", "集团", "厂",
                      "专科医院", "医院", "卫生院", "卫生服务中心", "卫生中心", "学校", "学院", "大学", "中学", "小学",
                      "完小", "幼儿园",
                      "研究所", "研究院", "设计院", "电站", "中转站", "采石场", "洗沙场", "碎石场", "煤矿", "砖厂",
                      "屠宰场", "填埋场", "搅拌站", "石场",
                      "汽车站", "火车站", "高铁站", "城铁站", "汽车[东南西北]站", "人民法院", "法院", "人民检察院",
                      "检察院", "派出所", "交警大队", "交警支队", "交警总队", "车管所", "邮政局", "电视台",
                      "电信大楼", "计生办", "支行", "分行", "信用社", "农村信用社", "银行",
                      "高新技术产业开发区", "高新技术开发区",
                      "经济技术开发区", "经济开发区", "高新区", "经开区", "工业园区", "工业园", "物流园", "化工园",
                      "产业园")
#: Of those, the ones a county, city or district names alone (K1区法院, A市邮政局, F7县电视台): each area has one.
AREA_OWN = frozenset(["人民法院", "法院", "人民检察院", "检察院", "交警大队", "交警支队", "交警总队",
                       "车管所", "邮政局", "电视台", "电信大楼", "计生办", "汽车站", "火车站", "高铁站", "城铁站",
                       "汽车东站", "汽车南站", "汽车西站", "汽车北站", "农村信用社", "信用社", "中级法院",
                       "中级人民法院", "高新技术产业开发区",
                       "高新技术开发区", "经济技术开发区", "经济开发区", "高新区", "经开区",
                       "工业园区", "工业园", "物流园", "化工园", "产业园"])
_INSTITUTION = re.compile(r"(原?[\u4e00-\u9fff]{0,12}?)(" + "|".join(INSTITUTION_KINDS) + ")")
#: A cheap test whether a text can name such an institution at all.
_INSTITUTION_HINT = re.compile("公司|集团|厂|医院|卫生|学|研究|设计|站|场|矿|法院|检察|公安|派出|交警|车管|邮政|电视|"
                               "电信|计生|行|信用社|完小|区|园")
#: Masked cities, counties and districts one after the other (A市A7县), as the data set writes them.
MASKED_AREAS = re.compile(r"(?<![A-Za-z0-9])(?:[A-Z]\d{0,2}(?:省|市|县|区|州))+")
_NOT_IN_INSTITUTION = (FUNCTION_CHARS - {"太"}) | frozenset("至经镇乡村路街")
#: Characters no institution's name holds, whatever the segmentation (仁和 and 和平 hold 和, a name holds no 的).
_NEVER_IN_INSTITUTION = frozenset("的了们我你他她这那么吗呢吧啊")
#: Kinds of school that a city or county runs one of (I市卫生职业技术学校, D市幼儿师范学校; not 寄宿制学校).
_SCHOOL_TYPES = frozenset(["师范", "幼儿师范", "职业技术", "职业", "技工", "技术", "卫生", "外国语", "艺术", "体育",
                           "特殊教育", "聋哑", "盲人"])
#: Single characters of trades that jieba splits off (纸|厂, 砖|厂 …) and that name no firm alone.
_TRADE_ONE = frozenset("纸砖瓦油煤电水气钢铁铜木布糖酒茶米面肉鸭鸡鱼")
#: Offices inside a name (E7县教育局引进康楚公司): the office is the subject, not the firm's name.
_OFFICE_IN = re.compile("局|委|厅|政府|部门|单位|领导")
_NOT_INSTITUTION_POS = ("v", "d", "p", "c", "r", "u", "y", "e", "o", "m", "t", "f", "q")
#: Verbs a letter says an area did to a firm (A市|引进|科技公司, 成立, 取缔 …): they open no firm's name, even
#: before a trade (废旧|轮胎|炼油厂 is a works: 废旧 qualifies its trade).
_ACTS_ON_FIRM_WORDS = """
引进 引入 招引 成立 组建 筹建 新建 兴建 创办 开办 兴办 注册 收购 兼并 投资 扶持 支持 鼓励 帮助 整治 关停 取缔 查处 查封
处罚 督促 要求 责令 举报 投诉 起诉 联系 通知 委托 聘请 打造 发展 建设 建立 设立 关闭 整顿 规范 表扬 感谢 找 让 请
"""
ACTS_ON_FIRM = frozenset(_ACTS_ON_FIRM_WORDS.split())
_NOT_INSTITUTION_NAME = ("局", "委", "办", "厅", "政府", "部门", "单位", "中心", "领导", "书记", "主任")


def _after_area(text: str, spans: list[tuple[int, int]], units: Sequence[tuple[int, int]] = (),
                starts: Collection[int] | None = None, ends: dict[int, int] | None = None) -> list[RawMention]:
    """Institutions named right after the county, city or district they belong to (K3县康原肾病专科医院,
    A市土木建筑工程有限公司, C市阀门厂, 西地省承顺商贸有限公司, L5县济民医院, K1区法院, A市汽车南站): the
    characters up to the kind word are its name, whatever jieba made of them, if no function word, verb, place
    unit or office is among them; a court, police station, post office, television station or bus station may
    be named by its area alone. After a town, village or community (``units``: 谷洲镇黄金采石场, 株木水村世盛工贸公司)
    only a name of its own names one. Not 市长, 县领导, K市投诉某公司 (a verb opens it), 全市医院 (no area)."""
    if _INSTITUTION_HINT.search(text) is None:
        return []
    pos = pos_table()
    out: list[RawMention] = []
    areas = sorted({*((m.start(), m.end()) for m in MASKED_AREAS.finditer(text)), *area_spans(text, spans, ends),
                    *units})
    unit_ends = {b for _, b in units}
    starts = starts if starts is not None else {x for x, _ in spans}
    follows = {a: b for a, b in areas}
    covered, k = -1, 0
    while k < len(areas):
        a, b = areas[k]
        k += 1
        if a < covered:
            continue  # inside a chain read already
        while b in follows:
            b = follows[b]  # A市A7县邮政局, 湖南省长沙市: the areas one after the other
        covered = b
        m = _INSTITUTION.match(text, b)
        if m is None:
            continue
        name, kind = m.group(1), m.group(2)
        if not name and b in unit_ends and text[b - 1] == "村" and kind in ("小学", "中学", "完小", "幼儿园"):
            start = next(x for x, y in units if y == b)  # 澄塘村|小学: a village's school is named by its village
            out.append(RawMention(start, m.end(), text[start:m.end()], PlaceLevel.LANDMARK, kind))
            continue
        if not name and kind not in AREA_OWN and not kind.startswith("汽车"):
            continue  # A市医院, K市公司: a kind alone is no place
        inner = words_in(text, spans, b, m.start(2))
        if (name and (len(name.lstrip("原")) < 2 or _OFFICE_IN.search(name) or set(name) & _NEVER_IN_INSTITUTION
                      or any(len(t) == 1 and t in _NOT_IN_INSTITUTION for t in inner)
                      or set(name[:len(name) - sum(map(len, inner))]) & _NOT_IN_INSTITUTION
                      or name.endswith(_NOT_INSTITUTION_NAME) or name.lstrip("原") in GENERIC
                      or name in STOP_WORDS or name[:2] in STOP_WORDS)) \
                or (kind == "厂" and text.startswith(tuple("商家长区房"), m.end())) \
                or (kind.endswith("学") and text.startswith("生", m.end())):
            continue  # 厂家, 厂长, 中学生: not the place
        toks = inner
        firm = kind.endswith(("公司", "集团", "厂"))
        traded = firm and len(toks) > 1 and all((pos.get(t) or "").startswith(("n", "vn", "l", "j"))
                                                 and not (pos.get(t) or "").startswith(("nr", "ns", "nz", "nt"))
                                                 for t in toks[1:])  # 远航|食品|股份有限公司
        if any(len(t) > 1 and t not in NAME_WORDS and (
                (tag := pos.get(t) or "").startswith(_NOT_INSTITUTION_POS[1:])
                or (tag == "v" and ((i == 0 and (not traded or t in ACTS_ON_FIRM)) or not firm)))
               for i, t in enumerate(toks)):
            continue  # K市|投诉|某公司, 医疗鉴定会|指出|医院: a verb opens no name and is in no hospital's, school's
            # or office's, but a firm's trade may be one (汇众|劳务|派遣|公司, 美亲|汽车|租赁|有限公司); no adverb,
            # pronoun, count or time word
        glued = b not in starts and (not inner or inner[0] != name[:len(inner[0])])  # L3|县官|庄: jieba glued the
        # name's first characters to the area
        singles = len(inner) > 2 and len(inner[0]) == len(inner[1]) == 1  # 顺|发|劳务|派遣: an unknown name
        if name and (glued or singles or (traded and (pos.get(inner[0]) or "") == "v")  # 远航|食品|股份有限公司
                     or any(_name_part(t) and t not in _TRADE_ONE for t in inner)):
            a = b + name.startswith("原")  # a name of its own: the place without its area (锐达机电有限公司)
            if text[a] in "老旧" and len(inner) > 1 and inner[0] == text[a] and not any(
                    _name_part(t) and t not in _TRADE_ONE for t in inner[1:]):
                a = b  # D7县|老|橡胶|厂: an age word and a trade keep the area (D7县老橡胶厂)
        elif b in unit_ends:
            if not name or not kind.endswith(("厂", "场", "矿", "站", "有限公司")):
                continue  # 某某镇|派出所, 某某镇|中学: the suffix reader and facility patterns read a town's own
            a = b  # 谷洲镇|黄金|采石场: a town's works by its trade (the address chain joins the town to it)
        elif name and not (name.startswith(("原", "第")) or kind in AREA_OWN
                           or (inner and inner[-1] in _SCHOOL_TYPES) or kind.endswith((
                "厂", "有限公司", "医院", "大学", "学院", "研究所", "研究院", "设计院", "站", "场", "矿", "银行"))):
            continue  # W市|出租车|公司, P市|寄宿制|学校: a trade alone names no firm or school of one city
        out.append(RawMention(a, m.end(), text[a:m.end()], PlaceLevel.LANDMARK, kind))
        if kind in _PARK_KINDS:  # K3县经开区|传佳音电子科技有限公司: a firm in the park is named after it
            areas.insert(k, (m.end(), m.end()))
            unit_ends.add(m.end())
    return out


_PARK_KINDS = frozenset(["高新技术产业开发区",
                         "高新技术开发区", "经济技术开发区", "经济开发区", "高新区", "经开区", "工业园区", "工业园",
                         "物流园", "化工园", "产业园"])


#: Banks by their brand (中国银行, 建设银行, 中国农业银行, 人行, 邮储银行 …) and their branches.
_BANK = (r"(?:中国(?:工商|农业|建设|人民|邮政储蓄)?银行|(?:人民|工商|农业|建设|交通|招商|民生|兴业|光大|浦发|中信|"
         r"华夏|广发|邮政储蓄|邮储|农商|农村商业|村镇|商业)银行|人行|工行|农行|建行|中行|交行)")
_BANK_BRANCH = re.compile(_BANK + r"((?:[A-Z]\d*(?:省|市|县|区|州))+|[\u4e00-\u9fff]{2,3}?(?:省|市|县|区))?"
                          r"([\u4e00-\u9fff]{0,6}?)(分行|支行|营业部|分理处|储蓄所|营业所|网点)")


#: A branch's own name that is a road, street or town (解放路支行, 城关镇支行): its name before the kind is read.
_BRANCH_PLACE = re.compile(r"[\u4e00-\u9fff]{2,4}?(路|街|大道|镇|乡)")


def _bank_branches(text: str, spans: Sequence[tuple[int, int]] = ()) -> list[RawMention]:
    """A bank's branch by its brand, the area it serves and its own name (中国银行G7县支行, 建设银行K市分行,
    人行H3县支行, 工商银行城北支行): one place, where residents queue and complain. Not a branch without an area or
    name of its own (去银行支行, 农行网点, 农业银行营业网点, 中国银行下属分行: a common word is no name), nor words of
    a sentence inside (建设银行在县里的支行), nor a brand inside another word (施|工行|为: ``spans``' words)."""
    out: list[RawMention] = []
    if "行" not in text:
        return out
    starts = {a for a, _ in spans}
    pos = pos_table()
    for m in _BANK_BRANCH.finditer(text):
        area, own = m.group(1) or "", m.group(2)
        named = own[:p.start(1)] if (p := _BRANCH_PLACE.fullmatch(own)) else own  # 解放路|支行: the road's branch
        if not (area or len(own) >= 2) or set(named) & _NOT_IN_INSTITUTION or _OFFICE_IN.search(own) \
                or (own and own in STOP_WORDS) or (starts and m.start() not in starts) \
                or (own and not area and not (pos.get(own) or "ns").startswith(("ns", "nr", "nz", "nt", "s"))):
            continue
        out.append(RawMention(m.start(), m.end(), m.group(0), PlaceLevel.LANDMARK, m.group(3)))
    return out


#: A county's, city's or district's own hospital, court or station named by a bare 县 / 市 / 区 (县人民医院, 市中心医院,
#: 县医院, 县法院, 区妇幼保健院): in a letter about one county, the county's one (its offices are more often whom the
#: letter asks).
_OWN_FACILITY = re.compile(r"(?:县|市|区)(?:第[一二三四五六七八九十]人民医院|人民医院|中医院|中医医院|中心医院|"
                           r"妇幼保健院|医院|人民法院|法院|汽车站|火车站)")
_BEFORE_OWN_POS = ("v", "p", "c", "d", "u", "r", "f", "t", "m", "q", "y")


def _own_facilities(text: str, spans: list[tuple[int, int]]) -> list[RawMention]:
    """The county's or city's hospital, court or station named by a bare 县 or 市 (送往县人民医院, 在县医院,
    县法院判决): where 县 / 市 begins a word and no name precedes it (宁乡县人民医院 is read with its county, 全县,
    本市 are words, A市 is masked)."""
    out: list[RawMention] = []
    if "县" not in text and "市" not in text and "区" not in text:
        return out
    pos = pos_table()
    starts: dict[int, int] = {}
    for m in _OWN_FACILITY.finditer(text):
        starts = starts or {a: i for i, (a, _) in enumerate(spans)}
        i = starts.get(m.start())
        if i is None:
            continue
        prev = text[spans[i - 1][0]:spans[i - 1][1]] if i > 0 else ""
        if (prev and HAN.match(prev[-1]) and not (prev in STOP_WORDS or (pos.get(prev) or "").startswith(
                _BEFORE_OWN_POS))) or (prev and prev[-1].isascii() and prev[-1].isalnum()):
            continue  # 宁乡|县人民医院 has its county's name, A|市 is masked: read elsewhere
        out.append(RawMention(m.start(), m.end(), m.group(0), PlaceLevel.LANDMARK, "医院"))
    return out


#: An estate named by itself before its owners or a block (我们是家和院的业主, 我是大河映山的其中一位业主,
#: 北岸尚品10栋电梯房, 交房的蓝溪谷12栋): the name opens a clause or follows 是 / 的 / 在 / 住 / 买 / 于 or an area.
_OWNED_EDGE = frozenset("\n\t 　，。！？；：、（(）)“”\"是在住的买于区县市镇乡道")
_OWNED = re.compile(r"(?:\d{1,3}|[A-Za-z])(?:栋|幢|号楼|单元)|的?(?:其中)?(?:一位|一名|一个|一)?业主")
#: Endings after which 和 belongs to the name (家和院, 信和城), not a conjunction.
_HE_NAME_ENDS = tuple("城园院庭苑居府湾郡品邸")
#: Words that make the name a kind of dwelling, a body or a person, not an estate (新房业主, 商铺业主, 拆迁户).
_NOT_OWNED_POS = ("v", "d", "p", "c", "u", "r", "q", "y", "e", "o", "m", "l", "a", "j", "b", "z")
_NOT_OWNED = ("小区", "楼盘", "房", "公司", "政府", "单位", "门面", "商铺", "店", "户", "区域", "片区", "项目",
              "宿舍", "大楼", "楼")


def _clause_token(t: str, pos: PosTable) -> bool:
    """A word that puts a clause, not a name, before owners or after an area or a road (shared by
    :func:`_named_by_owners` and :func:`_named_after_masked`): a stop word, a verb or leading character alone, a
    common word of a clause's kind (_NOT_OWNED_POS), a pronoun, preposition, conjunction or particle alone."""
    return t in STOP_WORDS or (len(t) == 1 and (t in VERB_ONE or t in LEAD_ONE)) \
        or (len(t) > 1 and t not in NAME_WORDS and (pos.get(t) or "").startswith(_NOT_OWNED_POS)) \
        or (len(t) == 1 and (pos.get(t) or "").startswith(("r", "p", "c", "u")))


def _named_by_owners(text: str, spans: list[tuple[int, int]], ends: set[int],
                     starts: Collection[int] | None = None) -> list[RawMention]:
    """Estates named without a suffix word where their owners or a block follow (我们是家和院的业主, 我是中建信和城
    一业主, 北岸尚品10栋): three to six characters on word bounds after a clause's start, 是 / 的 / 在 / 住 / 买 /
    于 or an area; no function word (和 only inside a name ending like 城 or 院), pronoun, verb, adverb, count or
    time word, no kind of dwelling (新房, 商铺, 拆迁户), not one common word."""
    if "业主" not in text and "栋" not in text and "幢" not in text and "号楼" not in text and "单元" not in text:
        return []
    pos = pos_table()
    starts = starts if starts is not None else {a for a, _ in spans}
    out = []
    for s in sorted(starts):
        if s > 0 and text[s - 1] not in _OWNED_EDGE:
            continue
        e = next((e for e in range(s + 3, min(s + 7, len(text))) if e in ends and _OWNED.match(text, e)), None)
        if e is None:
            continue
        name = text[s:e]
        if not all("\u4e00" <= c <= "\u9fff" for c in name):
            continue
        inner = {"和"} if name.endswith(_HE_NAME_ENDS) and not name.startswith("和") else set()
        if (set(name) - inner) & (_NOT_IN_ESTATE | FUNCTION_CHARS) or name in GENERIC \
                or any(w in name for w in _NOT_OWNED) or any(w in name for w in _NOT_ESTATE) \
                or name.endswith(UNIT_ENDS):
            continue
        toks = [t for t in words_in(text, spans, s, e) if t not in inner]
        if len(toks) == 1 and (_common(toks[0]) or ((pos.get(toks[0]) or "").startswith(("n", "v", "a"))
                                                    and not (pos.get(toks[0]) or "").startswith(("ns", "nz")))):
            continue  # 商品房, 开发商, 老街坊: one common word or a person's word names no estate
        if any(_clause_token(t, pos)
               or (len(t) == 1 and k == 0 and (pos.get(t) or "").startswith(("z", "d")))
               or (len(t) == 1 and k == len(toks) - 1 and (pos.get(t) or "").startswith(("v", "z", "a", "d"))
                   and t not in _HE_NAME_ENDS)
               or ((pos.get(t) or "").startswith("t") and set(t) & set("年月日天时今昨明后前当近现"))
               for k, t in enumerate(toks)):
            continue  # 充分|尊重|业主, 别|再|伤|业主, 选|新一届|业主委员会: a clause, no name
        out.append(RawMention(s, e, name, PlaceLevel.COMPOUND, "楼盘"))
    return out


#: An estate or a named complex right after a masked city, county or district, by its ending alone (K9县锦绣豪庭买的
#: 商品房, I4县华通物流城在…, A市喜盈门范城四楼, A3区王家湾至…): what the masking left is a name before an
#: estate's last character.
_MASKED_ESTATE = re.compile(r"(?<=[A-Z]|\d)(?:市|县|区)([\u4e00-\u9fff]{2,6}?[城庭湾郡苑府园居])")
#: Endings of common words and bodies, not estates (政府, 县城, 全城, 校园, 公园, 幼儿园, 定居).
_NOT_MASKED_ESTATE = ("政府", "市府", "县城", "全城", "满城", "小城", "校园", "公园", "幼儿园", "动物园", "定居",
                      "民居", "家庭", "法庭", "宜居", "安居", "旧城", "老城", "古城", "主城")


def _named_after_masked(text: str, spans: list[tuple[int, int]], ends: set[int],
                        after: Collection[int] = (), starts: Collection[int] | None = None) -> list[RawMention]:
    """Estates and named complexes right after a masked area by their last character (城, 庭, 湾, 郡, 苑, 府, 园,
    居), whatever follows, and likewise right after a road (``after``: where roads end; 人民西路|春晓园买了): the
    name holds no function word, verb, adverb, count, unit (镇, 村, 局) or common word alone, and its ending is the
    end of a word (城|区, 居|民 are other words)."""
    pos = pos_table()
    starts = starts if starts is not None else {a for a, _ in spans}
    out = []
    for s in sorted({m.start(1) for m in _MASKED_ESTATE.finditer(text)} | set(after)):
        if s not in starts:
            continue
        e = next((s + k for k in range(3, 7) if s + k in ends and text[s + k - 1] in "城庭湾郡苑府园居"), None)
        if e is None or not all("\u4e00" <= c <= "\u9fff" for c in text[s:e]):
            continue
        name = text[s:e]
        toks = words_in(text, spans, s, e)
        if (pos.get(toks[0]) or "").startswith("f"):
            continue  # 东面|梅园: a side of the road, the name follows it
        if text.startswith(("地产", "集团", "置业", "公司", "房地产", "开发商"), e):
            continue  # L市碧桂园地产: the developer, a firm
        if text.startswith(("管理区", "区", "镇", "乡", "村", "路", "街", "大道", "社区", "片区", "新区"), e):
            continue  # G市西洞庭管理区, 金城路: the ending is inside a longer place's name
        if set(name) & (_NOT_IN_ESTATE | FUNCTION_CHARS) or name.endswith(_NOT_MASKED_ESTATE) or name in GENERIC \
                or any(w in name for w in _NOT_ESTATE) or any(t.endswith(UNIT_ENDS) or t[-1] in "镇乡村局街路"
                                                            for t in toks) \
                or max((len(w) for w in SUFFIXES if name.endswith(w)), default=0) > 1:
            continue  # 县政府, 市幼儿园, 含浦锑都家园 (the suffix reader reads it)
        if len(name) <= 3 and all(_common(t) or len(t) == 1 for t in toks) \
                and not (name[0] in SURNAMES and name[1] == "家"):
            continue  # 商业|城, 物流|园, 新|环|城: common words alone (but 王家|湾: a family's bay names a place)
        if any(_clause_token(t, pos) or (len(t) == 1 and (pos.get(t) or "").startswith("d")) for t in toks):
            continue
        out.append(RawMention(s, e, name, PlaceLevel.COMPOUND, "楼盘"))
    return out


#: A place introduced as one there is (有家众鑫混凝土公司, 对面有家文枝动漫城, 有一家万家和百货超市): what follows
#: 有(一)家 up to a kind's word is its name.
_THERE_IS = re.compile(r"(?:有|开了|开着)一?家(?:叫|名叫|叫做)?(?=[\u4e00-\u9fff])")
_THERE_KINDS = tuple(sorted({w for w, lv in SUFFIXES.items() if lv in (PlaceLevel.MARKET, PlaceLevel.LANDMARK,
                                                                      PlaceLevel.COMPOUND)} | {"城", "楼"},
                            key=len, reverse=True))


def _past_qualifier(text: str, spans: list[tuple[int, int]], s: int, e: int) -> list[str]:
    """The words of text[s:e] after a trade qualifier at its front (网红|奶茶, 连锁|超市; jieba may cut 网|红)."""
    q = next((n for n in (4, 3, 2) if text[s:s + n] in TRADE_QUALIFIERS), 0)
    return words_in(text, spans, s + q, e)


def _there_is(text: str, spans: list[tuple[int, int]], ends: set[int],
              starts: Collection[int] | None = None) -> list[RawMention]:
    """Firms, shops and complexes introduced by 有(一)家 (有家众鑫混凝土公司, 有一家万家和百货超市): the name runs
    to the first word ending in a kind (公司, 超市, 城 …) within ten characters, holds no function word (和 inside a
    name) or verb, and has a word of its own besides trade words (有家烧烤店, 有家大型超市: none)."""
    if "家" not in text:
        return []
    pos = pos_table()
    starts = starts if starts is not None else {a for a, _ in spans}
    out = []
    for m in _THERE_IS.finditer(text):
        s = m.end()
        if s not in starts:
            continue
        e = next((x for x in range(s + 3, min(s + 11, len(text)) + 1)
                  if x in ends and text[s:x].endswith(_THERE_KINDS)), None)
        if e is None:
            continue
        kind = next(k for k in _THERE_KINDS if text[s:e].endswith(k))
        name, toks = text[s:e], words_in(text, spans, s, e - len(kind))
        inner = {"和"} if "和" in name[1:-len(kind) - 1] else set()
        if e - len(kind) not in ends and _common(text[max(a for a, _ in spans if a < e):e]):
            continue  # 有一家|大型超市: one common word
        if not toks or (set(name) - inner) & FUNCTION_CHARS or not all("\u4e00" <= c <= "\u9fff" for c in name) \
                or name in GENERIC or COUNTED.match(name) \
                or any(t in STOP_WORDS or (pos.get(t) or "").startswith(("v", "r", "d", "p"))
                       for t in toks if t not in inner):
            continue
        if not any((len(t) > 1 and not _common(t)) or (len(t) == 1 and t not in inner and t not in VERB_ONE
                                                      and t not in LEAD_ONE
                                                      and not (pos.get(t) or "").startswith(("a", "b")))
                   for t in _past_qualifier(text, spans, s, e - len(kind))):
            continue  # 有家|烧烤店, 有家|大型|超市, 新开了家|网红|奶茶店: no name of its own
        level = SUFFIXES.get(kind, PlaceLevel.COMPOUND)
        out.append(RawMention(s, e, name, PlaceLevel.OTHER if kind in ("公司", "有限公司", "集团") else level, kind))
    return out
