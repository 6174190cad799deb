"""Turn the filter fields of the review queue and the search page into a :class:`storage.PostQuery`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple
from urllib.parse import urlencode

from core import SHANGHAI, labels
from storage import PostQuery

FILTER_KEYS = ("q", "since", "until", "source", "place", "exact", "topic", "sentiment", "status", "kind", "type",
               "sort")
SORTS = ("auto", "relevance", "newest", "oldest", "severity", "engagement")
MESSAGE_TYPES = tuple(getattr(k, "value", k) for k in labels.MESSAGE_TYPE)
#: The 类别 field's values (``kind``) and their labels.
KINDS = {"complaint": "投诉", "noncomplaint": "非投诉", "negative": "负面"}
#: Fields whose value must be one of a table's codes (or its Chinese label), with the field's name on the form.
CODED = (("type", labels.MESSAGE_TYPE, "留言类型"), ("kind", KINDS, "类别"), ("sentiment", labels.SENTIMENT, "情感"),
         ("status", labels.REVIEW_STATUS, "状态"))


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


class PlaceFilter(NamedTuple):
    """A place filter as read: the value to show and link, the store keys, a one-line notice (or ""), and how many
    gazetteer places under the place the keys take in."""

    shown: str
    keys: tuple[str, ...]
    notice: str = ""
    under: int = 0


def resolve_place_filter(gazetteer: Any, value: str, *, exact: bool = False) -> PlaceFilter:
    """A place filter as typed, read like ``yuqing search --place`` (``nlp.resolve``): a gazetteer id, name or alias is
    that place and the places under it (only the place itself with ``exact``); a name of one place is shown as its
    id. An unlisted place's key (``raw:<name>``) matches as written and as the enricher keys it
    (``nlp.resolve.unlisted_keys``; as written only with ``exact``); a value the gazetteer does not know is kept as
    typed, with a notice.
    """
    from nlp.resolve import UnknownName, close_places, is_unlisted, resolve_place, unlisted_keys

    value = value.strip()
    if is_unlisted(value):  # raw:锦绣家园小区 also finds raw:锦绣家园
        try:
            keys = unlisted_keys(value, gazetteer)
        except UnknownName:
            return PlaceFilter("", (), f"未登记点位「{value}」没有名称，已忽略该条件")
        return PlaceFilter(keys[0], tuple(keys[:1] if exact else keys))
    if not value or gazetteer is None:
        return PlaceFilter(value, (value,) if value else ())
    try:
        hits = resolve_place(gazetteer, value, descendants=False)
    except UnknownName:
        close = close_places(gazetteer, value)
        hint = f"，是否要找：{'、'.join(close)}" if close else ""
        return PlaceFilter(value, (value,), f"点位「{value}」不在点位表中，按原值筛选{hint}；"
                                            "未登记点位请在点位列表的「未登记点位」中选择")
    keys = tuple(hits) if exact else tuple(dict.fromkeys(k for h in hits for k in resolve_place(gazetteer, h)))
    under = len(set(keys) - set(hits))
    if len(hits) == 1:
        return PlaceFilter(hits[0], keys, "", under)
    names = "、".join(f"{gazetteer.get(h).name}（{h}）" for h in hits)
    return PlaceFilter(value, keys, f"「{value}」对应 {len(hits)} 个点位：{names}，已全部纳入", under)


class UnknownPlace(ValueError):
    """A place typed into a form that names no listed place, or more than one; its message is Chinese."""


def listed_place(gazetteer: Any, place_names: dict[str, str], value: str) -> str:
    """The id of the listed place a form's place box names: an id, a name or an alias, read like
    ``yuqing search --place`` (``nlp.resolve``); :class:`UnknownPlace` for an unknown or ambiguous name, with the
    places it may have meant. Without reference data (no gazetteer, no place names) the value is kept as typed."""
    from nlp.resolve import UnknownName, close_places, resolve_place

    value = value.strip()
    if value in place_names or not value or (gazetteer is None and not place_names):
        return value
    if gazetteer is None:
        raise UnknownPlace(f"未知的点位：{value}，请从点位列表中选择")
    try:
        hits = [h for h in resolve_place(gazetteer, value, descendants=False) if not place_names or h in place_names]
    except UnknownName:
        hits = []
    if len(hits) == 1:
        return hits[0]
    if hits:
        names = "、".join(f"{place_names.get(h) or gazetteer.get(h).name}（{h}）" for h in hits)
        raise UnknownPlace(f"点位「{value}」对应多个点位：{names}，请填写其中一个的编号")
    close = close_places(gazetteer, value)
    hint = f"。您是不是要找：{'、'.join(close)}" if close else "，请从点位列表中选择，或填写点位名称"
    raise UnknownPlace(f"未知的点位：{value}{hint}")


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
    exact: str = ""  # "1": the place itself only, not the places under it
    page: int = 1
    place_ids: tuple[str, ...] = ()  # the place filter as store keys (set by :meth:`resolved`)
    notices: tuple[str, ...] = ()  # what could not be read as typed, one Chinese line each (set by :meth:`resolved`)
    dropped: tuple[str, ...] = ()  # the fields whose unknown values were left out (set by :meth:`resolved`)

    @classmethod
    def from_params(cls, params, *, gazetteer: Any = None, topics: dict[str, str] | None = None,
                    **defaults: str) -> Filters:
        """Read the filter fields from query parameters, with defaults for absent keys; :meth:`resolved` with the
        gazetteer and the topics' names (code → name)."""
        values = {k: (params.get(k) if k in params else defaults.get(k, "")) or "" for k in FILTER_KEYS}
        try:
            page = max(1, min(int(params.get("page", 1)), 10000))
        except (ValueError, OverflowError):
            page = 1
        made = cls(**{k: v.strip()[:200] for k, v in values.items()}, page=page)
        parse_day(made.since), parse_day(made.until)  # refuse out-of-range dates here, before any query
        return made.resolved(gazetteer, topics)

    def resolved(self, gazetteer: Any = None, topics: dict[str, str] | None = None) -> Filters:
        """These filters with Chinese labels read as codes (投诉 → complaint, 市容环境 → sanitation where the topics'
        names are given) and the place resolved (:func:`resolve_place_filter`); an unknown coded value is dropped
        with a notice; a reversed date range is swapped, with a notice."""
        changes: dict[str, Any] = {}
        notices, dropped = [], []
        since, until = parse_day(self.since), parse_day(self.until)
        if since and until and since > until:
            changes.update(since=until.isoformat(), until=since.isoformat())
            notices.append(f"起止日期颠倒（自 {since} 至 {until}），已按 {until} 至 {since} 检索")
        for key, table, name in CODED:
            value = getattr(self, key)
            if value:
                code = labels.code_of(value, table)
                if code is None:
                    notices.append(f"无法识别的{name}「{value}」，已忽略该条件")
                    dropped.append(key)
                changes[key] = code or ""
        if topics and self.topic:  # a code the table lacks (a retired topic still on posts) is kept as typed
            code = labels.code_of(self.topic, topics)
            if code is None:
                notices.append(f"主题「{self.topic}」不在主题表中，按原值筛选")
            changes["topic"] = code or self.topic
        exact = self.exact in ("1", "true", "on")
        place = resolve_place_filter(gazetteer, self.place, exact=exact)
        notices += [place.notice] if place.notice else []
        return replace(self, **changes, place=place.shown, exact="1" if exact and place.shown else "",
                       place_ids=place.keys, notices=tuple(notices), dropped=tuple(dropped))

    def clamped(self, total: int, page_size: int) -> Filters:
        """These filters on a page that exists: past the last page of ``total`` results, the last page (with a
        notice when there are results at all)."""
        last = max(1, (total + page_size - 1) // page_size)
        if self.page <= last:
            return self
        notice = (f"第 {self.page} 页超出范围（共 {last} 页），已显示最后一页",) if total else ()
        return replace(self, page=last, notices=self.notices + notice)

    def search(self, store: Any, page_size: int) -> tuple[Filters, Any]:
        """The filters of the page shown and its search result: past the last page, the last page's
        (:meth:`clamped`)."""
        result = store.search(self.query(page_size))
        last = self.clamped(result.total, page_size)
        if last is self:
            return self, result
        return last, store.search(last.query(page_size)) if result.total else result

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
            place_ids=self.place_ids or ((self.place,) if self.place else ()),
            sentiment_labels=sentiments,
            is_complaint=complaint,
            message_types=(self.type,) if self.type in MESSAGE_TYPES else (),
            review_statuses=(self.status,) if self.status else (),
            sort=self.sort if self.sort in SORTS else "auto",  # type: ignore[arg-type]
            offset=(self.page - 1) * page_size if paged else 0,
            limit=page_size,
        )

    def urlencode(self, **changes: object) -> str:
        """The query string of these filters with some fields changed (blank fields left out)."""
        values = {k: getattr(self, k) for k in (*FILTER_KEYS, "page")}
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in ("", None, 1) or k in ("kind", "status")})
