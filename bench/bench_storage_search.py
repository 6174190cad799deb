"""Search latency p50/p95 with 100k posts in each backend, against the same queries at 10k posts.

    .venv/bin/python bench/bench_storage_search.py [--n 100000] [--small 10000] [--rounds 30] [--es URL]

For SQLite it also times a naive `LIKE '%word%'` scan over the same table as a second baseline.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import machine, percentiles, synthetic_posts, timed
from core.config import ElasticsearchConfig
from storage import PostQuery
from storage.sqlite import SQLiteStore

QUERIES = [
    PostQuery(text="垃圾"),
    PostQuery(text="乱停车 消防"),
    PostQuery(text="店招", place_ids=("qilianshan-rd",)),
    PostQuery(text="噪音", since=datetime(2026, 9, 15, tzinfo=UTC), until=datetime(2026, 10, 15, tzinfo=UTC)),
    PostQuery(is_complaint=True, sort="newest"),
    PostQuery(text="河道", sources=("board:*",), sort="newest"),
]


def latencies(store, rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        for q in QUERIES:
            samples.append(timed(lambda q=q: store.search(q)))
    counts = timed(lambda: store.complaint_counts(datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC),
                                                  timedelta(hours=1)))
    print(f"    complaint_counts over 60 days × hourly buckets: {counts * 1000:.0f} ms")
    return percentiles(samples)


def fill(store, n: int) -> None:
    for i in range(0, n, 5000):
        store.upsert_posts(list(synthetic_posts(min(5000, n - i), seed=100 + i)))
        print(f"    loaded {min(i + 5000, n):,}/{n:,}", end="\r", file=sys.stderr)
    store.refresh()
    print(file=sys.stderr)


def run(make_store, label: str, n: int, small: int, rounds: int, like: bool) -> None:
    results = {}
    for size in (small, n):
        store = make_store()
        fill(store, size)
        p50, p95 = latencies(store, rounds)
        results[size] = (p50, p95)
        print(f"{label:<14} {size:>7,} posts   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
        if like and size == n:
            scan = [timed(lambda s=store, w=w: s._query("SELECT COUNT(*) FROM posts WHERE doc LIKE ?", (f"%{w}%",)))
                    for w in ("垃圾", "消防", "店招", "噪音", "河道") * 3]
            lp50, lp95 = percentiles(scan)
            print(f"{label:<14} {size:>7,} posts   naive LIKE scan p50 {lp50:.1f} ms  p95 {lp95:.1f} ms   "
                  f"FTS p95 is ×{lp95 / p95:.1f} faster")
        store.close()
    ratio = results[n][1] / results[small][1]
    print(f"{label:<14} p95 at {n:,} / p95 at {small:,} = ×{ratio:.2f} (×{n / small:.0f} the posts)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--es", default=os.environ.get("YUQING_ES_URL"))
    args = ap.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(10))
        run(lambda: SQLiteStore(Path(tmp) / f"s{next(counter)}.db"), "sqlite", args.n, args.small, args.rounds, True)
    if args.es:
        from storage.elastic import ElasticStore

        prefixes: list[str] = []

        def make():
            prefixes.append(f"yqbench-{uuid.uuid4().hex[:6]}")
            s = ElasticStore(ElasticsearchConfig(url=args.es, index_prefix=prefixes[-1]))
            s.init()
            return s

        try:
            run(make, "elasticsearch", args.n, args.small, args.rounds, False)
        finally:
            from elasticsearch import Elasticsearch

            es = Elasticsearch(args.es)
            for p in prefixes:
                es.indices.delete(index=f"{p}-*")
                es.indices.delete_index_template(name=f"{p}-posts-v1")


if __name__ == "__main__":
    main()
