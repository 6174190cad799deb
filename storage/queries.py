"""The query and result types of the storage interfaces (:mod:`storage.base`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from core import Case, CaseStatus, Post

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
    """A filter over cases; ``open_only`` excludes closed ones; ``due_before`` finds overdue ones; ``place_ids``: a
    case about any of these places (a place and the places under it)."""

    statuses: tuple[CaseStatus, ...] = ()
    open_only: bool = False
    department: str | None = None
    place_id: str | None = None
    place_ids: tuple[str, ...] = ()
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
