"""Train the message-type model (``nlp/models/message_type.npz``) from the shared data, read at run time.

Civic kinds: the TipDM 网络问政 dev messages (development data, never copied into the repository), each
labelled by its *subject line* (投诉/举报 … → complaint, 求助/恳请 … → request, 咨询/请问 … → inquiry,
建议 … → suggestion, 感谢/表扬 → praise; subjects without such a word are not used), the model seeing only
the message body. ``other``: everyday posts of the weibo2018 train split. ``praise`` also takes positive
food-delivery reviews (praise of a service). Held out: the blind-labelled sample (:mod:`nlp.blind`) and a
fixed 30 % of the messages (by a hash of their text), on which :func:`evaluate_heldout` reports.
"""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path
from typing import Any

from nlp.blind import blind_keys, dev_rows, message_key, message_text
from nlp.datasets import SENTIMENT_SETS, _binary, _csv, data_dir
from nlp.message_type import DEFAULT_MODEL

SEED = 14
N_OTHER = 4000
N_PRAISE = 600
#: Subject-line words, in order of precedence: the first kind that matches labels the message.
SUBJECT_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("praise", re.compile(r"感谢|表扬|点赞|致谢|赞扬|锦旗")),
    ("complaint", re.compile(r"投诉|举报|曝光")),
    ("suggestion", re.compile(r"建议|倡议|呼吁")),
    ("request", re.compile(r"求助|请求|恳请|帮忙|帮助|救救|求求|申请|盼")),
    ("inquiry", re.compile(r"咨询|请问|询问|问一下|想问|想了解|怎么办理|如何办理|能否|可否|是否|吗[？?]?$")),
    ("complaint", re.compile(
        r"乱|违规|违法|不作为|拖欠|欠薪|扰民|污染|坑|霸王|强制|强行|不合理|虚假|克扣|无证|非法|偷工减料|质量问题|"
        r"严重|无人管|没人管|刁难|推诿|扣押|不公|黑")),
]


def subject_kind(subject: str) -> str | None:
    """The kind a subject line names, or None."""
    return next((kind for kind, rx in SUBJECT_KINDS if rx.search(subject)), None)


def in_heldout(key: str) -> bool:
    """The fixed 30 % of TipDM messages kept for measuring (by a hash of the message key)."""
    return int(hashlib.sha1(f"heldout:{key}".encode()).hexdigest()[:8], 16) % 10 < 3


#: Weight of a message whose subject names no kind: it still counts as a civic message, by default a complaint
#: (nearly all messages to officials are), but teaches the kinds less than a named one.
UNNAMED_WEIGHT = 0.3


def training_data() -> tuple[list[str], list[str], list[float]]:
    """(texts, kinds, sample weights) for the model."""
    blind = blind_keys()
    texts: list[str] = []
    labels: list[str] = []
    weights: list[float] = []
    for r in dev_rows():
        key = message_key(r["留言主题"], r["留言详情"])
        if key in blind or in_heldout(key) or r["exact_dup_of_other_row"] == "True":
            continue
        kind = subject_kind(r["留言主题"].strip())
        detail = r["留言详情"].strip()
        texts.append(detail[:300] + detail[-100:] if len(detail) > 400 else detail)
        labels.append(kind or "complaint")
        weights.append(1.0 if kind else UNNAMED_WEIGHT)
    rng = random.Random(SEED)
    (wb_x, _), _ = SENTIMENT_SETS["weibo2018"].load()
    for t in rng.sample(wb_x, min(N_OTHER, len(wb_x))):
        texts.append(t)
        labels.append("other")
        weights.append(1.0)
    wm_x, wm_y = _csv(data_dir() / "sentiment" / "waimai_10k.csv", "review", _binary)
    pos = [t for t, y in zip(wm_x, wm_y, strict=True) if y == 1]
    for t in rng.sample(pos, min(N_PRAISE, len(pos))):
        texts.append(t)
        labels.append("praise")
        weights.append(1.0)
    return texts, labels, weights


def train_message_type(out: Path | None = None, c: float = 4.0) -> Path:
    """Fit and save the model; returns its path."""
    from sklearn.utils.class_weight import compute_sample_weight

    from nlp.train import fit_linear

    texts, labels, own = training_data()
    weights = compute_sample_weight("balanced", labels) * own
    model = fit_linear(texts, labels, n_max=2, c=c, sample_weight=weights)
    path = out or DEFAULT_MODEL
    model.save(path)
    return path


def evaluate_heldout(enricher) -> dict[str, Any]:
    """On the held-out 30 % of TipDM messages: the share flagged as complaints, by category, and the types."""
    rows = [r for r in dev_rows() if r["exact_dup_of_other_row"] != "True"
            and in_heldout(message_key(r["留言主题"], r["留言详情"]))]
    fields = enricher.analyze([message_text(r) for r in rows])
    by: dict[str, list[bool]] = {}
    types: dict[str, int] = {}
    for r, f in zip(rows, fields, strict=True):
        by.setdefault(r["一级标签"], []).append(bool(f["is_complaint"]))
        types[f["message_type"]] = types.get(f["message_type"], 0) + 1
    flags = [x for v in by.values() for x in v]
    return {
        "n": len(rows),
        "is_complaint_rate": round(sum(flags) / max(1, len(flags)), 3),
        "by_label": {k: round(sum(v) / len(v), 3) for k, v in sorted(by.items())},
        "types": types,
    }


def everyday_rate(enricher, limit: int = 2000) -> dict[str, Any]:
    """Share of held-out everyday Weibo posts (weibo2018 test split) flagged as complaints, and their types."""
    _, (texts, _) = SENTIMENT_SETS["weibo2018"].load()
    fields = enricher.analyze(texts[:limit])
    types: dict[str, int] = {}
    for f in fields:
        types[f["message_type"]] = types.get(f["message_type"], 0) + 1
    return {"n": len(fields), "is_complaint_rate": round(sum(f["is_complaint"] for f in fields) / len(fields), 3),
            "types": types}


def main(argv: list[str] | None = None) -> None:
    """``python -m nlp.message_type_train [--train] [--evaluate]``: retrain the model, print the figures."""
    import argparse
    import json

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", action="store_true", help="retrain nlp/models/message_type.npz")
    ap.add_argument("--evaluate", action="store_true", help="blind sample, held-out TipDM, everyday Weibo")
    args = ap.parse_args(argv)
    if args.train:
        print(f"saved {train_message_type()}")
    if args.evaluate or not args.train:
        from nlp.blind import evaluate_blind
        from nlp.enrich import Enricher

        e = Enricher()
        blind = evaluate_blind(e)
        out = {"blind_sample": {k: v for k, v in blind.items() if k not in ("place_misses", "places_not_labelled")},
               "tipdm_heldout": evaluate_heldout(e), "everyday_weibo": everyday_rate(e)}
        print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
