"""Item pipelines, in order: normalize → dedupe → enrich → validate → store.

Every drop raises ``DropItem`` with a reason and counts it under ``yuqing/dropped/<reason>``; the store
step writes in bulk through ``storage.Store`` and spools to disk when the store is unavailable.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from core import Post, Severity, utcnow
from core.model import MessageType
from crawler.component import Component

log = logging.getLogger(__name__)
_ZW = re.compile(r"[\u200b-\u200f\ufeff]")
MAX_TEXT = 50_000


class _Component(Component):
    def drop(self, reason: str) -> DropItem:
        self.stats.inc_value(f"yuqing/dropped/{reason}")
        return DropItem(reason)


#: stored posts whose fingerprints seed each crawl's near-duplicate index
SEED_POSTS = 5000


class NormalizePipeline(_Component):
    """Clean text (zero-width characters, surrounding space, runaway length) and stamp ``crawled_at``."""

    def process_item(self, item: Post) -> Post:
        if not isinstance(item, Post):
            raise self.drop("not_a_post")
        text = _ZW.sub("", item.text).strip()[:MAX_TEXT]
        title = _ZW.sub("", item.title).strip() or None if item.title else None
        return item.model_copy(update={"text": text, "title": title, "crawled_at": utcnow()})


class DedupePipeline(_Component):
    """Drop a canonical id seen earlier in this crawl; set up the near-duplicate index (``nlp.dedupe``)."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.seen: set[str] = set()

    def open_spider(self) -> None:
        from nlp.dedupe import NearDuplicateIndex

        self.ctx.near_index = index = NearDuplicateIndex(max_distance=self.ctx.config.nlp.dedupe_distance)
        self.seed(index)

    def seed(self, index: Any) -> None:
        """Load the fingerprints of the most recent stored posts, so copies across sources and crawls join
        the clusters already stored (spikes count distinct complaints)."""
        if self.ctx.store is None:
            return
        from storage import PostQuery

        try:
            recent = self.ctx.store.search(PostQuery(sort="newest", limit=SEED_POSTS, highlight=False)).hits
        except Exception as exc:  # the crawl goes on; clusters are then per crawl
            log.warning("near-duplicate index not seeded from the store: %s", exc)
            return
        for hit in reversed(recent):
            if hit.post.simhash:
                index.add(hit.post.id, hit.post.simhash, cluster=hit.post.cluster_id or hit.post.id)
        self.stats.set_value("yuqing/near_index_seeded", len(index))

    def process_item(self, item: Post) -> Post:
        if item.id in self.seen:
            raise self.drop("duplicate")
        self.seen.add(item.id)
        return item


def mark_official(post: Post) -> Post:
    """A post of an official account (``official: true`` on its source): a notice, not a complaint, and flagged
    ``extra.official`` so the console shows where it came from. A reviewer's correction still wins."""
    mtype = post.message_type if post.message_type in (MessageType.PRAISE, MessageType.OTHER) else MessageType.OTHER
    return post.model_copy(update={"is_complaint": False, "message_type": mtype, "severity": Severity.LOW,
                                   "extra": {**post.extra, "official": True}})


class EnrichPipeline(_Component):
    """``nlp`` enrichment (topic, sentiment, places, complaint, fingerprint, cluster) in batches: items wait
    until ``ENRICH_BATCH`` are pending or ``ENRICH_WAIT`` seconds have passed (one model pass per batch is
    about twice as fast as one per post); posts of an official account are then marked as notices
    (``mark_official``)."""

    BATCH = 32
    WAIT = 0.05

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.pending: list[tuple[Post, Any]] = []
        self._timer: Any = None

    def open_spider(self) -> None:
        from nlp.enrich import enricher_for

        self.enricher = enricher_for(self.ctx.config)

    async def process_item(self, item: Post) -> Post:
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import reactor
        from twisted.internet.defer import Deferred

        done: Deferred[Post] = Deferred()
        self.pending.append((item, done))
        if len(self.pending) >= self.BATCH:
            self.flush()
        elif self._timer is None:
            self._timer = reactor.callLater(self.WAIT, self.flush)  # type: ignore[attr-defined]
        return await maybe_deferred_to_future(done)

    def flush(self) -> None:
        """Enrich what is pending, in one call, and hand each post on."""
        if self._timer is not None and self._timer.active():
            self._timer.cancel()
        self._timer = None
        batch, self.pending = self.pending, []
        if not batch:
            return
        posts = self.enrich([item for item, _ in batch])
        self.stats.inc_value("yuqing/enrich_batches")
        for (_, done), post in zip(batch, posts, strict=True):
            if getattr(self.ctx.source, "official", False):
                self.stats.inc_value("yuqing/official")
                post = mark_official(post)
            done.callback(post)

    def close_spider(self) -> None:
        self.flush()

    def enrich(self, items: list[Post]) -> list[Post]:
        """The posts enriched in one call; on an error each post alone, and one that still fails is kept
        unenriched (counted): enrichment must not lose a post."""
        index = self.ctx.near_index
        try:
            return self.enricher.enrich(items, index=index) if index is not None else self.enricher.enrich(items)
        except Exception as exc:
            if len(items) > 1:
                log.warning("enrich failed for a batch of %d posts (%s); enriching them one by one", len(items), exc)
                self.stats.inc_value("yuqing/enrich_batch_failed")
                return [self.enrich([item])[0] for item in items]
            log.warning("enrich failed for %s: %s", items[0].id, exc)
            self.stats.inc_value("yuqing/enrich_failed")
            return items


class ValidatePipeline(_Component):
    """Schema and sanity checks; field fill rates are counted for the close report."""

    FIELDS = ("title", "url", "author", "region", "topic", "places", "sentiment")

    def process_item(self, item: Post) -> Post:
        try:
            item = Post.model_validate(item.model_dump())
        except ValueError:
            raise self.drop("invalid_schema") from None
        if not item.text.strip():
            raise self.drop("empty_text")
        if item.published_at > utcnow() + timedelta(days=400):
            raise self.drop("future_date")
        family = self.ctx.source.family
        prefix = "weibo" if family == "weibo" else {"wechat": "wechat:"}.get(family, "")
        if prefix and not item.source.startswith(prefix):
            raise self.drop("wrong_source")
        for f in self.FIELDS:
            value = getattr(item, f)
            filled = bool(value.name if f == "author" else value)
            self.stats.inc_value(f"yuqing/fill/{f}", int(filled))
        self.stats.inc_value("yuqing/validated")
        return item


class StorePipeline(_Component):
    """Bulk upsert through the Store; on failure the batch goes to the spool (replayed at the next open)."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.batch: list[Post] = []
        self.size = int(crawler.settings.getint("YUQING_STORE_BATCH", 50))
        self.paused = False

    def open_spider(self) -> None:
        ctx = self.ctx
        if ctx.store is not None and ctx.spool.files():
            try:
                self.stats.inc_value("yuqing/spool_replayed", ctx.spool.replay(ctx.store))
            except Exception as exc:
                log.warning("spool replay failed, kept for later: %s", exc)

    def process_item(self, item: Post) -> Post:
        self.batch.append(item)
        if not item.extra.get("pinned"):
            self.ctx.tracker.see(item.published_at)
        if len(self.batch) >= self.size:
            self.flush()
        return item

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        ctx = self.ctx
        try:
            if ctx.store is None:
                raise ConnectionError("store not open")
            report = ctx.store.upsert_posts(batch)
        except Exception as exc:
            try:
                path = ctx.spool.put(batch)
            except OSError as spool_exc:
                self.pause(exc, spool_exc, len(batch))
                return
            log.warning("store unavailable (%s): %d posts spooled to %s", type(exc).__name__, len(batch), path)
            self.stats.inc_value("yuqing/items_spooled", len(batch))
            ctx.tracker.counters["spooled"] += len(batch)
            return
        for _post_id, reason in report.failed:
            self.stats.inc_value(f"yuqing/dropped/store_rejected:{reason[:40]}")
        self.stats.inc_value("yuqing/items_stored", report.stored)
        ctx.tracker.stored += report.stored

    def pause(self, store_exc: BaseException, spool_exc: OSError, n: int) -> None:
        """Neither the store nor the spool takes posts (e.g. the disk is full): stop this crawl. The posts are
        not marked seen (the watermark does not advance), so the next crawl fetches them again."""
        reason = spool_exc.strerror or str(spool_exc)
        self.ctx.tracker.lost += n
        self.ctx.tracker.errors.append(f"本地缓存写入失败 spool unwritable ({reason}) while the store is down: "
                                       "crawl paused, posts will be fetched again")
        self.stats.inc_value("yuqing/spool_failed", n)
        if self.paused:
            return
        self.paused = True
        log.error("store unavailable (%s) and spool unwritable (%s): crawl paused; %d posts not kept, they will be "
                  "fetched again", type(store_exc).__name__, reason, n)
        engine = self.crawler.engine
        if engine is not None and getattr(engine, "_slot", None) is not None and engine._slot.closing is None:
            deferred_from_coro(engine.close_spider_async(reason="spool_unwritable"))

    def close_spider(self) -> None:
        self.flush()
