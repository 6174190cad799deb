"""The Elasticsearch store: every aggregate over one client (what ``open_store`` returns for Elasticsearch)."""

from __future__ import annotations

from storage.base import Store
from storage.elastic.cases import ElasticCases
from storage.elastic.outbox import ElasticOutbox
from storage.elastic.posts import ElasticPosts
from storage.elastic.sources import ElasticSources


class ElasticStore(ElasticPosts, ElasticCases, ElasticOutbox, ElasticSources, Store):
    """Posts, cases, outbox and source state in Elasticsearch 8."""
