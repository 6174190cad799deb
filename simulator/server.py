"""The simulator process: one HTTP server on 127.0.0.1 serving every family under its own prefix
(``/weibo``, ``/wechat``, ``/forum``, ``/board``, ``/portal``), plus a small control API under ``/_sim``:

- ``GET /_sim/clock`` → ``{"now": iso}``; ``POST /_sim/clock`` with ``{"set": iso}`` or ``{"advance": seconds}``
- ``POST /_sim/faults`` with ``{"family": "weibo", "modes": ["418", "captcha"], "path": "getIndex"}``: the next
  matching requests fail that way, one mode each (any family also takes ``redirect``: a 302 to the same URL
  with ``_moved=1`` added; ``login_redirect``: a 302 through the platform's login or verify wall; and the
  hostile transports of ``simulator.transport.HOSTILE``: ``bomb``, ``endless``, ``truncated``, ``charset``);
  ``DELETE /_sim/faults`` clears them
- ``GET /_sim/stats`` → requests served per family
"""

from __future__ import annotations

import random
import socket
import threading
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import ModuleType
from urllib.parse import quote, urlsplit

from simulator import board, discuz, portal, transport, wechat, weibo
from simulator.http import NOT_FOUND, Request, Response, html_response, json_response
from simulator.scenario import Scenario, SimClock
from simulator.world import World

FAMILY_MODULES: dict[str, ModuleType] = {
    "weibo": weibo, "wechat": wechat, "forum": discuz, "board": board, "portal": portal,
}
#: Transient modes drawn when the scenario asks for random faults.
RANDOM_FAULTS = {"weibo": ["418", "432", "captcha"], "wechat": ["verify"], "forum": ["503"], "board": ["502"],
                 "portal": ["503"]}
ROBOTS = b"User-agent: *\nDisallow: /forum/admin.php\nDisallow: /forum/member.php\nDisallow: /board/admin/\n"
#: Where ``login_redirect`` sends a family's request (the platform's login or verify wall), and that page.
WALLS = {"weibo": ("/passport/signin/login?entry=mweibo&r=", weibo.LOGIN_HTML),
         "wechat": ("/wechat/mp/wappoc_appmsgcaptcha?poc_token=HmQ&target_url=", wechat.VERIFY_HTML)}


class Simulator:
    """The world, the scenario clock and the fault queue; :meth:`dispatch` answers one request."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.world = World(scenario)
        self.clock = SimClock(scenario.now or scenario.start, scenario.speed)
        self._faults: dict[str, deque[tuple[str, str]]] = {f: deque() for f in FAMILY_MODULES}
        self._lock = threading.Lock()
        self.stats: Counter[str] = Counter()

    def add_faults(self, family: str, modes: list[str], path: str = "") -> None:
        """Queue failures for the next requests of a family whose path contains ``path``."""
        if family not in FAMILY_MODULES:
            raise ValueError(f"unknown family {family!r}")
        with self._lock:
            self._faults[family].extend((m, path) for m in modes)

    def clear_faults(self) -> None:
        """Drop every queued failure."""
        with self._lock:
            for q in self._faults.values():
                q.clear()

    def _take_fault(self, family: str, target: str) -> str | None:
        with self._lock:
            queue = self._faults[family]
            for i, (mode, path) in enumerate(queue):
                if path in target:
                    del queue[i]
                    return mode
            n = self.stats[family]
        if self.scenario.fault_rate > 0:
            rng = random.Random(f"{self.scenario.seed}:fault:{family}:{n}")
            if rng.random() < self.scenario.fault_rate:
                return rng.choice(RANDOM_FAULTS[family])
        return None

    def _control(self, method: str, req: Request) -> Response:
        if req.path == "/_sim/clock":
            if method == "POST":
                data = req.json() or {}
                if "set" in data:
                    self.clock.set(datetime.fromisoformat(data["set"]))
                if "advance" in data:
                    self.clock.advance(float(data["advance"]))
            return json_response({"now": self.clock.now().isoformat()})
        if req.path == "/_sim/faults":
            if method == "DELETE":
                self.clear_faults()
            elif method == "POST":
                data = req.json() or {}
                try:
                    self.add_faults(data.get("family", ""), list(data.get("modes", [])), data.get("path", ""))
                except ValueError as exc:
                    return json_response({"error": str(exc)}, 400)
            return json_response({f: [m for m, _ in q] for f, q in self._faults.items()})
        if req.path == "/_sim/stats":
            return json_response(dict(self.stats))
        return NOT_FOUND

    def dispatch(self, method: str, target: str, body: bytes = b"", headers: dict[str, str] | None = None,
                 host: str = "127.0.0.1") -> Response:
        """Answer one request (method, path with query, body, headers). An absolute-form target (a client
        using this server as its HTTP proxy) is served like the path it names."""
        if target.startswith(("http://", "https://")):
            parts = urlsplit(target)
            host = parts.netloc
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            with self._lock:
                self.stats["proxied"] += 1
        if target.startswith("/_sim/"):
            return self._control(method, Request.from_target(method, target, body, headers))
        if target.split("?")[0] == "/robots.txt":
            return Response(200, ROBOTS, "text/plain")
        for wall, page in WALLS.values():
            if target.startswith(wall.split("?")[0] + "?"):
                return html_response(page)
        prefix, _, rest = target.lstrip("/").partition("/")
        module = FAMILY_MODULES.get(prefix)
        if module is None:
            return NOT_FOUND
        req = Request.from_target(method, "/" + rest, body, headers, base=f"http://{host}/{prefix}")
        mode = self._take_fault(prefix, req.path + "?" + target.partition("?")[2])
        with self._lock:
            self.stats[prefix] += 1
        if mode == "redirect":  # moved: the same target with a marker, so the client follows it once
            query = target.partition("?")[2]
            moved = f"/{prefix}{req.path}?{query + '&' if query else ''}_moved=1"
            return Response(302, b"", "text/plain", headers={"Location": moved})
        if mode == "login_redirect" and prefix in WALLS:  # HTTPS-style: the wall on another host in reality
            wall = WALLS[prefix][0] + quote(f"http://{host}{target}", safe="")
            return Response(302, b"", "text/html", headers={"Location": f"http://{host}{wall}"})
        if mode in transport.HOSTILE:
            return replace(module.handle(self, req), transport=mode)
        if mode is not None:
            failed = module.failure(mode)
            if failed is not None:
                return failed
        return module.handle(self, req)


def _handler(sim: Simulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "nginx"
        sys_version = ""

        def setup(self) -> None:
            super().setup()
            # headers and body go out in separate writes: without this, Nagle + delayed ACK add ~40 ms
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
            try:
                resp = sim.dispatch(self.command, self.path, body, dict(self.headers.items()), host)
            except Exception as exc:  # a bug in a page renderer must not kill the server
                resp = Response(500, f"simulator error: {type(exc).__name__}: {exc}".encode(), "text/plain")
            prefix = self.path.lstrip("/").partition("/")[0].partition("?")[0]
            family = prefix if prefix in FAMILY_MODULES else ("weibo" if prefix == "passport" else None)
            with sim._lock:
                seq = sim.stats[prefix]
            wire = transport.prepare(
                resp, family, self.headers.get("Accept-Encoding", ""), mode=resp.transport,
                set_cookies=transport.cookies(family, sim.clock.now(), seq) if family else [],
                head=self.command == "HEAD")
            self.send_response(wire.status)
            for k, v in wire.headers:
                self.send_header(k, v)
            self.end_headers()
            try:
                for chunk in wire.body:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if wire.chunked else chunk)
                if wire.chunked and self.command != "HEAD":
                    self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):  # the client hung up (an endless body refused)
                self.close_connection = True

        do_GET = do_POST = do_DELETE = do_HEAD = _serve

        def date_time_string(self, timestamp: float | None = None) -> str:
            """The Date header in scenario time: clients anchor relative dates ("3小时前") on it."""
            return format_datetime(sim.clock.now().astimezone(UTC), usegmt=True)

        def log_message(self, format: str, *args: object) -> None:  # quiet by default
            pass

    return Handler


class SimServer:
    """The simulator on 127.0.0.1 in a background thread (``port=0`` picks a free port)."""

    def __init__(self, scenario: Scenario | Simulator, port: int = 0, host: str = "127.0.0.1") -> None:
        self.sim = scenario if isinstance(scenario, Simulator) else Simulator(scenario)
        self.httpd = ThreadingHTTPServer((host, port), _handler(self.sim))
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The server's root URL."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def base(self, family: str) -> str:
        """A family's base URL (what a source's ``base_url`` points at)."""
        return f"{self.url}/{family}"

    def start(self) -> SimServer:
        """Serve in a daemon thread."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="simulator", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self, on_ready: Callable[[str], None] | None = None) -> None:
        """Serve in this thread until interrupted."""
        if on_ready:
            on_ready(self.url)
        self.httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread:
            self._thread.join(5)

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
