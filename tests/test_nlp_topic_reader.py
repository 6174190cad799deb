"""The topic reader (nlp/topic_reader.py): a long letter the rules leave `other` takes the topic the encoder reads
in it, only where the rules saw that topic's words; short posts never reach it; it can be switched off."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core.errors import ConfigError
from nlp.taxonomy import OTHER, load_taxonomy
from nlp.topic_reader import MIN_CHARS, TopicReader
from nlp.topics import TopicClassifier

LETTERS = Path(__file__).resolve().parents[1] / "nlp" / "corpus" / "place_letters.jsonl"


def written_letter(letter_id: str) -> dict:
    """A letter written for the project (its labels came with it)."""
    for line in LETTERS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["id"] == letter_id:
            return row
    raise KeyError(letter_id)


@pytest.fixture(scope="module")
def with_reader() -> TopicClassifier:
    return TopicClassifier.load(load_taxonomy())


@pytest.fixture(scope="module")
def without_reader() -> TopicClassifier:
    return TopicClassifier.load(load_taxonomy(), use_reader=False)


def test_the_default_classifier_reads_letters(with_reader: TopicClassifier) -> None:
    assert with_reader.reader is not None
    assert set(with_reader.reader.classes) == set(load_taxonomy().codes)


# A school's morning broadcast; an estate's lost green. These letters are in the head's training data: the test pins
# the wiring (a letter the rules leave `other` with a weak rule hit takes the head's topic), not the head's accuracy,
# which is measured on the unread blind samples (docs/nlp.md, "The letter reader").
@pytest.mark.parametrize("letter_id", ["w1-0069", "w1-0098"])
def test_a_letter_whose_problem_the_rules_see_once_gets_its_topic(
        letter_id: str, with_reader: TopicClassifier, without_reader: TopicClassifier) -> None:
    row = written_letter(letter_id)
    assert len(row["text"]) > MIN_CHARS
    assert without_reader.classify([row["text"]])[0].topic == OTHER
    result = with_reader.classify([row["text"]])[0]
    assert result.topic == row["topic"]
    assert result.rule_hits[row["topic"]] > 0


def test_the_reader_never_gives_a_topic_the_rules_saw_no_word_of(with_reader: TopicClassifier) -> None:
    # cars on the pavement, told without any of the parking rules' words: the head reads parking, the rules nothing
    text = "尊敬的领导：您好！我是某小区的业主，最近我们小区门口的那条路上，每天晚上都有很多人把车停在人行道上，" * 3
    text += "希望有关部门能够管一管。"
    assert len(text) > MIN_CHARS
    probs = with_reader.reader.probabilities([text])[0]
    assert with_reader.reader.classes[int(probs.argmax())] == "parking"
    result = with_reader.classify([text])[0]
    assert result.rule_hits.get("parking", 0.0) == 0
    assert result.topic == OTHER


def test_short_posts_never_reach_the_reader(with_reader: TopicClassifier, monkeypatch) -> None:
    def refuse(texts):
        raise AssertionError(f"the reader was asked about {texts}")

    monkeypatch.setattr(with_reader.reader, "probabilities", refuse)
    posts = ["小区门口的垃圾三天没人清了，臭死了", "今天天气真好，去公园散步了", "我们公司拖欠工资三个月了，怎么办"]
    assert [r.topic for r in with_reader.classify(posts)] == ["sanitation", OTHER, OTHER]


def test_a_letter_is_read_alone_whatever_its_batch(with_reader: TopicClassifier) -> None:
    letters = [written_letter(i)["text"] for i in ("w1-0069", "w1-0098", "w1-0141")]
    together = with_reader.reader.probabilities(letters)
    alone = np.vstack([with_reader.reader.probabilities([t]) for t in letters])
    assert np.allclose(together, alone, rtol=0, atol=1e-5)  # the same vectors; the head's product rounds by batch


def test_a_missing_reader_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="topic reader file not found"):
        TopicReader(tmp_path / "topic-reader.onnx")


def test_the_reader_can_be_switched_off_in_the_configuration() -> None:
    from core.config import Config
    from nlp.enrich import Enricher

    config = Config.model_validate({"nlp": {"topic_reader": False}})
    assert Enricher.from_config(config).topics.reader is None


def test_every_graph_one_process_runs_stays_loaded() -> None:
    # `thorough` sentiment runs three graphs; with the reader a process runs four, and none may be loaded again
    from nlp.encoder import DEFAULT_ENCODER_MODEL, _load
    from nlp.sentiment import CASCADE_ENCODER, CASCADE_STUDENT
    from nlp.topic_reader import DEFAULT_READER_GRAPH

    graphs = [p.resolve() for p in (CASCADE_STUDENT, CASCADE_ENCODER, DEFAULT_ENCODER_MODEL, DEFAULT_READER_GRAPH)]
    for graph in graphs:
        _load(graph, 1)
    misses = _load.cache_info().misses
    for graph in graphs:
        _load(graph, 1)
    assert _load.cache_info().misses == misses
