"""Inside a warm crawl worker (``python -m crawler.workers IN_FD OUT_FD``): warm up once (imports, the
config's enricher, jieba's dictionary), then serve source runs, each a ``fork()`` of this warm process that
runs :func:`crawler.run.run_crawl` with a fresh reactor and sends its report back over a pipe. The daemon's
side (:class:`crawler.workers.WorkerPool`) is in ``crawler.workers``."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from core import Config

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
#: A warm-up text: segmenting it loads jieba's dictionary and the enricher's models.
WARM_TEXT = "大场镇某小区门口垃圾没人清理，路边乱停车严重"


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


if __name__ == "__main__":
    sys.exit(main())
