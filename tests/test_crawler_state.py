"""Source state: backoff math, health per outcome, watermark only on complete crawls, CAS and the lease."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core import Conflict, SourceHealth, SourceState
from core.config import SourceConfig
from crawler.classify import Outcome
from crawler.context import AccountRing, load_accounts
from crawler.state import StateStore, Tracker, backoff_delay
from storage.sqlite import SQLiteStore

NOW = datetime(2026, 11, 4, 4, 0, tzinfo=UTC)
T1 = datetime(2026, 11, 4, 3, 0, tzinfo=UTC)


@pytest.fixture
def store(sqlite_path: Path):
    s = SQLiteStore(sqlite_path)
    s.init()
    yield s
    s.close()


def test_backoff_doubles_up_to_the_ceiling() -> None:
    assert [backoff_delay(n, 900, 10800) for n in range(1, 7)] == [900, 1800, 3600, 7200, 10800, 10800]


def test_complete_crawl_advances_watermark_and_clears_errors() -> None:
    t = Tracker("s")
    t.record(Outcome.OK, "ok")
    t.see(T1)
    state = t.apply(SourceState(name="s", consecutive_errors=2, backoff_until=NOW), NOW)
    assert state.health is SourceHealth.OK and state.consecutive_errors == 0 and state.backoff_until is None
    assert state.cursor["watermark"] == T1.isoformat() and state.last_success_at == NOW


@pytest.mark.parametrize(("outcome", "health"), [
    (Outcome.THROTTLED, SourceHealth.BACKING_OFF), (Outcome.CAPTCHA, SourceHealth.BLOCKED),
    (Outcome.LOGIN, SourceHealth.LOGIN_NEEDED),
])
def test_walls_set_health_backoff_and_keep_the_watermark(outcome: Outcome, health: SourceHealth) -> None:
    t = Tracker("s", base=60, ceiling=600)
    t.see(T1)
    t.block(outcome, "HTTP 418")
    before = SourceState(name="s", cursor={"watermark": "2026-11-01T00:00:00+00:00"}, consecutive_errors=1)
    state = t.apply(before, NOW)
    assert state.health is health and state.consecutive_errors == 2
    assert state.backoff_until == NOW + timedelta(seconds=120)
    assert state.cursor["watermark"] == "2026-11-01T00:00:00+00:00"  # nothing the failure skipped is "seen"
    assert outcome.value in state.last_error


def test_a_lost_request_makes_the_crawl_incomplete() -> None:
    t = Tracker("s")
    t.see(T1)
    t.lost = 1
    state = t.apply(SourceState(name="s"), NOW)
    assert state.health is SourceHealth.FAILING and "watermark" not in state.cursor


def test_a_missed_later_list_page_is_healthy_but_keeps_watermark_and_backlog() -> None:
    """Page 3 of a list answered 404: no backoff, but the posts on it and after it were never read, so the
    watermark must not move past them (the next crawl would stop before reaching them) nor the backlog clear."""
    from crawler.backlog import Backlog, Entry

    stored = {"fid:2": Entry(11, [(NOW - timedelta(hours=48), NOW - timedelta(hours=30))]).to_json()}
    before = SourceState(name="s", cursor={"watermark": "2026-11-01T00:00:00+00:00", "backlog": stored})
    t = Tracker("s", backlog=Backlog(stored))
    t.see(T1)
    t.partial = True
    state = t.apply(before, NOW)
    assert state.health is SourceHealth.OK and state.backoff_until is None
    assert state.cursor["watermark"] == "2026-11-01T00:00:00+00:00" and state.cursor["backlog"] == stored


def test_an_interrupted_crawl_keeps_watermark_and_backlog() -> None:
    from crawler.backlog import Backlog, Entry

    stored = {"fid:2": Entry(11, [(NOW - timedelta(hours=48), NOW - timedelta(hours=30))]).to_json()}
    t = Tracker("s", backlog=Backlog(stored))
    t.backlog.resume()  # the walk was queued, then SIGTERM dropped its requests unseen
    t.see(T1)
    t.interrupt("shutdown")
    state = t.apply(SourceState(name="s", cursor={"backlog": stored}), NOW)
    assert not t.complete and "watermark" not in state.cursor and state.cursor["backlog"] == stored
    assert state.health is SourceHealth.UNKNOWN and state.backoff_until is None  # our shutdown, not the source's fault
    t.lost = 1  # but a crawl that also lost pages to the source's failures backs off as before
    assert t.apply(SourceState(name="s"), NOW).health is SourceHealth.FAILING


def test_gone_keys_accumulate_without_repeats() -> None:
    t = Tracker("s", gone=["a", "b"])
    state = t.apply(SourceState(name="s", cursor={"gone": ["a"]}), NOW)
    assert state.cursor["gone"] == ["a", "b"]


def test_commit_merges_through_cas_conflicts(store: SQLiteStore) -> None:
    states = StateStore(store, "s")
    assert states.acquire(NOW) is not None
    other = store.get_source_state("s")
    store.save_source_state(other.model_copy(update={"counters": {"manual": 1}}))  # a concurrent writer
    t = Tracker("s")
    t.record(Outcome.OK, "")
    t.stored = 3
    saved = states.commit(t, NOW)
    assert saved.counters == {"manual": 1, "ok": 1} and saved.items_total == 3 and saved.lease_owner is None
    with pytest.raises(Conflict):
        store.save_source_state(other)  # a stale version is refused


def test_lease_blocks_a_live_owner_and_is_taken_from_a_dead_one(store: SQLiteStore) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    import socket
    state = StateStore(store, "s").load()
    store.save_source_state(state.model_copy(update={
        "lease_owner": f"{socket.gethostname()}:{dead.stdout.strip()}", "lease_until": NOW + timedelta(hours=1)}))
    assert StateStore(store, "s").acquire(NOW) is not None  # the killed crawl's lease is taken over
    live = StateStore(store, "s")
    live.owner = f"{socket.gethostname()}:1"  # pid 1 is alive
    current = store.get_source_state("s")
    store.save_source_state(current.model_copy(update={"lease_owner": live.owner}))
    assert StateStore(store, "s").acquire(NOW) is None


def test_invalid_cookie_is_remembered_until_replaced() -> None:
    src = SourceConfig(name="w", family="weibo", base_url="http://x", cookie_env="C1",
                       accounts=[{"name": "b", "cookie_env": "C2"}])
    env = {"C1": "SUB=one", "C2": "SUB=two"}
    ring = load_accounts(src, {}, env)
    assert [a.name for a in ring.accounts] == ["default", "b"] and ring.any_valid
    stored = {"default": {"status": "invalid", "fingerprint": ring.accounts[0].tag}}
    again = load_accounts(src, stored, env)
    assert [a.valid for a in again.accounts] == [False, True]
    replaced = load_accounts(src, stored, {**env, "C1": "SUB=new"})
    assert all(a.valid for a in replaced.accounts)
    assert "SUB=" not in repr(replaced.accounts[0])
    assert AccountRing([]).next() is None


def test_captcha_account_rests_until_its_own_backoff_ends() -> None:
    src = SourceConfig(name="w", family="weibo", base_url="http://x", cookie_env="C1",
                       accounts=[{"name": "b", "cookie_env": "C2"}])
    env = {"C1": "SUB=one", "C2": "SUB=two"}
    tag = load_accounts(src, {}, env).accounts[0].tag
    stored = {"default": {"status": "captcha", "fingerprint": tag, "errors": 2,
                          "backoff_until": (NOW + timedelta(minutes=30)).isoformat()}}
    resting = load_accounts(src, stored, env, now=NOW)
    assert [a.valid for a in resting.accounts] == [False, True] and resting.accounts[0].errors == 2
    rested = load_accounts(src, stored, env, now=NOW + timedelta(hours=1))
    assert all(a.valid for a in rested.accounts)
