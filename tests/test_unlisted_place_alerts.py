"""A complaint spike about a place the gazetteer lacks (``raw:<name>``) still becomes one case keyed on it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from alerts.routing import UNASSIGNED, Router
from alerts.runner import AlertRunner
from core import PlaceRef, Post
from core.config import ElasticsearchConfig
from storage.base import CaseQuery, PostQuery
from storage.elastic import ElasticStore
from storage.sqlite import SQLiteStore
from tests.alerts_support import T0, Clock, background, config, planted_spike

ESTATE = PlaceRef(name="锦绣家园", key="raw:锦绣家园")


def _unlisted(posts: list[Post]) -> list[Post]:
    """The same complaints, with the place the extractor could not resolve."""
    return [p.model_copy(update={"places": [ESTATE], "text": p.text.replace("场中路", "锦绣家园小区")})
            for p in posts]


def _posts() -> list[Post]:
    return _unlisted(background(T0, 30) + planted_spike(T0, 8))


def _check_one_case(store, tmp_path: Path) -> None:
    runner = AlertRunner(store, config(tmp_path, quiet_hours=None), clock=Clock(T0 + timedelta(minutes=30)))
    report = runner.run_once(deliver=False)
    assert [m.place_id for m in report.matches] == ["raw:锦绣家园"]
    (case,) = store.list_cases(CaseQuery(limit=10)).items
    assert case.key == "raw:锦绣家园|sanitation"
    assert case.title.startswith("锦绣家园") and "raw:" not in case.title
    assert case.place is not None and case.place.name == "锦绣家园" and case.place.key == "raw:锦绣家园"
    assert case.department, "routed somewhere: the topic's department or the office's queue"
    assert len(case.evidence) >= 8
    assert runner.run_once(deliver=False).cases[0].id == case.id, "the next pass adds to the same case"
    assert store.list_cases(CaseQuery(limit=10)).total == 1
    related = store.search(PostQuery(place_ids=(case.place.id,), is_complaint=True, limit=100))
    assert related.total == len(_posts())


def test_unlisted_estate_spike_opens_one_case_on_sqlite(sqlite_path: Path, tmp_path: Path) -> None:
    store = SQLiteStore(sqlite_path)
    store.upsert_posts(_posts())
    _check_one_case(store, tmp_path)
    store.close()


@pytest.mark.elasticsearch
def test_unlisted_estate_spike_opens_one_case_on_elasticsearch(es_url: str, es_prefix: str, tmp_path: Path) -> None:
    store = ElasticStore(ElasticsearchConfig(url=es_url, index_prefix=es_prefix),
                         clock=Clock(T0 + timedelta(minutes=30)))
    store.init()
    store.upsert_posts(_posts(), refresh=True)
    _check_one_case(store, tmp_path)


def test_routing_an_unlisted_place() -> None:
    r = Router(config(Path("/nonexistent")).alerts)
    assert r.place_name("raw:锦绣家园") == "锦绣家园"
    assert r.place_name("raw:") == "raw:" and r.place_name(None) == "未知地点"
    route = r.route("raw:锦绣家园", None)
    assert route.department == UNASSIGNED and route.grid is None
    assert route.place == PlaceRef(id="raw:锦绣家园", name="锦绣家园", key="raw:锦绣家园")
    assert r.route("dc-unknown-id", None).place == PlaceRef(id="dc-unknown-id", name="dc-unknown-id")


def test_flagging_posts_about_an_unlisted_place_opens_its_case(sqlite_path: Path, tmp_path: Path) -> None:
    from alerts.cases import CaseService

    store = SQLiteStore(sqlite_path)
    posts = _unlisted(planted_spike(T0, 2))
    store.upsert_posts(posts)
    svc = CaseService(store, config(tmp_path), clock=Clock(T0))
    case = svc.flag([p.id for p in posts], "office1")
    assert case.key == "raw:锦绣家园|sanitation" and case.title.startswith("锦绣家园")
    store.close()
