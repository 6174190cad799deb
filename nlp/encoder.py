"""The ``encoder`` sentiment scorer: a small pretrained Chinese encoder fine-tuned on hand-labelled posts,
blended with the ``fast`` n-gram model.

The encoder is BAAI's bge-small-zh-v1.5 (4 layers, 512 wide, MIT licence), fine-tuned twice (two training
seeds) by :mod:`nlp.encoder_train`; the two runs' mean is shipped as one int8 ONNX graph with its tokenizer.
Activations are quantised per token (each row of each matrix product gets its own int8 range,
:func:`nlp.encoder_train.quantize_per_row`), so a post's score does not depend on the other posts of its batch
or on padding. It runs on onnxruntime, one thread, one post per run by default (batches of similar length on
request: :data:`BATCH_TOKENS`). Its log-odds are
averaged with the n-gram model's (weight :data:`ENCODER_WEIGHT`, chosen on validation posts): they err on
different posts. About 60 times slower than ``fast`` alone, so the ``default`` scorer
(:class:`nlp.sentiment.CascadeSentiment`) only sends it the posts the n-gram model is unsure of.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.errors import ConfigError
from nlp.sentiment import MODEL_DIR, LinearSentiment
from nlp.textfeat import normalize

DEFAULT_ENCODER_MODEL = MODEL_DIR / "sentiment-encoder.onnx"
TOKENIZER_SUFFIX = "-tokenizer.json"
#: Longer posts are cut to their first MAX_TOKENS tokens (Weibo posts average ~80 characters; 13 % of weibo2018
#: posts are longer than 128 tokens, 1 % longer than 186).
MAX_TOKENS = 256
#: The encoder's share of the blended log-odds (the n-gram model has the rest); chosen on the validation tenth
#: of the training posts, not on a held-out split (docs/nlp.md).
ENCODER_WEIGHT = 0.5
#: A run holds posts (sorted by length) up to this many tokens in all, padding included; 1 = one post per run,
#: the default: on one core, batches of up to 128–2,048 tokens ran slower (23–25 posts/s against 34 in the same
#: conditions) and cost up to 60 MB more RSS. A batch never changes a post's score.
BATCH_TOKENS = 1


def tokenizer_path(model: Path) -> Path:
    """The tokenizer file shipped beside a model: ``x.onnx`` → ``x-tokenizer.json``."""
    return model.with_name(model.stem + TOKENIZER_SUFFIX)


#: Tokenizers by content digest: the student and the members ship the same one (~7 MB each when loaded apart).
_TOKENIZERS: dict[str, object] = {}


def _tokenizer(path: Path):
    """The tokenizer of a file, loaded once per content."""
    import hashlib

    from tokenizers import Tokenizer

    digest = hashlib.sha1(path.read_bytes()).hexdigest()
    if digest not in _TOKENIZERS:
        tokenizer = Tokenizer.from_file(str(path))
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
        _TOKENIZERS[digest] = tokenizer
    return _TOKENIZERS[digest]


@lru_cache(maxsize=4)
def _load(path: Path, threads: int):
    """Tokenizer and onnxruntime session of a model file, loaded once per process (room for every graph one
    process runs: the student, the cascade's member, ``thorough``'s encoder and the topic reader)."""
    import onnxruntime as ort

    tokenizer = _tokenizer(tokenizer_path(path))
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    # pre-packed int8 weights: the student ~8 % faster a post, RSS of `default` and `thorough` within 5 MB after
    # 1,000 posts (docs/nlp.md); the extended graph rewrites (GELU, layer-norm fusions) move logits by up to 0.02
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    return tokenizer, ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def load_graph(path: Path, threads: int = 1, hint: str = "") -> tuple:
    """Tokenizer and onnxruntime session of a graph file with its tokenizer beside it (loaded once per process), or
    a :class:`ConfigError` naming the missing file and ``hint`` (what to run or set instead)."""
    for p in (path, tokenizer_path(path)):
        if not p.is_file():
            raise ConfigError(f"{p}: model file not found{f' ({hint})' if hint else ''}")
    return _load(path.resolve(), threads)


class EncoderSentiment:
    """P(positive) from the fine-tuned encoder blended with the n-gram model."""

    name = "encoder"

    def __init__(self, path: Path | None = None, threads: int = 1, ngram: LinearSentiment | None = None,
                 weight: float = ENCODER_WEIGHT, batch_tokens: int = BATCH_TOKENS,
                 max_tokens: int = MAX_TOKENS) -> None:
        path = Path(path or DEFAULT_ENCODER_MODEL)
        self.tokenizer, self.session = load_graph(path, threads, "the encoder: run `yuqing nlp train-encoder`")
        self.weight = weight
        self.batch_tokens = batch_tokens
        self.max_tokens = min(max_tokens, MAX_TOKENS)
        self.ngram = ngram if ngram is not None or weight >= 1 else LinearSentiment()

    def score(self, texts: Sequence[str]) -> list[float]:
        """P(positive) per text: the blend of the encoder's and the n-gram model's log-odds."""
        if not texts:
            return []
        if self.ngram is None:
            return self.encoder_scores(texts)
        return self.blend(texts, self.ngram.score(texts))

    def blend(self, texts: Sequence[str], ngram_scores: Sequence[float]) -> list[float]:
        """The blend for texts whose n-gram scores are already known."""
        if not texts:
            return []
        z = self.weight * self.encoder_logits(texts) + (1.0 - self.weight) * logit(np.asarray(ngram_scores))
        return [float(x) for x in 1.0 / (1.0 + np.exp(-z))]

    def encoder_scores(self, texts: Sequence[str]) -> list[float]:
        """The encoder's own P(positive) per text."""
        return [float(x) for x in 1.0 / (1.0 + np.exp(-self.encoder_logits(texts)))]

    def encoder_logits(self, texts: Sequence[str]) -> np.ndarray:
        """The encoder's log-odds per text, run in batches of similar length (padded positions are masked, and
        activations are quantised per token, so the batch does not change a post's score)."""
        ids = [e.ids for e in self.tokenizer.encode_batch([normalize(t) for t in texts])]
        if self.max_tokens < MAX_TOKENS:  # the shared tokenizer cuts at MAX_TOKENS: cut shorter, keeping [SEP]
            ids = [x if len(x) <= self.max_tokens else x[: self.max_tokens - 1] + x[-1:] for x in ids]
        out = np.zeros(len(ids), dtype=np.float64)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and (end - start + 1) * len(ids[order[end]]) <= self.batch_tokens:
                end += 1
            rows = order[start:end]
            width = len(ids[rows[-1]])
            x = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros_like(x)
            for j, i in enumerate(rows):
                x[j, : len(ids[i])] = ids[i]
                mask[j, : len(ids[i])] = 1
            logits = self.session.run(None, {"input_ids": x, "attention_mask": mask})[0]
            out[rows] = logits[:, 1] - logits[:, 0]
            start = end
        return out


def logit(p: np.ndarray) -> np.ndarray:
    """Log-odds of probabilities (clipped away from 0 and 1)."""
    p = np.clip(p, 1e-6, 1.0 - 1e-6)
    return np.log(p / (1.0 - p))
