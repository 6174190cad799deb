"""The blind-labelled TipDM sample: message type, 创全 topic and places of 150 real 网络问政 messages.

``nlp/corpus/teddy_blind.jsonl`` holds only ids and labels (no text): ``key`` is the first 12 hex digits of
sha1(subject + "\\n" + detail) of a row of ``../shared/data/complaints/teddy2020_messages_dev.csv``. The
labels were written before the place rules and the message-type model existed, and are never changed to suit
them. Rows drawn with ``random.Random(14).sample`` over the dev rows without exact re-posts and with one row
per near-duplicate group (see :func:`draw`).
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

from nlp.datasets import data_dir

BLIND = Path(__file__).resolve().parent / "corpus" / "teddy_blind.jsonl"
COMPLAINT_TYPES = frozenset({"complaint", "request"})


def message_key(subject: str, detail: str) -> str:
    """The id of a TipDM row in the blind sample."""
    return hashlib.sha1(f"{subject}\n{detail}".encode()).hexdigest()[:12]


def dev_rows() -> list[dict[str, str]]:
    """The TipDM dev rows (read from the shared data folder at run time)."""
    path = data_dir() / "complaints" / "teddy2020_messages_dev.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def message_text(row: dict[str, str]) -> str:
    """Subject and detail as one post text (the subject as the title line)."""
    subject, detail = row["留言主题"].strip(), row["留言详情"].strip()
    return f"{subject}\n{detail}" if subject else detail


def draw(rows: list[dict[str, str]], n: int = 150, seed: int = 14) -> list[tuple[int, dict[str, str]]]:
    """The sample as drawn for labelling: (row index, row)."""
    seen: set[str] = set()
    cand = []
    for i, r in enumerate(rows):
        if r["exact_dup_of_other_row"] == "True":
            continue
        group = r["near_dup_group"]
        if group:
            if group in seen:
                continue
            seen.add(group)
        cand.append((i, r))
    return random.Random(seed).sample(cand, n)


def load_blind() -> list[dict[str, Any]]:
    """The labels joined with the message texts (``text`` added)."""
    by_key = {message_key(r["留言主题"], r["留言详情"]): r for r in dev_rows()}
    out = []
    for line in BLIND.read_text(encoding="utf-8").splitlines():
        if line.strip():
            lab = json.loads(line)
            out.append({**lab, "text": message_text(by_key[lab["key"]])})
    return out


def blind_keys() -> frozenset[str]:
    """Keys of the blind sample (training must skip these rows)."""
    return frozenset(json.loads(x)["key"] for x in BLIND.read_text(encoding="utf-8").splitlines() if x.strip())


_MASK = re.compile(r"^(?:[A-Z]\d*(?:市|区|县))+")


def _norm(name: str) -> str:
    return _MASK.sub("", re.sub(r"\s", "", name))


def place_match(gold: str, found: list[str]) -> bool:
    """A labelled place is found when an extracted name equals it or one contains the other (≥ 2 characters)."""
    g = _norm(gold)
    if not g:  # a bare masked area (A市, L3县): only that area itself, or a name that holds it, matches it
        g = re.sub(r"\s", "", gold)
        return any(g in re.sub(r"\s", "", f) for f in found)
    return any(len(f) >= 2 and (f == g or g in f or (f in g and len(f) >= max(2, len(g) - 3)))
               for f in map(_norm, found))


def evaluate_blind(enricher, rows: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Message type, complaint, topic and place figures of an enricher on the blind sample."""
    rows = rows or load_blind()
    fields = enricher.analyze([r["text"] for r in rows])
    n = len(rows)
    type_ok = sum(f.get("message_type") == r["message_type"] for r, f in zip(rows, fields, strict=True))
    gold_c = [r["message_type"] in COMPLAINT_TYPES for r in rows]
    pred_c = [bool(f["is_complaint"]) for f in fields]
    topic_ok = [f["topic"] == r["topic"] for r, f in zip(rows, fields, strict=True)]
    other = [i for i, r in enumerate(rows) if r["topic"] == "other"]
    chuangquan = [i for i, r in enumerate(rows) if r["topic"] != "other"]
    named = [i for i, r in enumerate(rows) if r["places"]]
    first = any_ = 0
    predicted = extra = 0
    misses, extras = [], []
    for i in named:
        names = [p["name"] for p in fields[i]["places"]]
        gold = rows[i]["places"]
        first += place_match(gold[0], names)
        hit = any(place_match(g, names) for g in gold)
        any_ += hit
        if not hit:
            misses.append((rows[i]["n"], gold[0], names))
    for r, f in zip(rows, fields, strict=True):
        for p in f["places"]:
            predicted += 1
            if not any(place_match(p["name"], [g]) or place_match(g, [p["name"]]) for g in r["places"]):
                extra += 1
                extras.append(p["name"])
    return {
        "n": n,
        "message_type_accuracy": round(type_ok / n, 3),
        "message_type_confusion": dict(Counter(
            f"{r['message_type']}→{f.get('message_type')}" for r, f in zip(rows, fields, strict=True)
            if f.get("message_type") != r["message_type"]).most_common()),
        "is_complaint_gold_rate": round(sum(gold_c) / n, 3),
        "is_complaint_flagged_rate": round(sum(pred_c) / n, 3),
        "is_complaint_agreement": round(sum(g == p for g, p in zip(gold_c, pred_c, strict=True)) / n, 3),
        "is_complaint_recall": round(
            sum(g and p for g, p in zip(gold_c, pred_c, strict=True)) / max(1, sum(gold_c)), 3),
        "topic_accuracy": round(sum(topic_ok) / n, 3),
        "topic_accuracy_other": round(sum(topic_ok[i] for i in other) / max(1, len(other)), 3),
        "topic_accuracy_chuangquan": round(sum(topic_ok[i] for i in chuangquan) / max(1, len(chuangquan)), 3),
        "topic_given_wrongly": dict(Counter(
            f["topic"] for r, f in zip(rows, fields, strict=True)
            if f["topic"] != r["topic"] and f["topic"] != "other")),
        "messages_naming_a_place": len(named),
        "first_named_place_found": round(first / max(1, len(named)), 3),
        "a_named_place_found": round(any_ / max(1, len(named)), 3),
        "places_returned": predicted,
        "places_returned_not_labelled": extra,
        "place_misses": misses,
        "places_not_labelled": extras,
    }
