"""The storage contract: one test class that every backend must pass.

Subclasses provide a ``store`` fixture; nothing here knows which backend runs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import (
    Author,
    Case,
    CaseEvent,
    CaseStatus,
    Conflict,
    Metrics,
    NotFound,
    OutboxItem,
    OutboxStatus,
    PlaceRef,
    Post,
    Review,
    ReviewStatus,
    SentimentLabel,
    Severity,
    SourceHealth,
    SourceState,
)
from core.model import MessageType
from storage import CaseQuery, PostQuery, Store

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


class StoreContract:
    """Behaviour every Store backend must show."""

    store: Store

    @pytest.fixture(autouse=True)
    def _bind(self, store: Store) -> None:
        self.store = store

    def load(self, posts: list[Post] = SAMPLE) -> None:
        report = self.store.upsert_posts(posts, refresh=True)
        assert report.failed == []
        self.store.refresh()

    # ---- posts -------------------------------------------------------------
    def test_init_is_idempotent(self) -> None:
        assert self.store.init() == []

    def test_upsert_then_get(self) -> None:
        self.load()
        got = self.store.get_post(SAMPLE[0].id)
        assert got is not None
        assert got.text == SAMPLE[0].text
        assert got.places[0].id == "p-market"
        assert got.published_at == SAMPLE[0].published_at
        assert self.store.get_post("missing") is None

    def test_get_posts_keeps_order_and_skips_missing(self) -> None:
        self.load()
        ids = [SAMPLE[3].id, "nope", SAMPLE[0].id]
        assert [p.id for p in self.store.get_posts(ids)] == [SAMPLE[3].id, SAMPLE[0].id]

    def test_upsert_is_idempotent_and_updates(self) -> None:
        self.load()
        first = self.store.upsert_posts(SAMPLE, refresh=True)
        assert (first.created, first.updated) == (0, len(SAMPLE))
        changed = SAMPLE[0].model_copy(
            update={"text": SAMPLE[0].text + "（已更新）", "metrics": Metrics(reposts=12, likes=3),
                    "published_at": T0 + timedelta(days=40)}
        )
        report = self.store.upsert_posts([changed], refresh=True)
        assert (report.created, report.updated) == (0, 1)
        self.store.refresh()
        assert self.store.search(PostQuery(limit=100)).total == len(SAMPLE)
        got = self.store.get_post(changed.id)
        assert got is not None and got.text.endswith("（已更新）") and got.metrics.reposts == 12
        assert got.published_at == SAMPLE[0].published_at, "first publication time is kept"

    def test_duplicates_within_one_batch_collapse(self) -> None:
        a = make_post(50, "同一条帖子")
        b = a.model_copy(update={"metrics": Metrics(likes=9)})
        report = self.store.upsert_posts([a, b], refresh=True)
        assert report.stored == 2 and report.created == 1
        self.store.refresh()
        assert self.store.search(PostQuery(text="同一条帖子")).total == 1
        got = self.store.get_post(a.id)
        assert got is not None and got.metrics.likes == 9

    def test_recrawl_keeps_review_and_case(self) -> None:
        self.load()
        review = Review(status=ReviewStatus.CORRECTED, reviewer="alice", reviewed_at=T0, topic="parking")
        self.store.review_post(SAMPLE[0].id, review)
        self.store.link_posts_to_case([SAMPLE[0].id], "case-1")
        self.store.upsert_posts([SAMPLE[0].model_copy(update={"metrics": Metrics(likes=5)})], refresh=True)
        self.store.refresh()
        got = self.store.get_post(SAMPLE[0].id)
        assert got is not None
        assert got.review.reviewer == "alice" and got.review.topic == "parking"
        assert got.case_id == "case-1" and got.metrics.likes == 5
        assert [h.post.id for h in self.store.search(PostQuery(topics=("parking",), limit=50)).hits].count(
            SAMPLE[0].id) == 1

    def test_search_two_character_word(self) -> None:
        self.load()
        result = self.store.search(PostQuery(text="垃圾"))
        assert {h.post.id for h in result.hits} == {SAMPLE[0].id, SAMPLE[1].id}
        assert result.total == 2
        assert all(any("<em>垃圾</em>" in f for f in h.highlights) for h in result.hits)

    def test_search_all_words_must_match(self) -> None:
        self.load()
        assert {h.post.id for h in self.store.search(PostQuery(text="垃圾 转发")).hits} == {SAMPLE[1].id}
        assert self.store.search(PostQuery(text="垃圾 菊花")).total == 0

    def test_search_finds_word_the_segmenter_splits_differently(self) -> None:
        self.load()
        # "山路" is not a word jieba emits for "祁连山路上"; the character backstop still finds it.
        assert {h.post.id for h in self.store.search(PostQuery(text="山路")).hits} == {SAMPLE[2].id}

    def test_search_latin_case_insensitive(self) -> None:
        self.load()
        assert [h.post.id for h in self.store.search(PostQuery(text="english")).hits] == [SAMPLE[5].id]

    def test_search_nothing_found(self) -> None:
        self.load()
        assert self.store.search(PostQuery(text="地铁")).total == 0
        assert self.store.search(PostQuery(text="！！")).total == 0

    def test_highlight_escapes_html(self) -> None:
        evil = make_post(60, "<script>alert(1)</script> 垃圾 <b>x</b>")
        self.load([evil])
        hit = self.store.search(PostQuery(text="垃圾")).hits[0]
        assert "<script>" not in hit.highlights[0]
        assert "&lt;script&gt;" in hit.highlights[0] and "<em>垃圾</em>" in hit.highlights[0]

    def test_filters(self) -> None:
        self.load()

        def ids(**kw) -> set[str]:
            return {h.post.id for h in self.store.search(PostQuery(limit=100, **kw)).hits}

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
            return {h.post.id for h in self.store.search(PostQuery(limit=100, **kw)).hits}

        assert self.store.get_post(posts[0].id).message_type is MessageType.COMPLAINT
        assert ids(message_types=("complaint",)) == {posts[0].id}
        assert ids(message_types=("inquiry", "suggestion")) == {posts[1].id, posts[2].id}
        assert ids(message_types=("praise",)) == set()
        assert ids(place_ids=("raw:锦绣家园",)) == {posts[0].id, posts[1].id}
        assert dict(self.store.terms(PostQuery(), "message_type", 10)) == {"complaint": 1, "inquiry": 1,
                                                                            "suggestion": 1}
        assert dict(self.store.terms(PostQuery(), "place", 10)) == {"raw:锦绣家园": 2, "p-market": 2}
        rows = self.store.complaint_counts(T0 - timedelta(days=1), T0 + timedelta(days=1), timedelta(days=1))
        assert {(r.place_id, r.topic, r.count) for r in rows} == {("raw:锦绣家园", "sanitation", 1)}
        # a re-crawl without enrichment keeps the type
        self.store.upsert_posts([posts[0].model_copy(update={"message_type": None, "places": []})], refresh=True)
        self.store.refresh()
        assert ids(message_types=("complaint",)) == {posts[0].id}

    def test_sort_and_pagination(self) -> None:
        self.load()
        newest = self.store.search(PostQuery(sort="newest", limit=2))
        assert newest.total == len(SAMPLE)
        assert [h.post.id for h in newest.hits] == [SAMPLE[5].id, SAMPLE[4].id]
        page2 = self.store.search(PostQuery(sort="newest", limit=2, offset=2))
        assert [h.post.id for h in page2.hits] == [SAMPLE[3].id, SAMPLE[2].id]
        oldest = self.store.search(PostQuery(sort="oldest", limit=1))
        assert oldest.hits[0].post.id == SAMPLE[0].id
        severity = self.store.search(PostQuery(sort="severity", limit=2))
        assert [h.post.id for h in severity.hits] == [SAMPLE[2].id, SAMPLE[4].id]

    def test_relevance_prefers_more_matches(self) -> None:
        posts = [make_post(70, "路灯坏了"), make_post(71, "路灯坏了，路灯一直不亮，路灯没人修", hours=-5)]
        self.load(posts)
        result = self.store.search(PostQuery(text="路灯", sort="relevance"))
        assert result.hits[0].post.id == posts[1].id
        assert result.hits[0].score is not None

    def test_review_updates_effective_labels(self) -> None:
        self.load()
        post = self.store.review_post(
            SAMPLE[3].id,
            Review(status=ReviewStatus.CORRECTED, reviewer="bob", reviewed_at=T0, is_complaint=True,
                   topic="greenery", sentiment_label=SentimentLabel.NEGATIVE, place_ids=["p-qilian"]),
        )
        assert post.review.reviewer == "bob"
        self.store.refresh()
        ids = {h.post.id for h in self.store.search(PostQuery(place_ids=("p-qilian",), is_complaint=True)).hits}
        assert SAMPLE[3].id in ids
        self.store.review_post(SAMPLE[0].id, Review(status=ReviewStatus.DISMISSED, reviewer="bob", reviewed_at=T0))
        self.store.refresh()
        assert SAMPLE[0].id not in {h.post.id for h in self.store.search(PostQuery(is_complaint=True)).hits}
        assert {h.post.id for h in self.store.search(PostQuery(review_statuses=("dismissed",))).hits} == {
            SAMPLE[0].id}
        with pytest.raises(NotFound):
            self.store.review_post("missing", Review(status=ReviewStatus.CONFIRMED))

    def test_link_posts_to_case(self) -> None:
        self.load()
        assert self.store.link_posts_to_case([SAMPLE[0].id, SAMPLE[1].id, "missing"], "case-9") == 2
        self.store.refresh()
        assert {h.post.id for h in self.store.search(PostQuery(case_id="case-9")).hits} == {
            SAMPLE[0].id, SAMPLE[1].id}

    def test_iter_posts(self) -> None:
        self.load()
        got = list(self.store.iter_posts(PostQuery(), batch=2))
        assert [p.id for p in got] == [p.id for p in SAMPLE]
        assert [p.id for p in self.store.iter_posts(PostQuery(is_complaint=True), batch=2)] == [
            SAMPLE[0].id, SAMPLE[1].id, SAMPLE[2].id, SAMPLE[4].id]

    # ---- aggregations --------------------------------------------------------
    def test_complaint_counts_merge_near_duplicates(self) -> None:
        self.load()
        rows = self.store.complaint_counts(T0 - timedelta(days=1), T0 + timedelta(days=2), timedelta(days=1))
        day1 = datetime(2026, 11, 19, 16, 0, tzinfo=UTC)  # 2026-11-20 00:00 Shanghai
        got = {(r.place_id, r.topic, r.bucket): r.count for r in rows}
        assert got == {
            ("p-market", "sanitation", day1): 1,  # posts 1 and 2 are one cluster
            ("p-qilian", "shop_signs", day1): 1,
            ("p-market", "parking", day1 + timedelta(days=1)): 1,
            ("p-qilian", "parking", day1 + timedelta(days=1)): 1,
        }
        by_place = self.store.complaint_counts(
            T0 - timedelta(days=1), T0 + timedelta(days=2), timedelta(days=1), by_topic=False)
        assert {(r.place_id, r.topic, r.bucket): r.count for r in by_place} == {
            ("p-market", None, day1): 1,
            ("p-qilian", None, day1): 1,
            ("p-market", None, day1 + timedelta(days=1)): 1,
            ("p-qilian", None, day1 + timedelta(days=1)): 1,
        }

    def test_complaint_counts_hourly_window(self) -> None:
        self.load()
        rows = self.store.complaint_counts(T0, T0 + timedelta(hours=2), timedelta(hours=1))
        assert {(r.place_id, r.bucket, r.count) for r in rows} == {
            ("p-market", T0, 1), ("p-market", T0 + timedelta(hours=1), 1)}

    def test_histogram(self) -> None:
        self.load()
        buckets = self.store.histogram(PostQuery(), timedelta(days=1), split_by="sentiment_label")
        assert [(b.start, b.total) for b in buckets] == [
            (datetime(2026, 11, 19, 16, tzinfo=UTC), 4), (datetime(2026, 11, 20, 16, tzinfo=UTC), 2)]
        assert buckets[0].split == {"negative": 3, "positive": 1}
        assert buckets[1].split == {"negative": 1}
        no_place = self.store.histogram(PostQuery(sources=("wechat:news",)), timedelta(days=1), split_by="place")
        assert [(b.start, b.total, b.split) for b in no_place] == [(datetime(2026, 11, 20, 16, tzinfo=UTC), 1, {})]
        plain = self.store.histogram(PostQuery(is_complaint=True), timedelta(hours=1))
        assert sum(b.total for b in plain) == 4 and plain[0].split == {}

    def test_terms(self) -> None:
        self.load()
        sources = dict(self.store.terms(PostQuery(), "source", 10))
        assert sources == {"weibo": 2, "wechat:dachang": 1, "forum:baoshan": 1, "board:12345": 1, "wechat:news": 1}
        assert self.store.terms(PostQuery(), "source", 1) == [("weibo", 2)]
        assert dict(self.store.terms(PostQuery(), "place", 10)) == {"p-market": 3, "p-qilian": 2, "p-park": 1}
        assert dict(self.store.terms(PostQuery(), "is_complaint")) == {"true": 4, "false": 2}
        assert dict(self.store.terms(PostQuery(text="垃圾"), "topic")) == {"sanitation": 2}

    # ---- cases ---------------------------------------------------------------
    def make_case(self, cid: str = "C1", key: str = "p-market|sanitation", **kw) -> Case:
        fields = {"title": "大场菜场 市容环境", "place": place("p-market", "大场菜场"), "topic": "sanitation",
                  "department": "城管中队", "opened_at": T0, "due_at": T0 + timedelta(hours=72), **kw}
        return Case(id=cid, key=key, **fields)

    def test_case_create_get_conflict(self) -> None:
        created = self.store.create_case(self.make_case())
        assert created.version == 1
        got = self.store.get_case("C1")
        assert got is not None and got.title == "大场菜场 市容环境" and got.version == 1
        with pytest.raises(Conflict):
            self.store.create_case(self.make_case())
        assert self.store.get_case("nope") is None

    def test_case_update_history_and_optimistic_concurrency(self) -> None:
        case = self.store.create_case(self.make_case())
        moved = case.model_copy(update={"status": CaseStatus.ASSIGNED})
        event = CaseEvent(at=T0, actor="system", action="status", from_status=CaseStatus.NEW,
                          to_status=CaseStatus.ASSIGNED)
        stored = self.store.update_case(moved, event)
        assert stored.version == 2 and stored.history[-1].to_status is CaseStatus.ASSIGNED
        again = self.store.get_case("C1")
        assert again is not None and again.status is CaseStatus.ASSIGNED and len(again.history) == 1
        with pytest.raises(Conflict):
            self.store.update_case(moved, event)  # stale: read at version 1

    def test_open_case_for_key_and_list(self) -> None:
        assert self.store.open_case_for_key("p-market|sanitation") is None
        self.store.create_case(self.make_case("C1", status=CaseStatus.CLOSED))
        self.store.create_case(self.make_case("C2").model_copy(update={"opened_at": T0 + timedelta(days=1)}))
        self.store.create_case(self.make_case("C3", key="p-qilian|shop_signs", department="市场监管所",
                                              severity=Severity.URGENT,
                                              due_at=T0 + timedelta(hours=24)))
        open_case = self.store.open_case_for_key("p-market|sanitation")
        assert open_case is not None and open_case.id == "C2"
        assert [c.id for c in self.store.list_cases(CaseQuery()).items] == ["C2", "C3", "C1"]  # ties: id desc
        assert self.store.list_cases(CaseQuery()).total == 3
        assert [c.id for c in self.store.list_cases(CaseQuery(open_only=True)).items] == ["C2", "C3"]
        assert [c.id for c in self.store.list_cases(CaseQuery(department="市场监管所")).items] == ["C3"]
        assert [c.id for c in self.store.list_cases(CaseQuery(statuses=(CaseStatus.CLOSED,))).items] == ["C1"]
        overdue = self.store.list_cases(CaseQuery(open_only=True, due_before=T0 + timedelta(hours=30)))
        assert [c.id for c in overdue.items] == ["C3"]
        assert [c.id for c in self.store.list_cases(CaseQuery(key="p-market|sanitation", limit=1)).items] == ["C2"]

    # ---- outbox --------------------------------------------------------------
    def test_outbox_enqueue_is_idempotent(self) -> None:
        item = OutboxItem(id="C1:1:webhook", channel="webhook", case_id="C1", payload={"a": 1}, next_try_at=T0)
        assert self.store.enqueue(item) is True
        assert self.store.enqueue(item.model_copy(update={"payload": {"a": 2}})) is False
        got = self.store.get_outbox_item("C1:1:webhook")
        assert got is not None and got.payload == {"a": 1}

    def test_outbox_claim_lease_and_complete(self) -> None:
        for i in range(3):
            self.store.enqueue(OutboxItem(id=f"i{i}", channel="webhook", payload={"i": i},
                                          created_at=T0, next_try_at=T0 + timedelta(minutes=i)))
        self.store.enqueue(OutboxItem(id="later", channel="webhook", payload={}, next_try_at=T0 + timedelta(days=1)))
        now = T0 + timedelta(minutes=5)
        a = self.store.claim_due(now, "worker-a", timedelta(minutes=1), limit=2)
        assert [i.id for i in a] == ["i0", "i1"]
        b = self.store.claim_due(now, "worker-b", timedelta(minutes=1))
        assert [i.id for i in b] == ["i2"], "leased items are not handed out twice"
        assert self.store.claim_due(now, "worker-c", timedelta(minutes=1)) == []
        # lease expiry hands the item to another worker
        c = self.store.claim_due(now + timedelta(minutes=2), "worker-c", timedelta(minutes=1))
        assert sorted(i.id for i in c) == ["i0", "i1", "i2"]
        done = c[0].model_copy(update={"status": OutboxStatus.SENT, "attempts": 1, "response_ref": "T-1",
                                       "sent_at": now, "lease_owner": None, "lease_until": None})
        self.store.save_outbox_item(done)
        with pytest.raises(Conflict):
            self.store.save_outbox_item(a[0])  # stale copy from the first lease
        retry = c[1].model_copy(update={"attempts": 1, "last_error": "HTTP 503",
                                        "next_try_at": now + timedelta(minutes=10), "lease_until": None})
        self.store.save_outbox_item(retry)
        stats = self.store.outbox_stats(now + timedelta(minutes=2))
        assert stats["pending"] == 3 and stats["sent"] == 1 and stats["dead"] == 0
        assert stats["oldest_pending_age_s"] == pytest.approx(7 * 60)  # i0..i2 were created at T0
        got = self.store.get_outbox_item(c[0].id)
        assert got is not None and got.status is OutboxStatus.SENT and got.response_ref == "T-1"

    # ---- source state --------------------------------------------------------
    def test_source_state_cas(self) -> None:
        assert self.store.get_source_state("weibo-search") is None
        s1 = self.store.save_source_state(SourceState(name="weibo-search", cursor={"page": 3},
                                                      health=SourceHealth.OK))
        assert s1.version == 1
        with pytest.raises(Conflict):
            self.store.save_source_state(SourceState(name="weibo-search"))  # create again
        s2 = self.store.save_source_state(s1.model_copy(update={"health": SourceHealth.BACKING_OFF,
                                                                 "consecutive_errors": 2}))
        assert s2.version == 2
        with pytest.raises(Conflict):
            self.store.save_source_state(s1)
        self.store.save_source_state(SourceState(name="forum"))
        states = self.store.list_source_states()
        assert [s.name for s in states] == ["forum", "weibo-search"]
        got = self.store.get_source_state("weibo-search")
        assert got is not None and got.health is SourceHealth.BACKING_OFF and got.cursor == {"page": 3}

    def test_records_are_stamped_by_the_injected_clock(self) -> None:
        case = self.store.create_case(self.make_case())
        assert case.updated_at == STORE_NOW
        assert self.store.get_case("C1").updated_at == STORE_NOW
        state = self.store.save_source_state(SourceState(name="weibo-search"))
        assert state.updated_at == STORE_NOW and self.store.get_source_state("weibo-search").updated_at == STORE_NOW

    def test_health(self) -> None:
        assert self.store.health()["status"] in ("ok", "green", "yellow")
