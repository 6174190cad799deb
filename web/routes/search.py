"""检索 and 热点: full-text search with highlights and charts, exports, a before/after view, hot spots."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Request

from core import SHANGHAI
from storage import CaseQuery, PostQuery
from web import charts
from web.deps import OWN_ONLY, BadRequest, Console, CurrentUser, Forbidden, SearchUser, console, render
from web.exports import EXPORT_TYPES, export_response
from web.filters import Filters, day_start, parse_day, resolve_place_filter
from web.present import SENTIMENT_NAMES

router = APIRouter()
SENTIMENT_KEYS = ["negative", "neutral", "positive"]


def _histogram_chart(con: Console, q: PostQuery, label: str, f: Filters | None = None):
    """Sentiment per hour (a range of up to three days), per day, or per week (more than 90 days) as stacked
    bars; with the filters ``f``, a day's bar opens the search narrowed to that day."""
    hourly = q.since is not None and q.until is not None and q.until - q.since <= timedelta(days=3)
    interval = timedelta(hours=1) if hourly else timedelta(days=1)
    buckets = con.store.histogram(q, interval, split_by="sentiment_label")
    if not hourly and len(buckets) > 1 and buckets[-1].start - buckets[0].start > timedelta(days=90):
        interval = timedelta(days=7)
        buckets = con.store.histogram(q, interval, split_by="sentiment_label")
    dense = charts.fill_gaps(buckets, interval, q.since if hourly else None, q.until if hourly else None)[-120:]
    fmt = "%d日%H时" if hourly else ("%m-%d" if interval.days == 1 else "%y-%m-%d")
    links = None
    if f is not None and not hourly:
        links = []
        for t, _ in dense:
            first = t.astimezone(SHANGHAI).date()
            last = (t + interval - timedelta(seconds=1)).astimezone(SHANGHAI).date()
            links.append("/search?" + f.urlencode(since=first.isoformat(), until=last.isoformat(), page=1))
    return charts.stacked_bars([(t.astimezone(SHANGHAI).strftime(fmt), split) for t, split in dense],
                               SENTIMENT_KEYS, SENTIMENT_NAMES, label, links=links)


@router.get("/search")
def search(request: Request, user: SearchUser):
    """Search with filters; highlights, the sentiment-over-time chart, top places and topics."""
    con = console(request)
    f = Filters.from_params(request.query_params, gazetteer=con.gazetteer, topics=con.topic_names)
    size = con.config.web.page_size
    f, result = f.search(con.store, size)  # past the end: the last page, said so
    q = f.query(size)
    agg = replace(q, offset=0, limit=0, highlight=False)
    complaints = replace(agg, is_complaint=True)
    places = con.store.terms(complaints, "place", 10)
    topics = con.store.terms(complaints, "topic", 12)
    return render(
        request, "search.html", nav="search", f=f, result=result, pages=(result.total + size - 1) // size,
        time_chart=_histogram_chart(con, agg, "情感走势", f),
        place_chart=charts.hbars(
            [(con.place_name(p), n) for p, n in places], "投诉点位 Top 10", color="#d9534f",
            links=[_before_after_link(p) for p, _ in places],
        ),
        topic_chart=charts.hbars([(con.topic_name(t), n) for t, n in topics], "投诉主题"),
        exports=EXPORT_TYPES,
    )


@router.get("/search/export.{kind}")
def export(request: Request, kind: str, user: SearchUser):
    """The whole result (up to ``web.export_limit`` rows) as CSV or .xlsx."""
    con = console(request)
    if kind not in EXPORT_TYPES:
        raise BadRequest("不支持的导出格式", 404)
    f = Filters.from_params(request.query_params, gazetteer=con.gazetteer, topics=con.topic_names)
    if f.dropped:  # a file cannot say that a condition was left out: refuse, as the page would have said
        raise BadRequest("；".join(f.notices))
    posts = con.store.iter_posts(f.query(1, paged=False))
    con.audit.record(user.username, "export", f"search:{kind}", filters=f.urlencode())
    return export_response(kind, posts, con, limit=con.config.web.export_limit)


def _before_after_link(place: str) -> str:
    """The before/after page of a place (an unlisted place's key URL-encoded)."""
    return "/search/place?" + urlencode({"place": place})


@router.get("/search/place")
def before_after(request: Request, user: CurrentUser, place: str = "", around: str = "", days: int = 30,
                 case: str = ""):
    """Complaints about one place per day, before and after a date (by default the case's closing date).

    A place is itself and the places under it, as in the search filter: a town's page counts its estates' and
    roads' complaints and lists their cases too."""
    con = console(request)
    days = max(7, min(days, 180))
    pivot = None
    case_obj = con.store.get_case(case) if case else None
    own_only = user.role == "department" and con.config.web.department_search != "all"
    if own_only and (case_obj is None or case_obj.department != user.department):
        raise Forbidden(OWN_ONLY)
    if case_obj is not None:
        if user.role == "department" and case_obj.department != user.department:
            case_obj = None
        else:
            place = place or (case_obj.place.id if case_obj.place and case_obj.place.id else "")
            when = case_obj.closed_at or case_obj.opened_at
            pivot = when.astimezone(SHANGHAI).date()
    if around:
        pivot = parse_day(around)
        if pivot is None:
            raise BadRequest("日期格式应为 YYYY-MM-DD")
    if not place:
        raise BadRequest("请指定点位")
    place, keys, notice, under = resolve_place_filter(con.gazetteer, place)
    if not keys:
        raise BadRequest(notice or "请指定点位")
    if own_only and case_obj is not None and case_obj.place and place != case_obj.place.id:
        raise Forbidden(OWN_ONLY)
    pivot = pivot or con.now().astimezone(SHANGHAI).date()
    mid = day_start(pivot)
    since, until = mid - timedelta(days=days), mid + timedelta(days=days)
    q = PostQuery(place_ids=keys, is_complaint=True, since=since, until=until, limit=0, highlight=False)
    buckets = con.store.histogram(q, timedelta(days=1))
    before = sum(b.total for b in buckets if b.start < mid)
    after = sum(b.total for b in buckets if b.start >= mid)
    rows = [(t.astimezone(SHANGHAI).strftime("%m-%d"), {"before" if t < mid else "after": sum(split.values())})
            for t, split in charts.fill_gaps(buckets, timedelta(days=1), since, until)]
    chart = charts.stacked_bars(rows, ["before", "after"], {"before": "之前", "after": "之后"}, "前后对比")
    cases = con.store.list_cases(CaseQuery(place_ids=keys, limit=20)).items  # the place's and those under it
    if user.role == "department":
        cases = [c for c in cases if c.department == user.department]
    change = None if before == 0 else (after - before) / before
    return render(
        request, "before_after.html", nav="search", place=place, pivot=pivot, days=days, before=before,
        after=after, change=change, chart=chart, cases=cases, case=case_obj, under=under, notice=notice,
        own_only=own_only,
    )


@router.get("/hotspots")
def hotspots(request: Request, user: SearchUser, days: int = 7):
    """Places ordered by distinct complaints in the last days, with their open cases."""
    con = console(request)
    days = max(1, min(days, 90))
    now = con.now()
    q = PostQuery(is_complaint=True, since=now - timedelta(days=days), until=now, limit=0, highlight=False)
    places = con.store.terms(q, "place", 30)
    prev = dict(con.store.terms(replace(q, since=now - timedelta(days=2 * days), until=now - timedelta(days=days)),
                                "place", 200))
    open_cases = con.store.list_cases(CaseQuery(open_only=True, limit=500)).items
    by_place: dict[str, list] = {}
    for c in open_cases:
        if c.place and c.place.id and (user.role != "department" or c.department == user.department):
            by_place.setdefault(c.place.id, []).append(c)
    rows = [
        {"id": p, "name": con.place_name(p), "count": n, "prev": prev.get(p, 0), "cases": by_place.get(p, [])}
        for p, n in places
    ]
    chart = charts.hbars([(r["name"], r["count"]) for r in rows[:15]], "热点点位", color="#d9534f",
                         links=[_before_after_link(r["id"]) for r in rows[:15]])
    return render(request, "hotspots.html", nav="hotspots", rows=rows, days=days, chart=chart,
                  heat=heat_table(con, q, [r["id"] for r in rows[:15]]))


def heat_table(con: Console, q: PostQuery, places: list[str], n_topics: int = 8) -> dict:
    """Complaints per place × topic (the hot places, the most complained-about topics); each cell opens the
    posts it counts (the place itself, not the places under it). Shading is the cell's share of the largest cell."""
    topics = [t for t, _ in con.store.terms(q, "topic", n_topics)]
    cells: dict[tuple[str, str], int] = {}
    for topic in topics:
        for place, n in con.store.terms(replace(q, topics=(topic,)), "place", 200):
            if place in places:
                cells[(place, topic)] = n
    peak = max(cells.values(), default=0) or 1
    since = q.since.astimezone(SHANGHAI).date().isoformat() if q.since else ""
    rows = []
    for place in places:
        row = []
        for topic in topics:
            n = cells.get((place, topic), 0)
            link = "/search?" + urlencode({"place": place, "exact": "1", "topic": topic, "kind": "complaint",
                                           "since": since}) if n else None
            row.append({"n": n, "level": min(5, round(5 * n / peak)), "link": link})
        rows.append({"id": place, "name": con.place_name(place), "cells": row})
    return {"topics": [(t, con.topic_name(t)) for t in topics], "rows": rows}


@router.get("/events")
def events_page(request: Request, user: SearchUser, days: int = 7):
    """事件: complaints of the last days grouped into events (place × topic, split by quiet gaps), biggest first,
    each with its timeline and a link to its posts."""
    from web.events import group_events

    con = console(request)
    days = max(1, min(days, 90))
    now = con.now()
    # the newest complaints of the window (a busy window is cut at MAX_EVENT_POSTS, and the page says so)
    q = PostQuery(is_complaint=True, since=now - timedelta(days=days), until=now, sort="newest",
                  limit=MAX_EVENT_POSTS, highlight=False)
    posts = [hit.post for hit in con.store.search(q).hits]
    rows = []
    for ev in group_events(posts, con.place_names, con.topic_names)[:50]:
        since, until = (t.astimezone(SHANGHAI).date().isoformat() for t in (ev.first, ev.last))
        # the event's own place (an unlisted place's key too), not the places under it: the posts it counts
        place = {"place": ev.place_id, "exact": "1"} if ev.place_id else {}
        link = urlencode({**place, "topic": ev.topic_code, "kind": "complaint", "since": since, "until": until})
        rows.append({"event": ev, "timeline": charts.sparkbars(ev.timeline(), f"{ev.place} {ev.topic}"),
                     "link": f"/search?{link}"})
    return render(request, "events.html", nav="events", rows=rows, days=days, total=len(posts),
                  capped=len(posts) >= MAX_EVENT_POSTS)


#: Most complaints read for the 事件 page.
MAX_EVENT_POSTS = 5000
