"""`yuqing demo`: the whole system, offline, on one machine — the README's main job.

It starts the simulator (a week of 大场镇 played fast, with a planted spike of complaints), a local
stand-in for the case tracker, and the daemon on the embedded store with the console; then it shows
progress until a spike has become a case delivered to the tracker, and writes the daily table.
"""

from __future__ import annotations

import dataclasses
import errno
import logging
import os
import secrets
import shutil
import signal
import socket
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import click
import yaml

from core import SHANGHAI, YuqingError
from yuqing.context import AppContext, pass_app

REPO = Path(__file__).resolve().parents[2]
SCENARIO = REPO / "config" / "demo-scenario.yaml"
SOURCES = REPO / "config" / "sources-demo.yaml"
SECRET_ENV = "YUQING_DEMO_TRACKER_SECRET"
DEMO_USERS = [("wmb", "文明办审核员", "reviewer", None), ("cgzd", "城管中队", "department", "大场镇城管中队"),
              ("admin", "管理员", "admin", None)]
DEMO_PASSWORD = "yuqing-demo"
DEMO_MARKER = ".yuqing-demo"


def demo_config(data_dir: Path, sim_url: str, tracker_url: str, web_port: int) -> dict[str, Any]:
    """The demo's configuration: the bundled demo sources pointed at the simulator, short intervals."""
    from web.auth import hash_password

    sources = yaml.safe_load(SOURCES.read_text(encoding="utf-8"))["sources"]
    for s in sources:
        s["base_url"] = s["base_url"].replace("http://127.0.0.1:8901", sim_url)
        s["interval"] = 20 if s["family"] in ("weibo", "portal", "board") else 40
        s["jitter"] = 0.2
        s["delay"] = 0
        s["backoff_base"] = 30
        s["backoff_ceiling"] = 120
    return {
        "data_dir": str(data_dir),
        "logging": {"level": "WARNING"},  # crawl children too: the demo shows its own progress lines
        "storage": {"backend": "sqlite", "sqlite": {"path": str(data_dir / "yuqing.db")}},
        "sources": sources,
        "alerts": {
            "evaluate_every_s": 10, "deliver_every_s": 5, "overdue_every_s": 60, "quiet_hours": None,
            "console_url": f"http://127.0.0.1:{web_port}",
            "channels": [{"type": "webhook", "name": "tracker", "url": tracker_url, "secret_env": SECRET_ENV}],
        },
        "web": {"host": "127.0.0.1", "port": web_port, "secret_key": secrets.token_urlsafe(32),
                "users": [{"username": u, "display_name": n, "role": r, "department": d,
                           "password_hash": hash_password(DEMO_PASSWORD)} for u, n, r, d in DEMO_USERS]},
    }


def _progress(store: Any, tracker: Any, now_text: str) -> tuple[str, int, set[str]]:
    from storage import PostQuery

    by_source = store.terms(PostQuery(), "source", 50)
    families: dict[str, int] = {}
    for source, n in by_source:
        families[source.split(":", 1)[0]] = families.get(source.split(":", 1)[0], 0) + n
    complaints = store.search(PostQuery(is_complaint=True, limit=0, highlight=False)).total
    from storage import CaseQuery

    cases = store.list_cases(CaseQuery(limit=0)).total
    delivered = len(tracker.tickets)
    fam = " ".join(f"{k} {v}" for k, v in sorted(families.items())) or "—"
    return (f"[场景时间 {now_text}] 帖子 posts: {sum(families.values())} ({fam}) · 投诉 complaints: {complaints} · "
            f"案件 cases: {cases} · 已推送 delivered: {delivered}"), delivered, {k for k, v in families.items() if v}


@click.command("demo")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("var/demo"),
              show_default=True, help="where the demo keeps its store, spool and reports (emptied first)")
@click.option("--port", default=8800, show_default=True, help="console port on 127.0.0.1 (0: any free port)")
@click.option("--exit-after-case", is_flag=True,
              help="exit 0 once a case has reached the tracker and every source family has stored posts")
@click.option("--timeout", default=300.0, show_default=True, help="seconds to wait for them (then exit 1)")
@click.option("--speed", default=600.0, show_default=True, help="scenario seconds per real second")
@pass_app
def cli(app: AppContext, data_dir: Path, port: int, exit_after_case: bool, timeout: float, speed: float) -> None:
    """演示 — simulator + daemon + console, offline: posts from every family, a spike, a delivered case."""
    from simulator.scenario import load_scenario
    from simulator.server import SimServer
    from simulator.tracker import TrackerStandIn
    from yuqing.daemon import ConsolePortError, Daemon
    from yuqing.logs import setup_logging

    data_dir = data_dir.resolve()
    say = lambda text: click.echo(text, err=True)  # noqa: E731 - progress goes to stderr
    port = console_port(port, say)
    if data_dir.exists() and any(data_dir.iterdir()):
        if not (data_dir / DEMO_MARKER).is_file():
            raise YuqingError(f"{data_dir} is not empty and was not made by `yuqing demo` (no {DEMO_MARKER}); "
                              "choose another --data-dir")
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / DEMO_MARKER).write_text("made by `yuqing demo`; emptied at its next start\n", encoding="utf-8")
    scenario = load_scenario(SCENARIO)
    first_event = min(e.start for e in scenario.events)
    # Start two hours before the first planted spike: three days of history to crawl, the spike soon after.
    scenario = dataclasses.replace(scenario, now=first_event - timedelta(hours=2), speed=speed)
    # SIGTERM stops the demo as Ctrl-C does: crawl children asked to finish, the daemon, tracker and simulator
    # stopped, no traceback (a service manager, `timeout`, `kill` send SIGTERM).
    signal.signal(signal.SIGTERM, _interrupt)
    sim = SimServer(scenario).start()
    tracker: Any = None
    daemon: Any = None
    code = 0
    try:
        secret = secrets.token_hex(16)
        os.environ[SECRET_ENV] = secret  # crawl children and the deliverer read it from the environment
        tracker = TrackerStandIn(secret, clock=sim.sim.clock.now).start()
        cfg_path = data_dir / "yuqing.yaml"
        cfg_path.write_text(yaml.safe_dump(demo_config(data_dir, sim.url, tracker.url, port), allow_unicode=True),
                            encoding="utf-8")
        # One clock for everything the demo shows: alerts, deadlines, the console and the reports all read the
        # scenario's time, so the console's 今日 and hot spots are the scenario's day.
        daemon = Daemon(cfg_path, web=True, clock=sim.sim.clock.now, node_id="demo")
        setup_logging(daemon.config, level="WARNING")
        # a crawl still running at its next turn is skipped (max_instances=1): normal on a busy demo machine
        logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
        say(f"模拟数据源 simulator: {sim.url}  (scenario ×{speed:g}: a scenario hour every {3600 / speed:.0f} s)")
        say(f"案件系统替身 tracker stand-in: {tracker.url}")
        try:
            daemon.start()
        except ConsolePortError as exc:
            daemon = None
            raise YuqingError(f"the console could not listen on 127.0.0.1:{exc.port}; choose another --port, "
                              "or --port 0 for any free port") from None
        say(f"控制台 console: http://127.0.0.1:{port}/  登录 login: wmb / {DEMO_PASSWORD} (审核员); "
            f"cgzd / {DEMO_PASSWORD} (城管中队); admin / {DEMO_PASSWORD}")
        code = _watch(daemon, tracker, sim, say, exit_after_case, timeout)
    except KeyboardInterrupt:
        say("stopping …")
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):  # a second Ctrl-C or SIGTERM must not break the stop
            signal.signal(sig, signal.SIG_IGN)
        if daemon is not None:
            daemon.stop()
        if tracker is not None:
            tracker.stop()
        sim.stop()
    if code:
        sys.exit(code)


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def console_port(port: int, say: Any) -> int:
    """The console's port: ``port`` if it is free on 127.0.0.1, else (and for 0) a free one, said on stderr."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(("127.0.0.1", port))
            free = probe.getsockname()[1]
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise YuqingError(f"cannot use port {port} on 127.0.0.1: {exc.strerror}") from None
            probe.bind(("127.0.0.1", 0))
            free = probe.getsockname()[1]
            say(f"端口 {port} 已被占用 port {port} is taken: the console uses {free} "
                f"(choose one with --port N; --port 0 for any free port)")
    return free


def _watch(daemon: Any, tracker: Any, sim: Any, say: Any, exit_after_case: bool, timeout: float) -> int:
    """Progress every 3 s until interrupted or, with ``exit_after_case``, until a case is delivered and every
    source family has stored posts (what the demo promises to show); the exit code."""
    started = time.monotonic()
    announced = False
    expected = {s.family for s in daemon.config.sources}
    while True:
        time.sleep(3)
        now_text = f"{sim.sim.clock.now().astimezone(SHANGHAI):%m-%d %H:%M}"
        line, delivered, seen = _progress(daemon.store, tracker, now_text)
        say(line)
        if delivered and not announced:
            announced = True
            _announce(daemon, tracker, say)
        if exit_after_case and announced and expected <= seen:
            return 0
        if exit_after_case and time.monotonic() - started > timeout:
            missing = "a delivered case" if not announced else "posts from " + ", ".join(sorted(expected - seen))
            say(f"错误 error: no {missing} within {timeout:.0f} s")
            return 1


def _announce(daemon: Any, tracker: Any, say: Any) -> None:
    """Print the delivered case and write the daily table."""
    from yuqing import jobs

    ticket = next(iter(tracker.tickets.values()))
    case = daemon.store.get_case(ticket.case_id)
    if case is None:
        raise YuqingError(f"the tracker holds ticket {ticket.ref} for unknown case {ticket.case_id}")
    say(f"✔ 突增立案 case {case.id}「{case.title}」→ {case.department or '—'}，整改时限 "
        f"{case.due_at.astimezone(SHANGHAI):%m-%d %H:%M}" if case.due_at else f"✔ case {case.id}")
    say(f"✔ 已推送到案件系统 delivered to the tracker as ticket {ticket.ref}; evidence: {len(case.evidence)} posts")
    paths = jobs.daily_report(daemon.store, daemon.config, daemon.clock)
    for p in paths:
        say(f"✔ 日报 daily table: {p}")
