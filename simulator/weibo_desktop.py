"""weibo.com's ajax endpoints (``ajax/statuses/mymblog``, ``ajax/statuses/longtext``,
``ajax/statuses/buildComments``) and single statuses as both APIs show them (``statuses/show``,
``ajax/statuses/show``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from simulator.http import Response, json_response
from simulator.weibo_mobile import comments_of
from simulator.weibo_shapes import PAGE, desktop_mblog, mblog, unbid

if TYPE_CHECKING:
    from simulator.server import Simulator


def status_show(sim: Simulator, q: dict[str, str], now: datetime, desktop: bool) -> Response:
    """``statuses/show`` (m.weibo.cn: ``{ok, data: mblog}``) or ``ajax/statuses/show`` (weibo.com: the mblog)."""
    p = sim.world.get("weibo", unbid(q.get("id", "")))
    if p is None or p.at > now or p.status == "deleted":
        return json_response({"ok": 0, "msg": "该微博不存在", "data": {}})
    if desktop:
        return json_response({"ok": 1, **desktop_mblog(sim, p, now)})
    return json_response({"ok": 1, "data": mblog(sim, p, now)})


def mymblog(sim: Simulator, q: dict[str, str], now: datetime) -> Response:
    """``ajax/statuses/mymblog``: a user's posts, newest first, ``page`` paging; an empty list at the end."""
    posts = list(reversed([p for p in sim.world.visible("weibo", now) if p.channel == q.get("uid")]))
    page = max(1, int(q.get("page") or 1))
    chunk = posts[(page - 1) * PAGE: page * PAGE]
    since = chunk[-1].native if chunk and page * PAGE < len(posts) else ""
    return json_response({"ok": 1, "data": {"since_id": since, "list": [desktop_mblog(sim, p, now) for p in chunk],
                                            "status_visible": 0, "total": len(posts)}})


def desktop_longtext(sim: Simulator, q: dict[str, str], now: datetime) -> Response:
    """``ajax/statuses/longtext``: the full plain text (no counts, unlike m.weibo.cn's extend)."""
    p = sim.world.get("weibo", unbid(q.get("id", "")))
    if p is None or p.at > now:
        return json_response({"ok": 0, "message": "not found"})
    return json_response({"ok": 1, "http_code": 200, "data": {"longTextContent": p.text}})


def build_comments(sim: Simulator, q: dict[str, str], now: datetime) -> Response:
    """``ajax/statuses/buildComments``: hot comments as a bare list beside the ``max_id`` cursor (0 = end),
    ``count`` per page; comments carry ``text_raw`` and ``idstr`` besides the HTML ``text``."""
    p = sim.world.get("weibo", unbid(q.get("id", "")))
    if p is None or p.at > now:
        return json_response({"ok": 1, "data": [], "max_id": 0, "total_number": 0, "trendsText": "暂无评论"})
    comments = [{**c, "idstr": c["id"], "mid": c["id"], "text_raw": c["text"], "like_counts": c["like_count"]}
                for c in comments_of(sim, p, now)]
    size = max(1, min(int(q.get("count") or 20), 50))
    start = int(q.get("max_id") or 0)
    nxt = start + size if start + size < len(comments) else 0
    return json_response({"ok": 1, "data": comments[start: start + size], "rootComment": [],
                          "total_number": len(comments), "max_id": nxt,
                          "trendsText": "已加载全部评论" if not nxt else "加载更多"})
