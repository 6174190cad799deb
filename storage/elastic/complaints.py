"""The detection read in Elasticsearch: distinct complaints per place (× topic) per bucket, in slices."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

from storage.base import CountRow
from storage.docs import bucket_start
from storage.elastic.base import TZ, ElasticBase
from storage.elastic.errors import translate_errors

_COMPOSITE_PAGE = 10_000  # composite buckets per page (well under search.max_buckets)
_EXACT_UP_TO = 100  # cardinality threshold per count row: ~800 bytes a row, exact below it
_SLICE = timedelta(days=2)  # the detection read asks for slices of about this many whole buckets at once
_MAX_SLICES = 64
_SLICES_AT_ONCE = 2


class ElasticComplaintCounts(ElasticBase):
    """The detection read: distinct complaints per place (× topic) per time bucket."""

    @translate_errors
    def complaint_counts(
        self, since: datetime, until: datetime, bucket: timedelta, *, by_topic: bool = True
    ) -> list[CountRow]:
        """Distinct complaints per place (× topic) per bucket: hourly ones from the precomputed counts and the
        posts stored since their checkpoint (storage.elastic.counts), other buckets from the posts."""
        return self.counts.read(since, until, bucket, by_topic)

    def _direct_counts(self, since: datetime, until: datetime, bucket: timedelta, by_topic: bool = True
                       ) -> list[CountRow]:
        """Distinct complaints per place (× topic) per bucket, counted from the posts.

        The window is cut into slices of whole buckets (about two days each, at most 64), all asked at once
        in one ``_msearch``; each slice is a composite aggregation over (bucket, place[, topic]) whose rows
        count distinct ``dedupe_key`` with a small ``cardinality`` (exact up to ``_EXACT_UP_TO`` distinct
        complaints per row, barring a one-in-a-million hash collision). Every matching post is read once,
        and the node holds one page of small rows per slice: a 512 MB heap copes with a million posts (one
        composite over the whole window with a 40,000-threshold cardinality tripped the breaker at 10k).
        """
        step = int(bucket.total_seconds())
        sources: list[dict[str, Any]] = [
            {"bucket": {"date_histogram": {"field": "published_at", "fixed_interval": f"{step}s", "time_zone": TZ}}},
            {"place": {"terms": {"field": "f.place_ids"}}},
        ]
        if by_topic:
            sources.append({"topic": {"terms": {"field": "f.topic", "missing_bucket": True}}})
        slices = _slices(since, until, bucket)
        pending: dict[int, dict[str, Any] | None] = dict.fromkeys(range(len(slices)))
        rows: list[CountRow] = []
        while pending:
            searches: list[dict[str, Any]] = []
            for i, after in pending.items():
                lo, hi = slices[i]
                composite: dict[str, Any] = {"size": _COMPOSITE_PAGE, "sources": sources}
                if after:
                    composite["after"] = after
                searches += [
                    {"index": self.posts_alias, "ignore_unavailable": True, "allow_no_indices": True},
                    {"size": 0, "track_total_hits": False,
                     "query": {"bool": {"filter": [{"term": {"f.is_complaint": True}}, {"range": {"published_at": {
                         "gte": lo.isoformat(), "lt": hi.isoformat()}}}]}},
                     "aggs": {"c": {"composite": composite, "aggs": {"n": {"cardinality": {
                         "field": "f.dedupe_key", "precision_threshold": _EXACT_UP_TO}}}}}},
                ]
            # two slices at a time: all at once, the rows' cardinality cells (~3.5 KB each) of 1M posts
            # tripped the request breaker of a 512 MB node (92k rows ≈ 307 MB)
            answers = self.es.msearch(searches=searches, max_concurrent_searches=_SLICES_AT_ONCE)["responses"]
            following: dict[int, dict[str, Any] | None] = {}
            for i, resp in zip(pending, answers, strict=True):
                self._check_msearch(resp, "complaint_counts")
                agg = resp.get("aggregations", {}).get("c") or {"buckets": []}
                for b in agg["buckets"]:
                    k = b["key"]
                    rows.append(CountRow(place_id=k["place"], topic=k.get("topic"),
                                         bucket=datetime.fromtimestamp(k["bucket"] / 1000, UTC), count=b["n"]["value"]))
                if len(agg["buckets"]) >= _COMPOSITE_PAGE and agg.get("after_key"):
                    following[i] = agg["after_key"]
            pending = following
        rows.sort(key=lambda r: (r.bucket, r.place_id, r.topic or ""))
        return rows


def _slices(since: datetime, until: datetime, bucket: timedelta) -> list[tuple[datetime, datetime]]:
    """``[since, until)`` cut at bucket boundaries (Asia/Shanghai-aligned) into about ``_SLICE``-long slices,
    at most ``_MAX_SLICES``: no bucket is split between two slices."""
    if until <= since:
        return [(since, until)]
    total = (until - since) / bucket
    per = max(1, int(_SLICE / bucket), -(-int(total) // _MAX_SLICES))
    edges = [since]
    edge = bucket_start(since, bucket) + per * bucket
    while edge < until:
        edges.append(edge)
        edge += per * bucket
    edges.append(until)
    return list(pairwise(edges))
