"""Replicas on a real Elasticsearch node: indices auto-expand to one replica on a cluster (0 on one node), and
`init` brings indices installed with the old "0 replicas" files up to that without re-deriving anything."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import pytest

import index_mappings
from core.config import ElasticsearchConfig
from storage import PostQuery
from storage.elastic import ElasticStore
from tests.storage_contract import SAMPLE, store_clock

pytestmark = pytest.mark.elasticsearch


def _replicas(store: ElasticStore, prefix: str) -> dict[str, Any]:
    """(auto_expand_replicas, number_of_replicas) of each index of the four kinds in ``index_mappings``."""
    index = ",".join(f"{prefix}-{kind}-*" for kind in index_mappings.KINDS)
    got = store.es.indices.get_settings(index=index, name="index.auto_expand_replicas,index.number_of_replicas")
    return {i: (s["settings"]["index"].get("auto_expand_replicas"), s["settings"]["index"]["number_of_replicas"])
            for i, s in got.items()}


def _old_file(kind: str) -> dict[str, Any]:
    """A mapping file as it was before auto_expand_replicas: ``number_of_replicas: 0``."""
    d = copy.deepcopy(index_mappings.load_mapping(kind))
    d["settings"] = {**{k: v for k, v in d["settings"].items() if k != "auto_expand_replicas"},
                     "number_of_replicas": 0}
    return d


def _old_fingerprint(definition: dict[str, Any], *, legacy: bool = False) -> str:
    """The fingerprint as it was computed then: over every setting."""
    body = {k: definition[k] for k in ("settings", "mappings")}
    return hashlib.sha1(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]


def test_new_indices_auto_expand_to_one_replica_and_stay_green_on_one_node(es_url: str, es_prefix: str) -> None:
    store = ElasticStore(ElasticsearchConfig(url=es_url, index_prefix=es_prefix), clock=store_clock)
    store.init()
    got = _replicas(store, es_prefix)
    assert len(got) == 4, got  # the month, cases, outbox, sources
    assert set(got.values()) == {("0-1", "0")}, "one node: no replica to place, so none"
    template = store.es.indices.get_index_template(name=f"{es_prefix}-posts-v1")["index_templates"][0]
    assert template["index_template"]["template"]["settings"]["index"]["auto_expand_replicas"] == "0-1"
    health = store.es.cluster.health(index=f"{es_prefix}-*", wait_for_status="green", timeout="30s")
    assert health["status"] == "green"


def test_init_updates_indices_installed_with_zero_replicas_in_place(
        es_url: str, es_prefix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import storage.elastic.admin as admin

    real_load, real_fingerprint = admin.load_mapping, admin._fingerprint
    monkeypatch.setattr(admin, "load_mapping", _old_file)
    monkeypatch.setattr(admin, "_fingerprint", _old_fingerprint)
    store = ElasticStore(ElasticsearchConfig(url=es_url, index_prefix=es_prefix), clock=store_clock)
    store.init()
    store.upsert_posts(SAMPLE, refresh=True)
    assert set(_replicas(store, es_prefix).values()) == {(None, "0")}
    # an operator's own choice is kept
    store.es.indices.put_settings(index=f"{es_prefix}-outbox-v1", settings={"index.auto_expand_replicas": "0-all"})

    monkeypatch.setattr(admin, "load_mapping", real_load)
    monkeypatch.setattr(admin, "_fingerprint", real_fingerprint)
    lines = store.init()
    assert f"updated (replica settings) index template {es_prefix}-posts-v1" in lines
    assert not any("re-derived" in line or "warning" in line for line in lines), lines
    changed = {i for i in _replicas(store, es_prefix) if any(f" on {i} " in line for line in lines)}
    assert changed == {f"{es_prefix}-posts-v1-2026.11", f"{es_prefix}-cases-v1", f"{es_prefix}-sources-v1"}
    got = _replicas(store, es_prefix)
    assert got[f"{es_prefix}-outbox-v1"][0] == "0-all"
    assert {got[i][0] for i in changed} == {"0-1"}
    assert store.init() == [], "the second run has nothing left to do"
    assert store.search(PostQuery(limit=0)).total == len(SAMPLE)
