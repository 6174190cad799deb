"""Storage: one narrow interface per aggregate (posts, cases, outbox, source states), two backends
(embedded SQLite, Elasticsearch); :func:`open_store` returns a :class:`Store` implementing all of them."""

from storage.base import (
    CaseList,
    CaseQuery,
    CaseStore,
    CountRow,
    HistogramBucket,
    Hit,
    OutboxQueue,
    PostQuery,
    PostStore,
    SearchResult,
    SourceStates,
    Store,
    StoreAdmin,
    UpsertReport,
)
from storage.factory import open_store

__all__ = [
    "CaseList", "CaseQuery", "CaseStore", "CountRow", "HistogramBucket", "Hit", "OutboxQueue", "PostQuery",
    "PostStore", "SearchResult", "SourceStates", "Store", "StoreAdmin", "UpsertReport", "open_store",
]
