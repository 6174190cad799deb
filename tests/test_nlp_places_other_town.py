"""Places of another town's imported table, as a clerk of 文新街道 (杭州) wrote them in a user check."""

from __future__ import annotations

import pytest

from nlp.enrich import Enricher
from nlp.gazetteer import load_gazetteer
from tests.test_cli_spine import run

TABLE = """居委,小区,道路,网格,责任部门,别名,类型
五联社区,五联西苑,,WX-04,文新街道物业管理科,五联,
益乐社区,益乐新村,益乐路,WX-02,文新街道物业管理科,益乐新村小区,
,,古墩路,WX-01,文新街道城建科,,道路
,,文一西路,WX-01,文新街道城建科,,道路
,古墩路与文一西路路口,古墩路、文一西路,WX-01,西湖交警文新中队,西城广场路口,路口
"""


@pytest.fixture(scope="module")
def enricher(tmp_path_factory: pytest.TempPathFactory) -> Enricher:
    d = tmp_path_factory.mktemp("wenxin")
    (d / "t.csv").write_text(TABLE, encoding="utf-8")
    out = d / "gaz.yaml"
    proc = run("places", "import", str(d / "t.csv"), "--town", "文新街道", "--district", "西湖区", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return Enricher(gazetteer=load_gazetteer(out))


@pytest.mark.parametrize("crossing", [
    "古墩路与文一西路路口", "文一西路与古墩路路口", "古墩路文一西路路口", "文一西路古墩路路口", "文一西路古墩路口",
    "古墩路和文一西路交叉口", "文一西路和古墩路交叉口", "西城广场路口",
])
def test_a_listed_crossing_is_found_in_either_order(enricher: Enricher, crossing: str) -> None:
    [f] = enricher.analyze([f"{crossing}红绿灯坏了"])
    first = f["places"][0]
    assert (first["name"], first["level"]) == ("古墩路与文一西路路口", "crossing")
    assert first["department"] == "西湖交警文新中队"
    assert first["id"]


def test_an_estates_short_alias_opening_a_markets_name_names_the_market(enricher: Enricher) -> None:
    """五联菜场 is a market of its own, not the estate 五联西苑 whose alias is 五联; an unlisted place takes no
    estate's department (物业) from a name it shares."""
    [f] = enricher.analyze(["五联菜场旁边新开的那家烧烤店，每天晚上油烟直接排到居民楼，窗都不敢开"])
    assert [(p["name"], p["level"], p.get("department")) for p in f["places"]] == [("五联菜场", "market", None)]


def test_a_committee_written_as_居委_is_the_listed_社区(enricher: Enricher) -> None:
    [f] = enricher.analyze(["益乐居委门口垃圾成堆"])
    assert [(p["name"], bool(p.get("id"))) for p in f["places"]][:1] == [("益乐社区", True)]
    assert not [p for p in f["places"] if not p.get("id")]
