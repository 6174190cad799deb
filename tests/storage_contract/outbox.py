"""The contract of :class:`storage.OutboxQueue`: idempotent enqueue, leases, saves after attempts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import (
    Conflict,
    OutboxItem,
    OutboxStatus,
)
from storage import OutboxQueue
from tests.storage_contract.samples import T0


class OutboxQueueContract:
    """The delivery outbox: two workers never hold the same item at once."""

    outbox: OutboxQueue

    @pytest.fixture(autouse=True)
    def _bind_outbox(self, store: OutboxQueue) -> None:
        self.outbox = store

    def test_outbox_enqueue_is_idempotent(self) -> None:
        item = OutboxItem(id="C1:1:webhook", channel="webhook", case_id="C1", payload={"a": 1}, next_try_at=T0)
        assert self.outbox.enqueue(item) is True
        assert self.outbox.enqueue(item.model_copy(update={"payload": {"a": 2}})) is False
        got = self.outbox.get_outbox_item("C1:1:webhook")
        assert got is not None and got.payload == {"a": 1}

    def test_outbox_claim_lease_and_complete(self) -> None:
        for i in range(3):
            self.outbox.enqueue(OutboxItem(id=f"i{i}", channel="webhook", payload={"i": i},
                                          created_at=T0, next_try_at=T0 + timedelta(minutes=i)))
        self.outbox.enqueue(OutboxItem(id="later", channel="webhook", payload={}, next_try_at=T0 + timedelta(days=1)))
        now = T0 + timedelta(minutes=5)
        a = self.outbox.claim_due(now, "worker-a", timedelta(minutes=1), limit=2)
        assert [i.id for i in a] == ["i0", "i1"]
        b = self.outbox.claim_due(now, "worker-b", timedelta(minutes=1))
        assert [i.id for i in b] == ["i2"], "leased items are not handed out twice"
        assert self.outbox.claim_due(now, "worker-c", timedelta(minutes=1)) == []
        # lease expiry hands the item to another worker
        c = self.outbox.claim_due(now + timedelta(minutes=2), "worker-c", timedelta(minutes=1))
        assert sorted(i.id for i in c) == ["i0", "i1", "i2"]
        done = c[0].model_copy(update={"status": OutboxStatus.SENT, "attempts": 1, "response_ref": "T-1",
                                       "sent_at": now, "lease_owner": None, "lease_until": None})
        self.outbox.save_outbox_item(done)
        with pytest.raises(Conflict):
            self.outbox.save_outbox_item(a[0])  # stale copy from the first lease
        retry = c[1].model_copy(update={"attempts": 1, "last_error": "HTTP 503",
                                        "next_try_at": now + timedelta(minutes=10), "lease_until": None})
        self.outbox.save_outbox_item(retry)
        stats = self.outbox.outbox_stats(now + timedelta(minutes=2))
        assert stats["pending"] == 3 and stats["sent"] == 1 and stats["dead"] == 0
        assert stats["oldest_pending_age_s"] == pytest.approx(7 * 60)  # i0..i2 were created at T0
        got = self.outbox.get_outbox_item(c[0].id)
        assert got is not None and got.status is OutboxStatus.SENT and got.response_ref == "T-1"
