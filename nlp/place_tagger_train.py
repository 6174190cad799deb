"""Train the place tagger (:mod:`nlp.place_tagger`) on letters written for the project, and measure it.

Training letters: ``nlp/corpus/place_letters.jsonl`` — messages to officials, hotline records, Weibo and
neighbourhood-board posts written for this project by helper sessions (an AI model) from general knowledge, with
every place they name and the main place labelled by their writer — and ``nlp/corpus/short_posts.jsonl``, short
posts (Weibo, boards, forums, hotline records about hospitals, schools, shops, services and the neighbourhood)
written and labelled the same way; each labelled name is marked B/I at every occurrence. Never the TipDM
messages: ``../shared/data/README.md`` allows them for development and evaluation only, so the blind samples drawn
from them are what the tagger is measured on.

``--measure teddy_blind blind2 …`` compares the rules' places alone with the rules' places plus the tagger's
(:meth:`PlaceExtractor.with_learned`) at each cut-off of ``--min-probs``: main place found, names returned and not
labelled (aggregate figures only).

Reproduce: ``python -m nlp.place_tagger_train`` (~1 minute; writes the model and its record ``.json``), ``python -m
nlp.place_tagger_train --measure teddy_blind blind2 blind3 blind4 blind5 blind6 blind7 --min-probs 0.7``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlp.place_tagger import MODEL, PlaceTagger, bio_tags, char_features

#: Training parameters: L-BFGS with elastic-net regularisation, 150 iterations; L1 0.1, L2 1.0 (chosen on the read
#: samples among L2 0.01, 0.1, 0.5, 1, 2 and L1 0.05, 0.1, 0.5: docs/nlp.md).
PARAMS = {"c1": 0.1, "c2": 1.0, "max_iterations": 150, "feature.possible_transitions": True}
#: The training letters and short posts, written for the project (never TipDM text: tests check no snippet of it is
#: here).
CORPORA = tuple(Path(__file__).resolve().parent / "corpus" / name for name in ("place_letters.jsonl",
                                                                               "short_posts.jsonl"))


def corpus_rows(paths: Sequence[Path] = CORPORA) -> list[dict[str, Any]]:
    """The labelled training letters and posts: ``text``, ``places``, ``main_place`` (and ``channel``,
    ``message_type``, ``topic``)."""
    return [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def sample_rows(name: str) -> list[dict[str, Any]]:
    """The TipDM letters of one sample with ``text``, ``places`` and ``main_place`` (``blind2``: its dev half,
    ``blind2-test``: its test half)."""
    from nlp.blind import load_blind
    from nlp.blind2 import SAMPLES, load_blind2

    if name == "teddy_blind":
        rows = load_blind()
    elif name == "blind2":
        rows = load_blind2("dev")
    elif name == "blind2-test":
        rows = load_blind2("test")
    else:
        rows = load_blind2("all", SAMPLES[name])
    return [r for r in rows if r.get("set", "teddy_dev") == "teddy_dev"]


def _names(row: dict[str, Any]) -> list[str]:
    return [*(row.get("places") or []), *([row["main_place"]] if row.get("main_place") else [])]


def provenance(corpora: Sequence[Path] = CORPORA) -> dict[str, Any]:
    """What a model is trained from (written beside it as ``.json``): the corpus files, the SHA-256 of their bytes
    one after the other, their lines, the CRF's parameters."""
    import hashlib

    data = b"".join(path.read_bytes() for path in corpora)
    return {"corpus": " + ".join(path.name for path in corpora), "sha256": hashlib.sha256(data).hexdigest(),
            "lines": sum(1 for x in data.splitlines() if x.strip()), "params": PARAMS}


def train(rows: list[dict[str, Any]], out: Path) -> Path:
    """Fit the CRF on labelled letters and write it to ``out``."""
    import pycrfsuite

    from nlp.segment import default_segmenter

    seg = default_segmenter()
    trainer = pycrfsuite.Trainer(verbose=False)
    for r in rows:
        text = r["text"]
        trainer.append(char_features(text, seg.boundaries(text)), bio_tags(text, _names(r)))
    trainer.set_params(PARAMS)
    trainer.train(str(out))
    return out


def compare(rows: list[dict[str, Any]], tagger: PlaceTagger, min_probs: tuple[float, ...]) -> dict[str, Any]:
    """Rules alone against rules + tagger at each cut-off: main place found, returned, not labelled."""
    from nlp.blind2 import ISSUE_KINDS, place_hits
    from nlp.gazetteer import load_gazetteer
    from nlp.places import PlaceExtractor
    from nlp.segment import default_segmenter

    seg, places = default_segmenter(), PlaceExtractor(load_gazetteer())  # as Enricher reads places, no models
    runs: dict[str, list[list[str]]] = {"rules": []} | {f"tagger@{p}": [] for p in min_probs}
    for r in rows:
        text = r["text"]
        bounds = seg.boundaries(text)
        refs = places.extract(text, boundaries=bounds)
        runs["rules"].append([p.name for p in refs])
        for p in min_probs:
            runs[f"tagger@{p}"].append([x.name for x in places.with_learned(text, refs, bounds, tagger, p)])
    out = {}
    for run, found in runs.items():
        hits, returned, unlabelled = place_hits(rows, found)
        out[run] = {
            "main_place_found": sum(ok for _, ok in hits), "of": len(hits),
            "issue_kinds": f"{sum(ok for k, ok in hits if k in ISSUE_KINDS)}/{sum(k in ISSUE_KINDS for k, _ in hits)}",
            "returned": returned, "not_labelled": len(unlabelled),
        }
    return out


def main(argv: list[str] | None = None) -> None:
    """``python -m nlp.place_tagger_train [--measure SAMPLE …] [--min-probs P …] [--out PATH]``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--measure", nargs="*", default=[], help="samples to measure the model at --out on")
    ap.add_argument("--min-probs", type=float, nargs="*", default=[0.0])
    ap.add_argument("--corpus", type=Path, nargs="+", default=list(CORPORA),
                    help="training letters and posts (JSON Lines)")
    ap.add_argument("--out", type=Path, default=MODEL)
    args = ap.parse_args(argv)
    if args.measure:
        tagger = PlaceTagger(args.out)
        for name in args.measure:
            print(name, json.dumps(compare(sample_rows(name), tagger, tuple(args.min_probs)), ensure_ascii=False),
                  flush=True)
        return
    rows = corpus_rows(args.corpus)
    train(rows, args.out)
    args.out.with_suffix(".json").write_text(json.dumps(provenance(args.corpus), indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} letters → {args.out} ({args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
