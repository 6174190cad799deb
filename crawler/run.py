"""One source's crawl: open the store, replay the spool, take the source's lease, run the spider, commit the
source state, and a :class:`CrawlReport` of what it did (a Twisted reactor cannot restart in one process, so
each crawl runs in a process of its own).

The daemon and ``yuqing crawl --all`` run crawls on warm workers (``crawler.workers``: each run a fork of a
worker that loaded the crawl code and models once); ``yuqing crawl SOURCE`` runs one in its own process
(``run_crawl``). ``crawl_source(config, name)`` (``crawler.child_crawl``) spawns a fresh child per run
(``python -m crawler.run -c yuqing.yaml SOURCE`` by hand) — the cold path, kept for tools, tests and the bench's
cold baseline. The report itself is ``crawler.report``'s.
"""

from __future__ import annotations

import json
import logging
import pickle
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core import Config, SourceState, utcnow
from crawler.child_crawl import REPORT_PREFIX, crawl_source, read_report, start_crawl
from crawler.report import REPORTED_STATS, STATUS_TEXT, CrawlReport, report_line

__all__ = ["REPORTED_STATS", "REPORT_PREFIX", "STATUS_TEXT", "CrawlReport", "OpenCrawl", "attach", "close_crawl",
           "crawl_source", "family_of", "first_requests", "main", "open_crawl", "read_report", "report_line",
           "run_crawl", "start_crawl"]  # moved names stay importable from here

log = logging.getLogger(__name__)


def _open_store(config: Config) -> Any:
    try:
        from storage import open_store

        store = open_store(config)
        store.init()
        return store
    except Exception as exc:  # the crawl still runs: posts go to the spool
        log.warning("store unavailable, posts will be spooled: %s", exc)
        return None


@dataclass
class OpenCrawl:
    """A crawl ready to run: its context, and the store and state it commits to at the end."""

    name: str
    ctx: Any
    store: Any
    states: Any
    cursor: dict[str, Any]
    keeper: Any = None
    leased: tuple[str | None, str | None] = (None, None)  # (owner, when taken)


def open_crawl(config: Config, name: str, *, force: bool = False, lease: timedelta | None = None,
               fresh_within: timedelta | None = None) -> OpenCrawl | CrawlReport:
    """Open the store, load the source state and take the lease; a report instead when the source is backing
    off, another crawl holds it, or (``fresh_within``) a crawl ran that recently (another daemon's: every
    daemon schedules every source)."""
    from crawler.backlog import Backlog
    from crawler.context import CrawlContext, load_accounts
    from crawler.lease import DEFAULT_LEASE
    from crawler.logformat import install_url_masking
    from crawler.spool import Spool
    from crawler.state import StateStore, Tracker

    install_url_masking()  # lines logged before Scrapy's own handler exists
    source = config.source(name)
    store = _open_store(config)
    states = StateStore(store, name, lease or DEFAULT_LEASE) if store is not None else None
    state = states.load() if states else SourceState(name=name)
    now = utcnow()
    if state.backoff_until and state.backoff_until > now and not force:
        if store is not None:
            store.close()
        return CrawlReport(name, "backing_off", health=state.health.value, error=state.last_error,
                           backoff_until=state.backoff_until.isoformat())
    if fresh_within and state.last_run_at and state.last_run_at > now - fresh_within and not force:
        if store is not None:
            store.close()
        return CrawlReport(name, "recent", error=f"crawled at {state.last_run_at.isoformat()}")
    if states is not None:
        acquired = states.acquire(now)
        if acquired is None:
            store.close()
            return CrawlReport(name, "busy", error="another crawl of this source holds the lease")
        state = acquired  # what a crawl that committed since the first read left (its cursor, its backlog)
    cursor = state.cursor
    leased = (states.owner, now.isoformat()) if states is not None else (None, None)
    ctx = CrawlContext(
        config=config, source=source, family=family_of(source),
        tracker=Tracker(name, base=source.backoff_base, ceiling=source.backoff_ceiling,
                        backlog=Backlog(cursor.get("backlog"))),
        spool=Spool(config.data_dir, name), store=store,
        watermark=datetime.fromisoformat(cursor["watermark"]) if cursor.get("watermark") else None,
        gone=set(cursor.get("gone", [])), accounts=load_accounts(source, cursor.get("accounts", {})),
    )
    return OpenCrawl(name, ctx, store, states, cursor, leased=leased)


def family_of(source: Any) -> str:
    """The classifier and parser family of a source: its platform row's (presets only choose page shapes)."""
    from crawler.platforms import platform

    return platform(source).family


def attach(crawler: Any, crawl: OpenCrawl) -> None:
    """Wire a crawl to its Scrapy crawler: URL masking on Scrapy's log handler, the lease heartbeat."""
    from scrapy import signals

    from crawler.lease import LeaseKeeper
    from crawler.logformat import install_url_masking

    install_url_masking()  # on Scrapy's root handler (re-created with each crawler's settings), and again
    crawler.signals.connect(install_url_masking, signal=signals.engine_started)  # should it be re-created
    if crawl.states is not None:  # held on the crawl: signals keep only weak references to their receivers
        crawl.keeper = LeaseKeeper(crawler, crawl.states, crawl.ctx)
        crawl.keeper.install()


def close_crawl(crawl: OpenCrawl, raw_stats: dict[str, Any], finish_reason: str | None = None) -> CrawlReport:
    """Commit the crawl's results to the source state, release the lease, close the store: the report."""
    from crawler.backlog import summarize
    from crawler.logformat import SECRET_KEYS, mask_urls

    name, store, states, cursor = crawl.name, crawl.store, crawl.states, crawl.cursor
    stats = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in raw_stats.items()}
    tracker = crawl.ctx.tracker
    reason = finish_reason or stats.get("finish_reason", "finished")
    if reason != "finished":  # e.g. SIGTERM: queued requests were dropped unseen
        tracker.interrupt(str(reason))
    status = "finished" if tracker.complete else ("stopped" if tracker.blocked else "incomplete")
    report = CrawlReport(
        name, "lost_lease" if tracker.lease_lost else status,
        scraped=int(stats.get("item_scraped_count", 0)), stored=tracker.stored,
        spooled=tracker.counters.get("spooled", 0),
        dropped={k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("yuqing/dropped/")},
        outcomes=dict(tracker.outcomes), error=mask_urls(tracker.errors[-1], SECRET_KEYS) if tracker.errors else None,
        stats={k: v for k, v in stats.items() if k.startswith(REPORTED_STATS)},
        capped=sorted(tracker.backlog.capped),
        backlog=summarize(tracker.backlog.result() if tracker.complete else cursor.get("backlog", {})),
        owner=crawl.leased[0], leased_at=crawl.leased[1],
    )
    if tracker.lease_lost:  # the state belongs to the new owner now: nothing of ours is merged into it (its
        # crawl fetches the same window again; what we fetched is already stored or spooled)
        report.error = f"抓取租约被接管 lost lease: another crawl ({tracker.lease_lost}) took over; fetched posts kept"
        if store is not None:
            store.close()
    elif states is not None:
        try:
            saved = states.commit(tracker, utcnow())
            report.health = saved.health.value
            report.backoff_until = saved.backoff_until.isoformat() if saved.backoff_until else None
            report.error = saved.last_error if not tracker.complete or saved.last_error else report.error
        except Exception as exc:
            log.warning("could not save the state of %s: %s", name, exc)
        report.released_at = utcnow().isoformat()
        store.close()
    return report


def run_crawl(config: Config, name: str, *, force: bool = False, lease: timedelta | None = None,
              log_level: str | None = None, fresh_within: timedelta | None = None) -> CrawlReport:
    """Crawl one source in this process (call it in a fresh process: the reactor runs once). ``lease``: the
    crawl lease's length (default 2 h), renewed every quarter of it while the crawl runs; ``log_level``:
    Scrapy's (default: the config's ``logging.level``)."""
    from scrapy.crawler import CrawlerProcess

    from crawler.settings import build_settings
    from crawler.spiders import SPIDERS

    opened = open_crawl(config, name, force=force, lease=lease, fresh_within=fresh_within)
    if isinstance(opened, CrawlReport):
        return opened
    settings = build_settings(config, opened.ctx.source)
    if log_level:
        settings["LOG_LEVEL"] = log_level
    process = CrawlerProcess(settings=settings)
    crawler = process.create_crawler(SPIDERS[opened.ctx.source.family])
    attach(crawler, opened)
    process.crawl(crawler, ctx=opened.ctx)
    process.start()
    return close_crawl(opened, crawler.stats.get_stats())


def first_requests(config: Config, name: str, limit: int = 10) -> list[str]:
    """The first URLs a crawl of a source would request, secrets in queries masked (nothing is fetched, no
    state is read: the crawl window starts at the source's lookback)."""
    import asyncio

    from crawler.context import CrawlContext, load_accounts
    from crawler.logformat import SECRET_KEYS, mask_url
    from crawler.spiders import SPIDERS
    from crawler.spool import Spool
    from crawler.state import Tracker

    source = config.source(name)
    ctx = CrawlContext(config=config, source=source, family=family_of(source), tracker=Tracker(name),
                       spool=Spool(config.data_dir, name), accounts=load_accounts(source, {}))
    spider = SPIDERS[source.family](ctx)

    async def collect() -> list[Any]:
        out = []
        async for request in spider.start():
            out.append(request)
            if len(out) >= limit:
                break
        return out

    requests = asyncio.run(collect())
    more = getattr(spider, "requests", None)  # a spider whose first request is only a probe (Weibo's /api/config)
    if callable(more) and len(requests) < limit:
        requests += [r for r, _ in zip(more(utcnow()), range(limit - len(requests)), strict=False)]
    seen = dict.fromkeys(mask_url(r.url, SECRET_KEYS) for r in requests if hasattr(r, "url"))
    return list(seen)[:limit]


def main(argv: list[str] | None = None) -> int:
    """``python -m crawler.run [-c CONFIG] SOURCE [--force]``: crawl one source here and print the report."""
    import argparse

    from core import load_config
    from crawler.logformat import install_url_masking

    parser = argparse.ArgumentParser(prog="python -m crawler.run")
    parser.add_argument("source", nargs="?")
    parser.add_argument("-c", "--config")
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--stdin", action="store_true", help="read (config, source, force, lease) pickled on stdin")
    args = parser.parse_args(argv)
    install_url_masking()  # whatever logs before Scrapy sets up its handler (the last-resort handler)
    lease = log_level = None
    if args.stdin:
        config, name, force, *rest = pickle.loads(sys.stdin.buffer.read())
        lease, log_level = [*rest, None, None][:2]
    else:
        config, name, force = load_config(args.config), args.source, args.force
    try:
        report = run_crawl(config, name, force=force, lease=lease, log_level=log_level)
    except Exception as exc:  # one report line, always
        log.exception("crawl of %s failed", name)
        report = CrawlReport(name, "failed", error=f"{type(exc).__name__}: {exc}")
    sys.stdout.write(REPORT_PREFIX + json.dumps(report.as_dict(), ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()
    return 0 if report.status == "finished" else 1


if __name__ == "__main__":
    sys.exit(main())
