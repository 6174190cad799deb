"""The ``encoder`` sentiment scorer: a small pretrained Chinese encoder fine-tuned on hand-labelled Weibo posts.

The encoder is BAAI's bge-small-zh-v1.5 (4 layers, 512 wide, MIT licence), fine-tuned by
:mod:`nlp.encoder_train` and shipped as an int8 ONNX file with its tokenizer. It runs on onnxruntime, one
thread, in batches of similar length. It is more accurate than the ``default`` n-gram model and about 40 times
slower (see docs/nlp.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from core.errors import ConfigError
from nlp.textfeat import normalize

MODEL_DIR = Path(__file__).resolve().parent / "models"
DEFAULT_ENCODER_MODEL = MODEL_DIR / "sentiment-encoder.onnx"
TOKENIZER_SUFFIX = "-tokenizer.json"
#: Longer posts are cut to their first MAX_TOKENS tokens (Weibo posts average ~80 characters).
MAX_TOKENS = 128
BATCH = 32


def tokenizer_path(model: Path) -> Path:
    """The tokenizer file shipped beside a model: ``x.onnx`` → ``x-tokenizer.json``."""
    return model.with_name(model.stem + TOKENIZER_SUFFIX)


class EncoderSentiment:
    """P(positive) from the fine-tuned encoder."""

    name = "encoder"

    def __init__(self, path: Path | None = None, threads: int = 1) -> None:
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
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def score(self, texts: Sequence[str]) -> list[float]:
        """P(positive) per text; texts are batched by length so little padding is computed."""
        if not texts:
            return []
        ids = [e.ids for e in self.tokenizer.encode_batch([normalize(t) for t in texts])]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = np.empty(len(ids), dtype=np.float64)
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            width = max(len(ids[i]) for i in rows)
            batch = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for j, i in enumerate(rows):
                batch[j, : len(ids[i])] = ids[i]
                mask[j, : len(ids[i])] = 1
            logits = self.session.run(None, {"input_ids": batch, "attention_mask": mask})[0]
            out[rows] = 1.0 / (1.0 + np.exp(logits[:, 0] - logits[:, 1]))
        return [float(x) for x in out]
