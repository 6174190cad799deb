"""Bulk upsert throughput into SQLite and Elasticsearch, against one-by-one upserts in the same run.

    .venv/bin/python bench/bench_storage_index.py [--n 20000] [--single 500] [--es URL]

Without --es (or YUQING_ES_URL) only SQLite is measured.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import machine, synthetic_posts, timed
from core.config import ElasticsearchConfig
from storage.sqlite import SQLiteStore


def measure(store, n: int, single: int, label: str) -> tuple[float, float]:
    posts = list(synthetic_posts(n, seed=1))
    one = list(synthetic_posts(single, seed=2))
    store.upsert_posts(list(synthetic_posts(50, seed=3)))  # warm-up: segmenter loaded, indices created
    t_bulk = timed(lambda: store.upsert_posts(posts))
    t_one = timed(lambda: [store.upsert_posts([p]) for p in one])
    bulk_rate, one_rate = n / t_bulk, single / t_one
    print(f"{label:<14} bulk {bulk_rate:>9,.0f} posts/s ({n:,} in {t_bulk:.1f} s)   "
          f"one-by-one {one_rate:>7,.0f} posts/s ({single:,} in {t_one:.1f} s)   ratio ×{bulk_rate / one_rate:.1f}")
    return bulk_rate, one_rate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20000, help="posts per bulk run")
    ap.add_argument("--single", type=int, default=500, help="posts upserted one by one (baseline)")
    ap.add_argument("--es", default=os.environ.get("YUQING_ES_URL"), help="Elasticsearch URL")
    args = ap.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "bench.db")
        measure(store, args.n, args.single, "sqlite")
        store.close()
    if args.es:
        from storage.elastic import ElasticStore

        prefix = f"yqbench-{uuid.uuid4().hex[:6]}"
        store = ElasticStore(ElasticsearchConfig(url=args.es, index_prefix=prefix))
        store.init()
        try:
            measure(store, args.n, args.single, "elasticsearch")
        finally:
            store.es.indices.delete(index=f"{prefix}-*")
            store.es.indices.delete_index_template(name=f"{prefix}-posts-v1")
            store.close()


if __name__ == "__main__":
    main()
