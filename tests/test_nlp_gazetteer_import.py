"""`yuqing places import`: a town's own table becomes a gazetteer, every bad row named."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from nlp.enrich import Enricher
from nlp.gazetteer import load_gazetteer
from nlp.gazetteer_import import build_places
from tests.test_cli_spine import run

HEADER = ["居委", "小区", "道路", "网格", "责任部门", "别名"]
ROWS = [
    ["杏林居委", "杏林花苑", "", "XL-01", "杏林镇城管中队", "杏林、杏花苑"],
    ["杏林居委", "金桂园", "", "XL-01", "杏林镇城管中队", ""],
    ["", "", "杏林路、桂花路", "XL-02", "杏林镇市政所", ""],
]


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_xlsx_becomes_a_gazetteer_the_enricher_uses(tmp_path: Path) -> None:
    out = tmp_path / "gaz.yaml"
    proc = run("places", "import", str(write_xlsx(tmp_path / "t.xlsx", ROWS)), "--town", "杏林镇",
               "--district", "某区", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    gaz = load_gazetteer(out)
    [estate] = gaz.lookup("杏花苑")
    assert estate.name == "杏林花苑" and estate.grid == "XL-01" and estate.department == "杏林镇城管中队"
    assert gaz.get(estate.parent).name == "杏林居委"
    assert {p.name for p in gaz if p.level.value == "road"} == {"杏林路", "桂花路"}
    [f] = Enricher(gazetteer=gaz).analyze(["杏花苑门口垃圾没人管"])
    assert f["places"][0]["id"] == estate.id
    again = tmp_path / "again.yaml"
    run("places", "import", str(tmp_path / "t.xlsx"), "--town", "杏林镇", "--district", "某区", "-o", str(again))
    assert again.read_text(encoding="utf-8").split("places:")[1] == out.read_text(encoding="utf-8").split("places:")[1]


def test_each_bad_row_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    bad = [*ROWS, ["", "", "", "XL-03", "", ""], ["杏林 居委", "", "", "", "", ""],
           ["槐树居委", "杏林花苑", "", "XL-09", "", ""]]
    out = tmp_path / "gaz.yaml"
    proc = run("places", "import", str(write_xlsx(tmp_path / "t.xlsx", bad)), "--town", "杏林镇", "-o", str(out))
    assert proc.returncode != 0 and not out.exists() and "Traceback" not in proc.stderr
    assert "line 5: needs a 居委, 小区 or 道路" in proc.stderr
    assert "line 6: '杏林 居委' is not a place name" in proc.stderr
    assert "line 7: conflicts with an earlier row: 杏林花苑: grid 'XL-01' ≠ 'XL-09'" in proc.stderr


def test_csv_with_unknown_columns_is_refused() -> None:
    res = build_places([{"居委": "杏林居委", "楼栋": "1"}], "杏林镇")
    assert res.errors and "unknown columns 楼栋" in res.errors[0]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    return path


def import_table(tmp_path: Path, table: Path) -> Path:
    out = tmp_path / f"{table.name}.yaml"
    proc = run("places", "import", str(table), "--town", "新港镇", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def test_aliases_of_a_row_with_an_estate_and_roads_name_the_estate(tmp_path: Path) -> None:
    row = ["金桂居委", "金桂花园", "新港路、民生路", "XH-01", "城管中队", "金桂花园小区、金桂小区"]
    for table in (write_csv(tmp_path / "t.csv", HEADER, [row]), write_xlsx(tmp_path / "t.xlsx", [row])):
        gaz = load_gazetteer(import_table(tmp_path, table))
        [estate] = gaz.lookup("金桂花园")
        assert estate.level.value == "compound" and set(estate.aliases) == {"金桂花园小区", "金桂小区"}
        assert gaz.lookup("金桂花园小区") == (estate,) and gaz.lookup("金桂小区") == (estate,)
        assert all(not p.aliases for p in gaz if p.level.value == "road")
        [f] = Enricher(gazetteer=gaz).analyze(["金桂花园小区的垃圾三天没人清了"])
        assert f["places"][0]["id"] == estate.id


def test_aliases_without_an_estate_go_to_the_road_or_where_类型_says(tmp_path: Path) -> None:
    rows = [["晨阳居委", "", "晨阳路", "CY-01", "市政所", "晨阳大道", ""],
            ["晨阳居委", "", "文化路、育才路", "CY-02", "", "晨阳社区、晨阳一居", "居委"],
            ["晨阳居委", "晨阳菜场", "菜场路", "CY-03", "市场所", "晨阳农贸市场", "市场"]]
    gaz = load_gazetteer(import_table(tmp_path, write_csv(tmp_path / "t.csv", [*HEADER, "类型"], rows)))
    assert [p.name for p in gaz.lookup("晨阳大道")] == ["晨阳路"]
    [comm] = gaz.lookup("晨阳一居")
    assert comm.name == "晨阳居委" and comm.level.value == "community" and gaz.lookup("晨阳社区") == (comm,)
    assert not any(gaz.lookup(r)[0].aliases for r in ("文化路", "育才路", "菜场路"))
    [market] = gaz.lookup("晨阳农贸市场")
    assert market.name == "晨阳菜场" and market.level.value == "market"
    [f] = Enricher(gazetteer=gaz).analyze(["晨阳农贸市场门口污水横流"])
    assert f["places"][0]["id"] == market.id


def test_aliases_of_several_roads_without_an_estate_are_refused(tmp_path: Path) -> None:
    rows = [["晨阳居委", "", "文化路、育才路", "CY-02", "", "文化大道", ""],
            ["晨阳居委", "", "文化路", "CY-02", "", "文化大道", "道路"],
            ["", "晨阳花苑", "晨阳路", "CY-03", "", "晨阳大道", "道路"],
            ["", "", "晨阳路", "CY-03", "", "", "居委"]]
    out = tmp_path / "gaz.yaml"
    proc = run("places", "import", str(write_csv(tmp_path / "t.csv", [*HEADER, "类型"], rows)), "--town", "新港镇",
               "-o", str(out))
    assert proc.returncode != 0 and not out.exists() and "Traceback" not in proc.stderr
    assert "line 2: 别名 of a row with several 道路 and no 小区: give each road its own row" in proc.stderr
    assert "line 3:" not in proc.stderr
    assert "line 4: 类型 道路 needs one 道路 and no 小区" in proc.stderr
    assert "line 5: 类型 居委 needs a 居委 and no 小区" in proc.stderr


def test_committee_spelling_variants_are_one_committee(tmp_path: Path) -> None:
    rows = [["晨阳居委会", "晨阳花苑", "", "CY-01", "", ""],
            ["晨阳居委", "晨阳新村", "", "CY-02", "", ""],
            ["晨阳居民委员会", "", "晨阳路", "CY-03", "", ""],
            ["晨阳社区", "", "", "", "", ""],
            ["东风村委会", "东风苑", "", "DF-01", "", ""],
            ["东风村民委员会", "东风二村", "", "DF-02", "", ""],
            ["东风村委", "", "", "", "", ""],
            ["晨阳村委", "晨阳家园", "", "CY-04", "", ""],
            ["晨阳居未", "晨阳雅苑", "", "CY-05", "", ""]]
    gaz = load_gazetteer(import_table(tmp_path, write_csv(tmp_path / "t.csv", HEADER, rows)))
    comms = {p.name: p for p in gaz if p.level.value == "community"}
    assert set(comms) == {"晨阳居委会", "东风村委会", "晨阳村委", "晨阳居未"}
    assert set(comms["晨阳居委会"].aliases) == {"晨阳居委", "晨阳居民委员会", "晨阳社区"}
    assert set(comms["东风村委会"].aliases) == {"东风村民委员会", "东风村委"}
    assert gaz.lookup("晨阳新村")[0].parent == gaz.lookup("晨阳花苑")[0].parent == comms["晨阳居委会"].id
    assert gaz.lookup("东风二村")[0].parent == comms["东风村委会"].id
    assert gaz.lookup("晨阳家园")[0].parent == comms["晨阳村委"].id
    assert gaz.lookup("晨阳居委") == (comms["晨阳居委会"],)


def test_committee_folding_keeps_its_row_checks() -> None:
    rows = [{"居委": "晨阳居委会", "小区": "晨阳花苑", "网格": "CY-01"},
            {"居委": "晨阳居委", "小区": "晨阳花苑", "网格": "CY-01"}]
    assert not build_places(rows, "新港镇").errors
    clash = build_places([*rows, {"居委": "晨阳居民委员会", "小区": "晨阳花苑", "网格": "CY-09"}], "新港镇")
    assert clash.errors == ["line 4: conflicts with an earlier row: 晨阳花苑: grid 'CY-01' ≠ 'CY-09'"]


def test_a_village_committee_written_with_and_without_its_village_word_is_one() -> None:
    from nlp.gazetteer_import import committee_key

    assert committee_key("沈家村村委会") == committee_key("沈家村委会") == committee_key("沈家村民委员会")
    assert committee_key("沈家村委会") != committee_key("沈家居委会")
