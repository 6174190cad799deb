"""``alerts.exclude_levels`` reaches places the gazetteer lacks (review R14 item 6): an unlisted town (``raw:青石镇``,
level town in the posts' own place refs) opens no case of its own, as a listed town (大场镇 = dachang) opens none,
while the body in it (``raw:青石镇派出所``) and an unlisted estate still open theirs."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from alerts.cases import CaseService
from alerts.routing import Router, unlisted_levels
from alerts.runner import AlertRunner
from core import PlaceLevel, PlaceRef, Post
from core.config import ElasticsearchConfig
from storage.base import CaseQuery
from storage.elastic import ElasticStore
from storage.sqlite import SQLiteStore
from tests.alerts_support import T0, Clock, background, config, planted_spike

L = PlaceLevel
# letters like 青石镇派出所民警态度恶劣，青石镇的治安也很差: the body and its town, both unlisted, both keyed
TOWN = PlaceRef(name="青石镇", level=L.TOWN, key="raw:青石镇")
BODY = PlaceRef(name="青石镇派出所", level=L.OTHER, key="raw:青石镇派出所")
ESTATE = PlaceRef(name="翠湖湾小区", level=L.COMPOUND, key="raw:翠湖湾")
LISTED_TOWN = PlaceRef(id="dachang", name="大场镇", level=L.TOWN)
LISTED_BODY = PlaceRef(name="大场镇派出所", level=L.OTHER, key="raw:大场镇派出所")
NOW = T0 + timedelta(minutes=30)


def _about(posts: list[Post], places: list[PlaceRef], text: str) -> list[Post]:
    """The same complaints (a quiet month, then a spike), about these places instead."""
    return [p.model_copy(update={"places": places, "text": p.text.replace("场中路垃圾堆了好几天没人清理", text)})
            for p in posts]


def _spike(places: list[PlaceRef], text: str) -> list[Post]:
    return _about(background(T0, 30) + planted_spike(T0, 8), places, text)


def _police_posts() -> list[Post]:
    return _spike([BODY, TOWN], "青石镇派出所民警态度恶劣，青石镇的治安也很差")


def _place_ids(store, tmp_path: Path, posts: list[Post], **alerts) -> list[str]:
    store.upsert_posts(posts)
    runner = AlertRunner(store, config(tmp_path, quiet_hours=None, **alerts), clock=Clock(NOW))
    report = runner.run_once(deliver=False)
    cases = store.list_cases(CaseQuery(limit=20)).items
    assert sorted(m.place_id for m in report.matches) == sorted({c.place.id for c in cases if c.place})
    return sorted(c.place.id for c in cases if c.place)


def test_a_spike_at_an_unlisted_towns_body_opens_the_bodys_case_alone(sqlite_path: Path, tmp_path: Path) -> None:
    store = SQLiteStore(sqlite_path)
    assert _place_ids(store, tmp_path, _police_posts()) == ["raw:青石镇派出所"]
    (case,) = store.list_cases(CaseQuery(limit=20)).items
    assert case.key.startswith("raw:青石镇派出所|") and case.title.startswith("青石镇派出所")
    assert len(case.evidence) >= 8
    store.close()


def test_the_unlisted_town_opens_its_case_when_towns_are_not_excluded(sqlite_path: Path, tmp_path: Path) -> None:
    store = SQLiteStore(sqlite_path)  # the office's own setting decides, as for a listed town
    ids = _place_ids(store, tmp_path, _police_posts(), exclude_levels=["district"])
    assert ids == ["raw:青石镇", "raw:青石镇派出所"]
    store.close()


def test_a_listed_town_is_still_excluded(sqlite_path: Path, tmp_path: Path) -> None:
    store = SQLiteStore(sqlite_path)
    posts = _spike([LISTED_BODY, LISTED_TOWN], "大场镇派出所民警态度恶劣，大场镇的治安也很差")
    assert _place_ids(store, tmp_path, posts) == ["raw:大场镇派出所"]
    store.close()


def test_an_unlisted_estate_in_an_unlisted_town_still_opens_its_case(sqlite_path: Path, tmp_path: Path) -> None:
    store = SQLiteStore(sqlite_path)
    posts = _spike([TOWN, ESTATE], "青石镇翠湖湾小区的垃圾堆了好几天没人清理")
    assert _place_ids(store, tmp_path, posts) == ["raw:翠湖湾"]
    store.close()


def test_an_unlisted_estate_alone_still_opens_its_case(sqlite_path: Path, tmp_path: Path) -> None:
    store = SQLiteStore(sqlite_path)
    assert _place_ids(store, tmp_path, _spike([ESTATE], "翠湖湾小区的垃圾堆了好几天没人清理")) == ["raw:翠湖湾"]
    store.close()


def test_test_rule_drops_the_unlisted_town_too(sqlite_path: Path, tmp_path: Path) -> None:
    store = SQLiteStore(sqlite_path)
    store.upsert_posts(_police_posts())
    runner = AlertRunner(store, config(tmp_path, quiet_hours=None), clock=Clock(NOW))
    assert {m.place_id for m in runner.test_rule(T0 - timedelta(days=2), NOW)} == {"raw:青石镇派出所"}
    assert store.list_cases(CaseQuery(limit=20)).total == 0, "a replay writes nothing"
    store.close()


@pytest.mark.elasticsearch
def test_the_same_on_elasticsearch(es_url: str, es_prefix: str, tmp_path: Path) -> None:
    store = ElasticStore(ElasticsearchConfig(url=es_url, index_prefix=es_prefix), clock=Clock(NOW))
    store.init()
    store.upsert_posts(_police_posts(), refresh=True)
    runner = AlertRunner(store, config(tmp_path, quiet_hours=None), clock=Clock(NOW))
    assert [m.place_id for m in runner.run_once(deliver=False).matches] == ["raw:青石镇派出所"]
    assert [c.place.id for c in store.list_cases(CaseQuery(limit=20)).items if c.place] == ["raw:青石镇派出所"]


def test_flagging_posts_about_a_towns_body_opens_the_bodys_case(sqlite_path: Path, tmp_path: Path) -> None:
    store = SQLiteStore(sqlite_path)
    posts = _about(planted_spike(T0, 2), [TOWN, BODY], "青石镇的治安很差，青石镇派出所民警态度恶劣")  # the town first
    store.upsert_posts(posts)
    case = CaseService(store, config(tmp_path), clock=Clock(T0)).flag([p.id for p in posts], "office1")
    assert case.key == "raw:青石镇派出所|sanitation"
    store.close()


def test_flagging_posts_about_only_an_unlisted_town_still_opens_its_case(sqlite_path: Path, tmp_path: Path) -> None:
    store = SQLiteStore(sqlite_path)  # nothing finer to choose: the town rather than no case (as for a listed one)
    posts = _about(planted_spike(T0, 2), [TOWN], "青石镇的治安很差")
    store.upsert_posts(posts)
    case = CaseService(store, config(tmp_path), clock=Clock(T0)).flag([p.id for p in posts], "office1")
    assert case.key == "raw:青石镇|sanitation"
    store.close()


def test_excluded_takes_an_unlisted_places_level_and_the_gazetteers_first() -> None:
    from nlp.gazetteer import load_gazetteer

    cfg = config(Path("/nonexistent"))
    r = Router(cfg.alerts, load_gazetteer(cfg.nlp.gazetteer))
    assert r.excluded("raw:青石镇", L.TOWN) and r.excluded("raw:青石区", "district")
    assert not r.excluded("raw:青石镇") and not r.excluded("raw:翠湖湾", L.COMPOUND)
    assert not r.excluded("raw:青石镇派出所", L.OTHER)
    assert r.excluded("dachang") and r.excluded("dachang", L.OTHER), "a listed place's own level wins"
    assert not r.excluded("dc-rd-changzhong", L.TOWN)


def test_unlisted_levels_reads_the_posts_own_refs() -> None:
    odd = PlaceRef(name="青石镇", level=L.OTHER, key="raw:青石镇")
    posts = [Post.new("t", str(i), text="x", published_at=T0, places=places) for i, places in enumerate(
        [[BODY, TOWN], [TOWN], [odd], [LISTED_TOWN, PlaceRef(name="无级别", key="raw:无级别")]])]
    assert unlisted_levels(posts) == {"raw:青石镇派出所": L.OTHER, "raw:青石镇": L.TOWN}



def test_the_enrichers_unlisted_town_carries_the_level_the_router_excludes() -> None:
    from nlp.enrich import enricher_for

    letters = ["石桥镇的治安越来越差，晚上经常有人打架。", "石桥镇派出所民警态度恶劣，石桥镇的治安也很差。",
               "石桥镇枫林苑小区的垃圾好几天没人清理。"]
    posts = enricher_for(None).enrich([Post.new("t", str(i), text=t, published_at=T0) for i, t in enumerate(letters)])
    levels = unlisted_levels(posts)
    keys = {k for p in posts for k in p.effective_place_keys}
    assert "raw:石桥镇" in keys and levels["raw:石桥镇"] is L.TOWN
    r = Router(config(Path("/nonexistent")).alerts)
    assert [k for k in sorted(keys) if not r.excluded(k, levels.get(k))] == sorted(keys - {"raw:石桥镇"})
    assert any(k != "raw:石桥镇" for k in keys), "the body and the estate keep their keys"
