"""The Elasticsearch backend: the scale-out engine behind the same Store interface.

Stays inside what the minimal 8.19 distribution supports (no Painless, no
update/delete-by-query, no ``_reindex``, no ``GET /``), so the same code runs on
the test node and on production clusters:

* posts live in monthly indices ``<prefix>-posts-v<N>-YYYY.MM`` (Asia/Shanghai
  month of first publication) behind the read alias ``<prefix>-posts``; an
  upsert reads the stored document (realtime ``mget`` on its month, then the
  alias), merges in Python and writes back with ``if_seq_no`` / ``create``, so
  concurrent writers never lose a review or duplicate a post;
* cases, outbox and source state are single indices behind aliases, written
  with external versioning on the record's ``version`` (optimistic concurrency);
* Chinese: jieba tokens in a whitespace-analysed field, raw text in a
  standard-analysed field as the recall backstop (see ``index_mappings/``).
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from elasticsearch import ApiError, ConflictError, Elasticsearch, NotFoundError, TransportError, helpers

from core import (
    Case,
    CaseEvent,
    Conflict,
    NotFound,
    OutboxItem,
    OutboxStatus,
    Post,
    Review,
    SourceState,
    StoreError,
    StoreUnavailable,
    utcnow,
)
from core.config import ElasticsearchConfig
from index_mappings import load_mapping
from nlp import Segmenter, default_segmenter
from storage.base import (
    CaseList,
    CaseQuery,
    CountRow,
    HistogramBucket,
    Hit,
    PostQuery,
    SearchResult,
    Store,
    TermField,
    UpsertReport,
)
from storage.docs import filter_fields, highlight, merge_post, month_suffix, query_terms, searchable_text
from storage.es_admin import IndexAdmin

F = TypeVar("F", bound=Callable[..., Any])

_TERM_FIELDS = {
    "source": "source",
    "topic": "f.topic",
    "place": "f.place_ids",
    "sentiment_label": "f.sentiment_label",
    "review_status": "f.review_status",
    "severity": "f.severity",
    "is_complaint": "f.is_complaint",
}
_TZ = "+08:00"
_MAX_RETRIES = 8  # rounds of read-merge-write when concurrent writers touch the same document


def _translate_errors(method: F) -> F:
    """Turn transport failures into one-line :class:`StoreUnavailable` errors naming the URL."""

    @functools.wraps(method)
    def wrapper(self: ElasticStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (Conflict, NotFound, StoreError):
            raise
        except TransportError as exc:
            raise StoreUnavailable(f"Elasticsearch at {self.url} is unreachable: {exc.message}") from None
        except ApiError as exc:
            raise StoreError(f"Elasticsearch at {self.url} refused {method.__name__}: {_reason(exc)}") from None

    return wrapper  # type: ignore[return-value]


def _reason(exc: ApiError) -> str:
    """The root cause Elasticsearch gave, in one line."""
    body = exc.body if isinstance(exc.body, dict) else {}
    err = body.get("error")
    if isinstance(err, dict):
        while isinstance(err.get("caused_by"), dict):
            err = err["caused_by"]
        return f"{err.get('type')}: {err.get('reason')}"
    return str(exc.message)


class ElasticStore(Store):
    """Posts, cases, outbox and source state in Elasticsearch 8."""

    backend = "elasticsearch"

    def __init__(self, config: ElasticsearchConfig, segmenter: Segmenter | None = None, *, check: bool = True,
                 progress: Callable[[str], None] | None = None) -> None:
        self.config = config
        self.url = ", ".join(config.hosts)
        self._seg = segmenter or default_segmenter()
        auth: dict[str, Any] = {}
        if config.api_key is not None:
            auth["api_key"] = config.api_key.get_secret_value()
        elif config.username and config.password is not None:
            auth["basic_auth"] = (config.username, config.password.get_secret_value())
        self.es = Elasticsearch(
            config.hosts,
            verify_certs=config.verify_certs,
            ca_certs=str(config.ca_certs) if config.ca_certs else None,
            request_timeout=config.request_timeout,
            retry_on_timeout=True,
            max_retries=2,
            **auth,
        )
        self.admin = IndexAdmin(self.es, config.index_prefix, progress)
        self.prefix = config.index_prefix
        self.posts_alias = self.admin.alias("posts")
        self._posts_version = load_mapping("posts")["version"]
        if check:
            self.health()

    # ---- lifecycle -------------------------------------------------------
    @_translate_errors
    def init(self) -> list[str]:
        """Install templates, indices and aliases (idempotent; migrates older mapping versions)."""
        return self.admin.install(rebuild_post=lambda src: self._doc(self._post_from(src)))

    @_translate_errors
    def health(self) -> dict[str, Any]:
        """Cluster health and the number of stored posts."""
        health = self.es.cluster.health(timeout="5s")
        info: dict[str, Any] = {"backend": self.backend, "url": self.url, "status": health["status"],
                                "cluster": health.get("cluster_name")}
        if self.es.indices.exists_alias(name=self.posts_alias):
            info["posts"] = self.es.count(index=self.posts_alias)["count"]
        return info

    @_translate_errors
    def refresh(self) -> None:
        """Make recent writes searchable."""
        self.es.indices.refresh(index=f"{self.prefix}-*", ignore_unavailable=True, allow_no_indices=True)

    def close(self) -> None:
        """Close the client's connections."""
        self.es.close()

    # ---- posts: writing --------------------------------------------------
    def _month_index(self, post: Post) -> str:
        return f"{self.prefix}-posts-v{self._posts_version}-{month_suffix(post.published_at)}"

    def _doc(self, post: Post) -> dict[str, Any]:
        doc = post.model_dump(mode="json")
        f = filter_fields(post)
        f.pop("source")
        f.pop("published_ts")
        doc["f"] = f
        text = searchable_text(post)
        doc["search_words"] = " ".join(w.lower() for w in self._seg.cut_for_index(text))
        doc["search_text"] = text
        return doc

    @staticmethod
    def _post_from(source: dict[str, Any]) -> Post:
        data = {k: v for k, v in source.items() if k not in ("f", "search_words", "search_text")}
        return Post.model_validate(data)

    def _locate(self, ids: list[str], month_index: dict[str, str], *, refresh_on_miss: bool = False
                ) -> dict[str, dict[str, Any]]:
        """Stored copies of these posts: {id: {_index, _seq_no, _primary_term, _source}}."""
        found: dict[str, dict[str, Any]] = {}
        if month_index:
            docs = [{"_index": month_index[i], "_id": i} for i in ids if i in month_index]
            resp = self.es.options(ignore_status=404).mget(docs=docs)
            for d in resp.get("docs", []):
                if d.get("found"):
                    found[d["_id"]] = d
        missing = [i for i in ids if i not in found]
        for attempt in range(2 if refresh_on_miss else 1):
            if not missing:
                break
            if attempt == 1:
                self.refresh()
            resp = self.es.options(ignore_status=404).search(
                index=self.posts_alias, query={"ids": {"values": missing}}, size=len(missing),
                seq_no_primary_term=True, ignore_unavailable=True, allow_no_indices=True,
            )
            for h in resp.get("hits", {}).get("hits", []):
                found[h["_id"]] = h
            missing = [i for i in ids if i not in found]
        return found

    @_translate_errors
    def upsert_posts(self, posts: Iterable[Post], *, refresh: bool = False) -> UpsertReport:
        """Insert or update posts by id, merged with the stored copy; per-document errors reported."""
        batch = list(posts)
        created = updated = 0
        failed: list[tuple[str, str]] = []
        chunk_size = self.config.bulk_chunk
        for start in range(0, len(batch), chunk_size):
            c, u, f = self._upsert_chunk(batch[start : start + chunk_size])
            created, updated = created + c, updated + u
            failed.extend(f)
        if refresh:
            self.refresh()
        return UpsertReport(created=created, updated=updated, failed=failed)

    def _upsert_chunk(self, chunk: list[Post]) -> tuple[int, int, list[tuple[str, str]]]:
        # Several copies of one post in a chunk fold into one write, but count as writes each.
        order: dict[str, list[Post]] = {}
        for p in chunk:
            order.setdefault(p.id, []).append(p)
        pending = list(order)
        created = updated = 0
        failed: list[tuple[str, str]] = []
        for _attempt in range(_MAX_RETRIES):
            if not pending:
                break
            stored = self._locate(pending, {i: self._month_index(order[i][0]) for i in pending})
            actions = []
            for pid in pending:
                hit = stored.get(pid)
                merged = self._post_from(hit["_source"]) if hit else None
                for p in order[pid]:
                    merged = merge_post(merged, p)
                assert merged is not None
                action: dict[str, Any] = {"_id": pid, "_source": self._doc(merged)}
                if hit:
                    action.update(_op_type="index", _index=hit["_index"], if_seq_no=hit["_seq_no"],
                                  if_primary_term=hit["_primary_term"])
                else:
                    action.update(_op_type="create", _index=self._month_index(merged))
                actions.append(action)
            retry: list[str] = []
            for ok, item in helpers.streaming_bulk(self.es, actions, raise_on_error=False,
                                                  raise_on_exception=False, max_retries=2,
                                                  chunk_size=len(actions)):
                op, info = next(iter(item.items()))
                pid = info.get("_id")
                n = len(order.get(pid, [None]))
                if ok:
                    if op == "create":
                        created += 1
                        updated += n - 1
                    else:
                        updated += n
                elif info.get("status") == 409:
                    retry.append(pid)  # someone wrote first: read again and merge again
                else:
                    err = info.get("error")
                    reason = err.get("reason", str(err)) if isinstance(err, dict) else str(err)
                    failed.extend((pid, f"HTTP {info.get('status')}: {reason}") for _ in range(n))
            pending = retry
            if pending:
                time.sleep(random.uniform(0.01, 0.05) * (_attempt + 1))
        failed.extend((pid, "gave up after repeated concurrent-write conflicts")
                      for pid in pending for _ in order[pid])
        return created, updated, failed

    def _rewrite_post(self, post_id: str, change: Callable[[Post], Post]) -> Post:
        for _attempt in range(_MAX_RETRIES):
            hit = self._locate([post_id], {}, refresh_on_miss=True).get(post_id)
            if hit is None:
                raise NotFound(f"no post {post_id}")
            post = change(self._post_from(hit["_source"]))
            try:
                self.es.index(index=hit["_index"], id=post_id, document=self._doc(post),
                              if_seq_no=hit["_seq_no"], if_primary_term=hit["_primary_term"], refresh=True)
            except ConflictError:
                time.sleep(random.uniform(0.01, 0.05) * (_attempt + 1))
                continue
            return post
        raise Conflict(f"post {post_id} keeps changing; try again")

    @_translate_errors
    def review_post(self, post_id: str, review: Review) -> Post:
        """Record a reviewer's verdict."""
        return self._rewrite_post(post_id, lambda p: p.model_copy(update={"review": review}))

    @_translate_errors
    def link_posts_to_case(self, post_ids: Iterable[str], case_id: str | None) -> int:
        """Set or clear the case of these posts."""
        n = 0
        for pid in dict.fromkeys(post_ids):
            try:
                self._rewrite_post(pid, lambda p: p.model_copy(update={"case_id": case_id}))
            except NotFound:
                continue
            n += 1
        return n

    # ---- posts: reading --------------------------------------------------
    @_translate_errors
    def get_post(self, post_id: str) -> Post | None:
        """The post with this id, or None."""
        hit = self._locate([post_id], {}).get(post_id)
        return self._post_from(hit["_source"]) if hit else None

    @_translate_errors
    def get_posts(self, post_ids: Iterable[str]) -> list[Post]:
        """The posts with these ids that exist, in the order asked."""
        ids = list(dict.fromkeys(post_ids))
        found: dict[str, Post] = {}
        for i in range(0, len(ids), 1000):
            part = ids[i : i + 1000]
            for pid, hit in self._locate(part, {}).items():
                found[pid] = self._post_from(hit["_source"])
        return [found[i] for i in ids if i in found]

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
                            ("f.severity", q.severities)):
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

    @_translate_errors
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
        hits = []
        for h in resp["hits"]["hits"]:
            post = self._post_from(h["_source"])
            marks = highlight(searchable_text(post), terms) if query.highlight and terms else ()
            score = h.get("_score") if sort == "relevance" else None
            hits.append(Hit(post=post, score=score, highlights=marks))
        return SearchResult(total=resp["hits"]["total"]["value"], hits=hits)

    @_translate_errors
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
            hits = resp["hits"]["hits"]
            if not hits:
                return
            for h in hits:
                yield self._post_from(h["_source"])
            after = hits[-1]["sort"]

    # ---- aggregations ----------------------------------------------------
    @_translate_errors
    def complaint_counts(
        self, since: datetime, until: datetime, bucket: timedelta, *, by_topic: bool = True
    ) -> list[CountRow]:
        """Distinct complaints per place (× topic) per bucket, via a paginated composite aggregation."""
        sources: list[dict[str, Any]] = [{"place": {"terms": {"field": "f.place_ids"}}}]
        if by_topic:
            sources.append({"topic": {"terms": {"field": "f.topic", "missing_bucket": True}}})
        sources.append({"bucket": {"date_histogram": {
            "field": "published_at", "fixed_interval": f"{int(bucket.total_seconds())}s", "time_zone": _TZ}}})
        query = {"bool": {"filter": [{"term": {"f.is_complaint": True}},
                                     {"range": {"published_at": {"gte": since.isoformat(),
                                                                 "lt": until.isoformat()}}}]}}
        rows: list[CountRow] = []
        after: dict[str, Any] | None = None
        while True:
            composite: dict[str, Any] = {"size": 5000, "sources": sources}
            if after:
                composite["after"] = after
            resp = self.es.search(
                index=self.posts_alias, query=query, size=0, ignore_unavailable=True, allow_no_indices=True,
                aggs={"c": {"composite": composite,
                            "aggs": {"n": {"cardinality": {"field": "f.dedupe_key", "precision_threshold": 40000}}}}},
            )
            agg = resp.get("aggregations", {}).get("c")
            if not agg or not agg["buckets"]:
                break
            for b in agg["buckets"]:
                key = b["key"]
                rows.append(CountRow(place_id=key["place"], topic=key.get("topic"),
                                     bucket=datetime.fromtimestamp(key["bucket"] / 1000, UTC), count=b["n"]["value"]))
            after = agg.get("after_key")
            if not after:
                break
        rows.sort(key=lambda r: (r.bucket, r.place_id, r.topic or ""))
        return rows

    @_translate_errors
    def histogram(
        self, query: PostQuery, interval: timedelta, *, split_by: TermField | None = None
    ) -> list[HistogramBucket]:
        """Posts per bucket, optionally split by a field."""
        es_query, _terms = self._query(query)
        hist: dict[str, Any] = {"date_histogram": {"field": "published_at",
                                                   "fixed_interval": f"{int(interval.total_seconds())}s",
                                                   "time_zone": _TZ, "min_doc_count": 1}}
        if split_by is not None:
            hist["aggs"] = {"s": {"terms": {"field": _TERM_FIELDS[split_by], "size": 200}}}
        resp = self.es.search(index=self.posts_alias, query=es_query, size=0, aggs={"h": hist},
                              ignore_unavailable=True, allow_no_indices=True)
        out = []
        for b in resp.get("aggregations", {}).get("h", {}).get("buckets", []):
            split = {}
            if split_by is not None:
                split = {str(s.get("key_as_string", s["key"])): s["doc_count"] for s in b["s"]["buckets"]}
            out.append(HistogramBucket(start=datetime.fromtimestamp(b["key"] / 1000, UTC), total=b["doc_count"],
                                       split=split))
        return out

    @_translate_errors
    def terms(self, query: PostQuery, term_field: TermField, size: int = 10) -> list[tuple[str, int]]:
        """The most frequent values of a field among matching posts."""
        es_query, _terms = self._query(query)
        resp = self.es.search(
            index=self.posts_alias, query=es_query, size=0, ignore_unavailable=True, allow_no_indices=True,
            aggs={"t": {"terms": {"field": _TERM_FIELDS[term_field], "size": size,
                                  "order": [{"_count": "desc"}, {"_key": "asc"}]}}},
        )
        buckets = resp.get("aggregations", {}).get("t", {}).get("buckets", [])
        return [(str(b.get("key_as_string", b["key"])), b["doc_count"]) for b in buckets]

    # ---- versioned single-index records (cases, outbox, source state) ----
    def _put(self, kind: str, doc_id: str, body: dict[str, Any], version: int, *, refresh: bool = True) -> None:
        """Write with external versioning: fails with Conflict unless the stored version is below ``version``."""
        try:
            self.es.index(index=self.admin.alias(kind), id=doc_id, document=body, version=version,
                          version_type="external", refresh=refresh)
        except ConflictError:
            raise Conflict(f"{kind} record {doc_id} was changed by someone else") from None

    def _get(self, kind: str, doc_id: str) -> dict[str, Any] | None:
        try:
            return self.es.get(index=self.admin.alias(kind), id=doc_id)["_source"]
        except NotFoundError:
            return None

    def _find(self, kind: str, query: dict[str, Any], sort: list[dict[str, Any]], size: int,
              offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        resp = self.es.search(index=self.admin.alias(kind), query=query, sort=sort, size=size, from_=offset,
                              track_total_hits=True)
        return resp["hits"]["total"]["value"], [h["_source"] for h in resp["hits"]["hits"]]

    # ---- cases -----------------------------------------------------------
    @_translate_errors
    def create_case(self, case: Case) -> Case:
        """Store a new case; Conflict if the id exists."""
        stored = case.model_copy(update={"version": 1, "updated_at": utcnow()})
        try:
            self._put("cases", case.id, stored.model_dump(mode="json"), 1)
        except Conflict:
            raise Conflict(f"case {case.id} exists already") from None
        return stored

    @_translate_errors
    def get_case(self, case_id: str) -> Case | None:
        """The case with this id, or None."""
        doc = self._get("cases", case_id)
        return Case.model_validate(doc) if doc else None

    @_translate_errors
    def list_cases(self, query: CaseQuery) -> CaseList:
        """Cases matching the filter, newest first."""
        flt: list[dict[str, Any]] = []
        if query.statuses:
            flt.append({"terms": {"status": [s.value for s in query.statuses]}})
        must_not = [{"term": {"status": "closed"}}] if query.open_only else []
        for fld, value in (("department", query.department), ("place.id", query.place_id),
                           ("topic", query.topic), ("key", query.key)):
            if value is not None:
                flt.append({"term": {fld: value}})
        if query.due_before is not None:
            flt.append({"range": {"due_at": {"lt": query.due_before.isoformat()}}})
        total, docs = self._find("cases", {"bool": {"filter": flt, "must_not": must_not}},
                                 [{"opened_at": "desc"}, {"id": "desc"}], query.limit, query.offset)
        return CaseList(total=total, items=[Case.model_validate(d) for d in docs])

    @_translate_errors
    def update_case(self, case: Case, event: CaseEvent | None = None) -> Case:
        """Write a changed case (optimistic concurrency on its version)."""
        history = [*case.history, event] if event is not None else case.history
        stored = case.model_copy(update={"version": case.version + 1, "updated_at": utcnow(), "history": history})
        current = self._get("cases", case.id)
        if current is None:
            raise NotFound(f"no case {case.id}")
        if current.get("version") != case.version:
            raise Conflict(f"case {case.id} was changed by someone else (expected version {case.version})")
        self._put("cases", case.id, stored.model_dump(mode="json"), stored.version)
        return stored

    @_translate_errors
    def open_case_for_key(self, key: str) -> Case | None:
        """The newest case for this key that is not closed."""
        _total, docs = self._find("cases", {"bool": {"filter": [{"term": {"key": key}}],
                                                      "must_not": [{"term": {"status": "closed"}}]}},
                                  [{"opened_at": "desc"}, {"id": "desc"}], 1)
        return Case.model_validate(docs[0]) if docs else None

    # ---- outbox ----------------------------------------------------------
    @_translate_errors
    def enqueue(self, item: OutboxItem) -> bool:
        """Add a delivery unless one with the same id exists."""
        try:
            self._put("outbox", item.id, item.model_copy(update={"version": 1}).model_dump(mode="json"), 1)
        except Conflict:
            return False
        return True

    @_translate_errors
    def get_outbox_item(self, item_id: str) -> OutboxItem | None:
        """The item with this id, or None."""
        doc = self._get("outbox", item_id)
        return OutboxItem.model_validate(doc) if doc else None

    @_translate_errors
    def claim_due(self, now: datetime, owner: str, lease: timedelta, limit: int = 20) -> list[OutboxItem]:
        """Lease due pending items; an item another worker leased first is skipped."""
        query = {"bool": {
            "filter": [{"term": {"status": "pending"}}, {"range": {"next_try_at": {"lte": now.isoformat()}}}],
            "should": [{"bool": {"must_not": {"exists": {"field": "lease_until"}}}},
                       {"range": {"lease_until": {"lte": now.isoformat()}}}],
            "minimum_should_match": 1,
        }}
        _total, docs = self._find("outbox", query, [{"next_try_at": "asc"}, {"created_at": "asc"}], limit)
        claimed = []
        for doc in docs:
            item = OutboxItem.model_validate(doc)
            leased = item.model_copy(update={"lease_owner": owner, "lease_until": now + lease,
                                             "version": item.version + 1})
            try:
                self._put("outbox", item.id, leased.model_dump(mode="json"), leased.version, refresh=False)
            except Conflict:
                continue
            claimed.append(leased)
        if claimed:
            self.es.indices.refresh(index=self.admin.alias("outbox"))
        return claimed

    @_translate_errors
    def save_outbox_item(self, item: OutboxItem) -> OutboxItem:
        """Write an item after an attempt."""
        stored = item.model_copy(update={"version": item.version + 1})
        current = self._get("outbox", item.id)
        if current is None or current.get("version") != item.version:
            raise Conflict(f"outbox item {item.id} was changed by someone else")
        self._put("outbox", item.id, stored.model_dump(mode="json"), stored.version)
        return stored

    @_translate_errors
    def outbox_stats(self, now: datetime) -> dict[str, Any]:
        """Counts by status and the oldest pending item's age."""
        resp = self.es.search(
            index=self.admin.alias("outbox"), size=0,
            aggs={"s": {"terms": {"field": "status", "size": 10}},
                  "p": {"filter": {"term": {"status": "pending"}}, "aggs": {"o": {"min": {"field": "created_at"}}}}},
        )
        counts = {s.value: 0 for s in OutboxStatus}
        for b in resp["aggregations"]["s"]["buckets"]:
            counts[b["key"]] = b["doc_count"]
        oldest = resp["aggregations"]["p"]["o"].get("value")
        lag = max(0.0, now.timestamp() - oldest / 1000) if oldest is not None else 0.0
        return {**counts, "oldest_pending_age_s": lag}

    # ---- source state ----------------------------------------------------
    @_translate_errors
    def get_source_state(self, name: str) -> SourceState | None:
        """One source's state."""
        doc = self._get("sources", name)
        return SourceState.model_validate(doc) if doc else None

    @_translate_errors
    def save_source_state(self, state: SourceState) -> SourceState:
        """Write a state read at its version (0 creates)."""
        stored = state.model_copy(update={"version": state.version + 1, "updated_at": utcnow()})
        if state.version > 0:
            current = self._get("sources", state.name)
            if current is None or current.get("version") != state.version:
                raise Conflict(f"source state {state.name} was changed by someone else")
        self._put("sources", state.name, stored.model_dump(mode="json"), stored.version)
        return stored

    @_translate_errors
    def list_source_states(self) -> list[SourceState]:
        """Every source's state, by name."""
        _total, docs = self._find("sources", {"match_all": {}}, [{"name": "asc"}], 10000)
        return [SourceState.model_validate(d) for d in docs]
