"""The short posts written for the project: the tagger's training posts (``nlp/corpus/short_posts.jsonl``) and the
test posts the figures in docs/nlp.md are measured on (``short_posts_test.jsonl``), and how they are scored."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.labels import MESSAGE_TYPE, TOPIC_KINDS
from nlp.blind2 import evaluate_rows
from nlp.message_type_train import SHORT_POSTS_FRESH, SHORT_POSTS_TEST, evaluate_types
from nlp.place_tagger_train import CORPORA, corpus_rows

TRAIN = next(p for p in CORPORA if p.name == "short_posts.jsonl")
KEYS = {"id", "channel", "text", "message_type", "topic", "places", "main_place"}


@pytest.mark.parametrize("path", [TRAIN, SHORT_POSTS_TEST], ids=["train", "test"])
def test_rows_are_well_formed(path: Path) -> None:
    rows = corpus_rows([path])
    assert len(rows) >= 500 and len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert set(r) == KEYS, r["id"]
        assert r["message_type"] in MESSAGE_TYPE and r["topic"] in TOPIC_KINDS, r["id"]
        assert all(p and p in r["text"] for p in r["places"]), r["id"]
        assert r["main_place"] is None or r["main_place"] in r["places"], r["id"]


def test_no_test_post_shares_twelve_characters_with_a_training_post() -> None:
    """Writers reused a few phrases; test posts that share one with a training post were dropped from the test."""
    k = 12
    windows = {t[i:i + k] for r in corpus_rows([TRAIN]) for t in [r["text"]] for i in range(len(t) - k + 1)}
    shared = [r["id"] for r in corpus_rows([SHORT_POSTS_TEST])
              if any(r["text"][i:i + k] in windows for i in range(len(r["text"]) - k + 1))]
    assert not shared


def test_no_fresh_post_shares_twelve_characters_with_a_training_or_test_post() -> None:
    """Five of the 160 fresh posts repeated a phrase of the tagger's or the message-type model's training posts (or of
    the short test posts) and were dropped: the rest are new to every model and rule."""
    from nlp.message_type_train import training_data

    k = 12
    texts = [r["text"] for r in corpus_rows([*CORPORA, SHORT_POSTS_TEST])] + list(training_data()[0])
    windows = {t[i:i + k] for t in texts for i in range(len(t) - k + 1)}
    assert not [r["id"] for r in corpus_rows([SHORT_POSTS_FRESH])
                if any(r["text"][i:i + k] in windows for i in range(len(r["text"]) - k + 1))]


def test_the_test_posts_train_nothing() -> None:
    """The test posts are measured on only: neither the tagger nor the message-type model reads them."""
    from nlp.message_type_train import training_data

    assert SHORT_POSTS_TEST not in CORPORA and SHORT_POSTS_FRESH not in CORPORA
    test_texts = {r["text"] for r in corpus_rows([SHORT_POSTS_TEST, SHORT_POSTS_FRESH])}
    assert not test_texts & set(training_data()[0])


class _Flags:
    """An enricher that flags the posts whose text holds 投诉 or 求助 and returns the place 甲店 for every post."""

    def analyze(self, texts):
        return [{"is_complaint": "投诉" in t or "求助" in t, "message_type": "other", "topic": "other",
                 "places": [{"name": "甲店"}]} for t in texts]


def test_complaint_agreement_by_kind_of_post() -> None:
    rows = [
        {"text": "投诉甲店卖过期奶", "message_type": "complaint", "topic": "other", "places": ["甲店"],
         "main_place": "甲店"},
        {"text": "乙医院排队太久了", "message_type": "complaint", "topic": "other", "places": ["乙医院"],
         "main_place": "乙医院"},
        {"text": "求助：工资被拖欠", "message_type": "request", "topic": "other", "places": [], "main_place": None},
        {"text": "投诉小区垃圾没人清", "message_type": "complaint", "topic": "sanitation", "places": [],
         "main_place": None},
        {"text": "公园的树修剪得真好", "message_type": "praise", "topic": "greenery", "places": [], "main_place": None},
        {"text": "投诉是个好办法吗", "message_type": "inquiry", "topic": "other", "places": [], "main_place": None},
    ]
    out = evaluate_rows(_Flags(), rows)
    assert out["is_complaint_by_kind"] == {"complaints_outside_chuangquan": "2/3", "complaints_chuangquan": "1/1",
                                           "not_complaints": "1/2"}
    assert out["is_complaint_agreement"] == round(4 / 6, 3) and out["main_place_found"] == 0.5


def test_the_fresh_posts_are_well_formed() -> None:
    rows = corpus_rows([SHORT_POSTS_FRESH])
    assert len(rows) == 155 and len({r["id"] for r in rows}) == len({r["text"] for r in rows}) == 155
    assert all(set(r) == {"id", "text", "message_type"} and r["message_type"] in MESSAGE_TYPE for r in rows)
    assert {r["message_type"] for r in rows} == set(MESSAGE_TYPE)  # every type is there to be got wrong


def test_type_figures_of_posts_labelled_with_a_type_only() -> None:
    rows = [{"text": "投诉甲店卖过期奶", "message_type": "complaint"},
            {"text": "求助：工资被拖欠", "message_type": "request"},
            {"text": "乙医院排队太久了", "message_type": "complaint"},
            {"text": "投诉是个好办法吗", "message_type": "inquiry"},
            {"text": "公园的树修剪得真好", "message_type": "praise"},
            {"text": "今天去爬山了", "message_type": "other"}]
    assert evaluate_types(_Flags(), rows) == {
        "n": 6, "message_type_right": 1, "is_complaint_agreement": 4,
        "complaints_and_requests_flagged": "2/3", "others_flagged": "1/3", "praise_found": "0/1"}
