"""Per-source crawl state in Elasticsearch: one index behind an alias, versioned writes."""

from __future__ import annotations

from core import SourceState
from storage.base import SourceStates
from storage.elastic.base import ElasticBase
from storage.elastic.errors import translate_errors


class ElasticSources(ElasticBase, SourceStates):
    """Source states, written with external versioning on their ``version``."""

    @translate_errors
    def get_source_state(self, name: str) -> SourceState | None:
        """One source's state."""
        doc = self._get("sources", name)
        return SourceState.model_validate(doc) if doc else None

    @translate_errors
    def save_source_state(self, state: SourceState) -> SourceState:
        """Write a state read at its version (0 creates)."""
        stored = state.model_copy(update={"version": state.version + 1, "updated_at": self._clock()})
        body = stored.model_dump(mode="json")
        if state.version > 0:
            self._put_over("sources", state.name, body, state.version, f"source state {state.name}")
        else:  # create: refused (Conflict) if the record exists, whatever its version
            self._put("sources", state.name, body, stored.version)
        return stored

    @translate_errors
    def list_source_states(self) -> list[SourceState]:
        """Every source's state, by name."""
        _total, docs = self._find("sources", {"match_all": {}}, [{"name": "asc"}], 10000)
        return [SourceState.model_validate(d) for d in docs]
