"""The crawl lease's heartbeat: while a crawl runs, its lease is renewed every quarter of its length (CAS on
the source state), so a crawl longer than the lease is never taken over by a second daemon. If a renewal
finds another owner, the crawl stops cleanly: the posts already fetched are stored (or spooled) as usual,
the source state is left to the new owner, and the report says ``lost_lease``."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from core import utcnow

log = logging.getLogger(__name__)
DEFAULT_LEASE = timedelta(hours=2)


class LeaseKeeper:
    """Renews ``states``' lease on the reactor (the thread that also writes posts) until the spider closes."""

    def __init__(self, crawler: Any, states: Any, ctx: Any) -> None:
        self.crawler = crawler
        self.states = states
        self.ctx = ctx
        self.every = max(states.lease.total_seconds() / 4, 0.05)
        self._loop: task.LoopingCall | None = None

    def install(self) -> None:
        """Start with the engine, stop with the spider (the caller keeps this object alive: Scrapy's signals
        hold their receivers weakly)."""
        from scrapy import signals

        self.crawler.signals.connect(self.start, signal=signals.engine_started)
        self.crawler.signals.connect(self.stop, signal=signals.spider_closed)

    def start(self) -> None:
        """Begin the heartbeat (the first beat at once: opening the store and loading models took a while)."""
        if self._loop is None:
            self._loop = task.LoopingCall(self.beat)
            self._loop.start(self.every, now=True).addErrback(lambda f: log.warning("lease heartbeat: %s", f.value))

    def stop(self) -> None:
        """End the heartbeat."""
        if self._loop is not None and self._loop.running:
            self._loop.stop()

    def beat(self) -> None:
        """Renew the lease; another owner means the lease is lost and the crawl stops."""
        if self.ctx.tracker.lease_lost:
            return
        try:
            owner = self.states.renew(utcnow())
        except Exception as exc:  # the store is down: the crawl goes on (posts spool); the next beat retries
            log.warning("source %s: lease not renewed (%s)", self.ctx.source.name, type(exc).__name__)
            return
        if owner is not None:
            self.lose(owner)

    def lose(self, owner: str) -> None:
        """Another crawl holds the lease: stop fetching and close the spider (pipelines flush what they hold)."""
        ctx = self.ctx
        ctx.tracker.lease_lost = owner
        ctx.stopped = f"lost lease: held by {owner}"
        log.warning("source %s: lost the crawl lease to %s; stopping (what was fetched is kept)", ctx.source.name,
                    owner)
        self.stop()
        engine = self.crawler.engine
        if engine is not None and getattr(engine, "_slot", None) is not None and engine._slot.closing is None:
            deferred_from_coro(engine.close_spider_async(reason="lost_lease"))
