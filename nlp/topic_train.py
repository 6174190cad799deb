"""The topic model's training data: the 11 创全 topics and ``other``, from text the project may train on.

- Topics: posts composed from the hand-written seeds (:func:`nlp.corpus.compose_corpus`) and the problem posts
  of the development sample (weight 3).
- ``other``: everyday Weibo posts (weibo2018 train file, less every post of the second blind sample), the Weibo
  posts of that sample's *dev* half with their blind labels (weight 2; its test half is never trained on), and
  letters to officials about matters outside 创全 work (wages, schools, hospitals, compensation, developers,
  consumer disputes; :func:`nlp.corpus.compose_off_topic`), so that ``other`` is learnt from content, not from
  the register of a formal letter.

Training never reads the TipDM 网络问政 messages (evaluation only, ``../shared/data/README.md``);
:func:`tipdm_label_shares` measures on them (``python -m nlp.topic_train``).
"""

from __future__ import annotations

import random
from typing import Any

from nlp.taxonomy import OTHER

N_EVERYDAY = 3000
N_OFF_TOPIC = 1200
N_TOPIC_LETTERS = 150  # per topic
SEED = 7


def blind2_weibo(half: str) -> list[dict[str, Any]]:
    """Weibo items of the second blind sample (``dev``, ``test`` or ``all``), with their text."""
    import json

    from nlp.blind2 import BLIND2, half_of, weibo_texts

    texts = weibo_texts()
    out = []
    for line in BLIND2.read_text(encoding="utf-8").splitlines():
        lab = json.loads(line) if line.strip() else {}
        if lab.get("set") == "weibo2018" and half in ("all", half_of(lab["set"], lab["key"])):
            out.append({**lab, "text": texts[lab["key"]]})
    return out


def topic_training_data(gazetteer, taxonomy) -> tuple[list[str], list[str], list[float]]:
    """(texts, topic codes, sample weights; the weights balanced per class)."""
    from nlp.corpus import compose_corpus, compose_off_topic, compose_topic_letters
    from nlp.datasets import SENTIMENT_SETS
    from nlp.evaluate import SAMPLE, load_sample
    from nlp.textfeat import normalize

    texts, labels = compose_corpus(gazetteer, taxonomy)
    weights = [1.0] * len(texts)

    def add(xs: list[str], lab: str, w: float) -> None:
        texts.extend(xs)
        labels.extend([lab] * len(xs))
        weights.extend([w] * len(xs))

    letters, codes = compose_topic_letters(taxonomy, N_TOPIC_LETTERS, SEED)
    texts.extend(letters)
    labels.extend(codes)
    weights.extend([1.0] * len(letters))
    for row in load_sample(SAMPLE):  # the development sample (never the test samples)
        if row["topic"] in taxonomy and row["topic"] != OTHER:
            add([row["text"]], row["topic"], 3.0)
    if OTHER in taxonomy:
        blind = {normalize(r["text"]) for r in blind2_weibo("all")}
        (wb, _), _ = SENTIMENT_SETS["weibo2018"].load()
        everyday = [t for t in wb if normalize(t) not in blind]
        add(random.Random(SEED).sample(everyday, min(N_EVERYDAY, len(everyday))), OTHER, 1.0)
        for row in blind2_weibo("dev"):
            if row["topic"] in taxonomy:
                add([row["text"]], row["topic"], 2.0)
        add(compose_off_topic(N_OFF_TOPIC, SEED), OTHER, 1.0)
    from sklearn.utils.class_weight import compute_sample_weight

    balanced = compute_sample_weight("balanced", labels)  # ``other`` has ten times the posts of a topic
    return texts, labels, [float(w * b) for w, b in zip(weights, balanced, strict=True)]


#: Features whose largest weight over the classes is below this are dropped from the shipped model: 86,000 → 12,800
#: n-grams (18 MB → a few MB resident) with the same decisions on the blind sample's dev half.
PRUNE_BELOW = 0.05


def prune(model, below: float = PRUNE_BELOW):
    """``model`` without the n-grams whose weights are all below ``below`` in magnitude."""
    import numpy as np

    from nlp.textfeat import LinearTextModel

    keep = np.abs(model.coef).max(axis=1) >= below
    vocab = [w for w, k in zip(sorted(model.index, key=model.index.__getitem__), keep, strict=True) if k]
    return LinearTextModel(vocab, model.idf[keep], model.coef[keep].T, model.intercept, model.classes, model.n_max)


def tipdm_label_shares(classifier=None) -> dict[str, dict[str, str]]:
    """Share of TipDM messages given a 创全 topic, per administrative label (一级标签), on the rows outside every
    blind sample and their near-duplicate groups (``message_type_train.calibration_rows``), split into the
    ``in_heldout`` 30 % (where topic constants are chosen) and the other 70 % (reported; read for failure shapes
    since the fourth session, so no longer unread). Evaluation only: nothing here is trained on these rows."""
    from nlp.blind import message_key, message_text
    from nlp.message_type_train import calibration_rows, in_heldout
    from nlp.taxonomy import load_taxonomy
    from nlp.topics import TopicClassifier

    clf = classifier or TopicClassifier.load(load_taxonomy())
    rows = calibration_rows()
    results = clf.classify([message_text(r) for r in rows])
    out: dict[str, dict[str, list[bool]]] = {"choose_30": {}, "report_70": {}}
    for r, res in zip(rows, results, strict=True):
        split = "choose_30" if in_heldout(message_key(r["留言主题"], r["留言详情"])) else "report_70"
        out[split].setdefault(r["一级标签"], []).append(res.topic != OTHER)
    return {s: {lab: f"{sum(v) / len(v):.3f} ({len(v)})" for lab, v in sorted(d.items())} for s, d in out.items()}


if __name__ == "__main__":
    import json

    print(json.dumps(tipdm_label_shares(), ensure_ascii=False, indent=1))
