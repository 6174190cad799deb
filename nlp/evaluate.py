"""Figures for docs/nlp.md: topics, places and complaints on the labelled sample; external checks on the
TipDM 2020 citizen messages (development data, never trained on)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlp.datasets import data_dir

SAMPLE = Path(__file__).resolve().parent / "corpus" / "labelled_sample.jsonl"


def load_sample(path: Path | None = None) -> list[dict[str, Any]]:
    """The hand-labelled sample: text, topic, places (ids or ``raw:<name>``), is_complaint."""
    return [json.loads(x) for x in (path or SAMPLE).read_text(encoding="utf-8").splitlines() if x.strip()]


def prf(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, dict[str, float]]:
    """Per-label precision, recall and support."""
    out = {}
    for lab in labels:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred, strict=True))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred, strict=True))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred, strict=True))
        out[lab] = {"precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
                    "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0, "n": tp + fn}
    return out


def place_keys(places: list[dict[str, Any]]) -> set[str]:
    """An extracted place list as comparable keys (id, or ``raw:<name>``)."""
    return {p["id"] if p.get("id") else f"raw:{p['name']}" for p in places}


def evaluate_sample(enricher, rows: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Topic, place and complaint figures of an enricher on the labelled sample."""
    rows = rows or load_sample()
    fields = enricher.analyze([r["text"] for r in rows])
    codes = enricher.taxonomy.codes
    gold_t = [r["topic"] for r in rows]
    pred_t = [f["topic"] for f in fields]
    rules = [max(h, key=h.get) if (h := enricher.topics.rule_scores(r["text"])) else "other" for r in rows]
    tp = fp = fn = 0
    resolved_tp = resolved_gold = 0
    for r, f in zip(rows, fields, strict=True):
        g, p = set(r["places"]), place_keys(f["places"])
        tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
        gold_ids = {x for x in g if not x.startswith("raw:")}
        resolved_tp += len(gold_ids & p)
        resolved_gold += len(gold_ids)
    gold_c = [r["is_complaint"] for r in rows]
    pred_c = [f["is_complaint"] for f in fields]
    ctp = sum(g and p for g, p in zip(gold_c, pred_c, strict=True))
    return {
        "n": len(rows),
        "topic_accuracy": round(sum(g == p for g, p in zip(gold_t, pred_t, strict=True)) / len(rows), 3),
        "topic_accuracy_rules_only": round(sum(g == p for g, p in zip(gold_t, rules, strict=True)) / len(rows), 3),
        "topics": prf(gold_t, pred_t, codes),
        "places": {"precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
                   "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
                   "gazetteer_id_recall": round(resolved_tp / resolved_gold, 3) if resolved_gold else 0.0,
                   "gold": tp + fn},
        "complaint": {"accuracy": round(sum(g == p for g, p in zip(gold_c, pred_c, strict=True)) / len(rows), 3),
                      "precision": round(ctp / max(1, sum(pred_c)), 3), "recall": round(ctp / max(1, sum(gold_c)), 3)},
        "errors": [{"text": r["text"], "gold": r["topic"], "pred": f["topic"]}
                   for r, f in zip(rows, fields, strict=True) if r["topic"] != f["topic"]],
    }


#: TipDM first-level labels and the 创全 topics that fall under them.
TEDDY_MAP = {
    "环境保护": {"sanitation", "river", "noise", "greenery"},
    "交通运输": {"traffic", "parking", "facilities"},
    "城乡建设": {"illegal_construction", "property", "facilities", "sanitation", "parking", "noise", "greenery"},
}


def evaluate_teddy(enricher, limit: int | None = None) -> dict[str, Any]:
    """On real citizen messages: complaint rate, place-mention rate, topic spread per TipDM label."""
    path = data_dir() / "complaints" / "teddy2020_messages_dev.csv"
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("exact_dup_of_other_row", "").lower() not in ("1", "true")]
    rows = rows[:limit] if limit else rows
    texts = [f"{r.get('留言主题') or ''}\n{r.get('留言详情') or ''}".strip() for r in rows]
    fields = enricher.analyze(texts)
    by_label: dict[str, Counter] = {}
    complaints: Counter = Counter()
    for r, f in zip(rows, fields, strict=True):
        by_label.setdefault(r["一级标签"], Counter())[f["topic"]] += 1
        complaints[r["一级标签"]] += f["is_complaint"]
    agree = {lab: round(sum(c[t] for t in TEDDY_MAP[lab]) / sum(c.values()), 3)
             for lab, c in by_label.items() if lab in TEDDY_MAP}
    return {
        "n": len(rows),
        "complaint_rate": round(sum(f["is_complaint"] for f in fields) / len(rows), 3),
        "place_mention_rate": round(sum(bool(f["places"]) for f in fields) / len(rows), 3),
        "topic_not_other_rate": round(sum(f["topic"] != "other" for f in fields) / len(rows), 3),
        "label_topic_agreement": agree,
        "complaint_rate_by_label": {lab: round(complaints[lab] / sum(c.values()), 3) for lab, c in by_label.items()},
        "topics_by_label": {lab: dict(c.most_common(4)) for lab, c in by_label.items()},
    }
