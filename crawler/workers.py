"""Warm crawl workers: start-up (imports, models, the jieba dictionary) paid once per worker, not per crawl.

A worker is a long-lived process (``python -m crawler.workers``), still apart from the daemon: it imports the
crawler, Scrapy and the store, builds the enricher for the config's ``nlp`` section and segments one text (so
jieba's dictionary is loaded), then waits for source runs. Each run is a ``fork()`` of that warm process: the
child inherits everything loaded, installs a fresh Twisted reactor (a reactor cannot restart in one process,
and the warm parent never installs one), runs :func:`crawler.run.run_crawl` and sends its report back.

Why a fork per run rather than one ``CrawlerRunner`` on a reactor that stays up: a crawl keeps all its
isolation (its own reactor, signal handlers, Scrapy logging and stats; a leak or a crash dies with it), the
daemon's SIGTERM still reaches one Scrapy process that finishes in-flight items, and the fork costs
milliseconds (copy-on-write: the models are shared, not copied).

If the worker dies during a run, :class:`WorkerPool` reports the run as ``failed`` in one line and starts a
new worker; the crawl child gets SIGTERM from the kernel when its worker dies (``PR_SET_PDEATHSIG``), so it
finishes like a daemon shutdown (fetched posts stored or spooled, lease released); a crawl killed outright
leaves a lease whose pid is dead (taken over at once on this host) or that expires (another host).

This module is the daemon's side (:class:`Worker`, :class:`WorkerPool`); the worker's own loop is
``crawler.worker_process`` (``python -m crawler.workers`` runs it).
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from core import Config
from crawler.worker_process import WarmState, main, nlp_key, serve, warm

__all__ = ["WarmState", "Worker", "WorkerDied", "WorkerPool", "main", "nlp_key", "serve", "warm"]

ROOT = Path(__file__).resolve().parent.parent


# ---- in the daemon ------------------------------------------------------------------------------------------

class WorkerDied(Exception):
    """The worker process ended (killed, crashed) while it was warming up or running a crawl."""


@dataclass(eq=False)
class Worker:
    """The daemon's handle on one warm worker process."""

    proc: subprocess.Popen
    to_worker: Connection
    from_worker: Connection
    info: dict[str, Any] = field(default_factory=dict)
    crawl_pid: int | None = None
    source: str | None = None
    warming: bool = False

    @classmethod
    def spawn(cls, stderr: Any = None) -> Worker:
        """Start ``python -m crawler.workers`` with a pipe each way."""
        down_r, down_w = os.pipe()
        up_r, up_w = os.pipe()
        try:
            proc = subprocess.Popen([sys.executable, "-m", "crawler.workers", str(down_r), str(up_w)],
                                    pass_fds=(down_r, up_w), stdin=subprocess.DEVNULL, stderr=stderr, cwd=str(ROOT))
        finally:
            os.close(down_r)
            os.close(up_w)
        return cls(proc, Connection(down_w, readable=False), Connection(up_r, writable=False))

    @property
    def pid(self) -> int:
        """The worker's pid."""
        return self.proc.pid

    def _recv(self, timeout: float | None) -> tuple:
        if not self.from_worker.poll(timeout):
            raise TimeoutError
        try:
            return self.from_worker.recv()
        except (EOFError, OSError) as exc:
            raise WorkerDied(self._death()) from exc

    def _death(self) -> str:
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return "stopped answering"
        return f"killed by signal {-code} ({signal.Signals(-code).name})" if code < 0 else f"exit {code}"

    def warm(self, config: Config) -> None:
        """Ask the worker to load the crawl code and models for ``config`` now (its answer is read before the
        first run: no second reader on the pipe)."""
        try:
            self.to_worker.send(("warm", config))
        except OSError as exc:
            raise WorkerDied(self._death()) from exc
        self.warming = True

    def ready(self, timeout: float | None = None) -> dict[str, Any]:
        """Wait for the warm-up's answer (if one is pending); the worker's info."""
        if self.warming:
            _, self.info = self._recv(timeout)
            self.warming = False
        return self.info

    def crawl(self, config: Config, name: str, opts: dict[str, Any], *, timeout: float | None,
              stopping: threading.Event | None = None) -> dict[str, Any]:
        """One source run; its report as a dict (TimeoutError after ``timeout`` s: the crawl is then killed).
        ``stopping`` set by the time the crawl started: it gets SIGTERM at once (a shutdown began)."""
        self.ready(timeout)
        try:
            self.to_worker.send(("crawl", config, name, opts))
        except OSError as exc:
            raise WorkerDied(self._death()) from exc
        self.source = name
        try:
            _, self.crawl_pid = self._recv(timeout)
            if stopping is not None and stopping.is_set():
                self.signal(signal.SIGTERM)
            try:
                _, report = self._recv(timeout)
            except TimeoutError:
                self.signal(signal.SIGKILL)
                self._recv(60)  # the worker reports the killed child; the caller reports the timeout
                raise
            return report
        finally:
            self.crawl_pid = self.source = None

    def signal(self, sig: int) -> None:
        """Send ``sig`` to the running crawl (not to the worker)."""
        if self.crawl_pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.crawl_pid, sig)

    def close(self, timeout: float = 10) -> None:
        """End the worker (its input closed; killed if it does not go)."""
        with contextlib.suppress(OSError):
            self.to_worker.close()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        with contextlib.suppress(OSError):
            self.from_worker.close()


class WorkerPool:
    """``size`` warm workers taking source runs; a worker that dies is replaced and its run reported failed."""

    def __init__(self, size: int = 1, *, stderr: Any = None) -> None:
        if size < 1:
            raise ValueError("a crawl worker pool needs at least one worker")
        self.size = size
        self.stderr = stderr
        self._idle: queue.Queue[Worker | None] = queue.Queue()
        self._busy: set[Worker] = set()
        self._lock = threading.Lock()
        self._config: Config | None = None
        self._closed = False
        self.replaced = 0

    def start(self, config: Config) -> WorkerPool:
        """Spawn the workers (they warm up in the background, each on its first message)."""
        self._config = config
        for _ in range(self.size):
            self._idle.put(self._new(config))
        return self

    def _new(self, config: Config) -> Worker:
        worker = Worker.spawn(self.stderr)
        with contextlib.suppress(WorkerDied):  # a worker that died at once is found dead at its first run
            worker.warm(config)  # it warms up while idle: the first run finds it ready
        return worker

    def run(self, config: Config, name: str, *, force: bool = False, timeout: float | None = None,
            lease: timedelta | None = None, log_level: str | None = None, fresh_within: timedelta | None = None,
            stopping: threading.Event | None = None) -> Any:
        """Run one source on the next free worker and wait for its :class:`~crawler.run.CrawlReport` (one run
        per worker at a time; a caller waits for a free one). The keywords are ``run_crawl``'s."""
        from crawler.run import CrawlReport

        config.source(name)  # KeyError early for an unknown source
        if stopping is not None and stopping.is_set():  # a shutdown began: no fork, no lease, nothing to stop
            return CrawlReport(name, "shutdown", error="not started: the daemon is shutting down")
        if self._config is None:
            self.start(config)
        worker = self._idle.get()
        if worker is None or self._closed:
            self._idle.put(None)
            return CrawlReport(name, "failed", error="crawl workers stopped")
        used = worker
        with self._lock:
            self._busy.add(used)
        try:
            opts = {"force": force, "lease": lease, "log_level": log_level, "fresh_within": fresh_within}
            report = CrawlReport(**worker.crawl(config, name, opts, timeout=timeout, stopping=stopping))
        except (TimeoutError, WorkerDied) as exc:
            # a timeout may leave unread messages on the worker's pipe (it timed out before the crawl started, or
            # while the crawl was being killed): the worker is replaced, as a dead one is
            timed_out = isinstance(exc, TimeoutError)
            dead = worker.pid
            worker.close(timeout=1)
            if self._closed or (stopping is not None and stopping.is_set()):  # shutting down: no replacement
                self._idle.put(None)
                return CrawlReport(name, "failed", worker={"pid": dead},
                                   error=f"crawl worker {dead} ended during the shutdown ({exc})")
            worker = self._new(config)
            self.replaced += 1
            what = (f"抓取超时 crawl timed out after {timeout} s" if timed_out
                    else f"抓取进程意外退出 crawl worker {dead} died during the run ({exc})")
            report = CrawlReport(name, "failed", worker={"pid": dead, "replaced_by": worker.pid},
                                 error=f"{what}; worker {dead} replaced by {worker.pid}; the lease is released or "
                                       "expires, the next run fetches the window again")
        finally:
            with self._lock:
                self._busy.discard(used)
        self._idle.put(None if self._closed else worker)
        if self._closed:
            worker.close()
        return report

    def running(self) -> dict[str, int]:
        """Source → pid of each crawl running now."""
        with self._lock:
            return {w.source: w.crawl_pid for w in self._busy if w.source and w.crawl_pid}

    def workers(self) -> list[int]:
        """The pids of the workers (idle and busy)."""
        with self._lock:
            busy = [w.pid for w in self._busy]
        return sorted(busy + [w.pid for w in list(self._idle.queue) if w is not None])

    def signal_runs(self, sig: int = signal.SIGTERM) -> None:
        """Send ``sig`` to every running crawl (a graceful stop: Scrapy finishes in-flight items)."""
        with self._lock:
            busy = list(self._busy)
        for w in busy:
            w.signal(sig)

    def close(self, timeout: float = 10) -> None:
        """End the idle workers now and each busy one when its run returns."""
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            if worker is not None:
                worker.close(timeout)
        self._idle.put(None)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


if __name__ == "__main__":
    sys.exit(main())
