"""The case service on a real SQLite store: routing, one case per key, the lifecycle, reopening, overdue."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from alerts.cases import CaseService, case_id_for
from alerts.detectors import SpikeMatch
from core import CaseStatus, Severity
from storage.base import CaseQuery
from storage.sqlite import SQLiteStore
from tests.alerts_support import T0, Clock, at_once, complaint, config, planted_spike

S = CaseStatus
DEPT = "大场镇城管中队"


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def store(sqlite_path: Path):
    s = SQLiteStore(sqlite_path)
    yield s
    s.close()


@pytest.fixture
def svc(store: SQLiteStore, tmp_path: Path, clock: Clock) -> CaseService:
    return CaseService(store, config(tmp_path), clock=clock)


def match(key: str = "dc-rd-changzhong|sanitation", *, hours_ago: int = 0, post_ids=(), count: float = 8,
          detector: str = "spike") -> SpikeMatch:
    bucket = T0.replace(minute=0) - timedelta(hours=hours_ago)
    return SpikeMatch(key=key, detector=detector, bucket=bucket, window_start=bucket - timedelta(hours=23),
                      window_end=bucket + timedelta(hours=1), count=count, baseline=1, score=count,
                      post_ids=tuple(post_ids))


def seed(store: SQLiteStore, posts) -> list[str]:
    store.upsert_posts(posts)
    return list(dict.fromkeys(p.id for p in posts))


def test_a_match_opens_one_routed_case_with_evidence(svc: CaseService, store: SQLiteStore) -> None:
    ids = seed(store, planted_spike(T0, 4))
    case = svc.open_or_update(match(post_ids=ids))
    assert case.id == case_id_for("dc-rd-changzhong|sanitation", 1)
    assert case.title == "场中路市容环境问题"
    assert (case.department, case.grid, case.severity) == (DEPT, "DC-02", Severity.NORMAL)
    assert case.place is not None and case.place.name == "场中路"
    assert case.due_at == T0 + timedelta(hours=72)
    assert case.status is S.NEW and case.evidence == ids
    assert case.spike is not None and case.spike.count == 8 and case.spike.detector == "spike"
    assert [e.action for e in case.history] == ["opened"] and case.history[0].actor == "system:spike"
    assert all(p.case_id == case.id for p in store.get_posts(ids))


def test_urgent_topic_routes_by_topic_and_gets_24h(svc: CaseService) -> None:
    case = svc.open_or_update(match("dc-rd-hutai|food_hygiene"))
    assert case.department == "大场市场监管所" and case.grid == "DC-05"
    assert case.severity is Severity.URGENT and case.due_at == T0 + timedelta(hours=24)


def test_same_match_twice_changes_nothing_and_a_new_spike_adds_evidence(svc: CaseService, store: SQLiteStore,
                                                                         clock: Clock) -> None:
    first = seed(store, planted_spike(T0, 3))
    a = svc.open_or_update(match(post_ids=first))
    assert svc.open_or_update(match(post_ids=first)).version == a.version
    more = seed(store, planted_spike(T0, 3, start=10))
    clock.advance(hours=5)
    b = svc.open_or_update(match(post_ids=more, detector="cusum", hours_ago=-5))
    assert b.id == a.id and b.evidence == first + more
    assert [e.action for e in b.history] == ["opened", "evidence"]
    assert store.list_cases(CaseQuery(key=a.key)).total == 1


def test_restart_changes_nothing(store: SQLiteStore, sqlite_path: Path, tmp_path: Path, clock: Clock) -> None:
    m = match()
    CaseService(store, config(tmp_path), clock=clock).open_or_update(m)
    again = SQLiteStore(sqlite_path)
    case = CaseService(again, config(tmp_path), clock=clock).open_or_update(m)
    assert case.version == 1 and again.list_cases(CaseQuery()).total == 1
    again.close()


def test_a_case_opened_between_our_two_reads_gets_our_match(sqlite_path: Path, tmp_path: Path,
                                                             clock: Clock) -> None:
    other = CaseService(SQLiteStore(sqlite_path), config(tmp_path), clock=clock)

    class RaceLost(SQLiteStore):
        """Our runner saw no open case; the other runner opens one just before our history read."""

        fired = False

        def list_cases(self, query: CaseQuery):
            if query.key and not self.fired:
                self.fired = True
                other.open_or_update(match(hours_ago=1, detector="other"))
            return super().list_cases(query)

    mine = RaceLost(sqlite_path)
    CaseService(mine, config(tmp_path), clock=clock).open_or_update(match(detector="mine"))
    cases = mine.list_cases(CaseQuery()).items
    assert mine.fired and len(cases) == 1  # not a second case of generation 2
    assert len([e for e in cases[0].history if "match_id" in e.data]) == 2
    mine.close()
    other.store.close()


def test_two_runners_never_open_two_cases_for_one_key(sqlite_path: Path, tmp_path: Path, clock: Clock) -> None:
    stores = [SQLiteStore(sqlite_path) for _ in range(2)]
    services = [CaseService(s, config(tmp_path), clock=clock) for s in stores]

    def run(k: int) -> None:
        for i in range(6):
            services[k].open_or_update(match(hours_ago=i, detector=f"d{k}"))

    at_once([lambda k=k: run(k) for k in range(2)])
    cases = stores[0].list_cases(CaseQuery()).items
    assert len(cases) == 1
    assert len([e for e in cases[0].history if "match_id" in e.data]) == 12  # every match recorded once
    for s in stores:
        s.close()


def test_the_lifecycle_with_roles(svc: CaseService) -> None:
    case = svc.open_or_update(match())
    assert svc.allowed_transitions(case, "reviewer") == [S.ASSIGNED, S.CLOSED]
    with pytest.raises(ValueError):
        svc.transition(case.id, S.CLOSED, "office1", "reviewer")  # a dismissal needs a reason
    assert svc.allowed_transitions(case, "department", DEPT) == []
    with pytest.raises(PermissionError):
        svc.transition(case.id, S.ASSIGNED, "dept1", "department", department=DEPT)
    case = svc.transition(case.id, S.ASSIGNED, "office1", "reviewer")
    assert svc.allowed_transitions(case, "department", "别的部门") == []
    with pytest.raises(PermissionError):
        svc.transition(case.id, S.IN_PROGRESS, "x", "department", department="别的部门")
    case = svc.transition(case.id, S.IN_PROGRESS, "dept1", "department", department=DEPT)
    with pytest.raises(ValueError, match="照片"):
        svc.transition(case.id, S.RECTIFIED, "dept1", "department", department=DEPT, note="已清理")
    case = svc.transition(case.id, S.RECTIFIED, "dept1", "department", department=DEPT, note="已清理",
                          photos=["uploads/after.jpg"])
    with pytest.raises(PermissionError):
        svc.transition(case.id, S.VERIFIED, "dept1", "department", department=DEPT)
    with pytest.raises(ValueError):
        svc.transition(case.id, S.IN_PROGRESS, "office1", "reviewer")  # sending back needs a reason
    case = svc.transition(case.id, S.VERIFIED, "office1", "reviewer", note="现场核查通过")
    case = svc.transition(case.id, S.CLOSED, "office1", "reviewer")
    assert case.status is S.CLOSED and case.closed_at is not None
    moves = [(e.actor, e.from_status, e.to_status) for e in case.history if e.action == "status"]
    assert moves == [("office1", S.NEW, S.ASSIGNED), ("dept1", S.ASSIGNED, S.IN_PROGRESS),
                     ("dept1", S.IN_PROGRESS, S.RECTIFIED), ("office1", S.RECTIFIED, S.VERIFIED),
                     ("office1", S.VERIFIED, S.CLOSED)]
    assert case.history[3].photos == ["uploads/after.jpg"]
    case = svc.add_note(case.id, "admin", "归档")
    assert case.history[-1].action == "note"


def test_reviewer_reassigns_and_admin_may_do_department_moves(svc: CaseService) -> None:
    case = svc.open_or_update(match())
    case = svc.transition(case.id, S.ASSIGNED, "office1", "reviewer", department="大场镇绿化市容所")
    assert case.department == "大场镇绿化市容所"
    case = svc.transition(case.id, S.IN_PROGRESS, "root", "admin")
    assert S.RECTIFIED in svc.allowed_transitions(case, "admin")


def _close(svc: CaseService, case_id: str) -> None:
    svc.transition(case_id, S.CLOSED, "office1", "reviewer", note="误报")


def test_recurrence_reopens_within_n_days_else_a_new_case(svc: CaseService, store: SQLiteStore,
                                                           clock: Clock) -> None:
    before = seed(store, planted_spike(T0, 4))
    case = svc.open_or_update(match(post_ids=before))
    _close(svc, case.id)
    assert svc.open_or_update(match(post_ids=before)).status is S.CLOSED  # the same match: history
    clock.advance(hours=3)
    # another detector sees the same episode after the dismissal: no complaint since closing, no reopening
    late_view = svc.open_or_update(match(hours_ago=-3, detector="cusum", post_ids=before))
    assert late_view.status is S.CLOSED and late_view.version == store.get_case(case.id).version
    clock.advance(days=3)
    recur = seed(store, planted_spike(clock.now, 3, start=20))
    again = svc.open_or_update(match(hours_ago=-75, post_ids=recur))
    assert again.id == case.id and again.status is S.REOPENED and again.closed_at is None
    assert again.due_at == clock.now + timedelta(hours=72)
    assert again.history[-1].action == "reopened" and again.evidence == before + recur
    _close(svc, case.id)
    clock.advance(days=20)
    later = seed(store, planted_spike(clock.now, 3, start=40))
    fresh = svc.open_or_update(match(hours_ago=-24 * 23 - 75, post_ids=later))
    assert fresh.id == case_id_for(case.key, 2) and fresh.status is S.NEW


def test_flag_derives_place_and_topic(svc: CaseService, store: SQLiteStore) -> None:
    posts = [complaint(1, T0, topic="parking"), complaint(2, T0, topic="parking")]
    posts[0].places.insert(0, posts[0].places[0].model_copy(update={"id": "dachang", "name": "大场镇"}))
    ids = seed(store, posts)
    case = svc.flag(ids, "office1", note="群众集中反映")
    assert case.key == "dc-rd-changzhong|parking" and case.department == "大场派出所交警中队"
    assert case.history[0].action == "flagged" and case.history[0].actor == "office1"
    other = seed(store, [complaint(3, T0, topic="parking")])
    assert svc.flag(other, "office2").evidence == ids + other
    with pytest.raises(ValueError, match="地点"):
        svc.flag(seed(store, [complaint(4, T0).model_copy(update={"places": []})]), "office1")


def test_overdue_escalates_once_per_level(svc: CaseService, clock: Clock) -> None:
    case = svc.open_or_update(match())
    done = svc.open_or_update(match("dc-rd-hutai|sanitation"))
    svc.transition(done.id, S.ASSIGNED, "o", "reviewer")
    svc.transition(done.id, S.IN_PROGRESS, "d", "department", department=DEPT)
    svc.transition(done.id, S.RECTIFIED, "d", "department", department=DEPT, note="ok", photos=["p.jpg"])
    assert svc.check_overdue() == []
    clock.advance(hours=73)
    (over,) = svc.check_overdue()
    assert over.id == case.id and over.history[-1].action == "escalated" and over.history[-1].data["level"] == 1
    assert svc.check_overdue()[0].version == over.version  # nothing new until the next level is due
    clock.advance(hours=24)
    assert svc.check_overdue()[0].history[-1].data["level"] == 2


def test_routing_fallbacks(svc: CaseService) -> None:
    r = svc.router
    assert r.route("dc-rd-changzhong", None).department == "大场镇城管中队"  # no topic: the place's department
    unknown = r.route("nowhere", "sanitation")
    assert unknown.department == "大场镇城管中队" and unknown.grid is None and unknown.place.name == "nowhere"
    assert r.route("nowhere", None).department == "待分派"
    assert r.excluded("dachang") and not r.excluded("dc-rd-changzhong")


def test_sweep_requeues_events_a_crash_left_behind(store: SQLiteStore, tmp_path: Path, clock: Clock) -> None:
    from alerts.outbox import Outbox

    case = CaseService(store, config(tmp_path), clock=clock).open_or_update(match())  # crashed before enqueue
    cfg = config(tmp_path, channels=[{"type": "webhook", "name": "grid", "url": "http://x.test/"}])
    outbox = Outbox(store, cfg.alerts, clock)
    assert outbox.sweep([case], T0 - timedelta(hours=1)) == 1
    assert outbox.sweep([case], T0 - timedelta(hours=1)) == 0
    assert store.get_outbox_item(f"{case.id}:1:grid").payload["idempotency_key"] == f"{case.id}:1"


def test_a_create_conflict_on_a_stale_count_moves_to_the_next_generation(svc: CaseService, store: SQLiteStore) -> None:
    from core import Case

    key = "dc-rd-changzhong|sanitation"
    # a case the key's count does not see yet (as an index that lags would): same id, closed
    store.create_case(Case(id=case_id_for(key, 1), key="lagging|index", title="旧案", status=S.CLOSED))
    case = svc.open_or_update(match(key))
    assert case.id == case_id_for(key, 2) and case.status is S.NEW


def _close(svc: CaseService, case_id: str) -> None:
    svc.transition(case_id, S.CLOSED, "o", "reviewer", note="误报")


def test_reopen_by_hand_gets_a_fresh_deadline_and_never_a_second_open_case(svc: CaseService, clock: Clock,
                                                                          store: SQLiteStore) -> None:
    case = svc.open_or_update(match())
    _close(svc, case.id)
    clock.advance(hours=24 * 5)
    reopened = svc.transition(case.id, S.REOPENED, "o", "reviewer", note="居民再次反映")
    assert reopened.closed_at is None and reopened.due_at is not None and reopened.due_at > clock()
    assert svc.check_overdue() == [], "not overdue the moment it is reopened"
    _close(svc, case.id)
    clock.advance(days=20)  # past reopen_days: a new complaint opens the next generation
    fresh = complaint(900, clock())
    store.upsert_posts([fresh])
    newer = svc.flag([fresh.id], "o", place_id="dc-rd-changzhong", topic="sanitation", note="新情况")
    assert newer.id != case.id and newer.status is not S.CLOSED
    with pytest.raises(ValueError, match="already open"):
        svc.transition(case.id, S.REOPENED, "o", "reviewer", note="x")


def test_a_reopened_case_escalates_again_from_level_one(svc: CaseService, clock: Clock) -> None:
    case = svc.open_or_update(match())
    for _ in range(3):
        clock.advance(hours=73)
        svc.check_overdue()
    _close(svc, case.id)
    svc.transition(case.id, S.REOPENED, "o", "reviewer", note="复发")
    clock.advance(hours=73)
    (over,) = svc.check_overdue()
    assert over.history[-1].action == "escalated" and over.history[-1].data["level"] == 1


# ---- cluster cases ------------------------------------------------------------------------------------------


def cluster(zone_id: str, places: list[str], *, topic: str | None = "parking", hours_ago: int = 0, post_ids=()):
    from alerts.clusters import ClusterMatch, Member, zones_from_gazetteer
    from nlp.gazetteer import load_gazetteer

    zone = {z.id: z for z in zones_from_gazetteer(load_gazetteer(None))}[zone_id]
    bucket = T0.replace(minute=0) - timedelta(hours=hours_ago)
    members = tuple(Member(p, f"{p}|{topic or '*'}", 2, 0.1, p) for p in places)
    return ClusterMatch(zone=zone, topic=topic, bucket=bucket, window_start=bucket - timedelta(hours=23),
                        window_end=bucket + timedelta(hours=1), count=2.0 * len(places), expected=0.4, score=2.0,
                        p_value=1e-6, alpha=3e-4, members=members, post_ids=tuple(post_ids),
                        details={"members": [{"place_id": p, "name": p, "observed": 2, "expected": 0.1}
                                             for p in places], "explanation": "近 24 小时大华一村片区 …"})


def test_a_cluster_is_one_case_named_for_its_zone_and_overlapping_re_detections_join_it(
        svc: CaseService, store: SQLiteStore, clock: Clock) -> None:
    places = ["dc-jw-001", "dc-jw-002", "dc-jw-003", "dc-jw-004"]
    ids = seed(store, [complaint(i, T0 - timedelta(hours=i), place=p, topic="parking") for i, p in enumerate(places)])
    case = svc.open_cluster(cluster("dc-xq-dahua1", places, post_ids=ids))
    assert case.key == "zone:dc-xq-dahua1|parking"
    assert case.title.startswith("大华一村片区") and case.title.endswith("问题聚集（4 处点位）")
    assert case.place is not None and case.place.id == "dc-xq-dahua1" and case.department == "大场派出所交警中队"
    assert case.history[0].actor == "system:cluster" and case.history[0].note
    assert all(p.case_id == case.id for p in store.get_posts(ids))
    assert svc.open_cluster(cluster("dc-xq-dahua1", places, post_ids=ids)).id == case.id  # the same match: no-op
    clock.advance(hours=1)
    later = svc.open_cluster(cluster("dc-xq-dahua", [*places[:3], "dc-jw-005"], hours_ago=-1))  # the zone around it
    grid = svc.open_cluster(cluster("grid:DC-01", places, hours_ago=-1))
    assert later.id == grid.id == case.id and store.list_cases(CaseQuery()).total == 1
    other_topic = svc.open_cluster(cluster("dc-xq-dahua1", places, topic="noise"))
    assert other_topic.id != case.id and store.list_cases(CaseQuery()).total == 2


def test_a_cluster_after_its_case_was_closed_is_a_new_case_naming_the_closed_one(
        svc: CaseService, store: SQLiteStore, clock: Clock) -> None:
    from alerts.opening import cluster_case_id

    places = ["dc-jw-001", "dc-jw-002", "dc-jw-003"]
    ids = seed(store, [complaint(i, T0 - timedelta(hours=i + 1), place=p, topic="parking")
                       for i, p in enumerate(places)])
    first = svc.open_cluster(cluster("dc-xq-dahua1", places, post_ids=ids))
    assert first.id == cluster_case_id("parking", 1)
    svc.transition(first.id, S.CLOSED, "o", "reviewer", note="已疏导")
    clock.advance(hours=2)  # the same episode seen again after the dismissal: history, not a new case
    assert svc.open_cluster(cluster("dc-xq-dahua", places, hours_ago=-2, post_ids=ids)).id == first.id
    clock.advance(days=3)
    later = seed(store, [complaint(50 + i, clock.now - timedelta(hours=i), place=p, topic="parking")
                         for i, p in enumerate(places)])
    again = svc.open_cluster(cluster("dc-xq-dahua1", places, hours_ago=-74, post_ids=later))
    assert again.id == cluster_case_id("parking", 2) and again.status is S.NEW and again.evidence == later
    assert again.history[0].data["previous_case"] == first.id and "问题再次出现" in (again.history[0].note or "")
    assert store.get_case(first.id).status is S.CLOSED


def test_the_closed_cases_day_in_the_note_is_the_offices_day(svc: CaseService, store: SQLiteStore,
                                                                clock: Clock) -> None:
    places = ["dc-jw-001", "dc-jw-002", "dc-jw-003"]
    ids = seed(store, [complaint(i, T0 - timedelta(hours=i + 1), place=p, topic="parking")
                       for i, p in enumerate(places)])
    first = svc.open_cluster(cluster("dc-xq-dahua1", places, post_ids=ids))
    clock.advance(hours=15)  # 17:00 UTC on 11-26 is 01:00 on 11-27 in Shanghai
    svc.transition(first.id, S.CLOSED, "o", "reviewer", note="已疏导")
    clock.advance(days=3)
    later = seed(store, [complaint(50 + i, clock.now - timedelta(hours=i), place=p, topic="parking")
                         for i, p in enumerate(places)])
    again = svc.open_cluster(cluster("dc-xq-dahua1", places, hours_ago=-87, post_ids=later))
    assert "已于 2026-11-27 办结" in (again.history[0].note or "")


def test_a_grid_cluster_goes_to_the_topics_department_else_the_one_its_places_share(svc: CaseService) -> None:
    from alerts.clusters import zones_from_gazetteer
    from nlp.gazetteer import load_gazetteer

    grid = {z.id: z for z in zones_from_gazetteer(load_gazetteer(None))}["grid:DC-07"]
    villages = ["dc-cw-202", "dc-cw-203", "dc-cw-204"]
    r = svc.router.route_zone(grid, None, villages)  # three 村委会, each its own department: the town's
    assert r.department == "大场镇城运中心" and r.grid == "DC-07"
    assert r.place is not None and r.place.name == "网格 DC-07"
    assert svc.router.route_zone(grid, "sanitation", villages).department == DEPT
    rivers = ["dc-rv-hongguanghe", "dc-rv-longzhujiang", "dc-rv-edanpu"]
    assert svc.router.route_zone(grid, None, rivers).department == "大场镇河长办"


# ---- two runners at once ----------------------------------------------------------------------------------


def _racing(cls: type, barrier: threading.Barrier) -> type:
    """A store class whose first ``create_case`` waits for the other runner's: both have looked for an open case
    and found none, neither has written yet — the window a race needs, every time."""

    class Racing(cls):
        waited = False

        def create_case(self, case):
            if not self.waited:
                self.waited = True
                barrier.wait(timeout=60)
            return super().create_case(case)

    return Racing


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def racing_stores(request, tmp_path: Path, clock: Clock):
    """Two stores (two runners' connections) on one SQLite file or one real Elasticsearch node."""
    barrier = threading.Barrier(2)
    if request.param == "sqlite":
        cls = _racing(SQLiteStore, barrier)
        stores = [cls(tmp_path / "race.db") for _ in range(2)]
    else:
        from core.config import ElasticsearchConfig
        from storage.elastic import ElasticStore

        url, prefix = request.getfixturevalue("es_url"), request.getfixturevalue("es_prefix")
        cls = _racing(ElasticStore, barrier)
        stores = [cls(ElasticsearchConfig(url=url, index_prefix=prefix), clock=clock) for _ in range(2)]
        stores[0].init()
    yield stores
    for s in stores:
        s.close()


def test_two_runners_opening_overlapping_clusters_at_once_open_one_case(racing_stores, tmp_path: Path,
                                                                       clock: Clock) -> None:
    """One runner sees the cluster on 大华一村, the other (a complaint later) on 大华新村 around it, at the same
    moment: one case, holding both matches."""
    places = ["dc-jw-001", "dc-jw-002", "dc-jw-003", "dc-jw-004"]
    services = [CaseService(s, config(tmp_path), clock=clock) for s in racing_stores]
    small = cluster("dc-xq-dahua1", places)
    around = cluster("dc-xq-dahua", [*places[:3], "dc-jw-005"])
    at_once([lambda: services[0].open_cluster(small), lambda: services[1].open_cluster(around)])
    racing_stores[0].refresh()
    cases = racing_stores[0].list_cases(CaseQuery()).items
    assert len(cases) == 1, [c.key for c in cases]
    assert {e.data["match_id"] for e in cases[0].history if "match_id" in e.data} == {small.id, around.id}


def test_two_runners_opening_one_key_at_once_open_one_case(racing_stores, tmp_path: Path, clock: Clock) -> None:
    services = [CaseService(s, config(tmp_path), clock=clock) for s in racing_stores]
    at_once([lambda: services[0].open_or_update(match(detector="spike")),
              lambda: services[1].open_or_update(match(detector="cusum"))])
    racing_stores[0].refresh()
    (case,) = racing_stores[0].list_cases(CaseQuery()).items
    assert case.id == case_id_for(case.key, 1) and len([e for e in case.history if "match_id" in e.data]) == 2


def test_two_runners_opening_unrelated_clusters_at_once_take_two_slots(racing_stores, tmp_path: Path,
                                                                       clock: Clock) -> None:
    """Clusters in 大华一村 and in 乾溪新村 on one topic at once: the slot the second runner is refused holds a case
    that shares no place with its cluster, so it takes the next slot — two cases."""
    from alerts.opening import cluster_case_id

    services = [CaseService(s, config(tmp_path), clock=clock) for s in racing_stores]
    dahua = cluster("dc-xq-dahua1", ["dc-jw-001", "dc-jw-002", "dc-jw-003"])
    qianxi = cluster("dc-xq-qianxi", ["dc-jw-016", "dc-jw-017", "dc-jw-018"])
    at_once([lambda: services[0].open_cluster(dahua), lambda: services[1].open_cluster(qianxi)])
    racing_stores[0].refresh()
    cases = racing_stores[0].list_cases(CaseQuery()).items
    assert sorted(c.key for c in cases) == [dahua.key, qianxi.key]
    assert sorted(c.id for c in cases) == sorted(cluster_case_id("parking", n) for n in (1, 2))
