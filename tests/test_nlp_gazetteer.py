"""The gazetteer loader and the bundled 大场镇 file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from core import ConfigError, Place, PlaceLevel
from nlp.gazetteer import DEFAULT_GAZETTEER, load_gazetteer


def test_bundled_gazetteer_validates_as_places() -> None:
    gaz = load_gazetteer()
    assert len(gaz) > 150
    town = gaz.get("dachang")
    assert town is not None and town.name == "大场镇" and town.level is PlaceLevel.TOWN
    assert "大场" in town.aliases and town.parent == "baoshan"
    raw = yaml.safe_load(DEFAULT_GAZETTEER.read_text(encoding="utf-8"))
    assert raw["meta"]["name"] == "大场镇" and raw["meta"]["sources"]
    for row in raw["places"]:
        Place.model_validate(row)  # the simulator reads the file this way


def test_bundled_gazetteer_hierarchy_is_closed() -> None:
    gaz = load_gazetteer()
    for p in gaz:
        assert p.parent is None or gaz.get(p.parent) is not None, p.id
    # 87 committees of the 2021 statistical codes (77 居委会 + 10 村委会)
    committees = [p for p in gaz if p.level is PlaceLevel.COMMUNITY]
    assert len(committees) == 87
    assert sum(p.name.endswith("村委会") for p in committees) == 10


def test_lookup_ancestors_and_town() -> None:
    gaz = load_gazetteer()
    assert [p.id for p in gaz.lookup("嘉华苑")] == ["dc-xq-jiahuayuan"]
    assert gaz.lookup("不存在的地方") == ()
    chain = [p.id for p in gaz.ancestors("dc-jw-041")]
    assert chain[:2] == ["dc-xq-jiahuayuan", "dc-xq-dahua"] and "dachang" in chain
    assert gaz.town_of("dc-rd-hutai").id == "dachang"
    assert gaz.town_of("gucun").id == "gucun"
    assert gaz.get("nope") is None


def test_default_is_cached() -> None:
    assert load_gazetteer() is load_gazetteer(None)


def test_csv_gazetteer(tmp_path: Path) -> None:
    f = tmp_path / "g.csv"
    f.write_text("id,name,level,aliases,parent,grid,department\n"
                 "t,某镇,town,某|某地,,,\n"
                 "r,幸福路,road,,t,G-1,城管\n", encoding="utf-8")
    gaz = load_gazetteer(f)
    assert gaz.get("t").aliases == ["某", "某地"]
    assert gaz.get("r").grid == "G-1" and gaz.get("r").department == "城管"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("places:\n  - {id: a, name: A, level: planet}\n", "places[0] (a): level"),
        ("places:\n  - {id: a, name: A}\n  - {id: a, name: B}\n", "duplicate place id 'a'"),
        ("meta: {}\n", "needs a 'places' list"),
        ("places: [\n", "cannot read gazetteer"),
    ],
)
def test_bad_gazetteer_is_one_line_error(tmp_path: Path, text: str, needle: str) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_gazetteer(f)
    assert needle in str(err.value) and "\n" not in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_gazetteer(tmp_path / "none.yaml")
