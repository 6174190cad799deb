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
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from core import Config

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
PR_SET_PDEATHSIG = 1
#: A warm-up text: segmenting it loads jieba's dictionary and the enricher's models.
WARM_TEXT = "大场镇某小区门口垃圾没人清理，路边乱停车严重"


# ---- inside the worker process ------------------------------------------------------------------------------

@dataclass
class WarmState:
    """What this worker has loaded, and how often (a counter, for the tests and the bench)."""

    key: str | None = None
    warmups: int = 0
    runs: int = 0


def nlp_key(config: Config) -> str:
    """The enricher cache's key for a config (``nlp.enrich.enricher_for`` builds one enricher per key)."""
    return config.nlp.model_dump_json()


def warm(config: Config, state: WarmState) -> None:
    """Import what a crawl imports and build the config's enricher, once per ``nlp`` section."""
    key = nlp_key(config)
    if state.key == key:
        return
    import scrapy.crawler  # noqa: F401

    import crawler.middlewares
    import crawler.pipelines
    import crawler.settings
    import crawler.spiders  # noqa: F401
    import storage  # noqa: F401
    from crawler.run import run_crawl  # noqa: F401
    from nlp.enrich import enricher_for

    enricher_for(config).analyze([WARM_TEXT])
    state.key, state.warmups = key, state.warmups + 1


def _die_with_parent(parent: int) -> None:
    """Ask the kernel for SIGTERM when the worker dies (Linux); a parent already gone: exit now."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        os._exit(1)


def _child(report_to: Connection, config: Config, name: str, opts: dict[str, Any], parent: int) -> None:
    """The forked crawl: run it, send the report, leave without running the worker's clean-ups."""
    code = 0
    try:
        _die_with_parent(parent)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        from importlib import import_module

        from crawler.run import CrawlReport, run_crawl

        preloaded = nlp_key(config) in import_module("nlp.enrich")._cache  # built by the warm parent
        try:
            report = run_crawl(config, name, **opts)
        except Exception as exc:  # one report, always
            log.exception("crawl of %s failed", name)
            report = CrawlReport(name, "failed", error=f"{type(exc).__name__}: {exc}")
        report.worker = {**report.worker, "preloaded": preloaded}
        report_to.send(report.as_dict())
    except BaseException:  # nothing may escape a forked child
        log.exception("crawl child of %s failed", name)
        code = 1
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        return f"killed by signal {sig} ({signal.Signals(sig).name})"
    return f"exit {os.waitstatus_to_exitcode(status)}"


def _run(msg: tuple, inbox: Connection, outbox: Connection, state: WarmState) -> bool:
    """One source run in a forked child; False when the daemon went away meanwhile (the worker then ends)."""
    _, config, name, opts = msg
    warm(config, state)
    state.runs += 1
    reader, writer = _pipe()
    me = os.getpid()
    pid = os.fork()
    if pid == 0:
        reader.close()
        inbox.close()
        outbox.close()
        _child(writer, config, name, opts, me)
    writer.close()
    outbox.send(("started", pid))
    report: dict[str, Any] | None = None
    daemon_alive = True
    waiting = [reader, inbox]
    while waiting:
        ready = wait(waiting)
        if inbox in ready:  # the daemon sends nothing during a run: this is its end (EOF)
            daemon_alive = False
            waiting.remove(inbox)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)  # finish like a shutdown: what was fetched is kept
        if reader in ready:
            with contextlib.suppress(EOFError, OSError):
                report = reader.recv()
            break
    _, status = os.waitpid(pid, 0)
    reader.close()
    info = {"pid": me, "warmups": state.warmups, "runs": state.runs, "crawl_pid": pid}
    if report is None:
        from crawler.run import CrawlReport

        report = CrawlReport(name, "failed", error=f"crawl process {pid} ended without a report "
                                                   f"({_describe(status)})").as_dict()
    report["worker"] = {**report.get("worker", {}), **info}
    if daemon_alive:
        outbox.send(("report", report))
    return daemon_alive


def _pipe() -> tuple[Connection, Connection]:
    from multiprocessing import Pipe

    return Pipe(duplex=False)


def serve(inbox: Connection, outbox: Connection) -> int:
    """The worker's loop: ``("warm", config)`` → ``("ready", info)``; ``("crawl", config, name, options)``
    (``run_crawl``'s keywords) → ``("started", pid)`` then ``("report", dict)``; end of input ends the worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the daemon decides
    state = WarmState()
    while True:
        try:
            msg = inbox.recv()
            if msg[0] == "warm":
                warm(msg[1], state)
                outbox.send(("ready", {"pid": os.getpid(), "warmups": state.warmups}))
            elif msg[0] == "crawl" and not _run(msg, inbox, outbox, state):
                return 0
        except (EOFError, OSError):  # the daemon is gone
            return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m crawler.workers IN_FD OUT_FD``: serve source runs over two inherited pipe ends."""
    args = argv if argv is not None else sys.argv[1:]
    from crawler.logformat import install_url_masking

    install_url_masking()
    return serve(Connection(int(args[0]), writable=False), Connection(int(args[1]), readable=False))


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
