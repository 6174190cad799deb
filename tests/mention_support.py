"""Shared by the place-mention tests: the names ``find_mentions`` returns for a text, cut as the enricher cuts it."""

from __future__ import annotations

from nlp.mentions import find_mentions
from nlp.segment import default_segmenter

SEG = default_segmenter()


def names(text: str) -> list[str]:
    """The mention names found in ``text`` (word bounds from jieba without HMM, as the enricher uses)."""
    pieces = SEG.tokenize(text, hmm=False)
    bounds = {s for _, s, _ in pieces} | {len(text)}
    return [m.name for m in find_mentions(text, bounds)]
