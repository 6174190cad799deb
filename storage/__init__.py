"""Storage: one Store interface, two backends (embedded SQLite, Elasticsearch)."""

from storage.base import (
    CaseList,
    CaseQuery,
    CountRow,
    HistogramBucket,
    Hit,
    PostQuery,
    SearchResult,
    Store,
    UpsertReport,
)
from storage.factory import open_store

__all__ = [
    "CaseList", "CaseQuery", "CountRow", "HistogramBucket", "Hit", "PostQuery", "SearchResult", "Store",
    "UpsertReport", "open_store",
]
