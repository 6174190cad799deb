"""The words both backends index: segment once.

The enricher has already cut each post into precise-mode tokens (``Post.tokens``: jieba without HMM,
title and text). The stores do not segment again: they add jieba's search-mode sub-words to those tokens
with dictionary lookups only (what ``cut_for_search`` adds to a precise cut: every two- and three-character
piece of a longer word that is a dictionary word), so a shorter query word still matches. A post without
tokens (not enriched) is cut here the same way the enricher cuts it.

Queries are cut by the same segmenter (precise mode, with HMM so an unknown name stays one phrase); a query
word the index split differently is still found through the raw-text field (one token per Han character),
matched as a phrase.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from core import Post
from nlp import Segmenter
from storage.docs import searchable_text

_TOKEN = re.compile(r"[^\W_]")  # a token with at least one letter, digit or Han character (as the enricher)
_CHARS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+")  # as nlp.han_chars


def han_char_text(text: str) -> str:
    """``" ".join(nlp.han_chars(text))`` in one pass: Han characters one by one, other words whole, lower-cased."""
    return " ".join(_CHARS.findall(text)).lower()


class IndexWords:
    """Search-mode index words of posts, from their tokens (or one segmentation when they have none)."""

    def __init__(self, segmenter: Segmenter) -> None:
        self._seg = segmenter
        self._freq: Callable[[str], object] | None = None

    def _lookup(self) -> Callable[[str], object]:
        if self._freq is None:
            # jieba's prefix dictionary of this segmenter (with our user words); loaded once per process
            self._freq = self._seg._tokenizer().FREQ.get  # no public accessor in nlp.segment
        return self._freq

    def tokens(self, post: Post) -> list[str]:
        """The post's precise-mode tokens: the enricher's, else cut here as the enricher cuts (no HMM)."""
        if post.tokens:
            return post.tokens
        return [w for w, _, _ in self._seg.tokenize(searchable_text(post), hmm=False) if _TOKEN.search(w)]

    def expand(self, tokens: Iterable[str]) -> list[str]:
        """Search-mode words for precise-mode ``tokens``: jieba's ``cut_for_search`` without cutting again."""
        freq = self._lookup()
        out: list[str] = []
        add = out.append
        for w in tokens:
            n = len(w)
            if n > 2:
                for i in range(n - 1):
                    if freq(w[i : i + 2]):
                        add(w[i : i + 2])
                if n > 3:
                    for i in range(n - 2):
                        if freq(w[i : i + 3]):
                            add(w[i : i + 3])
            add(w)
        return out

    def for_post(self, post: Post) -> str:
        """The space-joined, lower-cased index words of a post."""
        return " ".join(self.expand(self.tokens(post))).lower()
