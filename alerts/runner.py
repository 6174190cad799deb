"""The alert loop: read counts from the Store, run the detectors and the cluster scan over neighbouring places,
turn recent matches into cases, repair the outbox, escalate overdue cases and deliver.

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
from pydantic import ValidationError

from alerts.cases import CaseService
from alerts.clusters import ClusterMatch, ClusterOptions, ClusterScan, zones_from_gazetteer
from alerts.delivery import Deliverer, DeliveryReport
from alerts.detectors import Detector, SpikeMatch, detectors_from_config
from alerts.routing import unlisted_levels
from alerts.series import build_series, parse_duration
from core import Case, Config, ConfigError, Post, utcnow
from storage.base import CaseQuery, PostQuery

log = logging.getLogger("yuqing.alerts.runner")


@dataclass
class RunReport:
    """What one run saw and did."""

    keys: int = 0
    since: datetime | None = None  # the buckets looked at: [since, until)
    until: datetime | None = None
    matches: list[SpikeMatch] = field(default_factory=list)
    clusters: list[ClusterMatch] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    escalated: int = 0
    requeued: int = 0
    delivery: DeliveryReport | None = None


class AlertRunner:
    """Detection → cases → delivery, one pass at a time (the daemon calls :meth:`run_once` on a schedule)."""

    def __init__(self, store: Any, config: Config, *, cases: CaseService | None = None,
                 detectors: list[Detector] | None = None, deliverer: Deliverer | None = None,
                 clock: Callable[[], datetime] = utcnow, transport: httpx.BaseTransport | None = None,
                 environ: Mapping[str, str] | None = None, gazetteer: Any = None,
                 clusters: ClusterScan | bool | None = True) -> None:
        """``gazetteer``: the shell's (else the case service loads the configured one); ``clusters``: a scan,
        True for the one ``alerts.clusters`` configures over the gazetteer's zones, False/None for none."""
        self.store = store
        self.config = config
        self.clock = clock
        self.cases = cases or CaseService(store, config, gazetteer=gazetteer, clock=clock)
        self.detectors = detectors if detectors is not None else detectors_from_config(config.alerts)
        self.deliverer = deliverer or Deliverer(store, config, transport=transport, environ=environ, clock=clock)
        self.step = parse_duration(config.alerts.bucket)
        self.clusters = self._cluster_scan() if clusters is True else (clusters or None)

    def _cluster_scan(self) -> ClusterScan | None:
        """The scan ``alerts.clusters`` configures (None when it is null or there is no gazetteer)."""
        cfg = self.config.alerts
        options = getattr(cfg, "clusters", {})
        gazetteer = self.cases.router.gazetteer
        if options is None or gazetteer is None:
            return None
        merged = {"false_alarms_per_1000_key_weeks": cfg.false_alarms_per_1000_key_weeks, **options}
        try:
            opts = ClusterOptions.model_validate(merged)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"]) or "(options)"
            msg = "unknown option" if err["type"] == "extra_forbidden" else err["msg"]
            raise ConfigError(f"alerts.clusters.{loc}: {msg}") from None
        names = {p.id: p.name for p in gazetteer}
        return ClusterScan(zones_from_gazetteer(gazetteer, cfg.exclude_levels), opts, names=names)

    # ---- detection (reads only) -----------------------------------------
    def series(self, since: datetime, until: datetime, lookback: timedelta | None = None) -> dict[str, Any]:
        """Dense series per key over ``[since − lookback, until)`` from the Store's complaint counts, less the
        gazetteer places of an excluded level (an unlisted place's level is in its posts: :meth:`with_evidence`)."""
        cfg = self.config.alerts
        start = since - (lookback if lookback is not None else timedelta(days=cfg.lookback_days))
        rows = self.store.complaint_counts(start, until, self.step, by_topic=cfg.by_topic)
        keyed = [(Case.make_key(r.place_id, r.topic if cfg.by_topic else None), r.bucket, r.count)
                 for r in rows if r.place_id and not self.cases.router.excluded(r.place_id)]
        return build_series(keyed, self.step, since=start, until=until)

    def detect(self, since: datetime, until: datetime, lookback: timedelta | None = None
               ) -> tuple[int, list[SpikeMatch]]:
        """Matches with a bucket in ``[since, until)``, windows computed from ``lookback`` before ``since``."""
        series = self.series(since, until, lookback)
        return len(series), self._matches(series, since)

    def _matches(self, series: Mapping[str, Any], since: datetime) -> list[SpikeMatch]:
        found = [m for d in self.detectors for m in d.detect_many(series) if m.bucket >= since]
        return sorted(found, key=lambda m: (m.bucket, m.key, m.detector))

    def detect_clusters(self, series: Mapping[str, Any], since: datetime) -> list[ClusterMatch]:
        """Clusters across neighbouring places with a bucket at or after ``since`` (none without a scan)."""
        return self.clusters.scan(series, since=since) if self.clusters is not None else []

    def cluster_with_posts(self, match: ClusterMatch) -> ClusterMatch:
        """The cluster with the ids of its members' complaints in its window (oldest first)."""
        q = PostQuery(place_ids=match.place_ids, topics=(match.topic,) if match.topic else (),
                      since=match.window_start, until=match.window_end, is_complaint=True, sort="oldest",
                      limit=self.config.alerts.evidence_limit, highlight=False)
        return match.with_posts([h.post.id for h in self.store.search(q).hits])

    def _evidence(self, match: SpikeMatch) -> list[Post]:
        """The complaints in the match's window about its place (and topic), oldest first."""
        q = PostQuery(place_ids=(match.place_id,), topics=(match.topic,) if match.topic else (),
                      since=match.window_start, until=match.window_end, is_complaint=True, sort="oldest",
                      limit=self.config.alerts.evidence_limit, highlight=False)
        return [h.post for h in self.store.search(q).hits]

    def with_posts(self, match: SpikeMatch) -> SpikeMatch:
        """The match with the ids of the complaints in its window (oldest first)."""
        return match.with_posts([p.id for p in self._evidence(match)])

    def with_evidence(self, matches: list[SpikeMatch]) -> list[SpikeMatch]:
        """The matches with their complaints' ids, less those on a place the gazetteer lacks whose level, as its
        complaints' own place refs give it, is excluded (``raw:青石镇``, a town, as ``exclude_levels`` drops a
        listed town: the gazetteer knows no level for it, so :meth:`series` could not drop it). The evidence is
        read for every match anyway, so this costs no read; the unlisted town's series still counts in the
        detectors' pooled baselines and the cluster scan's marginals, where a listed town's does not."""
        kept = []
        for m in matches:
            posts = self._evidence(m)
            level = unlisted_levels(posts).get(m.place_id)
            if self.cases.router.excluded(m.place_id, level):
                log.info("match %s dropped: its place is an unlisted %s (alerts.exclude_levels)", m.id, level)
                continue
            kept.append(m.with_posts([p.id for p in posts]))
        return kept

    def test_rule(self, since: datetime, until: datetime) -> list[SpikeMatch]:
        """What the configured detectors would have matched over a past period (no writes)."""
        return self.with_evidence(self.detect(since, until)[1])

    # ---- one run ---------------------------------------------------------
    def run_once(self, *, dry_run: bool = False, deliver: bool = True, now: datetime | None = None) -> RunReport:
        """Detect over recent buckets, open/update cases, re-queue missed deliveries, escalate, deliver.

        ``now`` replays a pass at another time (``alerts run --once --now``); default: the injected clock.
        """
        now = now if now is not None else self.clock()
        recent = timedelta(hours=self.config.alerts.recent_hours)
        report = RunReport(since=now - recent, until=now)
        series = self.series(now - recent, now)  # the bucket holding now is included
        report.keys = len(series)
        report.matches = self.with_evidence(self._matches(series, now - recent))
        report.clusters = [self.cluster_with_posts(m) for m in self.detect_clusters(series, now - recent)]
        if dry_run:
            return report
        for m in report.matches:
            case = self.cases.open_or_update(m)
            log.info("match %s score %.2f → case %s", m.id, m.score, case.id)
            report.cases.append(case)
        for c in report.clusters:
            case = self.cases.open_cluster(c)
            log.info("cluster %s (%d places) p %.1e → case %s", c.id, len(c.members), c.p_value, case.id)
            report.cases.append(case)
        open_cases = self.store.list_cases(CaseQuery(open_only=True, limit=1000)).items
        report.requeued = self.cases.outbox.sweep(open_cases, now - recent)
        report.escalated = sum(1 for c in self.cases.check_overdue() if c.history[-1].at == now)
        if deliver:
            report.delivery = self.deliverer.drain()
        return report
