"""What one crawl of one source shares between its spider, middlewares, pipelines and the state commit."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from core.config import Config, SourceConfig
from crawler.spool import Spool
from crawler.state import Tracker


def fingerprint(secret: str) -> str:
    """A short, non-reversible tag of a cookie (to tell a replaced cookie from the one that failed)."""
    return hashlib.sha256(secret.encode()).hexdigest()[:8]


@dataclass
class Account:
    """One login (cookie) of a source; the secret is never logged or stored."""

    name: str
    cookie: str | None = field(repr=False, default=None)
    valid: bool = True
    errors: int = 0  # consecutive captcha walls (per-account backoff)

    @property
    def tag(self) -> str | None:
        """The cookie's fingerprint."""
        return fingerprint(self.cookie) if self.cookie else None


class AccountRing:
    """Round-robin over the source's accounts; an account that hit a login wall is skipped."""

    def __init__(self, accounts: list[Account]) -> None:
        self.accounts = accounts
        self._i = 0

    def next(self) -> Account | None:
        """The next usable account (None if the source has none configured or all are invalid)."""
        usable = [a for a in self.accounts if a.valid]
        if not usable:
            return None
        self._i = (self._i + 1) % len(usable)
        return usable[self._i]

    def invalidate(self, name: str) -> None:
        """Mark an account's cookie as invalid for the rest of this crawl."""
        for a in self.accounts:
            if a.name == name:
                a.valid = False

    @property
    def any_valid(self) -> bool:
        """Whether some account is still usable."""
        return any(a.valid for a in self.accounts)


def load_accounts(source: SourceConfig, stored: dict[str, Any], environ: Any = None,
                  now: datetime | None = None) -> AccountRing:
    """Accounts from the config (``cookie_env`` and ``accounts``). One still marked invalid in the stored
    state with the same cookie fingerprint is skipped until the operator replaces the cookie; one that hit
    a captcha is skipped until its own backoff ends."""
    now = now or datetime.now(UTC)
    accounts = []
    for name, env in source.account_envs():
        secret = (environ if environ is not None else os.environ).get(env) or None
        acc = Account(name, secret)
        seen = stored.get(name) or {}
        same = seen.get("fingerprint") == acc.tag
        if seen.get("status") == "invalid" and same:
            acc.valid = False
        if seen.get("status") == "captcha" and same:
            acc.errors = int(seen.get("errors", 1))
            until = seen.get("backoff_until")
            if until and datetime.fromisoformat(until) > now:
                acc.valid = False
        accounts.append(acc)
    return AccountRing(accounts)


@dataclass
class CrawlContext:
    """The shared state of one crawl."""

    config: Config
    source: SourceConfig
    family: str  # classifier/parser family: weibo, wechat, forum, board, portal
    tracker: Tracker
    spool: Spool
    store: Any = None  # storage.Store, or None when it could not be opened
    watermark: datetime | None = None
    gone: set[str] = field(default_factory=set)
    accounts: AccountRing = field(default_factory=lambda: AccountRing([]))
    near_index: Any = None
    stopped: str | None = None  # why the crawl stops early (a wall); further requests are dropped

    def cutoff(self, site_now: datetime) -> datetime:
        """Oldest publish time worth fetching: the watermark minus the revisit window, else the lookback."""
        if self.watermark is not None:
            return self.watermark - timedelta(hours=self.source.revisit_hours)
        return site_now - timedelta(hours=self.source.lookback_hours)
