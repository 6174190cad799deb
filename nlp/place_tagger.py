"""A learned place-name tagger beside the rules: a character CRF (CRFsuite, via python-crfsuite).

The rules of :mod:`nlp.mentions` know a place by its kind word (小区, 路, 村 …) or a dictionary; letters also name
places with no kind word the rules know (曹家巷路口, 双溪煤矿, 五里牌棚户区, 东二环). The tagger reads each
character with its neighbours, jieba's word around it and that word's part of speech, and tags B/I/O spans; it is
trained on letters and posts written for the project with their places labelled (``nlp/corpus/place_letters.jsonl``,
``python -m nlp.place_tagger_train``), never on the TipDM messages, which are for evaluation only. Its spans pass a
veto (:func:`plausible`: bare areas, idioms and common words, spans without a Han character) before
:meth:`nlp.places.PlaceExtractor.with_learned` adds them after the rules' places.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterator, Sequence
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from nlp.postags import pos_table

MODEL = Path(__file__).resolve().parent / "models" / "place-tagger.crfsuite"
#: The least marginal probability of each tag of a span the tagger returns (0: every span of the best tagging),
#: chosen on the read samples (docs/nlp.md, "Names without a kind word").
MIN_PROB = 0.7
#: Spans the tagger may return: two characters at least, at most this many.
MAX_SPAN = 16
_HAN = re.compile(r"[\u4e00-\u9fff]")
#: A whole span that is an administrative area alone (湖南省, A市, K3县, 岳麓区 — not 小区 or 园区): the rules
#: already give areas where nothing finer is named.
_AREA_ONLY = re.compile(r"(?:[A-Z]\d*[省市县区州]|[\u4e00-\u9fff]{1,4}(?<![超夜菜集早花门])[省市县州]"
                        r"|[\u4e00-\u9fff]{2,3}(?<![小社片景园校城辖])区)+")
#: Authorities (西地省人民政府, D8县教育局, K市纪委, 领导小组): letters name them as whom they write to or ask, far
#: more often than as what the matter is about; the rules keep the bodies a letter complains of (派出所 after a
#: town, a wrongdoer body), the tagger leaves them alone.
_AUTHORITY = re.compile(r"(?:(?:教育|公安|环保|人社|社保|住建|城管|劳动|民政|信访|规划|国土|财政|交通|卫生|卫健"
                        r"|水利|林业|农业|粮食|工商|司法|管理|监督|监管|执法|保障|建设|商务|税务|审计|房管|房产|环境"
                        r"|资源|工信|经信|科技|文旅|体育|应急|医保|水务|文化|文广新|人事|质监|房地|物价|国税|地税|专卖)"
                        r"分?[局厅]|城管[大中]队|政府|党委|纪委|[省市县区镇乡]委|发改委|卫计委|国资委|教委|管委会"
                        r"|(?<![居村]民)委员会"
                        r"|领导小组|督察组|办事处|街道办|信访办)$")
#: Titles and lists, not names: 鱼米之乡, 百姓之事, 为民之风, 刘某等.
_TITLE = re.compile(r"之[乡所事风]$|等$")
#: An area that opens a span with no kind word (西地省十大, A市民房产): a fragment of a sentence about the area.
_AREA_LEAD = re.compile(r"^(?:[A-Z]\d*[省市县区州]|[\u4e00-\u9fff]{2,3}省)")
#: A run of Latin letters in a span with no kind word: a person, brand or word of a post (明星Jolin, Master达), not a
#: place (masked areas are one letter: A市, K3县).
_LATIN_RUN = re.compile(r"[A-Za-z]{2}")
#: A reduplicated phrase, AABB or ending in a doubled character (顺顺利利, 金光灿灿 — jieba's dictionary tags some of
#: them ns), with no kind word: not a name (步步高, 阳光100 and 人民路188号 are).
_DOUBLED = re.compile(r"^([\u4e00-\u9fff])\1([\u4e00-\u9fff])\2$|([\u4e00-\u9fff])\3$")
#: Common surnames (the hundred or so most frequent): three single characters opened by one, with no kind word, are
#: a person's full name far more often than a place (田云桂, 林昌惠).
_SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
                      "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶"
                      "黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧易常温康施文牛樊葛邢安齐伍庞颜倪洪")
#: Parts of speech jieba gives names (place, person, other proper names, organisations) and abbreviations; a span
#: that is one dictionary word with another tag is a saying or an everyday word (走投无路 i, 天天向上 l, 人行道 n,
#: 河边 s).
_NAME_POS = ("ns", "nr", "nz", "nt", "j")
#: A kind word or one character with a locative after it (河里, 路上, 小区里, 桥下): where, not a name (一中, 附中
#: are schools).
_LOCATIVE = re.compile(r"(?:[^一二三四五六七八九十\d附初高]|小区|社区|村子|公园|广场|马路|河道)[里内上下边旁中外前后]")
#: Characters no name holds (punctuation, spaces, 丶 used as a list mark, kana); brackets and quotes only in pairs.
_NOT_NAME_CHAR = re.compile(r"[\s，。、；：！？,.;:!?丶…·\u3040-\u30ff]")
_PAIRS = ("（）", "()", "“”", "《》", "【】")
#: Pronouns, pointers and prepositions that open a phrase, not a name (我们小区, 该小区, 隔壁村, 靠和美酒店一侧),
#: and particles no name holds (天宏源该零食站点, 修好了的路).
_DEICTIC = re.compile(r"^(?:我们|咱们|你们|他们|本|该|此|这|那|隔壁|对面|附近|周边|周围|靠|在|到|去|往)"
                      r"|[该的了被把让给没吗呢]")
#: Words that open a subject line's request, not a name (投诉中医院, 举报中建三局, 关于老火车站).
_ASKING = re.compile("投诉|举报|反映|咨询|关于")
#: Characters and words a place or body's name ends with (路, 村, 湖, 岭, 厂, 公司 …).
_KIND_END = re.compile(r"(?:[路街道巷弄村组镇乡区苑园城湖河江溪水山岭峰坡坪塘冲湾洲岛港桥矿厂场站院校店馆所局处队厅委"
                       r"寺庙殿塔洞界库渠坝井泉林庄寨屯垸圩营堡关口门楼府阁居环墅学会室社部段地头坳浜墩渡嘴咀沟岗滩埠堰"
                       r"垅浦泾]|公司|集团|中心|基地|大厦|商城|超市|初中|高中|中专|师范|银行|支行|分行|枢纽"
                       r"|[一二三四五六七八九十\d][小中])$")


@lru_cache(maxsize=4096)
def _kind(ch: str) -> str:
    if _HAN.match(ch):
        return "h"
    if ch.isdigit():
        return "d"
    if "A" <= ch <= "Z":
        return "A"
    if ch.isalpha():
        return "a"
    return "s" if ch.isspace() else "p"


@lru_cache(maxsize=1 << 16)
def _word_tag(word: str) -> str:
    """jieba's part of speech of a word (``?`` when its dictionary has none), or the kind of a non-Han piece."""
    return (pos_table().get(word) or "?") if _HAN.match(word) else _kind(word[0])


def char_features(text: str, boundaries: Collection[int]) -> list[list[str]]:
    """CRFsuite features of each character: itself and its neighbours (±2), the bigrams around it, its kind, its
    place in jieba's word (B/M/E/S), that word (up to four characters) and its part of speech, and the parts of
    speech of the words on either side. Built column by column (each word's strings once)."""
    n = len(text)
    if not n:
        return []
    cuts = sorted({0, n, *(b for b in boundaries if 0 < b < n)})
    places: list[str] = []
    words: list[str] = []
    tags: list[str] = []
    for a, b in pairwise(cuts):
        word = text[a:b]
        tag = _word_tag(word)
        size = b - a
        places.extend(("S",) if size == 1 else ("B", *("M",) * (size - 2), "E"))
        words.extend(("w=" + (word if size <= 4 else "~"),) * size)
        tags.extend((tag,) * size)
    p = "\x02\x02" + text + "\x03\x03"
    columns = (
        ["c=" + c for c in text], ["c-1=" + c for c in p[1:n + 1]], ["c+1=" + c for c in p[3:n + 3]],
        ["c-2=" + c for c in p[:n]], ["c+2=" + c for c in p[4:n + 4]],
        ["b-1=" + p[i + 1: i + 3] for i in range(n)], ["b+1=" + p[i + 2: i + 4] for i in range(n)],
        ["k=" + _kind(c) for c in text], ["wp=" + x for x in places], words, ["t=" + t for t in tags],
        ["tp=" + t + x for t, x in zip(tags, places, strict=True)],
        ["t-1=" + t for t in ["^", *tags[:-1]]], ["t+1=" + t for t in [*tags[1:], "$"]],
    )
    return [list(x) for x in zip(*columns, strict=True)]


def bio_tags(text: str, names: Collection[str]) -> list[str]:
    """B/I/O tags of every occurrence of the names in ``text`` (longest first; occurrences do not overlap)."""
    tags = ["O"] * len(text)
    for name in sorted({x.strip() for x in names if len(x.strip()) >= 2}, key=len, reverse=True):
        for m in re.finditer(re.escape(name), text):
            s, e = m.span()
            if all(t == "O" for t in tags[s:e]):
                tags[s:e] = ["B"] + ["I"] * (e - s - 1)
    return tags


def spans_of(tags: list[str]) -> Iterator[tuple[int, int]]:
    """[start, end) of each B I* run."""
    start = None
    for i, t in enumerate([*tags, "O"]):
        if start is not None and t != "I":
            yield start, i
            start = None
        if t == "B":
            start = i


def plausible(name: str, words: Sequence[str] = ()) -> bool:
    """Whether a tagged span may be a place name: Han characters, 2 to :data:`MAX_SPAN` long, no punctuation or kana
    and brackets only in pairs; not an area or a chain of areas alone (湖南省, K3县, 西地省D市), not an authority
    (D8县教育局, M市人民政府), not a title or a list (鱼米之乡, 刘某等), not a kind word with a locative (河里), not
    opened by a pronoun, pointer, preposition or complaint verb (我们小区, 靠和美酒店, 投诉中医院), not a reduplicated
    phrase (顺顺利利), not a saying or everyday word of jieba's dictionary (走投无路, 人行道); and where it ends in no
    kind word, not opened by an area (西地省十大) nor holding a run of Latin letters (明星Jolin), not three single
    characters opened by a common surname (林昌惠), not opened by a surname nor holding a person's name followed by a
    verb among its jieba ``words`` (王某恃权: who did what, not where)."""
    kind = _KIND_END.search(name) is not None
    if (not 2 <= len(name) <= MAX_SPAN or not _HAN.search(name) or _NOT_NAME_CHAR.search(name)
            or any(name.count(a) != name.count(b) for a, b in _PAIRS)
            or _AREA_ONLY.fullmatch(name) or _LOCATIVE.fullmatch(name) or _DEICTIC.search(name) or _ASKING.match(name)
            or _AUTHORITY.search(name) or _TITLE.search(name) or (not kind and _DOUBLED.search(name))):
        return False
    table = pos_table()
    tag = table.get(name)
    if tag is not None:
        return tag.startswith(_NAME_POS)
    if kind:
        return True
    if _AREA_LEAD.match(name) or _LATIN_RUN.search(name):
        return False
    if len(name) == 3 and name[0] in _SURNAMES and len(words) == 3:
        return False  # three single characters opened by a surname: a person (林昌惠)
    tags = [table.get(w) or "?" for w in words]
    if tags and len(words[0]) == 1 and tags[0].startswith("nr"):
        return False  # a surname, then no kind word: a person's name (王某某恃权, 杨家族民)
    return not any(a.startswith("nr") and b.startswith("v") for a, b in pairwise(tags))


class PlaceTagger:
    """The trained CRF; :meth:`spans` tags one text."""

    def __init__(self, path: Path = MODEL, min_prob: float = MIN_PROB) -> None:
        import pycrfsuite

        if not path.is_file():
            raise FileNotFoundError(f"place tagger model not found: {path} (python -m nlp.place_tagger_train)")
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        self.path = path
        self.min_prob = min_prob
        self._lock = threading.Lock()

    def spans(self, text: str, boundaries: Collection[int], min_prob: float | None = None) -> list[tuple[int, int]]:
        """Plausible place-name spans of ``text`` ([start, end), text order) whose every tag has at least
        ``min_prob`` marginal probability (default: the tagger's own cut-off)."""
        return [(s, e) for s, e, _ in self.scored_spans(text, boundaries, min_prob)]

    def scored_spans(self, text: str, boundaries: Collection[int],
                     min_prob: float | None = None) -> list[tuple[int, int, float]]:
        """:meth:`spans` with each span's least marginal probability of its tags."""
        if not text:
            return []
        min_prob = self.min_prob if min_prob is None else min_prob
        tagger = self._tagger
        cuts = sorted({0, len(text), *(b for b in boundaries if 0 < b < len(text))})
        with self._lock:  # a Tagger keeps the last tagging for marginal(): one caller at a time
            tags = tagger.tag(char_features(text, cuts))
            scored = [(s, e, min(tagger.marginal(tags[i], i) for i in range(s, e))) for s, e in spans_of(tags)]
        return [(s, e, p) for s, e, p in scored if (not min_prob or p >= min_prob)
                and plausible(text[s:e], _words(text, cuts, s, e))]


def _words(text: str, cuts: list[int], s: int, e: int) -> list[str]:
    """jieba's words of ``text[s:e]`` (cut at the span's ends too)."""
    return [text[a:b] for a, b in pairwise([s, *cuts[bisect_right(cuts, s): bisect_left(cuts, e)], e])]


@lru_cache(maxsize=1)
def default_tagger() -> PlaceTagger:
    """The bundled model, loaded once."""
    return PlaceTagger()
