"""The ``encoder`` sentiment scorer: a small pretrained Chinese encoder fine-tuned on hand-labelled posts,
blended with the ``default`` n-gram model.

The encoder is BAAI's bge-small-zh-v1.5 (4 layers, 512 wide, MIT licence), fine-tuned twice (two training
seeds) by :mod:`nlp.encoder_train`; the two runs' mean is shipped as one int8 ONNX graph with its tokenizer.
It runs on onnxruntime, one thread, one post at a time. Its log-odds are averaged with the n-gram model's
(weight :data:`ENCODER_WEIGHT`, chosen on validation posts): they err on different posts. About 60 times
slower than ``default`` alone (see docs/nlp.md).
"""

from __future__ import annotations

from collections.abc import Sequence
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


def tokenizer_path(model: Path) -> Path:
    """The tokenizer file shipped beside a model: ``x.onnx`` → ``x-tokenizer.json``."""
    return model.with_name(model.stem + TOKENIZER_SUFFIX)


class EncoderSentiment:
    """P(positive) from the fine-tuned encoder blended with the n-gram model."""

    name = "encoder"

    def __init__(self, path: Path | None = None, threads: int = 1, ngram: LinearSentiment | None = None,
                 weight: float = ENCODER_WEIGHT) -> None:
        path = Path(path or DEFAULT_ENCODER_MODEL)
        tok_path = tokenizer_path(path)
        for p in (path, tok_path):
            if not p.is_file():
                raise ConfigError(f"{p}: encoder model file not found (run `yuqing nlp train-encoder`)")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(tok_path))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        # pre-packed copies of the int8 weights cost ~18 MB of RSS and bought no measurable speed
        opts.add_session_config_entry("session.disable_prepacking", "1")
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.weight = weight
        self.ngram = ngram if ngram is not None or weight >= 1 else LinearSentiment()

    def score(self, texts: Sequence[str]) -> list[float]:
        """P(positive) per text: the blend of the encoder's and the n-gram model's log-odds."""
        if not texts:
            return []
        enc = np.asarray(self.encoder_scores(texts))
        if self.ngram is None:
            return [float(x) for x in enc]
        lin = np.asarray(self.ngram.score(texts))
        z = self.weight * logit(enc) + (1.0 - self.weight) * logit(lin)
        return [float(x) for x in 1.0 / (1.0 + np.exp(-z))]

    def encoder_scores(self, texts: Sequence[str]) -> list[float]:
        """The encoder's own P(positive) per text, one text per run: with int8 weights, activations are
        quantised per run, so a batch would make a post's score depend on its neighbours (and padding buys
        no speed here: with one member, 92 posts/s one by one, 86–100 in batches of 8–32)."""
        out = []
        for enc in self.tokenizer.encode_batch([normalize(t) for t in texts]):
            ids = np.asarray([enc.ids], dtype=np.int64)
            logits = self.session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
            out.append(float(1.0 / (1.0 + np.exp(logits[0] - logits[1]))))
        return out


def logit(p: np.ndarray) -> np.ndarray:
    """Log-odds of probabilities (clipped away from 0 and 1)."""
    p = np.clip(p, 1e-6, 1.0 - 1e-6)
    return np.log(p / (1.0 - p))
