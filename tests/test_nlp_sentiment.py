"""The committed sentiment model: loads fast, scores sensibly, beats chance on held-out Weibo posts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core import ConfigError, SentimentLabel
from nlp.datasets import SENTIMENT_SETS, data_dir, dedupe, split
from nlp.sentiment import DEFAULT_SENTIMENT_MODEL, LinearSentiment, label_for, make_scorer
from nlp.textfeat import LinearTextModel, analyze, normalize


@pytest.fixture(scope="module")
def scorer() -> LinearSentiment:
    return LinearSentiment()


def test_model_file_is_small_and_committed() -> None:
    assert DEFAULT_SENTIMENT_MODEL.is_file()
    assert DEFAULT_SENTIMENT_MODEL.stat().st_size < 3_000_000


def test_scores_are_probabilities_in_the_right_direction(scorer: LinearSentiment) -> None:
    pos, neg, empty = scorer.score(["今天真开心，谢谢大家的帮助，太棒了", "太恶心了，垃圾堆了一个月没人管，气死了", ""])
    assert 0.0 <= neg < 0.4 < 0.6 < pos <= 1.0
    assert 0.0 <= empty <= 1.0
    assert scorer.score([]) == []


def test_labels_from_scores() -> None:
    assert label_for(0.1) is SentimentLabel.NEGATIVE
    assert label_for(0.5) is SentimentLabel.NEUTRAL
    assert label_for(0.9) is SentimentLabel.POSITIVE


def test_unknown_scorer_and_missing_model(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown scorer"):
        make_scorer("bert")
    with pytest.raises(ConfigError, match="not found"):
        LinearSentiment(tmp_path / "none.npz")


def test_model_round_trip(tmp_path: Path) -> None:
    m = LinearTextModel(["好", "坏"], np.ones(2), np.array([[2.0, -2.0]]), np.array([0.0]), ["0", "1"], 1)
    m.save(tmp_path / "m.npz")
    back = LinearTextModel.load(tmp_path / "m.npz")
    assert back.classes == ["0", "1"]
    assert back.scores(["好"])[0] > 0.8 and back.scores(["坏"])[0] < 0.2


def test_normalize_and_ngrams() -> None:
    assert normalize("转发 //@某人: 看 http://t.cn/x  @张三 第123号") == "转发 看 第0号"
    assert analyze("垃圾", 2) == ["垃", "圾", "垃圾"]


def test_split_is_deduplicated_and_disjoint() -> None:
    (trx, _), (tex, _) = split(["a", "a", "b", "c", "d", "e"] * 1, [1, 1, 0, 1, 0, 1])
    assert not {normalize(t) for t in trx} & {normalize(t) for t in tex}
    assert dedupe(["x", "x", "y"], [1, 0, 1]) == (["y"], [1])  # conflicting labels dropped


@pytest.mark.skipif(not (data_dir() / "sentiment").is_dir(), reason="shared data not on this machine")
def test_heldout_weibo_accuracy(scorer: LinearSentiment) -> None:
    from sklearn.metrics import roc_auc_score

    _, (x, y) = SENTIMENT_SETS["weibo2018"].load()
    p = np.asarray(scorer.score(x))
    acc = float(((p > 0.5) == np.asarray(y)).mean())
    assert acc > 0.84 and roc_auc_score(y, p) > 0.92  # SnowNLP's bundled model: 0.59 / 0.64


def test_joint_scoring_equals_separate_models() -> None:
    from nlp.taxonomy import load_taxonomy
    from nlp.textfeat import JointLinear
    from nlp.topics import TopicClassifier

    sent = LinearSentiment().model
    topic = TopicClassifier.load(load_taxonomy()).model
    texts = ["垃圾堆了一周没人管", "今天真开心", "", "店招松动了随时会掉下来"]
    s, t = JointLinear([sent, topic]).scores(texts)
    assert np.allclose(s, sent.scores(texts), atol=1e-5)
    assert np.allclose(t, topic.scores(texts), atol=1e-5)
