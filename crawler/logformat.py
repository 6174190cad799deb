"""Crawl log lines without secrets or item bodies.

- URLs in any log line — Scrapy's own (``Crawled (200) <GET …>``, redirects, offsite, robots.txt,
  download errors, tracebacks) and ours — lose their userinfo (``user:pass@``) and their query values
  (``?token=***&page=***``, keys kept): :class:`UrlMaskFilter`, installed on every root handler by
  :func:`install_url_masking` where the crawl child sets up logging.
- :class:`QuietDropFormatter` (Scrapy's ``LOG_FORMATTER``) writes the crawled, dropped and scraped lines
  with masked URLs and names a post by its id only. Scrapy's default logs every dropped item at WARNING
  with its full repr — noisy, and it would copy posters' names and texts into the logs. The drop is still
  counted in the stats (``yuqing/dropped/*``).
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from scrapy.http import Request, Response
from scrapy.logformatter import LogFormatter

MASK = "***"
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s<>\"'`]+")
_TRAILING = ").,;:]}"
#: query keys whose values are secrets (masked in stored errors, where other values stay readable)
SECRET_KEYS = frozenset({"token", "access_token", "key", "appkey", "app_key", "secret", "sign", "signature",
                         "pass_ticket", "ticket", "password", "passwd", "pwd", "auth", "session", "sid", "sessionid",
                         "code", "uin", "credential", "api_key", "apikey", "jwt", "cookie"})


def _mask_query(query: str, keys: frozenset[str] | None) -> str:
    if not query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    if not pairs:
        return MASK
    return "&".join(f"{k}={MASK if keys is None or k.lower() in keys else v}" for k, v in pairs)


def mask_url(url: str, keys: frozenset[str] | None = None) -> str:
    """The URL without userinfo and with its query values replaced by ``***`` (``keys``: only those keys').
    A URL that cannot be parsed comes back cut at its query."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return url.split("?", 1)[0].split("@")[-1] + ("?" + MASK if "?" in url else "")
    netloc = (f"[{host}]" if ":" in host else host) + port if parts.netloc else ""
    return urlunsplit((parts.scheme, netloc, parts.path, _mask_query(parts.query, keys), parts.fragment))


def mask_urls(text: str, keys: frozenset[str] | None = None) -> str:
    """Every URL in a text masked with :func:`mask_url`."""
    if "://" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        url = m.group(0)
        tail = ""
        while url and url[-1] in _TRAILING:
            url, tail = url[:-1], url[-1] + tail
        return mask_url(url, keys) + tail

    return _URL.sub(one, text)


class UrlMaskFilter(logging.Filter):
    """Rewrites each record's message (and traceback) with its URLs masked; never drops a record."""

    _fmt = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_urls_masked", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler's own error path
            return True
        masked = mask_urls(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._fmt.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_urls(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_urls(record.stack_info)
        record._urls_masked = True
        return True


def install_url_masking(logger: logging.Logger | None = None) -> None:
    """Put a :class:`UrlMaskFilter` on every handler of ``logger`` (default: the root logger), and on the
    last-resort handler; idempotent. Call it again after something installs new handlers."""
    target = logger or logging.getLogger()
    handlers = list(target.handlers) + ([logging.lastResort] if logging.lastResort else [])
    for handler in handlers:
        if not any(isinstance(f, UrlMaskFilter) for f in handler.filters):
            handler.addFilter(UrlMaskFilter())


def _masked(value: Any) -> Any:
    if isinstance(value, Request):
        return f"<{value.method} {mask_url(value.url)}>"
    if isinstance(value, Response):
        return f"<{value.status} {mask_url(value.url)}>"
    if isinstance(value, str):
        return mask_urls(value)
    return value


class QuietDropFormatter(LogFormatter):
    """Drops at INFO (post id and reason only), scraped items by id, every URL masked."""

    def crawled(self, request: Request, response: Response, spider: Any) -> dict[str, Any]:
        """``Crawled (200) <GET https://host/path?page=***>`` — query values and userinfo masked."""
        entry = super().crawled(request, response, spider)
        entry["args"] = {k: _masked(v) for k, v in entry["args"].items()}
        entry["args"]["request"] = _masked(request)
        return entry

    def scraped(self, item: Any, response: Any, spider: Any) -> dict[str, Any]:
        """The item by id only (its text and poster stay out of the logs)."""
        src = _masked(response) if isinstance(response, Response) else type(response).__name__
        return {"level": logging.DEBUG, "msg": "Scraped %(id)s from %(src)s",
                "args": {"id": getattr(item, "id", None) or "(no id)", "src": src}}

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> dict[str, Any]:
        """One short line per dropped item."""
        return {
            "level": logging.INFO,
            "msg": "Dropped %(id)s: %(exception)s",
            "args": {"id": getattr(item, "id", None) or "(no id)", "exception": mask_urls(str(exception))},
        }

    def item_error(self, item: Any, exception: BaseException, response: Any, spider: Any) -> dict[str, Any]:
        """A pipeline error, naming the item by id."""
        return {"level": logging.ERROR, "msg": "Error processing %(id)s",
                "args": {"id": getattr(item, "id", None) or "(no id)"}}

    def spider_error(self, failure: Any, request: Request, response: Any, spider: Any) -> dict[str, Any]:
        """A callback error, with a masked URL."""
        entry = super().spider_error(failure, request, response, spider)
        entry["args"] = {k: _masked(v) for k, v in entry["args"].items()}
        return entry

    def download_error(self, failure: Any, request: Request, spider: Any, errmsg: str | None = None) -> dict[str, Any]:
        """A download error, with a masked URL and message."""
        entry = super().download_error(failure, request, spider, errmsg)
        entry["args"] = {k: _masked(v) for k, v in entry["args"].items()}
        return entry
