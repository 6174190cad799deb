"""What a newcomer sees in the demo and the README's sample: civic tips (文明小贴士) and official notices are not
complaints, so they do not fill the top of a search for complaints (#12). The texts come from the demo's own
world (config/demo-scenario.yaml) and the bundled sample posts, enriched as the crawl and `load` enrich them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core import Post, load_config

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def enricher():
    from nlp import Enricher

    return Enricher.from_config(load_config(None, environ={}))


def test_the_demos_civic_tips_are_not_complaints(enricher) -> None:
    from simulator.scenario import load_scenario
    from simulator.world import World

    world = World(load_scenario(REPO / "config" / "demo-scenario.yaml"))
    tips = [p for p in world.posts["wechat"] if p.title == "文明小贴士"]
    assert tips, "the demo world has no civic tips any more: this test shows nothing"
    posts = enricher.enrich([Post.new(f"wechat:{p.channel}", str(p.seq), title=p.title, text=p.text,
                                      published_at=p.at) for p in tips])
    flagged = [p.text for p in posts if p.is_complaint]
    assert not flagged, f"{len(flagged)} of {len(posts)} civic tips flagged as complaints: {flagged[:3]}"


def test_the_samples_official_notices_are_not_complaints(enricher) -> None:
    rows = [json.loads(line) for line in (REPO / "config" / "sample-posts.jsonl").read_text(encoding="utf-8")
            .splitlines() if line.strip()]
    official = [Post.new(r.pop("source"), r.pop("native_id"), **r) for r in rows if r["source"].startswith("wechat:")]
    assert official
    flagged = [p.text for p in enricher.enrich(official) if p.is_complaint]
    assert not flagged, f"official notices flagged as complaints: {flagged}"
