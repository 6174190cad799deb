"""The real site captures of ../shared/reference/pages (outside the repository, never copied into it): reading
one, skipping (or, under CI=true, failing) a test without them, and what they say, read here with plain JSON
and regular expressions, independently of ``crawler.parsers``."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from typing import Any

import pytest

from core import SHANGHAI
from tests.conftest import IN_CI
from tests.shared import PAGES

CAPTURES = PAGES  # outside the repository, never copied into it


def capture(name: str) -> bytes:
    return (CAPTURES / name).read_bytes()


def need_captures() -> None:
    """Skip the calling test without the captures; under CI=true fail it (the replay material must be there)."""
    if not CAPTURES.is_dir():
        if IN_CI:
            pytest.fail(f"CI=true and the real captures are missing at {CAPTURES}", pytrace=False)
        pytest.skip(f"real captures not found at {CAPTURES}")


WEIBO_UID = "6279793937"
WEIBO_NOW = datetime(2021, 6, 17, 17, 0, tzinfo=SHANGHAI)  # the replayed m.weibo.cn's clock
WEIBO_LOOKBACK = 24
WECHAT = {  # the article URLs a user copies from the app (mp.weixin.qq.com), one per capture
    "https://mp.weixin.qq.com/s?__biz=MzIwOTc2ODc1NQ==&mid=2247484727&idx=1":
        "wechat/wechatsogou_article_detail_qqmusic.html",
    "https://mp.weixin.qq.com/s?__biz=MjM5NzE1NTMyNg==&mid=2650934104&idx=1": "wechat/gne_wechat_1.html",
    "https://mp.weixin.qq.com/s/Xq3Ue5RlqNqY4rGk2BzKyA": "wechat/wechatsogou_article_detail_expired.html",
}
HIPDA_NOW = datetime(2017, 5, 4, 16, 0, tzinfo=SHANGHAI)
HIPDA_LOOKBACK = 1


def weibo_cards() -> list[dict[str, Any]]:
    data = json.loads(capture("weibo/nonebot-bison_weibo_ak_list_1.json"))
    return [c["mblog"] for c in data["data"]["cards"] if c.get("card_type") == 9]


def weibo_time(created_at: str) -> datetime:
    return datetime.strptime(created_at, "%a %b %d %H:%M:%S %z %Y")


def squash(text: str) -> str:
    """Whitespace as a browser shows it: runs of spaces and line breaks are one space."""
    return " ".join(text.split())


def plain(fragment: str) -> list[str]:
    """The text runs of an HTML fragment (tags dropped, entities read, the "..." of a cut text dropped, spaces
    squashed), longest first."""
    runs = [squash(html.unescape(r)).removesuffix("...").strip() for r in re.split(r"<[^>]+>", fragment)]
    return sorted((r for r in runs if len(r) >= 8 and "全文" not in r), key=len, reverse=True)


def hipda_rows() -> list[dict[str, Any]]:
    """Every thread row of the hi-pda list: tid, title, author and uid, date, replies, views, last post."""
    page = capture("forum/hipda_HtmlParserThreadsData.html").decode("utf-8")  # labelled GBK, bytes UTF-8
    rows = []
    for m in re.finditer(r'<tbody id="(normal|stick)thread_(\d+)">(.*?)</tbody>', page, re.S):
        body = m.group(3)
        title = re.search(r'<span id="thread_\d+"><a [^>]*>(.*?)</a>', body, re.S).group(1)
        author = re.search(r'<td class="author">\s*<cite>\s*<a href="space.php\?uid=(\d+)">(.*?)</a>\s*</cite>\s*'
                           r'<em>([\d-]+)</em>', body, re.S)
        nums = re.search(r'<strong>(\d+)</strong>/<em>(\d+)</em>', body)
        last = re.search(r'goto=lastpost#lastpost">([\d-]+ [\d:]+)</a>', body).group(1)
        rows.append({"tid": m.group(2), "sticky": m.group(1) == "stick", "title": html.unescape(title),
                     "uid": author.group(1), "author": html.unescape(author.group(2)),
                     "date": datetime.strptime(author.group(3), "%Y-%m-%d").date(),
                     "replies": int(nums.group(1)), "views": int(nums.group(2)),
                     "last": datetime.strptime(last, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)})
    return rows


#: The mcbbs thread, as its page reads (floor authors, uids and times; the header's views and replies).
MCBBS_TID = "1340080"
MCBBS_TITLE = "（已恢复）Mojang Status：服务器出现一些小问题"
MCBBS_FLOORS = [("25820735", "2999647", "DreamVoid", "2022-05-16T19:34:56"),
                ("25822215", "4602348", "躲雨的行人", "2022-05-16T21:55:51"),
                ("25822437", "3290945", "浅海星未眠", "2022-05-16T22:17:01"),
                ("25822849", "4274332", "peterlsl", "2022-05-16T22:48:42")]
MCBBS_VIEWS, MCBBS_REPLIES = 1612, 3
