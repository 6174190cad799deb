"""Benchmark the crawler against the simulator: pages/s parsed and stored per family, against the
simulator's own serving rate measured in the same run.

    .venv/bin/python bench/bench_crawl.py [--days 4] [--rounds 3]

Per family it prints: the simulator serving the crawl's kind of pages to a plain sequential client
(the baseline: no parsing, no storing), the pure parsers on saved pages, and a real crawl (Scrapy,
AutoThrottle on, no delay, pipelines incl. enrichment, SQLite store) run twice — cold (a fresh child process
per run: imports, models and jieba's dictionary every time) and warm (on a warm worker of
``crawler.workers``) — with each run's overhead (wall time minus the spider's own run time), and the warm
crawl's pages/s as a share of the served pages/s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import machine  # noqa: E402

from core import SHANGHAI, Config  # noqa: E402
from crawler.parsers import PARSERS  # noqa: E402
from crawler.run import crawl_source  # noqa: E402
from crawler.workers import WorkerPool  # noqa: E402
from simulator.scenario import Scenario  # noqa: E402
from simulator.server import SimServer  # noqa: E402

SAVED = ROOT / "tests" / "fixtures" / "pages"
NOW = datetime(2026, 11, 5, 23, 0, tzinfo=SHANGHAI)


def sources(srv: SimServer) -> list[dict]:
    base = {"delay": 0, "concurrency": 2, "lookback_hours": 200}
    return [
        {"name": "weibo", "family": "weibo", "base_url": srv.base("weibo"), **base,
         "options": {"keywords": ["垃圾", "停车"], "users": [5600000000, 5600007919], "slice_hours": 24}},
        {"name": "wechat", "family": "wechat", "base_url": srv.base("wechat"), **base,
         "options": {"feeds": ["feeds/MP_WXS_3209768755.atom", "feeds/MP_WXS_3209769872.atom",
                               "feeds/MP_WXS_3209770989.atom"]}},
        {"name": "forum", "family": "forum", "base_url": srv.base("forum"), **base, "options": {"fids": [2, 5]}},
        {"name": "board", "family": "board", "base_url": srv.base("board"), **base, "options": {"fid": 539}},
        {"name": "portal", "family": "portal", "base_url": srv.base("portal"), **base,
         "options": {"page_size": 20}},
    ]


def served_urls(srv: SimServer, family: str) -> list[tuple[str, str, bytes | None]]:
    """(method, url, body) of the pages a crawl of this family fetches."""
    from simulator import board, discuz, wechat

    w, now, root = srv.sim.world, NOW, srv.url
    if family == "weibo":
        return [("GET", f"{root}/weibo/api/container/getIndex?containerid=100103type%3D1%26q%3D%E5%9E%83%E5%9C%BE"
                        f"&page={n}", None) for n in range(1, 8)]
    if family == "wechat":
        return [("GET", f"{root}/wechat/s/{wechat.token(p)}", None) for p in w.visible("wechat", now)[-40:]]
    if family == "forum":
        return [("GET", f"{root}/forum/thread-{t.native}-1-1.html", None) for t, _ in w.threads("2", now)[:40]]
    if family == "board":
        out = []
        for p in w.visible("board", now)[-40:]:
            raw = json.dumps({"tid": p.native, "fromTrash": 0}, separators=(",", ":"))
            body = json.dumps({"appCode": board.APP_CODE, "param": raw,
                               "signature": board.signature("/v1/threads/content", raw)}).encode()
            out.append(("POST", f"{root}/board/v1/threads/content", body))
        return out
    _ = discuz
    return [("GET", f"{root}/portal/api/v1/export/posts?page_size=20", None) for _ in range(20)]


def serve_rate(srv: SimServer, family: str) -> float:
    urls = served_urls(srv, family)
    with httpx.Client(timeout=30) as client:
        t = time.perf_counter()
        for method, url, body in urls:
            client.request(method, url, content=body).raise_for_status()
        return len(urls) / (time.perf_counter() - t)


def parse_rate(family: str, rounds: int = 20) -> float:
    manifest = json.loads((SAVED / "manifest.json").read_text(encoding="utf-8"))
    fam = {"forum": "discuz"}.get(family, family)
    pages = [(SAVED / n, m) for n, m in manifest.items() if m["family"] == fam and m["url"]]
    bodies = [(p.read_bytes(), m["url"], datetime.fromisoformat(m["now"])) for p, m in pages]
    t = time.perf_counter()
    for _ in range(rounds):
        for body, url, now in bodies:
            PARSERS[fam](body, url=url, now=now)
    return rounds * len(bodies) / (time.perf_counter() - t)


def crawl_rows(cfg: Config, run: Any) -> list[tuple[str, int, float, float, int]]:
    """(source, pages, spider s, wall s, stored) of one crawl of each source through ``run``."""
    rows = []
    for s in cfg.sources:
        t = time.perf_counter()
        report = run(s.name)
        wall = time.perf_counter() - t
        assert report.status == "finished", report
        spider = float(report.stats.get("elapsed_time_seconds") or wall)
        rows.append((s.name, int(report.stats.get("response_received_count", 0)), spider, wall, report.stored))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--days", type=float, default=4)
    args = ap.parse_args()
    scenario = Scenario(now=NOW, days=args.days, gazetteer="builtin",
                        rates={"weibo": 4, "wechat": 0.5, "forum": 1.5, "board": 1, "portal": 2})
    print(f"# bench_crawl — {machine()}")
    with SimServer(scenario) as srv, tempfile.TemporaryDirectory() as tmp:
        def cfg_for(db: str) -> Config:
            return Config.model_validate({"data_dir": f"{tmp}/{db}", "sources": sources(srv),
                                          "storage": {"sqlite": {"path": f"{tmp}/{db}.db"}}})
        served = {s.name: serve_rate(srv, s.family) for s in cfg_for("x").sources}
        parsed = {s.name: parse_rate(s.family) for s in cfg_for("x").sources}
        cold_cfg, warm_cfg = cfg_for("cold"), cfg_for("warm")
        cold = crawl_rows(cold_cfg, lambda n: crawl_source(cold_cfg, n, timeout=600))
        with WorkerPool(1).start(warm_cfg) as pool:
            t = time.perf_counter()
            pool.run(warm_cfg, "portal", timeout=600, force=True)  # the worker's one start-up, measured apart
            first = time.perf_counter() - t
            shutil.rmtree(f"{tmp}/warm", ignore_errors=True)
            Path(f"{tmp}/warm.db").unlink()
            warm = crawl_rows(warm_cfg, lambda n: pool.run(warm_cfg, n, timeout=600))
    print("Per source run: wall time of the run, the spider's own run time, and the overhead between them "
          "(process start, imports, models, store open, state commit). Cold = a fresh child process per run "
          "(`crawl_source`), warm = a run on a warm worker (`crawler.workers`). Politeness off: no delay, "
          "2 requests in flight.\n")
    print("| source | served pages/s | parsed pages/s | cold: wall s, overhead s | warm: wall s, overhead s | "
          "overhead warm/cold | warm pages, pages/s | posts stored/s (warm) | share of served rate |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for (name, _, c_spider, c_wall, _), (_, pages, w_spider, w_wall, stored) in zip(cold, warm, strict=True):
        c_over, w_over = c_wall - c_spider, w_wall - w_spider
        rate = pages / w_spider
        print(f"| {name} | {served[name]:,.0f} | {parsed[name]:,.0f} | {c_wall:.2f}, {c_over:.2f} | "
              f"{w_wall:.2f}, {w_over:.2f} | ×{w_over / c_over:.2f} | {pages}, {rate:,.1f} | "
              f"{stored / w_spider:,.1f} | {rate / served[name]:.0%} |")
    c_total = sum(r[3] - r[2] for r in cold)
    w_total = sum(r[3] - r[2] for r in warm)
    print(f"\nOverhead over {len(cold)} runs: cold {c_total:.2f} s, warm {w_total:.2f} s (×{w_total / c_total:.2f}); "
          f"the warm worker's one start-up (first run, incl. its crawl) {first:.2f} s.")


if __name__ == "__main__":
    main()
