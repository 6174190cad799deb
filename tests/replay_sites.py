"""The real hosts replayed on 127.0.0.1: each answers at the paths the real site uses with its captures, through
the simulator's transport (gzip per Accept-Encoding, chunked) and with the site's Date and Set-Cookie headers;
what a route does not have answers 404 like a server without the page."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from core import SHANGHAI
from simulator import transport
from simulator.http import Response
from tests.real_captures import MCBBS_TID, WECHAT, WEIBO_UID, capture

Route = Callable[[str, dict[str, str]], Response | None]


class Site:
    """One real host replayed on 127.0.0.1: ``route(path, query)`` gives the capture (or None: 404); every
    answer goes through the simulator's transport (gzip per Accept-Encoding, chunked) with the site's clock."""

    def __init__(self, family: str, date: str, route: Route) -> None:
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "nginx"
            sys_version = ""

            def do_GET(self) -> None:
                site.requests.append(self.path)
                parts = urlsplit(self.path)
                resp = route(parts.path, dict(parse_qsl(parts.query, keep_blank_values=True)))
                if resp is None:
                    resp = Response(404, b"<html><head><title>404 Not Found</title></head><body><center>"
                                         b"<h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>")
                when = parsedate_to_datetime(date)
                wire = transport.prepare(resp, family, self.headers.get("Accept-Encoding", ""),
                                         set_cookies=transport.cookies(family, when, len(site.requests)))
                self.send_response_only(wire.status)
                self.send_header("Server", "nginx")
                self.send_header("Date", date)
                self.send_header("Connection", "keep-alive")
                for k, v in wire.headers:
                    self.send_header(k, v)
                self.end_headers()
                for chunk in wire.body:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if wire.chunked else chunk)
                if wire.chunked:
                    self.wfile.write(b"0\r\n\r\n")

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# ---- the routes of the four replayed hosts --------------------------------------------------------------

def weibo_route(path: str, q: dict[str, str]) -> Response | None:
    json_type = "application/json; charset=utf-8"
    if path == "/api/container/getIndex":
        if "since_id" not in q and q.get("containerid") == f"107603{WEIBO_UID}":
            return Response(200, capture("weibo/nonebot-bison_weibo_ak_list_1.json"), json_type)
        return Response(200, capture("weibo/nonebot-bison_weibo_err_profile.json"), json_type)
    if path == "/statuses/extend" and q.get("id") == "4649031014551911":
        return Response(200, capture("weibo/nonebot-bison_weibo_detail_4649031014551911.json"), json_type)
    return None  # /api/config among others


def wechat_route(path: str, q: dict[str, str]) -> Response | None:
    for url, name in WECHAT.items():
        parts = urlsplit(url)
        if path == parts.path and all(q.get(k) == v for k, v in parse_qsl(parts.query)):
            return Response(200, capture(name), "text/html; charset=UTF-8")
    return None


def hipda_route(path: str, q: dict[str, str]) -> Response | None:
    if path == "/forum/forumdisplay.php" and q.get("fid") == "2" and q.get("page", "1") == "1":
        return Response(200, capture("forum/hipda_HtmlParserThreadsData.html"), "text/html; charset=gbk")
    return None


def mcbbs_route(path: str, q: dict[str, str]) -> Response | None:
    if path == f"/thread-{MCBBS_TID}-1-1.html":
        return Response(200, capture("forum/nonebot-bison_mcbbsnews_java_express.html"),
                        "text/html; charset=utf-8")
    return None


def gmt(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%a, %d %b %Y %H:%M:%S +0800")
