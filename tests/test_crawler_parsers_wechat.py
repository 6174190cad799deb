"""The WeChat parser on real article captures, saved simulator pages (feeds, message lists, articles) and
hand-written article markups of several vintages, with a frozen clock."""

from __future__ import annotations

from datetime import datetime

from core import SHANGHAI
from crawler.parsers import PARSERS
from tests.parser_pages import NOW, NOW_2021, real, saved


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


def test_wechat_list_pages_and_current_article() -> None:
    for name in ("wechat/feed.atom", "wechat/feed.json", "wechat/getmsg.json"):
        links = saved(name).links
        assert links and all("&amp;" not in link["url"] and "\\/" not in link["url"] for link in links)
    article = saved("wechat/article-current.html").items[0]
    assert article.source.startswith("wechat:") and article.native_id.count(":") == 2


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


def test_wechat_picture_message_page() -> None:
    page = ('<html><body><h1 id="activity-name">随手拍</h1><div id="js_image_desc"><p>河道又发臭了</p></div>'
            '<script>var biz = ""||"MzA5"; var mid = "" || "" || "2650000009"; var idx = "" || "" || "1";'
            'var nickname = htmlDecode("大场发布"); var ct = "1762300000";</script></body></html>')
    (p,) = PARSERS["wechat"](page, now=NOW).items
    assert (p.native_id, p.text) == ("MzA5:2650000009:1", "河道又发臭了")


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
