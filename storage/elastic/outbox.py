"""The delivery outbox in Elasticsearch: one index behind an alias, leases as versioned writes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from core import Conflict, OutboxItem, OutboxStatus
from storage.base import OutboxQueue
from storage.elastic.base import ElasticBase
from storage.elastic.errors import translate_errors


class ElasticOutbox(ElasticBase, OutboxQueue):
    """The outbox: an item is leased by a versioned write, so two workers never claim it both."""

    @translate_errors
    def enqueue(self, item: OutboxItem) -> bool:
        """Add a delivery unless one with the same id exists."""
        try:
            self._put("outbox", item.id, item.model_copy(update={"version": 1}).model_dump(mode="json"), 1)
        except Conflict:
            return False
        return True

    @translate_errors
    def get_outbox_item(self, item_id: str) -> OutboxItem | None:
        """The item with this id, or None."""
        doc = self._get("outbox", item_id)
        return OutboxItem.model_validate(doc) if doc else None

    @translate_errors
    def claim_due(self, now: datetime, owner: str, lease: timedelta, limit: int = 20) -> list[OutboxItem]:
        """Lease due pending items; an item another worker leased first is skipped."""
        query = {"bool": {
            "filter": [{"term": {"status": "pending"}}, {"range": {"next_try_at": {"lte": now.isoformat()}}}],
            "should": [{"bool": {"must_not": {"exists": {"field": "lease_until"}}}},
                       {"range": {"lease_until": {"lte": now.isoformat()}}}],
            "minimum_should_match": 1,
        }}
        _total, docs = self._find("outbox", query, [{"next_try_at": "asc"}, {"created_at": "asc"}], limit)
        claimed = []
        for doc in docs:
            item = OutboxItem.model_validate(doc)
            leased = item.model_copy(update={"lease_owner": owner, "lease_until": now + lease,
                                             "version": item.version + 1})
            try:
                self._put("outbox", item.id, leased.model_dump(mode="json"), leased.version, refresh=False)
            except Conflict:
                continue
            claimed.append(leased)
        if claimed:
            self.es.indices.refresh(index=self.admin.alias("outbox"))
        return claimed

    @translate_errors
    def save_outbox_item(self, item: OutboxItem) -> OutboxItem:
        """Write an item after an attempt."""
        stored = item.model_copy(update={"version": item.version + 1})
        self._put_over("outbox", item.id, stored.model_dump(mode="json"), item.version, f"outbox item {item.id}")
        return stored

    @translate_errors
    def outbox_stats(self, now: datetime) -> dict[str, Any]:
        """Counts by status and the oldest pending item's age."""
        resp = self.es.search(
            index=self.admin.alias("outbox"), size=0,
            aggs={"s": {"terms": {"field": "status", "size": 10}},
                  "p": {"filter": {"term": {"status": "pending"}}, "aggs": {"o": {"min": {"field": "created_at"}}}}},
        )
        self._check_shards(resp, "outbox_stats", strict=True)
        counts = {s.value: 0 for s in OutboxStatus}
        for b in resp["aggregations"]["s"]["buckets"]:
            counts[b["key"]] = b["doc_count"]
        oldest = resp["aggregations"]["p"]["o"].get("value")
        lag = max(0.0, now.timestamp() - oldest / 1000) if oldest is not None else 0.0
        return {**counts, "oldest_pending_age_s": lag}
