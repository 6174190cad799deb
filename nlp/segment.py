"""Chinese segmentation through a private jieba ``Tokenizer`` (never jieba's globals).

The same segmenter feeds the index and the query side of both storage backends,
so a search term is cut the way the indexed text was.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from math import log
from pathlib import Path

import jieba

_WORD = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_RE_HAN = jieba.re_han_default
_RE_SKIP = jieba.re_skip_default
_ENG = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


class _Tokenizer(jieba.Tokenizer):
    """jieba's tokenizer with the same output and a faster inner loop (local lookups, no generator for the
    common single-choice positions)."""

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:
        self.check_initialized()
        freq = self.FREQ
        dag: dict[int, list[int]] = {}
        n = len(sentence)
        for k in range(n):
            ends = []
            i = k
            frag = sentence[k]
            while i < n and frag in freq:
                if freq[frag]:
                    ends.append(i)
                i += 1
                frag = sentence[k : i + 1]
            dag[k] = ends or [k]
        return dag

    def calc(self, sentence: str, DAG: dict[int, list[int]], route: dict[int, tuple[float, int]]) -> None:
        n = len(sentence)
        route[n] = (0, 0)
        logtotal = log(self.total)
        freq = self.FREQ.get
        for idx in range(n - 1, -1, -1):
            ends = DAG[idx]
            if len(ends) == 1:
                x = ends[0]
                route[idx] = (log(freq(sentence[idx : x + 1]) or 1) - logtotal + route[x + 1][0], x)
            else:
                route[idx] = max((log(freq(sentence[idx : x + 1]) or 1) - logtotal + route[x + 1][0], x) for x in ends)


    def pieces_no_hmm(self, text: str) -> list[tuple[str, int, int]]:
        """``list(tokenize(text, HMM=False))`` in one pass: DAG and best route built together per block."""
        self.check_initialized()
        freq = self.FREQ.get
        logtotal = log(self.total)
        out: list[tuple[str, int, int]] = []
        append = out.append
        pos = 0
        for blk in _RE_HAN.split(text):
            if not blk:
                continue
            if _RE_HAN.fullmatch(blk):
                n = len(blk)
                best = [0.0] * (n + 1)
                nxt = [0] * (n + 1)
                for k in range(n - 1, -1, -1):
                    # the route of jieba's calc(): max over word ends x of (log P(word) + best[x + 1], x)
                    bp = None
                    bx = k
                    i = k
                    frag = blk[k]
                    f = freq(frag)
                    while f is not None:
                        if f:
                            p = log(f) - logtotal + best[i + 1]
                            if bp is None or p >= bp:
                                bp, bx = p, i
                        i += 1
                        if i >= n:
                            break
                        frag = blk[k : i + 1]
                        f = freq(frag)
                    if bp is None:  # no dictionary word starts here: the single character
                        bp = log(freq(blk[k]) or 1) - logtotal + best[k + 1]
                    best[k] = bp
                    nxt[k] = bx + 1
                x = 0
                buf_start = -1
                while x < n:
                    y = nxt[x]
                    if y == x + 1 and blk[x] in _ENG:
                        if buf_start < 0:
                            buf_start = x
                    else:
                        if buf_start >= 0:
                            append((blk[buf_start:x], pos + buf_start, pos + x))
                            buf_start = -1
                        append((blk[x:y], pos + x, pos + y))
                    x = y
                if buf_start >= 0:
                    append((blk[buf_start:n], pos + buf_start, pos + n))
            else:
                for piece in _RE_SKIP.split(blk):
                    if not piece:
                        continue
                    if _RE_SKIP.fullmatch(piece):
                        append((piece, pos, pos + len(piece)))
                        pos += len(piece)
                    else:
                        for ch in piece:
                            append((ch, pos, pos + 1))
                            pos += 1
                continue
            pos += len(blk)
        return out


#: Words jieba keeps whole that are an office's kind and its head's title (K3县住建局局长, 财务科科长).
_OFFICE_HEADS = frozenset(["局局长", "科科长"])


def piece_bounds(pieces: Iterable[tuple[str, int, int]], end: int) -> set[int]:
    """Where the pieces (word, start, end) start, and ``end``; an office's word is cut off its head's title."""
    out = {end}
    for word, start, _ in pieces:
        out.add(start)
        if word in _OFFICE_HEADS:
            out.add(start + 1)
    return out


class Segmenter:
    """A jieba tokenizer with our user dictionaries, initialised once on first use."""

    def __init__(self, user_dicts: Iterable[Path] = (), words: Iterable[str] = ()) -> None:
        self._user_dicts = [Path(p) for p in user_dicts]
        self._words = list(words)
        self._tok: _Tokenizer | None = None
        self._lock = threading.Lock()

    def _tokenizer(self) -> _Tokenizer:
        if self._tok is None:
            with self._lock:
                if self._tok is None:
                    logging.getLogger("jieba").setLevel(logging.WARNING)
                    jieba.setLogLevel(logging.WARNING)
                    tok = _Tokenizer()
                    tok.initialize()
                    for path in self._user_dicts:
                        tok.load_userdict(str(path))
                    for word in self._words:
                        tok.add_word(word)
                    self._tok = tok
        return self._tok

    def cut(self, text: str) -> list[str]:
        """Precise-mode words of ``text``, without whitespace and punctuation."""
        return [w for w in self._tokenizer().cut(text, HMM=True) if _WORD.search(w)]

    def tokenize(self, text: str, hmm: bool = True) -> list[tuple[str, int, int]]:
        """Precise-mode pieces of ``text`` with their [start, end) offsets, punctuation included.

        ``hmm=False`` skips jieba's HMM for unknown words (about 30 % faster; dictionary words only).
        """
        tok = self._tokenizer()
        return list(tok.tokenize(text, HMM=True)) if hmm else tok.pieces_no_hmm(text)

    def boundaries(self, text: str) -> set[int]:
        """Where the pieces of ``text`` start, and its end: the word boundaries the place readers and the place
        tagger read (jieba's dictionary words, without the HMM; an office's word before its head's title is cut
        off it: 住建|局|局长, not 住建|局局长)."""
        return piece_bounds(self.tokenize(text, hmm=False), len(text))

    def word_freq(self, word: str) -> int:
        """How often jieba's dictionary (with our user dictionaries) counts ``word``; 0 for a word it does not know."""
        return self._tokenizer().FREQ.get(word) or 0

    def cut_for_index(self, text: str) -> list[str]:
        """Words and their sub-words (search mode), so a shorter query word still matches."""
        return [w for w in self._tokenizer().cut_for_search(text, HMM=True) if _WORD.search(w)]


def han_chars(text: str) -> list[str]:
    """Han characters one by one and other words whole: the recall backstop for search."""
    out: list[str] = []
    for chunk in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+", text):
        out.append(chunk.lower())
    return out


DOMAIN_DICT = Path(__file__).resolve().parent / "dicts" / "domain.txt"


def read_wordlist(path: Path) -> list[str]:
    """Words of a one-word-a-line file (``#`` comments and blank lines skipped; a frequency column is dropped)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line.split()[0])
    return out


def domain_words(gazetteer=None, taxonomy=None) -> list[str]:
    """Place names and aliases, topic keywords and the bundled domain terms (defaults when None)."""
    from nlp.gazetteer import load_gazetteer
    from nlp.taxonomy import load_taxonomy

    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    tax = taxonomy if taxonomy is not None else load_taxonomy()
    words: dict[str, None] = {}
    for place in gaz:
        for name in (place.name, *place.aliases):
            words[name] = None
    for topic in tax:
        for kw in topic.keywords:
            words[kw] = None
    for w in read_wordlist(DOMAIN_DICT):
        words[w] = None
    return [w for w in words if len(w) > 1]


_default: Segmenter | None = None
_default_lock = threading.Lock()


def default_segmenter() -> Segmenter:
    """The process-wide segmenter with the bundled dictionaries (gazetteer, topics, domain terms)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Segmenter(words=domain_words())
    return _default
