"""Sentiment scorers: 0..1, higher = more positive.

``fast`` — naive-Bayes-weighted TF-IDF char n-grams + logistic regression, trained on hand-labelled Weibo
posts (``yuqing nlp train``), shipped as ``nlp/models/sentiment.npz``. ``encoder`` — a small pretrained
Chinese encoder fine-tuned on the same posts (:mod:`nlp.encoder`), blended with ``fast``: more accurate, about
60× slower. ``default`` — the cascade: ``fast`` decides where it is sure, a two-layer student distilled from the
encoder where it is not, and one encoder member where the student is unsure too (:class:`CascadeSentiment`).
``snownlp`` — SnowNLP's bundled model (slow, weak on Weibo; for comparison). All score batches.
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


#: The cascade sends a post to its second stage (the student) when the n-gram model's score lies in
#: [DEFER_LOW, DEFER_HIGH]: 20 % of the validation posts. Chosen on the validation tenth of the training posts (never
#: on a held-out split) as the narrowest band within 0.005 of the best validation accuracy of the bands tried
#: (docs/nlp.md).
DEFER_LOW = 0.30
DEFER_HIGH = 0.70
#: The second stage: a two-layer student distilled from the two-member encoder (:mod:`nlp.student_train`).
CASCADE_STUDENT = MODEL_DIR / "sentiment-student.onnx"
#: The one-member encoder graph (the cascade's second stage before the student; the third stage when
#: :data:`MEMBER_BAND` is set).
CASCADE_ENCODER = MODEL_DIR / "sentiment-cascade.onnx"
#: Deferred posts whose student blend lies in this band go on to the one-member encoder; None: no third stage.
MEMBER_BAND: tuple[float, float] | None = (0.40, 0.60)


class LinearSentiment:
    """The ``fast`` scorer: a compact linear model over char n-grams."""

    name = "fast"

    def __init__(self, path: Path | None = None) -> None:
        path = path or DEFAULT_SENTIMENT_MODEL
        try:
            self.model = LinearTextModel.load(path)
        except FileNotFoundError:
            raise ConfigError(f"{path}: sentiment model not found (run `yuqing nlp train`)") from None

    def score(self, texts: Sequence[str]) -> list[float]:
        """P(positive) per text."""
        return [float(s) for s in self.model.scores(texts)] if texts else []


class SnowNLPSentiment:
    """SnowNLP's bundled model (imported on first use: it loads ~400 MB)."""

    name = "snownlp"

    def __init__(self) -> None:
        from snownlp import SnowNLP

        self._cls = SnowNLP

    def score(self, texts: Sequence[str]) -> list[float]:
        """SnowNLP ``.sentiments`` per text (0.5 for empty text)."""
        return [float(self._cls(t).sentiments) if t.strip() else 0.5 for t in texts]


class CascadeSentiment:
    """The ``default`` scorer: the n-gram model's score where it is sure; for posts it scores in [low, high], the
    blend of a distilled two-layer student encoder (``sentiment-student.onnx``: half the work of one member) with
    the n-gram model (:mod:`nlp.encoder`), placed inside the band (``low + (high - low) × blend``) so that the
    cascade never reorders the posts the n-gram model is sure of. With ``member_band``, deferred posts whose
    student blend lies in that band get the one-member encoder's blend instead (a third stage). Each encoder is
    loaded on the first post it is needed for.

    ``model`` is the n-gram model, so the enricher can score it jointly with the topic model and then hand the
    scores to :meth:`refine`.
    """

    name = "default"

    def __init__(self, model_path: Path | None = None, encoder_path: Path | None = None,
                 low: float = DEFER_LOW, high: float = DEFER_HIGH, member_path: Path | None = None,
                 member_band: tuple[float, float] | None = None) -> None:
        self.fast = LinearSentiment(model_path)
        self.model = self.fast.model
        self.encoder_path = encoder_path or CASCADE_STUDENT
        self.member_path = member_path or CASCADE_ENCODER
        self.low, self.high = low, high
        self.member_band = member_band
        self._encoder = None
        self._member = None
        self.deferred = 0  # posts sent to the second stage so far
        self.escalated = 0  # of those, posts sent on to the third
        self.scored = 0

    @property
    def encoder(self):
        """The second stage's blend (the student with the n-gram model), loaded on first use."""
        if self._encoder is None:
            from nlp.encoder import EncoderSentiment

            self._encoder = EncoderSentiment(self.encoder_path, ngram=self.fast)
        return self._encoder

    @property
    def member(self):
        """The third stage's blend (one encoder member with the n-gram model), loaded on first use."""
        if self._member is None:
            from nlp.encoder import EncoderSentiment

            self._member = EncoderSentiment(self.member_path, ngram=self.fast)
        return self._member

    def score(self, texts: Sequence[str]) -> list[float]:
        """P(positive) per text."""
        return self.refine(texts, self.fast.score(texts))

    def refine(self, texts: Sequence[str], fast_scores: Sequence[float]) -> list[float]:
        """The final scores, given the n-gram model's: posts in [low, high] get the encoder blend."""
        out = [float(s) for s in fast_scores]
        unsure = [i for i, s in enumerate(out) if self.low <= s <= self.high]
        if unsure:
            blended = self.encoder.blend([texts[i] for i in unsure], [out[i] for i in unsure])
            if self.member_band is not None:
                lo, hi = self.member_band
                again = [j for j, b in enumerate(blended) if lo <= b <= hi]
                if again:
                    better = self.member.blend([texts[unsure[j]] for j in again], [out[unsure[j]] for j in again])
                    for j, b in zip(again, better, strict=True):
                        blended[j] = b
                self.escalated += len(again)
            for i, b in zip(unsure, blended, strict=True):
                out[i] = self.low + (self.high - self.low) * b
        self.deferred += len(unsure)
        self.scored += len(out)
        return out


def make_scorer(name: str = "default", model_path: Path | None = None) -> SentimentScorer:
    """The scorer registered under ``name`` (``default``, ``thorough``, ``fast``, ``encoder`` or ``snownlp``).

    ``default`` is the two-stage cascade (the n-gram model, then the student); ``thorough`` adds the third stage
    (one encoder member). ``model_path`` is the n-gram model (``.npz``) for ``default``, ``thorough`` and
    ``fast``, the graph (``.onnx``) for ``encoder``.
    """
    if name == "default":  # two stages: within the speed and memory goals (docs/nlp.md, "Which cascade is default")
        return CascadeSentiment(model_path)
    if name == "thorough":  # three stages: 3 validation posts in 1,199 more accurate, ~40 MB more, ~20 % slower
        cascade = CascadeSentiment(model_path, member_band=MEMBER_BAND)
        cascade.name = "thorough"
        return cascade
    if name == "fast":
        return LinearSentiment(model_path)
    if name == "encoder":
        from nlp.encoder import EncoderSentiment

        return EncoderSentiment(model_path)
    if name == "snownlp":
        return SnowNLPSentiment()
    raise ConfigError(f"nlp.sentiment: unknown scorer {name!r} (choose default, thorough, fast, encoder or snownlp)")
