"""A reader of what a long letter is about, for topics the rules see only a word of.

Many letters about 创全 work name their problem once, in words of their own, and the rules leave them ``other``
(twenty-first session: 121 of the 338 创全 letters of the unread samples; 42 held one keyword of their own topic).
This reader turns such a letter's meaning into topic probabilities: the base bge-small-zh-v1.5 encoder (untuned,
int8, last layer on [CLS] alone, exported like the sentiment graphs) gives the letter's normalised [CLS] vector, and
a logistic-regression head trained by :mod:`nlp.topic_reader_train` (never on TipDM letters) maps it onto the
taxonomy's codes.

:class:`nlp.topics.TopicClassifier` asks it only about texts longer than :data:`MIN_CHARS` that everything else
typed ``other``, and gives such a text topic X only when X is the head's most probable code, above
:data:`MIN_PROBABILITY`, and the rules saw evidence of X: the reader chooses between topics the letter's words
raise, it never invents one. It reads a letter's first 256 tokens (about 250 characters): a problem told only after a
longer preamble is not seen. About 25 ms a letter on one core; loaded at the first such letter.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from core.errors import ConfigError
from nlp.encoder import load_graph, tokenizer_path
from nlp.sentiment import MODEL_DIR
from nlp.textfeat import normalize

DEFAULT_READER_GRAPH = MODEL_DIR / "topic-reader.onnx"
DEFAULT_READER_HEAD = MODEL_DIR / "topic-reader.npz"
#: Only letters: the head was chosen on letters, and on short posts it reads register more than matter.
MIN_CHARS = 150
#: Chosen with the head's settings on the read blind samples' letters (the issue's mix of two thirds ``other`` as the
#: objective; docs/nlp-journal.md, "Twenty-third session").
MIN_PROBABILITY = 0.6
#: What to do when a file is missing.
HINT = "rebuild it with `python -m nlp.topic_reader_train`, or set `nlp.topic_reader: false`"


def head_path(graph: Path) -> Path:
    """The head shipped beside a graph: ``x.onnx`` → ``x.npz``."""
    return graph.with_suffix(".npz")


class TopicReader:
    """Topic probabilities of texts from the encoder's [CLS] vector and a linear head."""

    def __init__(self, graph: Path | None = None, threads: int = 1) -> None:
        self.graph = Path(graph or DEFAULT_READER_GRAPH)
        head = head_path(self.graph)
        for p in (self.graph, tokenizer_path(self.graph), head):
            if not p.is_file():
                raise ConfigError(f"{p}: topic reader file not found ({HINT})")
        with np.load(head, allow_pickle=False) as h:
            self.coef, self.intercept = h["coef"], h["intercept"]
            self.classes = [str(c) for c in h["classes"]]
        self.threads = threads
        self._loaded: tuple | None = None
        self._lock = threading.Lock()

    def _graph(self) -> tuple:
        """Tokenizer and session, loaded at the first letter (once, whichever thread asks first)."""
        with self._lock:
            if self._loaded is None:
                self._loaded = load_graph(self.graph, self.threads, HINT)
            return self._loaded

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """P(code) per text, columns in the order of :attr:`classes`."""
        if not texts:
            return np.zeros((0, len(self.classes)))
        z = cls_vectors(*self._graph(), texts) @ self.coef.T + self.intercept
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)


def cls_vectors(tokenizer, session, texts: Sequence[str]) -> np.ndarray:
    """The normalised [CLS] vector of each text (one run per text, so a letter's vector does not depend on its batch;
    the tokenizer cuts a text at :data:`nlp.encoder.MAX_TOKENS` tokens, about its first 250 characters)."""
    rows = []
    for text in texts:
        x = np.array([tokenizer.encode(normalize(text)).ids], dtype=np.int64)
        rows.append(session.run(None, {"input_ids": x, "attention_mask": np.ones_like(x)})[0][0])
    out = np.array(rows, dtype=np.float32)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
