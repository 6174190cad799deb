"""Prometheus metrics for `/metrics`: in-process counters plus gauges read from the Store at scrape time.

Store-backed figures (items crawled per source, sources in backoff, outbox depth and lag, cases by
status) stay right across restarts and across several daemons sharing one store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from core import CaseStatus, SourceHealth, utcnow

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class StoreCollector(Collector):
    """Reads the store on each scrape; a store that cannot be read is reported as ``yuqing_store_up 0``."""

    def __init__(self, store_getter: Callable[[], object], spool_depth: Callable[[], int] | None = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.store_getter = store_getter
        self.spool_depth = spool_depth
        self.clock = clock

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from storage import CaseQuery

        up = GaugeMetricFamily("yuqing_store_up", "1 if the store answered this scrape")
        store = self.store_getter()
        try:
            states = store.list_source_states()  # type: ignore[attr-defined]
            outbox = store.outbox_stats(self.clock())  # type: ignore[attr-defined]
            cases = {s.value: store.list_cases(CaseQuery(statuses=(s,), limit=1)).total  # type: ignore[attr-defined]
                     for s in CaseStatus}
            info = store.health()  # type: ignore[attr-defined]
            posts = info.get("posts", 0)
        except Exception as exc:  # the scrape must still answer, saying the store is down
            log.warning("metrics: store unavailable: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        items = GaugeMetricFamily("yuqing_source_items_total", "items stored per source (all time)", labels=["source"])
        errors = GaugeMetricFamily("yuqing_source_consecutive_errors", "consecutive failed crawls", labels=["source"])
        health = GaugeMetricFamily("yuqing_source_health", "1 for the source's current state",
                                   labels=["source", "state"])
        for s in states:
            items.add_metric([s.name], s.items_total)
            errors.add_metric([s.name], s.consecutive_errors)
            health.add_metric([s.name, s.health.value], 1)
        yield items
        yield errors
        yield health
        backing = sum(1 for s in states if s.health not in (SourceHealth.OK, SourceHealth.UNKNOWN))
        yield GaugeMetricFamily("yuqing_sources_not_ok", "sources backing off, blocked or needing login",
                                value=backing)
        depth = GaugeMetricFamily("yuqing_outbox_items", "outbox items by status", labels=["status"])
        for status in ("pending", "sent", "dead"):
            depth.add_metric([status], outbox.get(status, 0))
        yield depth
        yield GaugeMetricFamily("yuqing_outbox_lag_seconds", "age of the oldest pending delivery",
                                value=outbox.get("oldest_pending_age_s", 0.0))
        by_status = GaugeMetricFamily("yuqing_cases", "cases by status", labels=["status"])
        for status, n in cases.items():
            by_status.add_metric([status], n)
        yield by_status
        yield GaugeMetricFamily("yuqing_posts_stored", "posts in the store", value=posts)
        status = GaugeMetricFamily("yuqing_store_status", "1 for the store's status (Elasticsearch: green, yellow, "
                                   "red)", labels=["status"])
        status.add_metric([str(info.get("status", "unknown"))], 1)
        yield status
        yield GaugeMetricFamily("yuqing_store_partial_reads", "store reads that some Elasticsearch shards failed to "
                                "answer, in this process", value=info.get("partial_reads", 0))
        if self.spool_depth is not None:
            yield GaugeMetricFamily("yuqing_spool_items", "items waiting in the local spool", value=self.spool_depth())


class Metrics:
    """The daemon's registry: counters it bumps itself, and the store collector."""

    def __init__(self, store_getter: Callable[[], object], spool_depth: Callable[[], int] | None = None) -> None:
        self.registry = CollectorRegistry()
        self.crawls = Counter("yuqing_crawl_runs", "crawl runs by source and result", ["source", "result"],
                              registry=self.registry)
        self.detector_runs = Counter("yuqing_detector_runs", "spike evaluations", registry=self.registry)
        self.cases_opened = Counter("yuqing_cases_opened", "cases opened or updated by this process",
                                    registry=self.registry)
        self.deliveries = Counter("yuqing_deliveries", "delivery attempts by result", ["result"],
                                  registry=self.registry)
        self.job_errors = Counter("yuqing_job_errors", "scheduled jobs that raised", ["job"], registry=self.registry)
        self.registry.register(StoreCollector(store_getter, spool_depth))

    def render(self) -> bytes:
        """The Prometheus text exposition."""
        return generate_latest(self.registry)
