"""Distil the ``encoder`` into a shallower student for the ``default`` cascade (needs the ``train`` extra).

    .venv/bin/python -m nlp.student_train [--layers 2] [--epochs 3] [--soft-share 0.5] [--teacher-cache F.npz]

The shipped student (``nlp/models/sentiment-student.onnx``) is the default run below (2 layers, 3 epochs, soft share
0.5): the teacher scored the 10,792 training posts in ~12 minutes and training took ~44 minutes (1,014 steps) on
this 2-core machine under load (docs/nlp-journal.md, "Third pass: a distilled student").

The student is bge-small-zh-v1.5 cut to its first :data:`LAYERS` layers (same embeddings, same tokenizer),
fine-tuned on the encoder's training posts (:func:`nlp.encoder_train.training_data`, less the same validation
tenth) against a mix of the hand labels and the shipped two-member encoder's soft labels
(:data:`SOFT_SHARE`; the teacher scores the training posts only, never the validation tenth or a held-out split).
It is exported as the members are: int8 weights, activations quantised per token (batch-independent scores).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nlp.encoder_train import (
    BATCH,
    CACHE,
    LEARNING_RATE,
    SEED,
    TRAIN_SETS,
    _batches,
    encode,
    export,
    fetch_base,
    load_base,
    predict,
    training_data,
    validation_split,
)

#: Encoder layers the student keeps (of bge-small's 4): about half the work per post.
LAYERS = 2
EPOCHS = 3
#: The share of the loss on the teacher's soft labels (the rest on the hand labels); 0 skips the teacher.
SOFT_SHARE = 0.5
STUDENT_NAME = "sentiment-student.onnx"


def teacher_log_odds(texts: Sequence[str], batch_tokens: int = 4096) -> np.ndarray:
    """The shipped two-member encoder's own log-odds (no n-gram blend) per text."""
    from nlp.encoder import DEFAULT_ENCODER_MODEL, EncoderSentiment

    teacher = EncoderSentiment(DEFAULT_ENCODER_MODEL, threads=2, ngram=None, weight=1.0, batch_tokens=batch_tokens)
    out = []
    step = 512
    for s in range(0, len(texts), step):
        out.append(teacher.encoder_logits(texts[s : s + step]))
        print(f"教师 teacher {min(s + step, len(texts))}/{len(texts)}", file=sys.stderr)
    return np.concatenate(out) if out else np.zeros(0)


def truncated(onnx_path: Path, layers: int = LAYERS, ffn: int | None = None) -> Any:
    """The base encoder with only its first ``layers`` layers (and a fresh head); with ``ffn``, each layer keeps
    only the ``ffn`` feed-forward units of largest weight (norm of the unit's input row × norm of its output
    column in the base model), so that the feed-forward work shrinks by that share."""
    import torch

    model = load_base(onnx_path)
    model.layers = torch.nn.ModuleList(list(model.layers)[:layers])
    return narrow_feed_forward(model, ffn) if ffn is not None else model


def narrow_feed_forward(model: Any, units: int) -> Any:
    """Keep, in every layer, the ``units`` feed-forward units of largest ‖input row‖ × ‖output column‖ (in their
    original order); the other units' contributions are dropped (the output bias stays)."""
    import torch

    for layer in model.layers:
        w1, w2 = layer.f1.weight.data, layer.f2.weight.data
        keep = torch.argsort(w1.norm(dim=1) * w2.norm(dim=0), descending=True)[:units].sort().values
        f1, f2 = torch.nn.Linear(w1.shape[1], len(keep)), torch.nn.Linear(len(keep), w2.shape[0])
        f1.weight.data, f1.bias.data = w1[keep].clone(), layer.f1.bias.data[keep].clone()
        f2.weight.data, f2.bias.data = w2[:, keep].clone(), layer.f2.bias.data.clone()
        layer.f1, layer.f2 = f1, f2
    return model


def distil(model: Any, ids: Sequence[Sequence[int]], labels: Sequence[int], soft: Sequence[float],
           weights: Sequence[float], epochs: int = EPOCHS, lr: float = LEARNING_RATE, seed: int = SEED,
           soft_share: float = SOFT_SHARE,
           validation: tuple[Sequence[Sequence[int]], Sequence[int]] | None = None,
           checkpoint: Path | None = None) -> Any:
    """AdamW with warm-up and linear decay on (1 − soft_share) × CE(hand label) + soft_share × CE(teacher P);
    the weights are saved to ``checkpoint`` after each epoch."""
    import torch
    from sklearn.metrics import roc_auc_score

    torch.manual_seed(seed)
    rng = random.Random(seed)
    for emb in (model.we, model.pe, model.te):  # the embeddings stay the base model's: half the work a step
        emb.weight.requires_grad_(False)
    y = torch.tensor(list(labels))
    p_t = torch.tensor(list(soft), dtype=torch.float32)
    w = torch.tensor(list(weights), dtype=torch.float32)
    per_epoch = math.ceil(len(ids) / BATCH)
    steps, warm = epochs * per_epoch, max(1, epochs * per_epoch // 10)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    model.train()
    done = 0
    for epoch in range(epochs):
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]) + rng.random() * 8)
        chunks = [order[s : s + BATCH] for s in range(0, len(order), BATCH)]
        rng.shuffle(chunks)
        for rows, x, m in _batches(ids, [i for c in chunks for i in c], BATCH):
            logp = torch.log_softmax(model(x, m), -1)
            hard = -logp[torch.arange(len(rows)), y[rows]]
            target = torch.stack([1 - p_t[rows], p_t[rows]], 1)
            soft_ce = -(target * logp).sum(1)
            loss = (((1 - soft_share) * hard + soft_share * soft_ce) * w[rows]).mean()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            done += 1
            if done % 20 == 0:
                print(f"步 step {done}/{steps} loss {loss.item():.3f}", file=sys.stderr)
        if validation is not None:
            p, y_val = predict(model, validation[0]), np.asarray(validation[1])
            print(f"第 {epoch + 1} 轮 epoch: 验证集 validation accuracy {((p > 0.5) == y_val).mean():.3f}, "
                  f"AUC {roc_auc_score(y_val, p):.3f} (n = {len(y_val)})", file=sys.stderr)
            model.train()
        if checkpoint is not None:
            torch.save(model.state_dict(), checkpoint)
    model.eval()
    return model


def train_student(out: Path, layers: int = LAYERS, epochs: int = EPOCHS, soft_share: float = SOFT_SHARE,
                  sets: Sequence[str] = TRAIN_SETS, teacher_cache: Path | None = None,
                  ffn: int | None = None) -> Path:
    """Distil and write the student graph (+ tokenizer) to ``out``; the teacher's log-odds on the training posts
    are kept in (and read back from) ``teacher_cache`` when given."""
    onnx_path, tok_path = fetch_base()
    texts, labels, weights = training_data(sets)
    val, train = validation_split(len(texts))
    ids = encode(tok_path, texts)
    if soft_share <= 0:
        z = np.zeros(len(train))  # hand labels only: the teacher is not run
    elif teacher_cache is not None and teacher_cache.is_file():
        cached = np.load(teacher_cache)
        if not np.array_equal(cached["train"], np.asarray(train)):
            raise ValueError(f"{teacher_cache}: the teacher's posts are not this training split")
        z = cached["log_odds"]
    else:
        z = teacher_log_odds([texts[i] for i in train])
        if teacher_cache is not None:
            np.savez(teacher_cache, log_odds=z, train=np.asarray(train))
    soft = 1.0 / (1.0 + np.exp(-z))
    model = distil(truncated(onnx_path, layers, ffn), [ids[i] for i in train], [labels[i] for i in train], soft,
                   [weights[i] for i in train], epochs=epochs, soft_share=soft_share,
                   validation=([ids[i] for i in val], [labels[i] for i in val]),
                   checkpoint=CACHE / (out.stem + ".pt"))
    return export([model], out, tok_path)


#: Half-widths of the bands around 0.5 compared for a cascade's first stage (docs/nlp-journal.md, "Fifth pass").
REPORT_BANDS = (0.20, 0.25, 0.30, 0.35, 0.40)


#: Posts a report can be made on: the encoder's validation tenth, or the train split of smp2020 (COVID-period
#: Weibo; research terms, so never trained on, and its test split is a held-out report set): a development set off
#: the training domain, as the issue's comments on public incidents are.
REPORT_SETS = ("validation", "smp2020-train")


def report_posts(on: str = "validation") -> tuple[list[str], np.ndarray]:
    """The texts and labels of one of :data:`REPORT_SETS`."""
    if on == "smp2020-train":
        from nlp.datasets import SENTIMENT_SETS

        (x, y), _ = SENTIMENT_SETS["smp2020"].load()
        return x, np.asarray(y)
    if on != "validation":
        raise ValueError(f"{on}: not one of {', '.join(REPORT_SETS)}")
    texts, labels, _ = training_data(TRAIN_SETS)
    val, _ = validation_split(len(texts))
    return [texts[i] for i in val], np.asarray([labels[i] for i in val])


def validation_report(graph: Path, max_tokens: int | None = None, bands: Sequence[float] = REPORT_BANDS,
                      on: str = "validation") -> list[dict[str, Any]]:
    """A candidate second stage on a development set (:data:`REPORT_SETS`; by default the encoder's validation
    tenth): its blend with ``fast`` on every post, and the two-stage cascade (``fast`` outside [0.5 − h, 0.5 + h],
    the blend placed inside it) at each half-width h: share deferred, accuracy and AUC (unrounded). Needs
    onnxruntime and scikit-learn only."""
    from sklearn.metrics import roc_auc_score

    from nlp.encoder import MAX_TOKENS, EncoderSentiment
    from nlp.sentiment import LinearSentiment

    x, y = report_posts(on)
    fast = LinearSentiment()
    f = np.asarray(fast.score(x))
    blend = np.asarray(EncoderSentiment(graph, ngram=fast, max_tokens=max_tokens or MAX_TOKENS).blend(x, list(f)))

    def row(band: str, p: np.ndarray, deferred: float) -> dict[str, Any]:
        return {"band": band, "deferred": deferred, "accuracy": float(((p > 0.5) == y).mean()),
                "auc": float(roc_auc_score(y, p)), "n": len(y)}

    rows = [row("all posts", blend, 1.0)]
    for half in bands:
        lo, hi = 0.5 - half, 0.5 + half
        unsure = (f >= lo) & (f <= hi)
        rows.append(row(f"[{lo:.2f}, {hi:.2f}]", np.where(unsure, lo + (hi - lo) * blend, f), float(unsure.mean())))
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    from nlp.sentiment import MODEL_DIR

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layers", type=int, default=LAYERS)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--soft-share", type=float, default=SOFT_SHARE)
    ap.add_argument("--out", type=Path, default=MODEL_DIR / STUDENT_NAME)
    ap.add_argument("--teacher-cache", type=Path, help="an .npz for the teacher's log-odds (reused when present)")
    ap.add_argument("--ffn", type=int, help="feed-forward units kept per layer (of 2,048; default: all)")
    ap.add_argument("--report", type=Path, metavar="GRAPH",
                    help="train nothing: the cascade with this graph as second stage on a development set (--on)")
    ap.add_argument("--max-tokens", type=int, help="with --report: the graph reads at most this many tokens")
    ap.add_argument("--on", choices=REPORT_SETS, default="validation", help="with --report: the posts reported on")
    args = ap.parse_args(argv)
    if args.report is None and (args.on != "validation" or args.max_tokens is not None):
        ap.error("--on and --max-tokens go with --report (without it this trains and writes a student)")
    if args.report is not None:
        for r in validation_report(args.report, args.max_tokens, on=args.on):
            print(f"{r['band']:>12}: {100 * r['deferred']:5.1f} % deferred, accuracy {r['accuracy']:.4f}, "
                  f"AUC {r['auc']:.4f} (n = {r['n']})")
        return
    path = train_student(args.out, args.layers, args.epochs, args.soft_share, teacher_cache=args.teacher_cache,
                         ffn=args.ffn)
    print(f"已写入 {path}（{path.stat().st_size // 1024} KB）")


if __name__ == "__main__":
    main()
