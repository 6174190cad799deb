"""The reads the pages and the detector make, at 100k posts and at 1M in the same run (Elasticsearch).

    .venv/bin/python bench/bench_storage_scale.py --es URL [--n 1000000] [--checkpoints 100000]
        [--rounds 5] [--single 300] [--keep] [--reuse PREFIX]

Loads synthetic posts (bench.common, 60 days, 8 places × 8 topics, ~60 % complaints, enricher tokens made
by the bench outside the timed writes) through ``Store.upsert_posts`` inside ``bulk_load()``, and at each
checkpoint prints:

* load rate of the last stretch (posts/s, writes only); at the first checkpoint also ``--single`` posts
  upserted one by one (the baseline of bulk writes);
* search p50/p95 over the query mix of bench_storage_search.py (``rounds`` rounds);
* the detection read: ``complaint_counts`` over the whole 60 days, hourly buckets, by place × topic —
  the rollup of the precomputed hourly counts after the load (storage.elastic.counts, what the first
  detection read after a load pays), then two reads served by them, the direct read of the posts (the
  path before) with the rows compared, and a read right after a crawl round of 1,000 new posts of the last
  two days (their hours recounted by that read);
* the review queue (pending complaints, most severe first, 50 rows) p95;
* the search page without a query, as ``web/routes/search.py`` makes it: the first page of results, the
  daily sentiment histogram, top complaint places and complaint topics, p95;
* index size on disk (primary store), bytes per post;

then the ratio of the last checkpoint to the first, and 10M extrapolated from the two (method printed).
``--keep`` leaves the indices (prefix printed) for a later ``--reuse PREFIX`` run that only measures. Use a
node of its own (``YUQING_ES_PORT=9230 YUQING_ES_RUN=/tmp/es-bench scripts/es-dev start``), not the one the
tests share.
"""

from __future__ import annotations

import argparse
import math
import os
import random
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
HOUR = timedelta(hours=1)
REVIEW = PostQuery(review_statuses=("pending",), is_complaint=True, sort="severity", limit=50, highlight=False)
CHUNK = 10_000
RATIOS = ("search_p95", "detect_direct", "rollup", "detect_first", "detect_second", "detect_after_round",
          "review_p95", "page_p95")


def page_without_query(store) -> None:
    """What /search without a query asks the store (web/routes/search.py): results and three charts."""
    q = PostQuery(limit=20, highlight=False)
    store.search(q)
    agg = PostQuery(limit=0, highlight=False)
    store.histogram(agg, timedelta(days=1), split_by="sentiment_label")
    complaints = PostQuery(limit=0, highlight=False, is_complaint=True)
    store.terms(complaints, "place", 10)
    store.terms(complaints, "topic", 12)


def crawl_round(n: int, seed: int) -> list:
    """``n`` new posts published in the last two days of the window, as one crawl round brings them."""
    rnd = random.Random(seed)
    end = WINDOW[1]
    return with_tokens([p.model_copy(update={"published_at": end - timedelta(seconds=rnd.randint(1, 2 * 86400))})
                        for p in synthetic_posts(n, seed=seed)])


def measure(store, rounds: int, seed: int) -> dict[str, float]:
    out: dict[str, float] = {}
    samples = [timed(lambda q=q: store.search(q)) for _ in range(rounds) for q in QUERIES]
    out["search_p50"], out["search_p95"] = percentiles(samples)
    direct: list = []
    out["detect_direct"] = timed(lambda: direct.extend(store._direct_counts(*WINDOW, HOUR, True)))
    store.counts.delay = timedelta(0)  # the load is over and refreshed: the rollup may count all of it
    out["rollup"] = timed(store.counts.update)
    rows: list = []
    out["detect_first"] = timed(lambda: rows.extend(store.complaint_counts(*WINDOW, HOUR)))
    out["detect_rows"] = len(rows)
    out["same_rows"] = float(rows == direct)
    out["detect_second"] = timed(lambda: store.complaint_counts(*WINDOW, HOUR))
    store.upsert_posts(crawl_round(1000, seed), refresh=True)
    out["detect_after_round"] = timed(lambda: store.complaint_counts(*WINDOW, HOUR))
    out["round_line"] = store.counts.last_update or ""
    out["review_p95"] = percentiles([timed(lambda: store.search(REVIEW)) for _ in range(max(rounds * 4, 20))])[1]
    out["page_p95"] = percentiles([timed(lambda: page_without_query(store)) for _ in range(max(rounds * 2, 10))])[1]
    stats = store.es.indices.stats(index=store.posts_alias, metric="store,docs")["_all"]["primaries"]
    out["posts"] = stats["docs"]["count"]
    out["bytes_per_post"] = stats["store"]["size_in_bytes"] / max(1, stats["docs"]["count"])
    out["monthly_indices"] = len(store.es.indices.get_alias(name=store.posts_alias))
    return out


def show(size: int, m: dict[str, float], rate: float | None) -> None:
    load = f"load {rate:,.0f} posts/s   " if rate else ""
    print(f"{size:>9,} posts   {load}search p50/p95 {m['search_p50']:.0f}/{m['search_p95']:.0f} ms   "
          f"review queue p95 {m['review_p95']:.0f} ms   search page p95 {m['page_p95']:.0f} ms   "
          f"{m['bytes_per_post']:,.0f} B/post on disk", flush=True)
    print(f"{'':>9}         detection read: direct from the posts {m['detect_direct']:.2f} s; counts rollup "
          f"{m['rollup']:.2f} s, then reads {m['detect_first']:.2f} s and {m['detect_second']:.2f} s "
          f"({m['detect_rows']:,.0f} rows, same as direct: {'yes' if m['same_rows'] else 'NO'}); after a crawl "
          f"round of 1,000 posts {m['detect_after_round']:.2f} s ({m['round_line']})", flush=True)


def extrapolate(sizes: list[int], results: dict[int, dict[str, float]], target: int = 10_000_000) -> None:
    """10M from the two measured sizes: each figure's growth between them taken as a power law in the number
    of posts (t = a·n^k, k from the two points), and the shard sizes 10M posts would make."""
    lo, hi = sizes[0], sizes[-1]
    a, b = results[lo], results[hi]
    print(f"10M extrapolated (power law through {lo:,} and {hi:,}: t(10M) = t({hi:,}) × "
          f"(t({hi:,}) / t({lo:,}))^(log(10M/{hi:,}) / log({hi:,}/{lo:,}))):")
    for key in ("search_p95", "review_p95", "page_p95", "detect_direct", "detect_second"):
        if a[key] > 0 and b[key] > 0:
            k = math.log(b[key] / a[key]) / math.log(hi / lo)
            guess = b[key] * (target / hi) ** k
            shown = f"{guess:,.0f} ms" if key.endswith("p95") else f"{guess:,.2f} s"
            print(f"  {key:<15} exponent {k:+.2f}  → {shown}")
    gb = b["bytes_per_post"] * target / 1e9
    months = max(1, int(b["monthly_indices"]))
    print(f"  shards: {target:,} posts × {b['bytes_per_post']:,.0f} B = {gb:.1f} GB of primaries; over "
          f"{months} monthly indices (as here) {gb / months:.1f} GB a shard, over 36 months {gb / 36:.2f} GB — "
          "search and the charts grow with the posts a query touches per shard; the detection read served by "
          "the counts grows with the hours and rows in its window, not with the posts")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--es", default=os.environ.get("YUQING_ES_URL"), required=False)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--checkpoints", default="100000", help="comma-separated sizes measured before --n")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--single", type=int, default=300, help="posts upserted one by one at the first checkpoint")
    ap.add_argument("--keep", action="store_true", help="leave the indices for --reuse")
    ap.add_argument("--reuse", metavar="PREFIX", help="measure indices loaded by an earlier --keep run")
    ap.add_argument("--loaded", type=int, default=0,
                    help="with --reuse: that run loaded this many posts; load on from there up to --n")
    args = ap.parse_args()
    if not args.es:
        ap.error("--es URL (or YUQING_ES_URL) is required")
    from storage.elastic import ElasticStore

    print(machine())
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    prefix = args.reuse or f"yqscale-{uuid.uuid4().hex[:6]}"
    store = ElasticStore(ElasticsearchConfig(url=args.es, index_prefix=prefix, request_timeout=120))
    health = store.health()
    print(f"Elasticsearch at {args.es}: {health['nodes']} node(s), status {health['status']}, prefix {prefix}")
    results: dict[int, dict[str, float]] = {}
    try:
        store.init()
        if args.reuse and not args.loaded:
            m = measure(store, args.rounds, seed=7_000_000)
            show(int(m["posts"]), m, None)
            return
        loaded = args.loaded
        sizes = sorted({int(s) for s in args.checkpoints.split(",") if s and loaded < int(s) < args.n} | {args.n})
        single_rate = None
        for n_round, size in enumerate(sizes):
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
            rate = (loaded - start) / spent
            if single_rate is None and args.single:
                one = with_tokens(list(synthetic_posts(args.single, seed=9_000_000)))
                single_rate = len(one) / timed(lambda one=one: [store.upsert_posts([p]) for p in one])
                print(f"one-by-one upserts: {single_rate:,.0f} posts/s ({len(one)} posts); bulk load "
                      f"{rate:,.0f} posts/s: ×{rate / single_rate:.1f}", flush=True)
            print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
            results[size] = measure(store, args.rounds, seed=8_000_000 + n_round)
            show(size, results[size], rate)
        if len(sizes) < 2:
            return
        first, last = results[sizes[0]], results[sizes[-1]]
        print(f"ratios {sizes[-1]:,} / {sizes[0]:,} posts (×{sizes[-1] / sizes[0]:.0f}): "
              + "   ".join(f"{k} ×{last[k] / first[k]:.2f}" for k in RATIOS if first[k]))
        print(f"detection read served by the counts vs direct from the posts: {sizes[0]:,} "
              f"×{first['detect_direct'] / first['detect_second']:.1f} faster, {sizes[-1]:,} "
              f"×{last['detect_direct'] / last['detect_second']:.1f} faster")
        extrapolate(sizes, results)
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
