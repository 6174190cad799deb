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
    # a URL ends where the ASCII ends: the letter written right after it is kept (it once vanished with the URL)
    assert normalize("https://baidu.com/的儿童收全票！www.x.cn/a?b=1，请管") == "的儿童收全票！ ，请管"


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


def test_scorer_names() -> None:
    from nlp.sentiment import CascadeSentiment

    assert isinstance(make_scorer("default"), CascadeSentiment) and make_scorer("default").name == "default"
    assert isinstance(make_scorer("fast"), LinearSentiment) and make_scorer("fast").name == "fast"
    thorough = make_scorer("thorough")
    assert isinstance(thorough, CascadeSentiment) and thorough.name == "thorough" and thorough.member_band is not None
    assert make_scorer("default").member_band is None  # two stages by default: the speed and memory goals


def test_cascade_defers_only_the_unsure_posts_and_keeps_them_inside_the_band() -> None:
    from nlp.sentiment import CascadeSentiment

    cascade = CascadeSentiment(member_band=None)  # two stages: the n-gram model, then the student
    texts = ["今天真开心，谢谢大家的帮助，太棒了", "太恶心了，垃圾堆了一个月没人管，气死了", "沪太路有点堵",
             "这家店的菜还行吧", "好", "", "社区组织志愿者清理了河道，就是去的人不多"]
    fast = cascade.fast.score(texts)
    final = cascade.score(texts)
    unsure = [cascade.low <= f <= cascade.high for f in fast]
    assert any(unsure) and not all(unsure)
    assert cascade.deferred == sum(unsure) and cascade.scored == len(texts)
    for f, s, u in zip(fast, final, unsure, strict=True):
        if u:
            assert cascade.low <= s <= cascade.high  # the blend, placed inside the band
        else:
            assert s == f  # the n-gram model was sure: its score stands
    blended = cascade.encoder.blend([t for t, u in zip(texts, unsure, strict=True) if u],
                                    [f for f, u in zip(fast, unsure, strict=True) if u])
    assert [s for s, u in zip(final, unsure, strict=True) if u] == pytest.approx(
        [cascade.low + (cascade.high - cascade.low) * b for b in blended])
    assert cascade.escalated == 0 and cascade._member is None  # no third stage: the member is never loaded


def test_the_third_stage_takes_the_posts_the_student_is_unsure_of() -> None:
    from nlp.sentiment import CASCADE_STUDENT, MEMBER_BAND, CascadeSentiment

    assert CascadeSentiment().encoder_path == CASCADE_STUDENT and CascadeSentiment().member_band is None
    assert make_scorer("thorough").member_band == MEMBER_BAND
    texts = ["沪太路有点堵", "这家店的菜还行吧", "社区组织志愿者清理了河道，就是去的人不多", "好", "",
             "物业说下周来修，等着看吧", "小区新装了充电桩，不过价格有点贵", "今天的会开得怎么样大家心里有数",
             "路灯修好了，但是晚上还是有点暗", "垃圾分类点又满了"]
    cascade = CascadeSentiment(member_band=(0.0, 0.5))  # a wide band, so that posts go either way
    fast = cascade.fast.score(texts)
    final = cascade.score(texts)
    unsure = [i for i, f in enumerate(fast) if cascade.low <= f <= cascade.high]
    student = cascade.encoder.blend([texts[i] for i in unsure], [fast[i] for i in unsure])
    member = cascade.member.blend([texts[i] for i in unsure], [fast[i] for i in unsure])
    again = [b <= 0.5 for b in student]
    assert 0 < sum(again) < len(unsure) and cascade.escalated == sum(again) and cascade.deferred == len(unsure)
    expected = [m if a else b for b, m, a in zip(student, member, again, strict=True)]
    assert [final[i] for i in unsure] == pytest.approx(
        [cascade.low + (cascade.high - cascade.low) * e for e in expected])


def test_enrich_uses_the_cascade_by_default() -> None:
    from nlp.enrich import Enricher

    enricher = Enricher()
    assert enricher.sentiment.name == "default"
    texts = ["沪太路有点堵", "乾溪新村门口垃圾堆成山，臭死了，太差劲了"]
    fields = enricher.analyze(texts)
    assert [f["sentiment"] for f in fields] == pytest.approx(enricher.sentiment.score(texts), abs=1e-4)
    assert fields[1]["sentiment_label"] == "negative"


@pytest.mark.skipif(not (data_dir() / "sentiment").is_dir(), reason="shared data not on this machine")
def test_cascade_beats_the_fast_model_on_heldout_weibo() -> None:
    from sklearn.metrics import roc_auc_score

    from nlp.sentiment import CascadeSentiment

    _, (x, y) = SENTIMENT_SETS["weibo2018"].load()
    x, y = x[:500], np.asarray(y[:500])  # a prefix of the shuffled held-out split keeps the test short
    cascade = CascadeSentiment()
    p, f = np.asarray(cascade.score(x)), np.asarray(cascade.fast.score(x))
    assert 0.1 < cascade.deferred / len(x) < 0.35
    assert ((p > 0.5) == y).mean() > ((f > 0.5) == y).mean() + 0.005
    assert roc_auc_score(y, p) > roc_auc_score(y, f)


@pytest.mark.skipif(not (data_dir() / "sentiment").is_dir(), reason="shared data not on this machine")
def test_ngram_training_data_holds_no_heldout_or_validation_text() -> None:
    from nlp.encoder_train import validation_texts
    from nlp.train import sentiment_fit_data, sentiment_training_data

    texts, labels, weights = sentiment_fit_data()
    assert len(texts) == len(labels) == len(weights)
    seen = {normalize(t) for t in texts}
    val = validation_texts()
    assert len(val) > 1000 and not seen & val  # the cascade's band is chosen on posts the model never saw
    assert len(texts) < len(sentiment_training_data(("weibo2018", "waimai", "chnsenticorp"))[0])
    for name in ("weibo2018", "waimai", "chnsenticorp", "smp2020", "incidents_written", "incidents_written2"):
        _, (heldout, _) = SENTIMENT_SETS[name].load()
        assert not seen & {normalize(t) for t in heldout}, name
    from nlp.student_train import report_posts

    assert not seen & {normalize(t) for t in report_posts("smp2020-train")[0]}  # the off-domain development set


@pytest.mark.parametrize(("name", "n"), [("incidents_written", 400), ("incidents_written2", 300)])
def test_the_written_incident_comments_are_a_test_set_only(name: str, n: int) -> None:
    """The comments on invented incidents (a stand-in for the issue's held-back set) are never trained on."""
    from nlp.train import sentiment_training_data

    _, (x, y) = SENTIMENT_SETS[name].load()
    assert len(x) == len(set(x)) == n and 0.45 * n <= sum(y) <= 0.55 * n and set(y) == {0, 1}
    with pytest.raises(ValueError, match="evaluation only"):
        sentiment_training_data([name])
