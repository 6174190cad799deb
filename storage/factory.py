"""Open the configured backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from core import Config, utcnow
from nlp import Segmenter, default_segmenter
from storage.base import Store


def open_store(config: Config, segmenter: Segmenter | None = None, *,
               clock: Callable[[], datetime] = utcnow) -> Store:
    """The Store the configuration names; raises :class:`core.StoreUnavailable` if it cannot be reached."""
    seg = segmenter or default_segmenter()
    if config.storage.backend == "elasticsearch":
        from storage.elastic import ElasticStore

        return ElasticStore(config.storage.elasticsearch, segmenter=seg, clock=clock)
    from storage.sqlite import SQLiteStore

    return SQLiteStore(config.storage.sqlite.path, segmenter=seg, clock=clock)
