"""Character n-gram features and a compact linear model (TF-IDF weights + logistic regression).

Training uses scikit-learn; the exported model is a small ``.npz`` (vocabulary, idf, coefficients) scored
here with numpy alone, so loading is fast and memory small. Training and scoring share :func:`analyze`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@[\w\u4e00-\u9fff-]{1,30}")
_REPOST = re.compile(r"//@[^:：]{1,30}[:：]")
_TOPIC_TAG = re.compile(r"\{%|%\}")
_SPACE = re.compile(r"[\s\u3000]+")
_DIGITS = re.compile(r"\d+")


def normalize(text: str) -> str:
    """Lower-case text without URLs, @mentions, repost markers and repeated spaces; digit runs become 0."""
    text = _REPOST.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = _TOPIC_TAG.sub("", text)
    text = _DIGITS.sub("0", text)
    return _SPACE.sub(" ", text).strip().lower()


def analyze(text: str, n_max: int = 3) -> list[str]:
    """Character 1..n_max-grams of the normalised text (the features of every linear model here)."""
    t = normalize(text)
    out = list(t)
    for n in range(2, n_max + 1):
        out.extend(t[i : i + n] for i in range(len(t) - n + 1))
    return out


class LinearTextModel:
    """Sublinear TF-IDF over char n-grams, L2-normalised, then a linear layer (one row per class).

    Binary models have one row: ``scores`` returns P(class 1). Multiclass: softmax probabilities.
    """

    def __init__(self, vocab: Sequence[str], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray,
                 classes: Sequence[str], n_max: int = 3) -> None:
        self.index = {w: i for i, w in enumerate(vocab)}
        self.idf = np.asarray(idf, dtype=np.float32)
        self.coef = np.ascontiguousarray(np.asarray(coef, dtype=np.float32).T)  # (V, k)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.classes = list(classes)
        self.n_max = n_max

    @classmethod
    def from_sklearn(cls, vectorizer, clf, n_max: int = 3, min_abs_coef: float = 0.0) -> LinearTextModel:
        """Export a fitted ``TfidfVectorizer(analyzer=analyze, sublinear_tf=True)`` + linear classifier."""
        vocab = vectorizer.get_feature_names_out()
        coef = np.asarray(clf.coef_, dtype=np.float32)
        keep = np.abs(coef).max(axis=0) > min_abs_coef
        return cls([str(w) for w in vocab[keep]], vectorizer.idf_[keep], coef[:, keep], clf.intercept_,
                   [str(c) for c in clf.classes_], n_max)

    def save(self, path: Path) -> None:
        """Write the model as a compressed ``.npz`` (float16 weights)."""
        vocab = sorted(self.index, key=self.index.__getitem__)
        np.savez_compressed(
            path, vocab=np.frombuffer("\n".join(vocab).encode(), dtype=np.uint8),
            idf=self.idf.astype(np.float16), coef=self.coef.T.astype(np.float16),
            intercept=self.intercept, classes=np.array(self.classes), n_max=np.array(self.n_max))

    @classmethod
    def load(cls, path: Path) -> LinearTextModel:
        """Read a model written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as z:
            vocab = z["vocab"].tobytes().decode().split("\n")
            return cls(vocab, z["idf"], z["coef"], z["intercept"], [str(c) for c in z["classes"]], int(z["n_max"]))

    def decision(self, texts: Iterable[str]) -> np.ndarray:
        """Raw linear scores, shape (n, k)."""
        rows = []
        index, idf, coef, n_max = self.index, self.idf, self.coef, self.n_max
        for text in texts:
            counts: dict[int, int] = {}
            for g in analyze(text, n_max):
                j = index.get(g)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                rows.append(self.intercept.copy())
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
            w = (1.0 + np.log(tf)) * idf[idx]
            w /= np.sqrt(float(w @ w)) or 1.0
            rows.append(w @ coef[idx] + self.intercept)
        return np.vstack(rows) if rows else np.zeros((0, len(self.intercept)), dtype=np.float32)

    def scores(self, texts: Iterable[str]) -> np.ndarray:
        """P(positive class) for binary models (shape (n,)); class probabilities otherwise (shape (n, k))."""
        d = self.decision(texts)
        if d.shape[1] == 1:
            return 1.0 / (1.0 + np.exp(-d[:, 0]))
        d = d - d.max(axis=1, keepdims=True)
        e = np.exp(d)
        return e / e.sum(axis=1, keepdims=True)
