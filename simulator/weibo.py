"""m.weibo.cn and weibo.com: the routes of the Weibo family and every failure it answers with.

The endpoints are in ``weibo_mobile`` (search, timelines, long text, hot-flow comments) and ``weibo_desktop``
(weibo.com's ajax API with its comments, single statuses); the wire shapes of a post in ``weibo_shapes``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.http import NOT_FOUND, Request, Response, html_response, json_response
from simulator.weibo_desktop import build_comments, desktop_longtext, mymblog, status_show
from simulator.weibo_mobile import extend, fuzzy_match, hotflow, search, timeline
from simulator.weibo_shapes import EMPTY, PAGE, bid, created_at, desktop_mblog, display_count, mblog, unbid, user

if TYPE_CHECKING:
    from simulator.server import Simulator

__all__ = ["EMPTY", "ERROR_HTML", "LOGIN_HTML", "PAGE", "bid", "build_comments", "created_at", "desktop_longtext",
           "desktop_mblog", "display_count", "extend", "failure", "fuzzy_match", "handle", "hotflow", "mblog",
           "mymblog", "search", "status_show", "timeline", "unbid", "user"]

LOGIN_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>登录 - 微博</title>
<script src="https://passport.sinaimg.cn/js/yidun/wbBotDetector.js"></script></head>
<body><div id="app">请先登录</div><script>window.wbBotDetector && wbBotDetector.init();</script></body></html>"""
ERROR_HTML = ("<html><head><title>微博</title></head><body><div class='h5-4box'><p>出错了，未知错误</p></div>"
              "</body></html>")


def failure(mode: str) -> Response | None:
    """The response for an injected failure mode."""
    table: dict[str, Response] = {
        "empty": json_response(EMPTY),
        "login": json_response({"ok": -100, "url": "https://passport.weibo.com/sso/signin?entry=wapsso"}),
        "captcha": json_response({"ok": -100, "errno": "-100", "msg": "",
                                  "url": "https://m.weibo.cn/captcha?scene=limit&referer=/", "extra": ""}),
        "418": Response(418, b"", "text/html"),
        "432": Response(432, b"", "text/html"),
        "login_html": html_response(LOGIN_HTML),
        "error_html": html_response(ERROR_HTML),
        "broken": Response(200, b'{"ok":1,"data":{"cards":[{"card_type":9,', "application/json; charset=utf-8"),
        "500": Response(500, b"Internal Server Error", "text/plain"),
    }
    return table.get(mode)


def handle(sim: Simulator, req: Request) -> Response:
    """Route a Weibo request."""
    now = sim.clock.now()
    cookie = req.headers.get("cookie", "")
    if "SUB=expired" in cookie:
        return failure("login")  # type: ignore[return-value]
    q = req.query
    if req.path == "/api/container/getIndex":
        cid = q.get("containerid", "")
        if cid.startswith("100103"):
            return search(sim, q, now)
        if cid.startswith("107603"):
            return timeline(sim, cid[6:], q, now)
        if q.get("type") == "uid" and q.get("value"):
            return timeline(sim, q["value"], q, now)
        return json_response(EMPTY)
    if req.path == "/statuses/extend":
        return extend(sim, q, now)
    if req.path in ("/statuses/show", "/ajax/statuses/show"):
        return status_show(sim, q, now, desktop=req.path.startswith("/ajax/"))
    if req.path == "/ajax/statuses/mymblog":
        return mymblog(sim, q, now)
    if req.path == "/ajax/statuses/longtext":
        return desktop_longtext(sim, q, now)
    if req.path in ("/comments/hotflow", "/api/comments/show"):
        return hotflow(sim, q, now)
    if req.path == "/ajax/statuses/buildComments":
        return build_comments(sim, q, now)
    if req.path == "/api/config":
        return json_response({"ok": 1, "data": {"login": "SUB=" in cookie, "st": "abc123"}})
    return NOT_FOUND
