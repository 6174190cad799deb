"""The domain model: posts, places, cases and the records that move them along.

These are plain pydantic models: validated on construction, serialised to JSON
by the storage backends, and shared by every wing. Times are timezone-aware
(stored as UTC, shown in Asia/Shanghai).
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

#: The wall clock every report and bucket is shown in (no daylight saving).
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def utcnow() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


#: Half a surrogate pair is no character: a JSON escape without its pair gives one (a nickname cut inside an emoji,
#: "\ud83d"). No store can write it (UTF-8 has no such character) and the NLP models refuse it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def whole_characters(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (the same text when it has none)."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def post_id(source: str, native_id: str) -> str:
    """A stable id for a post: the same source and native id always give the same id."""
    digest = hashlib.sha1(f"{source}\x1f{native_id}".encode()).hexdigest()
    return digest[:20]


class ReviewStatus(StrEnum):
    """Where a post stands in the office's review queue."""

    PENDING = "pending"  # not yet looked at (flagged or not)
    CONFIRMED = "confirmed"  # a reviewer confirmed the labels
    DISMISSED = "dismissed"  # not relevant, or not a complaint
    CORRECTED = "corrected"  # a reviewer changed a label


class CaseStatus(StrEnum):
    """The case lifecycle: new → assigned → in_progress → rectified → verified → closed."""

    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RECTIFIED = "rectified"
    VERIFIED = "verified"
    CLOSED = "closed"
    REOPENED = "reopened"

    @property
    def is_open(self) -> bool:
        """Whether a case in this status still waits for work or checks."""
        return self is not CaseStatus.CLOSED


class Severity(StrEnum):
    """How urgently a problem must be fixed (drives the deadline)."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class SentimentLabel(StrEnum):
    """A coarse sentiment label derived from the 0..1 score."""

    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class MessageType(StrEnum):
    """What a message does, independent of its topic; complaints and requests count as complaints."""

    COMPLAINT = "complaint"  # 投诉
    REQUEST = "request"  # 求助
    INQUIRY = "inquiry"  # 咨询
    SUGGESTION = "suggestion"  # 建议
    PRAISE = "praise"  # 表扬
    OTHER = "other"  # 其他


class PlaceLevel(StrEnum):
    """Levels of the gazetteer hierarchy."""

    DISTRICT = "district"
    TOWN = "town"
    COMMUNITY = "community"  # 居委 / 村
    COMPOUND = "compound"  # 小区
    ROAD = "road"
    CROSSING = "crossing"
    RIVER = "river"
    MARKET = "market"
    LANDMARK = "landmark"
    OTHER = "other"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Author(_Model):
    """Who posted: the platform's id and display name (masked in the console)."""

    id: str | None = None
    name: str | None = None

    @field_validator("id", "name")
    @classmethod
    def _whole_characters(cls, v: str | None) -> str | None:
        return whole_characters(v) if v else v  # a nickname cut inside an emoji could never be stored


class Metrics(_Model):
    """Engagement counts as the platform shows them (parsed to integers)."""

    reposts: int = 0
    comments: int = 0
    likes: int = 0
    reads: int = 0


class Place(_Model):
    """A gazetteer entry: a place residents complain about, with who is responsible."""

    id: str
    name: str
    level: PlaceLevel = PlaceLevel.OTHER
    aliases: list[str] = Field(default_factory=list)
    parent: str | None = None
    grid: str | None = None
    department: str | None = None
    lat: float | None = None
    lon: float | None = None


class PlaceRef(_Model):
    """A place mentioned by a post: resolved to the gazetteer, or only the raw mention."""

    id: str | None = None
    name: str
    level: PlaceLevel | None = None
    grid: str | None = None
    department: str | None = None
    key: str | None = None  # an unlisted place's normalised alert key (``raw:<name>``); gazetteer places: None


class Review(_Model):
    """A reviewer's verdict on a post; corrected labels override the model's."""

    status: ReviewStatus = ReviewStatus.PENDING
    reviewer: str | None = None
    reviewed_at: AwareDatetime | None = None
    note: str | None = None
    topic: str | None = None
    place_ids: list[str] | None = None
    sentiment_label: SentimentLabel | None = None
    is_complaint: bool | None = None


class Post(_Model):
    """One crawled item — a status, article, thread floor, message or comment — and its enrichment."""

    id: str
    source: str
    native_id: str
    url: str | None = None
    thread_id: str | None = None
    parent_id: str | None = None
    title: str | None = None
    text: str
    author: Author = Field(default_factory=Author)
    published_at: AwareDatetime
    crawled_at: AwareDatetime = Field(default_factory=utcnow)
    metrics: Metrics = Field(default_factory=Metrics)
    region: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)
    # enrichment (nlp)
    tokens: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    topic: str | None = None
    topic_scores: dict[str, float] = Field(default_factory=dict)
    sentiment: float | None = None
    sentiment_label: SentimentLabel | None = None
    is_complaint: bool = False
    message_type: MessageType | None = None
    places: list[PlaceRef] = Field(default_factory=list)
    severity: Severity | None = None
    simhash: str | None = None  # 16 hex digits (64 bits)
    cluster_id: str | None = None
    # review and case
    review: Review = Field(default_factory=Review)
    case_id: str | None = None

    @field_validator("text", "title", "url", "thread_id", "parent_id", "region")
    @classmethod
    def _whole_characters(cls, v: str | None) -> str | None:
        return whole_characters(v) if v else v  # half a surrogate pair could never be stored

    @classmethod
    def new(cls, source: str, native_id: str, **fields: Any) -> Post:
        """Build a post whose id is derived from its source and native id."""
        return cls(id=post_id(source, native_id), source=source, native_id=native_id, **fields)

    # Effective labels: a reviewer's correction wins over the model's label.
    @property
    def effective_topic(self) -> str | None:
        """The topic a reviewer set, else the model's."""
        return self.review.topic if self.review.topic is not None else self.topic

    @property
    def effective_place_ids(self) -> list[str]:
        """Resolved place ids a reviewer set, else those the model found."""
        if self.review.place_ids is not None:
            return list(self.review.place_ids)
        return [p.id for p in self.places if p.id]

    @property
    def effective_place_keys(self) -> list[str]:
        """Alert keys of the places: a reviewer's place list as set, else the resolved ids and the normalised keys
        of unlisted places (a reviewer's correction replaces the model's unlisted places too)."""
        keys = self.effective_place_ids
        if self.review.place_ids is not None:
            return keys
        return keys + [p.key for p in self.places if not p.id and p.key and p.key not in keys]

    @property
    def effective_sentiment_label(self) -> SentimentLabel | None:
        """The sentiment label a reviewer set, else the model's."""
        return self.review.sentiment_label or self.sentiment_label

    @property
    def effective_is_complaint(self) -> bool:
        """Whether this post counts as a complaint after review."""
        if self.review.status is ReviewStatus.DISMISSED:
            return False
        if self.review.is_complaint is not None:
            return self.review.is_complaint
        return self.is_complaint

    @property
    def dedupe_key(self) -> str:
        """What spike counts count distinct: the near-duplicate cluster, else the post."""
        return self.cluster_id or self.id


class SpikeInfo(_Model):
    """The numbers that made a detector fire."""

    detector: str
    count: float
    baseline: float
    score: float
    window_start: AwareDatetime
    window_end: AwareDatetime
    details: dict[str, Any] = Field(default_factory=dict)


class CaseEvent(_Model):
    """One entry of a case's history."""

    at: AwareDatetime = Field(default_factory=utcnow)
    actor: str
    action: str  # e.g. "opened", "assigned", "status", "evidence", "note", "delivered"
    from_status: CaseStatus | None = None
    to_status: CaseStatus | None = None
    note: str | None = None
    photos: list[str] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)


class Case(_Model):
    """A problem at one place on one topic, routed to a department and followed to closure."""

    id: str
    key: str  # "<place id>|<topic>"
    title: str
    status: CaseStatus = CaseStatus.NEW
    severity: Severity = Severity.NORMAL
    place: PlaceRef | None = None
    topic: str | None = None
    grid: str | None = None
    department: str | None = None
    opened_at: AwareDatetime = Field(default_factory=utcnow)
    due_at: AwareDatetime | None = None
    closed_at: AwareDatetime | None = None
    updated_at: AwareDatetime = Field(default_factory=utcnow)
    evidence: list[str] = Field(default_factory=list)
    spike: SpikeInfo | None = None
    history: list[CaseEvent] = Field(default_factory=list)
    external_ref: str | None = None
    delivery: dict[str, Any] = Field(default_factory=dict)
    version: int = 0  # as stored; 0 = not stored yet

    @staticmethod
    def make_key(place_id: str, topic: str | None) -> str:
        """The case key for a place and topic."""
        return f"{place_id}|{topic or '*'}"


class OutboxStatus(StrEnum):
    """Delivery state of an outbox item."""

    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"  # gave up after the retry ceiling


class OutboxItem(_Model):
    """A pending delivery to a tracker or notifier, kept until acknowledged."""

    id: str  # idempotency key, e.g. "<case id>:<event version>:<channel>"
    channel: str
    case_id: str | None = None
    payload: dict[str, Any]
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    created_at: AwareDatetime = Field(default_factory=utcnow)
    next_try_at: AwareDatetime = Field(default_factory=utcnow)
    lease_owner: str | None = None
    lease_until: AwareDatetime | None = None
    last_error: str | None = None
    response_ref: str | None = None
    sent_at: AwareDatetime | None = None
    version: int = 0  # as stored; 0 = not stored yet


class SourceHealth(StrEnum):
    """How a source is doing, as the operator sees it."""

    OK = "ok"
    BACKING_OFF = "backing_off"
    LOGIN_NEEDED = "login_needed"
    BLOCKED = "blocked"
    FAILING = "failing"
    UNKNOWN = "unknown"


class SourceState(_Model):
    """Per-source crawl state: cursors, health, counters and the crawl lease."""

    name: str
    cursor: dict[str, Any] = Field(default_factory=dict)
    health: SourceHealth = SourceHealth.UNKNOWN
    last_run_at: AwareDatetime | None = None
    last_success_at: AwareDatetime | None = None
    last_error: str | None = None
    consecutive_errors: int = 0
    backoff_until: AwareDatetime | None = None
    items_total: int = 0
    counters: dict[str, int] = Field(default_factory=dict)
    lease_owner: str | None = None
    lease_until: AwareDatetime | None = None
    updated_at: AwareDatetime = Field(default_factory=utcnow)
    version: int = 0  # as stored; 0 = not stored yet

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("source name must not be blank")
        return v
