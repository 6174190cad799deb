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
    # a review's sentences: 前进 as the verb after 往 or a marching column; 青年 before a generic kind
    "从大门往前进小区右转就是垃圾站。",
    "往前进公园大门的路灯坏了。",
    "大家跟着队伍前进广场上的人越来越多。",
    "城里的青年公寓租金太贵了，年轻人住不起。",
    "社区新建了青年驿站，没人值班。",
])
def test_the_words_themselves_name_no_place(enricher: Enricher, text: str) -> None:
    assert names(enricher, text) == []


@pytest.mark.parametrize("body", ["自然资源局", "自然资源和规划局", "生态环境局", "农业农村局", "卫生健康委员会",
                                  "卫生健康局"])
def test_a_county_bureau_of_the_2018_reform_is_a_body(enricher: Enricher, body: str) -> None:
    # jieba tags 自然资源 and 生态环境 as phrases and 健康 as an adjective; 农业|农村 read as a village
    found = names(enricher, f"投诉K3县{body}不作为，对举报一直不予答复。")
    assert f"K3县{body}" in found
    assert "农业农村" not in found


@pytest.mark.parametrize(("text", "place"), [
    ("L12市黔城镇严家团村八组的路坏了。", "黔城镇严家团村八组"),
    # villages whose names end in 农 or 乡 keep their town (a review's cases)
    ("L12市黔城镇水乡村三组的路坏了。", "黔城镇水乡村三组"),
    ("L12市黔城镇兴农村三组的路坏了。", "黔城镇兴农村三组"),
    ("K3县茅市镇新乡村的路坏了。", "茅市镇新乡村"),
])
def test_a_chain_of_units_keeps_its_town(enricher: Enricher, text: str, place: str) -> None:
    assert place in names(enricher, text)


@pytest.mark.parametrize("text", ["我们村的自然资源被破坏了。", "关于K3县农业农村发展的建议。"])
def test_the_fields_alone_name_no_body(enricher: Enricher, text: str) -> None:
    assert not [n for n in names(enricher, text) if n.endswith(("资源", "农村"))]


@pytest.mark.parametrize(("text", "place"), [
    ("K3县住建局局长不作为，对举报一直不予答复。", "K3县住建局"),  # jieba's 局局长 gave the junk 建局局长
    ("K3县自然资源局局长不作为。", "K3县自然资源局"),
])
def test_an_office_before_its_heads_title(enricher: Enricher, text: str, place: str) -> None:
    found = names(enricher, text)
    assert place in found
    assert not [n for n in found if n.endswith("局长")]


def test_the_place_readers_cut_an_office_off_its_heads_title() -> None:
    from nlp.segment import default_segmenter

    text = "住建局局长不作为"
    assert text.index("局长") in default_segmenter().boundaries(text)
