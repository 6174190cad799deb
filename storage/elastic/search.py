"""Searching posts in Elasticsearch: full text with filters, iteration, histogram and terms."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from core import Post
from storage.base import HistogramBucket, Hit, PostQuery, SearchResult, TermField
from storage.docs import highlight, query_terms, searchable_text
from storage.elastic.base import TZ, ElasticBase
from storage.elastic.errors import translate_errors, translate_iter_errors

_TERM_FIELDS = {
    "source": "source",
    "topic": "f.topic",
    "place": "f.place_ids",
    "sentiment_label": "f.sentiment_label",
    "review_status": "f.review_status",
    "severity": "f.severity",
    "is_complaint": "f.is_complaint",
    "message_type": "f.message_type",
}


class ElasticPostSearch(ElasticBase):
    """Full-text search, export iteration and the charts' aggregations over the posts alias."""

    def _filters(self, q: PostQuery) -> list[dict[str, Any]]:
        flt: list[dict[str, Any]] = []
        rng: dict[str, str] = {}
        if q.since is not None:
            rng["gte"] = q.since.isoformat()
        if q.until is not None:
            rng["lt"] = q.until.isoformat()
        if rng:
            flt.append({"range": {"published_at": rng}})
        if q.sources:
            exact = [s for s in q.sources if not s.endswith("*")]
            should: list[dict[str, Any]] = [{"prefix": {"source": s[:-1]}} for s in q.sources if s.endswith("*")]
            if exact:
                should.append({"terms": {"source": exact}})
            flt.append({"bool": {"should": should, "minimum_should_match": 1}})
        for fld, values in (("f.topic", q.topics), ("f.place_ids", q.place_ids),
                            ("f.sentiment_label", q.sentiment_labels), ("f.review_status", q.review_statuses),
                            ("f.severity", q.severities), ("f.message_type", q.message_types)):
            if values:
                flt.append({"terms": {fld: list(values)}})
        if q.is_complaint is not None:
            flt.append({"term": {"f.is_complaint": q.is_complaint}})
        if q.case_id is not None:
            flt.append({"term": {"f.case_id": q.case_id}})
        return flt

    def _query(self, q: PostQuery) -> tuple[dict[str, Any], list[str]]:
        terms = query_terms(q.text, self._seg.cut)
        must: list[dict[str, Any]] = [
            {"bool": {"should": [{"match": {"search_words": {"query": t, "operator": "and"}}},
                                 {"match_phrase": {"search_text": t}}],
                      "minimum_should_match": 1}}
            for t in terms
        ]
        if q.text is not None and q.text.strip() and not terms:
            must = [{"match_none": {}}]
        return {"bool": {"must": must, "filter": self._filters(q)}}, terms

    @translate_errors
    def search(self, query: PostQuery) -> SearchResult:
        """Full-text search with filters, sort, pagination and highlights."""
        es_query, terms = self._query(query)
        sort = query.sort
        if sort == "auto" or (sort == "relevance" and not terms):
            sort = "relevance" if terms else "newest"
        tie = [{"published_at": "desc"}, {"id": "desc"}]
        sort_spec = {
            "relevance": [{"_score": "desc"}, *tie],
            "newest": tie,
            "oldest": [{"published_at": "asc"}, {"id": "asc"}],
            "severity": [{"f.severity_rank": "desc"}, *tie],
            "engagement": [{"f.engagement": "desc"}, *tie],
        }[sort]
        resp = self.es.search(index=self.posts_alias, query=es_query, sort=sort_spec, from_=query.offset,
                              size=query.limit, track_total_hits=True, track_scores=sort == "relevance",
                              ignore_unavailable=True, allow_no_indices=True,
                              source_excludes=["search_words", "search_text", "f"])
        self._check_shards(resp, "search", strict=False)
        hits = []
        for h in resp["hits"]["hits"]:
            post = self._post_from(h["_source"])
            marks = highlight(searchable_text(post), terms) if query.highlight and terms else ()
            score = h.get("_score") if sort == "relevance" else None
            hits.append(Hit(post=post, score=score, highlights=marks))
        return SearchResult(total=resp["hits"]["total"]["value"], hits=hits)

    @translate_iter_errors
    def iter_posts(self, query: PostQuery, batch: int = 1000) -> Iterator[Post]:
        """Every matching post, oldest first, paged with search_after."""
        es_query, _terms = self._query(query)
        after: list[Any] | None = None
        while True:
            kwargs: dict[str, Any] = {"search_after": after} if after else {}
            resp = self.es.search(index=self.posts_alias, query=es_query, size=batch,
                                  sort=[{"published_at": "asc"}, {"id": "asc"}], ignore_unavailable=True,
                                  allow_no_indices=True, source_excludes=["search_words", "search_text", "f"],
                                  **kwargs)
            self._check_shards(resp, "iter_posts", strict=True)
            hits = resp["hits"]["hits"]
            if not hits:
                return
            for h in hits:
                yield self._post_from(h["_source"])
            after = hits[-1]["sort"]

    @translate_errors
    def histogram(
        self, query: PostQuery, interval: timedelta, *, split_by: TermField | None = None
    ) -> list[HistogramBucket]:
        """Posts per bucket, optionally split by a field."""
        es_query, _terms = self._query(query)
        hist: dict[str, Any] = {"date_histogram": {"field": "published_at",
                                                   "fixed_interval": f"{int(interval.total_seconds())}s",
                                                   "time_zone": TZ, "min_doc_count": 1}}
        if split_by is not None:
            hist["aggs"] = {"s": {"terms": {"field": _TERM_FIELDS[split_by], "size": 200}}}
        resp = self.es.search(index=self.posts_alias, query=es_query, size=0, aggs={"h": hist},
                              ignore_unavailable=True, allow_no_indices=True)
        self._check_shards(resp, "histogram", strict=False)
        out = []
        for b in resp.get("aggregations", {}).get("h", {}).get("buckets", []):
            split = {}
            if split_by is not None:
                split = {str(s.get("key_as_string", s["key"])): s["doc_count"] for s in b["s"]["buckets"]}
            out.append(HistogramBucket(start=datetime.fromtimestamp(b["key"] / 1000, UTC), total=b["doc_count"],
                                       split=split))
        return out

    @translate_errors
    def terms(self, query: PostQuery, term_field: TermField, size: int = 10) -> list[tuple[str, int]]:
        """The most frequent values of a field among matching posts."""
        es_query, _terms = self._query(query)
        resp = self.es.search(
            index=self.posts_alias, query=es_query, size=0, ignore_unavailable=True, allow_no_indices=True,
            aggs={"t": {"terms": {"field": _TERM_FIELDS[term_field], "size": size,
                                  "order": [{"_count": "desc"}, {"_key": "asc"}]}}},
        )
        self._check_shards(resp, "terms", strict=False)
        buckets = resp.get("aggregations", {}).get("t", {}).get("buckets", [])
        return [(str(b.get("key_as_string", b["key"])), b["doc_count"]) for b in buckets]
