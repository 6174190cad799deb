"""The "letter to officials" cue (LETTER_CUE, review R10): the act of addressing (an opening, a salutation, a
request put to a body, a reply asked for), not a title named (sentences of our own; the negatives matched T7's cue
and got a topic from FIRM_LETTER_MIN before)."""

from __future__ import annotations

import numpy as np
import pytest

import nlp.topics as T
from nlp.taxonomy import load_taxonomy
from nlp.topics import TopicClassifier


@pytest.fixture(scope="module")
def clf() -> TopicClassifier:
    return TopicClassifier.load(load_taxonomy())


def _heavy(clf: TopicClassifier, n: int) -> np.ndarray:
    """Model probabilities that read every text as ``other`` (0.9)."""
    classes = list(clf.model.classes)
    row = np.full(len(classes), 0.1 / (len(classes) - 1), dtype=np.float32)
    row[classes.index("other")] = 0.9
    return np.tile(row, (n, 1))


@pytest.mark.parametrize(
    "text",
    [
        "我们领导说不戴口罩的一律罚款，真是服了。",  # a boss, not a letter to one
        "班主任在群里说吃了食堂的饭就呕吐的同学先回家。",  # a class teacher is no leader
        "请大家关注一下我们的店，楼上那家噪音扰民我们也管不了。",  # 请大家关注: asks the readers
    ],
)
def test_a_title_named_is_no_letter(clf: TopicClassifier, text: str) -> None:
    assert not T.LETTER_CUE.search(text)
    assert clf.classify([text], probs=_heavy(clf, 1))[0].topic == "other"


@pytest.mark.parametrize(
    "text",
    [
        "关于小区噪音的问题\n尊敬的领导：您好！",
        "王局长，您好，我想反映一个问题。",
        "你好，李主任！我是城南社区的居民。",
        "恳请有关部门尽快处理。",
        "希望市政府重视这个问题。",
        "请城管执法局的领导来看一看。",
        "以上情况属实，盼复。",
    ],
)
def test_a_letter_is_addressed(text: str) -> None:
    assert T.LETTER_CUE.search(text)
