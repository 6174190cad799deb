"""The reads the pages and the detector make, at 100k posts and at 1M in the same run (Elasticsearch).

    .venv/bin/python bench/bench_storage_scale.py --es URL [--n 1000000] [--checkpoints 100000]
        [--rounds 5] [--keep] [--reuse PREFIX]

Loads synthetic posts (bench.common, 60 days, 8 places × 8 topics, ~60 % complaints, enricher tokens made
by the bench outside the timed writes) through ``Store.upsert_posts`` inside ``bulk_load()``, and at each
checkpoint prints:

* load rate of the last stretch (posts/s, writes only);
* search p50/p95 over the query mix of bench_storage_search.py (``rounds`` rounds);
* the detection read: ``complaint_counts`` over the whole 60 days, hourly buckets, by place × topic
  (first call and a second one);
* the review queue (pending complaints, most severe first, 50 rows) p95;
* the search page without a query: the first page of results plus its three charts (daily sentiment
  histogram, top places, topics) p95;
* index size on disk (primary store), bytes per post;

then the ratio of the last checkpoint to the first. ``--keep`` leaves the indices (prefix printed) for a later
``--reuse PREFIX`` run that only measures. Use a node of its own (``YUQING_ES_PORT=9230
YUQING_ES_RUN=/tmp/es-bench scripts/es-dev start``), not the one the tests share.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_storage_search import QUERIES
from bench.common import machine, percentiles, synthetic_posts, timed, with_tokens
from core.config import ElasticsearchConfig
from storage import PostQuery

WINDOW = (datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC))
REVIEW = PostQuery(review_statuses=("pending",), is_complaint=True, sort="severity", limit=50, highlight=False)
CHUNK = 10_000


def page_without_query(store) -> None:
    q = PostQuery(limit=20, highlight=False)
    store.search(q)
    store.histogram(q, timedelta(days=1), split_by="sentiment_label")
    store.terms(q, "place", 10)
    store.terms(q, "topic", 20)


def measure(store, rounds: int) -> dict[str, float]:
    out: dict[str, float] = {}
    samples = [timed(lambda q=q: store.search(q)) for _ in range(rounds) for q in QUERIES]
    out["search_p50"], out["search_p95"] = percentiles(samples)
    rows: list = []
    out["detect_first"] = timed(lambda: rows.extend(store.complaint_counts(*WINDOW, timedelta(hours=1))))
    out["detect_rows"] = len(rows)
    out["detect_second"] = timed(lambda: store.complaint_counts(*WINDOW, timedelta(hours=1)))
    out["review_p95"] = percentiles([timed(lambda: store.search(REVIEW)) for _ in range(max(rounds * 4, 20))])[1]
    out["page_p95"] = percentiles([timed(lambda: page_without_query(store)) for _ in range(max(rounds * 2, 10))])[1]
    stats = store.es.indices.stats(index=store.posts_alias, metric="store,docs")["_all"]["primaries"]
    out["posts"] = stats["docs"]["count"]
    out["bytes_per_post"] = stats["store"]["size_in_bytes"] / max(1, stats["docs"]["count"])
    return out


def show(size: int, m: dict[str, float], rate: float | None) -> None:
    load = f"load {rate:,.0f} posts/s   " if rate else ""
    print(f"{size:>9,} posts   {load}search p50/p95 {m['search_p50']:.0f}/{m['search_p95']:.0f} ms   "
          f"detection read {m['detect_first']:.2f} s then {m['detect_second']:.2f} s ({m['detect_rows']:,.0f} rows)   "
          f"review queue p95 {m['review_p95']:.0f} ms   search page p95 {m['page_p95']:.0f} ms   "
          f"{m['bytes_per_post']:,.0f} B/post on disk", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--es", default=os.environ.get("YUQING_ES_URL"), required=False)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--checkpoints", default="100000", help="comma-separated sizes measured before --n")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--keep", action="store_true", help="leave the indices for --reuse")
    ap.add_argument("--reuse", metavar="PREFIX", help="measure indices loaded by an earlier --keep run")
    ap.add_argument("--loaded", type=int, default=0,
                    help="with --reuse: that run loaded this many posts; load on from there up to --n")
    args = ap.parse_args()
    if not args.es:
        ap.error("--es URL (or YUQING_ES_URL) is required")
    from storage.elastic import ElasticStore

    print(machine())
    prefix = args.reuse or f"yqscale-{uuid.uuid4().hex[:6]}"
    store = ElasticStore(ElasticsearchConfig(url=args.es, index_prefix=prefix, request_timeout=120))
    health = store.health()
    print(f"Elasticsearch at {args.es}: {health['nodes']} node(s), status {health['status']}, prefix {prefix}")
    results: dict[int, dict[str, float]] = {}
    try:
        if args.reuse and not args.loaded:
            m = measure(store, args.rounds)
            show(int(m["posts"]), m, None)
            return
        store.init()
        loaded = args.loaded
        sizes = sorted({int(s) for s in args.checkpoints.split(",") if s and loaded < int(s) < args.n} | {args.n})
        for size in sizes:
            spent = 0.0
            start = loaded
            while loaded < size:
                posts = with_tokens(list(synthetic_posts(min(CHUNK, size - loaded), seed=1000 + loaded)))
                t0 = time.perf_counter()
                with store.bulk_load():
                    report = store.upsert_posts(posts)
                spent += time.perf_counter() - t0
                if report.failed:
                    raise SystemExit(f"{len(report.failed)} posts failed, first: {report.failed[0]}")
                loaded += len(posts)
                print(f"  loaded {loaded:,}/{args.n:,}", end="\r", file=sys.stderr, flush=True)
            print(file=sys.stderr)
            results[size] = measure(store, args.rounds)
            show(size, results[size], (loaded - start) / spent)
        if len(sizes) < 2:
            return
        first, last = results[sizes[0]], results[sizes[-1]]
        print(f"ratios {sizes[-1]:,} / {sizes[0]:,} posts (×{sizes[-1] / sizes[0]:.0f}): "
              + "   ".join(f"{k} ×{last[k] / first[k]:.2f}" for k in
                         ("search_p95", "detect_first", "detect_second", "review_p95", "page_p95")
                         if first[k]))
    finally:
        if not args.keep and not args.reuse:  # a --reuse run leaves its indices
            store.es.options(ignore_status=404).indices.delete(index=f"{prefix}-*")
            for tpl in store.es.options(ignore_status=404).indices.get_index_template(
                    name=f"{prefix}-*").get("index_templates", []):
                store.es.indices.delete_index_template(name=tpl["name"])
        elif args.keep:
            print(f"indices kept: --reuse {prefix}")
        store.close()


if __name__ == "__main__":
    main()
