"""Precomputed hourly complaint counts for the detection read (docs/storage.md).

What a continuous transform would do, done by the store (the minimal distribution has no transform
module): one document per hour in ``<prefix>-counts-v1`` with that hour's rows, recounted whole from the
posts stored since a checkpoint (``f.stored_at``), so re-upserts and reviews never count twice. Reads take
unchanged hours from it and count the rest from the posts: the same rows as the direct read.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from elasticsearch import ApiError, ConflictError, Elasticsearch, NotFoundError, TransportError, helpers

from core import StoreError, StoreUnavailable, utcnow
from storage.base import CountRow
from storage.elastic.errors import shard_failure_line
from storage.elastic.hours import HOUR, ceil_hour, floor_hour, from_ms, hours_in, merge, month_hours, ms, runs

_PAGE = 10_000  # composite buckets (changed hours) per page
_HOURS_PAGE = 500  # hour documents per page: a city's hour holds thousands of rows (~100 KB)
_STATE_ID = "state"
_BRIDGE_UPDATE = 48  # hours: a rollup recounts a gap this short between changed hours rather than split the read
_BRIDGE_READ = 6  # the same for the hours a detection read counts from the posts
_MAPPING = {"dynamic": False, "properties": {"hour": {"type": "date"}, "kind": {"type": "keyword"}}}

Direct = Callable[[datetime, datetime, timedelta, bool], list[CountRow]]
log = logging.getLogger("storage.elastic.counts")  # a child of the backend's logger


class HourlyCounts:
    """The counts index of one store prefix: install, bring up to date, read."""

    def __init__(self, es: Elasticsearch, prefix: str, posts_alias: str, direct: Direct, *,
                 check: Callable[[Any, str], None], url: str = "", wall: Callable[[], datetime] = utcnow,
                 delay: timedelta = timedelta(minutes=2), lease: timedelta = timedelta(minutes=10)) -> None:
        self.es = es
        self.index = f"{prefix}-counts-v1"
        self.posts_alias = posts_alias
        self.posts_prefix = f"{prefix}-posts-v"
        self.direct = direct  # the direct read over the posts: (since, until, bucket, by_topic) -> rows
        self.check = check  # the read's: raises on a partial answer (some shards failed) and counts it
        self.url = url
        self.wall = wall
        self.delay = delay
        self.lease = lease
        self.owner = uuid.uuid4().hex
        self._warned: set[str] = set()
        self.last_update: str | None = None  # what the last update did (bench, CLI)

    # ---- install -------------------------------------------------------------
    def install(self) -> list[str]:
        """Create the counts index and its state document (idempotent)."""
        if self.es.indices.exists(index=self.index):
            return []
        self.es.options(ignore_status=400).indices.create(
            index=self.index, settings={"number_of_shards": 1, "auto_expand_replicas": "0-1"}, mappings=_MAPPING)
        self.es.options(ignore_status=409).create(index=self.index, id=_STATE_ID, refresh=True, document={
            "kind": "state", "checkpoint": None, "generation": 0, "claim": None, "indices": []})
        return [f"created index {self.index} (precomputed hourly complaint counts; filled by the first "
                "detection read)"]

    def _state(self) -> dict[str, Any] | None:
        try:
            doc = self.es.get(index=self.index, id=_STATE_ID)
        except NotFoundError:
            return None
        return {**doc["_source"], "_seq_no": doc["_seq_no"], "_primary_term": doc["_primary_term"]}

    def _warn_once(self, key: str, line: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning("%s", line)

    # ---- update (the "transform") -------------------------------------------
    def update(self) -> str | None:
        """Recount the hours whose posts changed since the checkpoint; one line of what was done, or None
        when another process holds the lease (its rollup is running) or there is no counts index."""
        state = self._state()
        if state is None:
            self._warn_once("missing", f"no precomputed complaint counts ({self.index} is missing: run "
                                       "`yuqing es init`); the detection read counts the posts directly")
            return None
        now = self.wall()
        claim = state.get("claim") or {}
        if claim and claim.get("owner") != self.owner and claim.get("until", 0) > ms(now):
            return None
        checkpoint = now - self.delay
        previous = state.get("checkpoint")
        self.es.indices.refresh(index=self.posts_alias, ignore_unavailable=True, allow_no_indices=True)
        indices = sorted(self.es.indices.get_alias(name=self.posts_alias)) if self.es.indices.exists_alias(
            name=self.posts_alias) else []
        dirty = set(self.changed_hours(None if previous is None else from_ms(previous), checkpoint, None, None,
                                       check=self._strict))
        gone = set(state.get("indices") or []) - set(indices)  # a month dropped (retention) or migrated
        if previous is not None and not dirty and not gone:
            self.last_update = "no posts stored since the checkpoint"
            return self.last_update  # the checkpoint may stay: the reads look for changes after it
        generation = int(state.get("generation") or 0) + 1
        try:
            claimed = self.es.index(index=self.index, id=_STATE_ID, if_seq_no=state["_seq_no"],
                                    if_primary_term=state["_primary_term"], document={
                                        **_clean(state), "generation": generation,
                                        "claim": {"owner": self.owner, "until": ms(now + self.lease)}})
        except ConflictError:
            return None  # another rollup claimed it first
        for name in gone:
            suffix = name.rsplit("-", 1)[-1]
            if name.startswith(self.posts_prefix) and len(suffix) == 7:
                dirty.update(month_hours(suffix))
        written = stale = 0
        spans = runs(dirty, bridge=_BRIDGE_UPDATE)
        for lo, hi in spans:
            by_topic = self.direct(lo, hi, HOUR, True)
            by_place = self.direct(lo, hi, HOUR, False)
            w, s = self._write(lo, hi, by_topic, by_place, generation)
            written, stale = written + w, stale + s
        try:
            self.es.index(index=self.index, id=_STATE_ID, refresh=True, if_seq_no=claimed["_seq_no"],  # rows too
                          if_primary_term=claimed["_primary_term"], document={
                              "kind": "state", "checkpoint": ms(checkpoint), "generation": generation,
                              "claim": None, "indices": indices})
        except ConflictError:
            return None  # the lease ran out and another rollup took over: its checkpoint stands
        self.last_update = (f"recounted {written} hours ({len(spans)} runs"
                            + (f", {stale} left to a newer rollup" if stale else "")
                            + f"); checkpoint {checkpoint:%Y-%m-%d %H:%M:%S} UTC")
        return self.last_update

    def _write(self, lo: datetime, hi: datetime, by_topic: list[CountRow], by_place: list[CountRow],
               generation: int) -> tuple[int, int]:
        """One document per hour of ``[lo, hi)`` (empty hours too: they replace older counts)."""
        docs: dict[datetime, dict[str, Any]] = {}
        h = lo
        while h < hi:
            docs[h] = {"kind": "hour", "hour": ms(h), "t": [], "p": []}
            h += HOUR
        for r in by_topic:
            docs[r.bucket]["t"].append([r.place_id, r.topic, r.count])
        for r in by_place:
            docs[r.bucket]["p"].append([r.place_id, r.count])
        actions = ({"_op_type": "index", "_index": self.index, "_id": str(d["hour"]), "_source": d,
                    "version": generation, "version_type": "external_gte"} for d in docs.values())
        written = stale = 0
        for ok, item in helpers.streaming_bulk(self.es, actions, raise_on_error=False, chunk_size=200):
            if ok:
                written += 1
            elif item.get("index", {}).get("status") == 409:
                stale += 1
            else:
                raise StoreError(f"writing complaint counts to {self.index}: {item}")
        return written, stale

    def _strict(self, resp: Any, operation: str) -> None:
        """The rollup's shard check: a partial answer is refused (not counted: the direct read that follows
        reads the same shards and counts it)."""
        line = shard_failure_line(resp, self.url, operation)
        if line is not None:
            raise StoreUnavailable(f"{line}; not using a partial answer")

    def changed_hours(self, since_stored: datetime | None, until_stored: datetime | None,
                      lo: datetime | None, hi: datetime | None, *,
                      check: Callable[[Any, str], None] | None = None) -> list[datetime]:
        """Hours (of ``published_at``, within ``[lo, hi)`` if given) of the posts stored in
        ``[since_stored, until_stored)`` (an open end: unbounded)."""
        flt: list[dict[str, Any]] = []
        stored: dict[str, int] = {}
        if since_stored is not None:
            stored["gte"] = ms(since_stored)
        if until_stored is not None:
            stored["lt"] = ms(until_stored)
        if stored:
            flt.append({"range": {"f.stored_at": {**stored, "format": "epoch_millis"}}})
        if lo is not None and hi is not None:
            flt.append({"range": {"published_at": {"gte": lo.isoformat(), "lt": hi.isoformat()}}})
        hours: list[datetime] = []
        after: dict[str, Any] | None = None
        while True:
            composite: dict[str, Any] = {"size": _PAGE, "sources": [
                {"h": {"date_histogram": {"field": "published_at", "fixed_interval": "1h"}}}]}
            if after:
                composite["after"] = after
            resp = self.es.search(index=self.posts_alias, size=0, track_total_hits=False,
                                  query={"bool": {"filter": flt}}, aggs={"c": {"composite": composite}},
                                  ignore_unavailable=True, allow_no_indices=True)
            (check or self.check)(resp, "complaint counts (changed hours)")
            agg = resp.get("aggregations", {}).get("c") or {"buckets": []}
            hours += [from_ms(b["key"]["h"]) for b in agg["buckets"]]
            if len(agg["buckets"]) < _PAGE or not agg.get("after_key"):
                return hours
            after = agg["after_key"]

    # ---- read ----------------------------------------------------------------
    def read(self, since: datetime, until: datetime, bucket: timedelta, by_topic: bool) -> list[CountRow]:
        """The detection read: counts documents for whole hours unchanged since the checkpoint, the posts
        for the rest. Other bucket sizes (distinct counts do not add up across hours) read the posts."""
        if bucket != HOUR or until <= since:
            return self.direct(since, until, bucket, by_topic)
        try:
            self.update()
            state = self._state()
        except (ApiError, TransportError, StoreError, StoreUnavailable) as exc:
            log.warning("could not bring the precomputed complaint counts in %s up to date (%s); the detection "
                        "read counts the posts directly", self.index, _reason(exc))
            return self.direct(since, until, bucket, by_topic)
        if state is None:  # said once by update(): the counts index is missing
            return self.direct(since, until, bucket, by_topic)
        if state.get("checkpoint") is None:
            self._warn_once("empty", f"no precomputed complaint counts in {self.index} yet; the detection read "
                                     "counts the posts directly")
            return self.direct(since, until, bucket, by_topic)
        first, last = ceil_hour(since), floor_hour(until)
        if first >= last:  # no whole hour in the window
            return self.direct(since, until, bucket, by_topic)
        changed = self.changed_hours(from_ms(state["checkpoint"]), None, first, last)
        ranges = merge([(since, first), *runs(changed, bridge=_BRIDGE_READ), (last, until)])
        live = {h for lo, hi in ranges for h in hours_in(max(lo, first), min(hi, last))}
        rows = [r for lo, hi in ranges if lo < hi for r in self.direct(lo, hi, HOUR, by_topic)]
        rows += self._stored_rows(first, last, live, by_topic)
        rows.sort(key=lambda r: (r.bucket, r.place_id, r.topic or ""))
        return rows

    def _stored_rows(self, lo: datetime, hi: datetime, skip: set[datetime], by_topic: bool) -> list[CountRow]:
        if lo >= hi:
            return []
        field = "t" if by_topic else "p"
        rows: list[CountRow] = []
        after: list[Any] | None = None
        while True:
            kwargs: dict[str, Any] = {"search_after": after} if after else {}
            resp = self.es.search(index=self.index, size=_HOURS_PAGE, sort=[{"hour": "asc"}], source_includes=[field],
                                  query={"bool": {"filter": [{"term": {"kind": "hour"}}, {"range": {"hour": {
                                      "gte": ms(lo), "lt": ms(hi), "format": "epoch_millis"}}}]}}, **kwargs)
            self.check(resp, "complaint counts (stored hours)")
            hits = resp["hits"]["hits"]
            for h in hits:
                hour = from_ms(int(h["sort"][0]))
                if hour in skip:
                    continue
                for row in h["_source"].get(field) or []:
                    if by_topic:
                        rows.append(CountRow(place_id=row[0], topic=row[1], bucket=hour, count=row[2]))
                    else:
                        rows.append(CountRow(place_id=row[0], topic=None, bucket=hour, count=row[1]))
            if len(hits) < _HOURS_PAGE:
                return rows
            after = hits[-1]["sort"]


def _clean(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if not k.startswith("_")}


def _reason(exc: Exception) -> str:
    return str(getattr(exc, "message", None) or exc).splitlines()[0][:200]
