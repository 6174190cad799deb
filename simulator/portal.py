"""A 社区通-like portal export (JSON): posts per 居委/小区 and 板块, masked posters, handling status and the
居委's reply; paged by an ``updated_since`` watermark and an opaque cursor."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from core import SHANGHAI, PlaceLevel
from simulator.http import NOT_FOUND, Request, Response, json_response
from simulator.texts import BOARDS
from simulator.world import SimPost

if TYPE_CHECKING:
    from simulator.server import Simulator

PAGE_SIZE = 50


def status(p: SimPost, now: datetime) -> tuple[str, datetime, datetime | None]:
    """(status, updated_at, replied_at): 待处理 → 处理中 after 12 h → 已办结 with a reply after 48 h."""
    age = now - p.at
    if age < timedelta(hours=12):
        return "待处理", p.at, None
    if age < timedelta(hours=48):
        return "处理中", p.at + timedelta(hours=12), None
    return "已办结", p.at + timedelta(hours=48), p.at + timedelta(hours=48)


def committee(sim: Simulator, channel: str) -> str:
    """The 居委 of a channel (a gazetteer community when there is one)."""
    communities = [p.name for p in sim.world.places if p.level is PlaceLevel.COMMUNITY]
    n = int("".join(c for c in channel if c.isdigit()) or 1)
    return communities[(n - 1) % len(communities)] if communities else channel


def item(sim: Simulator, p: SimPost, now: datetime) -> dict[str, Any]:
    """One exported post."""
    st, updated, replied = status(p, now)
    who = committee(sim, p.channel)
    return {
        "id": p.native, "committee": who,
        "compound": p.place.name if p.place and p.place.level is PlaceLevel.COMPOUND else None,
        "board": BOARDS[p.seq % len(BOARDS)], "title": p.title, "content": p.text,
        "poster": p.author_name[:1] + "**", "created_at": f"{p.at:%Y-%m-%d %H:%M:%S}",
        "updated_at": f"{updated:%Y-%m-%d %H:%M:%S}", "status": st, "likes": p.likes % 200,
        "images": [] if p.seq % 3 else [f"/portal/img/{p.native}.jpg"],
        "reply": None if replied is None else {
            "by": who, "content": "感谢您的反映，居委已联系相关部门处理完毕，欢迎继续监督。",
            "replied_at": f"{replied:%Y-%m-%d %H:%M:%S}"},
    }


def export(sim: Simulator, q: dict[str, str], now: datetime) -> Response:
    """``GET /api/v1/export/posts?updated_since=&cursor=&page_size=``: ascending by (updated_at, id)."""
    if q.get("token", "demo") == "":
        return json_response({"code": 401, "msg": "token 无效或已过期", "data": None}, status=401)
    rows = []
    for p in sim.world.visible("portal", now):
        _, updated, _ = status(p, now)
        rows.append((updated, p.native, p))
    rows.sort(key=lambda r: (r[0], r[1]))
    since = q.get("updated_since")
    if since:
        when = datetime.fromisoformat(since)
        when = when if when.tzinfo else when.replace(tzinfo=SHANGHAI)
        rows = [r for r in rows if r[0] >= when]
    cursor = q.get("cursor")
    if cursor:
        ts, _, last = cursor.partition("|")
        key = (datetime.fromisoformat(ts), last)
        rows = [r for r in rows if (r[0], r[1]) > key]
    size = min(200, int(q.get("page_size") or PAGE_SIZE))
    chunk = rows[:size]
    nxt = f"{chunk[-1][0].isoformat()}|{chunk[-1][1]}" if len(rows) > size else None
    return json_response({"code": 0, "msg": "ok", "data": {
        "items": [item(sim, p, now) for _, _, p in chunk], "next_cursor": nxt, "total": len(rows)}})


def failure(mode: str) -> Response | None:
    """Injected failures."""
    if mode == "401":
        return json_response({"code": 401, "msg": "token 无效或已过期", "data": None}, status=401)
    if mode in ("500", "503"):
        return Response(int(mode), b"Service Unavailable", "text/plain")
    if mode == "throttled":
        return json_response({"code": 429, "msg": "请求过于频繁", "data": None}, status=429)
    return None


def handle(sim: Simulator, req: Request) -> Response:
    """Route a portal request."""
    if req.path == "/api/v1/export/posts":
        return export(sim, req.query, sim.clock.now())
    return NOT_FOUND
