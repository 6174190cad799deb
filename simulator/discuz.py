"""A Discuz! X forum served in GBK: forumdisplay (sticky and normal threads, pages, relative dates),
viewthread (floors, quoted replies, banned authors), permission and not-found pages. Two kinds of thread
are mislabelled: UTF-8 bytes declared as GBK (as on Hi!PDA), and GBK bytes declared as UTF-8."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote

from simulator.http import NOT_FOUND, Request, Response, html_response
from simulator.world import SimPost

if TYPE_CHECKING:
    from simulator.server import Simulator

THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 10
FORUM_NAMES = {"2": "大场生活", "5": "投诉建议", "9": "版主议事"}
TYPES = {"complaint": "投诉", "praise": "表扬", "chatter": "闲聊"}


def pid(thread: SimPost, floor: int) -> int:
    """A post id: thread id × 100 + floor (0 = the 楼主 post)."""
    return int(thread.native) * 100 + floor


def page_charset(tid: str) -> tuple[str, str]:
    """(bytes encoding, declared charset) of a thread page."""
    n = int(tid)
    if n % 11 == 3:
        return "utf-8", "gbk"
    if n % 11 == 7:
        return "gbk", "utf-8"
    return "gbk", "gbk"


def dz_date(at: datetime, now: datetime, seconds: bool = False) -> str:
    """Discuz dates: absolute 2026-11-3 10:00, or relative inside a span whose title is absolute."""
    absolute = f"{at.year}-{at.month}-{at.day} {at:%H:%M}" + (f":{at:%S}" if seconds else "")
    delta = now - at
    if delta < timedelta(hours=1):
        rel = f"{max(1, int(delta.total_seconds() // 60))}&nbsp;分钟前"
    elif at.date() == now.date():
        rel = f"{int(delta.total_seconds() // 3600)}&nbsp;小时前"
    elif at.date() == (now - timedelta(days=1)).date():
        rel = f"昨天&nbsp;{at:%H:%M}"
    elif delta < timedelta(days=7):
        rel = f"{(now.date() - at.date()).days}&nbsp;天前"
    else:
        return absolute
    return f'<span title="{absolute}">{rel}</span>'


def _page(title: str, body: str, charset: str = "gbk") -> str:
    return (f'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            f'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
            f'<head><meta http-equiv="Content-Type" content="text/html; charset={charset}" /><title>{title} '
            f'-  大场论坛 -  Powered by Discuz!</title><meta name="generator" content="Discuz! X3.4" />'
            f'</head><body id="nv_forum">'
            f'<div id="wp" class="wp">{body}</div></body></html>')


def message_page(text: str, login: bool = False) -> str:
    """The Discuz message page (HTTP 200) used for permission and not-found errors."""
    form = ('<div id="messagelogin"><form method="post" action="member.php?mod=logging&action=login">'
            '<input type="text" name="username" /></form></div>') if login else ""
    return _page("提示信息", f'<div id="ct" class="wp cl w"><div class="nfl"><div class="f_c altw">'
                         f'<div id="messagetext" class="alert_error"><p>{text}</p></div>{form}</div></div></div>')


def _space(name: str) -> str:
    return f"space-username-{quote(name.encode('gbk', 'ignore'))}.html"


def forumdisplay(sim: Simulator, fid: str, page: int, now: datetime) -> Response:
    """A thread list page."""
    if int(fid) in sim.scenario.forum_private_fids:
        return html_response(message_page("抱歉，您尚未登录，没有权限访问该版块", login=True), charset="gbk")
    if fid not in {str(f) for f in sim.scenario.forum_fids}:
        return html_response(message_page("抱歉，指定的版块不存在"), charset="gbk")
    rows = sim.world.threads(fid, now)
    sticky = sorted(rows, key=lambda r: r[0].at)[:2] if len(rows) > 6 else []
    normal = [r for r in rows if r not in sticky]
    pages = max(1, -(-len(normal) // THREADS_PER_PAGE))
    chunk = normal[(page - 1) * THREADS_PER_PAGE: page * THREADS_PER_PAGE]

    def row(thread: SimPost, replies: list[SimPost], kind: str) -> str:
        t, tid = html.escape(thread.title), thread.native
        last = replies[-1] if replies else thread
        pin = '<img src="static/image/common/pin_1.gif" alt="本版置顶" title="本版置顶" />' if kind == "stick" else ""
        tps = ""
        if len(replies) + 1 > POSTS_PER_PAGE:
            tps = f'<span class="tps">&nbsp;...<a href="thread-{tid}-2-1.html">2</a></span>'
        return (f'<tbody id="{kind}thread_{tid}"><tr><td class="icn"><a href="thread-{tid}-1-1.html" '
                f'title="新窗口打开" target="_blank"><img src="static/image/common/folder_common.gif" /></a></td>'
                f'<th class="common">{pin}<em>[<a href="forum.php?mod=forumdisplay&amp;fid={fid}&amp;filter=typeid'
                f'&amp;typeid=1">{TYPES.get(thread.kind, "闲聊")}</a>]</em> <a href="thread-{tid}-1-1.html" '
                f'onclick="atarget(this)" class="s xst">{t}</a>{tps}</th>'
                f'<td class="by"><cite><a href="space-uid-{thread.author_id}.html" c="1">'
                f'{html.escape(thread.author_name)}</a></cite><em><span>{dz_date(thread.at, now)}</span></em></td>'
                f'<td class="num"><a href="thread-{tid}-1-1.html" class="xi2">{len(replies)}</a>'
                f'<em>{thread.reads}</em></td><td class="by"><cite><a href="{_space(last.author_name)}" c="1">'
                f'{html.escape(last.author_name)}</a></cite><em><a href="forum.php?mod=redirect&amp;tid={tid}'
                f'&amp;goto=lastpost#lastpost">{dz_date(last.at, now)}</a></em></td></tr></tbody>')

    body = [f'<div id="pt" class="bm cl"><div class="z"><a href="./">大场论坛</a> <em>&rsaquo;</em> '
            f'<a href="forum-{fid}-1.html">{FORUM_NAMES.get(fid, fid)}</a></div></div>',
            f'<div class="bm bml pbn"><div class="bm_h cl"><h1 class="xs2"><a href="forum-{fid}-1.html">'
            f'{FORUM_NAMES.get(fid, fid)}</a> <span class="xs1 xw0 i">今日: <strong class="xi1">3</strong>'
            f'<span class="pipe">|</span>主题: <strong class="xi1">{len(rows)}</strong></span></h1></div></div>',
            '<input type="hidden" name="formhash" value="a1b2c3d4" />',
            f'<script type="text/javascript">var lasttime = {int(now.timestamp())};</script>', _pager(fid, page, pages),
            f'<div id="threadlist" class="tl bm bmw"><form><table summary="forum_{fid}" cellspacing="0" '
            'cellpadding="0" id="threadlisttableid">']
    if page == 1:
        body += [row(t, r, "stick") for t, r in sticky]
        body.append('<tbody id="separatorline" class="emptb"><tr class="ts"><td>&nbsp;</td><th>版块主题</th></tr>'
                    '</tbody>')
    body += [row(t, r, "normal") for t, r in chunk]
    body.append("</table></form></div>" + _pager(fid, page, pages))
    return html_response(_page(FORUM_NAMES.get(fid, fid), "".join(body)), charset="gbk")


def _pager(fid: str, page: int, pages: int) -> str:
    if pages <= 1:
        return ""
    links = "".join(f"<strong>{n}</strong>" if n == page else f'<a href="forum-{fid}-{n}.html">{n}</a>'
                    for n in range(1, min(pages, 10) + 1))
    nxt = f'<a href="forum-{fid}-{page + 1}.html" class="nxt">下一页</a>' if page < pages else ""
    return (f'<div class="pg">{links}<label><input type="text" name="custompage" class="px" size="2" value="{page}" />'
            f'<span title="共 {pages} 页"> / {pages} 页</span></label>{nxt}</div>')


def viewthread(sim: Simulator, tid: str, page: int, now: datetime) -> Response:
    """A thread page: floors with authors, dates, quotes; banned authors' posts are masked."""
    thread = sim.world.get("forum", tid)
    if thread is None or thread.parent is not None or thread.at > now:
        return html_response(message_page("抱歉，指定的主题不存在或已被删除或正在被审核"), charset="gbk")
    if int(thread.channel) in sim.scenario.forum_private_fids:
        return html_response(message_page("抱歉，您没有权限访问该版块"), charset="gbk")
    floors = [thread] + [p for p in sim.world.visible("forum", now) if p.parent == thread.seq]
    pages = max(1, -(-len(floors) // POSTS_PER_PAGE))
    chunk = list(enumerate(floors))[(page - 1) * POSTS_PER_PAGE: page * POSTS_PER_PAGE]
    posts = []
    for floor, p in chunk:
        pid_ = pid(thread, floor)
        label = "楼主" if floor == 0 else f"{floor + 1}<sup>#</sup>"
        if int(p.author_id) % 17 == 0:
            content = '<div class="locked">提示: <em>作者被禁止或删除 内容自动屏蔽</em></div>'
        else:
            content = html.escape(p.text)
            if p.extra.get("quote") and floor > 1:
                prev = floors[floor - 1]
                content = (f'<div class="quote"><blockquote><font size="2"><a href="forum.php?mod=redirect&amp;'
                           f'goto=findpost&amp;pid={pid(thread, floor - 1)}&amp;ptid={tid}" target="_blank">'
                           f'<font color="#999999">{html.escape(prev.author_name)} 发表于 {prev.at:%Y-%m-%d %H:%M}'
                           f'</font></a></font><br />{html.escape(prev.text[:30])}</blockquote></div><br />{content}')
            content = (f'<table cellspacing="0" cellpadding="0"><tr><td class="t_f" id="postmessage_{pid_}">'
                       f'\r\n{content}</td></tr></table>')
        posts.append(
            f'<div id="post_{pid_}"><table id="pid{pid_}" class="plhin" summary="pid{pid_}" cellspacing="0" '
            f'cellpadding="0"><tr><td class="pls" rowspan="2"><div class="pi"><div class="authi">'
            f'<a href="space-uid-{p.author_id}.html" target="_blank" class="xw1">{html.escape(p.author_name)}</a>'
            f'</div></div></td><td class="plc"><div class="pi"><strong><a href="forum.php?mod=redirect&amp;'
            f'goto=findpost&amp;ptid={tid}&amp;pid={pid_}" id="postnum{pid_}">{label}</a></strong>'
            f'<div class="pti"><div class="authi"><em id="authorposton{pid_}">发表于 {dz_date(p.at, now, True)}'
            f'</em></div></div></div><div class="pct"><div class="pcb"><div class="t_fsz">{content}</div></div></div>'
            f'</td></tr></table></div>')
    pager = ""
    if pages > 1:
        pager = "".join(f"<strong>{n}</strong>" if n == page else f'<a href="thread-{tid}-{n}-1.html">{n}</a>'
                        for n in range(1, pages + 1))
        if page < pages:
            pager += f'<a href="thread-{tid}-{page + 1}-1.html" class="nxt">下一页</a>'
        pager = f'<div class="pg">{pager}</div>'
    enc, declared = page_charset(tid)
    body = (f'<div id="pt" class="bm cl"><a href="forum-{thread.channel}-1.html">{FORUM_NAMES.get(thread.channel)}'
            f'</a></div><div id="postlist" class="pl bm"><table cellspacing="0" cellpadding="0"><tr><td class="plc ptm '
            f'pbn vwthd"><h1 class="ts"><a href="forum.php?mod=forumdisplay&amp;fid={thread.channel}&amp;filter=typeid'
            f'&amp;typeid=1">[{TYPES.get(thread.kind, "闲聊")}]</a> <span id="thread_subject">'
            f'{html.escape(thread.title)}</span></h1></td></tr></table>{"".join(posts)}</div>{pager}')
    return html_response(_page(html.escape(thread.title), body, declared), charset=enc, declared=declared)


_FORUM = re.compile(r"/forum-(\d+)-(\d+)\.html")
_THREAD = re.compile(r"/thread-(\d+)-(\d+)-\d+\.html")


def failure(mode: str) -> Response | None:
    """Injected failures: login wall, no permission, flood control, server errors."""
    texts = {"nologin": ("抱歉，您尚未登录，没有权限访问该版块", True), "noperm": ("抱歉，您没有权限访问该版块", False),
             "flood": ("抱歉，您的请求来路不正确或表单验证串不符，无法提交", False)}
    if mode in texts:
        text, login = texts[mode]
        return html_response(message_page(text, login), charset="gbk")
    if mode in ("500", "503"):
        return Response(int(mode), b"<html><body>Service Unavailable</body></html>", "text/html")
    return None


def handle(sim: Simulator, req: Request) -> Response:
    """Route a forum request (dynamic and rewritten URLs)."""
    now, q = sim.clock.now(), req.query
    if req.path in ("/forum.php", "/forumdisplay.php", "/viewthread.php"):
        mod = q.get("mod") or ("viewthread" if "tid" in q else "forumdisplay")
        if mod == "forumdisplay":
            return forumdisplay(sim, q.get("fid", "0"), max(1, int(q.get("page") or 1)), now)
        if mod == "viewthread":
            return viewthread(sim, q.get("tid", "0"), max(1, int(q.get("page") or 1)), now)
    if m := _FORUM.fullmatch(req.path):
        return forumdisplay(sim, m.group(1), max(1, int(m.group(2))), now)
    if m := _THREAD.fullmatch(req.path):
        return viewthread(sim, m.group(1), max(1, int(m.group(2))), now)
    return NOT_FOUND
