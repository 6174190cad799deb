"""The parsers on damaged real captures (cut short, a flipped byte, a hole, a doubled run, lost quotes): each
mutation parses or is refused with a one-line ParseError, never another exception."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

import pytest

from core import SHANGHAI
from crawler.parsers import PARSERS
from crawler.parsers.common import ParseError
from tests.real_captures import capture, need_captures

pytestmark = pytest.mark.slow


FUZZED = {"weibo": ["weibo/nonebot-bison_weibo_ak_list_1.json",
                    "weibo/nonebot-bison_weibo_detail_4649031014551911.json",
                    "weibo/nonebot-bison_weibo_err_profile.json"],
          "wechat": ["wechat/wechatsogou_article_detail_qqmusic.html", "wechat/gne_wechat_1.html",
                     "wechat/wechatsogou_article_detail_expired.html"],
          "forum": ["forum/hipda_HtmlParserThreadsData.html", "forum/nonebot-bison_mcbbsnews_java_express.html"]}


def mutate(body: bytes, rng: Any) -> bytes:
    """One damage a transport or a site does: cut short, a flipped byte, a hole, a doubled run, lost quotes."""
    i = rng.randrange(len(body))
    kind = rng.randrange(5)
    if kind == 0:
        return body[:i]
    if kind == 1:
        return body[:i] + bytes([rng.randrange(256)]) + body[i + 1:]
    if kind == 2:
        return body[:i] + body[i + rng.randrange(1, 2000):]
    if kind == 3:
        j = i + rng.randrange(1, 500)
        return body[:i] + body[i:j] * 2 + body[j:]
    return body.replace(b'"', b"", rng.randrange(1, 20))


@pytest.mark.parametrize("family", sorted(FUZZED))
def test_parsers_survive_mutated_real_captures(family: str) -> None:
    """Every mutation parses or is refused with a ParseError (one line): never another exception."""
    need_captures()
    rng = random.Random(f"fuzz:{family}")
    now = datetime(2021, 6, 17, 17, 0, tzinfo=SHANGHAI)
    refused = 0
    for name in FUZZED[family]:
        body = capture(name)
        for _ in range(40):
            try:
                PARSERS[family](mutate(body, rng), url="https://example.com/s?id=1", now=now)
            except ParseError:
                refused += 1
    assert refused < 40 * len(FUZZED[family])  # most damage still leaves a readable page
