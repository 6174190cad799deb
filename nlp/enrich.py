"""The one NLP entry point: enrich posts with tokens, topic, sentiment, places, complaint and fingerprint.

(Skeleton from the spine: fills tokens only. The NLP issue completes it behind the same interface.)
"""

from __future__ import annotations

from collections.abc import Iterable

from core import Config, Post
from nlp.segment import Segmenter, default_segmenter


class Enricher:
    """Models loaded once; ``enrich`` is batched and pure apart from them."""

    def __init__(self, segmenter: Segmenter | None = None) -> None:
        self.segmenter = segmenter or default_segmenter()

    @classmethod
    def from_config(cls, config: Config) -> Enricher:
        """An enricher with the configured gazetteer, taxonomy and sentiment scorer."""
        return cls()

    def enrich(self, posts: Iterable[Post]) -> list[Post]:
        """The posts with their enrichment fields filled."""
        return [p.model_copy(update={"tokens": self.segmenter.cut(p.text)}) for p in posts]


def enrich(posts: Iterable[Post], config: Config | None = None) -> list[Post]:
    """Enrich posts with a process-wide enricher built from ``config`` (defaults if None)."""
    return Enricher.from_config(config or Config()).enrich(posts)
