"""The contract of :class:`storage.SourceStates`: per-source state written compare-and-set."""

from __future__ import annotations

import pytest

from core import (
    Conflict,
    SourceHealth,
    SourceState,
)
from storage import SourceStates
from tests.storage_contract.samples import STORE_NOW


class SourceStatesContract:
    """Source states: create once, then only over the version read."""

    sources: SourceStates

    @pytest.fixture(autouse=True)
    def _bind_sources(self, store: SourceStates) -> None:
        self.sources = store

    def test_source_state_cas(self) -> None:
        assert self.sources.get_source_state("weibo-search") is None
        s1 = self.sources.save_source_state(SourceState(name="weibo-search", cursor={"page": 3},
                                                      health=SourceHealth.OK))
        assert s1.version == 1
        with pytest.raises(Conflict):
            self.sources.save_source_state(SourceState(name="weibo-search"))  # create again
        s2 = self.sources.save_source_state(s1.model_copy(update={"health": SourceHealth.BACKING_OFF,
                                                                 "consecutive_errors": 2}))
        assert s2.version == 2
        with pytest.raises(Conflict):
            self.sources.save_source_state(s1)
        self.sources.save_source_state(SourceState(name="forum"))
        states = self.sources.list_source_states()
        assert [s.name for s in states] == ["forum", "weibo-search"]
        got = self.sources.get_source_state("weibo-search")
        assert got is not None and got.health is SourceHealth.BACKING_OFF and got.cursor == {"page": 3}

    def test_state_is_stamped_by_the_injected_clock(self) -> None:
        state = self.sources.save_source_state(SourceState(name="weibo-search"))
        assert state.updated_at == STORE_NOW and self.sources.get_source_state("weibo-search").updated_at == STORE_NOW
