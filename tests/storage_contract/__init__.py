"""The storage contract: every backend must pass it, one module per aggregate.

``posts`` and ``post_counts`` (:class:`storage.PostStore`), ``cases`` (:class:`storage.CaseStore`),
``outbox`` (:class:`storage.OutboxQueue`), ``sources`` (:class:`storage.SourceStates`); each class
binds the narrow interface it tests from a ``store`` fixture the backend's test module provides, and
:class:`StoreContract` is all of them plus the lifecycle. Nothing here knows which backend runs.
"""

from __future__ import annotations

import pytest

from storage import StoreAdmin
from tests.storage_contract.cases import CaseStoreContract, make_case
from tests.storage_contract.outbox import OutboxQueueContract
from tests.storage_contract.post_counts import PostCountsContract
from tests.storage_contract.posts import PostStoreContract
from tests.storage_contract.samples import SAMPLE, STORE_NOW, T0, make_post, place, store_clock
from tests.storage_contract.sources import SourceStatesContract

__all__ = [
    "SAMPLE", "STORE_NOW", "T0", "CaseStoreContract", "OutboxQueueContract", "PostCountsContract",
    "PostStoreContract", "SourceStatesContract", "StoreContract", "make_case", "make_post", "place", "store_clock",
]


class StoreContract(PostStoreContract, PostCountsContract, CaseStoreContract, OutboxQueueContract,
                    SourceStatesContract):
    """Behaviour every Store backend must show: each aggregate's contract and the lifecycle."""

    @pytest.fixture(autouse=True)
    def _bind_admin(self, store: StoreAdmin) -> None:
        self.admin = store

    def test_init_is_idempotent(self) -> None:
        assert self.admin.init() == []

    def test_health(self) -> None:
        assert self.admin.health()["status"] in ("ok", "green", "yellow")
