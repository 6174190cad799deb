"""Shared by the place-mention tests: the names ``find_mentions`` returns for a text and the places the extractor
returns, cut as the enricher cuts it."""

from __future__ import annotations

import functools

from core import PlaceRef
from nlp.gazetteer import load_gazetteer
from nlp.mentions import find_mentions
from nlp.places import PlaceExtractor
from nlp.segment import default_segmenter

SEG = default_segmenter()


def names(text: str) -> list[str]:
    """The mention names found in ``text`` (word bounds from jieba without HMM, as the enricher uses)."""
    pieces = SEG.tokenize(text, hmm=False)
    bounds = {s for _, s, _ in pieces} | {len(text)}
    return [m.name for m in find_mentions(text, bounds)]


@functools.cache
def _extractor() -> PlaceExtractor:
    return PlaceExtractor(load_gazetteer())


def places(text: str) -> list[PlaceRef]:
    """The places :meth:`PlaceExtractor.extract` returns for ``text`` (word bounds as for :func:`names`)."""
    pieces = SEG.tokenize(text, hmm=False)
    return _extractor().extract(text, boundaries={s for _, s, _ in pieces} | {len(text)})
