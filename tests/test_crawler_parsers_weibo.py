"""The Weibo parser on real captures, saved simulator pages and hand-written m.weibo.cn / weibo.com shapes
(timelines, search, comments, long text, single statuses, malformed input), with a frozen clock."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from core import SHANGHAI
from crawler.parsers import PARSERS, ParseError
from tests.parser_pages import NOW, NOW_2021, real, saved


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


def test_weibo_search_timeline_and_comments_pages() -> None:
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


def test_weibo_malformed_status_is_skipped_and_a_malformed_response_is_one_line() -> None:
    good = {"mid": "1", "created_at": "Sat Jun 14 12:00:00 +0800 2025", "text": "好", "user": {"id": 1}}
    bad = {"mid": "2", "created_at": "Sat Jun 14 12:00:00 +0800 2025", "text": "坏", "user": {"screen_name": 5}}
    page = {"ok": 1, "data": {"cards": [{"card_type": 9, "mblog": good}, {"card_type": 9, "mblog": bad}]}}
    r = PARSERS["weibo"](json.dumps(page), now=NOW)
    assert [p.native_id for p in r.items] == ["1"] and r.skipped == ["status 2: malformed (ValidationError)"]
    with pytest.raises(ParseError, match="malformed Weibo response") as exc:
        PARSERS["weibo"](json.dumps({"ok": 1, "data": {"cards": [{"card_group": 5}]}}), now=NOW)
    assert "\n" not in str(exc.value)


def test_weibo_malformed_single_status_is_skipped_with_a_reason() -> None:
    """statuses/show of one watched status that cannot be read: no post, but a reason (not a silent nothing)."""
    body = json.dumps({"ok": 1, "data": {"id": "4649031014551911", "mid": "4649031014551911", "text": "x",
                                         "created_at": "不是时间", "user": "not an object"}})
    r = PARSERS["weibo"](body, url="https://m.weibo.cn/statuses/show?id=4649031014551911", now=NOW_2021)
    assert r.items == [] and len(r.skipped) == 1, r.skipped
    assert r.skipped[0].startswith("status")
