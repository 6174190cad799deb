"""Turning Elasticsearch client errors into the one-line errors the rest of the system understands."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from elasticsearch import ApiError, TransportError

from core import Conflict, NotFound, StoreError, StoreUnavailable

F = TypeVar("F", bound=Callable[..., Any])


def translate_errors(method: F) -> F:
    """Turn transport failures into one-line :class:`StoreUnavailable` errors naming the URL."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (Conflict, NotFound, StoreError):
            raise
        except TransportError as exc:
            raise StoreUnavailable(f"Elasticsearch at {self.url} is unreachable: {exc.message}") from None
        except ApiError as exc:
            raise StoreError(f"Elasticsearch at {self.url} refused {method.__name__}: {_reason(exc)}") from None

    return wrapper  # type: ignore[return-value]


def _reason(exc: ApiError) -> str:
    """The root cause Elasticsearch gave, in one line."""
    body = exc.body if isinstance(exc.body, dict) else {}
    err = body.get("error")
    if isinstance(err, dict):
        while isinstance(err.get("caused_by"), dict):
            err = err["caused_by"]
        return f"{err.get('type')}: {err.get('reason')}"
    return str(exc.message)
