"""The contract of :class:`storage.PostStore`: upserts, lookups, search, review and case links."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import (
    Conflict,
    Metrics,
    NotFound,
    PlaceRef,
    Post,
    Review,
    ReviewStatus,
    SentimentLabel,
)
from core.model import MessageType
from storage import PostQuery, PostStore, StoreAdmin
from tests.storage_contract.samples import SAMPLE, T0, make_post, place


class PostBinding:
    """The posts interface of the store under test (and its lifecycle, to refresh), plus loading the samples."""

    posts: PostStore
    admin: StoreAdmin

    @pytest.fixture(autouse=True)
    def _bind_posts(self, store: PostStore) -> None:
        self.posts = store
        self.admin = store  # type: ignore[assignment]  # the store under test is both

    def load(self, posts: list[Post] = SAMPLE) -> None:
        report = self.posts.upsert_posts(posts, refresh=True)
        assert report.failed == []
        self.admin.refresh()


class PostStoreContract(PostBinding):
    """Writing, reading and searching posts."""

    def test_upsert_then_get(self) -> None:
        self.load()
        got = self.posts.get_post(SAMPLE[0].id)
        assert got is not None
        assert got.text == SAMPLE[0].text
        assert got.places[0].id == "p-market"
        assert got.published_at == SAMPLE[0].published_at
        assert self.posts.get_post("missing") is None

    def test_get_posts_keeps_order_and_skips_missing(self) -> None:
        self.load()
        ids = [SAMPLE[3].id, "nope", SAMPLE[0].id]
        assert [p.id for p in self.posts.get_posts(ids)] == [SAMPLE[3].id, SAMPLE[0].id]

    def test_upsert_is_idempotent_and_updates(self) -> None:
        self.load()
        first = self.posts.upsert_posts(SAMPLE, refresh=True)
        assert (first.created, first.updated) == (0, len(SAMPLE))
        changed = SAMPLE[0].model_copy(
            update={"text": SAMPLE[0].text + "（已更新）", "metrics": Metrics(reposts=12, likes=3),
                    "published_at": T0 + timedelta(days=40)}
        )
        report = self.posts.upsert_posts([changed], refresh=True)
        assert (report.created, report.updated) == (0, 1)
        self.admin.refresh()
        assert self.posts.search(PostQuery(limit=100)).total == len(SAMPLE)
        got = self.posts.get_post(changed.id)
        assert got is not None and got.text.endswith("（已更新）") and got.metrics.reposts == 12
        assert got.published_at == SAMPLE[0].published_at, "first publication time is kept"

    def test_duplicates_within_one_batch_collapse(self) -> None:
        a = make_post(50, "同一条帖子")
        b = a.model_copy(update={"metrics": Metrics(likes=9)})
        report = self.posts.upsert_posts([a, b], refresh=True)
        assert report.stored == 2 and report.created == 1
        self.admin.refresh()
        assert self.posts.search(PostQuery(text="同一条帖子")).total == 1
        got = self.posts.get_post(a.id)
        assert got is not None and got.metrics.likes == 9

    def test_recrawl_keeps_review_and_case(self) -> None:
        self.load()
        review = Review(status=ReviewStatus.CORRECTED, reviewer="alice", reviewed_at=T0, topic="parking")
        self.posts.review_post(SAMPLE[0].id, review)
        self.posts.link_posts_to_case([SAMPLE[0].id], "case-1")
        self.posts.upsert_posts([SAMPLE[0].model_copy(update={"metrics": Metrics(likes=5)})], refresh=True)
        self.admin.refresh()
        got = self.posts.get_post(SAMPLE[0].id)
        assert got is not None
        assert got.review.reviewer == "alice" and got.review.topic == "parking"
        assert got.case_id == "case-1" and got.metrics.likes == 5
        assert [h.post.id for h in self.posts.search(PostQuery(topics=("parking",), limit=50)).hits].count(
            SAMPLE[0].id) == 1

    def test_search_two_character_word(self) -> None:
        self.load()
        result = self.posts.search(PostQuery(text="垃圾"))
        assert {h.post.id for h in result.hits} == {SAMPLE[0].id, SAMPLE[1].id}
        assert result.total == 2
        assert all(any("<em>垃圾</em>" in f for f in h.highlights) for h in result.hits)

    def test_search_all_words_must_match(self) -> None:
        self.load()
        assert {h.post.id for h in self.posts.search(PostQuery(text="垃圾 转发")).hits} == {SAMPLE[1].id}
        assert self.posts.search(PostQuery(text="垃圾 菊花")).total == 0

    def test_search_finds_word_the_segmenter_splits_differently(self) -> None:
        self.load()
        # "山路" is not a word jieba emits for "祁连山路上"; the character backstop still finds it.
        assert {h.post.id for h in self.posts.search(PostQuery(text="山路")).hits} == {SAMPLE[2].id}

    def test_search_latin_case_insensitive(self) -> None:
        self.load()
        assert [h.post.id for h in self.posts.search(PostQuery(text="english")).hits] == [SAMPLE[5].id]

    def test_search_nothing_found(self) -> None:
        self.load()
        assert self.posts.search(PostQuery(text="地铁")).total == 0
        assert self.posts.search(PostQuery(text="！！")).total == 0

    def test_highlight_escapes_html(self) -> None:
        evil = make_post(60, "<script>alert(1)</script> 垃圾 <b>x</b>")
        self.load([evil])
        hit = self.posts.search(PostQuery(text="垃圾")).hits[0]
        assert "<script>" not in hit.highlights[0]
        assert "&lt;script&gt;" in hit.highlights[0] and "<em>垃圾</em>" in hit.highlights[0]

    def test_filters(self) -> None:
        self.load()

        def ids(**kw) -> set[str]:
            return {h.post.id for h in self.posts.search(PostQuery(limit=100, **kw)).hits}

        assert ids(sources=("weibo",)) == {SAMPLE[0].id, SAMPLE[3].id}
        assert ids(sources=("wechat:*",)) == {SAMPLE[1].id, SAMPLE[5].id}
        assert ids(topics=("sanitation",)) == {SAMPLE[0].id, SAMPLE[1].id}
        assert ids(place_ids=("p-qilian",)) == {SAMPLE[2].id, SAMPLE[4].id}
        assert ids(sentiment_labels=("positive",)) == {SAMPLE[3].id}
        assert ids(is_complaint=False) == {SAMPLE[3].id, SAMPLE[5].id}
        assert ids(severities=("urgent",)) == {SAMPLE[2].id}
        assert ids(since=T0 + timedelta(hours=2), until=T0 + timedelta(hours=26)) == {SAMPLE[2].id, SAMPLE[3].id}
        assert ids(text="垃圾", sources=("weibo",)) == {SAMPLE[0].id}
        assert ids(review_statuses=("pending",)) == {p.id for p in SAMPLE}

    def test_message_type_and_unlisted_places(self) -> None:
        estate = PlaceRef(name="锦绣家园", key="raw:锦绣家园")
        posts = [
            make_post(11, "锦绣家园门口垃圾没人清", hours=0, topic="sanitation", is_complaint=True,
                      message_type=MessageType.COMPLAINT, places=[estate]),
            make_post(12, "请问锦绣家园的垃圾几点清运", hours=1, is_complaint=False,
                      message_type=MessageType.INQUIRY, places=[estate, place("p-market", "大场菜场")]),
            make_post(13, "建议菜场多放几个垃圾桶", hours=2, message_type=MessageType.SUGGESTION,
                      places=[place("p-market", "大场菜场")]),
            make_post(14, "没有类型的旧帖子", hours=3),
        ]
        self.load(posts)

        def ids(**kw) -> set[str]:
            return {h.post.id for h in self.posts.search(PostQuery(limit=100, **kw)).hits}

        assert self.posts.get_post(posts[0].id).message_type is MessageType.COMPLAINT
        assert ids(message_types=("complaint",)) == {posts[0].id}
        assert ids(message_types=("inquiry", "suggestion")) == {posts[1].id, posts[2].id}
        assert ids(message_types=("praise",)) == set()
        assert ids(place_ids=("raw:锦绣家园",)) == {posts[0].id, posts[1].id}
        assert dict(self.posts.terms(PostQuery(), "message_type", 10)) == {"complaint": 1, "inquiry": 1,
                                                                            "suggestion": 1}
        assert dict(self.posts.terms(PostQuery(), "place", 10)) == {"raw:锦绣家园": 2, "p-market": 2}
        rows = self.posts.complaint_counts(T0 - timedelta(days=1), T0 + timedelta(days=1), timedelta(days=1))
        assert {(r.place_id, r.topic, r.count) for r in rows} == {("raw:锦绣家园", "sanitation", 1)}
        # a re-crawl without enrichment keeps the type
        self.posts.upsert_posts([posts[0].model_copy(update={"message_type": None, "places": []})], refresh=True)
        self.admin.refresh()
        assert ids(message_types=("complaint",)) == {posts[0].id}

    def test_sort_and_pagination(self) -> None:
        self.load()
        newest = self.posts.search(PostQuery(sort="newest", limit=2))
        assert newest.total == len(SAMPLE)
        assert [h.post.id for h in newest.hits] == [SAMPLE[5].id, SAMPLE[4].id]
        page2 = self.posts.search(PostQuery(sort="newest", limit=2, offset=2))
        assert [h.post.id for h in page2.hits] == [SAMPLE[3].id, SAMPLE[2].id]
        oldest = self.posts.search(PostQuery(sort="oldest", limit=1))
        assert oldest.hits[0].post.id == SAMPLE[0].id
        severity = self.posts.search(PostQuery(sort="severity", limit=2))
        assert [h.post.id for h in severity.hits] == [SAMPLE[2].id, SAMPLE[4].id]

    def test_relevance_prefers_more_matches(self) -> None:
        posts = [make_post(70, "路灯坏了"), make_post(71, "路灯坏了，路灯一直不亮，路灯没人修", hours=-5)]
        self.load(posts)
        result = self.posts.search(PostQuery(text="路灯", sort="relevance"))
        assert result.hits[0].post.id == posts[1].id
        assert result.hits[0].score is not None

    def test_review_updates_effective_labels(self) -> None:
        self.load()
        post = self.posts.review_post(
            SAMPLE[3].id,
            Review(status=ReviewStatus.CORRECTED, reviewer="bob", reviewed_at=T0, is_complaint=True,
                   topic="greenery", sentiment_label=SentimentLabel.NEGATIVE, place_ids=["p-qilian"]),
        )
        assert post.review.reviewer == "bob"
        self.admin.refresh()
        ids = {h.post.id for h in self.posts.search(PostQuery(place_ids=("p-qilian",), is_complaint=True)).hits}
        assert SAMPLE[3].id in ids
        self.posts.review_post(SAMPLE[0].id, Review(status=ReviewStatus.DISMISSED, reviewer="bob", reviewed_at=T0))
        self.admin.refresh()
        assert SAMPLE[0].id not in {h.post.id for h in self.posts.search(PostQuery(is_complaint=True)).hits}
        assert {h.post.id for h in self.posts.search(PostQuery(review_statuses=("dismissed",))).hits} == {
            SAMPLE[0].id}
        with pytest.raises(NotFound):
            self.posts.review_post("missing", Review(status=ReviewStatus.CONFIRMED))

    def test_review_compare_and_set(self) -> None:
        """``expect`` writes only over the review the caller saw; a review written in between wins."""
        self.load()
        pid = SAMPLE[1].id
        first = Review(status=ReviewStatus.CONFIRMED, reviewer="bob", reviewed_at=T0)
        self.posts.review_post(pid, first, expect=Review())  # not reviewed yet: the write goes through
        with pytest.raises(Conflict):  # bob's review is there now, not "unreviewed"
            self.posts.review_post(pid, Review(status=ReviewStatus.DISMISSED, reviewer="eve"), expect=Review())
        later = Review(status=ReviewStatus.DISMISSED, reviewer="carol", reviewed_at=T0 + timedelta(minutes=1))
        self.posts.review_post(pid, later)  # no expectation: plain write
        with pytest.raises(Conflict):  # bob's undo must not erase carol's review
            self.posts.review_post(pid, Review(status=ReviewStatus.PENDING), expect=first)
        assert self.posts.get_post(pid).review == later
        self.posts.review_post(pid, first, expect=later)
        assert self.posts.get_post(pid).review == first

    def test_review_reads_the_latest_write_not_the_last_refresh(self) -> None:
        """A review right after a write search cannot see yet (a bulk load stops refreshes) still goes through."""
        self.load()
        pid = SAMPLE[2].id
        with self.admin.bulk_load():
            changed = SAMPLE[2].model_copy(update={"text": SAMPLE[2].text + "（补充）"})
            assert self.posts.upsert_posts([changed]).failed == []
            review = Review(status=ReviewStatus.CONFIRMED, reviewer="bob", reviewed_at=T0)
            post = self.posts.review_post(pid, review, expect=Review())
        assert post.text.endswith("（补充）")
        stored = self.posts.get_post(pid)
        assert stored.review == review and stored.text.endswith("（补充）")

    def test_link_posts_to_case(self) -> None:
        self.load()
        assert self.posts.link_posts_to_case([SAMPLE[0].id, SAMPLE[1].id, "missing"], "case-9") == 2
        self.admin.refresh()
        assert {h.post.id for h in self.posts.search(PostQuery(case_id="case-9")).hits} == {
            SAMPLE[0].id, SAMPLE[1].id}

    def test_iter_posts(self) -> None:
        self.load()
        got = list(self.posts.iter_posts(PostQuery(), batch=2))
        assert [p.id for p in got] == [p.id for p in SAMPLE]
        assert [p.id for p in self.posts.iter_posts(PostQuery(is_complaint=True), batch=2)] == [
            SAMPLE[0].id, SAMPLE[1].id, SAMPLE[2].id, SAMPLE[4].id]
