"""Train the message-type model (``nlp/models/message_type.npz``) from text the project may train on.

Sources: ``other`` from everyday posts of the weibo2018 train split; ``complaint`` from the topic corpus composed
from the project's own seeds (:mod:`nlp.corpus`), the complaints of the development sample
(``nlp/corpus/labelled_sample.jsonl``), negative food-delivery and ChnSentiCorp reviews (the complaint register)
and letters composed by :mod:`nlp.letters` and :mod:`nlp.letters_messages`; ``request``, ``inquiry`` and
``suggestion`` from those composed letters; ``praise`` from positive reviews and composed thanks. A quarter of the
everyday posts get their first sentence as a subject line (forum posts have titles too), and each is learnt a second
time without its Weibo formatting (:func:`everyday_post`: what a post says, not [哈哈] or #话题#, tells everyday
talk). The phrases were written
for this project from general knowledge of 12345 / 网络问政 letters, not from any data set.

The TipDM 网络问政 messages (``../shared/data/complaints``) are competition data, "development and evaluation
only": nothing here reads them for training (:func:`training_data` refuses), and :func:`evaluate_tipdm` measures
the model on all of them. smp2020 (research use only) is not used either.
"""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path
from typing import Any

from nlp.blind import dev_rows, message_text
from nlp.datasets import SENTIMENT_SETS, _binary, _csv, data_dir
from nlp.letters import SEED, compose_letters
from nlp.letters_messages import compose_asks, compose_messages
from nlp.message_type import DEFAULT_MODEL, frame, plain

N_OTHER = 5000
N_REVIEW_NEG = 8000
N_REVIEW_POS = 500
#: Data that may only be used for development and evaluation: training refuses to read below these folders.
EVALUATION_ONLY = ("complaints",)
#: Short posts written for the project (Weibo, neighbourhood boards, forums, hotline records) and labelled by their
#: writers: complaints about hospitals, schools, shops, firms, services and offices beside everyday posts, praise,
#: questions and proposals that name the same kinds of places. Measured on only (``--evaluate``: ``short_posts``).
SHORT_POSTS_TEST = Path(__file__).resolve().parent / "corpus" / "short_posts_test.jsonl"
#: 155 short posts (complaints, requests, inquiries, suggestions, praise, everyday talk) written and labelled with a
#: message type by a helper after the seventeenth session's rules shipped, from no rule's errors: a check of new rules
#: on posts none was written from (``--evaluate``: ``short_posts_fresh``; docs/nlp.md, "Short posts").
SHORT_POSTS_FRESH = Path(__file__).resolve().parent / "corpus" / "short_posts_fresh.jsonl"


def _guard(path: Path) -> Path:
    """``path`` unless it lies in evaluation-only data (then ValueError)."""
    root = data_dir().resolve()
    for sub in EVALUATION_ONLY:
        if path.resolve().is_relative_to(root / sub):
            raise ValueError(f"{path} is evaluation-only data (../shared/data/README.md): not for training")
    return path


def training_data() -> tuple[list[str], list[str], list[float]]:
    """(texts, kinds, sample weights) for the model; never reads evaluation-only data."""
    from nlp.corpus import compose_corpus
    from nlp.evaluate import SAMPLE, load_sample
    from nlp.gazetteer import load_gazetteer
    from nlp.taxonomy import load_taxonomy
    from nlp.textfeat import normalize
    from nlp.topic_train import blind2_weibo

    rng = random.Random(SEED)
    texts: list[str] = []
    labels: list[str] = []
    weights: list[float] = []

    def add(xs: list[str], kind: str, w: float = 1.0) -> None:
        texts.extend(xs)
        labels.extend([kind] * len(xs))
        weights.extend([w] * len(xs))

    for kind, xs in compose_letters().items():
        add(xs, kind)
    for kind, xs in compose_messages().items():  # subject lines, the ask at the start, middle or end
        add(xs, kind)
    for kind, xs in compose_asks().items():  # the writer's own standing: a plain question, a wrong, a rule to change
        add(xs, kind)
    topic_x, _ = compose_corpus(load_gazetteer(), load_taxonomy(), per_topic=80, seed=SEED)
    add(topic_x, "complaint", 0.7)
    sample = load_sample(_guard(SAMPLE))  # the development sample, written for the project (never the tests)
    add([r["text"] for r in sample if r["is_complaint"]], "complaint", 2.0)
    add([r["text"] for r in sample if not r["is_complaint"]], "other", 2.0)
    (wb_x, _), _ = SENTIMENT_SETS["weibo2018"].load()
    blind = {normalize(r["text"]) for r in blind2_weibo("all")}  # the blind sample's posts are measured on
    wb_x = [t for t in wb_x if normalize(t) not in blind]
    posts = rng.sample(wb_x, min(N_OTHER, len(wb_x)))
    add([titled_post(t, rng) for t in posts], "other")
    add([everyday_post(t, rng) for t in posts], "other", P_PLAIN_WEIGHT)  # the same posts without their formatting
    d = data_dir() / "sentiment"
    for path, col, sep in ((d / "waimai_10k.csv", "review", ","), (d / "chnsenticorp_train.tsv", "text", "\t")):
        rx, ry = _csv(_guard(path), col, _binary, sep)
        neg = [t[:300] for t, y in zip(rx, ry, strict=True) if y == 0]
        pos = [t[:300] for t, y in zip(rx, ry, strict=True) if y == 1]
        add(rng.sample(neg, min(N_REVIEW_NEG // 2, len(neg))), "complaint", 1.0)
        add(rng.sample(pos, min(N_REVIEW_POS // 2, len(pos))), "praise", 0.7)
    return texts, labels, weights


#: Share of everyday posts given a subject line (their first sentence): forum posts have titles too, and a model
#: whose only titled texts were letters to officials read any title line as a letter.
P_TITLED = 0.25


#: Share of everyday posts that end with a full stop: nearly all Weibo posts end without one, and a model that
#: never saw everyday talk close with 。 read any sentence that does (今天在地铁上看完了一本书。) as a letter or review.
P_CLOSED = 0.5
#: Weight of the plain copy of each everyday post.
P_PLAIN_WEIGHT = 1.0
_OPEN_END = re.compile(r"[\u4e00-\u9fffA-Za-z0-9）)」”]$")


def everyday_post(text: str, rng: random.Random) -> str:
    """An everyday post as the model learns it: without its Weibo formatting (:func:`nlp.message_type.plain`, which
    the model's input also goes through), titled for a share (:func:`titled_post`), and closed with 。 for a share
    ``P_CLOSED`` of those that end open."""
    text = titled_post(plain(text), rng)
    return text + "。" if rng.random() < P_CLOSED and _OPEN_END.search(text) else text


def titled_post(text: str, rng: random.Random) -> str:
    """``text`` with its first sentence as a subject line, for a share ``P_TITLED`` of posts whose first sentence
    is short and followed by more; else unchanged."""
    head, mark, rest = text.partition("。") if "。" in text else text.partition("！")
    if rng.random() >= P_TITLED or not mark or not rest.strip() or not 4 <= len(head) <= 30:
        return text
    return f"{head.strip()}\n{rest.strip()}"


def train_message_type(out: Path | None = None, c: float = 2.0) -> Path:
    """Fit and save the model; returns its path."""
    from sklearn.utils.class_weight import compute_sample_weight

    from nlp.train import fit_linear

    texts, labels, own = training_data()
    weights = compute_sample_weight("balanced", labels) * own
    model = fit_linear([frame(t) for t in texts], labels, n_max=2, c=c, sample_weight=weights)
    path = out or DEFAULT_MODEL
    model.save(path)
    return path


#: The share of real letters to officials (TipDM) the calibrated reading must flag (issue #14 asks for ≥ 0.85).
FLAG_TARGET = 0.85
BIAS_GRID = tuple(round(0.1 * i, 1) for i in range(31))  # up to 3.0: the shipped 2.5 among them


def calibration_rows() -> list[dict[str, str]]:
    """TipDM dev rows outside every blind sample and their near-duplicate groups (no exact re-posts)."""
    from nlp.blind import message_key
    from nlp.blind2 import held_keys

    held = held_keys()
    rows = [(message_key(r["留言主题"], r["留言详情"]), r) for r in dev_rows()]
    groups = {r["near_dup_group"] for k, r in rows if k in held and r["near_dup_group"]}
    return [r for k, r in rows if k not in held and r["near_dup_group"] not in groups
            and r["exact_dup_of_other_row"] != "True"]


def _flags_by_bias(model: Path | None, rows: list[dict[str, str]]) -> dict[float, list[bool]]:
    """``is_complaint`` of each row at every bias of ``BIAS_GRID`` (the enricher runs once)."""
    from nlp.enrich import Enricher
    from nlp.message_type import MessageTypeClassifier

    seen: dict[str, Any] = {}

    class Recorder(MessageTypeClassifier):
        # every argument the enricher passes is recorded and replayed as it came, whatever ``classify`` takes (a
        # copy of its signature broke when the topic stage's rule_scores were added, 43b2ce7)
        def classify(self, texts, *args, **kwargs):  # type: ignore[override]
            seen.update(texts=list(texts), args=args, kwargs=kwargs)
            return super().classify(texts, *args, **kwargs)

    base = MessageTypeClassifier.load(model)
    Enricher(message_types=Recorder(base.model, 0.0)).analyze([message_text(r) for r in rows])
    return {b: [k.is_complaint for k in MessageTypeClassifier(base.model, b).classify(
        seen["texts"], *seen["args"], **seen["kwargs"])] for b in BIAS_GRID}


def _share(flags: list[bool]) -> float:
    return round(sum(flags) / max(1, len(flags)), 4)


def _choose(flags: dict[float, list[bool]], target: float) -> float:
    return next((b for b in BIAS_GRID if _share(flags[b]) >= target), BIAS_GRID[-1])


def calibrate_bias(model: Path | None = None, target: float = FLAG_TARGET) -> dict[str, Any]:
    """The recipe's complaint bias, printed for information: the smallest bias that flags ``target`` of the
    calibration rows, with the flagged share at every bias tried, and a cross-fit: the bias chosen on each half
    of the rows (split by a hash of the key) and the share it flags on the other half, which it was not chosen on
    (the model itself reads no TipDM row).

    This does not set ``nlp.message_type.COMPLAINT_BIAS``. The shipped value (1.3 from the fifth session of
    2026-12-05, 2.5 since the eighteenth session) is held by the share of all TipDM dev messages flagged
    (``--evaluate``: ``tipdm_all.is_complaint_rate``), which must stay at least 0.85, weighed against agreement with
    the blind readers; the recipe's own choice fell below 1.3 since (0.5 in the sixth session, 0.1 in the eighth,
    which flag fewer of all TipDM dev messages)."""
    from nlp.blind import message_key

    rows = calibration_rows()
    flags = _flags_by_bias(model, rows)
    fold = [int(hashlib.sha1(f"crossfit:{message_key(r['留言主题'], r['留言详情'])}".encode()).hexdigest()[:8], 16) % 2
            for r in rows]
    cross = {}
    for k in (0, 1):
        on = {b: [f for f, g in zip(v, fold, strict=True) if g == k] for b, v in flags.items()}
        off = {b: [f for f, g in zip(v, fold, strict=True) if g != k] for b, v in flags.items()}
        b = _choose(on, target)
        cross[f"chosen_on_half_{k}"] = {"bias": b, "n_other_half": len(off[b]), "flagged_other_half": _share(off[b])}
    return {"n": len(rows), "target": target, "bias": _choose(flags, target),
            "flagged_by_bias": {b: _share(v) for b, v in flags.items()}, "crossfit": cross}


def in_heldout(key: str) -> bool:
    """The 30 % of TipDM messages an earlier model (trained on the rest) was measured on, kept for comparison."""
    return int(hashlib.sha1(f"heldout:{key}".encode()).hexdigest()[:8], 16) % 10 < 3


def evaluate_tipdm(enricher) -> dict[str, Any]:
    """On all TipDM dev messages (no exact re-posts; none trained on): the share flagged as complaints, by
    category, on the earlier held-out 30 %, and the types."""
    from nlp.blind import message_key

    rows = [r for r in dev_rows() if r["exact_dup_of_other_row"] != "True"]
    fields = enricher.analyze([message_text(r) for r in rows])
    by: dict[str, list[bool]] = {}
    types: dict[str, int] = {}
    held: list[bool] = []
    for r, f in zip(rows, fields, strict=True):
        by.setdefault(r["一级标签"], []).append(bool(f["is_complaint"]))
        types[f["message_type"]] = types.get(f["message_type"], 0) + 1
        if in_heldout(message_key(r["留言主题"], r["留言详情"])):
            held.append(bool(f["is_complaint"]))
    flags = [x for v in by.values() for x in v]
    return {
        "n": len(rows),
        "is_complaint_rate": round(sum(flags) / max(1, len(flags)), 3),
        "heldout30_n": len(held),
        "heldout30_is_complaint_rate": round(sum(held) / max(1, len(held)), 3),
        "by_label": {k: round(sum(v) / len(v), 3) for k, v in sorted(by.items())},
        "types": types,
    }


def everyday_rate(enricher) -> dict[str, Any]:
    """Share of held-out everyday Weibo posts (weibo2018 test split) flagged as complaints, their types, and counts
    against the readers' labels of some of them (:mod:`nlp.everyday`)."""
    from nlp.everyday import everyday_texts, load_everyday, score_everyday

    texts = everyday_texts()
    fields = enricher.analyze(texts)
    types: dict[str, int] = {}
    for f in fields:
        types[f["message_type"]] = types.get(f["message_type"], 0) + 1
    return {"n": len(fields), "is_complaint_rate": round(sum(f["is_complaint"] for f in fields) / len(fields), 3),
            "types": types, "against_readers": score_everyday(fields, load_everyday(texts))}


def evaluate_types(enricher, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Message-type figures on posts labelled with a type only: type accuracy, complaint agreement, complaints and
    requests flagged, posts of other types flagged, praise found."""
    from nlp.blind import COMPLAINT_TYPES

    fields = enricher.analyze([r["text"] for r in rows])
    pairs = [(r["message_type"], f["message_type"], bool(f["is_complaint"]))
             for r, f in zip(rows, fields, strict=True)]
    wanted = sum(g in COMPLAINT_TYPES for g, _, _ in pairs)
    return {"n": len(rows), "message_type_right": sum(g == t for g, t, _ in pairs),
            "is_complaint_agreement": sum((g in COMPLAINT_TYPES) == f for g, _, f in pairs),
            "complaints_and_requests_flagged": f"{sum(f for g, _, f in pairs if g in COMPLAINT_TYPES)}/{wanted}",
            "others_flagged": f"{sum(f for g, _, f in pairs if g not in COMPLAINT_TYPES)}/{len(rows) - wanted}",
            "praise_found": f"{sum(g == t == 'praise' for g, t, _ in pairs)}/{sum(g == 'praise' for g, _, _ in pairs)}"}


def main(argv: list[str] | None = None) -> None:
    """``python -m nlp.message_type_train [--train] [--evaluate] [--model PATH]``: retrain, print the figures."""
    import argparse
    import json

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", action="store_true", help="retrain nlp/models/message_type.npz")
    ap.add_argument("--evaluate", action="store_true",
                    help="blind sample, all TipDM messages, everyday Weibo, short posts")
    ap.add_argument("--calibrate", action="store_true",
                    help="print the flagged share of the TipDM calibration rows (outside every sample) at each "
                    "complaint bias and the smallest reaching FLAG_TARGET, for information: the shipped "
                    "COMPLAINT_BIAS (2.5) is held by the share of all TipDM dev messages flagged (>= 0.85) weighed "
                    "against agreement with the blind readers")
    ap.add_argument("--model", type=Path, help="evaluate (or write) this model file instead of the shipped one")
    args = ap.parse_args(argv)
    if args.train:
        print(f"saved {train_message_type(args.model)}")
    if args.calibrate:
        print(json.dumps(calibrate_bias(args.model), ensure_ascii=False))
    if args.evaluate or not (args.train or args.calibrate):
        from nlp.blind import evaluate_blind
        from nlp.blind2 import evaluate_rows
        from nlp.enrich import Enricher
        from nlp.message_type import MessageTypeClassifier
        from nlp.place_tagger_train import corpus_rows

        e = Enricher(message_types=MessageTypeClassifier.load(args.model))
        blind = evaluate_blind(e)
        out = {"blind_sample": {k: v for k, v in blind.items() if k not in ("place_misses", "places_not_labelled")},
               "tipdm_all": evaluate_tipdm(e), "everyday_weibo": everyday_rate(e),
               "short_posts": evaluate_rows(e, corpus_rows([SHORT_POSTS_TEST])),
               "short_posts_fresh": evaluate_types(e, corpus_rows([SHORT_POSTS_FRESH]))}
        print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
