"""Bulk upsert throughput into SQLite and Elasticsearch: the current path against the old one and against
one-by-one upserts, all in the same run.

    .venv/bin/python bench/bench_storage_index.py [--n 20000] [--single 300] [--es URL] [--texts synthetic,real]

* old path: the store re-segments every post (jieba search mode, HMM on), one bulk request at a time,
  periodic refresh on — what the stores did before "segment once";
* new path: the store indexes the tokens the enricher produced (``Post.tokens``, computed before timing,
  as the crawler's enrichment does); Elasticsearch writes ``bulk_workers`` chunks at once inside
  ``bulk_load()`` (refresh off during the load, restored after);
* one by one: ``upsert_posts([post])`` per post (new path).

Texts: ``synthetic`` ~30-character posts (bench.common), ``real`` Weibo posts (~117 characters, read from
the shared data at run time; skipped when absent). Without --es (or YUQING_ES_URL) only SQLite is measured.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import machine, real_posts, synthetic_posts, timed, with_tokens
from core.config import ElasticsearchConfig
from nlp import default_segmenter
from storage.docs import searchable_text
from storage.sqlite import SQLiteStore


class OldWords:
    """The index words as the stores made them before: a second segmentation, search mode with HMM."""

    def __init__(self, seg) -> None:
        self.seg = seg

    def for_post(self, post) -> str:
        return " ".join(w.lower() for w in self.seg.cut_for_index(searchable_text(post)))


def posts_of(kind: str, n: int, seed: int) -> list:
    gen = real_posts if kind == "real" else synthetic_posts
    return with_tokens(list(gen(n, seed=seed)))


def measure(make_store, kind: str, n: int, single: int, label: str) -> None:
    posts = posts_of(kind, n, 1)
    one = posts_of(kind, single, 2)
    warm = posts_of(kind, 50, 3)
    rates = {}
    for path in ("old", "new"):
        store = make_store()
        store.upsert_posts(warm)  # segmenter loaded, indices created
        if path == "old":
            store._words = OldWords(store._seg)
            if hasattr(store, "bulk_workers"):
                store.bulk_workers = 1
            load = contextlib.nullcontext()
        else:
            load = store.bulk_load()

        def run(store=store, load=load) -> None:
            with load:
                report = store.upsert_posts(posts)
            assert report.created == n and not report.failed, report

        rates[path] = n / timed(run)
        if path == "new":
            rates["one"] = single / timed(lambda store=store: [store.upsert_posts([p]) for p in one])
        store.close()
    print(f"{label:<14} {kind:<9} new {rates['new']:>7,.0f} posts/s   old {rates['old']:>7,.0f} posts/s "
          f"(new/old ×{rates['new'] / rates['old']:.2f})   one-by-one {rates['one']:>6,.0f} posts/s "
          f"(bulk/one ×{rates['new'] / rates['one']:.1f})   {n:,} posts", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20000, help="posts per bulk run")
    ap.add_argument("--single", type=int, default=300, help="posts upserted one by one (baseline)")
    ap.add_argument("--es", default=os.environ.get("YUQING_ES_URL"), help="Elasticsearch URL")
    ap.add_argument("--texts", default="synthetic,real", help="synthetic, real or both (comma-separated)")
    ap.add_argument("--backends", default="sqlite,elasticsearch")
    args = ap.parse_args()
    print(machine())
    kinds = [k for k in args.texts.split(",") if k]
    if "real" in kinds and not list(real_posts(1)):
        print("real texts: the weibo2018 data set is not on this machine; skipped")
        kinds.remove("real")
    default_segmenter().cut("预热")  # the dictionary load is not part of any figure
    backends = args.backends.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        if "sqlite" in backends:
            counter = iter(range(100))
            for kind in kinds:
                measure(lambda: SQLiteStore(Path(tmp) / f"b{next(counter)}.db"), kind, args.n, args.single, "sqlite")
    if args.es and "elasticsearch" in backends:
        from elasticsearch import Elasticsearch

        from storage.elastic import ElasticStore

        prefixes: list[str] = []

        def make() -> ElasticStore:
            prefixes.append(f"yqbench-{uuid.uuid4().hex[:6]}")
            s = ElasticStore(ElasticsearchConfig(url=args.es, index_prefix=prefixes[-1]))
            s.init()
            return s

        try:
            for kind in kinds:
                measure(make, kind, args.n, args.single, "elasticsearch")
        finally:
            es = Elasticsearch(args.es)
            for p in prefixes:
                es.options(ignore_status=404).indices.delete(index=f"{p}-*")
                es.options(ignore_status=404).indices.delete_index_template(name=f"{p}-posts-v1")


if __name__ == "__main__":
    main()
