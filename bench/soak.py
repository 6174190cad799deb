"""Soak: the daemon (crawls of every family, NLP, alerts, delivery, console) against the simulator for a long
run, sampling the daemon's memory and open files. Flat is good.

    .venv/bin/python bench/soak.py [--minutes 60] [--every 30] [--speed 100]

Baseline, in the same run: the first sample after a warm-up of ``--warmup`` minutes; the figures at the end
are printed as ratios against it (RSS, open file descriptors, threads).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import machine


def proc_figures(pid: int) -> tuple[float, int, int]:
    """(RSS in MB, open fds, threads) of a process."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")) / 1024
    threads = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("Threads:"))
    return rss, len(os.listdir(f"/proc/{pid}/fd")), threads


def main() -> None:
    import dataclasses
    import secrets
    import tempfile
    from datetime import timedelta

    from simulator.scenario import load_scenario
    from simulator.server import SimServer
    from simulator.tracker import TrackerStandIn
    from yuqing.commands.demo import SCENARIO, SECRET_ENV, demo_config

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--every", type=float, default=30, help="seconds between samples")
    ap.add_argument("--warmup", type=float, default=5, help="minutes before the baseline sample")
    ap.add_argument("--speed", type=float, default=100, help="scenario seconds per real second")
    args = ap.parse_args()
    print(machine())
    scenario = load_scenario(SCENARIO)
    scenario = dataclasses.replace(scenario, now=scenario.start + timedelta(days=1), speed=args.speed)
    sim = SimServer(scenario).start()
    secret = secrets.token_hex(16)
    os.environ[SECRET_ENV] = secret
    tracker = TrackerStandIn(secret, clock=sim.sim.clock.now).start()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        cfg = data / "yuqing.yaml"
        raw = demo_config(data, sim.url, tracker.url, 18899)
        cfg.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        log = (data / "daemon.log").open("wb")
        daemon = subprocess.Popen([sys.executable, "-m", "yuqing", "-c", str(cfg), "run"], stderr=log,
                                  stdout=subprocess.DEVNULL, start_new_session=True)
        start = time.monotonic()
        base: tuple[float, int, int] | None = None
        print(f"{'min':>6} {'RSS MB':>8} {'fds':>5} {'threads':>8}  scenario time / posts in store")
        try:
            while (elapsed := time.monotonic() - start) < args.minutes * 60:
                time.sleep(args.every)
                rss, fds, threads = proc_figures(daemon.pid)
                if base is None and elapsed >= args.warmup * 60:
                    base = (rss, fds, threads)
                posts = _posts(data / "yuqing.db")
                print(f"{elapsed / 60:6.1f} {rss:8.1f} {fds:5d} {threads:8d}  {sim.sim.clock.now():%m-%d %H:%M} / "
                      f"{posts}", flush=True)
        finally:
            os.killpg(daemon.pid, signal.SIGTERM)
            daemon.wait(timeout=120)
            log.close()
            tracker.stop()
            sim.stop()
        if base is not None:
            print(f"after {args.minutes:g} min vs the baseline at {args.warmup:g} min: RSS ×{rss / base[0]:.2f} "
                  f"({base[0]:.0f} → {rss:.0f} MB), open files ×{fds / base[1]:.2f} ({base[1]} → {fds}), "
                  f"threads {base[2]} → {threads}; tickets at the tracker: {len(tracker.tickets)}; "
                  f"daemon exit code on SIGTERM: {daemon.returncode}")


def _posts(db: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            return con.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
    except sqlite3.Error:
        return 0


if __name__ == "__main__":
    main()
