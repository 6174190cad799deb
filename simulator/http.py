"""Request and response values shared by the family modules (kept free of any server machinery)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit


@dataclass(frozen=True)
class Request:
    """An HTTP request as the family modules see it; ``path`` excludes the family prefix."""

    method: str
    path: str
    query: dict[str, str]
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    base: str = ""  # the family's absolute root as the client addressed it, e.g. http://127.0.0.1:8001/wechat

    @classmethod
    def from_target(cls, method: str, target: str, body: bytes = b"", headers: dict[str, str] | None = None,
                    base: str = "") -> Request:
        """Split a request target (path and query string)."""
        parts = urlsplit(target)
        return cls(method, unquote(parts.path) or "/", dict(parse_qsl(parts.query, keep_blank_values=True)), body,
                   {k.lower(): v for k, v in (headers or {}).items()}, base)

    def form(self) -> dict[str, str]:
        """The urlencoded form body."""
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    def json(self) -> Any:
        """The JSON body (None if it is not JSON)."""
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None


@dataclass(frozen=True)
class Response:
    """What the server sends back."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    transport: str | None = None  # a hostile transport fault (``simulator.transport.HOSTILE``)


def json_response(data: Any, status: int = 200) -> Response:
    """A JSON response (UTF-8, non-ASCII kept as is, like the real APIs)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, "application/json; charset=utf-8")


def html_response(text: str, status: int = 200, charset: str = "utf-8", declared: str | None = None) -> Response:
    """An HTML response encoded in ``charset`` and labelled as ``declared`` (default: the same)."""
    body = text.encode(charset, "xmlcharrefreplace")
    return Response(status, body, f"text/html; charset={declared or charset}")


NOT_FOUND = Response(404, b"<html><body><h1>404 Not Found</h1></body></html>")
