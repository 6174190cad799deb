"""The alert loop: read counts from the Store, run the detectors, turn recent matches into cases,
repair the outbox, escalate overdue cases and deliver.

Nothing is kept in memory between runs: windows are recomputed from stored counts every time (so a
late post recounts its bucket and a restart loses nothing), matches already applied are recorded on
their cases, and deliveries wait in the durable outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx

from alerts.cases import CaseService
from alerts.delivery import Deliverer, DeliveryReport
from alerts.detectors import Detector, SpikeMatch, detectors_from_config
from alerts.series import build_series, parse_duration
from core import Case, Config, utcnow
from storage.base import CaseQuery, PostQuery

log = logging.getLogger("yuqing.alerts.runner")


@dataclass
class RunReport:
    """What one run saw and did."""

    keys: int = 0
    since: datetime | None = None  # the buckets looked at: [since, until)
    until: datetime | None = None
    matches: list[SpikeMatch] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    escalated: int = 0
    requeued: int = 0
    delivery: DeliveryReport | None = None


class AlertRunner:
    """Detection → cases → delivery, one pass at a time (the daemon calls :meth:`run_once` on a schedule)."""

    def __init__(self, store: Any, config: Config, *, cases: CaseService | None = None,
                 detectors: list[Detector] | None = None, deliverer: Deliverer | None = None,
                 clock: Callable[[], datetime] = utcnow, transport: httpx.BaseTransport | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self.store = store
        self.config = config
        self.clock = clock
        self.cases = cases or CaseService(store, config, clock=clock)
        self.detectors = detectors if detectors is not None else detectors_from_config(config.alerts)
        self.deliverer = deliverer or Deliverer(store, config, transport=transport, environ=environ, clock=clock)
        self.step = parse_duration(config.alerts.bucket)

    # ---- detection (reads only) -----------------------------------------
    def detect(self, since: datetime, until: datetime, lookback: timedelta | None = None
               ) -> tuple[int, list[SpikeMatch]]:
        """Matches with a bucket in ``[since, until)``, windows computed from ``lookback`` before ``since``."""
        cfg = self.config.alerts
        start = since - (lookback if lookback is not None else timedelta(days=cfg.lookback_days))
        rows = self.store.complaint_counts(start, until, self.step, by_topic=cfg.by_topic)
        keyed = [(Case.make_key(r.place_id, r.topic if cfg.by_topic else None), r.bucket, r.count)
                 for r in rows if r.place_id and not self.cases.router.excluded(r.place_id)]
        series = build_series(keyed, self.step, since=start, until=until)
        found = [m for d in self.detectors for m in d.detect_many(series) if m.bucket >= since]
        return len(series), sorted(found, key=lambda m: (m.bucket, m.key, m.detector))

    def with_posts(self, match: SpikeMatch) -> SpikeMatch:
        """The match with the ids of the complaints in its window (oldest first)."""
        q = PostQuery(place_ids=(match.place_id,), topics=(match.topic,) if match.topic else (),
                      since=match.window_start, until=match.window_end, is_complaint=True, sort="oldest",
                      limit=self.config.alerts.evidence_limit, highlight=False)
        return match.with_posts([h.post.id for h in self.store.search(q).hits])

    def test_rule(self, since: datetime, until: datetime) -> list[SpikeMatch]:
        """What the configured detectors would have matched over a past period (no writes)."""
        return [self.with_posts(m) for m in self.detect(since, until)[1]]

    # ---- one run ---------------------------------------------------------
    def run_once(self, *, dry_run: bool = False, deliver: bool = True, now: datetime | None = None) -> RunReport:
        """Detect over recent buckets, open/update cases, re-queue missed deliveries, escalate, deliver.

        ``now`` replays a pass at another time (``alerts run --once --now``); default: the injected clock.
        """
        now = now if now is not None else self.clock()
        recent = timedelta(hours=self.config.alerts.recent_hours)
        report = RunReport(since=now - recent, until=now)
        report.keys, matches = self.detect(now - recent, now)  # the bucket holding now is included
        report.matches = [self.with_posts(m) for m in matches]
        if dry_run:
            return report
        for m in report.matches:
            case = self.cases.open_or_update(m)
            log.info("match %s score %.2f → case %s", m.id, m.score, case.id)
            report.cases.append(case)
        open_cases = self.store.list_cases(CaseQuery(open_only=True, limit=1000)).items
        report.requeued = self.cases.outbox.sweep(open_cases, now - recent)
        report.escalated = sum(1 for c in self.cases.check_overdue() if c.history[-1].at == now)
        if deliver:
            report.delivery = self.deliverer.drain()
        return report
