"""The short posts written for the project: the tagger's training posts (``nlp/corpus/short_posts.jsonl``) and the
test posts the figures in docs/nlp.md are measured on (``short_posts_test.jsonl``), and how they are scored."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.labels import MESSAGE_TYPE
from nlp.message_type_train import SHORT_POSTS_TEST, evaluate_short, short_posts
from nlp.place_tagger_train import CORPORA

TRAIN = next(p for p in CORPORA if p.name == "short_posts.jsonl")
KEYS = {"id", "channel", "text", "message_type", "topic", "places", "main_place"}
TOPICS = {"sanitation", "shop_signs", "illegal_construction", "parking", "traffic", "food_hygiene", "river",
          "greenery", "noise", "facilities", "property", "other"}


@pytest.mark.parametrize("path", [TRAIN, SHORT_POSTS_TEST], ids=["train", "test"])
def test_rows_are_well_formed(path: Path) -> None:
    rows = short_posts(path)
    assert len(rows) >= 500 and len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert set(r) == KEYS, r["id"]
        assert r["message_type"] in MESSAGE_TYPE and r["topic"] in TOPICS, r["id"]
        assert all(p and p in r["text"] for p in r["places"]), r["id"]
        assert r["main_place"] is None or r["main_place"] in r["places"], r["id"]


def test_no_test_post_shares_twelve_characters_with_a_training_post() -> None:
    """Writers reused a few phrases; test posts that share one with a training post were dropped from the test."""
    k = 12
    windows = {t[i:i + k] for r in short_posts(TRAIN) for t in [r["text"]] for i in range(len(t) - k + 1)}
    shared = [r["id"] for r in short_posts(SHORT_POSTS_TEST)
              if any(r["text"][i:i + k] in windows for i in range(len(r["text"]) - k + 1))]
    assert not shared


class _Flags:
    """An enricher that flags the posts whose text holds 投诉 and returns one place, 甲店, for every post."""

    def analyze(self, texts):
        return [{"is_complaint": "投诉" in t, "message_type": "complaint" if "投诉" in t else "other",
                 "topic": "other", "places": [{"name": "甲店"}]} for t in texts]


def test_evaluate_short_counts_agreement_per_kind(tmp_path: Path) -> None:
    import json

    rows = [
        {"text": "投诉甲店卖过期奶", "message_type": "complaint", "topic": "other", "main_place": "甲店"},
        {"text": "乙医院排队太久了", "message_type": "complaint", "topic": "other", "main_place": "乙医院"},
        {"text": "投诉小区垃圾没人清", "message_type": "complaint", "topic": "sanitation", "main_place": None},
        {"text": "今天天气真好", "message_type": "other", "topic": "other", "main_place": None},
    ]
    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = evaluate_short(_Flags(), path)
    assert out["n"] == 4 and out["is_complaint_agreement"] == 0.75
    assert out["complaints_outside_chuangquan"] == "1/2" and out["complaints_chuangquan"] == "1/1"
    assert out["not_complaints"] == "1/1" and out["message_type_accuracy"] == 0.75
    assert out["main_place_found"] == 0.5 and out["topic_accuracy"] == 0.75
