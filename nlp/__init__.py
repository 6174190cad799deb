"""NLP: segmentation, topic, sentiment, places, complaint and near-duplicate fingerprints."""

from nlp.enrich import Enricher, enrich
from nlp.segment import Segmenter, default_segmenter, han_chars

__all__ = ["Enricher", "Segmenter", "default_segmenter", "enrich", "han_chars"]
