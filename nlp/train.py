"""Training and evaluation of the shipped models (``yuqing nlp train`` / ``yuqing nlp evaluate``).

Sentiment: naive-Bayes-weighted TF-IDF char 1–2-grams + logistic regression (NB-LR), trained on the train
split of the chosen sets (default: hand-labelled Weibo, reviews down-weighted) less the encoder's validation
tenth, exported with :class:`nlp.textfeat.LinearTextModel`.
Topics: the same model family, trained on the topic corpus of ``nlp/corpus`` (see docs/nlp.md).
Reviewer corrections (JSON lines with ``text`` and ``topic`` / ``sentiment_label``) are added to training.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nlp.datasets import SENTIMENT_SETS, trainable
from nlp.textfeat import LinearTextModel, analyze

SENTIMENT_NGRAMS = 2
SENTIMENT_C = 16.0
#: The shipped sentiment model's sets; review sets are down-weighted (the target register is Weibo).
SENTIMENT_TRAIN_SETS = ("weibo2018", "waimai", "chnsenticorp")
SET_WEIGHT = {"weibo2018": 1.0}
OTHER_SET_WEIGHT = 0.2
TOPIC_NGRAMS = 2
TOPIC_C = 4.0


def _ana(n: int):
    return lambda s: analyze(s, n)


def fit_linear(texts: Sequence[str], labels: Sequence[Any], n_max: int, c: float, nb: bool = False,
               sample_weight: Sequence[float] | None = None) -> LinearTextModel:
    """Fit TF-IDF char n-grams + logistic regression (NB-weighted features for binary tasks) and export it."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer=_ana(n_max), sublinear_tf=True, min_df=1, dtype=np.float32)
    x = vec.fit_transform(texts)
    y = np.asarray(labels)
    r = None
    if nb:
        xb = (x > 0).astype(np.float32)
        p = 1.0 + np.asarray(xb[y == 1].sum(0)).ravel()
        q = 1.0 + np.asarray(xb[y == 0].sum(0)).ravel()
        r = np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)
        x = x.multiply(r).tocsr()
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(x, y, sample_weight=None if sample_weight is None else np.asarray(sample_weight))
    if r is not None:
        clf.coef_ = clf.coef_ * r  # fold the NB weights into the linear layer
    return LinearTextModel.from_sklearn(vec, clf, n_max, min_abs_coef=1e-3)


def read_corrections(path: Path | None) -> list[dict[str, Any]]:
    """Reviewer-corrected rows (JSON lines), or nothing."""
    if path is None:
        return []
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def sentiment_training_data(
    sets: Iterable[str], corrections: Sequence[dict[str, Any]] = ()
) -> tuple[list[str], list[int], list[float]]:
    """Train splits of the named sets plus corrected sentiment labels (neutral corrections are skipped); ValueError
    for a set whose terms or purpose allow evaluation only (smp2020, the written incident comments)."""
    sets = trainable(sets)
    texts: list[str] = []
    labels: list[int] = []
    weights: list[float] = []
    for name in sets:
        (tr_x, tr_y), _ = SENTIMENT_SETS[name].load()
        texts += tr_x
        labels += tr_y
        weights += [SET_WEIGHT.get(name, OTHER_SET_WEIGHT)] * len(tr_x)
    for row in corrections:
        lab = row.get("sentiment_label")
        if row.get("text") and lab in ("positive", "negative"):
            texts.append(row["text"])
            labels.append(1 if lab == "positive" else 0)
            weights.append(2.0)  # a reviewer's label on our own posts counts more than a public set's
    return texts, labels, weights


def sentiment_fit_data(
    sets: Sequence[str] = SENTIMENT_TRAIN_SETS, corrections: Sequence[dict[str, Any]] = ()
) -> tuple[list[str], list[int], list[float]]:
    """What the n-gram model is fitted on: :func:`sentiment_training_data` without the encoder's validation tenth
    (on which the blend and the cascade's band are chosen, so neither model may have seen it)."""
    from nlp.encoder_train import validation_texts
    from nlp.textfeat import normalize

    texts, labels, weights = sentiment_training_data(sets, corrections)
    held = validation_texts()
    keep = [i for i, t in enumerate(texts) if normalize(t) not in held]
    return [texts[i] for i in keep], [labels[i] for i in keep], [weights[i] for i in keep]


def train_sentiment(
    out: Path, sets: Sequence[str] = SENTIMENT_TRAIN_SETS, corrections: Sequence[dict[str, Any]] = ()
) -> Path:
    """Train and write the n-gram sentiment model (``fast``, and the first stage of ``default``)."""
    texts, labels, weights = sentiment_fit_data(sets, corrections)
    model = fit_linear(texts, labels, SENTIMENT_NGRAMS, SENTIMENT_C, nb=True, sample_weight=weights)
    model.save(out)
    return out


def evaluate_scorer(score, sets: Iterable[str], limit: int | None = None,
                    progress: Callable[[str], None] | None = None) -> list[dict[str, Any]]:
    """Accuracy (threshold 0.5) and AUC of ``score(texts) -> list[float]`` on each set's held-out split; for the
    cascade's ``score`` also the shares of posts it sent to its second stage (``deferred``) and on to its third
    (``escalated``). ``progress`` is told each set's name and size before it is scored."""
    from sklearn.metrics import accuracy_score, roc_auc_score

    owner = getattr(score, "__self__", None)
    rows = []
    for name in sets:
        _, (x, y) = SENTIMENT_SETS[name].load()
        if limit:
            x, y = x[:limit], y[:limit]
        if progress is not None:
            progress(f"{name}（{len(x)} 条）")
        before = getattr(owner, "deferred", None)
        before_member = getattr(owner, "escalated", 0)
        p = np.asarray(score(x), dtype=float)
        row = {"set": name, "n": len(y), "accuracy": round(float(accuracy_score(y, p > 0.5)), 3),
               "auc": round(float(roc_auc_score(y, p)), 3)}
        if before is not None:
            row["deferred"] = round((owner.deferred - before) / max(1, len(y)), 3)
            row["escalated"] = round((getattr(owner, "escalated", 0) - before_member) / max(1, len(y)), 3)
        rows.append(row)
    return rows


def train_topics(out: Path, gazetteer, taxonomy, corrections: Sequence[dict[str, Any]] = ()) -> Path:
    """Train and write the topic model (:mod:`nlp.topic_train`: the 创全 topics and ``other``) plus
    reviewer-corrected topics."""
    from nlp.topic_train import prune, topic_training_data

    texts, labels, weights = topic_training_data(gazetteer, taxonomy)
    for row in corrections:
        if row.get("text") and row.get("topic") in taxonomy:
            texts.append(row["text"])
            labels.append(row["topic"])
            weights.append(3.0)
    model = prune(fit_linear(texts, labels, TOPIC_NGRAMS, TOPIC_C, sample_weight=weights))
    model.save(out)
    return out


#: Bands compared on the validation tenth when the cascade's band was chosen (docs/nlp.md).
CASCADE_BANDS = (0.10, 0.15, 0.20, 0.25, 0.30, 0.35)
#: Bands of the student's blend compared for a third stage (the one-member encoder).
MEMBER_BANDS = (0.05, 0.10, 0.15, 0.20, 0.25)


def validation_report(bands: Sequence[float] = CASCADE_BANDS,
                      member_bands: Sequence[float] = MEMBER_BANDS) -> list[dict[str, Any]]:
    """``fast``, the encoder blends and the cascade at each band half-width (second stage: the one-member encoder
    or the student), and the three-stage cascade (fast → student → one member) at the shipped first band, on the
    encoder's validation tenth (the posts the bands are chosen on; no model trained on them). One row per scorer."""
    from sklearn.metrics import roc_auc_score

    from nlp.encoder import DEFAULT_ENCODER_MODEL, EncoderSentiment
    from nlp.sentiment import CASCADE_ENCODER, CASCADE_STUDENT, DEFER_HIGH, DEFER_LOW, LinearSentiment
    from nlp.student_train import report_posts

    x, y = report_posts("validation")
    fast = LinearSentiment()
    f = np.asarray(fast.score(x))

    def row(name: str, p: np.ndarray, deferred: float | None = None, escalated: float | None = None
            ) -> dict[str, Any]:
        out = {"scorer": name, "n": len(y), "accuracy": round(float(((p > 0.5) == y).mean()), 3),
               "auc": round(float(roc_auc_score(y, p)), 3)}
        if deferred is not None:
            out["deferred"] = round(deferred, 3)
        if escalated is not None:
            out["escalated"] = round(escalated, 3)
        return out

    rows = [row("fast", f)]
    blends = {}
    for label, path in (("two members", DEFAULT_ENCODER_MODEL), ("one member", CASCADE_ENCODER),
                        ("student", CASCADE_STUDENT)):
        blends[label] = blend = np.asarray(EncoderSentiment(path, ngram=fast).blend(x, list(f)))
        rows.append(row(f"encoder blend, {label}", blend))
        for half in bands:
            lo, hi = 0.5 - half, 0.5 + half
            unsure = (f >= lo) & (f <= hi)
            rows.append(row(f"cascade [{lo:.2f}, {hi:.2f}], {label}", np.where(unsure, lo + (hi - lo) * blend, f),
                            float(unsure.mean())))
    unsure = (f >= DEFER_LOW) & (f <= DEFER_HIGH)
    for half in member_bands:
        again = unsure & (np.abs(blends["student"] - 0.5) <= half)
        third = np.where(again, blends["one member"], blends["student"])
        rows.append(row(f"cascade [{DEFER_LOW:.2f}, {DEFER_HIGH:.2f}], student, one member where the student's "
                        f"blend is in [{0.5 - half:.2f}, {0.5 + half:.2f}]",
                        np.where(unsure, DEFER_LOW + (DEFER_HIGH - DEFER_LOW) * third, f),
                        float(unsure.mean()), float(again.mean())))
    return rows
