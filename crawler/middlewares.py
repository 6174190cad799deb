"""Downloader middlewares: a gate (stopped crawls, gone URLs), accounts and proxies (cookies from the
environment, rotated; never logged), and the classifier that turns each response into an outcome and acts
on it: retry on another account, back off the whole source, mark gone, or give up after a few retries."""

from __future__ import annotations

import itertools
import logging
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from core import SHANGHAI, utcnow
from crawler.classify import Outcome, classify
from crawler.component import Component
from crawler.state import backoff_delay

log = logging.getLogger(__name__)
MAX_RETRIES = 2


def site_now(response: Response) -> datetime:
    """The site's clock from the ``Date`` header (anchors relative dates), else ours."""
    raw = response.headers.get(b"Date")
    if raw:
        try:
            return parsedate_to_datetime(raw.decode("latin-1")).astimezone(SHANGHAI)
        except (TypeError, ValueError):
            pass
    return utcnow().astimezone(SHANGHAI)


class GateMiddleware(Component):
    """Drop requests once the crawl has hit a wall, and requests for URLs known to be gone."""

    def process_request(self, request: Request) -> None:
        ctx = self.ctx
        if ctx.stopped:
            ctx.tracker.lost += 1
            self.stats.inc_value("yuqing/requests_dropped_after_stop")
            raise IgnoreRequest(f"source stopped: {ctx.stopped}")
        key = request.meta.get("gone_key")
        if key and key in ctx.gone:
            self.stats.inc_value("yuqing/requests_skipped_gone")
            raise IgnoreRequest("known gone")


class AccountMiddleware(Component):
    """Attach the next account's cookie (``Cookie`` header) and the next proxy; the cookie never reaches
    a log line (only the account name does)."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self._proxies: Any = None

    def process_request(self, request: Request) -> None:
        ctx = self.ctx
        if ctx.accounts.accounts and "account" not in request.meta:
            account = ctx.accounts.next()
            if account is not None and account.cookie:
                request.headers[b"Cookie"] = account.cookie.encode()
                request.meta["account"] = account.name
        if ctx.source.proxies and "proxy" not in request.meta:
            if self._proxies is None:
                self._proxies = itertools.cycle(ctx.source.proxies)
            request.meta["proxy"] = next(self._proxies)


class ClassifyMiddleware(Component):
    """Classify every response (ok / empty / login / throttled / captcha / gone / broken) and act on it."""

    def process_response(self, request: Request, response: Response) -> Response | Request:
        ctx = self.ctx
        if request.meta.get("skip_classify") or response.url.endswith("/robots.txt"):
            return response
        if 300 <= response.status < 400 and b"Location" in response.headers:
            return response  # a redirect: the redirect middleware follows it; its target gets classified
        outcome, reason = classify(ctx.family, response.status, response.body)
        self.stats.inc_value(f"yuqing/response/{outcome.value}")
        ctx.tracker.record(outcome, reason)
        if outcome in (Outcome.OK, Outcome.EMPTY):
            account = request.meta.get("account")
            if account and account not in ctx.tracker.accounts:
                ctx.tracker.accounts[account] = {"status": "ok"}
            return response
        if outcome is Outcome.GONE:
            key = request.meta.get("gone_key")
            if key is None:  # a list or API page answering 404 is broken, not a deleted post (and its URL,
                ctx.tracker.lost += 1  # possibly with a token in it, is never stored)
                ctx.tracker.errors.append(f"broken: {reason} on a list page")
                raise IgnoreRequest(f"list page gone: {reason}")
            ctx.gone.add(key)
            ctx.tracker.gone.append(key)
            raise IgnoreRequest(f"gone: {reason}")
        if outcome is Outcome.LOGIN and ctx.family in ("forum", "board") and (
                not request.meta.get("account") or reason == "no permission"):
            # one private board or page (or one this account may not read — the cookie is still good):
            # surfaced, the rest goes on
            ctx.tracker.walls.append(request.url)
            self.stats.inc_value("yuqing/login_walls")
            raise IgnoreRequest(f"login wall: {reason}")
        if outcome in (Outcome.LOGIN, Outcome.CAPTCHA):
            account = request.meta.get("account")
            if account:
                acc = next((a for a in ctx.accounts.accounts if a.name == account), None)
                ctx.accounts.invalidate(account)
                now = utcnow()
                entry = {"status": "invalid" if outcome is Outcome.LOGIN else "captcha", "reason": reason,
                         "fingerprint": acc.tag if acc else None, "at": now.isoformat()}
                if outcome is Outcome.CAPTCHA:  # per-account backoff: this cookie rests, others go on
                    errors = (acc.errors if acc else 0) + 1
                    delay = backoff_delay(errors, ctx.source.backoff_base, ctx.source.backoff_ceiling)
                    entry.update(errors=errors, backoff_until=(now + timedelta(seconds=delay)).isoformat())
                ctx.tracker.accounts[account] = entry
                log.warning("source %s: account %s %s (%s)", ctx.source.name, account, outcome.value, reason)
                if ctx.accounts.any_valid:
                    meta = {k: v for k, v in request.meta.items() if k != "account"}
                    return request.replace(meta=meta, dont_filter=True)
            return self._stop(outcome, reason)
        if outcome is Outcome.THROTTLED:
            return self._stop(outcome, reason)
        tries = request.meta.get("yuqing_retries", 0)
        if tries < MAX_RETRIES:
            self.stats.inc_value("yuqing/retries")
            return request.replace(meta={**request.meta, "yuqing_retries": tries + 1}, dont_filter=True)
        ctx.tracker.lost += 1
        raise IgnoreRequest(f"broken after {tries} retries: {reason}")

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if isinstance(exception, IgnoreRequest):
            return None
        ctx = self.ctx
        ctx.tracker.record(Outcome.BROKEN, type(exception).__name__)
        self.stats.inc_value("yuqing/response/broken")
        tries = request.meta.get("yuqing_retries", 0)
        if tries < MAX_RETRIES:
            return request.replace(meta={**request.meta, "yuqing_retries": tries + 1}, dont_filter=True)
        ctx.tracker.lost += 1
        return None

    def _stop(self, outcome: Outcome, reason: str) -> Response:
        ctx = self.ctx
        ctx.tracker.block(outcome, reason)
        ctx.tracker.lost += 1
        ctx.stopped = f"{outcome.value}: {reason}"
        log.warning("source %s stopped: %s", ctx.source.name, ctx.stopped)
        raise IgnoreRequest(ctx.stopped)
