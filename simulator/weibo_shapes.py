"""Weibo's wire shapes of a post: ids (``bid`` base62), display counts, both ``created_at`` styles, the HTML
text with its topics, mentions and emoticons, the author's ``user``, the m.weibo.cn ``mblog`` and its card,
and weibo.com's ajax status."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from simulator.texts import EMOTICONS
from simulator.world import SimPost

if TYPE_CHECKING:
    from simulator.server import Simulator

PAGE = 10
_B62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
EMPTY = {"ok": 0, "msg": "这里还没有内容", "data": {"cards": []}}


def bid(mid: str) -> str:
    """A base62 short id for a mid (the shape of ``bid``, not Weibo's exact algorithm)."""
    n, out = int(mid), ""
    while n:
        n, r = divmod(n, 62)
        out = _B62[r] + out
    return out or "0"


def unbid(value: str) -> str:
    """A mid from a mid or a base62 ``bid``/``mblogid``."""
    if value.isdigit():
        return value
    n = 0
    for ch in value:
        n = n * 62 + _B62.index(ch) if ch in _B62 else n
    return str(n)


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


def html_text(p: SimPost, full: bool) -> str:
    """A post's ``text`` as m.weibo.cn marks it up (cut with a 全文 link unless ``full``), with a seeded
    share of topic links, mentions and emoticon images."""
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
        "edit_config": {"edited": False}, "text": html_text(p, full), "textLength": len(p.text) * 2,
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


def card(sim: Simulator, p: SimPost, now: datetime, containerid: str, pinned: bool = False) -> dict[str, Any]:
    """A post's ``card_type`` 9 card in a container list."""
    return {
        "card_type": 9, "itemid": f"{containerid}_-_{p.native}", "show_type": 0,
        "scheme": f"https://m.weibo.cn/status/{bid(p.native)}?mblogid={bid(p.native)}&luicode=10000011&lfid={containerid}",
        "mblog": mblog(sim, p, now, pinned=pinned),
    }


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
