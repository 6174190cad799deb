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

import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from elasticsearch import ConflictError, Elasticsearch, helpers

from core import Conflict, NotFound, Post, Review, StoreError, StoreUnavailable, utcnow
from core.config import ElasticsearchConfig
from index_mappings import load_mapping
from nlp import Segmenter, default_segmenter
from storage.base import (
    CountRow,
    HistogramBucket,
    Hit,
    PostQuery,
    SearchResult,
    Store,
    TermField,
    UpsertReport,
)
from storage.docs import (
    bucket_start,
    filter_fields,
    highlight,
    merge_post,
    month_suffix,
    query_terms,
    searchable_text,
)
from storage.es_admin import IndexAdmin
from storage.es_errors import shard_failure_line, translate_errors, translate_iter_errors
from storage.es_records import ElasticRecords
from storage.words import IndexWords

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
log = logging.getLogger(__name__)

_TZ = "+08:00"
_MAX_RETRIES = 8  # rounds of read-merge-write when concurrent writers touch the same document
_COMPOSITE_PAGE = 10_000  # composite buckets per page (well under search.max_buckets)
_EXACT_UP_TO = 100  # cardinality threshold per count row: ~800 bytes a row, exact below it
_SLICE = timedelta(days=2)  # the detection read asks for slices of about this many whole buckets at once
_MAX_SLICES = 64
_SLICES_AT_ONCE = 2


class ElasticStore(ElasticRecords, Store):
    """Posts, cases, outbox and source state in Elasticsearch 8."""

    backend = "elasticsearch"

    def __init__(self, config: ElasticsearchConfig, segmenter: Segmenter | None = None, *, check: bool = True,
                 progress: Callable[[str], None] | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        self.config = config
        self._clock = clock  # "now" for the month `init` creates and for record timestamps
        self.url = ", ".join(_without_credentials(h) for h in config.hosts)
        self._seg = segmenter or default_segmenter()
        self._words = IndexWords(self._seg)
        auth: dict[str, Any] = {}
        if config.api_key is not None:
            auth["api_key"] = config.api_key.get_secret_value()
        elif config.username and config.password is not None:
            auth["basic_auth"] = (config.username, config.password.get_secret_value())
        try:
            self.es = self._client(config, auth)
        except ValueError as exc:  # e.g. a URL without a scheme
            raise StoreError(f"storage.elasticsearch.url {self.url!r} is not usable: {exc}") from None
        self.admin = IndexAdmin(self.es, config.index_prefix, progress)
        self.prefix = config.index_prefix
        self.posts_alias = self.admin.alias("posts")
        self._posts_version = load_mapping("posts")["version"]
        self._ready = False
        self.partial_reads = 0  # searches/aggregations some shards failed to answer (health() and /metrics)
        self.bulk_workers = 3  # chunks one upsert_posts call writes at once: 2 per data node + 1 (health())
        if check:
            self.health()

    @staticmethod
    def _client(config: ElasticsearchConfig, auth: dict[str, Any]) -> Elasticsearch:
        return Elasticsearch(
            config.hosts,
            verify_certs=config.verify_certs,
            ca_certs=str(config.ca_certs) if config.ca_certs else None,
            request_timeout=config.request_timeout,
            retry_on_timeout=True,
            max_retries=2,
            **auth,
        )

    # ---- lifecycle -------------------------------------------------------
    @translate_errors
    def init(self) -> list[str]:
        """Install templates, indices and aliases (idempotent; migrates older mapping versions)."""
        done = self.admin.install(rebuild_post=lambda src: self._doc(self._post_from(src)), now=self._clock())
        for index in self._refresh_off():
            self.es.indices.put_settings(index=index, settings={"index.refresh_interval": None})
            done.append(f"restored periodic refresh of {index} (left off by an interrupted bulk load)")
        self._ready = True
        return done

    def _refresh_intervals(self) -> dict[str, Any]:
        """Each posts index behind the alias and its ``refresh_interval`` setting (None: the default)."""
        if not self.es.indices.exists_alias(name=self.posts_alias):
            return {}
        got = self.es.indices.get_settings(index=self.posts_alias, name="index.refresh_interval")
        return {i: got.get(i, {}).get("settings", {}).get("index", {}).get("refresh_interval")
                for i in self.es.indices.get_alias(name=self.posts_alias)}  # indices left at the default are absent

    def _refresh_off(self) -> list[str]:
        """Posts indices whose periodic refresh is off (``refresh_interval: -1``)."""
        return sorted(i for i, v in self._refresh_intervals().items() if str(v) == "-1")

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Around a large import: periodic refreshes of the posts indices are off (fewer, larger segments,
        less merging while loading), then restored as they were and one refresh made. A load that dies
        inside the block leaves them off; `yuqing es init` turns them back on."""
        self._ensure_ready()
        before = {i: v for i, v in self._refresh_intervals().items() if str(v) != "-1"}  # others' loads: theirs
        if before:
            self.es.indices.put_settings(index=",".join(before), settings={"index.refresh_interval": "-1"})
        try:
            yield
        finally:
            for value in set(before.values()):
                names = ",".join(i for i, v in before.items() if v == value)
                self.es.indices.put_settings(index=names, settings={"index.refresh_interval": value})
            self.refresh()

    def _ensure_ready(self) -> None:
        """Refuse to write before `yuqing es init`: auto-created indices would sit outside the aliases."""
        if self._ready:
            return
        template = f"{self.prefix}-posts-v{self._posts_version}"
        if not (self.es.indices.exists_index_template(name=template) and self.es.indices.exists_alias(
                name=self.admin.alias("cases"))):
            raise StoreError(f"Elasticsearch at {self.url} has no yuqing indices for prefix {self.prefix!r}: "
                             "run `yuqing es init` first")
        self._ready = True

    @translate_errors
    def health(self) -> dict[str, Any]:
        """Cluster health, the number of stored posts and of reads some shards failed to answer."""
        health = self.es.cluster.health(timeout="5s")
        info: dict[str, Any] = {"backend": self.backend, "url": self.url, "status": health["status"],
                                "cluster": health.get("cluster_name"), "nodes": health.get("number_of_nodes"),
                                "unassigned_shards": health.get("unassigned_shards", 0),
                                "partial_reads": self.partial_reads}
        self.bulk_workers = min(9, 2 * int(health.get("number_of_data_nodes") or 1) + 1)
        if health["status"] == "red":
            log.warning("Elasticsearch at %s is red: %s shards unassigned, some posts cannot be read or written",
                        self.url, health.get("unassigned_shards"))
        if self.es.indices.exists_alias(name=self.posts_alias):
            resp = self.es.count(index=self.posts_alias)
            self._check_shards(resp, "count", strict=False)
            info["posts"] = resp["count"]
        return info

    def _check_shards(self, resp: Any, operation: str, *, strict: bool) -> None:
        """Say in one line when some shards failed: raise for reads that must be whole, else log and count."""
        line = shard_failure_line(resp, self.url, operation)
        if line is None:
            return
        self.partial_reads += 1
        if strict:
            raise StoreUnavailable(f"{line}; not using a partial answer")
        log.warning("%s; the answer is partial", line)

    @translate_errors
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
        doc["search_words"] = self._words.for_post(post)  # the enricher's tokens: no second segmentation
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
            resp = self._search_ids(missing)
            if _only_unassigned(resp):  # a monthly index another chunk just created: its shard is starting
                self.es.options(ignore_status=408).cluster.health(index=self.posts_alias, wait_for_status="yellow",
                                                                  timeout="10s")
                resp = self._search_ids(missing)
            self._check_shards(resp, "read of stored posts", strict=True)
            for h in resp.get("hits", {}).get("hits", []):
                found[h["_id"]] = h
            missing = [i for i in ids if i not in found]
        return found

    def _search_ids(self, ids: list[str]) -> Any:
        return self.es.options(ignore_status=404).search(
            index=self.posts_alias, query={"ids": {"values": ids}}, size=len(ids),
            seq_no_primary_term=True, ignore_unavailable=True, allow_no_indices=True,
        )

    @translate_errors
    def upsert_posts(self, posts: Iterable[Post], *, refresh: bool = False) -> UpsertReport:
        """Insert or update posts by id, merged with the stored copy; per-document errors reported."""
        self._ensure_ready()
        batch = list(posts)
        created = updated = 0
        failed: list[tuple[str, str]] = []
        chunks = _chunks_by_id(batch, self.config.bulk_chunk)
        if len(chunks) > 1 and self.bulk_workers > 1:
            # several bulk requests in flight: the node indexes one while Python builds the next
            with ThreadPoolExecutor(min(self.bulk_workers, len(chunks)), thread_name_prefix="es-bulk") as pool:
                results = list(pool.map(self._upsert_chunk, chunks))
        else:
            results = [self._upsert_chunk(c) for c in chunks]
        for c, u, f in results:
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
            transient: list[str] = []
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
                    status = info.get("status")
                    if not isinstance(status, int) or status == 429 or status >= 500:
                        transient.append(f"HTTP {status}: {reason}")
                    else:
                        failed.extend((pid, f"HTTP {status}: {reason}") for _ in range(n))
            if transient:
                # overloaded, read-only or failing shards: the whole batch must be kept (spooled) and retried
                raise StoreUnavailable(f"Elasticsearch at {self.url} could not take {len(transient)} posts now "
                                       f"({transient[0]})")
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

    @translate_errors
    def review_post(self, post_id: str, review: Review) -> Post:
        """Record a reviewer's verdict."""
        return self._rewrite_post(post_id, lambda p: p.model_copy(update={"review": review}))

    @translate_errors
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
    @translate_errors
    def get_post(self, post_id: str) -> Post | None:
        """The post with this id, or None."""
        hit = self._locate([post_id], {}).get(post_id)
        return self._post_from(hit["_source"]) if hit else None

    @translate_errors
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

    # ---- aggregations ----------------------------------------------------
    @translate_errors
    def complaint_counts(
        self, since: datetime, until: datetime, bucket: timedelta, *, by_topic: bool = True
    ) -> list[CountRow]:
        """Distinct complaints per place (× topic) per bucket.

        The window is cut into slices of whole buckets (about two days each, at most 64), all asked at once
        in one ``_msearch``; each slice is a composite aggregation over (bucket, place[, topic]) whose rows
        count distinct ``dedupe_key`` with a small ``cardinality`` (exact up to ``_EXACT_UP_TO`` distinct
        complaints per row, barring a one-in-a-million hash collision). Every matching post is read once,
        and the node holds one page of small rows per slice: a 512 MB heap copes with a million posts (one
        composite over the whole window with a 40,000-threshold cardinality tripped the breaker at 10k).
        """
        step = int(bucket.total_seconds())
        sources: list[dict[str, Any]] = [
            {"bucket": {"date_histogram": {"field": "published_at", "fixed_interval": f"{step}s", "time_zone": _TZ}}},
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

    def _check_msearch(self, resp: dict[str, Any], operation: str) -> None:
        """One ``_msearch`` answer: a refused search is one line (transient refusals: StoreUnavailable)."""
        err = resp.get("error")
        if err:
            status = resp.get("status")
            while isinstance(err, dict) and isinstance(err.get("caused_by"), dict):
                err = err["caused_by"]
            reason = f"{err.get('type')}: {err.get('reason')}" if isinstance(err, dict) else str(err)
            line = f"Elasticsearch at {self.url} refused {operation}: HTTP {status}: {reason}"
            if not isinstance(status, int) or status == 429 or status >= 500:
                raise StoreUnavailable(line)
            raise StoreError(line)
        self._check_shards(resp, operation, strict=True)

    @translate_errors
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


def _chunks_by_id(batch: list[Post], size: int) -> list[list[Post]]:
    """The batch in chunks of about ``size`` posts, every copy of one post in the same chunk (in batch order),
    so chunks written at once never race each other and the last copy of a post is merged last."""
    groups: dict[str, list[Post]] = {}
    for p in batch:
        groups.setdefault(p.id, []).append(p)
    chunks: list[list[Post]] = [[]]
    for copies in groups.values():
        if chunks[-1] and len(chunks[-1]) + len(copies) > size:
            chunks.append([])
        chunks[-1].extend(copies)
    return [c for c in chunks if c]


def _without_credentials(url: str) -> str:
    """The URL without ``user:password@`` (for messages and the health page)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


def _only_unassigned(resp: Any) -> bool:
    """True when the only shard failures are shards not (yet) available — e.g. a brand-new index's primary."""
    shards = resp.get("_shards") or {}
    failures = shards.get("failures") or []
    return bool(shards.get("failed")) and all(
        (f.get("reason") or {}).get("type") == "no_shard_available_action_exception" for f in failures)
