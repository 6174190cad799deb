"""Place shapes of the twenty-third session (docs/nlp.md, "Names every town has"): names every town has that the
rules read as other words (前进村, 青年路)."""

from __future__ import annotations

import pytest

from nlp.enrich import Enricher


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


def names(enricher: Enricher, text: str) -> list[str]:
    return [p["name"] for p in enricher.analyze([text])[0]["places"]]


@pytest.mark.parametrize(("text", "place"), [
    ("前进村五组的路灯坏了半年没人修。", "前进村五组"),
    ("青年路上的下水道堵了，污水漫到人行道上。", "青年路"),
    ("在前进幼儿园上学的孩子反映午睡床铺太挤。", "前进幼儿园"),
    ("到了晚上，前进新村里的广场舞音响开得特别大。", "前进新村"),
])
def test_a_name_word_jieba_reads_as_a_verb_or_a_time(enricher: Enricher, text: str, place: str) -> None:
    assert place in names(enricher, text)


@pytest.mark.parametrize("text", [
    "我们要继续前进路上困难很多。",
    "青年教师的待遇太低，留不住人。",
    "大家一起前进村里的事情要办好。",
])
def test_the_words_themselves_name_no_place(enricher: Enricher, text: str) -> None:
    assert names(enricher, text) == []
