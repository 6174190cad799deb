"""Posts in Elasticsearch: upserts, lookups by id, review and case links.

An upsert reads the stored document (realtime ``mget`` on its month, then the
alias), merges in Python and writes back with ``if_seq_no`` / ``create``, so
concurrent writers never lose a review or duplicate a post.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from elasticsearch import ConflictError, helpers

from core import Conflict, NotFound, Post, Review, StoreUnavailable
from storage.base import PostStore, UpsertReport, check_expected_review
from storage.docs import merge_post
from storage.elastic.complaints import ElasticComplaintCounts
from storage.elastic.errors import translate_errors
from storage.elastic.search import ElasticPostSearch

_MAX_RETRIES = 8  # rounds of read-merge-write when concurrent writers touch the same document
_SHARD_WAITS = 6  # waits of up to 10 s each for a brand-new monthly index's primary before the read gives up


class ElasticPosts(ElasticPostSearch, ElasticComplaintCounts, PostStore):
    """Posts in monthly indices: merged upserts, lookups by id, review and case links (search: ``search.py``)."""

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
            for _wait in range(_SHARD_WAITS):
                if not _only_unassigned(resp):
                    break
                # a monthly index another writer just created, or one deleted (retention) and made again by a
                # bulk request: its primary is starting (this store's batches create theirs first, ensure_months)
                starting = sorted({f["index"] for f in resp["_shards"]["failures"] if f.get("index")})
                self.admin.forget_months(set(starting))
                self.es.options(ignore_status=408).cluster.health(index=",".join(starting) or self.posts_alias,
                                                                  wait_for_status="yellow", timeout="10s")
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
        self.admin.ensure_months({self._month_index(p) for p in batch})  # before chunks in flight read them
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
        index_of: dict[str, str] = {}
        for _attempt in range(_MAX_RETRIES):
            hit = self._locate([post_id], index_of, refresh_on_miss=True).get(post_id)
            if hit is None:
                raise NotFound(f"no post {post_id}")
            if post_id not in index_of:  # found by a search (refreshed data only): read it realtime, not a stale copy
                index_of[post_id] = hit["_index"]
                hit = self._locate([post_id], index_of).get(post_id, hit)
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
    def review_post(self, post_id: str, review: Review, *, expect: Review | None = None) -> Post:
        """Record a reviewer's verdict (only over ``expect``, when given: checked on the version written over)."""
        def change(post: Post) -> Post:
            check_expected_review(post, expect)
            return post.model_copy(update={"review": review})

        return self._rewrite_post(post_id, change)

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


def _only_unassigned(resp: Any) -> bool:
    """True when the only shard failures are shards not (yet) available — e.g. a brand-new index's primary."""
    shards = resp.get("_shards") or {}
    failures = shards.get("failures") or []
    return bool(shards.get("failed")) and all(
        (f.get("reason") or {}).get("type") == "no_shard_available_action_exception" for f in failures)
