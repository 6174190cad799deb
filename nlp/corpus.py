"""The topic model's training corpus: composed from seed phrases, plus everyday posts for ``other``.

Seeds (``nlp/corpus/topic_seed.yaml``) were written for this project; posts are composed with a seeded
random generator, place slots filled from the gazetteer. ``other`` comes from the weibo2018 train split
(everyday posts, no 创全 problem) when ``n_other`` > 0; the shipped model leaves ``other`` to the rules and a
confidence threshold. Nothing here is used for evaluation.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from nlp.datasets import SENTIMENT_SETS
from nlp.gazetteer import Gazetteer
from nlp.taxonomy import OTHER, Taxonomy

SEED_FILE = Path(__file__).resolve().parent / "corpus" / "topic_seed.yaml"


def compose_corpus(gazetteer: Gazetteer, taxonomy: Taxonomy, per_topic: int = 400, n_other: int = 0,
                   seed: int = 7) -> tuple[list[str], list[str]]:
    """(texts, topic codes) for training the topic model."""
    spec = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    names = [p.name for p in gazetteer if p.level.value not in ("town", "district", "other", "community")]
    names += [a for p in gazetteer for a in p.aliases if len(a) > 2 and p.level.value not in ("town", "district")]
    texts: list[str] = []
    labels: list[str] = []
    for code, phrases in spec["topics"].items():
        if code not in taxonomy:
            continue
        for _ in range(per_topic):
            place = rng.choice(spec["places"]).replace("{place}", rng.choice(names))
            parts = rng.sample(phrases, k=rng.choice((1, 1, 2)))
            detail = rng.choice(spec["details"])
            text = rng.choice(spec["openers"]) + place + "，".join(parts)
            text += ("，" + detail if detail else "") + "。" + rng.choice(spec["closers"])
            texts.append(text)
            labels.append(code)
    if n_other:
        (ox, _), _ = SENTIMENT_SETS["weibo2018"].load()
        rng.shuffle(ox)
        texts += ox[:n_other]
        labels += [OTHER] * min(n_other, len(ox))
    return texts, labels


OFF_TOPIC_SEED_FILE = Path(__file__).resolve().parent / "corpus" / "off_topic_seed.yaml"


def compose_off_topic(n: int = 1200, seed: int = 7) -> list[str]:
    """Letters to officials about matters outside 创全 work (topic ``other``): complaints composed from
    ``off_topic_seed.yaml`` in the register of :mod:`nlp.letters`, and that module's requests and inquiries."""
    from nlp import letters as lt

    matters = yaml.safe_load(OFF_TOPIC_SEED_FILE.read_text(encoding="utf-8"))["matters"]
    rng = random.Random(seed)
    out = [_letter(rng, rng.sample(matters, rng.choice((1, 1, 2)))) for _ in range(n)]
    kinds = lt.compose_letters(n // 4, seed)
    return out + kinds["request"] + kinds["inquiry"]


#: How a letter's subject line puts its matter (``{a}`` a place, ``{m}`` the matter's first clause).
SUBJECTS = ["{a}{m}", "{m}", "关于{a}{m}的问题", "反映{a}{m}", "{a}{m}，望处理", "{a}{m}问题何时解决",
            "{a}{m}，何时能解决？", "请求解决{a}{m}的问题", "恳请领导关注{a}{m}"]
SUBJECT_SHARE = 0.6  # share of composed letters with a subject line (as on message boards)
#: How a letter ends besides a demand: asking for help, asking when, proposing (the same for every matter, so that
#: the model learns a letter's matter and not whether it demands, asks or proposes).
ASKS = ["请问这个问题什么时候能解决？", "请问该找哪个部门处理？", "请问有关部门能否尽快处理？",
        "望领导给予答复，谢谢！"]
PROPOSES = ["建议有关部门尽快整治。", "建议相关部门加强监管，定期检查。", "希望政府统筹规划，早日解决。"]


def _letter(rng: random.Random, said: list[str]) -> str:
    """A letter about ``said`` in the register of :mod:`nlp.letters` (a complaint, a request for help, a question
    or a proposal), often under a subject line."""
    from nlp import letters as lt

    body = lt.pick(rng, lt.SETTING) + lt.pick(rng, lt.SINCE) + "，".join(said) + "。"
    close = rng.choice([lt.DEMAND, lt.DEMAND, lt.ASK_HELP, ASKS, PROPOSES])
    text = lt.letter(rng, body + lt.pick(rng, lt.EFFECT) + lt.pick(rng, lt.HISTORY), rng.choice(close))
    if rng.random() < SUBJECT_SHARE:
        subject = rng.choice(SUBJECTS).format(a=rng.choice(["", *lt.AREA]), m=said[0].split("，")[0])
        text = subject + "\n" + text
    return text


def compose_topic_letters(taxonomy: Taxonomy, per_topic: int = 150, seed: int = 7) -> tuple[list[str], list[str]]:
    """(texts, topic codes): letters to officials about 创全 problems, from the ``letters`` seeds of each topic
    and its post phrases, framed like the off-topic letters, so that the register of a letter says nothing
    about the topic."""
    spec = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    texts: list[str] = []
    labels: list[str] = []
    for code, phrases in spec.get("letters", {}).items():
        if code not in taxonomy:
            continue
        pool = phrases * 3 + spec["topics"].get(code, [])  # letter phrases first, post phrases as variety
        for _ in range(per_topic):
            texts.append(_letter(rng, rng.sample(pool, rng.choice((1, 1, 2)))))
            labels.append(code)
    return texts, labels
