"""Turn the filter fields of the review queue and the search page into a :class:`storage.PostQuery`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from core import SHANGHAI
from storage import PostQuery

FILTER_KEYS = ("q", "since", "until", "source", "place", "topic", "sentiment", "status", "kind", "sort")
SORTS = ("auto", "relevance", "newest", "oldest", "severity", "engagement")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def day_start(d: date) -> datetime:
    """Midnight of a calendar day in Shanghai."""
    return datetime.combine(d, time(0), SHANGHAI)


@dataclass(frozen=True)
class Filters:
    """The filter form as submitted (strings, blank = no filter)."""

    q: str = ""
    since: str = ""
    until: str = ""
    source: str = ""
    place: str = ""
    topic: str = ""
    sentiment: str = ""
    status: str = ""
    kind: str = ""
    sort: str = ""
    page: int = 1

    @classmethod
    def from_params(cls, params, **defaults: str) -> Filters:
        """Read the filter fields from query parameters, with defaults for absent keys."""
        values = {k: (params.get(k) if k in params else defaults.get(k, "")) or "" for k in FILTER_KEYS}
        try:
            page = max(1, min(int(params.get("page", 1)), 10000))
        except ValueError:
            page = 1
        return cls(**{k: v.strip()[:200] for k, v in values.items()}, page=page)

    def query(self, page_size: int, *, paged: bool = True) -> PostQuery:
        """The store query; ``until`` is inclusive of that day."""
        since, until = _day(self.since), _day(self.until)
        complaint = {"complaint": True, "noncomplaint": False}.get(self.kind)
        sentiments = ("negative",) if self.kind == "negative" else ()
        if self.sentiment:
            sentiments = (self.sentiment,)
        source = self.source
        if source and ":" not in source:
            source += "*"
        return PostQuery(
            text=self.q or None,
            since=day_start(since) if since else None,
            until=day_start(until + timedelta(days=1)) if until else None,
            sources=(source,) if source else (),
            topics=(self.topic,) if self.topic else (),
            place_ids=(self.place,) if self.place else (),
            sentiment_labels=sentiments,
            is_complaint=complaint,
            review_statuses=(self.status,) if self.status else (),
            sort=self.sort if self.sort in SORTS else "auto",  # type: ignore[arg-type]
            offset=(self.page - 1) * page_size if paged else 0,
            limit=page_size,
        )

    def unpaged(self) -> Filters:
        return replace(self, page=1)

    def urlencode(self, **changes: object) -> str:
        """The query string of these filters with some fields changed (blank fields left out)."""
        values = {k: getattr(self, k) for k in (*FILTER_KEYS, "page")}
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in ("", None, 1) or k in ("kind", "status")})
