"""The shell's own pieces: crawl leases, secret-masking logs, metrics, config reload."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest

from core import SourceHealth, SourceState, load_config
from storage.sqlite import SQLiteStore
from yuqing.logs import JsonFormatter, MaskingFormatter, config_secrets


@pytest.fixture
def store(sqlite_path: Path):
    s = SQLiteStore(sqlite_path)
    yield s
    s.close()


def test_every_configured_secret_is_masked_in_messages_tracebacks_and_extras(tmp_path: Path) -> None:
    import json

    cfg_file = tmp_path / "y.yaml"
    cfg_file.write_text(
        "sources:\n  - {name: wb, family: weibo, base_url: 'http://x', cookie_env: WB_COOKIE,\n"
        "     accounts: [{name: b, cookie_env: WB_COOKIE_2}]}\n"
        "alerts:\n  channels:\n    - {type: webhook, name: t, url: 'http://t', secret_env: HOOK_SECRET}\n",
        encoding="utf-8")
    config = load_config(cfg_file, environ={"YUQING_ES_PASSWORD": "es-pass-123"})
    env = {"WB_COOKIE": "SUB=abcdef123", "WB_COOKIE_2": "SUB=second456", "HOOK_SECRET": "hook-secret-789"}
    secrets = config_secrets(config, environ=env)
    assert set(secrets) == {"es-pass-123", "SUB=abcdef123", "SUB=second456", "hook-secret-789"}
    formatter = MaskingFormatter(JsonFormatter(), secrets)
    try:
        raise RuntimeError("login failed with cookie SUB=second456")
    except RuntimeError:
        import sys

        record = logging.LogRecord("yuqing.x", logging.ERROR, __file__, 1, "request with %s and %s",
                                   ("SUB=abcdef123", "es-pass-123"), sys.exc_info())
    record.header = "X-Sig: hook-secret-789"
    line = formatter.format(record)
    data = json.loads(line)
    assert data["message"] == "request with *** and ***"
    assert "SUB=second456" not in data["exc"] and "***" in data["exc"]
    assert data["header"] == "X-Sig: ***"


def test_json_formatter_is_one_object_per_line() -> None:
    import json

    record = logging.LogRecord("yuqing.x", logging.WARNING, __file__, 1, "source %s backing off", ("weibo",), None)
    record.source = "weibo"
    line = JsonFormatter().format(record)
    data = json.loads(line)
    assert data["message"] == "source weibo backing off" and data["level"] == "WARNING" and data["source"] == "weibo"
    assert "\n" not in line


def test_metrics_read_the_store(store: SQLiteStore) -> None:
    from yuqing.metrics import Metrics

    store.save_source_state(SourceState(name="weibo", items_total=42, health=SourceHealth.BACKING_OFF))
    metrics = Metrics(lambda: store)
    metrics.detector_runs.inc()
    text = metrics.render().decode()
    assert 'yuqing_source_items_total{source="weibo"} 42.0' in text
    assert "yuqing_sources_not_ok 1.0" in text
    assert "yuqing_store_up 1.0" in text
    assert "yuqing_detector_runs_total 1.0" in text
    assert 'yuqing_outbox_items{status="pending"} 0.0' in text


def test_metrics_say_when_the_store_is_down(store: SQLiteStore) -> None:
    from yuqing.metrics import Metrics

    store.close()
    text = Metrics(lambda: store).render().decode()
    assert "yuqing_store_up 0.0" in text


def test_broken_config_on_reload_keeps_the_running_one(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from yuqing.daemon import Daemon

    cfg = tmp_path / "yuqing.yaml"
    cfg.write_text(f"storage:\n  sqlite:\n    path: {tmp_path / 'y.db'}\n"
                   "sources:\n  - {name: wb, family: weibo, base_url: 'http://127.0.0.1:9', interval: 3600}\n",
                   encoding="utf-8")
    daemon = Daemon(cfg, web=False)
    daemon.start()
    try:
        assert {j.id for j in daemon.scheduler.get_jobs()} >= {"crawl:wb", "alerts:evaluate", "alerts:deliver"}
        cfg.write_text("storage: [broken\n", encoding="utf-8")
        with caplog.at_level(logging.ERROR, logger="yuqing.daemon"):
            assert daemon.reload() is False
        assert "config reload failed, keeping the running config" in caplog.text
        assert daemon.config.sources[0].name == "wb"
        cfg.write_text(f"storage:\n  sqlite:\n    path: {tmp_path / 'y.db'}\n"
                       "sources:\n  - {name: forum, family: forum, base_url: 'http://127.0.0.1:9', interval: 3600}\n",
                       encoding="utf-8")
        assert daemon.reload() is True
        ids = {j.id for j in daemon.scheduler.get_jobs()}
        assert "crawl:forum" in ids and "crawl:wb" not in ids
    finally:
        daemon.stop()


def _with_console(tmp_path: Path) -> tuple[Path, int]:
    """A config (one source, see ``_write``) whose console listens on a free local port; the file and the port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cfg = tmp_path / "yuqing.yaml"
    _write(cfg, tmp_path)
    cfg.write_text(cfg.read_text(encoding="utf-8") + f"web:\n  port: {port}\n", encoding="utf-8")
    return cfg, port


def _write(cfg: Path, tmp_path: Path, db: str = "y.db", source: str = "wb", interval: int = 3600) -> None:
    cfg.write_text(f"storage:\n  sqlite:\n    path: {tmp_path / db}\n"
                   f"sources:\n  - {{name: {source}, family: weibo, base_url: 'http://127.0.0.1:9', "
                   f"interval: {interval}}}\n", encoding="utf-8")


def test_reload_keeps_unchanged_jobs_and_the_running_store(tmp_path: Path) -> None:
    from yuqing.daemon import Daemon

    cfg = tmp_path / "yuqing.yaml"
    _write(cfg, tmp_path)
    daemon = Daemon(cfg, web=False)
    daemon.start()
    try:
        before = {j.id: j.next_run_time for j in daemon.scheduler.get_jobs()}
        _write(cfg, tmp_path, db="other.db", interval=1800)
        assert daemon.reload() is True
        after = {j.id: j.next_run_time for j in daemon.scheduler.get_jobs()}
        assert after["alerts:evaluate"] == before["alerts:evaluate"], "an unchanged job keeps its next run"
        assert daemon.scheduler.get_job("crawl:wb").trigger.interval.total_seconds() == 1800
        assert daemon.config.storage.sqlite.path == tmp_path / "y.db", "storage changes wait for a restart"
    finally:
        daemon.stop()


def test_console_port_in_use_is_one_clear_error(tmp_path: Path) -> None:
    import socket

    from core import YuqingError
    from yuqing.daemon import Daemon

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        cfg = tmp_path / "yuqing.yaml"
        _write(cfg, tmp_path)
        cfg.write_text(cfg.read_text(encoding="utf-8") + f"web:\n  port: {port}\n", encoding="utf-8")
        daemon = Daemon(cfg, web=True)
        with pytest.raises(YuqingError, match=f"could not listen on 127.0.0.1:{port}"):
            daemon.start()
        daemon.store.close()


def test_demo_refuses_a_directory_it_did_not_make(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "yuqing.db").write_text("precious", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "yuqing", "demo", "--data-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "was not made by `yuqing demo`" in proc.stderr
    assert (tmp_path / "yuqing.db").read_text(encoding="utf-8") == "precious"


def test_the_console_reads_the_daemons_clock(tmp_path: Path) -> None:
    """The demo's one clock: the daemon hands its (scenario) clock to the console, as to alerts and reports."""
    from datetime import datetime

    from core import SHANGHAI
    from yuqing.daemon import Daemon

    cfg, _ = _with_console(tmp_path)
    scenario_now = datetime(2026, 11, 5, 9, 30, tzinfo=SHANGHAI)
    daemon = Daemon(cfg, web=True, clock=lambda: scenario_now)
    daemon.start()
    try:
        console = daemon._web_server.config.app.state.console
        assert console.clock() == scenario_now
        assert console.cases.clock() == scenario_now
    finally:
        daemon.stop()


def test_log_times_are_in_the_configured_zone_here_and_in_children(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    script = """
import logging, subprocess, sys
from core import load_config
from yuqing.logs import setup_logging
cfg = load_config(None, environ={}, overrides={"timezone": sys.argv[1]})
for use_json in (False, True):
    setup_logging(cfg, json_format=use_json)
    record = logging.LogRecord("x", logging.WARNING, "f.py", 1, "m", None, None)
    record.created = 1796083200.0  # 2026-12-01 00:00:00 UTC
    print(logging.getLogger().handlers[0].format(record))
print(subprocess.run(["date", "-d", "@1796083200", "+%Y-%m-%d %H:%M"], capture_output=True, text=True).stdout.strip())
"""
    any_command = """
import subprocess, sys
from yuqing.context import AppContext
AppContext(None).config  # what every command does first (`crawl --all` then starts its children)
print(subprocess.run(["date", "-d", "@1796083200", "+%Y-%m-%d %H:%M"], capture_output=True, text=True).stdout.strip())
"""
    for zone, plain, offset in (("Asia/Shanghai", "2026-12-01 08:00:00", "+08:00"),
                                ("Europe/Berlin", "2026-12-01 01:00:00", "+01:00")):
        proc = subprocess.run([sys.executable, "-c", script, zone], capture_output=True, text=True, timeout=60,
                              env={"PATH": "/usr/bin:/bin", "TZ": "UTC"})
        assert proc.returncode == 0, proc.stderr
        text_line, json_line, child = proc.stdout.splitlines()
        assert text_line.startswith(plain), text_line
        assert json.loads(json_line)["time"] == f"{plain.replace(' ', 'T')}.000{offset}"
        assert child == plain[:16], "a child process logs in another zone"
        proc = subprocess.run([sys.executable, "-c", any_command], capture_output=True, text=True, timeout=60,
                              env={"PATH": "/usr/bin:/bin", "TZ": "UTC", "YUQING_LOG_LEVEL": "INFO"}, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == "2026-12-01 08:00", "a command's children log in another zone than the config's"


def test_yuqing_run_serves_the_console_like_yuqing_web(tmp_path: Path) -> None:
    """`yuqing run` serves the console with the same server options as `yuqing web` (uvicorn's own trust of
    X-Forwarded-For off: only web.trusted_proxies counts), /metrics behind a login, and schedules keyword alerts."""

    import httpx

    from yuqing.daemon import Daemon

    cfg, port = _with_console(tmp_path)
    daemon = Daemon(cfg, web=True)
    daemon.start()
    try:
        assert daemon._web_server.config.proxy_headers is False
        assert daemon.scheduler.get_job("alerts:keywords") is not None
        r = httpx.get(f"http://127.0.0.1:{port}/metrics", headers={"X-Forwarded-For": "10.0.0.9"})
        assert r.status_code in (401, 403) and "yuqing_" not in r.text
    finally:
        daemon.stop()


def test_a_trigger_built_a_second_later_is_the_same_job() -> None:
    from datetime import UTC, datetime, timedelta

    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    from yuqing.daemon_schedule import apply_schedule

    t0 = datetime(2026, 12, 5, 12, 10, 27, tzinfo=UTC)
    scheduler, signatures = BackgroundScheduler(timezone="UTC"), {}
    scheduler.start(paused=True)  # started (jobs replace each other) but never runs one
    apply_schedule(scheduler, {"alerts:evaluate": (print, IntervalTrigger(seconds=300, start_date=t0))}, signatures)
    before = scheduler.get_job("alerts:evaluate").next_run_time
    later = IntervalTrigger(seconds=300, start_date=t0 + timedelta(seconds=1))  # rebuilt on reload, a second on
    apply_schedule(scheduler, {"alerts:evaluate": (print, later)}, signatures)
    assert scheduler.get_job("alerts:evaluate").next_run_time == before
    apply_schedule(scheduler, {"alerts:evaluate": (print, IntervalTrigger(seconds=600, start_date=t0))}, signatures)
    assert scheduler.get_job("alerts:evaluate").trigger.interval == timedelta(seconds=600)
    scheduler.shutdown(wait=False)
