"""Everyday Weibo posts labelled blind: how often the complaint flag, topics and places fire where people just talk.

``nlp/corpus/everyday_weibo.jsonl`` holds labels (never texts) of 425 of the 1,998 posts of the weibo2018 held-out
split (:data:`nlp.datasets.SENTIMENT_SETS`; the posts ``message_type_train.everyday_rate`` reads): ``row`` (index
in that list), ``key`` (sha1 of the text, 12 hex digits), ``drawn`` and the labels of the blind samples (message
type, 创全 topic, places, main place, complaint flag, confidence). Three readers who never saw the project labelled
them in the fourteenth session (``reader``: e1 and e2 200 posts each, e3 25). One reader read each post, so no
agreement between readers is known, and 14 of the 15 complaints and requests are marked not ``confident``.
``drawn``: ``flagged`` — every post the shipped message-type model or a candidate flagged as a complaint that day
(69); ``random`` — the others, drawn at random among the posts no model flagged (356). So rates over the labelled
posts are not rates of everyday posts: the figures are counts over the 1,998, and a model that flags a post outside
the 425 reports it unlabelled.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

EVERYDAY = Path(__file__).resolve().parent / "corpus" / "everyday_weibo.jsonl"
#: The posts the figures read: the whole weibo2018 held-out split, 1,998 posts when they were labelled.
SIZE = 1998


def everyday_texts() -> list[str]:
    """The everyday posts the figures read (ValueError when the split no longer has :data:`SIZE` posts)."""
    from nlp.datasets import SENTIMENT_SETS

    _, (texts, _) = SENTIMENT_SETS["weibo2018"].load()
    if len(texts) != SIZE:
        raise ValueError(f"the weibo2018 held-out split has {len(texts)} posts, not the {SIZE} labelled from; "
                         "the counts against the readers would not be comparable")
    return texts


def text_key(text: str) -> str:
    """The key a labelled row carries for its text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def load_everyday(texts: list[str], path: Path = EVERYDAY) -> dict[int, dict[str, Any]]:
    """The labelled rows by index into ``texts``; ValueError when a key does not match (the data file changed)."""
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            if r["row"] >= len(texts) or text_key(texts[r["row"]]) != r["key"]:
                raise ValueError(f"{path.name}: row {r['row']} is not the post labelled (key {r['key']}); "
                                 "the weibo2018 file or its split changed")
            rows[r["row"]] = r
    return rows


def score_everyday(fields: list[dict[str, Any]], labelled: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Counts over all posts of the enricher's ``fields`` (one per text) against the labelled rows."""
    from nlp.blind2 import place_hits

    flagged = [i for i, f in enumerate(fields) if f["is_complaint"]]
    seen = [i for i in flagged if i in labelled]
    said = [i for i, r in labelled.items() if r["is_complaint"]]
    rows = sorted(labelled)
    given = [i for i in rows if fields[i]["topic"] != "other"]
    _, returned, unlisted = place_hits([labelled[i] for i in rows], [[p["name"] for p in fields[i]["places"]]
                                                                     for i in rows])
    return {
        "posts": len(fields), "labelled": len(rows),
        "flagged": len(flagged), "flagged_not_labelled": len(flagged) - len(seen),
        "flagged_a_reader_calls_complaint_or_request": sum(labelled[i]["is_complaint"] for i in seen),
        "reader_complaints_or_requests": len(said),
        "complaint_agreement_on_labelled": sum(bool(fields[i]["is_complaint"]) == labelled[i]["is_complaint"]
                                               for i in rows),
        "topics_given_on_labelled": len(given),
        "topics_given_the_reader_gave": sum(fields[i]["topic"] == labelled[i]["topic"] for i in given),
        "places_returned_on_labelled": returned,
        "places_returned_the_reader_did_not_list": len(unlisted),
    }
