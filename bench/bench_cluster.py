"""Clusters across neighbouring places: recall, false cluster cases per 1,000 zone-weeks and delay of the space-time
permutation scan (:mod:`alerts.clusters`), beside the per-key default detector's recall on the same plants.

    .venv/bin/python bench/bench_cluster.py [--seeds 201,202,203] [--places 240] [--weeks 6] [--plants 12]
        [--statistics members,pooled] [--member-rise 3] [--backgrounds quiet,issue] [--no-per-key]

Seeds 201–203 are the ones the scan's options were chosen on (301–303: held out until 2026-12-05, when their
quiet town's false cases were looked into); report others (401–403) as held out. Each
statistic in ``--statistics`` runs on the same series in the same run: ``members`` (the default: each member place's
own excess) beside ``pooled`` (the zone's total, as before), the baseline.

Background: :func:`alerts.synthetic.generate` (seeded: hour-of-week profiles, negative-binomial noise per hour and
per day, rates 0.02–3 an hour, its own per-key spikes, level shifts, slow rises and new places), as it is ("issue
series") and thinned to 5 % of its complaints ("quiet town": 0.001–0.15 an hour, as the keys of one 小区 × topic
mostly are). Places are grouped into parents of 8 (a 居委 and its 小区) and grids of 4 parents. Plants: in ``--plants``
distinct parents a random topic gets 2 complaints at each of 3–5 of its places, at random hours within 24 h, from
day 16 on — on keys that may not exist yet ("quiet places"); and ``--busy-plants`` busy zones rising (3–5 existing
keys of one topic in a parent or a grid, each expecting 0.5–3 complaints in 3–24 h, rising 3–5× for those hours:
:func:`plant_busy`). Recall is reported for each kind. Scoring: a plant is found by a cluster match of its topic
on a zone holding ≥ 2 of its places within 48 h of its start (delay = hours from its start to the end of the first such
bucket); a match whose window holds a plant's hours is that plant, found again; every other cluster match is false,
and false matches of one topic on overlapping zones less than 24 h apart are one false case (as the case service
dedupes them). Zone-weeks: zone × topic units with at least ``min_members`` keys × weeks scanned (weeks 3 on). The
per-key column runs the default ``outbreak`` detector over the same planted series: a plant counts as found if any
of its keys matches within 48 h. The scan's time is beside the per-key detector's, measured in the same run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alerts.clusters import ClusterOptions, ClusterScan, Zone
from alerts.detectors import build_detector
from alerts.series import Series
from alerts.synthetic import HOUR, TOPICS, generate
from bench.common import machine, timed

SCAN_FROM = 14 * 24  # weeks 3 on are scanned (two weeks of study period first)


def zones_for(places: list[str], parent_size: int = 8, grid_parents: int = 4) -> list[Zone]:
    """Parents of ``parent_size`` consecutive places and grids of ``grid_parents`` parents."""
    parents = [places[i:i + parent_size] for i in range(0, len(places), parent_size)]
    zones = [Zone(f"p{j}", f"居委{j}", frozenset(p), anchor=p[0]) for j, p in enumerate(parents)]
    for g in range(0, len(parents), grid_parents):
        members = frozenset(x for p in parents[g:g + grid_parents] for x in p)
        zones.append(Zone(f"grid:G{g // grid_parents}", f"网格 G{g // grid_parents}", members, grid=f"G{g}"))
    return zones


def plant(counts: dict[str, np.ndarray], zones: list[Zone], n_plants: int, rng: np.random.Generator
          ) -> list[dict]:
    """Clusters in distinct parents: 2 complaints at each of 3–5 places of one topic within 24 h."""
    n = len(next(iter(counts.values())))
    parents = [z for z in zones if z.anchor]
    out = []
    for j in rng.choice(len(parents), size=min(n_plants, len(parents)), replace=False):
        z = parents[int(j)]
        topic = str(rng.choice(TOPICS))
        places = [str(p) for p in rng.choice(sorted(z.places), size=int(rng.integers(3, 6)), replace=False)]
        start = int(rng.integers(SCAN_FROM + 2 * 24, n - 3 * 24))
        for p in places:
            key = f"{p}|{topic}"
            c = counts.get(key, np.zeros(n, dtype=np.int64)).copy()
            for h in rng.integers(0, 24, size=2):
                c[start + int(h)] += 1
            counts[key] = c
        out.append({"topic": topic, "places": set(places), "start": start, "keys": {f"{p}|{topic}" for p in places},
                    "kind": "quiet", "zone": z.id})
    return out


def plant_busy(counts: dict[str, np.ndarray], zones: list[Zone], n_plants: int, rng: np.random.Generator,
               taken: set[str]) -> list[dict]:
    """Busy zones rising: in ``n_plants`` zones (parents not in ``taken``, or grids: their places outside those
    parents and earlier busy plants), 3–5 existing keys of one topic, each expecting
    0.5–3 complaints in the plant's 3–24 h (its own mean rate before the plant × the town's hour-of-week rhythm: a
    couple there is ordinary), each rising 3–5× for those hours (Poisson extra complaints)."""
    n = len(next(iter(counts.values())))
    total = sum(counts.values())
    used = {p for z in zones if z.id in taken for p in z.places}
    cands = [z for z in zones if z.id not in taken]  # parents, and grids (their places outside planted parents)
    out = []
    for j in rng.permutation(len(cands)):
        if len(out) >= n_plants:
            break
        z = cands[int(j)]
        hours, f = int(rng.integers(3, 25)), float(rng.uniform(3, 5))
        start = int(rng.integers(SCAN_FROM + 2 * 24, n - 3 * 24))
        how = np.arange(start, start + hours) % 168
        past = total[:start - start % 168].reshape(-1, 168).mean(axis=0)  # the town's rhythm, whole weeks before
        shape = past[how] / past.mean()
        for topic in map(str, rng.permutation(TOPICS)):
            keys = [k for k in sorted(counts) if k.endswith(f"|{topic}") and k.split("|")[0] in z.places - used]
            mu = {k: float(counts[k][:start].mean()) * shape for k in keys}
            ok = [k for k in keys if 0.5 <= mu[k].sum() <= 3]
            if len(ok) < 3:
                continue
            chosen = [str(k) for k in rng.choice(ok, size=min(len(ok), int(rng.integers(3, 6))), replace=False)]
            extra = 0
            for k in chosen:
                add = rng.poisson((f - 1) * mu[k])
                counts[k] = c = counts[k].copy()
                c[start:start + hours] += add
                extra += int(add.sum())
            used |= {k.split("|")[0] for k in chosen}
            out.append({"topic": topic, "places": {k.split("|")[0] for k in chosen}, "start": start,
                        "keys": set(chosen), "kind": "busy", "expected": float(sum(mu[k].sum() for k in chosen)),
                        "extra": extra, "zone": z.id})
            break
    return out


def false_cases(matches: list, plants: list[dict], idx) -> int:
    """False cluster matches grouped as the case service would: one topic, overlapping places, < 24 h apart."""
    open_cases: list[dict] = []
    n = 0
    for m in sorted(matches, key=lambda m: m.bucket):
        t = idx(m.bucket)
        if any(m.topic == p["topic"] and len(m.zone.places & p["places"]) >= 2 and p["start"] <= t
               and idx(m.window_start) < p["start"] + 24 for p in plants):
            continue  # its window holds the plant: the planted event, found again
        places = set(m.place_ids)
        case = next((c for c in open_cases if c["topic"] == m.topic and c["places"] & places
                     and t - c["last"] <= 24), None)
        if case is None:
            n += 1
            open_cases.append({"topic": m.topic, "places": places, "last": t})
        else:
            case["places"] |= places
            case["last"] = t
    return n


def run(seed: int, args: argparse.Namespace, thin: float | None, statistic: str = "members",
        rise: float | None = None) -> dict:
    data = generate(seed, places=args.places, weeks=args.weeks)
    rng = np.random.default_rng(seed + 7919)
    counts = dict(data.counts)
    if thin is not None:
        counts = {k: rng.binomial(v, thin) for k, v in counts.items()}
        counts = {k: v for k, v in counts.items() if v.any()}
    places = sorted({k.split("|")[0] for k in data.counts if k.startswith("pl-")})
    zones = zones_for(places)
    plants = plant(counts, zones, args.plants, rng)
    plants += plant_busy(counts, zones, args.busy_plants, np.random.default_rng(seed + 104729),
                         {p["zone"] for p in plants})
    series = {k: Series(k, data.start, HOUR, v) for k, v in counts.items()}
    scan = ClusterScan(zones, ClusterOptions(false_alarms_per_1000_key_weeks=args.budget, statistic=statistic,
                                             member_rise=rise))
    found: list = []
    t_scan = timed(lambda: found.extend(scan.scan(series, since=data.start + HOUR * SCAN_FROM)))
    s0 = next(iter(series.values()))
    idx = s0.index_of
    delays: dict[str, list[int]] = {"quiet": [], "busy": []}
    hits = {"quiet": 0, "busy": 0}
    for p in plants:
        ok = [idx(m.bucket) + 1 - p["start"] for m in found if m.topic == p["topic"]
              and len(m.zone.places & p["places"]) >= 2 and p["start"] <= idx(m.bucket) < p["start"] + 48]
        if ok:
            hits[p["kind"]] += 1
            delays[p["kind"]].append(min(ok))
    per_key: list = []
    t_key, key_hits = float("nan"), {"quiet": -1, "busy": -1}
    if args.per_key:
        det = build_detector("outbreak", {}, {"false_alarms_per_1000_key_weeks": args.budget})
        t_key = timed(lambda: per_key.extend(det.detect_many(series)))
        key_hits = {k: sum(1 for p in plants if p["kind"] == k and any(
            m.key in p["keys"] and p["start"] <= idx(m.bucket) < p["start"] + 48 for m in per_key))
            for k in ("quiet", "busy")}
    weeks = (len(s0) - SCAN_FROM) / 168
    busy = [p for p in plants if p["kind"] == "busy"]
    return {"plants": {k: sum(p["kind"] == k for p in plants) for k in hits}, "hits": hits, "delays": delays,
            "busy_expected": [p["expected"] / len(p["keys"]) for p in busy],
            "busy_extra": [p["extra"] / len(p["keys"]) for p in busy], "false": false_cases(found, plants, idx),
            "zone_weeks": scan.units(series) * weeks, "key_hits": key_hits, "t_scan": t_scan, "t_key": t_key,
            "complaints_per_day": sum(int(v.sum()) for v in counts.values()) / (len(s0) / 24)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="201,202,203")
    ap.add_argument("--places", type=int, default=240)
    ap.add_argument("--weeks", type=int, default=6)
    ap.add_argument("--plants", type=int, default=12, help="planted clusters per seed (distinct parents)")
    ap.add_argument("--budget", type=float, default=1.0, help="alerts.false_alarms_per_1000_key_weeks")
    ap.add_argument("--statistics", default="members,pooled",
                    help="the scan's statistics to compare in this run (pooled: the earlier one, the baseline)")
    ap.add_argument("--busy-plants", type=int, default=8, help="planted busy zones rising, per seed")
    ap.add_argument("--member-rise", default="none",
                    help="members: comma list of readings of alerts.clusters.member_rise (none: off), each a row")
    ap.add_argument("--backgrounds", default="quiet,issue", help="quiet (thinned to 5 %%) and/or issue (as generated)")
    ap.add_argument("--no-per-key", dest="per_key", action="store_false", help="skip the per-key detector column")
    args = ap.parse_args()
    print(machine())
    seeds = [int(s) for s in args.seeds.split(",")]
    rises = [None if v == "none" else float(v) for v in args.member_rise.split(",")]
    print(f"seeds {seeds}, {args.places} places, {args.weeks} weeks, {args.plants} quiet + {args.busy_plants} busy "
          f"plants a seed, budget {args.budget:g}, default member_rise {ClusterOptions().member_rise}\n")
    print("| background | statistic | member_rise | complaints/day | recall, quiet places | recall, busy zones rising "
          "| median delay (h) quiet / busy | false cluster cases / 1,000 zone-weeks | zone-weeks "
          "| per-key `outbreak` recall quiet / busy | scan s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    readings = {"quiet": ("quiet town (5 %)", 0.05), "issue": ("issue series", None)}
    for label, thin in (readings[r] for r in args.backgrounds.split(",")):
        for statistic in args.statistics.split(","):
            for rise in rises:
                rs = [run(s, args, thin, statistic, rise) for s in seeds]
                cell = {}
                for kind in ("quiet", "busy"):
                    plants, hits = sum(r["plants"][kind] for r in rs), sum(r["hits"][kind] for r in rs)
                    d = [x for r in rs for x in r["delays"][kind]]
                    cell[kind] = (f"{hits / plants:.2f} ({hits}/{plants})" if plants else "–",
                                  f"{np.median(d):.0f}" if d else "–")
                zw, false = sum(r["zone_weeks"] for r in rs), sum(r["false"] for r in rs)
                per_day = np.mean([r["complaints_per_day"] for r in rs])
                key = " / ".join(f"{sum(r['key_hits'][k] for r in rs) / max(1, sum(r['plants'][k] for r in rs)):.2f}"
                                 for k in ("quiet", "busy")) if args.per_key else "–"
                be = [x for r in rs for x in r["busy_expected"]]
                bx = [x for r in rs for x in r["busy_extra"]]
                print(f"| {label} | {statistic} | {rise if rise is not None else 'off'} | {per_day:.0f} "
                      f"| {cell['quiet'][0]} | {cell['busy'][0]} | {cell['quiet'][1]} / {cell['busy'][1]} "
                      f"| {1000 * false / zw:.2f} ({false}) | {zw:.0f} | {key} | "
                      f"{sum(r['t_scan'] for r in rs):.1f} |", flush=True)
                print(f"<!-- busy plants: per member expected {np.mean(be) if be else float('nan'):.2f}, extra "
                      f"{np.mean(bx) if bx else float('nan'):.2f}; per-seed false "
                      f"{[r['false'] for r in rs]} -->", flush=True)


if __name__ == "__main__":
    main()
