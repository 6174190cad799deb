"""The contract of the aggregations of :class:`storage.PostStore`: complaint counts, histogram, terms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import PostQuery
from tests.storage_contract.posts import PostBinding
from tests.storage_contract.samples import T0


class PostCountsContract(PostBinding):
    """The detection read and the charts' aggregations."""

    def test_complaint_counts_merge_near_duplicates(self) -> None:
        self.load()
        rows = self.posts.complaint_counts(T0 - timedelta(days=1), T0 + timedelta(days=2), timedelta(days=1))
        day1 = datetime(2026, 11, 19, 16, 0, tzinfo=UTC)  # 2026-11-20 00:00 Shanghai
        got = {(r.place_id, r.topic, r.bucket): r.count for r in rows}
        assert got == {
            ("p-market", "sanitation", day1): 1,  # posts 1 and 2 are one cluster
            ("p-qilian", "shop_signs", day1): 1,
            ("p-market", "parking", day1 + timedelta(days=1)): 1,
            ("p-qilian", "parking", day1 + timedelta(days=1)): 1,
        }
        by_place = self.posts.complaint_counts(
            T0 - timedelta(days=1), T0 + timedelta(days=2), timedelta(days=1), by_topic=False)
        assert {(r.place_id, r.topic, r.bucket): r.count for r in by_place} == {
            ("p-market", None, day1): 1,
            ("p-qilian", None, day1): 1,
            ("p-market", None, day1 + timedelta(days=1)): 1,
            ("p-qilian", None, day1 + timedelta(days=1)): 1,
        }

    def test_complaint_counts_hourly_window(self) -> None:
        self.load()
        rows = self.posts.complaint_counts(T0, T0 + timedelta(hours=2), timedelta(hours=1))
        assert {(r.place_id, r.bucket, r.count) for r in rows} == {
            ("p-market", T0, 1), ("p-market", T0 + timedelta(hours=1), 1)}

    def test_histogram(self) -> None:
        self.load()
        buckets = self.posts.histogram(PostQuery(), timedelta(days=1), split_by="sentiment_label")
        assert [(b.start, b.total) for b in buckets] == [
            (datetime(2026, 11, 19, 16, tzinfo=UTC), 4), (datetime(2026, 11, 20, 16, tzinfo=UTC), 2)]
        assert buckets[0].split == {"negative": 3, "positive": 1}
        assert buckets[1].split == {"negative": 1}
        no_place = self.posts.histogram(PostQuery(sources=("wechat:news",)), timedelta(days=1), split_by="place")
        assert [(b.start, b.total, b.split) for b in no_place] == [(datetime(2026, 11, 20, 16, tzinfo=UTC), 1, {})]
        plain = self.posts.histogram(PostQuery(is_complaint=True), timedelta(hours=1))
        assert sum(b.total for b in plain) == 4 and plain[0].split == {}

    def test_terms(self) -> None:
        self.load()
        sources = dict(self.posts.terms(PostQuery(), "source", 10))
        assert sources == {"weibo": 2, "wechat:dachang": 1, "forum:baoshan": 1, "board:12345": 1, "wechat:news": 1}
        assert self.posts.terms(PostQuery(), "source", 1) == [("weibo", 2)]
        assert dict(self.posts.terms(PostQuery(), "place", 10)) == {"p-market": 3, "p-qilian": 2, "p-park": 1}
        assert dict(self.posts.terms(PostQuery(), "is_complaint")) == {"true": 4, "false": 2}
        assert dict(self.posts.terms(PostQuery(text="垃圾"), "topic")) == {"sanitation": 2}
