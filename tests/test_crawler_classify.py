"""Response classification for every failure mode of every family (pure)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.classify import Outcome, classify
from simulator import board, discuz, portal, wechat, weibo
from tests.shared import PAGES

SAVED = Path(__file__).resolve().parent / "fixtures" / "pages"


def page(name: str) -> bytes:
    return (SAVED / name).read_bytes()


@pytest.mark.parametrize(("family", "mode", "outcome"), [
    ("weibo", "empty", Outcome.EMPTY), ("weibo", "login", Outcome.LOGIN), ("weibo", "captcha", Outcome.CAPTCHA),
    ("weibo", "418", Outcome.THROTTLED), ("weibo", "432", Outcome.THROTTLED), ("weibo", "login_html", Outcome.LOGIN),
    ("weibo", "error_html", Outcome.BROKEN), ("weibo", "broken", Outcome.BROKEN), ("weibo", "500", Outcome.BROKEN),
    ("wechat", "verify", Outcome.CAPTCHA), ("wechat", "freq", Outcome.THROTTLED), ("wechat", "deleted", Outcome.GONE),
    ("wechat", "violation", Outcome.GONE), ("wechat", "privacy", Outcome.GONE), ("wechat", "closed", Outcome.GONE),
    ("wechat", "expired", Outcome.GONE), ("wechat", "500", Outcome.BROKEN),
    ("forum", "nologin", Outcome.LOGIN), ("forum", "noperm", Outcome.LOGIN), ("forum", "flood", Outcome.THROTTLED),
    ("forum", "503", Outcome.BROKEN),
    ("board", "502", Outcome.BROKEN), ("board", "throttled", Outcome.THROTTLED), ("board", "broken", Outcome.BROKEN),
    ("portal", "401", Outcome.LOGIN), ("portal", "throttled", Outcome.THROTTLED), ("portal", "503", Outcome.BROKEN),
])
def test_simulated_failures_are_classified(family: str, mode: str, outcome: Outcome) -> None:
    module = {"weibo": weibo, "wechat": wechat, "forum": discuz, "board": board, "portal": portal}[family]
    resp = module.failure(mode)
    assert classify(family, resp.status, resp.body)[0] is outcome


@pytest.mark.parametrize(("family", "name"), [
    ("weibo", "weibo/search.json"), ("weibo", "weibo/timeline.json"), ("weibo", "weibo/hotflow.json"),
    ("wechat", "wechat/article-2018.html"), ("wechat", "wechat/article-current.html"), ("wechat", "wechat/feed.atom"),
    ("wechat", "wechat/getmsg.json"), ("forum", "forum/forumdisplay.html"), ("forum", "forum/viewthread.html"),
    ("forum", "forum/viewthread-gbk-labelled-utf8.html"), ("board", "board/list.json"), ("board", "board/content.html"),
    ("portal", "portal/export.json"),
])
def test_real_content_is_ok(family: str, name: str) -> None:
    assert classify(family, 200, page(name))[0] is Outcome.OK


def test_statuses_and_shapes_shared_by_families() -> None:
    assert classify("forum", 404, b"")[0] is Outcome.GONE
    assert classify("board", 429, b"")[0] is Outcome.THROTTLED
    deleted = discuz.message_page("抱歉，指定的主题不存在或已被删除或正在被审核").encode("gbk")
    assert classify("forum", 200, deleted)[0] is Outcome.GONE
    assert classify("wechat", 200, json.dumps({"ret": -3, "errmsg": "no session"}).encode())[0] is Outcome.LOGIN
    assert classify("weibo", 200, json.dumps({"ok": 0, "msg": "这里还没有内容"}).encode())[0] is Outcome.EMPTY
    assert classify("weibo", 200, b'{"ok":1,"data":{"cards":[]}}')[0] is Outcome.EMPTY
    assert Outcome.BROKEN.transient and Outcome.CAPTCHA.transient and not Outcome.GONE.transient


def test_real_captures_classify_like_the_simulator() -> None:
    real = PAGES
    if not real.is_dir():
        pytest.skip("real captures not available")
    assert classify("weibo", 200, (real / "weibo/nonebot-bison_weibo_err_profile.json").read_bytes())[0] \
        is Outcome.EMPTY
    assert classify("wechat", 200, (real / "wechat/wechatsogou_article_detail_expired.html").read_bytes())[0] \
        is Outcome.GONE
    assert classify("wechat", 200, (real / "wechat/gne_wechat_1.html").read_bytes())[0] is Outcome.OK
    assert classify("forum", 200, (real / "forum/hipda_HtmlParserThreadsData.html").read_bytes())[0] is Outcome.OK
