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


def test_only_texts_over_150_characters_reach_the_reader(with_reader: TopicClassifier, monkeypatch) -> None:
    asked: list[str] = []
    probabilities = with_reader.reader.probabilities
    monkeypatch.setattr(with_reader.reader, "probabilities",
                        lambda texts: (asked.extend(texts), probabilities(texts))[1])
    post = "老板拖欠工资三个月了，物业也不管。"  # `other` with the property rules' words
    result = with_reader.classify([post])[0]
    assert result.topic == OTHER and result.rule_hits.get("property", 0) > 0
    assert asked == []
    filler = "我们多次反映，一直没有结果。"
    at_limit = post + filler * ((MIN_CHARS - len(post)) // len(filler))
    at_limit += "盼" * (MIN_CHARS - len(at_limit))
    over = at_limit + "复"
    assert (len(at_limit), len(over)) == (MIN_CHARS, MIN_CHARS + 1)
    results = with_reader.classify([at_limit, over])
    assert results[0].topic == OTHER and results[0].rule_hits  # the reader could have been asked about it
    assert asked == [over]


def test_a_letter_is_read_alone_whatever_its_batch(with_reader: TopicClassifier) -> None:
    letters = [written_letter(i)["text"] for i in ("w1-0069", "w1-0098", "w1-0141")]
    together = with_reader.reader.probabilities(letters)
    alone = np.vstack([with_reader.reader.probabilities([t]) for t in letters])
    assert np.allclose(together, alone, rtol=0, atol=1e-5)  # the same vectors; the head's product rounds by batch


def test_a_missing_reader_file_is_a_clear_error(tmp_path: Path) -> None:
    import shutil

    from nlp.topic_reader import DEFAULT_READER_GRAPH, head_path

    with pytest.raises(ConfigError, match=r"topic reader file not found.*nlp\.topic_reader: false"):
        TopicReader(tmp_path / "topic-reader.onnx")
    graph = tmp_path / DEFAULT_READER_GRAPH.name  # the graph and its head, but no tokenizer beside them
    shutil.copyfile(DEFAULT_READER_GRAPH, graph)
    shutil.copyfile(head_path(DEFAULT_READER_GRAPH), head_path(graph))
    with pytest.raises(ConfigError, match="tokenizer"):
        TopicReader(graph)


def test_a_taxonomy_without_the_readers_codes_turns_it_off_and_says_so(caplog) -> None:
    from nlp.taxonomy import Taxonomy

    full = load_taxonomy()
    fewer = Taxonomy(tuple(t for t in full if t.code != "river"))
    with caplog.at_level("WARNING", logger="nlp.topics"):
        assert TopicClassifier(fewer, reader=TopicReader()).reader is None
    assert "river" in caplog.text


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
