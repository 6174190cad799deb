"""Downloader middlewares: a gate (stopped crawls, gone URLs), accounts and proxies (cookies from the
environment, rotated; never logged), strict decompression (Scrapy's, within ``DOWNLOAD_MAXSIZE`` of decoded
bytes, and a truncated stream is not a page), and the classifier that turns each decoded response into an
outcome and acts on it: retry on another account, back off the whole source, mark gone, or give up after a
few retries. A response refused for its size is one log line and one count; the other URLs go on."""

from __future__ import annotations

import itertools
import logging
import zlib
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from io import BytesIO
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from scrapy.utils._compression import _check_max_size, _DecompressionMaxSizeExceeded
from twisted.internet.defer import CancelledError

from core import SHANGHAI, utcnow
from crawler.classify import Outcome, classify
from crawler.component import Component
from crawler.logformat import mask_url
from crawler.state import backoff_delay

log = logging.getLogger(__name__)
MAX_RETRIES = 2
CHUNK = 65536
#: A response flag set by :class:`DecodeMiddleware` when the body could not be decoded (then empty).
UNDECODABLE = "undecodable"


class Undecodable(ValueError):
    """A compressed body that ends early or is not what its ``Content-Encoding`` says."""


def inflate(data: bytes, wbits: int, max_size: int = 0) -> bytes:
    """gzip (``wbits`` 31), zlib (15) or raw deflate (-15), chunk by chunk within ``max_size`` decoded bytes;
    concatenated gzip members are read in turn; a stream that ends early raises :class:`Undecodable`."""
    out, size = BytesIO(), 0
    while True:
        d = zlib.decompressobj(wbits)
        try:
            chunk = d.decompress(data, CHUNK)
            while True:
                size += len(chunk)
                _check_max_size(size, max_size)
                out.write(chunk)
                if d.eof or not d.unconsumed_tail:
                    break
                chunk = d.decompress(d.unconsumed_tail, CHUNK)
        except zlib.error as exc:
            raise Undecodable(f"invalid {'gzip' if wbits > 15 else 'deflate'} stream ({exc})") from None
        if not d.eof:
            raise Undecodable(f"truncated {'gzip' if wbits > 15 else 'deflate'} stream after {size} bytes")
        data = d.unused_data
        if wbits <= 15 or not data.strip(b"\0"):
            return out.getvalue()


def _decode_strict(body: bytes, encoding: bytes, max_size: int) -> bytes:
    if encoding in (b"gzip", b"x-gzip"):
        return inflate(body, 31, max_size)
    if encoding == b"deflate":  # zlib-wrapped as the RFC says, or raw deflate as some servers send it
        return inflate(body, 15 if body[:1] and (body[0] & 0x0F) == 8 and int.from_bytes(body[:2]) % 31 == 0
                       else -15, max_size)
    try:
        return HttpCompressionMiddleware._decode(body, encoding, max_size)
    except _DecompressionMaxSizeExceeded:
        raise
    except Exception as exc:  # brotli.error, zstd errors: the body is not what the header says
        raise Undecodable(f"invalid {encoding.decode()} stream ({type(exc).__name__})") from None


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
        if ctx is None:
            return
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
        if ctx is None:
            return
        if ctx.accounts.accounts and "account" not in request.meta:
            account = ctx.accounts.next()
            if account is not None and account.cookie:
                request.headers[b"Cookie"] = account.cookie.encode()
                request.meta["account"] = account.name
        if ctx.source.proxies and "proxy" not in request.meta:
            if self._proxies is None:
                self._proxies = itertools.cycle(ctx.source.proxies)
            request.meta["proxy"] = next(self._proxies)


class DecodeMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression (gzip, deflate, br, zstd per ``Content-Encoding``), strict: a body that inflates
    past ``DOWNLOAD_MAXSIZE`` (a decompression bomb) is refused with one warning line, and a truncated or
    invalid stream becomes an empty response flagged ``undecodable: …`` that the classifier treats as broken
    (retried a little) — never a half page read as if whole."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> DecodeMiddleware:
        """Scrapy's factory (keeps the crawler: refusals are counted on the crawl's tracker)."""
        mw = super().from_crawler(crawler)
        mw._crawler = crawler
        return mw

    _decode = staticmethod(_decode_strict)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest:  # over DOWNLOAD_MAXSIZE once decoded: Scrapy logged one line already
            self._refused(request, "body larger than DOWNLOAD_MAXSIZE once decompressed")
            raise
        except Undecodable as exc:
            self.stats.inc_value("yuqing/undecodable")
            log.warning("undecodable response %s: %s", response, exc)
            return response.replace(body=b"", flags=[*response.flags, f"{UNDECODABLE}: {exc}"])

    def _refused(self, request: Request, reason: str) -> None:
        self.stats.inc_value("yuqing/refused/too_large")
        ctx = getattr(getattr(self._crawler, "spider", None), "ctx", None)
        if ctx is not None:
            refuse(ctx, reason)


def refuse(ctx: Any, reason: str) -> None:
    """A response refused for its size: not fetched again in this crawl (it would be as large again), the
    other URLs go on; its content was not seen, so the crawl is incomplete (the window is read again later)."""
    ctx.tracker.record(Outcome.BROKEN, f"refused: {reason}")
    ctx.tracker.counters["refused"] += 1
    ctx.tracker.lost += 1


class ClassifyMiddleware(Component):
    """Classify every response (ok / empty / login / throttled / captcha / gone / broken) and act on it."""

    def process_response(self, request: Request, response: Response) -> Response | Request:
        ctx = self.ctx
        if ctx is None or request.meta.get("skip_classify") or response.url.endswith("/robots.txt"):
            return response
        if 300 <= response.status < 400 and b"Location" in response.headers:
            return response  # a redirect: the redirect middleware follows it; its target gets classified
        bad = next((f for f in response.flags if f.startswith(UNDECODABLE) or f == "dataloss"), None)
        outcome, reason = (Outcome.BROKEN, bad) if bad else classify(ctx.family, response.status, response.body)
        self.stats.inc_value(f"yuqing/response/{outcome.value}")
        ctx.tracker.record(outcome, reason)
        if outcome in (Outcome.OK, Outcome.EMPTY):
            account = request.meta.get("account")
            if account and account not in ctx.tracker.accounts:
                ctx.tracker.accounts[account] = {"status": "ok"}
            return response
        if outcome is Outcome.GONE:
            key = request.meta.get("gone_key")
            if key is None and request.meta.get("list_page", 1) > 1:  # a later page of a list that ended
                ctx.tracker.counters["url_errors"] += 1  # early: one per-URL error, the pages before were read
                ctx.tracker.partial = True  # … but not the ones after it: no backoff, and no watermark move
                ctx.tracker.errors.append(f"{reason} on list page {request.meta['list_page']}")
                raise IgnoreRequest(f"list page gone: {reason}")
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
        ctx = self.ctx
        if ctx is None or isinstance(exception, IgnoreRequest):
            return None
        if isinstance(exception, DownloadCancelledError | CancelledError):  # over DOWNLOAD_MAXSIZE on the wire
            self.stats.inc_value("yuqing/refused/too_large")  # (Scrapy logged the line): not fetched again
            refuse(ctx, "body larger than DOWNLOAD_MAXSIZE")
            raise IgnoreRequest("body larger than DOWNLOAD_MAXSIZE")
        ctx.tracker.record(Outcome.BROKEN, type(exception).__name__)
        self.stats.inc_value("yuqing/response/broken")
        tries = request.meta.get("yuqing_retries", 0)
        if tries < MAX_RETRIES:
            return request.replace(meta={**request.meta, "yuqing_retries": tries + 1}, dont_filter=True)
        ctx.tracker.lost += 1
        log.warning("source %s: gave up on %s after %d tries: %s", ctx.source.name, mask_url(request.url),
                    tries + 1, str(exception).splitlines()[0][:200] if str(exception) else type(exception).__name__)
        raise IgnoreRequest(f"download failed: {type(exception).__name__}")  # one line, not Scrapy's traceback

    def _stop(self, outcome: Outcome, reason: str) -> Response:
        ctx = self.ctx
        ctx.tracker.block(outcome, reason)
        ctx.tracker.lost += 1
        ctx.stopped = f"{outcome.value}: {reason}"
        log.warning("source %s stopped: %s", ctx.source.name, ctx.stopped)
        raise IgnoreRequest(ctx.stopped)
