"""Turning Elasticsearch client errors into the one-line errors the rest of the system understands."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from elasticsearch import ApiError, TransportError

from core import Conflict, NotFound, StoreError, StoreUnavailable

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def translated(url: str, operation: str) -> Iterator[None]:
    """Transport failures become :class:`StoreUnavailable` naming the URL; refusals a one-line StoreError."""
    try:
        yield
    except (Conflict, NotFound, StoreError):
        raise
    except TransportError as exc:
        raise StoreUnavailable(f"Elasticsearch at {url} is unreachable: {exc.message}") from None
    except ApiError as exc:
        raise StoreError(f"Elasticsearch at {url} refused {operation}: {_reason(exc)}") from None


def translate_errors(method: F) -> F:
    """Decorate a store method with :func:`translated`."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        with translated(self.url, method.__name__):
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def translate_iter_errors(method: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    """:func:`translate_errors` for generator methods: failures while iterating are translated too."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        with translated(self.url, method.__name__):
            yield from method(self, *args, **kwargs)

    return wrapper


def _reason(exc: ApiError) -> str:
    """The root cause Elasticsearch gave, in one line."""
    body = exc.body if isinstance(exc.body, dict) else {}
    err = body.get("error")
    if isinstance(err, dict):
        while isinstance(err.get("caused_by"), dict):
            err = err["caused_by"]
        return f"{err.get('type')}: {err.get('reason')}"
    return str(exc.message)


def shard_failure_line(resp: Any, url: str, operation: str) -> str | None:
    """One line saying that a search or aggregation was answered by only some shards, or None if all answered.

    Elasticsearch returns HTTP 200 with ``_shards.failed > 0`` when some shards fail (a tripped circuit
    breaker, a node gone, a red index): the hits and buckets are then silently short.
    """
    shards = resp.get("_shards") if hasattr(resp, "get") else None
    failed = (shards or {}).get("failed", 0)
    if not failed:
        return None
    total = shards.get("total", "?")
    reason = ""
    failures = shards.get("failures") or []
    if failures and isinstance(failures[0], dict):
        err = failures[0].get("reason") or {}
        while isinstance(err, dict) and isinstance(err.get("caused_by"), dict):
            err = err["caused_by"]
        reason = f": {err.get('type')}: {err.get('reason')}" if isinstance(err, dict) else f": {err}"
        index = failures[0].get("index")
        reason += f" (index {index})" if index else ""
    return f"Elasticsearch at {url}: {operation} answered by {total - failed if isinstance(total, int) else '?'} " \
           f"of {total} shards, {failed} failed{reason}"
