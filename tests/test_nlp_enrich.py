"""The one entry point: every enrichment field of core.Post, batched; stored through a real SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core import Config, PlaceLevel, Post, SentimentLabel, Severity
from nlp import enrich
from nlp.dedupe import NearDuplicateIndex
from nlp.enrich import Enricher, enricher_for

TEXT = "大场镇沪太路与场中路路口的店招松动了，随时会掉下来砸到人，打了12345也没人管！"


def post(native: str, text: str, **kw) -> Post:
    return Post.new("weibo", native, text=text, published_at=datetime(2026, 11, 1, tzinfo=UTC), **kw)


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return enricher_for(Config())


def test_every_field_is_filled(enricher: Enricher) -> None:
    [p] = enricher.enrich([post("1", TEXT)])
    assert "沪太路" in p.tokens and "店招" in p.tokens
    assert p.keywords and p.keywords[0] == "沪太路场中路路口"
    assert p.topic == "shop_signs" and p.topic_scores["shop_signs"] == max(p.topic_scores.values())
    assert 0 <= p.sentiment < 0.4 and p.sentiment_label is SentimentLabel.NEGATIVE
    assert p.is_complaint and p.severity is Severity.URGENT
    assert p.places[0].id == "dc-x-hutai-changzhong" and p.places[0].level is PlaceLevel.CROSSING
    assert p.places[0].grid and p.places[0].department
    assert "dachang" in [pl.id for pl in p.places]
    assert len(p.simhash) == 16 and int(p.simhash, 16) >= 0
    assert p.cluster_id == p.id
    Post.model_validate(p.model_dump())  # still a valid post


def test_praise_and_everyday_posts(enricher: Enricher) -> None:
    praise, chat = enricher.enrich([post("2", "场中路的垃圾终于清理干净了，为环卫师傅点赞！"),
                                     post("3", "今天天气真好，出去走走")])
    assert praise.topic == "sanitation" and not praise.is_complaint
    assert praise.sentiment_label is SentimentLabel.POSITIVE
    assert chat.topic == "other" and not chat.is_complaint and chat.places == []


def test_title_and_region_are_used(enricher: Enricher) -> None:
    [p] = enricher.enrich([post("4", "垃圾堆了一周没人清", title="嘉华苑门口", region="dachang")])
    assert p.places[0].id == "dc-xq-jiahuayuan" and p.topic == "sanitation"


def test_near_duplicate_index_sets_cluster(enricher: Enricher) -> None:
    idx = NearDuplicateIndex()
    a, b, c = enricher.enrich([post("5", TEXT), post("6", "转发微博 " + TEXT), post("7", "行知公园的月季开了")],
                              index=idx)
    assert a.cluster_id == a.id and b.cluster_id == a.id and c.cluster_id == c.id


def test_module_level_enrich_reuses_models() -> None:
    assert enricher_for(None) is enricher_for(Config())
    out = enrich([post("8", "半夜施工吵得睡不着")])
    assert out[0].topic == "noise" and enrich([]) == []


def test_custom_gazetteer_and_user_dict(tmp_path: Path) -> None:
    gaz = tmp_path / "g.yaml"
    gaz.write_text("meta: {name: 甲镇}\nplaces:\n  - {id: t, name: 甲镇, level: town}\n"
                   "  - {id: r, name: 幸福大道, level: road, parent: t, grid: G1, department: 城管}\n",
                   encoding="utf-8")
    words = tmp_path / "w.txt"
    words.write_text("# 自定义\n甲镇特产\n", encoding="utf-8")
    cfg = Config.model_validate({"nlp": {"gazetteer": str(gaz), "user_dicts": [str(words)]}})
    e = Enricher.from_config(cfg)
    [p] = e.enrich([post("9", "甲镇幸福大道上垃圾没人管，甲镇特产")])
    assert [pl.id for pl in p.places] == ["r", "t"] and p.places[0].grid == "G1"
    assert "甲镇特产" in p.tokens


def test_enriched_posts_are_stored_and_searchable(enricher: Enricher, tmp_path: Path) -> None:
    from storage.base import PostQuery
    from storage.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "y.db")
    store.init()
    try:
        store.upsert_posts(enricher.enrich([post("10", TEXT), post("11", "今天天气真好")]))
        res = store.search(PostQuery(topics=("shop_signs",), place_ids=("dc-x-hutai-changzhong",)))
        assert [h.post.native_id for h in res.hits] == ["10"]
        assert store.search(PostQuery(text="店招")).hits
    finally:
        store.close()
