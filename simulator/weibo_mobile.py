"""m.weibo.cn's endpoints: keyword search (fuzzy, ~50-page cap), user timelines (``since_id`` paging, a
pinned post), ``statuses/extend`` long texts and ``comments/hotflow`` comments."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from simulator.http import Response, json_response
from simulator.weibo_shapes import EMPTY, PAGE, card, display_count, html_text
from simulator.world import SimPost

if TYPE_CHECKING:
    from simulator.server import Simulator

_SCOPE = re.compile(r"custom:(\d{4})-(\d{1,2})-(\d{1,2})-(\d{1,2}):(\d{4})-(\d{1,2})-(\d{1,2})-(\d{1,2})")


def _scope(value: str, tz) -> tuple[datetime, datetime] | None:
    m = _SCOPE.fullmatch(value or "")
    if not m:
        return None
    a = [int(x) for x in m.groups()]
    return datetime(a[0], a[1], a[2], a[3], tzinfo=tz), datetime(a[4], a[5], a[6], a[7], tzinfo=tz)


def fuzzy_match(text: str, keyword: str, seq: int) -> bool:
    """Weibo search is fuzzy: exact matches, plus posts sharing only part of the keyword, plus a few
    "related" posts that share nothing with it."""
    if keyword in text:
        return True
    parts = [keyword[i: i + 2] for i in range(len(keyword) - 1)] or [keyword]
    return (seq % 3 == 0 and any(part in text for part in parts)) or seq % 11 == 0


def search(sim: Simulator, q: dict[str, str], now: datetime) -> Response:
    """``getIndex`` with a ``100103type=1&q=`` container: grouped cards, ~50-page cap, fuzzy results."""
    container = q.get("containerid", "")
    kw = q.get("q") or dict(x.split("=", 1) for x in container.split("&")[1:] if "=" in x).get("q", "")
    page = max(1, int(q.get("page") or 1))
    if not kw:
        return json_response(EMPTY)
    if page > sim.scenario.search_page_cap:
        return json_response(EMPTY)
    scope = _scope(q.get("timescope", ""), now.tzinfo)
    words = kw.split()
    hits = [
        p for p in reversed(sim.world.visible("weibo", now))
        if all(fuzzy_match(p.text, w, p.seq) for w in words) and (scope is None or scope[0] <= p.at < scope[1])
    ]
    chunk = hits[(page - 1) * PAGE: page * PAGE]
    if not chunk:
        return json_response(EMPTY)
    cid = f"100103type=1&q={kw}"
    more = len(hits) > page * PAGE and page < sim.scenario.search_page_cap
    return json_response({"ok": 1, "data": {
        "cardlistInfo": {"containerid": cid, "v_p": 42, "show_style": 1, "total": len(hits),
                         "page": page + 1 if more else None, "title_top": kw},
        "cards": [
            {"card_type": 11, "show_type": 1, "card_group": [
                {"card_type": 4, "desc": f"实时 {kw}", "scheme": ""}]},
            {"card_type": 11, "show_type": 1, "card_group": [card(sim, p, now, cid) for p in chunk]},
        ],
        "scheme": f"sinaweibo://cardlist?containerid={quote(cid)}", "showAppTips": 0,
    }})


def timeline(sim: Simulator, uid: str, q: dict[str, str], now: datetime) -> Response:
    """``getIndex`` with ``107603<uid>``: newest first, ``since_id`` paging, a pinned post on page one."""
    posts = [p for p in sim.world.visible("weibo", now) if p.channel == uid]
    if not posts:
        return json_response(EMPTY)
    since = q.get("since_id")
    newest = list(reversed(posts))
    pinned = posts[0] if len(posts) > 3 else None
    if pinned is not None:
        newest = [p for p in newest if p is not pinned]
    if since:
        newest = [p for p in newest if int(p.native) < int(since)]
    chunk = newest[:PAGE]
    cid = f"107603{uid}"
    cards = [card(sim, p, now, cid) for p in chunk]
    if not since and pinned is not None:
        cards.insert(0, card(sim, pinned, now, cid, pinned=True))
    info: dict[str, Any] = {"containerid": cid, "v_p": 42, "show_style": 1, "total": len(posts)}
    if len(newest) > PAGE:
        info["since_id"] = int(chunk[-1].native)
    if not cards:
        return json_response(EMPTY)
    return json_response({"ok": 1, "data": {"cardlistInfo": info, "cards": cards, "scheme": "", "showAppTips": 0}})


def comments_of(sim: Simulator, p: SimPost, now: datetime) -> list[dict[str, Any]]:
    """A post's comments as m.weibo.cn shows them (up to 40, those already written by ``now``)."""
    rng = random.Random(f"c{p.seq}")
    out = []
    for i in range(min(p.comments, 40)):
        at = p.at + timedelta(minutes=rng.randrange(1, 600))
        if at > now:
            continue
        cid = str(int(p.native) + 10 + i)
        text = rng.choice(["同感", "确实如此，{}该管管了", "已经向12345反映了", "支持[赞]", "太过分了[怒]"])
        c = {"id": cid, "rootid": cid, "created_at": at.strftime("%a %b %d %H:%M:%S +0800 %Y"),
             "text": text.format(p.place.name if p.place else ""), "like_count": rng.randrange(50),
             "total_number": 0, "source": "来自上海", "user": {"id": rng.randrange(10**9), "screen_name": f"网友{i}"},
             "comments": False}
        out.append(c)
    return out


def hotflow(sim: Simulator, q: dict[str, str], now: datetime) -> Response:
    """``comments/hotflow``: ten per page, ``max_id`` cursor (0 = end)."""
    p = sim.world.get("weibo", q.get("id") or q.get("mid") or "")
    if p is None or p.at > now:
        return json_response({"ok": 0, "msg": "快来发表你的评论吧"})
    comments = comments_of(sim, p, now)
    if not comments:
        return json_response({"ok": 0, "msg": "快来发表你的评论吧"})
    start = int(q.get("max_id") or 0)
    chunk = comments[start: start + PAGE]
    nxt = start + PAGE if start + PAGE < len(comments) else 0
    return json_response({"ok": 1, "data": {"data": chunk, "total_number": len(comments), "max_id": nxt,
                                            "max_id_type": 0}})


def extend(sim: Simulator, q: dict[str, str], now: datetime) -> Response:
    """``statuses/extend``: the full text of a long post."""
    p = sim.world.get("weibo", q.get("id", ""))
    if p is None or p.at > now:
        return json_response({"ok": 0, "msg": "该微博不存在", "data": {}})
    return json_response({"ok": 1, "data": {
        "ok": 1, "longTextContent": html_text(p, True).replace("。", "。<br />", 1),
        "reposts_count": display_count(p.reposts), "comments_count": display_count(p.comments),
        "attitudes_count": display_count(p.likes)}})
