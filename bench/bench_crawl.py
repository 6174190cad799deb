"""Benchmark the crawler against the simulator: pages/s parsed and stored per family, against the
simulator's own serving rate measured in the same run.

    .venv/bin/python bench/bench_crawl.py [--days 4] [--rounds 3]

Per family it prints: the simulator serving the crawl's kind of pages to a plain sequential client
(the baseline: no parsing, no storing), the pure parsers on saved pages, and a real crawl (Scrapy in a
child process, AutoThrottle on, no delay, pipelines incl. enrichment, SQLite store) — pages/s over the
spider's own run time, and posts stored/s. The ratio is crawl pages/s ÷ served pages/s.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import machine  # noqa: E402

from core import SHANGHAI, Config  # noqa: E402
from crawler.parsers import PARSERS  # noqa: E402
from crawler.run import crawl_source  # noqa: E402
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--days", type=float, default=4)
    args = ap.parse_args()
    scenario = Scenario(now=NOW, days=args.days, gazetteer="builtin",
                        rates={"weibo": 4, "wechat": 0.5, "forum": 1.5, "board": 1, "portal": 2})
    print(f"# bench_crawl — {machine()}")
    rows = []
    with SimServer(scenario) as srv, tempfile.TemporaryDirectory() as tmp:
        cfg = Config.model_validate({"data_dir": tmp, "storage": {"sqlite": {"path": f"{tmp}/y.db"}},
                                     "sources": sources(srv)})
        for s in cfg.sources:
            served = serve_rate(srv, s.family)
            parsed = parse_rate(s.family)
            t = time.perf_counter()
            report = crawl_source(cfg, s.name, timeout=600)
            wall = time.perf_counter() - t
            pages = report.stats.get("response_received_count", 0)
            spider = float(report.stats.get("elapsed_time_seconds") or wall)
            rows.append((s.family, served, parsed, pages, spider, wall, report.stored))
            assert report.status == "finished", report
    print("| family | served pages/s (baseline) | parsed pages/s (parsers alone) | crawl: pages, spider s, "
          "process s | crawl pages/s | posts stored/s | ratio crawl/served |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for fam, served, parsed, pages, spider, wall, stored in rows:
        rate = pages / spider
        print(f"| {fam} | {served:,.0f} | {parsed:,.0f} | {pages}, {spider:.1f}, {wall:.1f} | {rate:,.1f} | "
              f"{stored / spider:,.1f} | ×{rate / served:.2f} |")


if __name__ == "__main__":
    main()
