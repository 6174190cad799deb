"""Public bodies and institutions named by their area (A市人社局, H4县运管所, K2区爱卫办, A市住房公积金管理中心,
H3县建筑工程总公司, I6市粮食学校): read only where a letter names no finer place, in the area's stead
(:func:`nlp.places.PlaceExtractor.extract`). A letter to a city's leaders about its 人社局 or 教育局 is about that
body; where the letter names an estate, a road or a firm, the office is more often whom it asks, and stays out
unless the letter says it did wrong or its subject line names it (:func:`wrongdoers`; nlp.places)."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence

from nlp.mention_cues import ACTS_ON_FIRM, MASKED_AREAS, TITLE_MAX, subject_end
from nlp.mention_stems import FUNCTION_CHARS, SURNAMES, area_spans
from nlp.place_lexicon import GENERIC, LEAD_ONE, NOT_NAME_POS, STOP_WORDS
from nlp.postags import pos_table

#: Kind words of public bodies and of institutions a county or city runs (longest first in the pattern).
#: A bare 公司 is not one (W市出租车公司: a city's taxi firms are many; a firm with a name of its own is read by
#: :func:`nlp.mention_cues._after_area`); a 总公司 is.
BODY_KINDS = ("委员会", "管委会", "办公室", "管理处", "管理所", "管理站", "中心", "协会", "联合会", "商会", "学会",
              "大队", "支队", "总公司", "学校", "考场", "局", "委", "办", "所", "处", "科", "站", "院", "矿",
              "厅", "剧团", "党校", "网点")
_KIND = re.compile("|".join(sorted(BODY_KINDS, key=len, reverse=True)))
#: The kinds with a bare 公司, for a county's or city's own firm (K9县电影公司, D6县电信公司): read only where a letter
#: names no finer place and no other body (:func:`nlp.places.area_bodies`), and only of a trade in :data:`ONE_FIRM`.
_KIND_FIRM = re.compile("|".join(sorted((*BODY_KINDS, "公司"), key=len, reverse=True)))
#: Trades a county or city ran one firm of, the former state firms (电影公司, 电信公司, 供销公司, 五金公司) that letters
#: from their workers name by the area alone. A market trade (房地产, 物业, 保险, 运输, 出租车, 中介 …) has many firms
#: in one city: C市房地产公司 names none of them (the rule of :func:`nlp.mention_cues._after_area` too).
ONE_FIRM = ("电影", "电信", "有线", "广电", "广播电视", "声屏", "自来水", "供水", "电力", "供电", "燃气", "煤气",
            "公交", "邮政", "烟草", "盐业", "石油", "粮食", "粮油", "供销", "百货", "五金", "五交化", "物资", "外贸",
            "食品", "医药", "糖酒", "土产", "蔬菜", "饮食服务", "农机", "农资", "生资", "木材", "煤炭", "新华书店",
            "印刷", "水利", "园林", "市政", "环卫", "铁通", "移动", "联通", "网通")
_ONE_FIRM = re.compile("(?:" + "|".join(sorted(ONE_FIRM, key=len, reverse=True)) + ")分?$")  # M市铁通分公司
_HAN = re.compile(r"[\u4e00-\u9fff]{2,12}")
#: A cheap test whether a text can name such a body at all (the last character of a kind; 点 only in 网点).
_HINT = re.compile("[" + "".join(sorted({k[-1] for k in BODY_KINDS} - {"点"})) + "]|网点")
_HINT_FIRM = re.compile(_HINT.pattern + "|公司")
#: Words inside a name that make it no body's name: the government, departments and people (A市政府网站,
#: A市相关部门所, K市直事业单位招聘办), websites and counts of firms and a firm's branches (A市分公司营业厅 is the
#: branch's hall).
_NOT_IN_NAME = re.compile("政府|部门|单位|领导|书记|市长|县长|区长|网|家|些|多处|全体|常委|骗子|无良|对面|旁边|附近|"
                          "周边|门口|隔壁|楼下|楼上|交界|交汇|结合|分公司|支公司")
#: Verbs that make the words after an area a clause, not a body's name (C市设有办事处, 该市设立分局).
_CLAUSE_VERBS = frozenset(["设有", "设立"])
#: Administrative fields jieba tags as verbs that bodies are named by (城管执法大队, 不动产登记中心, 房屋征收办,
#: 司法鉴定所, 信访接待中心): in a body's name they are its field.
BODY_FIELDS = frozenset(["执法", "审批", "登记", "征收", "鉴定", "执行", "督察", "巡逻", "审计", "调解", "稽核", "拆迁",
                         "安置", "接待", "信访", "保障", "维修", "养护",
                         # the fields of the 2018 reform's bureaus, which jieba tags as phrases or adjectives:
                         # 自然资源局, 生态环境局, 卫生健康委员会
                         "自然资源", "生态环境", "健康"])
#: Parts of speech no word of a body's name has (verbs, adverbs, pronouns, counts, times, qualifiers …).
_NOT_BODY_POS = (*NOT_NAME_POS, "b", "z", "t", "f", "i")
#: Qualifiers that open no body's name (W市普通中学, K市民办学校, A市直属学校: kinds of school, not one), read by
#: the name's first characters (民办学校 is one word).
_NOT_FIRST = ("普通", "民办", "公办", "私立", "公立", "直属", "市直", "县直", "区直", "相关", "有关", "所属",
              "附属", "各级", "各类", "广大", "当地", "本地", "外地", "其他", "其它", "所有", "某些", "部分",
              "私人", "个体", "正规", "大型", "小型", "重点", "示范", "主管", "上级", "下属", "基层")
#: Where a kind of institution stands many times (A市全市学校, A市乡镇卫生院, A市城区中小学校, A市农村学校,
#: D市乡镇农机站): a class of them, no body. Not before an office an area has one of (城乡规划管理局,
#: 农村合作医疗管理办公室, 乡镇企业局).
_CLASS_FIRST = ("全市", "全县", "全区", "全省", "全州", "城区", "农村", "乡镇", "乡村", "城乡")
_MANY_KINDS = frozenset(["学校", "院", "站", "所", "中心", "考场", "网点", "矿"])
#: Parts of speech of a word that ends in a kind word and is no body (到处, 多处; jieba calls 计生办 a verb).
_NOT_LAST_POS = ("d", "p", "c", "r", "m", "q", "u", "f", "t")
#: Single characters that join no body's name (到, 去 … before a place: L7县到九曲湾车队).
_NOT_ONE = FUNCTION_CHARS | LEAD_ONE | frozenset("去来回找未无非别仍")


def _words(spans: Sequence[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    k = bisect.bisect_left(spans, (start, -1))
    out = []
    while k < len(spans) and spans[k][0] < end:
        out.append(spans[k])
        k += 1
    return out


def _name_ok(text: str, spans: Sequence[tuple[int, int]], start: int, kind_at: int) -> bool:
    """The characters between an area and a kind word are a body's name: words of a name's part of speech (nouns,
    verbal nouns: 人力资源|和|社会|保障局, 建设工程|质量|监督站, 劳动|争议|仲裁|委员会), single characters of an
    abbreviation (住|建|局, 客|管|处), a 和 only between two nouns; no verb, adverb, count or function word opens or
    is in it (D11市|服从|市农机局, 成都市|解决|民办, A市|可以|办)."""
    name = text[start:kind_at]
    if _NOT_IN_NAME.search(name) or name.startswith(_NOT_FIRST):
        return False
    pos = pos_table()
    if name.startswith(_CLASS_FIRST) and (kind := _KIND_FIRM.match(text, kind_at)) is not None \
            and kind.group(0) in _MANY_KINDS and not any(
                (pos.get(text[a:b]) or "").startswith("ns") for a, b in _words(spans, start + 2, kind.end())):
        return False  # but E市城区|北站: a place's own name after the class word
    words = _words(spans, start, kind_at)
    if not words or words[0][0] != start:
        return False  # the area's word runs on into the name (A|市长)
    if any(text[a:b] in _CLAUSE_VERBS for a, b in words):
        return False  # C市|设有|办事处: a clause (but 建设|立交桥 and 建设|有限公司 hold no such word)
    for i, (a, b) in enumerate(words):
        w = text[a:b]
        if b > kind_at:  # the last word holds the kind (保障局, 执法局, 计生办): read as a whole, but no
            tag = pos.get(w) or ""  # verb or adverb that ends in one (到处, 未办)
            if a < kind_at and (w[:kind_at - a] in _NOT_ONE or tag.startswith(_NOT_LAST_POS)):
                return False
            continue
        if len(w) == 1:
            if w == "和" and 0 < i < len(words) - 1:
                continue  # 人力资源和社会保障局, 住房和城乡建设局: the official names join their fields so
            if w in _NOT_ONE:
                return False
            continue
        tag = pos.get(w) or ""
        if tag == "v" and i == len(words) - 2 and words[-1][1] > kind_at and kind_at - words[-1][0] >= 2 \
                and w not in ACTS_ON_FIRM:
            continue  # 就业|培训中心: a verb before the kind's own noun names the body's field
        if tag.startswith(_NOT_BODY_POS) and not tag.startswith(("vn", "nz", "an")) and w not in BODY_FIELDS:
            # 卫生|服务中心, 安全|监管局, 城管|执法|大队
            return False
    return True


class Words:
    """A text's token spans with the lookups the body readers share, each made once per text and only if read."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.spans = list(spans)
        self._areas: list[tuple[int, int]] | None = None
        self._area_spans: list[tuple[int, int]] = []
        self._text: str | None = None

    @functools.cached_property
    def ends(self) -> set[int]:
        return {b for _, b in self.spans}

    @functools.cached_property
    def word_set(self) -> set[tuple[int, int]]:
        return set(self.spans)

    @functools.cached_property
    def index(self) -> dict[int, int]:
        """Token index by its end (what :func:`nlp.mention_stems.area_spans` looks words up by)."""
        return {b: i for i, (_, b) in enumerate(self.spans)}

    def area_spans(self, text: str) -> list[tuple[int, int]]:
        """:func:`nlp.mention_stems.area_spans` of the text, read once."""
        if self._text is not text:
            self._area_spans, self._areas, self._text = area_spans(text, self.spans, self.index), None, text
        return self._area_spans

    def areas(self, text: str) -> list[tuple[int, int]]:
        """Each run of areas one after the other (G市G2区): its start and where the last area ends."""
        if self._areas is None or self._text is not text:
            found = sorted({*((m.start(), m.end()) for m in MASKED_AREAS.finditer(text)), *self.area_spans(text)})
            follows = dict(found)
            out, covered = [], -1
            for a, b in found:
                if a < covered:
                    continue
                while b in follows:
                    b = follows[b]  # G市G2区劳动争议仲裁委员会: the areas one after the other
                covered = b
                out.append((a, b))
            self._areas = out
        return self._areas


def _as_words(spans: Sequence[tuple[int, int]] | Words) -> Words:
    return spans if isinstance(spans, Words) else Words(spans)


def bodies(text: str, spans: Sequence[tuple[int, int]] | Words, firms: bool = False,
           after: re.Pattern[str] | None = None) -> list[tuple[int, int]]:
    """Spans of the public bodies and institutions named right after a county, city, district or province (masked
    or real, one or several: A市人社局, G市G2区劳动争议仲裁委员会, 西地省地勘局): the area, a name of two characters
    or more and a kind word ending a word. Not A市长, K市民办, A市政府网站, D市一家私人医院, E8县唯一一家燃气公司.
    With ``after``, only a body that pattern matches right after (tested before the name is read)."""
    if (_HINT_FIRM if firms else _HINT).search(text) is None:
        return []
    words = _as_words(spans)
    out: list[tuple[int, int]] = []
    for a, b in words.areas(text):
        if (end := _body_end(text, words, b, _KIND_FIRM if firms else _KIND, after)) is not None:
            out.append((a, end))
    return out


def area_firm(text: str, a: int, b: int) -> bool:
    """Whether the span (an area, a name and 公司) is a county's or city's own firm of a trade it ran one of
    (I3县电影公司, D6县电信公司; not C市房地产公司)."""
    return text[b - 2:b] == "公司" and _ONE_FIRM.search(text, a, b - 2) is not None


#: What a letter says a body did wrong, right after its name (C市人社局不作为, A市人社局未开通…, G2区仲裁委员会不受理,
#: K2区卫计委不给…, G4县执法局乱批…): the body is what the letter complains about, even beside finer places.
#: Not a body that did not reply (A市住建局未回复, 迟迟不答复, 不予答复): how the letter was handled, not its matter.
_NO_REPLY = r"(?!(?:不|没有|没|未)?(?:给予|给|作出|做出|予以|予)?(?:回复|答复|回音|回应|理睬|答理|回信|回话))"
_WRONG_AFTER = re.compile("违规|违法|乱|拖欠|欠薪|不作为|强制|克扣|擅自|私自|不给|不受理|不办|不管|拒不|推诿|刁难|"
                          f"套用|少发|不发|不按|不依法|以权|(?:未|不予|拒绝|迟迟){_NO_REPLY}")


#: A kind word right before a cue of wrongdoing: what every body :func:`wrongdoers` finds ends in.
_KIND_THEN_WRONG = re.compile(f"(?:{_KIND.pattern})(?:{_WRONG_AFTER.pattern})")


def may_name_wrongdoer(text: str) -> bool:
    """A cheap test whether :func:`wrongdoers` can find anything in the text (a kind word right before a cue)."""
    return _KIND_THEN_WRONG.search(text) is not None


def wrongdoers(text: str, spans: Sequence[tuple[int, int]] | Words) -> list[tuple[int, int]]:
    """Spans of the bodies named after their area (:func:`bodies`) that the letter says did wrong right after
    the name (A市人社局未开通异地就医, C4市医管局不给办理); not a body only asked or written to (向A市人社局申请)."""
    if not may_name_wrongdoer(text):
        return []
    return bodies(text, spans, after=_WRONG_AFTER)


def _body_end(text: str, words: Words, b: int, kinds: re.Pattern[str] = _KIND,
              after: re.Pattern[str] | None = None) -> int | None:
    """Where the body named right after ``b`` (an area's or a town's end) ends: a name of two characters or more
    and the first kind word that ends a word; None if there is none, the name is no body's or ``after`` does not
    match right after it."""
    run = _HAN.match(text, b)
    for j in range(b + 2, run.end() if run else b):
        k = kinds.match(text, j)
        if k is None or k.end() not in words.ends:
            continue
        if after is not None and after.match(text, k.end()) is None:
            return None
        if not (k.group(0) in _SHORT_KINDS and (text[j - 1] in "医学网基分一" or (
                text[j - 1] in SURNAMES and (j - 1, j) in words.word_set))) and _name_ok(text, words.spans, b, j):
            # not A市医院, E市学院, 网站, 基站, 分局, 沙堤|张|处 (a director by his surname and rank)
            return k.end()
        return None  # the first kind word that ends a word ends the name
    return None


def town_bodies(text: str, spans: Sequence[tuple[int, int]] | Words,
                towns: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of the public bodies and institutions named right after a town (茅市镇邮政网点, 横市镇动物防疫站,
    石门乡财政所): the town, a name of two characters or more and a kind word ending a word, as after an area.
    Not 茅市镇政府, 横市镇领导 (no kind word), 横市镇中心 (no name before the kind)."""
    if not towns or _HINT.search(text) is None:
        return []
    words = _as_words(spans)
    out = []
    for a, b in towns:
        end = _body_end(text, words, b)
        if end is None or end - b > _TOWN_BODY_MAX or _NOT_TOWN_BODY.search(text[b:end]) is not None \
                or text[end - 1] in "处科":
            continue  # 街道办事处 and 镇政府 are the town's own government, 集镇中心 its centre, 二楼 a floor; a town
            # has no 处 or 科 (双庙处 is "at 双庙")
        out.append((a, end))
    return out


_TOWN_BODY_MAX = 8
_NOT_TOWN_BODY = re.compile("^办事|^集镇|^中心|[0-9一二三四五六七八九十]")


_SHORT_KINDS = frozenset(["院", "所", "站", "处", "科", "局"])


_SUBJECT_AREAS = re.compile(r"(?:[A-Z]\d{0,2}(?:省|市|县|区|州))+")
_DIGITS = re.compile(r"[0-9０-９]")


def subject_name(text: str, spans: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The name a subject line opens with right after its area (G市西湖还未…, K5县步步高周边…, D市中钢衡重下岗工人…):
    the words after the area that are names — ones jieba does not know, places', persons' or firms' names, single
    characters of a name — up to the first that is not. Not 2016年, 何时能, 普通, 房补 (words of a sentence).
    After a real area (长沙市, not a masked G市) only words jieba tags a place's or firm's name: 长沙市西湖, not
    长沙市广场舞. A matter's word (a topic's keyword or domain term: 共享单车, 卖过期) ends the name; a name that ends
    in a word for people (初中生, 骑手, 市民) is none; where there is no subject line and the first clause is read,
    one word jieba does not know at most (D市共享单车乱停乱放 is no chain of names)."""
    nl = subject_end(text)
    if clause := nl < 0:  # no subject line: the first clause, read more strictly
        m0 = _CLAUSE_END.search(text, 0, TITLE_MAX)
        if m0 is None:
            return None
        nl = m0.start()
    m = _SUBJECT_AREAS.match(text)
    if not (areas_end := m.end() if m is not None else _real_areas(text, spans, nl)):
        return None
    pos = pos_table()
    matters = _matter_words()
    end = last = areas_end
    unknown = 0
    for a, b in _words(spans, areas_end, nl):
        if a != end:
            return None
        w = text[a:b]
        tag = pos.get(w) or ""
        if w in matters:
            break  # D市|共享单车|乱停乱放, K市家乐福|卖过期: a matter's word (a topic's keyword), no name
        if clause and len(w) >= 2 and not tag:
            unknown += 1
            if unknown > 1:
                break  # in a first clause, one word jieba does not know (a name), not a chain of them
        if m is None and (len(w) == 1 or not tag.startswith(("ns", "nz", "nt"))):
            break  # after a real area only a word jieba knows as a place's or firm's name (长沙市|西湖; not 广场舞)
        if len(w) == 1:
            if w in _NOT_ONE or not _HAN.match(w + w) or tag.startswith((*_NOT_LAST_POS, "v", "a")):
                break
        elif (tag and not tag.startswith(("ns", "nr", "nz", "nt"))) or w in STOP_WORDS or w in GENERIC or (
                tag.startswith("nr") and w[0] in SURNAMES):  # A市|张三李四: people, not a place (but 步步高)
            break
        end, last = b, a
    if (gov := _GOVERNMENT_END.search(text, areas_end, end)) is not None:
        end = gov.start()  # K3县八宝镇政府: the town; I6市人民政府: the area alone
    name = text[areas_end:end]
    if len(name) < 2 or _DIGITS.search(name) or _KIND.search(name[-2:]) or name in _SUBJECT_NOT \
            or _NOT_IN_SUBJECT.search(name) or (end - last >= 2 and name[-1] in _PEOPLE_END) \
            or name[-1] in "路街道" or name in GENERIC:  # K1区中路: a road's side, read as a road or nothing
        return None
    return (0, end)


def _real_areas(text: str, spans: Sequence[tuple[int, int]], nl: int) -> int:
    """Where the real areas opening a subject line end (长沙市, 宁乡县, 湖南省长沙市 one after the other), else 0."""
    end = 0
    for a, b in area_spans(text[:nl], [s for s in spans if s[1] <= nl]):
        if a != end:
            break
        end = b
    return end


_GOVERNMENT_END = re.compile("(?:人民)?政府$")
_CLAUSE_END = re.compile("[，。！？!?；;\n]")
_SUBJECT_NOT = frozenset(["何时", "何时能", "普通", "特岗", "房补", "讨薪"])
#: Words in a subject's name that make it none: the government, departments and leaders (I6市人民政府 is the area).
_NOT_IN_SUBJECT = re.compile("政府|部门|单位|领导|书记|市长|县长|区长")
#: Last characters of a word for people (B县初中生, A市外卖骑手, 下岗职工, 农户): a group, no place (a word of two
#: characters or more: not M7市谷韵|民|小, where 民 is a school's name's character).
_PEOPLE_END = frozenset("生员手工者民户人")


@functools.cache
def _matter_words() -> frozenset[str]:
    """Words of a matter, not of a name: the topics' keywords and the bundled domain terms (共享单车, 乱停乱放,
    市民热线, 卖过期), less the gazetteer's names."""
    from nlp.gazetteer import load_gazetteer
    from nlp.segment import DOMAIN_DICT, read_wordlist
    from nlp.taxonomy import load_taxonomy

    names = {n for p in load_gazetteer() for n in (p.name, *p.aliases)}
    words = {k for t in load_taxonomy() for k in t.keywords} | set(read_wordlist(DOMAIN_DICT))
    return frozenset(w for w in words if len(w) >= 2 and w not in names)
