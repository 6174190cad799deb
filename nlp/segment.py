"""Chinese segmentation through a private jieba ``Tokenizer`` (never jieba's globals).

The same segmenter feeds the index and the query side of both storage backends,
so a search term is cut the way the indexed text was.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from pathlib import Path

import jieba

_WORD = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class Segmenter:
    """A jieba tokenizer with our user dictionaries, initialised once on first use."""

    def __init__(self, user_dicts: Iterable[Path] = (), words: Iterable[str] = ()) -> None:
        self._user_dicts = [Path(p) for p in user_dicts]
        self._words = list(words)
        self._tok: jieba.Tokenizer | None = None
        self._lock = threading.Lock()

    def _tokenizer(self) -> jieba.Tokenizer:
        if self._tok is None:
            with self._lock:
                if self._tok is None:
                    logging.getLogger("jieba").setLevel(logging.WARNING)
                    jieba.setLogLevel(logging.WARNING)
                    tok = jieba.Tokenizer()
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

    def cut_for_index(self, text: str) -> list[str]:
        """Words and their sub-words (search mode), so a shorter query word still matches."""
        return [w for w in self._tokenizer().cut_for_search(text, HMM=True) if _WORD.search(w)]


def han_chars(text: str) -> list[str]:
    """Han characters one by one and other words whole: the recall backstop for search."""
    out: list[str] = []
    for chunk in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+", text):
        out.append(chunk.lower())
    return out


_default: Segmenter | None = None


def default_segmenter() -> Segmenter:
    """The process-wide segmenter with the bundled dictionaries."""
    global _default
    if _default is None:
        _default = Segmenter()
    return _default
