"""The second blind sample: 300 TipDM 网络问政 dev messages and 200 weibo2018 posts, labelled by a reader who
never read nlp/ (message type, 创全 topic, places, the main place complained about, complaint flag).

``nlp/corpus/blind2.jsonl`` holds ids and labels only: ``set`` (``teddy_dev`` or ``weibo2018``), ``key`` (for
TipDM :func:`nlp.blind.message_key` of the row, for Weibo the post's ``mid``) and the labels. The texts are read
from ``../shared/data`` at run time. Each item falls by a seeded hash of its key into the ``dev`` half (read to
find failure shapes; its Weibo posts may be trained on) or the ``test`` half (only ever measured: the figures in
docs/nlp.md). Reproduce: ``python -m nlp.blind2 [--half test|dev|all]``.

The third blind sample (``nlp/corpus/blind3.jsonl``, 300 further TipDM dev rows drawn with seed 33 outside the
first two samples, listed in ``blind3_keys.txt`` so that training leaves them out) has no dev half: every item is
test. ``python -m nlp.blind2 --sample blind3``. A fourth (``blind4``, seed 44, drawn the same way outside the first
three) is all test too: drawn at the start of a later session and measured only then and at its end; a fifth
(``blind5``, seed 55, outside the first four) likewise, drawn at the start of the session after, and a sixth
(``blind6``, seed 66) at the start of the one after that, a seventh (``blind7``, seed 77) at the start of the
sixth session, an eighth (``blind8``, seed 88) at the start of the seventh, a ninth (``blind9``, seed 99) at the
start of the eighth, a tenth (``blind10``, seed 110) in the ninth, to decide whether the learned place tagger
becomes the default (docs/nlp.md, "Names without a kind word"), and an eleventh (``blind11``, seed 121, 200 letters)
later in the ninth, to measure its end state once, and a twelfth (``blind12``, seed 131, 200 letters) in the tenth,
to decide whether the tagger retrained on letters written for the project becomes the default. A sample is
released for development (its errors may be listed with ``--errors``) only by a later session's decision; until
then (``UNREAD``) only its aggregate figures are seen, at the start and the end of a session. blind3–blind5 were
released at the start of the fifth session, blind6 at the start of the seventh, blind7 at the start of the eighth.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from nlp.blind import COMPLAINT_TYPES, dev_rows, message_key, message_text, place_match
from nlp.datasets import data_dir

BLIND2 = Path(__file__).resolve().parent / "corpus" / "blind2.jsonl"
BLIND3 = BLIND2.with_name("blind3.jsonl")
BLIND4 = BLIND2.with_name("blind4.jsonl")
BLIND5 = BLIND2.with_name("blind5.jsonl")
BLIND6 = BLIND2.with_name("blind6.jsonl")
BLIND7 = BLIND2.with_name("blind7.jsonl")
BLIND8 = BLIND2.with_name("blind8.jsonl")
BLIND9 = BLIND2.with_name("blind9.jsonl")
BLIND10 = BLIND2.with_name("blind10.jsonl")
BLIND11 = BLIND2.with_name("blind11.jsonl")
BLIND12 = BLIND2.with_name("blind12.jsonl")
SAMPLES = {"blind2": BLIND2, "blind3": BLIND3, "blind4": BLIND4, "blind5": BLIND5, "blind6": BLIND6, "blind7": BLIND7,
           "blind8": BLIND8, "blind9": BLIND9, "blind10": BLIND10, "blind11": BLIND11, "blind12": BLIND12}
#: Samples nobody has read yet: never list their errors.
UNREAD = frozenset({BLIND8.name, BLIND9.name, BLIND10.name, BLIND11.name, BLIND12.name})
LABEL_FIELDS = ("message_type", "topic", "places", "main_place", "is_complaint", "confident")


def held_keys() -> frozenset[str]:
    """Keys of every TipDM row in a blind sample (the first, blind2 … blind5): training and calibration
    leave them out (and their near-duplicate groups, where the caller has the rows)."""
    from nlp.blind import blind_keys

    drawn = [x.strip() for f in sorted(BLIND2.parent.glob("blind*_keys.txt"))
             for x in f.read_text(encoding="utf-8").splitlines()]
    return (blind_keys() | {json.loads(x)["key"] for x in BLIND2.read_text(encoding="utf-8").splitlines() if x.strip()}
            | {x for x in drawn if x and not x.startswith("#")})


def half_of(set_name: str, key: str, path: Path = BLIND2) -> str:
    """``dev`` or ``test``: a seeded hash of the item, fixed before any result was seen (blind3 … blind6: all test)."""
    if path.name != BLIND2.name:
        return "test"
    return "dev" if int(hashlib.sha1(f"blind2:{set_name}:{key}".encode()).hexdigest()[:8], 16) % 2 == 0 else "test"


def weibo_texts() -> dict[str, str]:
    """weibo2018 posts by mid (shared data folder)."""
    with (data_dir() / "sentiment" / "weibo2018_train.csv").open(encoding="utf-8", newline="") as fh:
        return {r["mid"]: r["text"] for r in csv.DictReader(fh)}


def import_labels(src: Path, out: Path = BLIND2) -> int:
    """Turn the labeller's file (``id`` = 留言编号 or mid, ``row`` = dev row index) into ids + labels; returns
    the number of items written. TipDM rows are keyed by their text hash (many have no 留言编号)."""
    rows = dev_rows()
    lines = []
    for line in src.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        lab = json.loads(line)
        if lab["set"] == "teddy_dev":
            r = rows[lab["row"]]
            if lab.get("id") and lab["id"] != r["留言编号"]:
                raise ValueError(f"row {lab['row']}: id {lab['id']} is not {r['留言编号']}")
            key = message_key(r["留言主题"], r["留言详情"])
        else:
            key = str(lab["id"])
        lines.append(json.dumps({"set": lab["set"], "key": key, **{f: lab.get(f) for f in LABEL_FIELDS}},
                                ensure_ascii=False))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def load_blind2(half: str = "test", path: Path = BLIND2) -> list[dict[str, Any]]:
    """Labelled items of one half (``dev``, ``test`` or ``all``) with their ``text`` and ``half``."""
    teddy = {message_key(r["留言主题"], r["留言详情"]): r for r in dev_rows()}
    weibo = weibo_texts()
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        lab = json.loads(line)
        h = half_of(lab["set"], lab["key"], path)
        if half not in ("all", h):
            continue
        text = message_text(teddy[lab["key"]]) if lab["set"] == "teddy_dev" else weibo[lab["key"]]
        out.append({**lab, "text": text, "half": h})
    return out


#: Kinds of a labelled place by its last characters, in the issue's words (road, estate, village, community,
#: market, square) plus towns and institutions; the first pattern that matches wins (an institution before an
#: estate: 医院, 学院 and 幼儿园 end in an estate's 院 / 园).
_KINDS = (("road", re.compile(r"(?:路|街|大道|道|巷|弄|公路|高速|大桥|桥|路口|隧道|线|路\d+号)$")),
          ("community", re.compile(r"(?:社区|居委会|居委)$")),
          ("village", re.compile(r"(?:村|组|屯|寨)$")),
          ("town", re.compile(r"(?:镇|乡|街道|新区|片区|开发区|园区)$")),
          ("market", re.compile(r"(?:市场|商城|批发部|超市)$")),
          ("square", re.compile(r"(?:广场|公园)$")),
          ("institution", re.compile(r"(?:学校|小学|中学|大学|学院|幼儿园|[一二三四五六七八九十]中|完小|驾校|党校|医院"
                                     r"|卫生院|药房|银行|公司|集团|厂|场|矿|局|站|所|中心|店|法院|大楼|工业园)$")),
          ("estate", re.compile(r"(?:小区|苑|花园|新村|公寓|家园|城|大厦|府|庭|湾|郡|期|栋|号楼|楼|院|居|园|公馆)$")))
#: The kinds the issue's place figure counts (messages naming a road, estate, village, community, market or square).
ISSUE_KINDS = frozenset({"road", "estate", "village", "community", "market", "square"})


def place_kind(name: str) -> str:
    """The kind of a labelled place by its suffix (``other`` when none fits)."""
    return next((kind for kind, rx in _KINDS if rx.search(name.strip())), "other")


def _rate(num: int, den: int) -> float:
    return round(num / den, 3) if den else 0.0


def place_hits(rows: list[dict[str, Any]], found: list[list[str]]) -> tuple[list[tuple[str, bool]], int, list[str]]:
    """How place names ``found`` for each labelled item score: (kind of the main place, found) for each item with a
    main place, the number of names returned, and the names returned that match no labelled place."""
    hits = [(place_kind(r["main_place"]), place_match(r["main_place"], f))
            for r, f in zip(rows, found, strict=True) if r.get("main_place")]
    returned = [(name, r) for r, f in zip(rows, found, strict=True) for name in f]
    unlabelled = [name for name, r in returned if not any(place_match(name, [g]) or place_match(g, [name])
                                                          for g in r.get("places") or [])]
    return hits, len(returned), unlabelled


def evaluate_rows(enricher, rows: list[dict[str, Any]], errors: bool = False) -> dict[str, Any]:
    """Type, complaint, topic and place figures of an enricher on labelled items (one set)."""
    fields = enricher.analyze([r["text"] for r in rows])
    pairs = list(zip(rows, fields, strict=True))
    n = len(rows)
    gold_c = [r["message_type"] in COMPLAINT_TYPES for r in rows]
    pred_c = [bool(f["is_complaint"]) for f in fields]
    topic_ok = [f["topic"] == r["topic"] for r, f in pairs]
    given = [(r["topic"], f["topic"]) for r, f in pairs if f["topic"] != "other"]
    named = [(r, f) for r, f in pairs if r.get("main_place")]
    any_named = [(r, f) for r, f in pairs if r.get("places")]
    main_hits, returned, unlabelled = place_hits(rows, [[p["name"] for p in f["places"]] for f in fields])
    other = [i for i, r in enumerate(rows) if r["topic"] == "other"]
    out: dict[str, Any] = {
        "n": n,
        "message_type_accuracy": _rate(sum(f["message_type"] == r["message_type"] for r, f in pairs), n),
        "is_complaint_agreement": _rate(sum(g == p for g, p in zip(gold_c, pred_c, strict=True)), n),
        "is_complaint_gold_rate": _rate(sum(gold_c), n),
        "is_complaint_flagged_rate": _rate(sum(pred_c), n),
        "is_complaint_by_kind": {  # complaints and requests outside 创全 work flagged, those about it, others left
            kind: f"{sum(gold_c[i] == pred_c[i] for i in idx)}/{len(idx)}" for kind, idx in (
                ("complaints_outside_chuangquan", [i for i in range(n) if gold_c[i] and rows[i]["topic"] == "other"]),
                ("complaints_chuangquan", [i for i in range(n) if gold_c[i] and rows[i]["topic"] != "other"]),
                ("not_complaints", [i for i in range(n) if not gold_c[i]]))},
        "topic_accuracy": _rate(sum(topic_ok), n),
        "topic_accuracy_other": _rate(sum(topic_ok[i] for i in other), len(other)),
        "topic_accuracy_chuangquan": _rate(sum(ok for i, ok in enumerate(topic_ok) if i not in set(other)),
                                           n - len(other)),
        "topic_precision": _rate(sum(g == p for g, p in given), len(given)),
        "topics_given": len(given),
        "topic_given_wrongly": dict(Counter(p for g, p in given if g != p).most_common()),
        "messages_with_main_place": len(named),
        "main_place_found": _rate(sum(ok for _, ok in main_hits), len(named)),
        "main_place_found_issue_kinds": _rate(sum(ok for k, ok in main_hits if k in ISSUE_KINDS),
                                              sum(k in ISSUE_KINDS for k, _ in main_hits)),
        "main_place_found_by_kind": {kind: f"{sum(ok for k, ok in main_hits if k == kind)}/{n_kind}"
                                     for kind in [k for k, _ in _KINDS] + ["other"]
                                     if (n_kind := sum(k == kind for k, _ in main_hits))},
        "a_labelled_place_found": _rate(sum(any(place_match(g, [p["name"] for p in f["places"]]) for g in r["places"])
                                            for r, f in any_named), len(any_named)),
        "places_returned": returned,
        "places_returned_not_labelled": len(unlabelled),
    }
    if errors:
        out["type_confusion"] = dict(Counter(f"{r['message_type']}→{f['message_type']}" for r, f in pairs
                                             if f["message_type"] != r["message_type"]).most_common())
        out["topic_confusion"] = dict(Counter(f"{r['topic']}→{f['topic']}" for r, f in pairs
                                              if f["topic"] != r["topic"]).most_common())
        out["unlabelled_places"] = unlabelled
        out["main_place_misses"] = [(r["main_place"], [p["name"] for p in f["places"]]) for r, f in named
                                    if not place_match(r["main_place"], [p["name"] for p in f["places"]])]
    return out


def _readable(half: str, path: Path) -> bool:
    """Whether errors may be listed: blind2's dev half and every sample measured at the end of its session."""
    return half == "dev" if path.name == BLIND2.name else path.name not in UNREAD


def evaluate_blind2(enricher, half: str = "test", errors: bool = False, path: Path = BLIND2) -> dict[str, Any]:
    """Figures per set on one half (errors only on request, and never for blind2's test half or an unread sample)."""
    rows = load_blind2(half, path)
    by_set: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_set.setdefault(r["set"], []).append(r)
    return {s: evaluate_rows(enricher, rs, errors=errors and _readable(half, path)) for s, rs in sorted(by_set.items())}


def main(argv: list[str] | None = None) -> None:
    """``python -m nlp.blind2 [--half test|dev|all] [--errors] [--import FILE]``."""
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", default="test", choices=("test", "dev", "all"))
    ap.add_argument("--errors", action="store_true", help="confusions and place misses (read samples only)")
    ap.add_argument("--sample", default="blind2", choices=tuple(SAMPLES),
                    help="blind3 … blind12 are all test; the UNREAD ones (blind8 … blind12) are never listed")
    ap.add_argument("--import", dest="src", type=Path, help="convert the labeller's file into the sample's jsonl")
    args = ap.parse_args(argv)
    path = SAMPLES[args.sample]
    if args.src:
        print(f"{import_labels(args.src, path)} items written to {path}")
        return
    from nlp.enrich import Enricher

    print(json.dumps(evaluate_blind2(Enricher(), args.half, args.errors, path), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
