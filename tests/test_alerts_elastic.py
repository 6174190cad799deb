"""The alert loop on a real Elasticsearch node: the planted spike opens one case, two runners never two,
and the tracker gets one ticket (skipped without YUQING_ES_URL; required under CI=true)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from alerts.runner import AlertRunner
from core.config import ElasticsearchConfig
from storage.base import CaseQuery
from storage.elastic import ElasticStore
from tests.alerts_support import Clock, Receiver, Tracker, at_once, config
from tests.test_alerts_runner import SPIKE_START, visible, world_posts  # noqa: F401 - fixture

pytestmark = pytest.mark.elasticsearch


def test_planted_spike_on_elasticsearch(es_url: str, es_prefix: str, world_posts, tmp_path: Path) -> None:  # noqa: F811
    clock = Clock(SPIKE_START + timedelta(hours=3))
    stores = [ElasticStore(ElasticsearchConfig(url=es_url, index_prefix=es_prefix), clock=clock) for _ in range(2)]
    stores[0].init()
    stores[0].upsert_posts(visible(world_posts, clock.now), refresh=True)
    tracker = Tracker("k", ["fail"])
    with Receiver(tracker) as trk:
        cfg = config(tmp_path, detectors=["spike"],
                     channels=[{"type": "webhook", "name": "grid", "url": trk.url, "secret": "k"}])
        runners = [AlertRunner(s, cfg, clock=clock) for s in stores]
        at_once([lambda r=r: r.run_once(deliver=False) for r in runners])
        stores[0].refresh()
        (case,) = stores[0].list_cases(CaseQuery()).items
        assert case.key == "dc-xq-qianxi|sanitation" and case.department == "大场镇城管中队"
        runners[1].deliverer.drain()  # attempt 1 fails
        clock.advance(minutes=2)
        runners[0].deliverer.drain()  # attempt 2 succeeds
    assert list(tracker.tickets.values()) == ["GRID-0001"]
    assert stores[1].get_case(case.id).external_ref == "GRID-0001"
    for s in stores:
        s.close()
