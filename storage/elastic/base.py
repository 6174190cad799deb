"""The connection, lifecycle and shared helpers of the Elasticsearch backend.

Stays inside what the minimal 8.19 distribution supports (no Painless, no
update/delete-by-query, no ``_reindex``, no ``GET /``), so the same code runs on
the test node and on production clusters. Each aggregate (``posts``, ``cases``,
``outbox``, ``sources``) is a class over :class:`ElasticBase`; ``store.ElasticStore``
is all of them at once.

* posts live in monthly indices ``<prefix>-posts-v<N>-YYYY.MM`` (Asia/Shanghai
  month of first publication) behind the read alias ``<prefix>-posts``;
* cases, outbox and source state are single indices behind aliases, written
  with external versioning on the record's ``version`` (optimistic concurrency):
  a write carries ``version = read version + 1`` and Elasticsearch refuses it
  unless the stored version is lower;
* Chinese: jieba tokens in a whitespace-analysed field, raw text in a
  standard-analysed field as the recall backstop (see ``index_mappings/``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from elasticsearch import ConflictError, Elasticsearch, NotFoundError

from core import Conflict, Post, StoreError, StoreUnavailable, utcnow
from core.config import ElasticsearchConfig
from index_mappings import load_mapping
from nlp import Segmenter, default_segmenter
from storage.base import StoreAdmin
from storage.docs import filter_fields, month_suffix, searchable_text
from storage.elastic.admin import IndexAdmin
from storage.elastic.counts import HourlyCounts
from storage.elastic.errors import shard_failure_line, translate_errors
from storage.words import IndexWords

log = logging.getLogger("storage.elastic")  # one logger name for the whole backend (log configs, tests)
TZ = "+08:00"  # Asia/Shanghai (no daylight saving): the time zone date histograms bucket in


_MAX_RETRIES = 2  # client retries of a request (on timeouts and connection errors)


def counts_margin(request_timeout: float, retries: int, skew: float = 120.0) -> timedelta:
    """How far behind "now" the hourly counts' checkpoint stays: a bulk request stamped ``f.stored_at`` when
    sent may become searchable only after every retry has timed out, and writers' clocks may differ by up to
    ``skew`` seconds (keep daemons on NTP). A post stored inside the margin is read from the posts, not lost."""
    return timedelta(seconds=request_timeout * (retries + 1) + skew)


class ElasticBase(StoreAdmin):
    """The connection every aggregate of the Elasticsearch backend shares, and the backend's lifecycle."""

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
        self.counts = HourlyCounts(self.es, self.prefix, self.posts_alias,  # precomputed hourly complaint counts
                                   lambda *a: self._direct_counts(*a),  # type: ignore[attr-defined]  # complaints.py
                                   check=lambda resp, op: self._check_shards(resp, op, strict=True), url=self.url,
                                   delay=counts_margin(config.request_timeout, _MAX_RETRIES))
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
            max_retries=_MAX_RETRIES,
            **auth,
        )

    # ---- lifecycle -------------------------------------------------------
    @translate_errors
    def init(self) -> list[str]:
        """Install templates, indices and aliases (idempotent; migrates older mapping versions)."""
        done = self.admin.install(rebuild_post=lambda src: self._doc(self._post_from(src)), now=self._clock())
        done += self.counts.install()
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

    # ---- post documents (the indexed form of a Post) -------------------
    def _month_index(self, post: Post) -> str:
        return f"{self.prefix}-posts-v{self._posts_version}-{month_suffix(post.published_at)}"

    def _doc(self, post: Post) -> dict[str, Any]:
        doc = post.model_dump(mode="json")
        f = filter_fields(post)
        f.pop("source")
        f.pop("published_ts")
        f["stored_at"] = int(self.counts.wall().timestamp() * 1000)  # the hourly counts' change checkpoint
        doc["f"] = f
        text = searchable_text(post)
        doc["search_words"] = self._words.for_post(post)  # the enricher's tokens: no second segmentation
        doc["search_text"] = text
        return doc

    @staticmethod
    def _post_from(source: dict[str, Any]) -> Post:
        data = {k: v for k, v in source.items() if k not in ("f", "search_words", "search_text")}
        return Post.model_validate(data)

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

    # ---- versioned records (cases, outbox, sources) ---------------------
    def _put(self, kind: str, doc_id: str, body: dict[str, Any], version: int, *, refresh: bool = True) -> None:
        """Write with external versioning: fails with Conflict unless the stored version is below ``version``."""
        try:
            self.es.index(index=self.admin.alias(kind), id=doc_id, document=body, version=version,
                          version_type="external", refresh=refresh, require_alias=True)
        except ConflictError:
            raise Conflict(f"{kind} record {doc_id} was changed by someone else") from None

    def _put_over(self, kind: str, doc_id: str, body: dict[str, Any], read_version: int, what: str) -> None:
        """Write over a record read at ``read_version``: Conflict if it changed (or vanished) meanwhile."""
        current = self._get(kind, doc_id)
        if current is None or current.get("version") != read_version:
            raise Conflict(f"{what} was changed by someone else")
        self._put(kind, doc_id, body, read_version + 1)

    def _get(self, kind: str, doc_id: str) -> dict[str, Any] | None:
        try:
            return self.es.get(index=self.admin.alias(kind), id=doc_id)["_source"]
        except NotFoundError:
            return None

    def _find(self, kind: str, query: dict[str, Any], sort: list[dict[str, Any]], size: int,
              offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        resp = self.es.search(index=self.admin.alias(kind), query=query, sort=sort, size=size, from_=offset,
                              track_total_hits=True)
        self._check_shards(resp, f"{kind} search", strict=True)
        return resp["hits"]["total"]["value"], [h["_source"] for h in resp["hits"]["hits"]]


def _without_credentials(url: str) -> str:
    """The URL without ``user:password@`` (for messages and the health page)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))
