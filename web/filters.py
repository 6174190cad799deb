"""Turn the filter fields of the review queue and the search page into a :class:`storage.PostQuery`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from core import SHANGHAI, labels
from storage import PostQuery

FILTER_KEYS = ("q", "since", "until", "source", "place", "topic", "sentiment", "status", "kind", "type", "sort")
SORTS = ("auto", "relevance", "newest", "oldest", "severity", "engagement")
MESSAGE_TYPES = tuple(getattr(k, "value", k) for k in labels.MESSAGE_TYPE)


#: Dates the console accepts in filters (anything outside is refused with a message, not a server error).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


class DateOutOfRange(ValueError):
    """A filter date outside :data:`FIRST_DAY`..:data:`LAST_DAY`."""

    message = f"日期超出范围（{FIRST_DAY} 至 {LAST_DAY}）"


def parse_day(value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` date (None when blank or malformed); :class:`DateOutOfRange` outside the accepted years."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise DateOutOfRange(value)
    return day


_day = parse_day


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
    type: str = ""  # message type code (complaint, request, inquiry, suggestion, praise, other)
    sort: str = ""
    page: int = 1

    @classmethod
    def from_params(cls, params, **defaults: str) -> Filters:
        """Read the filter fields from query parameters, with defaults for absent keys."""
        values = {k: (params.get(k) if k in params else defaults.get(k, "")) or "" for k in FILTER_KEYS}
        try:
            page = max(1, min(int(params.get("page", 1)), 10000))
        except (ValueError, OverflowError):
            page = 1
        made = cls(**{k: v.strip()[:200] for k, v in values.items()}, page=page)
        parse_day(made.since), parse_day(made.until)  # refuse out-of-range dates here, before any query
        return made

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
            message_types=(self.type,) if self.type in MESSAGE_TYPES else (),
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
