"""A learned place-name tagger beside the rules: a character CRF (CRFsuite, via python-crfsuite).

The rules of :mod:`nlp.mentions` know a place by its kind word (小区, 路, 村 …) or a dictionary; letters also name
places with no kind word the rules know (曹家巷路口, 双溪煤矿, 五里牌棚户区, 东二环). The tagger reads each
character with its neighbours, jieba's word around it and that word's part of speech, and tags B/I/O spans; it was
trained on the place labels of the read blind samples (``python -m nlp.place_tagger_train``). Its spans pass a
veto (:func:`plausible`: bare areas, idioms and common words, spans without a Han character) before
:meth:`nlp.places.PlaceExtractor.with_learned` adds them after the rules' places.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from nlp.postags import pos_table

MODEL = Path(__file__).resolve().parent / "models" / "place-tagger.crfsuite"
#: The least marginal probability of each tag of a span the tagger returns (0: every span of the best tagging),
#: chosen on a fresh blind sample by a rule fixed before its labels (docs/nlp.md, "Names without a kind word").
MIN_PROB = 0.0
#: Spans the tagger may return: two characters at least, at most this many.
MAX_SPAN = 16
_HAN = re.compile(r"[\u4e00-\u9fff]")
#: A whole span that is an administrative area alone (湖南省, A市, K3县, 岳麓区 — not 小区 or 园区): the rules
#: already give areas where nothing finer is named.
_AREA_ONLY = re.compile(
    r"(?:[A-Z]\d*[省市县区州])+|[\u4e00-\u9fff]{1,4}[省市县州]|[\u4e00-\u9fff]{2,3}(?<![小社片景园校城辖])区")
#: Parts of speech jieba gives names (place, person, other proper names, organisations) and abbreviations; a span
#: that is one dictionary word with another tag is a saying or an everyday word (走投无路 i, 天天向上 l, 人行道 n,
#: 河边 s).
_NAME_POS = ("ns", "nr", "nz", "nt", "j")
#: A kind word or one character with a locative after it (河里, 路上, 小区里, 桥下): where, not a name.
_LOCATIVE = re.compile(r"(?:.|小区|社区|村子|公园|广场|马路|河道)[里内上下边旁中外前后]")


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


def plausible(name: str) -> bool:
    """Whether a tagged span may be a place name: Han characters, 2 to :data:`MAX_SPAN` long, not an area alone,
    not a kind word with a locative (河里), not a saying or everyday word of jieba's dictionary (走投无路, 人行道)."""
    if (not 2 <= len(name) <= MAX_SPAN or not _HAN.search(name) or _AREA_ONLY.fullmatch(name)
            or _LOCATIVE.fullmatch(name)):
        return False
    tag = pos_table().get(name)
    return tag is None or tag.startswith(_NAME_POS)


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

    def spans(self, text: str, boundaries: Collection[int], min_prob: float | None = None) -> list[tuple[int, int]]:
        """Plausible place-name spans of ``text`` ([start, end), text order) whose every tag has at least
        ``min_prob`` marginal probability (default: the tagger's own cut-off)."""
        if not text:
            return []
        min_prob = self.min_prob if min_prob is None else min_prob
        tagger = self._tagger
        tags = tagger.tag(char_features(text, boundaries))
        return [(s, e) for s, e in spans_of(tags) if plausible(text[s:e]) and (
            not min_prob or min(tagger.marginal(tags[i], i) for i in range(s, e)) >= min_prob)]


@lru_cache(maxsize=1)
def default_tagger() -> PlaceTagger:
    """The bundled model, loaded once."""
    return PlaceTagger()
