"""m.weibo.cn shapes: keyword search, user timelines, long text, hot-flow comments and every failure."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from simulator.http import NOT_FOUND, Request, Response, html_response, json_response
from simulator.texts import EMOTICONS
from simulator.world import SimPost

if TYPE_CHECKING:
    from simulator.server import Simulator

PAGE = 10
_B62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
EMPTY = {"ok": 0, "msg": "这里还没有内容", "data": {"cards": []}}
LOGIN_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>登录 - 微博</title>
<script src="https://passport.sinaimg.cn/js/yidun/wbBotDetector.js"></script></head>
<body><div id="app">请先登录</div><script>window.wbBotDetector && wbBotDetector.init();</script></body></html>"""
ERROR_HTML = ("<html><head><title>微博</title></head><body><div class='h5-4box'><p>出错了，未知错误</p></div>"
              "</body></html>")


def bid(mid: str) -> str:
    """A base62 short id for a mid (the shape of ``bid``, not Weibo's exact algorithm)."""
    n, out = int(mid), ""
    while n:
        n, r = divmod(n, 62)
        out = _B62[r] + out
    return out or "0"


def display_count(n: int) -> int | str:
    """Counts as m.weibo.cn shows them: ints, "1.2万", "100万+"."""
    if n >= 1_000_000:
        return "100万+"
    if n >= 10_000:
        return f"{n / 10_000:.1f}万".replace(".0万", "万")
    return n


def created_at(at: datetime, now: datetime, relative: bool) -> str:
    """Both created_at styles: RFC-2822-like, or relative (刚刚, N分钟前, N小时前, 昨天 HH:MM, MM-DD, YYYY-MM-DD)."""
    if not relative:
        return at.strftime("%a %b %d %H:%M:%S +0800 %Y")
    delta = now - at
    if delta < timedelta(minutes=1):
        return "刚刚"
    if delta < timedelta(hours=1):
        return f"{int(delta.total_seconds() // 60)}分钟前"
    if delta < timedelta(hours=24) and at.date() == now.date():
        return f"{int(delta.total_seconds() // 3600)}小时前"
    if at.date() == (now - timedelta(days=1)).date():
        return f"昨天 {at:%H:%M}"
    if at.year == now.year:
        return f"{at:%m-%d}"
    return f"{at:%Y-%m-%d}"


def _html_text(p: SimPost, full: bool) -> str:
    rng = random.Random(p.seq)
    text = p.text
    if not full and p.long:
        text = text[:110] + f'...<a href="/status/{bid(p.native)}">全文</a>'
    parts = [text]
    if rng.random() < 0.4:
        tag = rng.choice(["#大场#", "#创全在行动#", "#宝山#"])
        href = "https://m.weibo.cn/search?containerid=231522type%3D1%26t%3D10%26q%3D" + quote(tag)
        parts.insert(0, f'<a  href="{href}" data-hide=""><span class="surl-text">{tag}</span></a> ')
    if rng.random() < 0.3:
        parts.append(" <a href='/n/大场发布'>@大场发布</a>")
    if rng.random() < 0.4:
        emo = rng.choice(EMOTICONS)
        parts.append(f'<span class="url-icon"><img alt={emo} src="https://h5.sinaimg.cn/m/emoticon/icon/default/'
                     f'd_{rng.randrange(99)}.png" style="width:1em; height:1em;" /></span>')
    return "".join(parts)


def user(p: SimPost) -> dict[str, Any]:
    """The ``user`` object of a post's author (the channel is the account)."""
    uid = int(p.channel) if p.channel.isdigit() else int(p.author_id)
    return {
        "id": uid, "screen_name": f"大场网友{uid % 10000}", "profile_image_url": "https://tvax1.sinaimg.cn/crop.jpg",
        "profile_url": f"https://m.weibo.cn/u/{uid}?uid={uid}", "statuses_count": 1200, "verified": False,
        "verified_type": -1, "description": "", "gender": "f" if uid % 2 else "m", "followers_count": "1.1万",
        "follow_count": 300, "urank": 12, "mbrank": 0,
    }


def mblog(sim: Simulator, p: SimPost, now: datetime, *, full: bool = False, pinned: bool = False) -> dict[str, Any]:
    """The mblog object for a post (reposts carry ``retweeted_status``; deleted originals their placeholder)."""
    m: dict[str, Any] = {
        "visible": {"type": 0, "list_id": 0}, "created_at": created_at(p.at, now, p.seq % 3 == 0),
        "id": p.native, "idstr": p.native, "mid": p.native, "bid": bid(p.native), "can_edit": False,
        "edit_config": {"edited": False}, "text": _html_text(p, full), "textLength": len(p.text) * 2,
        "source": random.Random(p.seq).choice(["iPhone客户端", "小米Note 3 拍人更美", "微博 weibo.com"]),
        "favorited": False, "pic_num": 0, "is_paid": False, "mblog_vip_type": 0, "user": user(p),
        "reposts_count": display_count(p.reposts), "comments_count": display_count(p.comments),
        "attitudes_count": display_count(p.likes), "pending_approval_count": 0, "isLongText": p.long,
        "region_name": "发布于 上海", "mblogtype": 2 if pinned else 0,
        "number_display_strategy": {"apply_scenario_flag": 3, "display_text_min_number": 1000000,
                                    "display_text": "100万+"},
    }
    if pinned:
        m["isTop"] = 1
    if p.parent is not None:
        orig = sim.world.by_seq.get(p.parent)
        if orig is None or orig.status == "deleted":
            m["retweeted_status"] = {
                "id": orig.native if orig else "0", "mid": orig.native if orig else "0", "deleted": "1", "state": 7,
                "text": "抱歉，此微博已被作者删除。查看帮助：<a href='https://m.weibo.cn/c/4099'>"
                        "<span class=\"url-icon\"><img alt=\"网页链接\" src=\"x.png\"></span>"
                        "<span class='surl-text'>网页链接</span></a>",
                "created_at": created_at(orig.at if orig else p.at, now, False), "user": None,
            }
        else:
            m["retweeted_status"] = mblog(sim, orig, now)
    return m


def _card(sim: Simulator, p: SimPost, now: datetime, containerid: str, pinned: bool = False) -> dict[str, Any]:
    return {
        "card_type": 9, "itemid": f"{containerid}_-_{p.native}", "show_type": 0,
        "scheme": f"https://m.weibo.cn/status/{bid(p.native)}?mblogid={bid(p.native)}&luicode=10000011&lfid={containerid}",
        "mblog": mblog(sim, p, now, pinned=pinned),
    }


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
            {"card_type": 11, "show_type": 1, "card_group": [_card(sim, p, now, cid) for p in chunk]},
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
    cards = [_card(sim, p, now, cid) for p in chunk]
    if not since and pinned is not None:
        cards.insert(0, _card(sim, pinned, now, cid, pinned=True))
    info: dict[str, Any] = {"containerid": cid, "v_p": 42, "show_style": 1, "total": len(posts)}
    if len(newest) > PAGE:
        info["since_id"] = int(chunk[-1].native)
    if not cards:
        return json_response(EMPTY)
    return json_response({"ok": 1, "data": {"cardlistInfo": info, "cards": cards, "scheme": "", "showAppTips": 0}})


def _comments(sim: Simulator, p: SimPost, now: datetime) -> list[dict[str, Any]]:
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
    comments = _comments(sim, p, now)
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
        "ok": 1, "longTextContent": _html_text(p, True).replace("。", "。<br />", 1),
        "reposts_count": display_count(p.reposts), "comments_count": display_count(p.comments),
        "attitudes_count": display_count(p.likes)}})


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
    if req.path == "/api/config":
        return json_response({"ok": 1, "data": {"login": "SUB=" in cookie, "st": "abc123"}})
    return NOT_FOUND


# ---- weibo.com (desktop ajax) and single statuses ----------------------------------------------------------
def unbid(value: str) -> str:
    """A mid from a mid or a base62 ``bid``/``mblogid``."""
    if value.isdigit():
        return value
    n = 0
    for ch in value:
        n = n * 62 + _B62.index(ch) if ch in _B62 else n
    return str(n)


def desktop_mblog(sim: Simulator, p: SimPost, now: datetime) -> dict[str, Any]:
    """A status as weibo.com's ajax API gives it: ``mblogid``, plain ``text_raw``, absolute ``created_at``,
    a truncated HTML ``text`` ending in ``展开``."""
    m = mblog(sim, p, now)
    m["mblogid"] = m.pop("bid")
    m["created_at"] = created_at(p.at, now, False)
    m["user"] = {**m["user"], "idstr": str(m["user"]["id"])}
    m["text_raw"] = p.text[:110] if p.long else p.text
    if p.long:
        m["text"] = p.text[:110] + '...<span class="expand">展开</span>'
    m.pop("retweeted_status", None)
    return m


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
