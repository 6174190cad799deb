"""The daemon's job table: which APScheduler jobs a config wants (stable ids, triggers), applying it to a
running scheduler so a reload reschedules only what changed, and the guard that logs a job's failure."""

from __future__ import annotations

import logging
import random
import re
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core import Config, YuqingError, utcnow
from yuqing import jobs

log = logging.getLogger("yuqing.daemon")  # the daemon's lines, wherever the code lives


def _quiet_waiting_crawls(record: logging.LogRecord) -> bool:
    """Drop APScheduler's warning for a crawl due again while its last run still waits for a worker: the
    waiting run is the coalesced one (a pool smaller than the due sources queues them, as intended)."""
    return not (record.getMessage().startswith('Execution of job "crawl:') and "maximum number" in record.getMessage())


logging.getLogger("apscheduler.scheduler").addFilter(_quiet_waiting_crawls)

Jobs = dict[str, tuple[Callable[[], None], Any]]


def guard(name: str, fn: Callable[[], None], stopping: threading.Event, metrics: Any) -> Callable[[], None]:
    """``fn`` as a job: skipped once ``stopping`` is set; a failure counted and logged in one line."""
    def run() -> None:
        if stopping.is_set():
            return
        try:
            fn()
        except YuqingError as exc:
            metrics.job_errors.labels(name).inc()
            log.error("%s failed: %s", name, exc)
        except Exception:
            metrics.job_errors.labels(name).inc()
            log.exception("%s failed", name)

    return run


def wanted_jobs(config: Config, daemon: Any) -> Jobs:
    """Job id → (guarded function, trigger) for every job ``config`` asks of ``daemon``."""
    def g(name: str, fn: Callable[[], None]) -> Callable[[], None]:
        return guard(name, fn, daemon._stopping, daemon.metrics)

    wanted: Jobs = {}
    for source in config.sources:
        if source.enabled:
            trigger = IntervalTrigger(seconds=source.interval, jitter=int(source.interval * source.jitter) or None)
            wanted[f"crawl:{source.name}"] = (g(f"crawl:{source.name}", lambda s=source.name: daemon.crawl(s)),
                                              trigger)
    every = jobs.alert_intervals(config)
    wanted["alerts:evaluate"] = (g("alerts:evaluate", daemon.evaluate), IntervalTrigger(seconds=every["evaluate"]))
    wanted["alerts:deliver"] = (g("alerts:deliver", daemon.deliver), IntervalTrigger(seconds=every["deliver"]))
    wanted["alerts:overdue"] = (g("alerts:overdue", daemon.overdue), IntervalTrigger(seconds=every["overdue"]))
    hour, minute = jobs.report_time(config)
    wanted["report:daily"] = (g("report:daily", daemon.daily_report),
                              CronTrigger(hour=hour, minute=minute, timezone="Asia/Shanghai"))
    wanted["alerts:keywords"] = (g("alerts:keywords", daemon.keyword_alerts), IntervalTrigger(seconds=600))
    wanted["spool:replay"] = (g("spool:replay", daemon.replay_spool), IntervalTrigger(seconds=60))
    return wanted


#: An interval trigger's start date is the moment it was built: no part of what the job is (two builds a second
#: apart must not read as a changed job and move its next run).
_START_DATE = re.compile(r"start_date='[^']*', ")


def apply_schedule(scheduler: Any, wanted: Jobs, signatures: dict[str, str]) -> None:
    """Make ``scheduler``'s jobs ``wanted``: remove the unwanted, (re)schedule only new or changed triggers
    (``signatures``: job id → trigger description, updated in place)."""
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            job.remove()
            signatures.pop(job.id, None)
            log.info("job %s removed", job.id)
    first = utcnow()
    for job_id, (fn, trigger) in wanted.items():
        signature = f"{_START_DATE.sub('', repr(trigger))} jitter={getattr(trigger, 'jitter', None)}"
        if signatures.get(job_id) == signature and scheduler.get_job(job_id) is not None:
            continue  # unchanged: keep its next run time (a reload must not starve or hammer anything)
        # crawls start soon after boot (staggered), other jobs at their first interval
        start = first + timedelta(seconds=random.uniform(1, 10)) if job_id.startswith("crawl:") else None
        crawl = job_id.startswith("crawl:")  # a crawl waiting for a free worker runs late, never "missed"
        scheduler.add_job(fn, trigger, id=job_id, name=job_id, replace_existing=True,
                          executor="crawl" if crawl else "default",
                          **({"misfire_grace_time": None} if crawl else {}),
                          next_run_time=start or trigger.get_next_fire_time(None, first))
        signatures[job_id] = signature
