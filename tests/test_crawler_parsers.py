"""Parsers across families: every saved simulator page gives clean, dated items, failure pages raise one-line
reasons, placeholders are gone; and the shared helpers (Chinese dates, counts, mislabelled charsets)."""

from __future__ import annotations

from datetime import datetime

import pytest

from core import SHANGHAI
from crawler.parsers import PARSERS, ParseError
from crawler.parsers.common import decode_html, parse_cn_time, to_int
from tests.parser_pages import MANIFEST, NOW, NOW_2021, SAVED, saved


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


# ---- shared helpers ------------------------------------------------------------------------------
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
