"""The everyday Weibo posts labelled blind (``nlp/corpus/everyday_weibo.jsonl``) and how they are scored."""

from __future__ import annotations

import json

import pytest

from core.labels import MESSAGE_TYPE, TOPIC_KINDS
from nlp.blind import COMPLAINT_TYPES
from nlp.datasets import data_dir
from nlp.everyday import EVERYDAY, load_everyday, score_everyday, text_key

KEYS = {"row", "key", "drawn", "reader", "message_type", "topic", "places", "main_place", "is_complaint", "confident"}
ROWS = [json.loads(line) for line in EVERYDAY.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_rows_are_well_formed_and_hold_no_text() -> None:
    assert len(ROWS) == 425 and len({r["row"] for r in ROWS}) == len(ROWS)
    for r in ROWS:
        assert set(r) == KEYS, r["row"]  # labels only: the posts stay in ../shared/data
        assert r["message_type"] in MESSAGE_TYPE and r["topic"] in TOPIC_KINDS, r["row"]
        assert r["is_complaint"] == (r["message_type"] in COMPLAINT_TYPES), r["row"]
        assert r["main_place"] is None or r["main_place"] in r["places"], r["row"]
        assert r["drawn"] in ("flagged", "random") and r["reader"] in ("e1", "e2", "e3")


@pytest.mark.skipif(not (data_dir() / "sentiment").is_dir(), reason="shared data not on this machine")
def test_every_label_is_of_the_post_it_names() -> None:
    from nlp.everyday import everyday_texts

    texts = everyday_texts()
    rows = load_everyday(texts)
    assert len(rows) == len(ROWS)
    assert all(p in texts[i] for i, r in rows.items() for p in r["places"])


def test_a_row_of_another_post_is_refused(tmp_path) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps({**ROWS[0], "row": 0, "key": text_key("别的帖子")}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="row 0 is not the post labelled"):
        load_everyday(["今天天气真好"], path)


def _fields(complaint: bool, topic: str = "other", places: tuple[str, ...] = ()) -> dict:
    return {"is_complaint": complaint, "topic": topic, "places": [{"name": p} for p in places]}


def test_counts_are_over_all_posts_and_say_what_is_unlabelled() -> None:
    labelled = {0: {"is_complaint": True, "topic": "parking", "places": ["人民桥"], "main_place": "人民桥"},
                1: {"is_complaint": False, "topic": "other", "places": [], "main_place": None}}
    fields = [_fields(True, "parking", ("人民桥",)), _fields(True, "noise", ("河边",)), _fields(True), _fields(False)]
    got = score_everyday(fields, labelled)
    assert got["flagged"] == 3 and got["flagged_not_labelled"] == 1  # post 2 was never labelled
    assert got["flagged_a_reader_calls_complaint_or_request"] == 1
    assert got["reader_complaints_or_requests"] == 1
    assert got["complaint_agreement_on_labelled"] == 1  # post 1: flagged, the reader says not
    assert (got["topics_given_on_labelled"], got["topics_given_the_reader_gave"]) == (2, 1)
    assert (got["places_returned_on_labelled"], got["places_returned_the_reader_did_not_list"]) == (2, 1)
