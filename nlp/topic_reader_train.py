"""Build the topic reader (``python -m nlp.topic_reader_train``; needs the ``train`` extra: torch, onnx).

The graph is the base bge-small-zh-v1.5 (:func:`nlp.encoder_train.fetch_base`, from Maven Central), untuned, whose
output is the last layer's [CLS] row, exported and quantised like the sentiment graphs
(:func:`nlp.encoder_export.export`). The head is a logistic regression (C = :data:`C`) on the normalised [CLS]
vectors of the topic model's training data (:func:`nlp.topic_train.topic_training_data`, its balanced weights) and of
the 3,600 letters written for the project (``nlp/corpus/place_letters.jsonl``, with their writers' topics; weight
:data:`LETTER_WEIGHT`). Like every shipped model it never trains on the TipDM 网络问政 messages (development and
evaluation only: ``../shared/data/README.md``). C, the letters' weight and :data:`nlp.topic_reader.MIN_PROBABILITY`
were chosen on the read blind samples' TipDM letters (docs/nlp-journal.md, "Twenty-third session").
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from nlp.encoder import load_graph
from nlp.topic_reader import DEFAULT_READER_GRAPH, cls_vectors, head_path

C = 4.0
LETTER_WEIGHT = 1.0


def written_letters() -> list[dict[str, Any]]:
    """The letters written for the project, with their writers' labels."""
    import json

    path = Path(__file__).resolve().parent / "corpus" / "place_letters.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def export_graph(out: Path) -> Path:
    """The base encoder's [CLS] graph, int8, with its tokenizer beside it."""
    from nlp.encoder_export import export
    from nlp.encoder_train import fetch_base, load_base

    onnx_path, tokenizer = fetch_base()
    base = load_base(onnx_path).eval()
    base.forward = lambda ids, mask: base.encode(ids, mask)[:, 0]  # the [CLS] row, no head
    out.parent.mkdir(parents=True, exist_ok=True)
    return export([base], out, tokenizer)


def train_head(graph: Path) -> Path:
    """Fit the head on the vectors the graph gives and write it beside the graph."""
    from sklearn.linear_model import LogisticRegression

    from nlp.gazetteer import load_gazetteer
    from nlp.taxonomy import load_taxonomy
    from nlp.topic_train import topic_training_data

    texts, labels, weights = topic_training_data(load_gazetteer(), load_taxonomy())
    letters = written_letters()
    texts += [r["text"] for r in letters]
    labels += [r["topic"] for r in letters]
    weights += [LETTER_WEIGHT] * len(letters)
    print(f"编码 encoding {len(texts)} texts …", flush=True)
    x = cls_vectors(*load_graph(graph, threads=2), texts)
    model = LogisticRegression(C=C, max_iter=2000).fit(x, labels, sample_weight=weights)
    path = head_path(graph)
    np.savez(path, coef=model.coef_.astype(np.float32), intercept=model.intercept_.astype(np.float32),
             classes=np.array(model.classes_, dtype=str))
    return path


def main(argv: list[str] | None = None) -> None:
    """``python -m nlp.topic_reader_train [--out GRAPH] [--head-only]``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_READER_GRAPH)
    ap.add_argument("--head-only", action="store_true", help="keep the graph, refit the head")
    args = ap.parse_args(argv)
    if not args.head_only:
        print(f"graph → {export_graph(args.out)}")
    print(f"head → {train_head(args.out)}")


if __name__ == "__main__":
    main()
