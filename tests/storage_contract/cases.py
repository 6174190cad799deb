"""The contract of :class:`storage.CaseStore`: versioned cases, one open case per key."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import (
    Case,
    CaseEvent,
    CaseStatus,
    Conflict,
    Severity,
)
from storage import CaseQuery, CaseStore
from tests.storage_contract.samples import STORE_NOW, T0, place


def make_case(cid: str = "C1", key: str = "p-market|sanitation", **kw) -> Case:
    """A case about the market's sanitation opened at T0 (fields overridable)."""
    fields = {"title": "大场菜场 市容环境", "place": place("p-market", "大场菜场"), "topic": "sanitation",
              "department": "城管中队", "opened_at": T0, "due_at": T0 + timedelta(hours=72), **kw}
    return Case(id=cid, key=key, **fields)


class CaseStoreContract:
    """Cases: create once, update with optimistic concurrency, find the open case for a key, list."""

    cases: CaseStore

    @pytest.fixture(autouse=True)
    def _bind_cases(self, store: CaseStore) -> None:
        self.cases = store

    def test_case_create_get_conflict(self) -> None:
        created = self.cases.create_case(make_case())
        assert created.version == 1
        got = self.cases.get_case("C1")
        assert got is not None and got.title == "大场菜场 市容环境" and got.version == 1
        with pytest.raises(Conflict):
            self.cases.create_case(make_case())
        assert self.cases.get_case("nope") is None

    def test_case_update_history_and_optimistic_concurrency(self) -> None:
        case = self.cases.create_case(make_case())
        moved = case.model_copy(update={"status": CaseStatus.ASSIGNED})
        event = CaseEvent(at=T0, actor="system", action="status", from_status=CaseStatus.NEW,
                          to_status=CaseStatus.ASSIGNED)
        stored = self.cases.update_case(moved, event)
        assert stored.version == 2 and stored.history[-1].to_status is CaseStatus.ASSIGNED
        again = self.cases.get_case("C1")
        assert again is not None and again.status is CaseStatus.ASSIGNED and len(again.history) == 1
        with pytest.raises(Conflict):
            self.cases.update_case(moved, event)  # stale: read at version 1

    def test_open_case_for_key_and_list(self) -> None:
        assert self.cases.open_case_for_key("p-market|sanitation") is None
        self.cases.create_case(make_case("C1", status=CaseStatus.CLOSED))
        self.cases.create_case(make_case("C2").model_copy(update={"opened_at": T0 + timedelta(days=1)}))
        self.cases.create_case(make_case("C3", key="p-qilian|shop_signs", department="市场监管所",
                                              severity=Severity.URGENT,
                                              due_at=T0 + timedelta(hours=24)))
        open_case = self.cases.open_case_for_key("p-market|sanitation")
        assert open_case is not None and open_case.id == "C2"
        assert [c.id for c in self.cases.list_cases(CaseQuery()).items] == ["C2", "C3", "C1"]  # ties: id desc
        assert self.cases.list_cases(CaseQuery()).total == 3
        assert [c.id for c in self.cases.list_cases(CaseQuery(open_only=True)).items] == ["C2", "C3"]
        assert [c.id for c in self.cases.list_cases(CaseQuery(department="市场监管所")).items] == ["C3"]
        assert [c.id for c in self.cases.list_cases(CaseQuery(statuses=(CaseStatus.CLOSED,))).items] == ["C1"]
        overdue = self.cases.list_cases(CaseQuery(open_only=True, due_before=T0 + timedelta(hours=30)))
        assert [c.id for c in overdue.items] == ["C3"]
        assert [c.id for c in self.cases.list_cases(CaseQuery(key="p-market|sanitation", limit=1)).items] == ["C2"]

    def test_cases_of_any_of_several_places(self) -> None:
        """``place_ids``: a place and the places under it, newest first; an empty tuple filters nothing."""
        self.cases.create_case(make_case("C1"))
        self.cases.create_case(make_case("C2", key="p-qilian|sanitation", place=place("p-qilian", "祁连"),
                                         opened_at=T0 + timedelta(days=1)))
        market = place("raw:翠湖菜市场", "翠湖菜场")
        self.cases.create_case(make_case("C3", key="raw:翠湖菜市场|sanitation", place=market,
                                         opened_at=T0 + timedelta(days=2)))
        both = self.cases.list_cases(CaseQuery(place_ids=("p-market", "raw:翠湖菜市场")))
        assert [c.id for c in both.items] == ["C3", "C1"] and both.total == 2
        assert [c.id for c in self.cases.list_cases(CaseQuery(place_ids=("p-qilian",), limit=5)).items] == ["C2"]
        assert self.cases.list_cases(CaseQuery(place_ids=("nowhere",))).total == 0
        assert self.cases.list_cases(CaseQuery(place_ids=())).total == 3

    def test_case_is_stamped_by_the_injected_clock(self) -> None:
        case = self.cases.create_case(make_case())
        assert case.updated_at == STORE_NOW
        assert self.cases.get_case("C1").updated_at == STORE_NOW
