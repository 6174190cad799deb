"""The review queue: what it shows, how crawled text is made safe, and every review action."""

from __future__ import annotations

import re

import pytest

from core import ReviewStatus, SentimentLabel
from tests.web_support import login, make_client, post, sample_posts


@pytest.fixture
def client(tmp_path):
    return make_client(tmp_path)


def store_of(client):
    return client.app.state.console.store


def ids_in(html: str) -> list[str]:
    return re.findall(r'<article class="post[^"]*" id="post-([0-9a-f]+)"', html)


def test_queue_shows_pending_complaints_urgent_first(client):
    login(client, "office")
    html = client.get("/review").text
    posts = {p.native_id: p.id for p in sample_posts()}
    shown = ids_in(html)
    assert shown[0] == posts["w2"]  # urgent first
    assert set(shown) == {posts["w1"], posts["w2"], posts["w3"], posts["w5"]}  # w4 is praise, not a complaint
    assert "共 4 条" in html
    for chip in ("店招店牌", "市容环境", "负面", "紧急", "待审核"):
        assert chip in html


def test_queue_filters(client):
    login(client, "office")
    posts = {p.native_id: p.id for p in sample_posts()}
    assert ids_in(client.get("/review?topic=shop_signs").text) == [posts["w2"]]
    assert ids_in(client.get("/review?source=wechat").text) == [posts["w5"]]
    assert ids_in(client.get("/review?source=forum:baoshan").text) == [posts["w2"]]
    assert set(ids_in(client.get("/review?kind=&sentiment=positive").text)) == {posts["w4"]}
    assert set(ids_in(client.get("/review?q=店招").text)) == {posts["w2"]}
    assert ids_in(client.get("/review?place=nowhere").text) == []
    assert ids_in(client.get("/review?since=2001-01-01&until=2001-01-02").text) == []
    assert client.get("/review?since=garbage&page=x").status_code == 200


def test_crawled_text_is_escaped_and_links_are_safe(client):
    login(client, "office")
    html = client.get("/review").text
    assert "<script>window.__xss" not in html and "onerror=\"alert" not in html
    assert "&lt;script&gt;window.__xss=1;" in html
    assert 'href="javascript:' not in html
    for link in re.findall(r'<a class="orig"[^>]*>', html):
        assert 'rel="noopener noreferrer nofollow"' in link and 'href="https://' in link
    assert len(re.findall(r'<a class="orig"', html)) == 3  # post 3's javascript: url is not linked


def test_poster_names_are_masked_unless_configured(client, tmp_path):
    login(client, "office")
    html = client.get("/review").text
    assert "张小明" not in html and "张***" in html
    other = make_client(tmp_path / "b", mask_names=False)
    login(other, "office")
    assert "张小明1" in other.get("/review").text


def act(client, token, post_id, **data):
    return client.post(f"/review/{post_id}", data={"csrf": token, **data}, follow_redirects=False)


def test_confirm_dismiss_and_correct_are_stored_and_audited(client):
    token = login(client, "office")
    store = store_of(client)
    p1, p2, p3 = (p.id for p in sample_posts()[:3])
    r = act(client, token, p1, action="confirm", next="/review?topic=sanitation")
    assert r.status_code == 303 and r.headers["location"].startswith("/review?topic=sanitation&done=confirm&n=1&undo=")
    assert store.get_post(p1).review.status is ReviewStatus.CONFIRMED
    assert store.get_post(p1).review.reviewer == "office"
    act(client, token, p2, action="dismiss", next="https://evil.example/")
    assert store.get_post(p2).review.status is ReviewStatus.DISMISSED
    r = act(client, token, p3, action="correct", topic="food_hygiene", place="dc-rd-qilianshan", sentiment="neutral",
            note="不是市容问题")
    review = store.get_post(p3).review
    assert review.status is ReviewStatus.CORRECTED and review.topic == "food_hygiene"
    assert review.place_ids == ["dc-rd-qilianshan"] and review.sentiment_label is SentimentLabel.NEUTRAL
    assert review.note == "不是市容问题"
    # reviewed posts leave the pending queue
    assert p1 not in ids_in(client.get("/review").text)
    audit = client.app.state.console.audit.tail()
    assert [(e["action"], e["target"]) for e in audit[:3]] == [
        ("review_correct", f"post:{p3}"), ("review_dismiss", f"post:{p2}"), ("review_confirm", f"post:{p1}")]
    assert all(e["actor"] == "office" and e["at"] for e in audit[:3])


def test_bad_review_requests(client):
    token = login(client, "office")
    p1 = sample_posts()[0].id
    assert act(client, token, p1, action="explode").status_code == 400
    assert act(client, token, "nope", action="confirm").status_code == 404
    assert act(client, token, p1, action="correct", topic="no_such_topic").status_code == 400
    assert act(client, token, p1, action="correct", sentiment="angry").status_code == 400
    assert act(client, token, p1, action="correct", place="no-such-place").status_code == 400
    assert client.post("/review", data={"csrf": token, "action": "confirm"}).status_code == 400


def test_bulk_actions(client):
    token = login(client, "office")
    ids = [p.id for p in sample_posts()[:3]]
    r = client.post("/review", data={"csrf": token, "action": "dismiss", "post_id": ids[:2]},
                    follow_redirects=False)
    assert r.status_code == 303
    store = store_of(client)
    assert [store.get_post(i).review.status for i in ids] == [ReviewStatus.DISMISSED] * 2 + [ReviewStatus.PENDING]


def test_department_users_cannot_review(client):
    token = login(client, "cg")
    p1 = sample_posts()[0].id
    assert act(client, token, p1, action="confirm").status_code == 403
    assert client.post("/review", data={"csrf": token, "action": "confirm", "post_id": p1}).status_code == 403
    assert store_of(client).get_post(p1).review.status is ReviewStatus.PENDING


def test_post_page_and_similar_posts(client):
    login(client, "office")
    p1, p5 = sample_posts()[0].id, sample_posts()[4].id
    page = client.get(f"/posts/{p1}")
    assert page.status_code == 200 and "全文" in page.text
    frag = client.get(f"/posts/{p1}/similar").text
    assert f"/posts/{p5}" in frag and f"/posts/{p1}\"" not in frag
    assert client.get("/posts/missing").status_code == 404
    lonely = make_client(client.app.state.console.uploads.parent.parent / "c",
                         posts=[post(9, "独一无二", keywords=["独一无二"])])
    login(lonely, "office")
    assert "没有相似帖子" in lonely.get(f"/posts/{post(9, 'x').id}/similar").text


def test_queue_offers_open_cases_to_attach(client):
    login(client, "office")
    html = client.get("/review").text
    assert 'value="open_case"' in html and 'value="attach"' not in html  # no open case yet
