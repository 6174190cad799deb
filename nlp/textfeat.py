"""Character n-gram features and a compact linear model (TF-IDF weights + logistic regression).

Training uses scikit-learn; the exported model is a small ``.npz`` (vocabulary, idf, coefficients) scored
here with numpy alone, so loading is fast and memory small. Training and scoring share :func:`analyze`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import repeat
from pathlib import Path

import numpy as np

#: A URL ends at the first space or non-ASCII character: "https://x.cn/的儿童收全票" keeps its text.
_URL = re.compile(r"(?:https?://|www\.)[!-~]+")
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


_BIGRAM = np.int64(1) << 42


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
        # the vocabulary as one string; its gram → column dict is built on first use (``index``): a model scored
        # through integer codes (1-2-grams, :class:`JointLinear`) never needs it, and for the message-type
        # model's 380,000 grams it held ~55 MB
        self.vocab_text = "\n".join(vocab)
        self._index: dict[str, int] | None = None
        self.idf = np.asarray(idf, dtype=np.float32)
        self.coef = np.ascontiguousarray(np.asarray(coef, dtype=np.float32).T)  # (V, k)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.classes = list(classes)
        self.n_max = n_max
        self._alone: JointLinear | None = None

    @property
    def vocab(self) -> list[str]:
        """The grams, in column order."""
        return self.vocab_text.split("\n") if self.vocab_text else []

    @property
    def index(self) -> dict[str, int]:
        """Gram → column (built on first use)."""
        if self._index is None:
            self._index = {w: i for i, w in enumerate(self.vocab)}
        return self._index

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
        np.savez_compressed(
            path, vocab=np.frombuffer(self.vocab_text.encode(), dtype=np.uint8),
            idf=self.idf.astype(np.float16), coef=self.coef.T.astype(np.float16),
            intercept=self.intercept, classes=np.array(self.classes), n_max=np.array(self.n_max))

    @classmethod
    def load(cls, path: Path) -> LinearTextModel:
        """Read a model written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as z:
            vocab = z["vocab"].tobytes().decode().split("\n")
            return cls(vocab, z["idf"], z["coef"], z["intercept"], [str(c) for c in z["classes"]], int(z["n_max"]))

    def decision_grams(self, grams: Sequence[Sequence[str]]) -> np.ndarray:
        """Raw linear scores from precomputed :func:`analyze` output (one sparse product per batch)."""
        from scipy.sparse import csr_matrix

        index = self.index
        indices: list[int] = []
        counts: list[int] = []
        indptr = [0]
        for g in grams:
            for gram, c in Counter(g).items():
                j = index.get(gram)
                if j is not None:
                    indices.append(j)
                    counts.append(c)
            indptr.append(len(indices))
        if not indices:
            return np.tile(self.intercept, (len(grams), 1))
        idx = np.asarray(indices, dtype=np.int64)
        data = (1.0 + np.log(np.asarray(counts, dtype=np.float32))) * self.idf[idx]
        ptr = np.asarray(indptr, dtype=np.int64)
        rows = np.repeat(np.arange(len(grams)), np.diff(ptr))
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=len(grams)))
        data /= norms[rows].astype(np.float32)
        x = csr_matrix((data, idx, ptr), shape=(len(grams), len(self.idf)))
        return np.asarray(x @ self.coef) + self.intercept

    def scores(self, texts: Iterable[str]) -> np.ndarray:
        """P(positive class) for binary models (shape (n,)); class probabilities otherwise (shape (n, k))."""
        if self.n_max == 2:  # the vectorised 1-2-gram lookup of :class:`JointLinear`, same figures
            if self._alone is None:
                self._alone = JointLinear([self])
            return self._alone.scores(list(texts))[0]
        return self.scores_grams([analyze(t, self.n_max) for t in texts])

    def scores_grams(self, grams: Sequence[Sequence[str]]) -> np.ndarray:
        """:meth:`scores` from precomputed :func:`analyze` output."""
        return self.squash(self.decision_grams(grams))

    @staticmethod
    def squash(d: np.ndarray) -> np.ndarray:
        """Decision values to probabilities: sigmoid for one row, softmax for several."""
        if d.shape[1] == 1:
            return 1.0 / (1.0 + np.exp(-d[:, 0]))
        d = d - d.max(axis=1, keepdims=True)
        e = np.exp(d)
        return e / e.sum(axis=1, keepdims=True)


class JointLinear:
    """Several :class:`LinearTextModel` with the same n-gram range, scored from one vocabulary lookup."""

    def __init__(self, models: Sequence[LinearTextModel]) -> None:
        if len({m.n_max for m in models}) != 1:
            raise ValueError("joint models need the same n-gram range")
        self.models = list(models)
        self.n_max = models[0].n_max
        if len(models) == 1:  # one model: its own vocabulary and arrays (no copy)
            vocab = models[0].vocab
            self.idf: list[np.ndarray] = [models[0].idf]
            self.coef: list[np.ndarray] = [models[0].coef]
        else:
            merged: dict[str, int] = {}
            for m in models:
                for g in m.vocab:
                    merged.setdefault(g, len(merged))
            vocab = list(merged)
            self.idf, self.coef = [], []
            for m in models:
                pos = np.fromiter(map(merged.__getitem__, m.vocab), dtype=np.int64, count=len(m.idf))
                idf = np.zeros(len(vocab), dtype=np.float32)
                idf[pos] = m.idf
                coef = np.zeros((len(vocab), m.coef.shape[1]), dtype=np.float32)
                coef[pos] = m.coef
                self.idf.append(idf)
                self.coef.append(coef)
            del merged
        self.size = len(vocab)
        # gram → column for the n-gram path (models that are not 1-2-grams); built on first use
        self._vocab_text = models[0].vocab_text if len(models) == 1 else "\n".join(vocab)
        self._index: dict[str, int] | None = None
        # 1-2-gram models: grams as integer codes (a character's code point; a bigram's two, plus a flag),
        # looked up with one vectorised binary search per batch instead of one dict lookup per gram.
        self._codes: np.ndarray | None = None
        lens = np.fromiter(map(len, vocab), dtype=np.int64, count=len(vocab))
        if self.n_max == 2 and len(vocab) and lens.min() >= 1 and lens.max() <= 2:
            c = np.frombuffer("".join(vocab).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
            first = c[np.cumsum(lens) - lens]
            codes = np.where(lens == 1, first, _BIGRAM | (first << 21) | c[np.minimum(np.cumsum(lens) - 1, len(c) - 1)])
            order = np.argsort(codes)
            self._codes, self._code_pos = codes[order], order

    @property
    def index(self) -> dict[str, int]:
        """Gram → column of the joint vocabulary (built on first use)."""
        if self._index is None:
            self._index = {w: i for i, w in enumerate(self._vocab_text.split("\n"))} if self.size else {}
        return self._index

    def _lookup_codes(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, vocabulary index, count) of every known 1-2-gram of the normalised texts, rows ascending."""
        norm = [normalize(t) for t in texts]
        lens = np.fromiter(map(len, norm), dtype=np.int64, count=len(norm))
        c = np.frombuffer("".join(norm).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        rows = np.repeat(np.arange(len(norm), dtype=np.int64), lens)
        pair = np.ones(max(len(c) - 1, 0), dtype=bool)  # a bigram starts at i and never spans two texts
        ends = np.cumsum(lens) - 1
        pair[ends[(lens > 0) & (ends < len(pair))]] = False
        keys = np.concatenate((c, _BIGRAM | (c[:-1][pair] << 21) | c[1:][pair]))
        krows = np.concatenate((rows, rows[:-1][pair]))
        codes = self._codes
        pos = np.minimum(np.searchsorted(codes, keys), len(codes) - 1)
        known = codes[pos] == keys
        idx = self._code_pos[pos[known]]
        v = self.size
        u, cnt = np.unique(krows[known] * v + idx, return_counts=True)
        r = u // v
        return r, u - r * v, cnt

    def scores(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Each model's :meth:`LinearTextModel.scores` for the texts, one n-gram pass and lookup."""
        if self._codes is not None and len(self._codes) and texts:
            rows, idx, cnt = self._lookup_codes(texts)
            return self._score_rows(len(texts), rows, idx, cnt.astype(np.float32))
        keys: list[str] = []
        vals: list[int] = []
        lens: list[int] = []
        for t in texts:
            cnt = Counter(analyze(t, self.n_max))
            keys.extend(cnt)
            vals.extend(cnt.values())
            lens.append(len(cnt))
        j = np.fromiter(map(self.index.get, keys, repeat(-1)), dtype=np.int64, count=len(keys))
        known = j >= 0
        rows = np.repeat(np.arange(len(texts)), lens)[known]
        return self._score_rows(len(texts), rows, j[known], np.asarray(vals, dtype=np.float32)[known])

    def _score_rows(self, n: int, rows: np.ndarray, idx: np.ndarray, counts: np.ndarray) -> list[np.ndarray]:
        from scipy.sparse import csr_matrix

        logtf = 1.0 + np.log(counts)
        ptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n))))
        out = []
        for m, idf, coef in zip(self.models, self.idf, self.coef, strict=True):
            data = logtf * idf[idx]
            norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=n))
            norms[norms == 0] = 1.0
            data = data / norms[rows].astype(np.float32)
            x = csr_matrix((data, idx, ptr), shape=(n, len(idf)))
            out.append(m.squash(np.asarray(x @ coef) + m.intercept))
        return out
