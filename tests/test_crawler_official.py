"""Official accounts (``official: true`` on a source): their posts are notices, not complaints, unless a reviewer
says otherwise — the pure pipeline step, and a crawl of a simulated WeChat account over HTTP into SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from core import SHANGHAI, Config, Post, Review, ReviewStatus, Severity
from core.config.sources import SourceConfig
from core.model import MessageType
from crawler.pipelines import mark_official
from crawler.run import crawl_source
from simulator.scenario import Scenario
from simulator.server import SimServer
from storage.base import PostQuery
from storage.sqlite import SQLiteStore

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=SHANGHAI)


def test_official_is_a_source_field_defaulting_to_false() -> None:
    base = {"name": "wx", "family": "wechat", "base_url": "http://x"}
    assert SourceConfig.model_validate(base).official is False
    assert SourceConfig.model_validate({**base, "official": True}).official is True
    assert "official" not in SourceConfig.model_validate({**base, "official": True}).options
    with pytest.raises(ValueError, match="official"):
        SourceConfig.model_validate({**base, "official": "maybe"})


def test_mark_official_keeps_the_post_and_lets_a_reviewer_correct() -> None:
    post = Post.new("wechat:大场发布", "1", text="小区垃圾堆了三天没人管，投诉！", published_at=NOW,
                    is_complaint=True, message_type=MessageType.COMPLAINT, severity=Severity.HIGH,
                    extra={"kind": "article"})
    out = mark_official(post)
    assert (out.is_complaint, out.message_type, out.severity) == (False, MessageType.OTHER, Severity.LOW)
    assert out.extra == {"kind": "article", "official": True} and out.text == post.text and out.id == post.id
    assert not out.effective_is_complaint
    praise = mark_official(post.model_copy(update={"message_type": MessageType.PRAISE}))
    assert praise.message_type is MessageType.PRAISE  # a thank-you stays one
    corrected = out.model_copy(update={"review": Review(status=ReviewStatus.CONFIRMED, is_complaint=True)})
    assert corrected.effective_is_complaint  # the reviewer wins


@pytest.fixture(scope="module")
def server() -> Iterator[SimServer]:
    s = SimServer(Scenario(now=NOW, days=4, rates={"wechat": 1.5}, gazetteer="builtin")).start()
    yield s
    s.stop()


def crawl(tmp: Path, server: SimServer, official: bool) -> list[Post]:
    cfg = Config.model_validate({"data_dir": str(tmp), "storage": {"sqlite": {"path": str(tmp / "y.db")}},
                                 "sources": [{"name": "wx", "family": "wechat", "base_url": server.base("wechat"),
                                              "delay": 0, "lookback_hours": 96, "official": official,
                                              "options": {"feeds": ["feeds/MP_WXS_3209768755.atom",
                                                                    "feeds/MP_WXS_3209769872.json"]}}]})
    report = crawl_source(cfg, "wx", timeout=180)
    assert report.status == "finished" and report.stored > 0, report
    store = SQLiteStore(tmp / "y.db")
    try:
        return list(store.iter_posts(PostQuery(limit=10_000, highlight=False)))
    finally:
        store.close()


def test_a_crawled_official_account_stores_notices_not_complaints(tmp_path: Path, server: SimServer) -> None:
    plain = crawl(tmp_path / "plain", server, official=False)
    assert any(p.is_complaint for p in plain)  # the same articles read as complaints by the model
    assert not any(p.extra.get("official") for p in plain)
    official = crawl(tmp_path / "official", server, official=True)
    assert {p.id for p in official} == {p.id for p in plain}  # nothing dropped or added
    assert all(p.extra.get("official") and not p.is_complaint for p in official)
    assert {p.message_type for p in official} <= {MessageType.OTHER, MessageType.PRAISE}
    store = SQLiteStore(tmp_path / "official" / "y.db")
    try:  # the review queue's query (complaints, pending) lists none of them
        assert store.search(PostQuery(is_complaint=True, limit=10, highlight=False)).total == 0
    finally:
        store.close()
