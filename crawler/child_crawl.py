"""The cold path: one source's crawl in a fresh child process (``python -m crawler.run --stdin``, the config
pickled on its stdin) and its :class:`~crawler.report.CrawlReport` read back from the child's stdout."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from core import Config
from crawler.report import CrawlReport

REPORT_PREFIX = "YUQING-CRAWL-REPORT "


def start_crawl(config: Config, name: str, *, force: bool = False, stderr: Any = None,
                lease: timedelta | None = None, log_level: str | None = None) -> subprocess.Popen:
    """Start ``python -m crawler.run --stdin`` with the pickled config; the report comes on its stdout."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.run", "--stdin"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=stderr, cwd=str(Path(__file__).resolve().parent.parent),
    )
    assert proc.stdin is not None
    proc.stdin.write(pickle.dumps((config, name, force, lease, log_level)))
    proc.stdin.close()
    proc.stdin = None  # written and closed: communicate() must not touch it
    return proc


def read_report(name: str, proc: subprocess.Popen, timeout: float | None = None) -> CrawlReport:
    """Wait for a started crawl and read its report (kills it after ``timeout`` seconds)."""
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return CrawlReport(name, "failed", error=f"crawl timed out after {timeout} s")
    for line in reversed((out or b"").decode("utf-8", "replace").splitlines()):
        if line.startswith(REPORT_PREFIX):
            return CrawlReport(**json.loads(line[len(REPORT_PREFIX):]))
    return CrawlReport(name, "failed", error=f"crawl process ended without a report (exit {proc.returncode})")


def crawl_source(config: Config, name: str, *, force: bool = False, timeout: float | None = None,
                 lease: timedelta | None = None, log_level: str | None = None, stderr: Any = None) -> CrawlReport:
    """Crawl one source in a child process and wait for its report (the daemon's one entry point)."""
    config.source(name)  # KeyError early for an unknown source
    return read_report(name, start_crawl(config, name, force=force, lease=lease, log_level=log_level,
                                         stderr=stderr), timeout)
