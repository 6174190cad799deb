"""Console page-load latency (p50/p95) for the review queue and the search page with 100k posts in SQLite.

Pages are rendered in-process (FastAPI TestClient, no network), logged in as a reviewer. Baseline, same
run: the page's main Store.search call alone, so the ratio shows what the page adds on top of it
(aggregations for the charts, open cases, templates).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import machine, percentiles, synthetic_posts, timed
from storage.sqlite import SQLiteStore
from web.filters import Filters

PAGES = [
    ("review queue (default)", "/review", {}, {"kind": "complaint", "status": "pending", "sort": "severity"}),
    ("review queue + topic", "/review?topic=sanitation", {"topic": "sanitation"},
     {"kind": "complaint", "status": "pending", "sort": "severity"}),
    ("search, no query", "/search", {}, {}),
    ("search 垃圾", "/search?q=垃圾", {"q": "垃圾"}, {}),
    ("search 垃圾 场中路 + complaints", "/search?q=垃圾+场中路&kind=complaint",
     {"q": "垃圾 场中路", "kind": "complaint"}, {}),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="posts in the store")
    ap.add_argument("--rounds", type=int, default=30, help="loads per page")
    ap.add_argument("--db", type=Path, help="reuse (or create) this SQLite file instead of a temporary one")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    db = args.db or tmp / "bench.db"
    store = SQLiteStore(db)
    have = store.search(replace(Filters().query(1), limit=1)).total
    if have < args.n:
        t0 = time.perf_counter()
        batch = []
        for p in synthetic_posts(args.n - have, seed=have + 1):
            batch.append(p)
            if len(batch) == 2000:
                store.upsert_posts(batch)
                batch.clear()
        store.upsert_posts(batch)
        print(f"loaded {args.n - have} posts in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from tests.web_support import TestClient, login, make_config
        from web.app import create_app

    app = create_app(make_config(tmp), store)
    client = TestClient(app)
    login(client, "office")
    size = app.state.console.config.web.page_size
    print(f"# console page loads, {args.n} posts in SQLite, {args.rounds} rounds per page")
    print(f"# {machine()}")
    print("| page | page p50 / p95 ms | Store.search alone p50 / p95 ms | p95 ratio |")
    print("| --- | --- | --- | --- |")
    for name, url, params, defaults in PAGES:
        query = Filters.from_params(params, **defaults).query(size)
        client.get(url)  # warm up
        page = [timed(lambda u=url: client.get(u).raise_for_status()) for _ in range(args.rounds)]
        base = [timed(lambda q=query: store.search(q)) for _ in range(args.rounds)]
        (p50, p95), (b50, b95) = percentiles(page), percentiles(base)
        print(f"| {name} | {p50:.1f} / {p95:.1f} | {b50:.1f} / {b95:.1f} | ×{p95 / b95:.1f} |")
    store.close()


if __name__ == "__main__":
    main()
