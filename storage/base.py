"""The one storage interface the rest of the system uses, and its query and result types.

Both backends (embedded SQLite, Elasticsearch) implement :class:`Store`; the
shared contract suite in ``tests/storage_contract.py`` holds them to the same
behaviour. Records with a ``version`` use optimistic concurrency: a write
carries the version it read (0 for a new record) and fails with
:class:`core.Conflict` if someone else wrote first.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from core import Case, CaseEvent, CaseStatus, OutboxItem, Post, Review, SourceState

SortOrder = Literal["auto", "relevance", "newest", "oldest", "severity", "engagement"]
TermField = Literal["source", "topic", "place", "sentiment_label", "review_status", "severity", "is_complaint",
                    "message_type"]

#: Severity as a number, for "urgent first" sorting.
SEVERITY_RANK = {"low": 1, "normal": 2, "high": 3, "urgent": 4}


@dataclass(frozen=True)
class PostQuery:
    """A search over posts. Filters apply to the effective (reviewed) labels.

    ``sources`` entries ending in ``*`` match by prefix (``wechat:*``).
    ``since``/``until`` bound ``published_at`` as ``[since, until)``.
    """

    text: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    sources: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    place_ids: tuple[str, ...] = ()
    sentiment_labels: tuple[str, ...] = ()
    is_complaint: bool | None = None
    message_types: tuple[str, ...] = ()  # MessageType values (complaint, request, …)
    review_statuses: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    case_id: str | None = None
    sort: SortOrder = "auto"
    offset: int = 0
    limit: int = 20
    highlight: bool = True


@dataclass(frozen=True)
class Hit:
    """One search result: the post, its score and highlighted fragments (HTML-escaped, ``<em>`` marks)."""

    post: Post
    score: float | None = None
    highlights: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchResult:
    """A page of hits and the total number of matches."""

    total: int
    hits: list[Hit]


@dataclass(frozen=True)
class CountRow:
    """Distinct complaints about a place (and topic) published in one time bucket."""

    place_id: str
    topic: str | None
    bucket: datetime
    count: int


@dataclass(frozen=True)
class HistogramBucket:
    """Posts per time bucket, optionally split by a field's values."""

    start: datetime
    total: int
    split: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class UpsertReport:
    """What a bulk upsert did; ``failed`` lists (post id, reason) for each document that was not stored."""

    created: int = 0
    updated: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def stored(self) -> int:
        """Documents written."""
        return self.created + self.updated


@dataclass(frozen=True)
class CaseQuery:
    """A filter over cases; ``open_only`` excludes closed ones; ``due_before`` finds overdue ones."""

    statuses: tuple[CaseStatus, ...] = ()
    open_only: bool = False
    department: str | None = None
    place_id: str | None = None
    topic: str | None = None
    key: str | None = None
    due_before: datetime | None = None
    offset: int = 0
    limit: int = 50


@dataclass(frozen=True)
class CaseList:
    """A page of cases (newest first) and the total."""

    total: int
    items: list[Case]


class Store(ABC):
    """Posts, cases, the delivery outbox and per-source state, behind one interface."""

    #: short name of the backend, for logs and the health page
    backend: str = "abstract"

    # ---- lifecycle -------------------------------------------------------
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

    # ---- posts -----------------------------------------------------------
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
    def review_post(self, post_id: str, review: Review) -> Post:
        """Record a reviewer's verdict and corrected labels; raises :class:`core.NotFound`."""

    @abstractmethod
    def link_posts_to_case(self, post_ids: Iterable[str], case_id: str | None) -> int:
        """Set (or clear) the case of these posts; return how many were found."""

    # ---- cases -----------------------------------------------------------
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

    # ---- outbox ----------------------------------------------------------
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

    # ---- source state ----------------------------------------------------
    @abstractmethod
    def get_source_state(self, name: str) -> SourceState | None:
        """The state of one source, or None if it never ran."""

    @abstractmethod
    def save_source_state(self, state: SourceState) -> SourceState:
        """Write a state read at ``state.version`` (0 to create); raises :class:`core.Conflict`."""

    @abstractmethod
    def list_source_states(self) -> list[SourceState]:
        """Every source's state, by name."""
