"""mp.weixin.qq.com shapes: articles in the 2018 and current markups, placeholder and verify pages (all
HTTP 200), feeds as a WeRead bridge serves them (Atom, JSON Feed) and the ``profile_ext?action=getmsg`` JSON."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import random
from datetime import datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from simulator.http import NOT_FOUND, Request, Response, html_response, json_response
from simulator.world import SimPost

if TYPE_CHECKING:
    from simulator.server import Simulator

PLACEHOLDERS = {
    "deleted": ("该内容已被发布者删除", ""),
    "violation": ("此内容因违规无法查看",
                  "接相关投诉，此内容违反《即时通信工具公众信息服务发展管理暂行规定》，查看对应规则"),
    "privacy": ("根据作者隐私设置，无法查看该内容", ""),
    "closed": ("此帐号已注销, 内容无法查看", ""),
    "sendfail": ("此内容发送失败无法查看", ""),
    "expired": ("链接已过期", ""),
}
SVG = "data:image/svg+xml,%3C%3Fxml version='1.0' encoding='UTF-8'%3F%3E%3Csvg width='1px' height='1px'%3E%3C/svg%3E"


def account_no(sim: Simulator, name: str) -> int:
    """A stable number for an account (index in the scenario's list)."""
    return 3_209_768_755 + list(sim.scenario.wechat_accounts).index(name) * 1_117


def biz(sim: Simulator, name: str) -> str:
    """The account's ``__biz`` (base64 of its number, like the real ones)."""
    return base64.b64encode(str(account_no(sim, name)).encode()).decode()


def sn(p: SimPost) -> str:
    """A 32-hex ``sn`` for an article."""
    return hashlib.md5(f"{p.native}-{p.idx}".encode()).hexdigest()


def token(p: SimPost) -> str:
    """The 22-char ``/s/{token}`` short id."""
    return base64.urlsafe_b64encode(hashlib.md5(f"t{p.native}-{p.idx}".encode()).digest()).decode()[:22]


def long_url(sim: Simulator, base: str, p: SimPost) -> str:
    """The canonical long article URL."""
    return (f"{base}/s?__biz={biz(sim, p.channel)}&mid={p.native}&idx={p.idx}&sn={sn(p)}"
            f"&chksm=ab{sn(p)[:14]}&scene=27#wechat_redirect")


def _body(p: SimPost, rng: random.Random) -> str:
    paras = [s for s in p.text.replace("，", "，\n", 1).split("\n") if s]
    inner = "".join(f'<p style="margin: 0px 8px;"><span style="font-size: 15px;">{html.escape(s)}</span></p>'
                    for s in paras)
    img = (f'<p style="text-align: center;"><img class="rich_pages wxw-img" data-ratio="0.75" data-type="png" '
           f'data-src="https://mmbiz.qpic.cn/mmbiz_png/{sn(p)}/640?wx_fmt=png" src="{SVG}" data-w="1080" /></p>')
    extra = ""
    if rng.random() < 0.2:
        extra = ('<mpvoice class="js_editor_audio audio_iframe" frameborder="0" src="/cgi-bin/readtemplate?t=tmpl/'
                 'audio_tmpl&amp;name=%E5%A4%A7%E5%9C%BA" isaac2="1" low_size="400" name="大场之声" '
                 'play_length="120000">'
                 '</mpvoice>')
    return (f'<section style="margin: 0px;"><section><div><div>{inner}</div></div></section>{img}{extra}'
            f'<section><p><span style="color: rgb(136,136,136);">来源：{html.escape(p.channel)}</span></p></section>'
            f'</section>')


def article_html(sim: Simulator, p: SimPost, base: str) -> str:
    """An article page; even pushes use the 2018 markup, odd ones the current markup."""
    rng = random.Random(p.seq)
    b, title, nick = biz(sim, p.channel), html.escape(p.title), html.escape(p.channel)
    ct = int(p.at.timestamp())
    author = html.escape(p.author_name)
    script = f"""<script type="text/javascript">
    var biz = ""||"{b}";
    var sn = "" || ""|| "{sn(p)}";
    var mid = "" || ""|| "{p.native}";
    var idx = "" || "" || "{p.idx}";
    var nickname = htmlDecode("{nick}");
    var user_name = "gh_{hashlib.md5(p.channel.encode()).hexdigest()[:12]}";
    var ct = "{ct}";
    var publish_time = "{p.at:%Y-%m-%d}" || "";
    var createTime = '{p.at:%Y-%m-%d %H:%M}';
    var msg_title = '{title}'.html(false);
    var msg_desc = htmlDecode("{html.escape(p.text[:40])}");
    var msg_link = "{long_url(sim, base, p)}";
    var appmsg_type = "9";
    var copyright_stat = "1"*1;
    var author = "{author}";
</script>"""
    head = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="og:title" content="{title}" /><meta property="og:article:author" content="{author}" />'
            f'<meta property="og:description" content="{html.escape(p.text[:40])}" /></head>'
            '<body id="activity-detail">')
    if int(p.native) % 2 == 0:  # 2018 markup
        main = f"""<div id="js_article" class="rich_media"><div class="rich_media_inner"><div id="page-content">
<h2 class="rich_media_title" id="activity-name">
    {title}
</h2>
<div id="meta_content" class="rich_media_meta_list">
    <span id="copyright_logo" class="rich_media_meta meta_original_tag">原创</span>
    <em id="post-date" class="rich_media_meta rich_media_meta_text">{p.at:%Y-%m-%d}</em>
    <em class="rich_media_meta rich_media_meta_text">{author}</em>
    <a class="rich_media_meta rich_media_meta_link rich_media_meta_nickname" href="##" id="post-user">{nick}</a>
    <div id="js_profile_qrcode" class="profile_container" style="display:none;">
        <strong class="profile_nickname">{nick}</strong></div>
</div>
<div class="rich_media_content " id="js_content">
{_body(p, rng)}
</div>
</div></div></div>"""
    else:
        main = f"""<div id="js_article" class="rich_media"><div class="rich_media_inner"><div id="page-content">
<h1 class="rich_media_title " id="activity-name">
    {title}
</h1>
<div id="meta_content" class="rich_media_meta_list">
    <span class="rich_media_meta rich_media_meta_text">{author}</span>
    <span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a href="javascript:void(0);" id="js_name">
        {nick}</a></span>
    <em id="publish_time" class="rich_media_meta rich_media_meta_text"></em>
</div>
<div class="rich_media_content js_underline_content" id="js_content" style="visibility: hidden; opacity: 0; ">
{_body(p, rng)}
</div>
<div id="js_tags" class="article-tag__list"><span class="article-tag__item">收录于话题 #创全</span></div>
</div></div></div>"""
    return head + main + script + "</body></html>"


def placeholder_html(kind: str, old: bool = False) -> str:
    """A permanent placeholder page (HTTP 200, title 微信公众平台, no #js_content)."""
    title, desc = PLACEHOLDERS[kind]
    if old and kind == "deleted":
        box = f'<div class="global_error_msg warn">{title}</div>'
    elif old and kind == "violation":
        box = (f'<div class="page_msg"><i class="icon_msg warn"></i><div class="msg_content"><h4>{title}</h4>'
               f'<p>{desc}</p></div></div>')
    else:
        box = (f'<div class="weui-msg"><div class="weui-msg__icon-area"><i class="weui-icon-warn weui-icon_msg"></i>'
               f'</div><div class="weui-msg__text-area"><h2 class="weui-msg__title">{title}</h2>'
               f'<p class="weui-msg__desc">{desc}</p></div></div>')
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>微信公众平台</title></head>'
            f'<body>{box}</body></html>')


VERIFY_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>微信公众平台</title></head><body>
<div class="weui-msg"><div class="weui-msg__icon-area"><i class="weui-icon-info weui-icon_msg"></i></div>
<div class="weui-msg__text-area"><h2 class="weui-msg__title">环境异常</h2>
<p class="weui-msg__desc">当前环境异常，完成验证后即可继续访问。</p></div>
<div class="weui-msg__opr-area"><a href="javascript:;" id="js_verify" class="weui-btn weui-btn_primary">去验证</a></div>
</div><script>var cgiData = {poc_token: "ZaR1b2dYJx"};</script></body></html>"""
FREQ_HTML = VERIFY_HTML.replace("环境异常</h2>", "访问过于频繁</h2>").replace("当前环境异常，完成验证后即可继续访问。",
                                                                       "访问过于频繁，请用微信扫描二维码进行访问")


def _articles(sim: Simulator, account: str, now: datetime) -> list[SimPost]:
    return [p for p in reversed(sim.world.visible("wechat", now)) if p.channel == account]


def _account_by_feed(sim: Simulator, feed: str) -> str | None:
    for name in sim.scenario.wechat_accounts:
        if feed in (name, f"MP_WXS_{account_no(sim, name)}"):
            return name
    return None


def atom(sim: Simulator, account: str, base: str, now: datetime) -> Response:
    """A WeRead-bridge Atom feed (short /s/ links, newest first)."""
    items = _articles(sim, account, now)[:20]
    entries = "".join(
        f"<entry><title>{escape(p.title)}</title><link href=\"{base}/s/{token(p)}\"/><id>{base}/s/{token(p)}</id>"
        f"<updated>{p.at.isoformat()}</updated><summary>{escape(p.text[:60])}</summary></entry>" for p in items)
    body = (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(account)}'
            f'</title><id>MP_WXS_{account_no(sim, account)}</id><updated>{now.isoformat()}</updated>{entries}</feed>')
    return Response(200, body.encode("utf-8"), "application/atom+xml; charset=utf-8")


def jsonfeed(sim: Simulator, account: str, base: str, now: datetime) -> Response:
    """A JSON Feed 1.1 of the account (long links)."""
    items = [{"id": token(p), "url": long_url(sim, base, p), "title": p.title, "content_html": "",
              "date_published": p.at.isoformat(), "date_modified": p.at.isoformat()}
             for p in _articles(sim, account, now)[:20]]
    return json_response({"version": "https://jsonfeed.org/version/1.1", "title": account, "items": items})


def getmsg(sim: Simulator, q: dict[str, str], base: str, now: datetime) -> Response:
    """``profile_ext?action=getmsg``: ``general_msg_list`` is a JSON string, links escaped twice."""
    if not q.get("key"):
        return json_response({"ret": -3, "errmsg": "no session", "cookie_count": 0})
    account = next((a for a in sim.scenario.wechat_accounts if biz(sim, a) == q.get("__biz")), None)
    if account is None:
        return json_response({"ret": -1, "errmsg": "system error"})
    offset, count = int(q.get("offset") or 0), int(q.get("count") or 10)
    pushes: dict[str, list[SimPost]] = {}
    for p in _articles(sim, account, now):
        pushes.setdefault(p.native, []).append(p)
    ordered = list(pushes.values())
    chunk = ordered[offset: offset + count]

    def info(p: SimPost) -> dict:
        return {"title": p.title, "digest": p.text[:40], "content_url": html.escape(long_url(sim, base, p)),
                "source_url": "", "cover": f"https://mmbiz.qpic.cn/mmbiz_jpg/{sn(p)}/0?wx_fmt=jpeg",
                "author": p.author_name, "copyright_stat": 100, "del_flag": 1, "item_show_type": 0, "subtype": 9,
                "fileid": 0, "malicious_title_reason_id": 0, "malicious_content_type": 0}

    entries = []
    for push in chunk:
        push = sorted(push, key=lambda x: x.idx)
        first = info(push[0])
        first["is_multi"] = int(len(push) > 1)
        first["multi_app_msg_item_list"] = [info(x) for x in push[1:]]
        entries.append({"comm_msg_info": {"id": int(push[0].native) % 10**6, "type": 49,
                                          "datetime": int(push[0].at.timestamp()),
                                          "fakeid": str(account_no(sim, account)),
                                          "status": 2, "content": ""}, "app_msg_ext_info": first})
    inner = json.dumps({"list": entries}, ensure_ascii=False).replace("/", "\\/")
    more = offset + count < len(ordered)
    return json_response({"ret": 0, "errmsg": "ok", "msg_count": len(chunk), "can_msg_continue": int(more),
                          "general_msg_list": inner, "next_offset": offset + len(chunk), "video_count": 1,
                          "use_video_tab": 1, "real_type": 0, "home_page_list": []})


def _by_token(sim: Simulator, tok: str) -> SimPost | None:
    return next((p for p in sim.world.posts["wechat"] if token(p) == tok), None)


def failure(mode: str) -> Response | None:
    """Injected failures: the transient verify and frequency pages, placeholders, server errors."""
    if mode == "verify":
        return html_response(VERIFY_HTML)
    if mode == "freq":
        return html_response(FREQ_HTML)
    if mode in PLACEHOLDERS:
        return html_response(placeholder_html(mode))
    if mode == "500":
        return Response(500, b"system error", "text/plain")
    return None


def handle(sim: Simulator, req: Request) -> Response:
    """Route a WeChat request."""
    now, q = sim.clock.now(), req.query
    if req.path == "/s" or req.path.startswith("/s/"):
        if q.get("src") == "3" and "signature" in q:
            return html_response(placeholder_html("expired"))
        p = _by_token(sim, req.path[3:]) if req.path.startswith("/s/") else sim.world.wechat_article(
            q.get("mid", ""), int(q.get("idx") or 1))
        if p is None or p.at > now:
            return html_response(placeholder_html("deleted"))
        if p.status != "ok":
            return html_response(placeholder_html(p.status, old=int(p.native) % 2 == 0))
        return html_response(article_html(sim, p, req.base))
    if req.path == "/mp/profile_ext" and q.get("action") == "getmsg":
        return getmsg(sim, q, req.base, now)
    if req.path.startswith("/feeds/"):
        name, _, ext = req.path[len("/feeds/"):].rpartition(".")
        account = _account_by_feed(sim, name)
        if account is None:
            return NOT_FOUND
        return atom(sim, account, req.base, now) if ext in ("atom", "rss") else jsonfeed(sim, account, req.base, now)
    return NOT_FOUND
