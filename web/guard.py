"""What the console checks before any route runs: body size, the real client address, security headers.

Pure ASGI middleware (no body is buffered here), so a request that is too large is refused before the form
parser reads it into memory or the temp directory.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Sent with every response. Scripts and styles come only from this site; no inline script runs.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
TOO_LARGE = "请求内容过大，已拒绝"


class TrustedProxies:
    """The configured reverse proxies: only their ``X-Forwarded-For``/``-Proto`` headers are believed."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.networks = [ipaddress.ip_network(e, strict=False) for e in entries]

    def trusts(self, host: str | None) -> bool:
        if not host or not self.networks:
            return False
        try:
            addr = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(addr in n for n in self.networks)

    def client(self, peer: str | None, forwarded_for: str | None) -> str:
        """The client address: the peer, or — when the peer is a trusted proxy — the rightmost address of the
        ``X-Forwarded-For`` chain that is not itself a trusted proxy (entries further left are client-supplied)."""
        if not peer:
            return "?"
        if not forwarded_for or not self.trusts(peer):
            return peer
        hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
        for hop in reversed(hops):
            if not self.trusts(hop):
                try:
                    return str(ipaddress.ip_address(hop))
                except ValueError:
                    return peer  # a garbled header from a trusted proxy: count it against the proxy
        return hops[0] if hops else peer

    def is_https(self, scope: Scope, proto: str | None) -> bool:
        """Whether the browser talked HTTPS: directly, or to a trusted proxy that says so."""
        if scope.get("scheme") == "https":
            return True
        peer = (scope.get("client") or (None,))[0]
        return bool(proto) and self.trusts(peer) and proto.split(",")[0].strip().lower() == "https"


def header(scope: Scope, name: bytes) -> str | None:
    """One request header (latin-1 decoded), or None."""
    for k, v in scope.get("headers") or ():
        if k.lower() == name:
            return v.decode("latin-1")
    return None


_UPLOAD = re.compile(r"^/cases/[^/]+/(transition|note)$")


class GuardMiddleware:
    """Body-size limit (declared and streamed), client address and HTTPS detection, security headers.

    ``limit_for(path)`` gives the largest body accepted for a path. The client address is put in
    ``scope["state"]["client_address"]``; the headers are added to every response this app sends.
    """

    def __init__(self, app: ASGIApp, *, proxies: TrustedProxies, form_bytes: int, upload_bytes: int,
                 hsts_seconds: int, gate: Callable[[Scope], bool] | None = None,
                 session_header: Callable[[str], tuple[bytes, bytes]] | None = None) -> None:
        self.app = app
        self.proxies = proxies
        self.form_bytes = form_bytes
        self.upload_bytes = upload_bytes
        self.hsts_seconds = hsts_seconds
        self.gate = gate  # False: answer 401 before the app runs (``/metrics`` without login or token)
        self.session_header = session_header  # the Set-Cookie header for a refreshed session cookie

    def limit_for(self, path: str) -> int:
        return self.upload_bytes if _UPLOAD.match(path) else self.form_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        peer = (scope.get("client") or (None,))[0]
        state = scope.setdefault("state", {})
        state["client_address"] = self.proxies.client(peer, header(scope, b"x-forwarded-for"))
        https = self.proxies.is_https(scope, header(scope, b"x-forwarded-proto"))
        state["https"] = https
        path = scope.get("path", "")
        extra = dict(SECURITY_HEADERS)
        if https and self.hsts_seconds:
            extra["Strict-Transport-Security"] = f"max-age={self.hsts_seconds}"
        cache = "public, max-age=3600" if path.startswith("/static/") else "no-store"
        started = False

        async def send_with_headers(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {k.lower() for k, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                for k, v in (*extra.items(), ("Cache-Control", cache)):
                    if k.lower().encode() not in present:
                        headers.append((k.lower().encode(), v.encode()))
                refreshed = state.get("session_refresh")
                if refreshed and self.session_header is not None and b"set-cookie" not in present:
                    headers.append(self.session_header(refreshed))
                message = {**message, "headers": headers}
            await send(message)

        if self.gate is not None and not self.gate(scope):
            body = "需要登录或 web.metrics_token\n".encode()
            await send_with_headers({"type": "http.response.start", "status": 401, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"), (b"www-authenticate", b"Bearer"),
                (b"content-length", str(len(body)).encode())]})
            await send_with_headers({"type": "http.response.body", "body": body})
            return

        limit = self.limit_for(path)
        declared = header(scope, b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                too_big = True
            if too_big:
                await _refuse(send_with_headers)
                return
        received = 0

        async def counted() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    state["body_too_large"] = True
                    raise BodyTooLarge()
            return message

        try:
            await self.app(scope, counted, send_with_headers)
        except BodyTooLarge:
            if not started:
                await _refuse(send_with_headers)


class BodyTooLarge(Exception):
    """A streamed body went past the limit."""


async def _refuse(send: Send) -> None:
    body = _error_page(413, TOO_LARGE)
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"connection", b"close"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _error_page(status: int, message: str) -> bytes:
    """A minimal page for errors answered before any template runs."""
    from markupsafe import escape

    return (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>出错了</title>'
            f'<link rel="stylesheet" href="/static/console.css"><main class="error"><h1>{status}</h1>'
            f'<p>{escape(message)}</p><p><a href="/">返回首页</a></p></main></html>').encode()
