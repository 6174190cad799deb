"""The storage interfaces the rest of the system uses, one per aggregate.

Posts (:class:`PostStore`), cases (:class:`CaseStore`), the delivery outbox
(:class:`OutboxQueue`) and per-source state (:class:`SourceStates`) each have
their own narrow interface; a caller takes the one it uses. :class:`StoreAdmin`
is the lifecycle every backend has, and :class:`Store` is all of them at once
(what :func:`storage.open_store` returns). Both backends (embedded SQLite,
Elasticsearch) implement them; the contract suite in ``tests/storage_contract/``
(one module per aggregate) holds them to the same behaviour. Records with a
``version`` use optimistic concurrency: a write carries the version it read
(0 for a new record) and fails with :class:`core.Conflict` if someone else
wrote first.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from core import Case, CaseEvent, Conflict, OutboxItem, Post, Review, SourceState
from storage.queries import (
    SEVERITY_RANK,
    CaseList,
    CaseQuery,
    CountRow,
    HistogramBucket,
    Hit,
    PostQuery,
    SearchResult,
    SortOrder,
    TermField,
    UpsertReport,
)

__all__ = [
    "SEVERITY_RANK", "CaseList", "CaseQuery", "CaseStore", "CountRow", "HistogramBucket", "Hit", "OutboxQueue",
    "PostQuery", "PostStore", "SearchResult", "SortOrder", "SourceStates", "Store", "StoreAdmin", "TermField",
    "UpsertReport",
]



def check_expected_review(post: Post, expect: Review | None) -> None:
    """Raise :class:`core.Conflict` unless ``post``'s review is ``expect`` (None: no expectation)."""
    if expect is not None and post.review != expect:
        raise Conflict(f"post {post.id} was reviewed by someone else in the meantime")


class StoreAdmin(ABC):
    """The lifecycle of a backend: schema, health, visibility of writes, connections."""

    #: short name of the backend, for logs and the health page
    backend: str = "abstract"

    @abstractmethod
    def init(self) -> list[str]:
        """Create schema/indices if missing (idempotent); return what was done, one line each."""

    @abstractmethod
    def health(self) -> dict[str, Any]:
        """Backend status for the health page; raises :class:`core.StoreUnavailable` when unreachable."""

    def refresh(self) -> None:  # noqa: B027 - a no-op where writes are visible at once
        """Make recent writes visible to search (no-op where they already are)."""

    def close(self) -> None:  # noqa: B027
        """Release connections."""

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Around a large import: the backend may trade search freshness for write speed inside the block
        (Elasticsearch stops periodic refreshes of the posts indices and restores them after); writes are
        visible to search when the block ends."""
        try:
            yield
        finally:
            self.refresh()


class PostStore(ABC):
    """Posts: idempotent bulk upserts, search, the aggregations the pages and alerts read, review and case links."""

    @abstractmethod
    def upsert_posts(self, posts: Iterable[Post], *, refresh: bool = False) -> UpsertReport:
        """Insert or update posts by id: text, metrics and enrichment are updated, review and case
        links are kept, the first ``published_at`` and ``crawled_at`` are kept."""

    @abstractmethod
    def get_post(self, post_id: str) -> Post | None:
        """The post with this id, or None."""

    @abstractmethod
    def get_posts(self, post_ids: Iterable[str]) -> list[Post]:
        """The posts with these ids that exist, in the order asked."""

    @abstractmethod
    def search(self, query: PostQuery) -> SearchResult:
        """Full-text search (every query word must occur) with filters, sort and highlights."""

    @abstractmethod
    def iter_posts(self, query: PostQuery, batch: int = 1000) -> Iterator[Post]:
        """Every post matching the query's filters (for export and reindexing), oldest first."""

    @abstractmethod
    def complaint_counts(
        self, since: datetime, until: datetime, bucket: timedelta, *, by_topic: bool = True
    ) -> list[CountRow]:
        """Distinct complaints (near-duplicate clusters counted once) per place (× topic) per bucket
        of ``published_at``; buckets are aligned to Asia/Shanghai midnight."""

    @abstractmethod
    def histogram(
        self, query: PostQuery, interval: timedelta, *, split_by: TermField | None = None
    ) -> list[HistogramBucket]:
        """Posts per time bucket (Asia/Shanghai-aligned), optionally split by a field; empty buckets omitted."""

    @abstractmethod
    def terms(self, query: PostQuery, term_field: TermField, size: int = 10) -> list[tuple[str, int]]:
        """The most frequent values of a field among matching posts, with counts."""

    @abstractmethod
    def review_post(self, post_id: str, review: Review, *, expect: Review | None = None) -> Post:
        """Record a reviewer's verdict and corrected labels; raises :class:`core.NotFound`.

        With ``expect`` the write is a compare-and-set: it happens only if the post's review is still
        ``expect`` at the moment of writing, else :class:`core.Conflict` is raised."""

    @abstractmethod
    def link_posts_to_case(self, post_ids: Iterable[str], case_id: str | None) -> int:
        """Set (or clear) the case of these posts; return how many were found."""


class CaseStore(ABC):
    """Cases: versioned records, one open case per alert key."""

    @abstractmethod
    def create_case(self, case: Case) -> Case:
        """Store a new case (version 1); raises :class:`core.Conflict` if the id exists."""

    @abstractmethod
    def get_case(self, case_id: str) -> Case | None:
        """The case with this id, or None."""

    @abstractmethod
    def list_cases(self, query: CaseQuery) -> CaseList:
        """Cases matching the filter, newest first."""

    @abstractmethod
    def update_case(self, case: Case, event: CaseEvent | None = None) -> Case:
        """Write a changed case read at ``case.version``, appending ``event`` to its history;
        raises :class:`core.Conflict` if it changed meanwhile."""

    @abstractmethod
    def open_case_for_key(self, key: str) -> Case | None:
        """The case for this key that is not closed, if any (the newest if several)."""


class OutboxQueue(ABC):
    """The durable delivery outbox: enqueue once, lease due items, save after each attempt."""

    @abstractmethod
    def enqueue(self, item: OutboxItem) -> bool:
        """Add a delivery; False (and no change) if one with the same id exists."""

    @abstractmethod
    def get_outbox_item(self, item_id: str) -> OutboxItem | None:
        """The outbox item with this id, or None."""

    @abstractmethod
    def claim_due(self, now: datetime, owner: str, lease: timedelta, limit: int = 20) -> list[OutboxItem]:
        """Lease up to ``limit`` pending items due by ``now`` whose lease is free; items leased by
        another owner are skipped, so two workers never send the same item at once."""

    @abstractmethod
    def save_outbox_item(self, item: OutboxItem) -> OutboxItem:
        """Write an item read at ``item.version`` (after an attempt); raises :class:`core.Conflict`."""

    @abstractmethod
    def outbox_stats(self, now: datetime) -> dict[str, Any]:
        """Counts by status and the age in seconds of the oldest pending item."""


class SourceStates(ABC):
    """Per-source crawl state (cursors, health, the crawl lease), versioned."""

    @abstractmethod
    def get_source_state(self, name: str) -> SourceState | None:
        """The state of one source, or None if it never ran."""

    @abstractmethod
    def save_source_state(self, state: SourceState) -> SourceState:
        """Write a state read at ``state.version`` (0 to create); raises :class:`core.Conflict`."""

    @abstractmethod
    def list_source_states(self) -> list[SourceState]:
        """Every source's state, by name."""


class Store(StoreAdmin, PostStore, CaseStore, OutboxQueue, SourceStates, ABC):
    """Posts, cases, the delivery outbox and per-source state, behind one object (what ``open_store`` returns)."""
