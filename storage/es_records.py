"""Cases, the delivery outbox and per-source state in Elasticsearch (a mixin of ElasticStore).

Single indices behind aliases, written with external versioning on the record's ``version``: a write
carries ``version = read version + 1`` and Elasticsearch refuses it unless the stored version is lower.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from elasticsearch import ConflictError, Elasticsearch, NotFoundError

from core import Case, CaseEvent, Conflict, NotFound, OutboxItem, OutboxStatus, SourceState
from storage.base import CaseList, CaseQuery
from storage.es_admin import IndexAdmin
from storage.es_errors import translate_errors


class ElasticRecords:
    """The versioned records of :class:`storage.elastic.ElasticStore`."""

    es: Elasticsearch
    admin: IndexAdmin
    _clock: Callable[[], datetime]  # "now" for updated_at, injected by the store

    def _check_shards(self, resp: Any, operation: str, *, strict: bool) -> None:  # provided by ElasticStore
        raise NotImplementedError

    def _put(self, kind: str, doc_id: str, body: dict[str, Any], version: int, *, refresh: bool = True) -> None:
        """Write with external versioning: fails with Conflict unless the stored version is below ``version``."""
        try:
            self.es.index(index=self.admin.alias(kind), id=doc_id, document=body, version=version,
                          version_type="external", refresh=refresh, require_alias=True)
        except ConflictError:
            raise Conflict(f"{kind} record {doc_id} was changed by someone else") from None

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

    # ---- cases -----------------------------------------------------------
    @translate_errors
    def create_case(self, case: Case) -> Case:
        """Store a new case; Conflict if the id exists."""
        stored = case.model_copy(update={"version": 1, "updated_at": self._clock()})
        try:
            self._put("cases", case.id, stored.model_dump(mode="json"), 1)
        except Conflict:
            raise Conflict(f"case {case.id} exists already") from None
        return stored

    @translate_errors
    def get_case(self, case_id: str) -> Case | None:
        """The case with this id, or None."""
        doc = self._get("cases", case_id)
        return Case.model_validate(doc) if doc else None

    @translate_errors
    def list_cases(self, query: CaseQuery) -> CaseList:
        """Cases matching the filter, newest first."""
        flt: list[dict[str, Any]] = []
        if query.statuses:
            flt.append({"terms": {"status": [s.value for s in query.statuses]}})
        must_not = [{"term": {"status": "closed"}}] if query.open_only else []
        for fld, value in (("department", query.department), ("place.id", query.place_id),
                           ("topic", query.topic), ("key", query.key)):
            if value is not None:
                flt.append({"term": {fld: value}})
        if query.due_before is not None:
            flt.append({"range": {"due_at": {"lt": query.due_before.isoformat()}}})
        total, docs = self._find("cases", {"bool": {"filter": flt, "must_not": must_not}},
                                 [{"opened_at": "desc"}, {"id": "desc"}], query.limit, query.offset)
        return CaseList(total=total, items=[Case.model_validate(d) for d in docs])

    @translate_errors
    def update_case(self, case: Case, event: CaseEvent | None = None) -> Case:
        """Write a changed case (optimistic concurrency on its version)."""
        history = [*case.history, event] if event is not None else case.history
        stored = case.model_copy(update={"version": case.version + 1, "updated_at": self._clock(), "history": history})
        current = self._get("cases", case.id)
        if current is None:
            raise NotFound(f"no case {case.id}")
        if current.get("version") != case.version:
            raise Conflict(f"case {case.id} was changed by someone else (expected version {case.version})")
        self._put("cases", case.id, stored.model_dump(mode="json"), stored.version)
        return stored

    @translate_errors
    def open_case_for_key(self, key: str) -> Case | None:
        """The newest case for this key that is not closed."""
        _total, docs = self._find("cases", {"bool": {"filter": [{"term": {"key": key}}],
                                                      "must_not": [{"term": {"status": "closed"}}]}},
                                  [{"opened_at": "desc"}, {"id": "desc"}], 1)
        return Case.model_validate(docs[0]) if docs else None

    # ---- outbox ----------------------------------------------------------
    @translate_errors
    def enqueue(self, item: OutboxItem) -> bool:
        """Add a delivery unless one with the same id exists."""
        try:
            self._put("outbox", item.id, item.model_copy(update={"version": 1}).model_dump(mode="json"), 1)
        except Conflict:
            return False
        return True

    @translate_errors
    def get_outbox_item(self, item_id: str) -> OutboxItem | None:
        """The item with this id, or None."""
        doc = self._get("outbox", item_id)
        return OutboxItem.model_validate(doc) if doc else None

    @translate_errors
    def claim_due(self, now: datetime, owner: str, lease: timedelta, limit: int = 20) -> list[OutboxItem]:
        """Lease due pending items; an item another worker leased first is skipped."""
        query = {"bool": {
            "filter": [{"term": {"status": "pending"}}, {"range": {"next_try_at": {"lte": now.isoformat()}}}],
            "should": [{"bool": {"must_not": {"exists": {"field": "lease_until"}}}},
                       {"range": {"lease_until": {"lte": now.isoformat()}}}],
            "minimum_should_match": 1,
        }}
        _total, docs = self._find("outbox", query, [{"next_try_at": "asc"}, {"created_at": "asc"}], limit)
        claimed = []
        for doc in docs:
            item = OutboxItem.model_validate(doc)
            leased = item.model_copy(update={"lease_owner": owner, "lease_until": now + lease,
                                             "version": item.version + 1})
            try:
                self._put("outbox", item.id, leased.model_dump(mode="json"), leased.version, refresh=False)
            except Conflict:
                continue
            claimed.append(leased)
        if claimed:
            self.es.indices.refresh(index=self.admin.alias("outbox"))
        return claimed

    @translate_errors
    def save_outbox_item(self, item: OutboxItem) -> OutboxItem:
        """Write an item after an attempt."""
        stored = item.model_copy(update={"version": item.version + 1})
        current = self._get("outbox", item.id)
        if current is None or current.get("version") != item.version:
            raise Conflict(f"outbox item {item.id} was changed by someone else")
        self._put("outbox", item.id, stored.model_dump(mode="json"), stored.version)
        return stored

    @translate_errors
    def outbox_stats(self, now: datetime) -> dict[str, Any]:
        """Counts by status and the oldest pending item's age."""
        resp = self.es.search(
            index=self.admin.alias("outbox"), size=0,
            aggs={"s": {"terms": {"field": "status", "size": 10}},
                  "p": {"filter": {"term": {"status": "pending"}}, "aggs": {"o": {"min": {"field": "created_at"}}}}},
        )
        self._check_shards(resp, "outbox_stats", strict=True)
        counts = {s.value: 0 for s in OutboxStatus}
        for b in resp["aggregations"]["s"]["buckets"]:
            counts[b["key"]] = b["doc_count"]
        oldest = resp["aggregations"]["p"]["o"].get("value")
        lag = max(0.0, now.timestamp() - oldest / 1000) if oldest is not None else 0.0
        return {**counts, "oldest_pending_age_s": lag}

    # ---- source state ----------------------------------------------------
    @translate_errors
    def get_source_state(self, name: str) -> SourceState | None:
        """One source's state."""
        doc = self._get("sources", name)
        return SourceState.model_validate(doc) if doc else None

    @translate_errors
    def save_source_state(self, state: SourceState) -> SourceState:
        """Write a state read at its version (0 creates)."""
        stored = state.model_copy(update={"version": state.version + 1, "updated_at": self._clock()})
        if state.version > 0:
            current = self._get("sources", state.name)
            if current is None or current.get("version") != state.version:
                raise Conflict(f"source state {state.name} was changed by someone else")
        self._put("sources", state.name, stored.model_dump(mode="json"), stored.version)
        return stored

    @translate_errors
    def list_source_states(self) -> list[SourceState]:
        """Every source's state, by name."""
        _total, docs = self._find("sources", {"match_all": {}}, [{"name": "asc"}], 10000)
        return [SourceState.model_validate(d) for d in docs]
