"""The crawl lease is renewed while a crawl runs (CAS on the source state); a crawl whose lease was taken
over stops cleanly, keeps what it fetched and leaves the state to the new owner — a real crawl child with a
short lease against the simulator and a real SQLiteStore."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from pathlib import Path

from core import SHANGHAI, Config, utcnow
from crawler.run import REPORT_PREFIX, CrawlReport, start_crawl
from crawler.spool import Spool
from crawler.state import StateStore
from simulator.scenario import Scenario
from simulator.server import SimServer
from storage.base import PostQuery
from storage.sqlite import SQLiteStore

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=SHANGHAI)
LEASE = timedelta(seconds=8)  # renewed every 2 s: a renewal would have to be 6 s late to let a second taker in
#: Scrapy waits at least half this between requests (randomised delay), so the ~60 requests of the crawl below
#: take ≥ 15 s however fast the machine is: the crawl is still running when its first lease would have run out.
DELAY = 0.5
OTHER = "another-host:4242"  # a daemon on another host: its lease is trusted until it expires


def test_renew_extends_own_lease_and_reports_another_owner(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    store.init()
    try:
        mine = StateStore(store, "s", LEASE)
        t0 = utcnow()
        assert mine.acquire(t0) is not None
        assert mine.renew(t0 + timedelta(seconds=1)) is None
        assert store.get_source_state("s").lease_until == t0 + timedelta(seconds=1) + LEASE
        state = store.get_source_state("s")
        store.save_source_state(state.model_copy(update={"lease_owner": OTHER}))  # taken over
        before = store.get_source_state("s")
        assert mine.renew(t0 + timedelta(seconds=2)) == OTHER
        assert store.get_source_state("s").version == before.version  # nothing written over the new owner
        released = store.get_source_state("s")
        store.save_source_state(released.model_copy(update={"lease_owner": None, "lease_until": None}))
        assert mine.renew(t0 + timedelta(seconds=3)) is not None  # the new owner finished: still not ours
        assert store.get_source_state("s").lease_owner is None  # and not silently taken back
    finally:
        store.close()


def stored_ids(path: Path) -> set[str]:
    store = SQLiteStore(path)
    try:
        return {p.id for p in store.iter_posts(PostQuery(limit=10_000, highlight=False))}
    finally:
        store.close()


def test_long_crawl_keeps_its_lease_then_stops_cleanly_when_taken_over(tmp_path: Path) -> None:
    db = tmp_path / "y.db"
    with SimServer(Scenario(now=NOW, days=4, rates={"board": 0.8}, gazetteer="builtin")).start() as srv:
        cfg = Config.model_validate({"data_dir": str(tmp_path), "storage": {"sqlite": {"path": str(db)}},
                                     "sources": [{"name": "bh", "family": "board", "base_url": srv.base("board"),
                                                  "delay": DELAY, "lookback_hours": 96,
                                                  "options": {"fid": 539, "preset": "board_html", "store_batch": 2}}]})
        total = len(srv.sim.world.visible("board", NOW))
        proc = start_crawl(cfg, "bh", lease=LEASE)
        store = SQLiteStore(db)
        first_until, renewals, refused = None, set(), False
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and proc.poll() is None:
                state = store.get_source_state("bh") if db.exists() else None
                if state is not None and state.lease_until is not None:
                    first_until = first_until or state.lease_until
                    renewals.add(state.lease_until)
                    if utcnow() > first_until + timedelta(milliseconds=300):  # the first lease has run out
                        refused = StateStore(store, "bh", LEASE).acquire(utcnow()) is None
                        break
                time.sleep(0.05)
            assert refused and len(renewals) >= 2 and proc.poll() is None  # renewed: no second daemon gets in
            taken = store.get_source_state("bh")  # now another daemon takes the lease over (as if it ran out)
            store.save_source_state(taken.model_copy(update={"lease_owner": OTHER,
                                                             "lease_until": utcnow() + timedelta(hours=2)}))
            out, _ = proc.communicate(timeout=90)
        finally:
            store.close()
    line = next(x for x in out.decode().splitlines() if x.startswith(REPORT_PREFIX))
    report = CrawlReport(**json.loads(line[len(REPORT_PREFIX):]))
    assert report.status == "lost_lease" and OTHER in report.error
    assert 0 < report.scraped < total  # stopped early
    assert report.stored == report.scraped == len(stored_ids(db))  # every fetched post kept, none lost
    assert Spool(tmp_path, "bh").pending() == 0
    after = SQLiteStore(db)
    try:
        state = after.get_source_state("bh")
        assert state.lease_owner == OTHER and state.backoff_until is None and state.consecutive_errors == 0
        assert "watermark" not in state.cursor  # the new owner's crawl fetches the window again
    finally:
        after.close()
