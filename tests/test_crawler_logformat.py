"""Dropped items are logged by id and reason, never with their text or poster."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from scrapy.exceptions import DropItem

from core import Author, Post
from crawler.logformat import QuietDropFormatter


def test_dropped_item_line_has_no_body() -> None:
    post = Post.new("weibo", "1", text="秘密的投诉内容", author=Author(name="张三"),
                    published_at=datetime(2026, 11, 5, tzinfo=UTC))
    entry = QuietDropFormatter().dropped(post, DropItem("duplicate"), None, None)
    line = entry["msg"] % entry["args"]
    assert entry["level"] == logging.INFO
    assert line == f"Dropped {post.id}: duplicate"
    assert "张三" not in line and "秘密" not in line
