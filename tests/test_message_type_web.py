"""The console: a message-type filter on search and review, a type badge on post cards, in Chinese."""

from __future__ import annotations

import re

import pytest

from core.model import MessageType
from tests.web_support import login, make_client, post


def _posts():
    return [
        post(1, "场中路垃圾堆了三天没人管", message_type=MessageType.COMPLAINT),
        post(2, "请问场中路垃圾几点清运", complaint=False, sentiment="neutral", message_type=MessageType.INQUIRY),
        post(3, "建议场中路多放几个垃圾桶", complaint=False, sentiment="neutral",
             message_type=MessageType.SUGGESTION),
        post(4, "求助：场中路路灯坏了，晚上很黑", topic="shop_signs", message_type=MessageType.REQUEST),
    ]


@pytest.fixture
def client(tmp_path):
    c = make_client(tmp_path, posts=_posts())
    login(c, "office")
    return c


def _cards(html: str) -> list[str]:
    return re.findall(r'<article class="post.*?</article>', html, re.S)


def test_search_filters_by_message_type_and_shows_badges(client):
    everything = client.get("/search").text
    assert '<select name="type">' in everything
    for code, label in (("complaint", "投诉"), ("inquiry", "咨询"), ("suggestion", "建议"), ("request", "求助")):
        assert f'<option value="{code}" >{label}</option>' in everything
    assert len(_cards(everything)) == 4
    inquiries = client.get("/search", params={"type": "inquiry"}).text
    (card,) = _cards(inquiries)
    assert "请问场中路垃圾几点清运" in card
    assert '<span class="chip mtype mtype-inquiry" title="留言类型">咨询</span>' in card
    assert '<option value="inquiry" selected>咨询</option>' in inquiries
    (card,) = _cards(client.get("/search", params={"type": "suggestion"}).text)
    assert ">建议</span>" in card
    (card,) = _cards(client.get("/search", params={"type": "complaint"}).text)
    assert card.count(">投诉</span>") == 1, "a complaint shows one 投诉 chip, not two"
    assert len(_cards(client.get("/search", params={"type": "nonsense"}).text)) == 4, "an unknown type: no filter"


def test_review_queue_filters_by_message_type(client):
    queue = client.get("/review").text
    assert '<select name="type">' in queue
    texts = {"场中路垃圾堆了三天没人管", "求助：场中路路灯坏了，晚上很黑"}
    assert all(t in queue for t in texts)
    requests_only = client.get("/review", params={"type": "request"}).text
    cards = _cards(requests_only)
    assert len(cards) == 1 and "路灯坏了" in cards[0] and ">求助</span>" in cards[0]


def test_an_unlisted_place_is_named_without_its_key_prefix(tmp_path):
    from core import PlaceRef

    estate = [post(10 + i, f"锦绣家园垃圾没人清 {i}", message_type=MessageType.COMPLAINT) for i in range(3)]
    estate = [p.model_copy(update={"places": [PlaceRef(name="锦绣家园", key="raw:锦绣家园")]}) for p in estate]
    c = make_client(tmp_path, posts=[*_posts(), *estate])
    login(c, "office")
    html = c.get("/search").text
    assert "<title>锦绣家园: 3</title>" in html and "raw:锦绣家园: 3" not in html
    hot = c.get("/hotspots").text
    assert "锦绣家园" in hot and ">raw:锦绣家园<" not in hot
    filtered = c.get("/search", params={"place": "raw:锦绣家园"}).text
    assert len(_cards(filtered)) == 3
    assert '<option value="raw:锦绣家园" selected>锦绣家园</option>' in filtered
