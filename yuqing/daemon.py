"""`yuqing run`: the scheduler daemon that wires the wings together.

APScheduler 3 jobs with stable ids:

* ``crawl:<source>`` — every ``interval`` (+ jitter), one instance at a time; each crawl runs on a warm
  crawl worker (``crawler.workers``: a pool of ``crawl_workers`` long-lived processes that load the crawl
  code and models once and fork one child per run — a Twisted reactor cannot restart inside one process);
  the crawl takes the source's lease in the Store (``crawler.state``), so daemons sharing a store never
  crawl one source at once; a worker that dies is replaced and its run reported in one line;
* ``alerts:evaluate`` — spike detection and case opening; ``alerts:deliver`` — the outbox;
  ``alerts:overdue`` — deadlines; ``report:daily`` — the daily table at a set time;
  ``spool:replay`` — items spooled while the store was down.

The console runs in the same process by default (one command, one machine; ``--no-web`` to run
``yuqing web`` beside it). SIGTERM/SIGINT stop gracefully: no new jobs, running crawls get SIGTERM
(Scrapy finishes in-flight items into the store or the spool), then the store closes. SIGHUP reloads the
config; a broken file keeps the running config and says why. All state lives in the Store, so a restart
resumes where it stopped.

The job table lives in ``yuqing.daemon_schedule``, the in-process console in ``yuqing.daemon_console``.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from core import Config, ConfigError, SourceHealth, SourceState, load_config, utcnow
from core.config import SourceConfig
from yuqing import jobs
from yuqing.daemon_console import ConsolePortError, start_console, wait_listening
from yuqing.daemon_schedule import apply_schedule, wanted_jobs
from yuqing.metrics import Metrics

__all__ = ["CRAWL_TIMEOUT", "CRAWL_WORKERS", "STOP_GRACE_S", "ConsolePortError", "Daemon"]

log = logging.getLogger("yuqing.daemon")

CRAWL_TIMEOUT = timedelta(minutes=30)
STOP_GRACE_S = 30.0
#: Warm crawl workers by default: two fit a small machine (each holds the models, ~0.3 GB).
CRAWL_WORKERS = 2


class Daemon:
    """Scheduler, crawl children, console and metrics of one node."""

    def __init__(self, config_path: Path | None, *, node_id: str | None = None, web: bool = True,
                 overrides: dict[str, Any] | None = None, clock: Callable[[], datetime] = utcnow,
                 crawl_workers: int = CRAWL_WORKERS, crawl_lease: timedelta | None = None) -> None:
        self.config_path = config_path
        self.overrides = overrides or {}
        self.config: Config = load_config(config_path, overrides=self.overrides)
        self.node_id = node_id or f"{socket.gethostname()}:{os.getpid()}"
        self.web_enabled = web
        self.clock = clock  # the demo passes the simulator's scenario clock
        self.store: Any = None
        self.metrics = Metrics(lambda: self.store, spool_depth=lambda: jobs.spool_depth(self.config))
        if crawl_workers < 1:
            raise ConfigError("crawl workers: give 1 or more")
        self.crawl_workers = crawl_workers
        self.crawl_lease = crawl_lease  # the crawl lease's length (default crawler.lease.DEFAULT_LEASE)
        self.pool: Any = None
        # crawls have their own threads, one per worker: a crawl waiting for a worker never holds up alerts
        self.scheduler = BackgroundScheduler(timezone="Asia/Shanghai",
                                             executors={"default": ThreadPoolExecutor(10),
                                                        "crawl": ThreadPoolExecutor(crawl_workers)},
                                             job_defaults={"coalesce": True, "max_instances": 1,
                                                           "misfire_grace_time": 300})
        self._signatures: dict[str, str] = {}  # job id → trigger description, to reschedule only what changed
        self._stopping = threading.Event()
        self._own_runs: dict[str, Any] = {}  # source → last_run_at its state had after this daemon's last run of it
        self._web_server: Any = None
        self._web_thread: threading.Thread | None = None

    # ---- lifecycle -------------------------------------------------------
    def start(self) -> None:
        """Open the store, schedule every job, start the console."""
        from crawler.workers import WorkerPool
        from storage import open_store

        self.store = open_store(self.config)
        self.store.init()
        self.pool = WorkerPool(self.crawl_workers).start(self.config)  # warming up while the rest starts
        self._schedule(self.config)
        self.scheduler.start()
        if self.web_enabled:
            self._start_web()
        log.info("daemon %s started: %d sources, %d crawl workers, store %s%s", self.node_id,
                 len(self.config.sources), self.crawl_workers, self.store.backend,
                 f", console http://{self.config.web.host}:{self.config.web.port}/" if self.web_enabled else "")

    def run_forever(self) -> None:
        """Start, then block until SIGTERM/SIGINT; SIGHUP reloads the config."""
        signal.signal(signal.SIGTERM, lambda *_: self._stopping.set())
        signal.signal(signal.SIGINT, lambda *_: self._stopping.set())
        signal.signal(signal.SIGHUP, lambda *_: threading.Thread(target=self.reload, daemon=True).start())
        self.start()
        self._stopping.wait()
        self.stop()

    def stop(self) -> None:
        """Graceful stop: no new jobs, crawl children asked to finish, then the store closed."""
        log.info("stopping: waiting for running jobs (crawls get SIGTERM, %.0f s grace)", STOP_GRACE_S)
        self._stopping.set()
        if self.pool is not None:
            self._stop_crawls()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        if self.pool is not None:
            self.pool.close()
        if self._web_server is not None:
            self._web_server.should_exit = True
            if self._web_thread is not None:
                self._web_thread.join(timeout=10)
        if self.store is not None:
            self.store.close()
        log.info("stopped")

    def reload(self) -> bool:
        """Re-read the config; on error keep the running one and report it."""
        try:
            new = load_config(self.config_path, overrides=self.overrides)
        except ConfigError as exc:
            log.error("config reload failed, keeping the running config: %s", exc)
            return False
        if new.storage != self.config.storage or new.data_dir != self.config.data_dir:
            log.warning("config reload: storage or data_dir changed; they keep their running values until a restart")
            new = new.model_copy(update={"storage": self.config.storage, "data_dir": self.config.data_dir})
        self.config = new
        self._schedule(new)
        log.info("config reloaded: %d sources", len(new.sources))
        return True

    def _stop_crawls(self) -> None:
        """SIGTERM to every running crawl (Scrapy finishes in-flight items), SIGKILL after the grace."""
        for name, pid in self.pool.running().items():
            log.info("asking crawl of %s (pid %d) to finish", name, pid)
        self.pool.signal_runs(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        while self.pool.running() and time.monotonic() < deadline:
            time.sleep(0.1)
        for name in self.pool.running():
            log.warning("crawl of %s did not finish within %.0f s; killed (its window is fetched again)",
                        name, STOP_GRACE_S)
        self.pool.signal_runs(signal.SIGKILL)

    # ---- scheduling ------------------------------------------------------
    def _schedule(self, config: Config) -> None:
        apply_schedule(self.scheduler, wanted_jobs(config, self), self._signatures)

    # ---- jobs ------------------------------------------------------------
    def crawl(self, source: str) -> str:
        """Crawl one source on a warm worker (``crawler.workers``); the crawl's status."""
        report = self.crawl_report(source)
        return report.status

    def crawl_report(self, source: str) -> Any:
        """Crawl one source on a warm worker; its :class:`crawler.run.CrawlReport` (logged in one line)."""
        before = self.store.get_source_state(source)
        # every daemon schedules every source: one crawled by another daemon within half its interval is skipped;
        # this daemon's own last run does not count (a crawl longer than half the interval would skip every other run)
        last = before.last_run_at if before is not None else None
        ours = last is not None and last == self._own_runs.get(source)
        fresh = None if ours else timedelta(seconds=self.config.source(source).interval / 2)
        report = self.pool.run(self.config, source, timeout=CRAWL_TIMEOUT.total_seconds(), lease=self.crawl_lease,
                               fresh_within=fresh, stopping=self._stopping)
        self.metrics.crawls.labels(source, report.status).inc()
        run = {"source": source, "status": report.status, "owner": report.owner, "leased_at": report.leased_at,
               "released_at": report.released_at, "stored": report.stored, "spooled": report.spooled,
               "worker": report.worker.get("pid"), "node": self.node_id}
        if self._stopping.is_set() and report.status != "finished":
            log.info("crawl:%s interrupted by shutdown; the next run fetches its window again", source,
                     extra={"crawl": run})
            return report
        level = logging.INFO if report.status in ("finished", "busy", "backing_off", "recent") else logging.WARNING
        log.log(level, "crawl:%s %s: %d scraped, %d stored, %d spooled%s", source, report.status, report.scraped,
                report.stored, report.spooled, f" ({report.error})" if report.error else "", extra={"crawl": run})
        after = self.store.get_source_state(source)
        if report.owner and after is not None:  # this daemon held the lease: the state's last run is its own
            self._own_runs[source] = after.last_run_at
        self._tell_operator(source, before, after)
        return report

    def _tell_operator(self, source: str, before: SourceState | None, after: SourceState | None) -> None:
        """One warning when a source turns bad (login needed, blocked, backing off), one line when it recovers."""
        healthy = (SourceHealth.OK, SourceHealth.UNKNOWN)
        was = before.health if before else SourceHealth.UNKNOWN
        if after is None or after.health == was:
            return
        if after.health not in healthy:
            zone = ZoneInfo(self.config.timezone)  # the log lines' zone too (yuqing.logs)
            until = after.backoff_until.astimezone(zone).strftime("%m-%d %H:%M") if after.backoff_until else "?"
            log.warning("数据源 %s 需要处理 source needs attention: %s — %s; 暂停至 backing off until %s",
                        source, after.health.value, after.last_error or "", until)
        elif was not in healthy:
            log.info("数据源 %s 已恢复 source recovered", source)

    def evaluate(self) -> None:
        """Spike detection → cases → outbox."""
        opened = jobs.evaluate(self.store, self.config, self.clock)
        self.metrics.detector_runs.inc()
        if opened:
            self.metrics.cases_opened.inc(opened)

    def deliver(self) -> None:
        """Send due outbox items."""
        for result, n in jobs.deliver(self.store, self.config, self.node_id, self.clock).items():
            self.metrics.deliveries.labels(result).inc(n)

    def overdue(self) -> None:
        """Escalate cases past their deadline."""
        jobs.overdue(self.store, self.config, self.clock)

    def daily_report(self) -> None:
        """Write (and deliver) yesterday's and today's daily table."""
        jobs.daily_report(self.store, self.config, self.clock)

    def keyword_alerts(self) -> None:
        """Queue messages for new posts matching reviewers' keyword subscriptions (the deliver job sends them)."""
        jobs.keyword_alerts(self.store, self.config, self.clock)

    def replay_spool(self) -> None:
        """Store items spooled while the store was unreachable."""
        jobs.replay_spool(self.store, self.config)

    # ---- console ---------------------------------------------------------
    def _start_web(self) -> None:
        self._web_server, self._web_thread = start_console(self.config, self.store, self.metrics, self.config_path,
                                                           self.clock)
        try:
            wait_listening(self.config, self._web_server, self._web_thread)
        except ConsolePortError:
            self.scheduler.shutdown(wait=False)
            raise

    def source(self, name: str) -> SourceConfig:
        """The configured source with this name."""
        return self.config.source(name)
