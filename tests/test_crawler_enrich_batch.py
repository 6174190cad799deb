"""EnrichPipeline.enrich: a batch that fails is enriched one post at a time, and a post that still fails is kept
unenriched and counted — enrichment never loses a post, and says so in one line."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime
from types import SimpleNamespace

from core import Post
from crawler.pipelines import EnrichPipeline

T = datetime(2026, 11, 6, 2, 30, tzinfo=UTC)


class Stats(Counter):
    def inc_value(self, key: str, count: int = 1) -> None:
        self[key] += count


class Enricher:
    """Tags each post's topic; fails on any call that holds a post whose text says 坏."""

    calls: list[int]

    def __init__(self) -> None:
        self.calls = []

    def enrich(self, posts: list[Post]) -> list[Post]:
        self.calls.append(len(posts))
        if any("坏" in p.text for p in posts):
            raise ValueError("model failed")
        return [p.model_copy(update={"topic": "sanitation"}) for p in posts]


def pipeline() -> EnrichPipeline:
    crawler = SimpleNamespace(stats=Stats(), spider=SimpleNamespace(ctx=SimpleNamespace(near_index=None)))
    p = EnrichPipeline(crawler)
    p.enricher = Enricher()
    return p


def posts(*texts: str) -> list[Post]:
    return [Post.new("weibo", str(i), text=t, published_at=T) for i, t in enumerate(texts)]


def test_a_good_batch_is_one_call() -> None:
    p = pipeline()
    out = p.enrich(posts("垃圾没人管", "路灯不亮"))
    assert [x.topic for x in out] == ["sanitation", "sanitation"] and p.enricher.calls == [2]


def test_a_failing_batch_falls_back_to_one_post_at_a_time_and_loses_nothing(caplog) -> None:
    p = pipeline()
    batch = posts("垃圾没人管", "这条坏了", "路灯不亮")
    with caplog.at_level(logging.WARNING, logger="crawler.pipelines"):
        out = p.enrich(batch)
    assert [x.id for x in out] == [x.id for x in batch]  # every post, in order
    assert [x.topic for x in out] == ["sanitation", None, "sanitation"]  # the bad one kept unenriched
    assert p.enricher.calls == [3, 1, 1, 1]
    assert p.stats["yuqing/enrich_batch_failed"] == 1 and p.stats["yuqing/enrich_failed"] == 1
    lines = [r.getMessage() for r in caplog.records]
    assert any("batch of 3 posts" in line for line in lines) and any(batch[1].id in line for line in lines)
