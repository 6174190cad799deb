"""Another town routes by its own places: the bundled taxonomy's departments are 大场镇's and never used there."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.routing import UNASSIGNED, Router, topic_departments_apply
from core.config import AlertsConfig
from core.errors import ConfigError
from nlp.gazetteer import load_gazetteer
from nlp.taxonomy import load_taxonomy
from tests.test_cli_spine import run

TABLE = ("居委,小区,道路,网格,责任部门,别名\n益乐社区,益乐新村,,WX-03,文新街道物业管理科,\n"
         ",,丰潭路,WX-05,文新街道城建科,\n")


@pytest.fixture(scope="module")
def other_town(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("wenxin")
    (d / "t.csv").write_text(TABLE, encoding="utf-8")
    out = d / "gaz.yaml"
    proc = run("places", "import", str(d / "t.csv"), "--town", "文新街道", "--district", "西湖区", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return load_gazetteer(out)


def test_the_bundled_taxonomy_names_its_town() -> None:
    assert load_taxonomy().town == "大场镇"
    assert topic_departments_apply(load_gazetteer(), load_taxonomy())


def test_another_towns_cases_go_to_its_places_departments(other_town) -> None:
    router = Router(AlertsConfig(), other_town, load_taxonomy())
    [estate] = other_town.lookup("益乐新村")
    [road] = other_town.lookup("丰潭路")
    assert router.route(estate.id, "sanitation").department == "文新街道物业管理科"
    assert router.route(road.id, "parking").department == "文新街道城建科"
    # an unlisted place and a place without a department of its own: the dispatcher's queue, never 大场镇's
    assert router.route("raw:五联菜市场", "food_hygiene").department == UNASSIGNED
    [committee] = other_town.lookup("益乐社区")
    assert "大场" not in router.route(committee.id, "noise").department


def test_a_taxonomy_of_the_same_town_routes_by_topic(other_town, tmp_path: Path) -> None:
    own = tmp_path / "topics.yaml"
    own.write_text("town: 文新街道\ntopics:\n  - {code: sanitation, name: 市容环境, department: 文新街道城管科, "
                   "urgency: routine, keywords: [垃圾]}\n", encoding="utf-8")
    router = Router(AlertsConfig(), other_town, load_taxonomy(own))
    [estate] = other_town.lookup("益乐新村")
    assert router.route(estate.id, "sanitation").department == "文新街道城管科"
    # a taxonomy that names no town routes by topic anywhere, as before
    anywhere = tmp_path / "anywhere.yaml"
    anywhere.write_text("topics:\n  - {code: sanitation, name: 市容环境, department: 城管科, urgency: routine, "
                        "keywords: [垃圾]}\n", encoding="utf-8")
    anywhere_router = Router(AlertsConfig(), other_town, load_taxonomy(anywhere))
    assert anywhere_router.route(estate.id, "sanitation").department == "城管科"


def test_a_town_that_is_not_a_name_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "topics.yaml"
    bad.write_text("town: [a, b]\ntopics: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'town' must be"):
        load_taxonomy(bad)
