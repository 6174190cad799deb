"""The Elasticsearch backend, one module per aggregate over a shared client (``base``): ``posts``
(writes and lookups), ``search`` and ``complaints`` (reads), ``cases``, ``outbox``, ``sources``;
``admin`` installs and migrates the indices, ``errors`` turns client errors into one line."""

from storage.elastic.store import ElasticStore

__all__ = ["ElasticStore"]
