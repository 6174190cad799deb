"""Helpers shared by the alerts tests: a settable clock, complaint posts, a planted spike."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from core import Config, PlaceRef, Post


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


#: Thursday 2026-11-26 10:00 Asia/Shanghai (a working day, outside quiet hours)
T0 = datetime(2026, 11, 26, 2, tzinfo=UTC)
PLACE_NAMES = {"dc-rd-changzhong": "场中路", "dc-rd-hutai": "沪太路", "dachang": "大场镇"}


def complaint(n: int, at: datetime, *, place: str = "dc-rd-changzhong", topic: str = "sanitation",
              source: str = "portal:sqt", cluster: str | None = None, **kw: Any) -> Post:
    """A complaint post about a place."""
    return Post.new(
        source, f"{place}-{topic}-{n}", text=f"{PLACE_NAMES.get(place, place)}垃圾堆了好几天没人清理 #{n}",
        title=f"投诉{n}", url=f"http://127.0.0.1/post/{n}", published_at=at, is_complaint=True, topic=topic,
        places=[PlaceRef(id=place, name=PLACE_NAMES.get(place, place))], cluster_id=cluster, **kw,
    )


def background(now: datetime, days: int = 30, *, place: str = "dc-rd-changzhong", per_week: int = 1) -> list[Post]:
    """A quiet history: ``per_week`` complaints a week before ``now``."""
    out = []
    for d in range(days, 0, -1):
        if d % max(1, 7 // per_week) == 0:
            out.append(complaint(1000 + d, now - timedelta(days=d, hours=3), place=place))
    return out


def planted_spike(now: datetime, n: int = 8, *, place: str = "dc-rd-changzhong", topic: str = "sanitation",
                  start: int = 0) -> list[Post]:
    """``n`` distinct complaints in the last few hours, plus a repost of each (same near-duplicate cluster)."""
    posts = []
    for i in range(start, start + n):
        at = now - timedelta(minutes=20 * (i - start) + 5)
        posts.append(complaint(i, at, place=place, topic=topic, cluster=f"cl-{place}-{i}"))
        posts.append(complaint(i, at + timedelta(minutes=1), place=place, topic=topic, source="weibo",
                               cluster=f"cl-{place}-{i}"))
    return posts


def config(tmp_path: Any, **alerts: Any) -> Config:
    """A config whose data lives under tmp_path."""
    return Config.model_validate({"data_dir": str(tmp_path / "var"), "alerts": alerts})


# ---- real local receivers ---------------------------------------------------


class Receiver:
    """A real HTTP server on 127.0.0.1 whose behaviour is a function ``(receiver, path, query, headers, body)``."""

    def __init__(self, respond) -> None:
        self.respond = respond
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                with outer.lock:
                    outer.requests.append({"path": parts.path, "query": query, "headers": dict(self.headers),
                                           "body": body})
                    status, answer = outer.respond(outer, parts.path, query, self.headers, body)
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


class Tracker:
    """A case tracker that honours the webhook contract: checks the signature, makes one ticket per
    idempotency key, and can be told to fail (``fail``) or to crash after committing (``crash``)."""

    def __init__(self, secret: str, script: list[str]) -> None:
        self.secret = secret.encode()
        self.script = list(script)
        self.tickets: dict[str, str] = {}
        self.rejected = 0

    def __call__(self, rx: Receiver, path: str, query: dict, headers: Any, body: bytes) -> tuple[int, Any]:
        from alerts.channels.webhook import verify

        if not verify(self.secret, headers.get("X-Yuqing-Timestamp", ""), body, headers.get("X-Yuqing-Signature", "")):
            self.rejected += 1
            return 401, {"error": "bad signature"}
        mode = self.script.pop(0) if self.script else "ok"
        if mode == "fail":
            return 503, {"error": "maintenance"}
        key = headers["Idempotency-Key"]
        doc = json.loads(body)
        if doc["event"] in ("opened", "reopened") and key not in self.tickets:
            self.tickets[key] = f"GRID-{len(self.tickets) + 1:04d}"
        ref = self.tickets.get(key) or doc.get("external_ref") or "GRID-?"
        if mode == "crash":
            return 500, {"error": "crashed after commit"}
        return 200, {"ref": ref}


def wecom_robot(key: str):
    """WeCom's robot API: ``?key=`` must match, markdown content required, ``errcode`` 0."""

    def respond(rx: Receiver, path: str, query: dict, headers: Any, body: bytes) -> tuple[int, Any]:
        if path != "/cgi-bin/webhook/send" or query.get("key") != key:
            return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
        doc = json.loads(body)
        if doc.get("msgtype") not in ("markdown", "text"):
            return 200, {"errcode": 40008, "errmsg": "invalid message type"}
        return 200, {"errcode": 0, "errmsg": "ok"}

    return respond


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_server() -> Iterator[tuple[int, list[Any]]]:
    """A real aiosmtpd server on 127.0.0.1; yields (port, received envelopes)."""
    from aiosmtpd.controller import Controller

    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(envelope)
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


def at_once(calls: list[Any]) -> list[Any]:
    """Run the calls in threads at once; their results in order, or the first error raised in any of them."""
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            results[i] = calls[i]()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results
