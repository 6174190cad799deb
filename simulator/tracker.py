"""A local stand-in for the case tracker (a grid platform / 12345-style system) that receives yuqing's webhooks.

It keeps the receiver contract of docs/alerts.md: the HMAC-SHA256 signature over ``timestamp + "." + body``
is verified, stale timestamps are refused, the idempotency key is stored with the ticket in one step, and
a key seen before gets the ticket already made — so retries never make a second ticket. Freshness is
checked against the wall clock, as a real tracker does (a scenario clock would refuse real signatures).
Used by `yuqing demo` and by the end-to-end tests; ``fail_next`` makes it answer 503 a number of times
first, ``stale_next`` refuses a number of requests with ``401 stale timestamp`` (a receiver whose clock jumped).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Ticket:
    """One ticket the tracker made."""

    ref: str
    key: str
    case_id: str
    title: str
    department: str | None
    events: list[str] = field(default_factory=list)


class TrackerStandIn:
    """An HTTP server on 127.0.0.1 with ``POST /tickets`` and ``GET /tickets``."""

    def __init__(self, secret: str | None, *, port: int = 0, max_skew_s: float = 300.0,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.secret = secret
        self.clock = clock  # accepted for older callers; freshness is always checked against the wall clock
        self.max_skew_s = max_skew_s
        self.tickets: dict[str, Ticket] = {}  # by case id
        self.keys: dict[str, str] = {}  # idempotency key → ticket ref
        self.requests = 0
        self.fail_next = 0
        self.stale_next = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Where to POST webhooks."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/tickets"

    def start(self) -> TrackerStandIn:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self._server.serve_forever, name="tracker", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()

    def receive(self, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        """Handle one webhook; (HTTP status, JSON answer)."""
        with self._lock:
            self.requests += 1
            if self.fail_next > 0:
                self.fail_next -= 1
                return 503, {"error": "temporarily unavailable"}
            if self.secret is not None:
                ts = headers.get("x-yuqing-timestamp", "")
                sig = headers.get("x-yuqing-signature", "")
                want = "sha256=" + hmac.new(self.secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
                if not hmac.compare_digest(sig, want):
                    return 401, {"error": "bad signature"}
                now = time.time()  # like a real tracker: its own clock, whatever the sender's scenario time
                if not ts.isdigit() or abs(now - int(ts)) > self.max_skew_s or self.stale_next > 0:
                    self.stale_next = max(0, self.stale_next - 1)
                    return 401, {"error": "stale timestamp"}
            key = headers.get("idempotency-key", "")
            try:
                data = json.loads(body)
            except json.JSONDecodeError:
                return 400, {"error": "not JSON"}
            if not key or not isinstance(data, dict) or not isinstance(data.get("case"), dict):
                return 400, {"error": "missing idempotency key or case"}
            if key in self.keys:
                return 200, {"ref": self.keys[key], "duplicate": True}
            case = data["case"]
            ticket = self.tickets.get(case.get("id", ""))
            if ticket is None:
                ticket = Ticket(ref=f"WG-{len(self.tickets) + 1:05d}", key=key, case_id=case.get("id", ""),
                                title=case.get("title", ""), department=case.get("department"))
                self.tickets[ticket.case_id] = ticket
            ticket.events.append(str(data.get("event")))
            self.keys[key] = ticket.ref
            return 201, {"ref": ticket.ref}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        tracker = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, data: Any) -> None:
                body = json.dumps(data, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.split("?")[0] != "/tickets":
                    self._answer(404, {"error": "not found"})
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                self._answer(*tracker.receive(headers, body))

            def do_GET(self) -> None:
                with tracker._lock:
                    tickets = [vars(t) for t in tracker.tickets.values()]
                self._answer(200, {"tickets": tickets, "requests": tracker.requests})

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
