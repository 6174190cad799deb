"""Clusters across neighbouring places: recall, false cluster cases per 1,000 zone-weeks and delay of the space-time
permutation scan (:mod:`alerts.clusters`), beside the per-key default detector's recall on the same plants.

    .venv/bin/python bench/bench_cluster.py [--seeds 201,202,203] [--places 240] [--weeks 6] [--plants 12]
        [--statistics members,pooled] [--member-rise 3] [--backgrounds quiet,issue] [--no-per-key]

Seeds 201–203 are the ones the scan's options were chosen on; report others (301–303) as held out. Each
statistic in ``--statistics`` runs on the same series in the same run: ``members`` (the default: each member place's
own excess) beside ``pooled`` (the zone's total, as before), the baseline.

Background: :func:`alerts.synthetic.generate` (seeded: hour-of-week profiles, negative-binomial noise per hour and
per day, rates 0.02–3 an hour, its own per-key spikes, level shifts, slow rises and new places), as it is ("issue
series") and thinned to 5 % of its complaints ("quiet town": 0.001–0.15 an hour, as the keys of one 小区 × topic
mostly are). Places are grouped into parents of 8 (a 居委 and its 小区) and grids of 4 parents. Plants: in ``--plants``
distinct parents a random topic gets 2 complaints at each of 3–5 of its places, at random hours within 24 h, from
day 16 on — on keys that may not exist yet. Scoring: a plant is found by a cluster match of its topic on a zone
holding ≥ 2 of its places within 48 h of its start (delay = hours from its start to the end of the first such
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
        out.append({"topic": topic, "places": set(places), "start": start, "keys": {f"{p}|{topic}" for p in places}})
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


def run(seed: int, args: argparse.Namespace, thin: float | None, statistic: str = "members") -> dict:
    data = generate(seed, places=args.places, weeks=args.weeks)
    rng = np.random.default_rng(seed + 7919)
    counts = dict(data.counts)
    if thin is not None:
        counts = {k: rng.binomial(v, thin) for k, v in counts.items()}
        counts = {k: v for k, v in counts.items() if v.any()}
    places = sorted({k.split("|")[0] for k in data.counts if k.startswith("pl-")})
    zones = zones_for(places)
    plants = plant(counts, zones, args.plants, rng)
    series = {k: Series(k, data.start, HOUR, v) for k, v in counts.items()}
    scan = ClusterScan(zones, ClusterOptions(false_alarms_per_1000_key_weeks=args.budget, statistic=statistic,
                                             member_rise=args.member_rise))
    found: list = []
    t_scan = timed(lambda: found.extend(scan.scan(series, since=data.start + HOUR * SCAN_FROM)))
    s0 = next(iter(series.values()))
    idx = s0.index_of
    delays, hits = [], 0
    for p in plants:
        ok = [idx(m.bucket) + 1 - p["start"] for m in found if m.topic == p["topic"]
              and len(m.zone.places & p["places"]) >= 2 and p["start"] <= idx(m.bucket) < p["start"] + 48]
        if ok:
            hits += 1
            delays.append(min(ok))
    per_key: list = []
    t_key, key_hits = float("nan"), -1
    if args.per_key:
        det = build_detector("outbreak", {}, {"false_alarms_per_1000_key_weeks": args.budget})
        t_key = timed(lambda: per_key.extend(det.detect_many(series)))
        key_hits = sum(1 for p in plants if any(m.key in p["keys"] and p["start"] <= idx(m.bucket) < p["start"] + 48
                                                for m in per_key))
    weeks = (len(s0) - SCAN_FROM) / 168
    return {"plants": len(plants), "hits": hits, "delays": delays, "false": false_cases(found, plants, idx),
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
    ap.add_argument("--member-rise", type=lambda v: None if v == "none" else float(v),
                    default=ClusterOptions().member_rise,
                    help="members: a busy member's rise counts up to this many times its expected (none: the default)")
    ap.add_argument("--backgrounds", default="quiet,issue", help="quiet (thinned to 5 %%) and/or issue (as generated)")
    ap.add_argument("--no-per-key", dest="per_key", action="store_false", help="skip the per-key detector column")
    args = ap.parse_args()
    print(machine())
    seeds = [int(s) for s in args.seeds.split(",")]
    print(f"seeds {seeds}, {args.places} places, {args.weeks} weeks, {args.plants} plants a seed, budget "
          f"{args.budget:g}, member_rise {args.member_rise}\n")
    print("| background | statistic | complaints/day | cluster recall | median delay (h) | false cluster cases / 1,000 "
          "zone-weeks | zone-weeks | per-key `outbreak` recall on the plants | scan s | per-key s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    readings = {"quiet": ("quiet town (5 %)", 0.05), "issue": ("issue series", None)}
    for label, thin in (readings[r] for r in args.backgrounds.split(",")):
        for statistic in args.statistics.split(","):
            rs = [run(s, args, thin, statistic) for s in seeds]
            plants, hits = sum(r["plants"] for r in rs), sum(r["hits"] for r in rs)
            delays = [d for r in rs for d in r["delays"]]
            zw, false = sum(r["zone_weeks"] for r in rs), sum(r["false"] for r in rs)
            per_day = np.mean([r["complaints_per_day"] for r in rs])
            key = f"{sum(r['key_hits'] for r in rs) / plants:.2f}" if args.per_key else "–"
            print(f"| {label} | {statistic} | {per_day:.0f} | {hits / plants:.2f} ({hits}/{plants})"
                  f" | {np.median(delays) if delays else float('nan'):.0f} | {1000 * false / zw:.2f} ({false})"
                  f" | {zw:.0f} | {key} | {sum(r['t_scan'] for r in rs):.1f}"
                  f" | {sum(r['t_key'] for r in rs):.1f} |", flush=True)


if __name__ == "__main__":
    main()
