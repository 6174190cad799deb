"""The sample posts and the injected clock every contract module (and a few other tests) use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core import (
    Author,
    PlaceRef,
    Post,
    SentimentLabel,
    Severity,
)

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
STORE_NOW = T0 + timedelta(days=2, minutes=7)  # what the stores under test read as "now"


def store_clock() -> datetime:
    """The clock every store under test is given: the sample posts' week, never today."""
    return STORE_NOW


def make_post(n: int, text: str, *, source: str = "weibo", hours: float = 0, **fields) -> Post:
    """A post published ``hours`` after T0."""
    return Post.new(
        source,
        f"n{n}",
        text=text,
        published_at=T0 + timedelta(hours=hours),
        author=Author(id=f"u{n}", name=f"居民{n}"),
        **fields,
    )


def place(pid: str, name: str) -> PlaceRef:
    return PlaceRef(id=pid, name=name)


SAMPLE = [
    make_post(1, "大场镇场中路菜场门口垃圾堆了三天没人管，臭气熏天", hours=0, topic="sanitation",
              is_complaint=True, sentiment=0.1, sentiment_label=SentimentLabel.NEGATIVE,
              places=[place("p-market", "大场菜场")], severity=Severity.NORMAL, cluster_id="c1"),
    make_post(2, "转发：场中路菜场门口垃圾堆了三天没人管", hours=1, source="wechat:dachang",
              topic="sanitation", is_complaint=True, sentiment=0.2, sentiment_label=SentimentLabel.NEGATIVE,
              places=[place("p-market", "大场菜场")], severity=Severity.NORMAL, cluster_id="c1"),
    make_post(3, "祁连山路上店招店牌松动，随时可能砸到行人，安全隐患", hours=2, source="forum:baoshan",
              topic="shop_signs", is_complaint=True, sentiment=0.05, sentiment_label=SentimentLabel.NEGATIVE,
              places=[place("p-qilian", "祁连山路")], severity=Severity.URGENT),
    make_post(4, "今天大场公园的菊花开得真好，周末带孩子来玩", hours=3, topic="greenery",
              is_complaint=False, sentiment=0.95, sentiment_label=SentimentLabel.POSITIVE,
              places=[place("p-park", "大场公园")]),
    make_post(5, "小区门口乱停车严重，多次打12345投诉", hours=26, source="board:12345",
              topic="parking", is_complaint=True, sentiment=0.15, sentiment_label=SentimentLabel.NEGATIVE,
              places=[place("p-market", "大场菜场"), place("p-qilian", "祁连山路")], severity=Severity.HIGH),
    make_post(6, "Weekly English update about the district", hours=30, source="wechat:news"),
]
