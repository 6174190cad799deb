"""What the daemon's scheduled jobs call in each wing — thin adapters, so `daemon.py` stays about scheduling."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core import SHANGHAI, Config, utcnow

if TYPE_CHECKING:
    from storage import PostStore

log = logging.getLogger("yuqing.jobs")

Clock = Callable[[], datetime]


def alert_intervals(config: Config) -> dict[str, float]:
    """Seconds between spike evaluations, outbox passes and overdue checks."""
    a = config.alerts
    return {"evaluate": a.evaluate_every_s, "deliver": a.deliver_every_s, "overdue": a.overdue_every_s}


def report_time(config: Config) -> tuple[int, int]:
    """(hour, minute) in Asia/Shanghai at which the daily table is produced."""
    hour, minute = config.alerts.report_time.split(":")
    return int(hour), int(minute)


def _runner(store: Any, config: Config, clock: Clock = utcnow):
    from alerts.runner import AlertRunner

    gazetteer, _ = reference_data(config)  # the cluster scan's zones come from the gazetteer's hierarchy
    return AlertRunner(store, config, clock=clock, gazetteer=gazetteer)


def evaluate(store: Any, config: Config, clock: Clock = utcnow) -> int:
    """Detect spikes over recent buckets and open or update cases (delivery is its own job); cases touched."""
    report = _runner(store, config, clock).run_once(deliver=False)
    if report.cases:
        log.info("evaluation: %d keys, %d matches, %d cases opened or updated", report.keys, len(report.matches),
                 len(report.cases))
    return len(report.cases)


def deliver(store: Any, config: Config, owner: str, clock: Clock = utcnow) -> dict[str, int]:
    """Send what is due in the outbox; counts by result."""
    from alerts.delivery import Deliverer

    report = Deliverer(store, config, clock=clock).drain()
    return {"sent": report.sent, "retried": report.retried, "dead": report.dead}


def overdue(store: Any, config: Config, clock: Clock = utcnow) -> int:
    """Escalate cases past their deadline; how many."""
    from alerts.cases import CaseService

    return len(CaseService(store, config, clock=clock).check_overdue())


def daily_report(store: Any, config: Config, clock: Clock = utcnow) -> list[str]:
    """Write today's daily assignment table (and hand it to the delivery channels); the files written."""
    from alerts import report

    day = clock().astimezone(SHANGHAI).date()
    return [str(p) for p in report.write_daily(store, config, day, now=clock())]


def spool_depth(config: Config) -> int:
    """Posts waiting in the crawler's local spool, over every source."""
    from crawler.spool import Spool

    try:
        return sum(Spool(config.data_dir, s.name).pending() for s in config.sources)
    except OSError:  # a file replayed (deleted) while counting: the next scrape counts again
        return 0


def replay_spool(store: PostStore, config: Config) -> int:
    """Store spooled posts (idempotent upserts, so a replay after a crash never duplicates); how many."""
    from crawler.spool import Spool

    n = sum(Spool(config.data_dir, s.name).replay(store) for s in config.sources)
    if n:
        log.info("spool: replayed %d posts into the store", n)
    return n


def web_app(config: Config, store: Any, metrics: Any, config_path: Any = None, clock: Clock = utcnow):
    """The console on the shell's services: the case service and reference data built once here, ``/metrics``
    (Prometheus text, behind a login or ``web.metrics_token``) from ``metrics``; it re-reads users from
    ``config_path`` and reads the time from ``clock`` (the demo's scenario clock)."""
    from alerts.cases import CaseService
    from web.app import create_app

    gazetteer, taxonomy = reference_data(config)
    cases = CaseService(store, config, gazetteer=gazetteer, taxonomy=taxonomy, clock=clock)
    return create_app(config, store, cases=cases, gazetteer=gazetteer, taxonomy=taxonomy, metrics=metrics,
                      clock=clock, config_path=config_path)


def reference_data(config: Config) -> tuple[Any, Any]:
    """The gazetteer and the topic taxonomy the config names."""
    from nlp.gazetteer import load_gazetteer
    from nlp.taxonomy import load_taxonomy

    return load_gazetteer(config.nlp.gazetteer), load_taxonomy(config.nlp.taxonomy)


def keyword_alerts(store: Any, config: Config, clock: Clock = utcnow) -> int:
    """Queue a message for every new post matching a reviewer's keyword or place subscription."""
    from web.subscriptions import keyword_job

    gazetteer, _ = reference_data(config)
    names = {p.id: p.name for p in gazetteer.places}
    return keyword_job(store, config, clock(), names)
