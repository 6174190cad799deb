"""One linear model scored alone takes the vectorised 1-2-gram lookup and gives the string lookup's figures."""

from __future__ import annotations

import numpy as np

from nlp.message_type import DEFAULT_MODEL, frame
from nlp.textfeat import LinearTextModel, analyze


def test_one_model_code_lookup_scores_like_the_string_lookup() -> None:
    from nlp.evaluate import load_sample

    model = LinearTextModel.load(DEFAULT_MODEL)  # 1-2-grams, with head and tail n-grams in private planes
    assert model.n_max == 2
    texts = ["", "a", "ab", "12 34 ABC", "\ud800x", "😀[二哈]好开心", "大场镇 沪太路", ""]
    texts += [r["text"] for r in load_sample()]
    framed = [frame(t) for t in texts]
    fast = model.scores(framed)
    assert model._alone is not None and model._alone._codes is not None  # the vectorised path was taken
    slow = model.scores_grams([analyze(t, model.n_max) for t in framed])
    assert fast.shape == slow.shape == (len(texts), len(model.classes))
    assert np.allclose(fast, slow, atol=1e-5)
    assert model.scores([]).shape == (0, len(model.classes))
