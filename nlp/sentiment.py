"""Sentiment scorers: 0..1, higher = more positive.

``default`` — naive-Bayes-weighted TF-IDF char n-grams + logistic regression, trained on hand-labelled Weibo
posts (``yuqing nlp train``), shipped as ``nlp/models/sentiment.npz``. ``encoder`` — a small pretrained
Chinese encoder fine-tuned on the same posts (:mod:`nlp.encoder`): more accurate, about 60× slower.
``snownlp`` — SnowNLP's bundled model (slow, weak on Weibo; kept for comparison). All score batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from core.errors import ConfigError
from core.model import SentimentLabel
from nlp.textfeat import LinearTextModel

MODEL_DIR = Path(__file__).resolve().parent / "models"
DEFAULT_SENTIMENT_MODEL = MODEL_DIR / "sentiment.npz"

#: Scores below NEGATIVE_BELOW are negative, above POSITIVE_ABOVE positive, the rest neutral.
NEGATIVE_BELOW = 0.4
POSITIVE_ABOVE = 0.6


class SentimentScorer(Protocol):
    """Anything that scores a batch of texts."""

    name: str

    def score(self, texts: Sequence[str]) -> list[float]: ...


def label_for(score: float) -> SentimentLabel:
    """The coarse label of a 0..1 score."""
    if score < NEGATIVE_BELOW:
        return SentimentLabel.NEGATIVE
    if score > POSITIVE_ABOVE:
        return SentimentLabel.POSITIVE
    return SentimentLabel.NEUTRAL


class LinearSentiment:
    """The default scorer: a compact linear model over char n-grams."""

    name = "default"

    def __init__(self, path: Path | None = None) -> None:
        path = path or DEFAULT_SENTIMENT_MODEL
        try:
            self.model = LinearTextModel.load(path)
        except FileNotFoundError:
            raise ConfigError(f"{path}: sentiment model not found (run `yuqing nlp train`)") from None

    def score(self, texts: Sequence[str]) -> list[float]:
        """P(positive) per text."""
        return [float(s) for s in self.model.scores(texts)] if texts else []

    def score_grams(self, grams: Sequence[Sequence[str]]) -> list[float]:
        """P(positive) from precomputed :func:`nlp.textfeat.analyze` output."""
        return [float(s) for s in self.model.scores_grams(grams)] if grams else []


class SnowNLPSentiment:
    """SnowNLP's bundled model (imported on first use: it loads ~400 MB)."""

    name = "snownlp"

    def __init__(self) -> None:
        from snownlp import SnowNLP

        self._cls = SnowNLP

    def score(self, texts: Sequence[str]) -> list[float]:
        """SnowNLP ``.sentiments`` per text (0.5 for empty text)."""
        return [float(self._cls(t).sentiments) if t.strip() else 0.5 for t in texts]


def make_scorer(name: str = "default", model_path: Path | None = None) -> SentimentScorer:
    """The scorer registered under ``name`` (``default``, ``encoder`` or ``snownlp``)."""
    if name == "default":
        return LinearSentiment(model_path)
    if name == "encoder":
        from nlp.encoder import EncoderSentiment

        return EncoderSentiment(model_path)
    if name == "snownlp":
        return SnowNLPSentiment()
    raise ConfigError(f"nlp.sentiment: unknown scorer {name!r} (choose default, encoder or snownlp)")
