"""Parsers on real captures (../shared/reference/pages) and on saved simulator pages, with a frozen clock."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from core import SHANGHAI
from crawler.parsers import PARSERS, ParseError
from crawler.parsers.common import decode_html, parse_cn_time, to_int
from tests.shared import PAGES

REAL = PAGES
SAVED = Path(__file__).resolve().parent / "fixtures" / "pages"
MANIFEST = json.loads((SAVED / "manifest.json").read_text(encoding="utf-8"))
NOW_2021 = datetime(2021, 6, 18, 12, 0, tzinfo=SHANGHAI)


def real(name: str) -> bytes:
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"real capture {path} not available")
    return path.read_bytes()


def saved(name: str):
    m = MANIFEST[name]
    return PARSERS[m["family"]]((SAVED / name).read_bytes(), url=m["url"], now=datetime.fromisoformat(m["now"]))


# ---- real captures -------------------------------------------------------------------------------
def test_weibo_real_timeline_cards_pinned_repost_longtext_and_cursor() -> None:
    url = "https://m.weibo.cn/api/container/getIndex?containerid=1076036279793937"
    r = PARSERS["weibo"](real("weibo/nonebot-bison_weibo_ak_list_1.json"), url=url, now=NOW_2021)
    by_mid = {p.native_id: p for p in r.items}
    assert len(by_mid) == len(r.items) == 11  # 11 cards, the repost's original is the pinned post (kept once)
    assert by_mid["4645748019299849"].extra.get("pinned") is True
    assert by_mid["4649106427873349"].published_at == datetime(2021, 6, 17, 16, 0, 11, tzinfo=SHANGHAI)
    assert by_mid["4648806186747944"].extra["retweeted_mid"] == "4645748019299849"
    assert r.cursor == {"since_id": "4646131823281332"}
    assert {link["mid"] for link in r.links} >= {"4649031014551911"}
    assert all(link["url"].startswith("https://m.weibo.cn/statuses/extend?id=") for link in r.links)
    for p in r.items:
        assert "<" not in p.text and p.text
        assert p.published_at.utcoffset() is not None
        assert isinstance(p.metrics.likes, int)
    assert "#明日方舟#" in by_mid["4649106427873349"].text  # topics kept as text
    assert "@微博抽奖平台" in by_mid["4648806186747944"].text  # mentions kept as text


def test_weibo_real_long_text_and_empty_container() -> None:
    r = PARSERS["weibo"](real("weibo/nonebot-bison_weibo_detail_4649031014551911.json"),
                         url="https://m.weibo.cn/statuses/extend?id=4649031014551911", now=NOW_2021)
    assert r.patches[0]["mid"] == "4649031014551911"
    assert r.patches[0]["text"].startswith("#明日方舟# 06月17日16:00闪断更新公告\n感谢您对《明日方舟》的关注与支持")
    empty = PARSERS["weibo"](real("weibo/nonebot-bison_weibo_err_profile.json"), now=NOW_2021)
    assert empty.items == [] and empty.gone is None  # "这里还没有内容" is empty, not a block


def test_wechat_real_2018_article_uses_inline_variables() -> None:
    r = PARSERS["wechat"](real("wechat/wechatsogou_article_detail_qqmusic.html"), now=NOW_2021)
    (p,) = r.items
    assert p.native_id == "MzIwOTc2ODc1NQ==:2247484727:1"
    assert p.source == "wechat:闲云野鹤古刹" and p.title == "关于音乐"
    assert p.published_at == datetime.fromtimestamp(1523110915, SHANGHAI)
    assert "读书是最奢侈的享受" in p.text and "<" not in p.text and "var " not in p.text


def test_wechat_real_rendered_dom_and_expired_placeholder() -> None:
    (p,) = PARSERS["wechat"](real("wechat/gne_wechat_1.html"), now=NOW_2021).items
    assert p.title == "三星 Galaxy S20 系列手机正式发布"
    assert p.published_at == datetime.fromtimestamp(1581517074, SHANGHAI)  # not "昨天" from the rendered DOM
    assert p.native_id == "MjM5NzE1NTMyNg==:2650934104:1" and len(p.text) > 1000
    expired = PARSERS["wechat"](real("wechat/wechatsogou_article_detail_expired.html"), now=NOW_2021)
    assert expired.gone == "expired" and expired.items == []


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


# ---- saved simulator pages -----------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(n for n, m in MANIFEST.items() if m["status"] == 200 and m["url"]))
def test_saved_simulator_pages_give_clean_aware_items(name: str) -> None:
    r = saved(name)
    assert r.items or r.links or r.patches
    for p in r.items:
        assert p.text and "<" not in p.text and "&nbsp;" not in p.text
        assert p.published_at.utcoffset() is not None
        assert p.published_at <= datetime.fromisoformat(MANIFEST[name]["now"])


@pytest.mark.parametrize(("name", "reason"), [
    ("weibo/login.json", "需要登录"), ("weibo/captcha.json", "验证码"), ("weibo/login.html", "登录页"),
    ("wechat/verify.html", "暂时性"), ("forum/nologin.html", "需要登录"),
])
def test_saved_failure_pages_raise_one_line_reasons(name: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason) as exc:
        PARSERS[MANIFEST[name]["family"]]((SAVED / name).read_bytes(), now=NOW_2021)
    assert "\n" not in str(exc.value)


def test_saved_placeholders_are_gone_and_empty_is_empty() -> None:
    assert PARSERS["wechat"]((SAVED / "wechat/deleted.html").read_bytes()).gone == "deleted"
    assert PARSERS["wechat"]((SAVED / "wechat/violation.html").read_bytes()).gone == "violation"
    assert PARSERS["weibo"]((SAVED / "weibo/empty.json").read_bytes()).items == []


def test_gbk_pages_including_mislabelled_ones_decode_to_the_same_text() -> None:
    names = ["forum/viewthread-gbk.html", "forum/viewthread-utf8-labelled-gbk.html",
             "forum/viewthread-gbk-labelled-utf8.html"]
    for name in names:
        raw = (SAVED / name).read_bytes()
        text = decode_html(raw, MANIFEST[name]["content_type"])
        assert "大场论坛" in text and "\ufffd" not in text
        op = saved(name).items[0]
        assert any(word in op.title for word in ("随手拍", "问题反映", "点赞")), op.title
    assert (SAVED / names[1]).read_bytes().decode("utf-8")  # really UTF-8 bytes under a GBK label
    with pytest.raises(UnicodeDecodeError):
        (SAVED / names[2]).read_bytes().decode("utf-8")  # really GBK bytes under a UTF-8 label


def test_forum_list_has_sticky_threads_relative_dates_and_next_page() -> None:
    r = saved("forum/forumdisplay.html")
    assert [p.extra["sticky"] for p in r.items[:2]] == [True, True]
    assert not any(p.extra["sticky"] for p in r.items[2:])
    assert r.next_url == "http://sim.local/forum/forum-2-2.html"
    assert all(p.extra["last_post_at"] for p in r.items)


def test_board_json_list_cursor_detail_reply_and_html_variant() -> None:
    lst = saved("board/list.json")
    assert lst.cursor == {"lastItem": lst.items[-1].native_id, "count": 10}
    assert all(p.extra["status"] in ("待回复", "办理中", "已办理") for p in lst.items)
    detail_json, detail_html = saved("board/content.json").items[0], saved("board/content.html").items[0]
    assert detail_json.id == detail_html.id and detail_json.text == detail_html.text
    assert detail_json.extra["status"] == detail_html.extra["status"]
    links = saved("board/list.html").links
    assert len(links) == 10 and all(link["tid"] for link in links)


def test_weibo_search_timeline_comments_and_wechat_lists() -> None:
    search = saved("weibo/search.json")
    assert search.cursor == {"page": 2} and len(search.items) == 10
    timeline = saved("weibo/timeline.json")
    assert timeline.items[0].extra.get("pinned") and "since_id" in timeline.cursor
    texts = [p.text for p in timeline.items]
    assert any(t.startswith("#") and "# " in t for t in texts)  # topics kept as text
    assert any("@大场发布" in t for t in texts)  # mentions kept as text
    assert any(t.endswith(("[怒]", "[微笑]", "[赞]", "[doge]", "[抓狂]")) for t in texts)  # emoticons as alt text
    comments = saved("weibo/hotflow.json")
    assert comments.items and all(c.extra["kind"] == "comment" and c.parent_id for c in comments.items)
    for name in ("wechat/feed.atom", "wechat/feed.json", "wechat/getmsg.json"):
        links = saved(name).links
        assert links and all("&amp;" not in link["url"] and "\\/" not in link["url"] for link in links)
    article = saved("wechat/article-current.html").items[0]
    assert article.source.startswith("wechat:") and article.native_id.count(":") == 2


def test_portal_export_through_a_mapping() -> None:
    row = {"pid": 7, "subject": "楼道堆物", "body": "<p>3号楼楼道堆满杂物</p>", "user": "李**",
           "time": "2026-11-03 08:00", "jw": "乾溪一居委"}
    body = json.dumps({"status": "success", "result": {"rows": [row]}}, ensure_ascii=False)
    mapping = {"ok_field": "status", "ok_value": "success", "items": "result.rows", "id": "pid", "title": "subject",
               "text": "body", "author": "user", "published_at": "time", "committee": "jw"}
    (p,) = PARSERS["portal"](body, url="http://x/api", now=NOW_2021, mapping=mapping).items
    assert (p.native_id, p.text, p.region) == ("7", "3号楼楼道堆满杂物", "乾溪一居委")
    assert p.published_at == datetime(2026, 11, 3, 8, 0, tzinfo=SHANGHAI)


# ---- shared helpers ------------------------------------------------------------------------------
NOW = datetime(2026, 11, 4, 12, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("text", "expected"), [
    ("刚刚", NOW), ("5分钟前", datetime(2026, 11, 4, 11, 55, tzinfo=SHANGHAI)),
    ("3小时前", datetime(2026, 11, 4, 9, 0, tzinfo=SHANGHAI)),
    ("昨天 18:07", datetime(2026, 11, 3, 18, 7, tzinfo=SHANGHAI)),
    ("昨天&nbsp;18:07", datetime(2026, 11, 3, 18, 7, tzinfo=SHANGHAI)),
    ("05-02", datetime(2026, 5, 2, tzinfo=SHANGHAI)), ("12-30", datetime(2025, 12, 30, tzinfo=SHANGHAI)),
    ("2018-6-26", datetime(2018, 6, 26, tzinfo=SHANGHAI)),
    ("发表于 2026-6-20 10:00", datetime(2026, 6, 20, 10, 0, tzinfo=SHANGHAI)),
    ("2018年7月11日 23:46", datetime(2018, 7, 11, 23, 46, tzinfo=SHANGHAI)),
    ("Sat Jun 14 12:00:00 +0800 2025", datetime(2025, 6, 14, 12, 0, tzinfo=SHANGHAI)),
    ("1523110915", datetime.fromtimestamp(1523110915, SHANGHAI)),
])
def test_parse_cn_time(text: str, expected: datetime) -> None:
    assert parse_cn_time(text, NOW) == expected


def test_parse_cn_time_rejects_garbage() -> None:
    with pytest.raises(ParseError):
        parse_cn_time("很久以前", NOW)


@pytest.mark.parametrize(("value", "n"), [
    ("1.2万", 12000), ("100万+", 1_000_000), (37, 37), ("", 0), ("3亿", 300_000_000)])
def test_to_int(value, n: int) -> None:
    assert to_int(value) == n


# ---- other public shapes of the same families ---------------------------------------------------
def test_weibo_desktop_and_legacy_shapes() -> None:
    status = {"ok": 1, "id": 5012345678901234, "mid": "5012345678901234", "mblogid": "P1aBcD",
              "created_at": "Tue Nov 03 09:15:00 +0800 2026", "text_raw": "场中路又堵了 #大场#",
              "text": "场中路又堵了 <a href='/x'>#大场#</a>", "region_name": "发布于 上海",
              "user": {"id": 123, "screen_name": "路人"}, "reposts_count": 1, "comments_count": 2,
              "attitudes_count": "1.1万"}
    url = "https://weibo.com/ajax/statuses/show?id=P1aBcD"
    (p,) = PARSERS["weibo"](json.dumps(status), url=url, now=NOW).items
    assert (p.native_id, p.text, p.region) == ("5012345678901234", "场中路又堵了 #大场#", "上海")
    assert p.metrics.likes == 11000
    listing = {"ok": 1, "data": {"list": [dict(status, mid="5012345678900000", id=5012345678900000)]}}
    assert PARSERS["weibo"](json.dumps(listing), now=NOW).items[0].native_id == "5012345678900000"
    comments = {"ok": 1, "data": [{"id": 77, "text": "同感", "created_at": "Tue Nov 03 10:00:00 +0800 2026",
                                   "like_counts": 3, "user": {"id": 9, "screen_name": "甲"}, "source": "来自上海"}],
                "max_id": 0}
    (c,) = PARSERS["weibo"](json.dumps(comments), url="https://weibo.com/ajax/statuses/buildComments?id=1&mid=1",
                            now=NOW).items
    assert c.native_id == "comment:77" and c.metrics.likes == 3 and c.region == "上海"
    legacy = {"ok": 1, "data": {"data": comments["data"], "max": 3}}
    r = PARSERS["weibo"](json.dumps(legacy), url="https://m.weibo.cn/api/comments/show?id=1&page=1", now=NOW)
    assert r.cursor == {"page": 2} and r.items


def test_wechat_newer_page_without_biz_vars_uses_msg_link_and_create_time() -> None:
    page = """<html><head><meta property="og:title" content="标题" /></head><body>
    <h1 class="rich_media_title" id="activity-name"> 标题 </h1>
    <a id="js_name"> 某公众号 </a><em id="publish_time"></em>
    <div class="rich_media_content" id="js_content"><section><p>正文<img alt="[微笑]" src="x"></p></section></div>
    <script>var msg_link = "http://mp.weixin.qq.com/s?__biz=MzA5&amp;mid=2650000001&amp;idx=2&amp;sn=ab#rd";
    var create_time = "1700000000" * 1;</script></body></html>"""
    (p,) = PARSERS["wechat"](page.encode(), now=NOW).items
    assert p.native_id == "MzA5:2650000001:2" and p.source == "wechat:某公众号" and p.text == "正文[微笑]"
    assert p.published_at == datetime.fromtimestamp(1700000000, SHANGHAI)


def test_board_legacy_list_api_and_string_codes() -> None:
    from crawler.classify import Outcome, classify

    rec = {"tid": 9001, "subject": "路灯不亮", "content": "乾溪路的路灯坏了…", "nickName": "王***",
           "dateline": 1762300000, "stateInfo": "办理中", "typeName": "投诉", "domainName": "城建"}
    legacy = json.dumps({"result": "success", "success": True, "responseData": [rec]}, ensure_ascii=False).encode()
    (p,) = PARSERS["board"](legacy, url="http://liuyan.example/threads/queryThreadsList", now=NOW).items
    assert p.native_id == "9001" and p.extra["status"] == "办理中" and p.extra["truncated"]
    assert classify("board", 200, legacy)[0] is Outcome.OK
    modern = json.dumps({"resultCode": "200", "resultData": {"data": [rec]}}, ensure_ascii=False).encode()
    assert PARSERS["board"](modern, now=NOW).items and classify("board", 200, modern)[0] is Outcome.OK


def test_discuz_relative_date_keeps_its_time_when_the_title_has_only_the_day() -> None:
    row = ('<table id="threadlisttableid"><tbody id="normalthread_5"><tr><th class="new">'
           '<a href="thread-5-1-1.html" class="s xst">标题</a></th><td class="by"><cite><a href="space-uid-1.html">甲'
           '</a></cite><em><span title="2026-11-3">昨天&nbsp;18:07</span></em></td><td class="num"><a class="xi2">1</a>'
           '<em>9</em></td><td class="by"><cite><a>乙</a></cite><em><a><span title="2026-11-4 08:01">3&nbsp;小时前'
           '</span></a></em></td></tr></tbody></table>')
    (p,) = PARSERS["discuz"](f"<html><body>{row}</body></html>", url="http://bbs.x/forum-2-1.html", now=NOW).items
    assert p.published_at.isoformat() == "2026-11-03T18:07:00+08:00"
    assert p.extra["last_post_at"] == "2026-11-04T08:01:00+08:00"


def test_wechat_picture_message_page() -> None:
    page = ('<html><body><h1 id="activity-name">随手拍</h1><div id="js_image_desc"><p>河道又发臭了</p></div>'
            '<script>var biz = ""||"MzA5"; var mid = "" || "" || "2650000009"; var idx = "" || "" || "1";'
            'var nickname = htmlDecode("大场发布"); var ct = "1762300000";</script></body></html>')
    (p,) = PARSERS["wechat"](page, now=NOW).items
    assert (p.native_id, p.text) == ("MzA5:2650000009:1", "河道又发臭了")


def test_weibo_single_status_shapes_show_and_desktop() -> None:
    user = {"id": 1001, "screen_name": "大场居民"}
    full = {"ok": 1, "data": {"created_at": "Tue Jun 08 09:35:04 +0800 2021", "id": "4645748019299849",
                              "mid": "4645748019299849", "bid": "Kjc77D1jz", "isLongText": True, "user": user,
                              "text": "第一段<br />第二段，全文都在这里", "reposts_count": 7299,
                              "comments_count": "1.2万", "attitudes_count": 39018}}
    (p,) = PARSERS["weibo"](json.dumps(full), url="https://m.weibo.cn/statuses/show?id=Kjc77D1jz", now=NOW).items
    assert p.native_id == "4645748019299849" and p.text == "第一段\n第二段，全文都在这里"
    assert not p.extra.get("truncated") and p.metrics.comments == 12000  # show gives the whole text
    cut = {**full["data"], "text": '第一段 ...<a href="/status/Kjc77D1jz">全文</a>'}
    (q,) = PARSERS["weibo"](json.dumps({"ok": 1, "data": cut}), now=NOW).items
    assert q.extra["truncated"] and q.text == "第一段"
    desktop = {"ok": 1, "idstr": "4645748019299849", "mid": "4645748019299849", "mblogid": "Kjc77D1jz",
               "created_at": "Tue Jun 08 09:35:04 +0800 2021", "isLongText": True, "user": {**user, "idstr": "1001"},
               "text_raw": "第一段 第二", "text": '第一段 第二<span class="expand">展开</span>',
               "region_name": "发布于 上海", "reposts_count": 1, "comments_count": 2, "attitudes_count": 3}
    (d,) = PARSERS["weibo"](json.dumps(desktop), url="https://weibo.com/ajax/statuses/show?id=Kjc77D1jz", now=NOW).items
    assert d.extra["truncated"] and d.text == "第一段 第二" and d.region == "上海"
    assert d.url == "https://weibo.com/1001/Kjc77D1jz"
    r = PARSERS["weibo"](json.dumps({"ok": 1, "data": {"longTextContent": "第一段 第二段 全文"}}),
                         url="https://weibo.com/ajax/statuses/longtext?id=Kjc77D1jz", now=NOW)
    assert r.patches == [{"mid": "Kjc77D1jz", "text": "第一段 第二段 全文"}]


def test_wechat_current_markup_writer_account_and_escaped_link() -> None:
    page = """<html><head><meta property="og:title" content="垃圾房"></head><body>
    <h1 class="rich_media_title" id="activity-name">大华二村垃圾房</h1>
    <div id="meta_content" class="rich_media_meta_list">
      <span id="copyright_logo" class="rich_media_meta icon_appmsg_tag">原创</span>
      <span class="rich_media_meta rich_media_meta_text">小王</span>
      <span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a id="js_name"> 大场发布 </a></span>
      <em id="publish_time" class="rich_media_meta rich_media_meta_text"></em>
      <em id="js_ip_wording_wrp" class="rich_media_meta_text">发表于上海</em>
    </div>
    <div class="rich_media_content" id="js_content" style="visibility: hidden;"><p>垃圾房满了没人清运。</p></div>
    <script>var biz = ""||"MzA5NjAz==";var mid = "" || ""|| "2650000001";var idx = "" || "" || "2";
    var sn = "" || ""|| "abc123"; var ct = "1700000000";
    var msg_link = "http://mp.weixin.qq.com/s?__biz=MzA5NjAz==\\x26amp;mid=2650000001\\x26amp;idx=2\\x26amp;sn=abc123#rd";
    var nickname = htmlDecode("大场发布");</script></body></html>"""
    (p,) = PARSERS["wechat"](page.encode(), now=NOW).items
    assert p.author.name == "小王" and p.source == "wechat:大场发布" and p.extra["account"] == "大场发布"
    assert p.url == "http://mp.weixin.qq.com/s?__biz=MzA5NjAz==&mid=2650000001&idx=2&sn=abc123#rd"
    assert p.native_id == "MzA5NjAz==:2650000001:2" and p.text == "垃圾房满了没人清运。"
    no_writer = page.replace('<span class="rich_media_meta rich_media_meta_text">小王</span>', "")
    (q,) = PARSERS["wechat"](no_writer.encode(), now=NOW).items
    assert q.author.name is None and q.source == "wechat:大场发布"  # the account is the source, not the author


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


def test_weibo_malformed_status_is_skipped_and_a_malformed_response_is_one_line() -> None:
    good = {"mid": "1", "created_at": "Sat Jun 14 12:00:00 +0800 2025", "text": "好", "user": {"id": 1}}
    bad = {"mid": "2", "created_at": "Sat Jun 14 12:00:00 +0800 2025", "text": "坏", "user": {"screen_name": 5}}
    page = {"ok": 1, "data": {"cards": [{"card_type": 9, "mblog": good}, {"card_type": 9, "mblog": bad}]}}
    r = PARSERS["weibo"](json.dumps(page), now=NOW)
    assert [p.native_id for p in r.items] == ["1"] and r.skipped == ["status 2: malformed (ValidationError)"]
    with pytest.raises(ParseError, match="malformed Weibo response") as exc:
        PARSERS["weibo"](json.dumps({"ok": 1, "data": {"cards": [{"card_group": 5}]}}), now=NOW)
    assert "\n" not in str(exc.value)


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


def test_weibo_malformed_single_status_is_skipped_with_a_reason() -> None:
    """statuses/show of one watched status that cannot be read: no post, but a reason (not a silent nothing)."""
    body = json.dumps({"ok": 1, "data": {"id": "4649031014551911", "mid": "4649031014551911", "text": "x",
                                         "created_at": "不是时间", "user": "not an object"}})
    r = PARSERS["weibo"](body, url="https://m.weibo.cn/statuses/show?id=4649031014551911", now=NOW_2021)
    assert r.items == [] and len(r.skipped) == 1, r.skipped
    assert r.skipped[0].startswith("status")
