"""The Discuz! forum parser on real captures (7.2 and X3.5), a saved simulator list and hand-written list rows
and thread pages (relative dates, anonymous authors, next pages), with a frozen clock."""

from __future__ import annotations

from datetime import datetime

from core import SHANGHAI
from crawler.parsers import PARSERS
from tests.parser_pages import NOW, NOW_2021, real, saved


def test_discuz_real_72_forumdisplay_labelled_gbk_but_utf8() -> None:
    r = PARSERS["discuz"](real("forum/hipda_HtmlParserThreadsData.html"),
                          url="http://www.hi-pda.com/forum/forumdisplay.php?fid=2", now=NOW_2021)
    assert len(r.items) == 75 and not r.links  # each row is a post (title, author, date, replies, views)
    assert sum(p.extra["sticky"] for p in r.items) == 1
    row = r.items[1]
    assert row.native_id == "www.hi-pda.com:2089308" and row.text == row.title == "准备开始折腾小米5"
    assert row.author.id == "448463" and row.author.name == "心在飞翔" and row.thread_id == "2089308"
    assert (row.metrics.comments, row.metrics.reads) == (23, 637)
    assert row.published_at == datetime(2017, 5, 3, tzinfo=SHANGHAI)
    assert row.extra["last_post_at"] == "2017-05-04T15:39:00+08:00"
    assert row.url == "http://www.hi-pda.com/forum/viewthread.php?tid=2089308&extra=page%3D1%26amp%3Bfilter%3Dtype" \
                      "%26amp%3Btypeid%3D56"
    assert r.next_url and "page=2" in r.next_url


def test_discuz_real_x35_viewthread_floors() -> None:
    r = PARSERS["discuz"](real("forum/nonebot-bison_mcbbsnews_java_express.html"),
                          url="https://www.mcbbs.net/thread-1340080-1-1.html", now=NOW_2021)
    assert [p.native_id for p in r.items] == [  # the first floor is the thread's post: one id with its list row
        "www.mcbbs.net:1340080", "www.mcbbs.net:1340080:25822215",
        "www.mcbbs.net:1340080:25822437", "www.mcbbs.net:1340080:25822849"]
    op, *replies = r.items
    assert op.author.name == "DreamVoid" and op.extra["is_op"] and op.title.startswith("（已恢复）Mojang Status")
    assert op.published_at == datetime(2022, 5, 16, 19, 34, 56, tzinfo=SHANGHAI)
    assert (op.metrics.comments, op.metrics.reads) == (3, 1612)  # "查看: 1612 | 回复: 3" fills the thread's counts
    assert [p.author.id for p in r.items] == ["2999647", "4602348", "3290945", "4274332"]
    assert "本帖最后由" not in op.text and "Our services have returned" in op.text
    assert all(p.parent_id == op.id and p.thread_id == "1340080" for p in replies)
    assert replies[1].extra["image_only"] is True
    assert replies[0].text == "一直显示失败"


def test_forum_list_has_sticky_threads_relative_dates_and_next_page() -> None:
    r = saved("forum/forumdisplay.html")
    assert [p.extra["sticky"] for p in r.items[:2]] == [True, True]
    assert not any(p.extra["sticky"] for p in r.items[2:])
    assert r.next_url == "http://sim.local/forum/forum-2-2.html"
    assert all(p.extra["last_post_at"] for p in r.items)


def test_discuz_relative_date_keeps_its_time_when_the_title_has_only_the_day() -> None:
    row = ('<table id="threadlisttableid"><tbody id="normalthread_5"><tr><th class="new">'
           '<a href="thread-5-1-1.html" class="s xst">标题</a></th><td class="by"><cite><a href="space-uid-1.html">甲'
           '</a></cite><em><span title="2026-11-3">昨天&nbsp;18:07</span></em></td><td class="num"><a class="xi2">1</a>'
           '<em>9</em></td><td class="by"><cite><a>乙</a></cite><em><a><span title="2026-11-4 08:01">3&nbsp;小时前'
           '</span></a></em></td></tr></tbody></table>')
    (p,) = PARSERS["discuz"](f"<html><body>{row}</body></html>", url="http://bbs.x/forum-2-1.html", now=NOW).items
    assert p.published_at.isoformat() == "2026-11-03T18:07:00+08:00"
    assert p.extra["last_post_at"] == "2026-11-04T08:01:00+08:00"


def test_discuz_x_rows_anonymous_authors_and_absolute_span_titles() -> None:
    def row(tid: str, author: str, created: str, last: str) -> str:
        return (f'<tbody id="normalthread_{tid}"><tr><th class="common"><a href="thread-{tid}-1-1.html" '
                f'class="s xst">帖子{tid}</a></th><td class="by"><cite>{author}</cite><em>{created}</em></td>'
                f'<td class="num"><a href="thread-{tid}-1-1.html" class="xi2">3</a><em>45</em></td>'
                f'<td class="by"><cite><a href="space-username-x.html">x</a></cite><em><a href="#">{last}</a></em>'
                f'</td></tr></tbody>')

    now = datetime(2018, 8, 21, 12, 0, tzinfo=SHANGHAI)
    page = "<html><body><table id='threadlisttableid'>" + "".join([
        row("1", '<a href="space-uid-77.html">老张</a>', '<span title="2018-8-17">4&nbsp;天前</span>',
            '<span title="2018-8-20">昨天&nbsp;18:07</span>'),
        row("2", "匿名", "<span>2018-6-26</span>", '<span title="2018-8-21 09:05">3&nbsp;小时前</span>'),
        row("3", '<a href="home.php?mod=space&amp;uid=88">小李</a>', '<span title="2018-8-21">1&nbsp;小时前</span>',
            "2018-8-21 11:00"),
    ]) + "</table></body></html>"
    r = PARSERS["discuz"](page, url="http://bbs.example/forum-2-1.html", now=now)
    by = {p.thread_id: p for p in r.items}
    assert by["1"].published_at == datetime(2018, 8, 17, tzinfo=SHANGHAI)  # the title's date, not 4 天前 from now
    assert by["1"].extra["last_post_at"] == "2018-08-20T18:07:00+08:00"  # title date + the shown time of day
    assert (by["1"].author.name, by["1"].author.id) == ("老张", "77")
    assert (by["2"].author.name, by["2"].author.id) == ("匿名", None)  # anonymous keeps its name
    assert by["2"].extra["last_post_at"] == "2018-08-21T09:05:00+08:00"
    assert by["3"].published_at == datetime(2018, 8, 21, 11, 0, tzinfo=SHANGHAI) and by["3"].author.id == "88"
    assert all((p.metrics.comments, p.metrics.reads) == (3, 45) for p in r.items)
    thread = """<html><body><div class="hm ptn"><span class="xg1">查看:</span> <span class="xi1">99</span>
    <span class="pipe">|</span><span class="xg1">回复:</span> <span class="xi1">1</span></div>
    <span id="thread_subject">问</span><div id="postlist">
    <table id="pid10"><tr><td class="pls"><div class="pi">匿名</div></td><td class="plc"><div class="pti">
    <div class="authi"><em id="authorposton10">发表于 <span title="2018-8-20 18:07:01">昨天&nbsp;18:07</span></em>
    </div></div><td class="t_f" id="postmessage_10">垃圾没人收</td></td></tr></table>
    <table id="pid11"><tr><td class="pls"><div class="authi"><a href="space-uid-5.html" class="xw1">答</a></div></td>
    <td class="plc"><div class="authi"><em id="authorposton11">发表于 2018-8-21 10:00</em>
    <a href="forum.php?mod=viewthread&amp;tid=7&amp;authorid=5">只看该作者</a></div>
    <td class="t_f" id="postmessage_11">已反映</td></td></tr></table></div></body></html>"""
    op, reply = PARSERS["discuz"](thread, url="http://bbs.example/thread-7-1-1.html", now=now).items
    assert (op.native_id, op.author.name, op.author.id) == ("bbs.example:7", "匿名", None)
    assert op.published_at == datetime(2018, 8, 20, 18, 7, 1, tzinfo=SHANGHAI)
    assert (op.metrics.comments, op.metrics.reads) == (1, 99)
    assert (reply.native_id, reply.author.name, reply.author.id) == ("bbs.example:7:11", "答", "5")


def test_discuz_7_viewthread_author_cells_anonymous_and_next_page() -> None:
    floor = ('<div id="post_{pid}"><table id="pid{pid}" summary="pid{pid}"><tr><td class="postauthor" rowspan="2">'
             '<div class="postinfo">{who}</div></td><td class="postcontent"><div class="postinfo"><strong>'
             '<a id="postnum{pid}"><em>{n}</em><sup>#</sup></a></strong><div class="authorinfo">'
             '<em id="authorposton{pid}">发表于 2017-5-4 1{n}:25</em></div></div><div class="t_msgfontfix"><table><tr>'
             '<td class="t_msgfont" id="postmessage_{pid}">内容{n}</td></tr></table></div></td></tr></table></div>')
    page = ('<html><body><div id="threadtitle"><h1>老帖子</h1></div><div id="postlist" class="mainbox viewthread">'
            + floor.format(pid=123, n=1, who='<a target="_blank" href="space.php?uid=1234">作者甲</a>')
            + floor.format(pid=124, n=2, who="匿名")
            + '</div><div class="pages"><a href="viewthread.php?tid=9&amp;page=2" class="next">下一页</a></div>'
            '</body></html>')
    r = PARSERS["discuz"](page, url="http://www.hi-pda.com/forum/viewthread.php?tid=9", now=NOW)
    op, reply = r.items
    assert (op.native_id, op.title, op.author.id, op.author.name, op.text) == (
        "www.hi-pda.com:9", "老帖子", "1234", "作者甲", "内容1")
    assert (reply.author.id, reply.author.name, reply.parent_id) == (None, "匿名", op.id)
    assert reply.published_at == datetime(2017, 5, 4, 12, 25, tzinfo=SHANGHAI)
    assert r.next_url == "http://www.hi-pda.com/forum/viewthread.php?tid=9&page=2"
