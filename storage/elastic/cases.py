"""Cases in Elasticsearch: one index behind an alias, versioned writes."""

from __future__ import annotations

from typing import Any

from core import Case, CaseEvent, Conflict, NotFound
from storage.base import CaseList, CaseQuery, CaseStore
from storage.elastic.base import ElasticBase
from storage.elastic.errors import translate_errors


class ElasticCases(ElasticBase, CaseStore):
    """Cases, written with external versioning on their ``version``."""

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
        if query.place_ids:
            flt.append({"terms": {"place.id": list(query.place_ids)}})
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
