"""NLP: segmentation, topic, sentiment, places, complaint and near-duplicate fingerprints."""

from nlp.segment import Segmenter, default_segmenter, han_chars

__all__ = ["Segmenter", "default_segmenter", "han_chars"]
