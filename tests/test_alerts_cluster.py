"""Clusters across neighbouring places: several sibling places with two complaints each are one event (one case),
the same counts spread over unrelated places are none, a quiet town gives none, one busy place is the per-key
detector's business, and replaying the demo scenario opens only its planted case."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from alerts.clusters import ClusterOptions, ClusterScan, zones_from_gazetteer
from alerts.runner import AlertRunner
from alerts.series import Series, build_series
from core import SHANGHAI, PlaceRef, Post
from nlp.gazetteer import load_gazetteer
from storage.base import CaseQuery
from storage.sqlite import SQLiteStore
from tests.alerts_support import Clock, config

REPO = Path(__file__).resolve().parents[1]
GAZ = load_gazetteer(None)
ZONES = zones_from_gazetteer(GAZ)
NAMES = {p.id: p.name for p in GAZ}
PLACES = [p.id for p in GAZ if p.level.value not in ("district", "town", "other")]
TOPICS = ("sanitation", "parking", "noise")
START = datetime(2026, 10, 5, tzinfo=SHANGHAI)  # a Monday
HOUR = timedelta(hours=1)
DAHUA1 = ["dc-jw-001", "dc-jw-002", "dc-jw-003", "dc-jw-004"]  # four 居委 of 大华一村
UNRELATED = ["dc-jw-016", "dc-jw-026", "dc-jw-062", "dc-jw-020"]  # 乾溪新村, 祁连一村, 城市绿洲, 东街: other grids


def town(seed: int, days: int = 21) -> dict[str, np.ndarray]:
    """Quiet keys on every place of the bundled gazetteer × 3 topics: 0.0005–0.01 complaints an hour, a daily
    gamma factor (busy days) and a day/night rhythm — about 40 complaints a day in the town."""
    rng = np.random.default_rng(seed)
    hod = np.tile(np.where((np.arange(24) < 7) | (np.arange(24) >= 23), 0.3, 1.25), days)
    out = {}
    for p in PLACES:
        for t in TOPICS:
            rate = np.exp(rng.uniform(np.log(0.0005), np.log(0.01)))
            day = np.repeat(rng.gamma(8, 1 / 8, size=days), 24)
            c = rng.poisson(rate * hod * day)
            if c.any():
                out[f"{p}|{t}"] = c
    return out


def plant(counts: dict[str, np.ndarray], places: list[str], topic: str, at: int, per: int = 2) -> None:
    """``per`` complaints at each place within 12 hours from bucket ``at``."""
    n = len(next(iter(counts.values())))
    for i, p in enumerate(places):
        key = f"{p}|{topic}"
        c = counts.get(key, np.zeros(n, dtype=np.int64)).copy()
        for j in range(per):
            c[at + 3 * i + 4 * j] += 1
        counts[key] = c


def as_series(counts: dict[str, np.ndarray]) -> dict[str, Series]:
    return {k: Series(k, START, HOUR, v) for k, v in counts.items()}


def scan(counts: dict[str, np.ndarray], days_before: int = 14, **opts) -> list:
    return ClusterScan(ZONES, ClusterOptions(**opts), names=NAMES).scan(
        as_series(counts), since=START + timedelta(days=days_before))


def test_zones_follow_the_gazetteers_hierarchy_and_grids() -> None:
    by_id = {z.id: z for z in ZONES}
    dahua1 = by_id["dc-xq-dahua1"]
    assert dahua1.anchor == "dc-xq-dahua1" and set(DAHUA1) <= dahua1.places and "dc-xq-dahua1" in dahua1.places
    assert set(DAHUA1) <= by_id["dc-xq-dahua"].places  # 大华新村 holds 大华一村 and its 居委
    assert {"dc-rd-hutai", "dc-x-hutai-changzhong"} <= by_id["dc-rd-hutai"].places  # a road and its crossings
    assert by_id["grid:DC-07"].grid == "DC-07" and "dc-cw-202" in by_id["grid:DC-07"].places
    assert "dachang" not in by_id and not any("dachang" in z.places for z in ZONES)  # the town is too coarse
    assert not any(p.startswith("raw:") for z in ZONES for p in z.places)  # unlisted places have no parent


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_quiet_town_gives_no_cluster(seed: int) -> None:
    assert scan(town(seed)) == []


def test_four_sibling_places_with_two_complaints_each_are_one_cluster() -> None:
    counts = town(2)
    at = 17 * 24 + 9
    plant(counts, DAHUA1, "parking", at)
    found = scan(counts)
    assert found, "the planted cluster must be found"
    assert {m.topic for m in found} == {"parking"}
    assert all(set(DAHUA1) & m.zone.places for m in found)
    first = found[0]
    assert first.zone.id == "dc-xq-dahua1" and set(DAHUA1) <= set(first.place_ids)
    assert first.bucket < START + HOUR * (at + 24)
    assert first.p_value <= first.alpha and first.count >= 6  # found before the last ones came in
    text = first.details["explanation"]
    assert "大华一村片区" in text and all(NAMES[p] in text for p in DAHUA1) and "预计" in text
    members = {m["place_id"]: m for m in first.details["members"]}
    assert all(members[p]["observed"] >= 1 and members[p]["expected"] < 0.5 for p in DAHUA1)


def test_the_same_counts_spread_over_unrelated_places_are_no_cluster() -> None:
    counts = town(2)
    plant(counts, UNRELATED, "parking", 17 * 24 + 9)
    assert scan(counts) == []


def test_one_busy_place_is_the_per_key_detectors_business() -> None:
    counts = town(5)
    plant(counts, ["dc-jw-001"], "parking", 17 * 24 + 9, per=3)
    plant(counts, ["dc-jw-001"], "parking", 17 * 24 + 10, per=3)  # 6 at one place, nothing at its siblings
    assert scan(counts) == []


def test_two_places_with_their_own_spikes_at_once_are_no_cluster() -> None:
    counts = town(2)
    at = 17 * 24 + 9
    for i, p in enumerate(DAHUA1[:2]):  # two per-key spikes (the per-key detector's cases): 5 within two hours …
        counts[f"{p}|parking"] = c = counts.get(f"{p}|parking", np.zeros(21 * 24, dtype=np.int64)).copy()
        c[at + 2 * i] += 3
        c[at + 2 * i + 1] += 2
    plant(counts, DAHUA1[2:], "parking", at, per=1)  # … and one complaint at two of their siblings
    assert scan(counts) == []


def test_the_budget_sets_the_threshold() -> None:
    s = ClusterScan(ZONES, ClusterOptions(false_alarms_per_1000_key_weeks=2))
    assert s.alpha(HOUR, 84) == pytest.approx(2 / 1000 * 84 / 168)
    counts = town(6)
    plant(counts, DAHUA1[:3], "noise", 17 * 24 + 9)  # three places × 2: borderline
    strict, lenient = scan(counts, false_alarms_per_1000_key_weeks=1e-3), scan(counts,
                                                                              false_alarms_per_1000_key_weeks=50)
    assert len(strict) < len(lenient)


def test_a_prefix_gives_the_same_clusters_seeded_and_causal() -> None:
    counts = town(2)
    at = 17 * 24 + 9
    plant(counts, DAHUA1, "parking", at)
    whole = [(m.key, m.bucket, m.p_value) for m in scan(counts)]
    cut = at + 30
    prefix = [(m.key, m.bucket, m.p_value) for m in scan({k: v[:cut] for k, v in counts.items()})]
    assert prefix and prefix == [w for w in whole if w[1] < START + HOUR * cut]


BUSY = [*DAHUA1, "dc-xq-dahua1"]  # 大华一村 and its four 居委


def busy(counts: dict[str, np.ndarray], places: list[str], topic: str, seed: int, rate: float = 0.05) -> None:
    """Busy keys at ``places``: Poisson ``rate`` an hour (about 1.2 expected in a day, each on its own)."""
    rng = np.random.default_rng(seed)
    n = len(next(iter(counts.values())))
    for p in places:
        counts[f"{p}|{topic}"] = rng.poisson(rate, size=n)


def test_busy_places_each_rising_well_above_their_expected_are_one_cluster() -> None:
    counts = town(2)
    busy(counts, BUSY, "parking", 21)
    at = 17 * 24 + 9
    for i, p in enumerate(BUSY):  # ten more in two days at each: about 12 against 3–4 expected, none alarming alone
        counts[f"{p}|parking"][at + i + np.arange(0, 48, 5)] += 1
    assert scan(counts) == []  # the default caps every place at 2: a place expecting ~1 adds little
    found = scan(counts, member_rise=3)
    assert found and all(set(BUSY) <= m.zone.places for m in found) and found[0].zone.id == "dc-xq-dahua1"
    assert {m.topic for m in found} == {"parking"} and found[0].bucket < START + HOUR * (at + 48)
    members = {m["place_id"]: m for m in found[0].details["members"]}
    assert len(set(BUSY) & set(members)) >= 4 and all(members[p]["expected"] >= 0.5 for p in members)


def test_one_loud_busy_place_with_quiet_neighbours_is_no_cluster() -> None:
    counts = town(2)
    busy(counts, BUSY[:1], "parking", 22)
    at = 17 * 24 + 9
    counts[f"{BUSY[0]}|parking"][at + np.arange(0, 24, 2)] += 1  # 12 more in a day: a per-key spike …
    plant(counts, BUSY[1:4], "parking", at, per=1)  # … and one complaint at three neighbours
    assert scan(counts, member_rise=3) == []


def test_busy_places_without_a_rise_give_no_cluster() -> None:
    for seed in (23, 24):
        counts = town(3)
        busy(counts, BUSY, "parking", seed, rate=0.1)
        assert scan(counts, member_rise=3) == []


def test_a_member_counts_from_two_standard_deviations_up_to_a_tripling_of_its_expected() -> None:
    from alerts.scan_stats import member_cap, member_need, member_scores, poisson_llr

    mu = np.array([0.1, 0.5, 1.2, 4.0, 4.0])
    phi = np.array([1.0, 1.0, 2.0, 1.0, 1.0])
    need = [2.0, 2.0, 1.2 + 2 * np.sqrt(2.4), 8.0, 8.0]  # two complaints, or two of its standard deviations
    assert list(member_need(mu, phi, 2)) == pytest.approx(need)
    assert list(member_cap(mu, phi, 2, 3.0)) == pytest.approx([2.0, 2.0, need[2], 12.0, 12.0])
    g = member_scores(np.array([5.0, 2.0, 6.0, 20.0, 7.0]), mu, phi, 2, 3.0)
    expect = [poisson_llr(np.array(c), np.array(m)) / f for c, m, f in
              ((2.0, 0.1, 1), (2.0, 0.5, 1), (need[2], 1.2, 2), (12.0, 4.0, 1))]
    assert list(g) == pytest.approx([*expect, 0.0])  # capped; over its dispersion; 7 against 4: noise, nothing
    assert member_scores(np.array([1.0]), np.array([0.01]), 1.0, 2, 3.0)[0] == 0  # one complaint: nothing
    old = member_scores(np.array([5.0, 2.0, 6.0, 20.0]), mu[:4], 1.0, 2, None)  # the default: as one with 2
    assert old[2] == pytest.approx(float(poisson_llr(np.array(2.0), np.array(1.2)))) and old[3] == 0


# ---- through the runner: one case for the cluster -------------------------------------------------------


def _post(n: int, at: datetime, place: str, topic: str) -> Post:
    return Post.new("portal:sqt", f"c{n}", text=f"{NAMES[place]}附近乱停车没人管 #{n}", title=f"投诉{n}",
                    url=f"http://127.0.0.1/post/{n}", published_at=at, is_complaint=True, topic=topic,
                    places=[PlaceRef(id=place, name=NAMES[place])])


def _background(until: datetime, days: int = 24, seed: int = 8) -> list[Post]:
    """About 50 complaints a day over the town's places and three topics (none at 大华一村's 居委 on parking)."""
    rng = np.random.default_rng(seed)
    hours = days * 24
    out = []
    for i, h in enumerate(np.sort(rng.uniform(0, hours, size=days * 50))):
        place, topic = PLACES[int(rng.integers(len(PLACES)))], TOPICS[int(rng.integers(len(TOPICS)))]
        if place in DAHUA1 and topic == "parking":
            continue
        out.append(_post(i, until - timedelta(hours=hours - float(h)), place, topic))
    return out


def test_the_runner_opens_one_case_for_the_cluster_and_dedupes_re_detections(sqlite_path: Path,
                                                                               tmp_path: Path) -> None:
    now = datetime(2026, 11, 26, 15, tzinfo=SHANGHAI)
    posts = _background(now - timedelta(hours=12))
    planted = [_post(10_000 + 2 * i + j, now - timedelta(hours=14 - 3 * i - 4 * j, minutes=10), p, "parking")
               for i, p in enumerate(DAHUA1) for j in range(2)]
    store = SQLiteStore(sqlite_path)
    store.upsert_posts(posts + planted)
    clock = Clock(now)
    runner = AlertRunner(store, config(tmp_path), clock=clock, gazetteer=GAZ)
    report = runner.run_once(deliver=False)
    assert report.matches == [] and report.clusters
    (case,) = store.list_cases(CaseQuery()).items
    assert case.key == "zone:dc-xq-dahua1|parking" and case.topic == "parking"
    assert "大华一村片区" in case.title and "4 处点位" in case.title
    assert case.place is not None and case.place.id == "dc-xq-dahua1" and case.grid == "DC-01"
    assert case.department == "大场派出所交警中队"  # the topic's department, as for a place case
    assert {p.id for p in planted} <= set(case.evidence)  # with any other complaint of its members in the window
    assert case.spike is not None and case.spike.detector == "cluster"
    names = {m["name"] for m in case.spike.details["members"]}
    assert {NAMES[p] for p in DAHUA1} <= names
    assert "非单一点位所致" in (case.history[0].note or "")

    clock.advance(hours=1)  # re-detections an hour later (and in the zones around it) add to the same case
    again = runner.run_once(deliver=False)
    assert again.clusters and store.list_cases(CaseQuery()).total == 1
    store.close()


@pytest.mark.elasticsearch
def test_two_runners_on_elasticsearch_open_one_case_for_the_cluster(es_url: str, es_prefix: str,
                                                                    tmp_path: Path) -> None:
    from core.config import ElasticsearchConfig
    from storage.elastic import ElasticStore
    from tests.alerts_support import at_once

    now = datetime(2026, 11, 26, 15, tzinfo=SHANGHAI)
    planted = [_post(10_000 + 2 * i + j, now - timedelta(hours=14 - 3 * i - 4 * j, minutes=10), p, "parking")
               for i, p in enumerate(DAHUA1) for j in range(2)]
    clock = Clock(now)
    stores = [ElasticStore(ElasticsearchConfig(url=es_url, index_prefix=es_prefix), clock=clock) for _ in range(2)]
    stores[0].init()
    stores[0].upsert_posts(_background(now - timedelta(hours=12)) + planted, refresh=True)
    runners = [AlertRunner(s, config(tmp_path), clock=clock, gazetteer=GAZ) for s in stores]
    reports = at_once([lambda r=r: r.run_once(deliver=False) for r in runners])
    assert len(reports) == 2 and all(r.clusters for r in reports)
    stores[0].refresh()
    (case,) = stores[0].list_cases(CaseQuery()).items
    assert case.key == "zone:dc-xq-dahua1|parking" and {p.id for p in planted} <= set(case.evidence)
    assert {c.id for r in reports for c in r.cases} == {case.id}
    for s in stores:
        s.close()


# ---- the demo scenario ----------------------------------------------------------------------------------


def _world_posts() -> tuple[list[Post], object]:
    from simulator.scenario import load_scenario
    from simulator.world import World

    sc = load_scenario(REPO / "config" / "demo-scenario.yaml")
    out = []
    for items in World(sc).posts.values():
        for p in items:
            place = [PlaceRef(id=p.place.id, name=p.place.name, level=p.place.level)] if p.place else []
            out.append(Post.new(p.family, p.native or str(p.seq), text=p.text or p.title, title=p.title or None,
                                published_at=p.at, is_complaint=p.kind == "complaint", topic=p.topic,
                                places=place if p.kind == "complaint" else [],
                                cluster_id=f"sim-{p.dup_of}" if p.dup_of else f"sim-{p.seq}"))
    return out, sc


def test_the_demo_scenario_has_no_cluster_and_opens_only_its_planted_case(sqlite_path: Path,
                                                                          tmp_path: Path) -> None:
    posts, sc = _world_posts()
    rows = [(f"{p.places[0].id}|{p.topic}", p.published_at, 1) for p in posts
            if p.is_complaint and p.places and p.cluster_id.startswith("sim-") and "dup" not in p.cluster_id]
    series = build_series(rows, HOUR, since=sc.start, until=sc.end)
    assert ClusterScan(ZONES, names=NAMES).scan(series) == []  # every hour of the week
    # with busy places' rises the same few keys win most permutations: no Gumbel tail (it gave p 7e-7 to 2 places)
    assert ClusterScan(ZONES, ClusterOptions(member_rise=3), names=NAMES).scan(series) == []

    now = datetime(2026, 11, 5, 11, tzinfo=SHANGHAI)  # three hours into the planted spike
    store = SQLiteStore(sqlite_path)
    store.upsert_posts([p for p in posts if p.published_at < now])
    report = AlertRunner(store, config(tmp_path), clock=Clock(now), gazetteer=GAZ).run_once(deliver=False)
    assert report.clusters == []
    assert [c.key for c in store.list_cases(CaseQuery()).items] == ["dc-xq-qianxi|sanitation"]
    store.close()


def test_a_tail_fitted_to_replicates_without_spread_is_never_zero() -> None:
    import numpy as np

    from alerts.scan_stats import gumbel_sf

    same = np.full(20, 3.0)
    assert gumbel_sf(9.0, same) == 1 / 21  # beyond every replicate: the smallest p R replicates can show
    assert gumbel_sf(3.0, same) == 1.0
    spread = np.linspace(1.0, 5.0, 40)
    assert 0 < gumbel_sf(9.0, spread) < gumbel_sf(4.0, spread) < 1


def test_the_members_statistic_counts_quiet_places_with_two_complaints_not_busy_ones_noise() -> None:
    from alerts.scan_stats import poisson_llr, unit_stats

    # one unit of seven members: three quiet places with 2 complaints each (expected 0.1), one quiet place with 1,
    # two busy places at 14 against 10 expected, one with nothing
    counts = np.array([[2.0, 2.0, 2.0, 1.0, 14.0, 14.0, 0.0]])
    mu = np.array([[0.1, 0.1, 0.1, 0.1, 10.0, 10.0, 0.5]])
    mat, idx = np.ones((7, 1)), np.arange(7)[None, :]
    stat, ok, _cu, _muu, c_rest, mu_rest = unit_stats(counts, mu, mat, idx, 800.0, min_members=3, min_count=6,
                                                      statistic="members", scale=np.array([1, 1, 1, 1, 4, 4, 1]))
    g2 = float(poisson_llr(np.array(2.0), np.array(0.1)))
    assert ok[0, 0] and stat[0, 0] == pytest.approx(2 * g2)  # one quiet place left out; 1 complaint, busy: nothing
    assert (c_rest[0, 0], mu_rest[0, 0]) == (33.0, pytest.approx(20.8))
    pooled = unit_stats(counts, mu, mat, idx, 800.0, min_members=3, min_count=6, statistic="pooled")[0][0, 0]
    assert pooled < stat[0, 0] / 2  # the zone's total: 21 against 10.9 after one busy place, noise and all
    spikes = np.array([[2.0, 9.0, 9.0, 1.0, 0.0, 0.0, 0.0]])  # two places with their own spikes: counted as two
    assert unit_stats(spikes, mu, mat, idx, 800.0, min_members=3, min_count=6,
                      statistic="members")[0][0, 0] == pytest.approx(2 * g2)
    two = unit_stats(counts[:, [0, 1, 3, 4, 5]], mu[:, [0, 1, 3, 4, 5]], np.ones((5, 1)), idx[:, :5], 800.0,
                     min_members=3, min_count=6, statistic="members")
    assert two[0][0, 0] == pytest.approx(g2)  # two quiet places with two complaints: one left out


def test_the_replicates_largest_statistic_is_the_full_computations() -> None:
    from alerts.scan_stats import members_max, unit_stats

    rng = np.random.default_rng(0)
    for rise in (None, 3.0):
        for _ in range(10):
            k, u, r = 60, 15, 50
            rows = [sorted(rng.choice(k, size=int(rng.integers(3, 12)), replace=False)) for _ in range(u)]
            mat, idx = np.zeros((k, u)), np.full((u, max(map(len, rows))), k)
            for j, row in enumerate(rows):
                mat[row, j], idx[j, :len(row)] = 1.0, row
            counts = rng.poisson(rng.uniform(0.05, 2, size=k), size=(r, k)).astype(float)
            mu = np.broadcast_to(rng.uniform(0.05, 2, size=k), (r, k)).copy()
            full = unit_stats(counts, mu, mat, idx, 1000.0, min_members=3, min_count=6, rise=rise)[0].max(axis=1)
            assert np.array_equal(full, members_max(counts, mu, mat, idx, min_members=3, min_count=6, rise=rise))


def test_the_monte_carlo_p_counts_replicates_that_beat_or_tie_the_zone() -> None:
    from alerts.clusters import _mc_pvalue

    null = np.array([1.0, 2.0, 5.0, 3.0])
    assert _mc_pvalue(5.0, null, exact=True) == 1 / 4  # a tie beats it: stopped at the first, k / n
    assert _mc_pvalue(6.0, null, exact=True) == 1 / 5  # unbeaten in n: 1 / (n + 1)
    assert _mc_pvalue(6.0, null, exact=False) == 0.0  # too few replicates for α: the fitted tail decides alone


def test_a_zone_the_fitted_tail_finds_but_permutations_beat_is_no_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    import alerts.clusters as clusters

    counts = town(2)
    busy(counts, BUSY, "parking", 21)
    at = 17 * 24 + 9
    for i, p in enumerate(BUSY):  # five more in a day at each: about 6 against ~2 expected at those hours
        counts[f"{p}|parking"][at + i + np.arange(0, 24, 5)] += 1
    assert scan(counts, member_rise=3) == []  # Monte-Carlo p ≈ 2.5e-3 against α 3e-4
    monkeypatch.setattr(clusters, "_mc_pvalue", lambda stat, null, exact: 0.0)
    assert scan(counts, member_rise=3), "the Gumbel fitted to 199 replicates alone calls it significant"
