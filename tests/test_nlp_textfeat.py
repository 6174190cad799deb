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


def test_the_gram_dict_is_built_only_where_a_path_needs_it(tmp_path) -> None:
    from nlp.message_type import is_framed
    from nlp.textfeat import JointLinear

    model = LinearTextModel.load(DEFAULT_MODEL)
    assert is_framed(model)
    model.scores([frame("小区门口垃圾堆了三天没人清理")])
    assert model._index is None and model._alone is not None and model._alone._index is None  # codes only
    assert model.index[model.vocab[7]] == 7 and len(model.index) == len(model.idf)  # built on demand, in order
    two = LinearTextModel(["好", "坏", "好吃"], np.ones(3), np.array([[1.0, -1.0, 2.0]]), np.array([0.0]),
                          ["0", "1"], 2)
    other = LinearTextModel(["坏", "差"], np.ones(2), np.array([[-1.0, -2.0]]), np.array([0.0]), ["0", "1"], 2)
    joint = JointLinear([two, other])
    assert joint.size == 4 and joint.index == {"好": 0, "坏": 1, "好吃": 2, "差": 3}
    assert not is_framed(two)
    a, b = joint.scores(["好吃不坏", "差"])
    assert np.allclose(a, two.scores(["好吃不坏", "差"])) and np.allclose(b, other.scores(["好吃不坏", "差"]))
    two.save(tmp_path / "m.npz")
    assert LinearTextModel.load(tmp_path / "m.npz").vocab == ["好", "坏", "好吃"]
