"""The crawled sources: one section per site, with its family, pacing and logins."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, SecretStr

from core.config.section import _Section


class SourceConfig(_Section):
    """One crawled source: a family (weibo, wechat, portal, forum, board) and where it lives."""

    name: str = Field(description="unique short name, e.g. weibo-search")
    family: Literal["weibo", "wechat", "portal", "forum", "board"] = Field(
        description="source family: weibo, wechat, portal, forum, board")
    base_url: str = Field(description="the site's root or API host (real site, simulator or replay)")
    enabled: bool = True
    interval: float = Field(900.0, gt=0, description="seconds between crawls")
    jitter: float = Field(0.1, ge=0, le=1, description="random fraction added to the interval")
    cookie_env: str | None = Field(None, description="name of the environment variable holding the cookie")
    accounts: list[dict[str, str]] = Field(
        default_factory=list, description="more logins, rotated: [{name, cookie_env}] (cookies from the environment)")
    proxies: list[str] = Field(default_factory=list, description="proxy URLs, rotated per request")
    delay: float | None = Field(None, ge=0, description="seconds between requests (default per family: "
                                "weibo 3, wechat 10, forum 2, board 2, portal 1)")
    concurrency: int = Field(1, ge=1, le=2, description="concurrent requests per domain (1–2)")
    obey_robots: bool | None = Field(None, description="obey robots.txt (default: yes for forums and boards)")
    user_agent: str | None = Field(None, description="User-Agent header (default: a desktop browser)")
    revisit_hours: float = Field(6.0, ge=0, description="re-fetch this much before the watermark (counts, status)")
    lookback_hours: float = Field(168.0, gt=0, description="how far back the first crawl goes")
    backoff_base: float = Field(900.0, gt=0, description="first backoff after a failure, seconds (doubles)")
    backoff_ceiling: float = Field(10800.0, gt=0, description="longest backoff, seconds")
    options: dict[str, Any] = Field(default_factory=dict, description="family-specific options")

    def cookie(self, environ: Mapping[str, str] | None = None) -> SecretStr | None:
        """The source's cookie, read from the environment variable named by ``cookie_env``."""
        if not self.cookie_env:
            return None
        value = (environ if environ is not None else os.environ).get(self.cookie_env)
        return SecretStr(value) if value else None

    def account_envs(self) -> list[tuple[str, str]]:
        """(account name, environment variable) of every configured login, ``cookie_env`` first."""
        out = [("default", self.cookie_env)] if self.cookie_env else []
        out += [(a.get("name") or a["cookie_env"], a["cookie_env"]) for a in self.accounts if a.get("cookie_env")]
        return out

    @property
    def request_delay(self) -> float:
        """Seconds between requests: the configured delay, else the family's polite default."""
        if self.delay is not None:
            return self.delay
        return {"weibo": 3.0, "wechat": 10.0, "forum": 2.0, "board": 2.0}.get(self.family, 1.0)

    @property
    def robots(self) -> bool:
        """Whether robots.txt is obeyed."""
        return self.obey_robots if self.obey_robots is not None else self.family in ("forum", "board")
