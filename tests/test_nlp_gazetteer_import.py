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


def test_roads_named_in_an_estate_row_take_neither_its_department_nor_its_grid(tmp_path: Path) -> None:
    rows = [["骆家庄社区", "骆家庄", "文一西路", "WX-04", "文新街道城建科", "", ""],
            ["五联社区", "五联西苑", "文一西路、古墩路", "WX-05", "文新街道物业管理科", "", ""],
            ["", "", "文一西路", "WX-01", "执法中队", "", ""],
            ["", "益乐农贸市场", "益乐路", "WX-02", "文新市场监管所", "", "市场"],
            ["", "古墩路与文一西路路口", "古墩路、文一西路", "WX-01", "交警中队", "", "路口"],
            ["", "", "古墩路", "WX-01", "执法中队", "古墩", "道路"],
            ["", "", "丰潭路、文二西路", "WX-06", "执法中队", "", ""]]
    gaz = load_gazetteer(import_table(tmp_path, write_csv(tmp_path / "t.csv", [*HEADER, "类型"], rows)))
    road = {p.name: p for p in gaz if p.level.value == "road"}
    assert (road["文一西路"].department, road["文一西路"].grid) == ("执法中队", "WX-01")
    assert (road["古墩路"].department, road["古墩路"].grid) == ("执法中队", "WX-01")
    assert (road["益乐路"].department, road["益乐路"].grid) == (None, None)  # only where the market lies
    assert road["丰潭路"].department == road["文二西路"].department == "执法中队"
    assert gaz.lookup("骆家庄")[0].department == "文新街道城建科"
    assert gaz.lookup("益乐农贸市场")[0].department == "文新市场监管所"


def test_two_estates_on_one_road_with_different_departments_do_not_conflict(tmp_path: Path) -> None:
    rows = [["德加社区", "德加公寓", "古墩路、文二西路", "WX-01", "物业管理科", "德加"],
            ["五联社区", "五联西苑", "古墩路", "WX-05", "城建科", "五联"]]
    gaz = load_gazetteer(import_table(tmp_path, write_csv(tmp_path / "t.csv", HEADER, rows)))
    assert all(p.department is None and p.grid is None for p in gaz if p.level.value == "road")


def test_merged_committee_cells_of_an_xlsx_hold_on_every_row_they_span(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append([*HEADER, "类型"])
    ws.append(["益乐社区", "益乐新村", "", "WX-02", "物业管理科", "益乐", ""])
    ws.append(["", "益乐农贸市场", "", "WX-02", "市场监管所", "益乐菜场", "市场"])
    ws.append(["", "益乐苑", "", "WX-02", "", "", ""])
    ws.merge_cells("A2:A4")
    ws.append(["德加社区", "德加公寓", "", "WX-01", "物业管理科", "", ""])
    ws.append(["", "", "古墩路", "WX-01", "执法中队", "", ""])
    wb.save(tmp_path / "t.xlsx")
    gaz = load_gazetteer(import_table(tmp_path, tmp_path / "t.xlsx"))
    [comm] = gaz.lookup("益乐社区")
    assert [gaz.lookup(n)[0].parent for n in ("益乐新村", "益乐农贸市场", "益乐苑")] == [comm.id] * 3
    assert gaz.get(gaz.lookup("古墩路")[0].parent).level.value == "town"


def test_a_title_row_and_a_row_number_column_are_passed_over(tmp_path: Path) -> None:
    header = ["序号", *HEADER]
    rows = [["1", "杏林居委", "杏林花苑", "", "XL-01", "城管中队", "杏花苑"], ["2", "", "", "杏林路", "XL-02", "", ""]]
    wb = Workbook()
    ws = wb.active
    ws.append(["杏林镇地名表（2026年12月）"])
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(tmp_path / "t.xlsx")
    csv_file = tmp_path / "t.csv"
    csv_file.write_text("杏林镇地名表,,,,,,\n" + "\n".join(",".join(r) for r in [header, *rows]) + "\n",
                        encoding="utf-8")
    for table in (tmp_path / "t.xlsx", csv_file):
        gaz = load_gazetteer(import_table(tmp_path, table))
        [estate] = gaz.lookup("杏花苑")
        assert estate.name == "杏林花苑" and gaz.get(estate.parent).name == "杏林居委"
    csv_file.write_text(csv_file.read_text(encoding="utf-8") + "3,杏林 居委,,,,,\n", encoding="utf-8")
    proc = run("places", "import", str(csv_file), "--town", "杏林镇")
    assert proc.returncode != 0 and "line 5: '杏林 居委' is not a place name" in proc.stderr  # title = line 1


def test_english_headers_and_common_variants_are_read() -> None:
    res = build_places([{"community": "晨阳居委", "compound": "晨阳菜场", "grid": "CY-01", "type": "market"}], "新港镇")
    assert not res.errors and res.places[-1].level.value == "market"
    row = {"所属社区": "晨阳居委", "小区名称": "晨阳花苑", "所属网格": "CY-01", "category": ""}
    res = build_places([row], "新港镇")
    assert not res.errors and res.places[-1].grid == "CY-01"


def test_a_committee_typo_names_both_committees_not_their_ids() -> None:
    rows = [{"居委": "益乐社区", "小区": "益乐新村"}, {"居委": "益乐社去", "小区": "益乐新村"}]
    assert build_places(rows, "文新街道").errors == [
        "line 3: conflicts with an earlier row: 益乐新村: parent '益乐社区' ≠ '益乐社去'"]
    rows = [{"小区": "晨阳菜场", "类型": "市场"}, {"小区": "晨阳菜场", "类型": "地标"}]
    assert build_places(rows, "文新街道").errors == [
        "line 3: conflicts with an earlier row: 晨阳菜场: level 'market' ≠ 'landmark'"]


def test_the_written_gazetteer_ends_with_one_newline(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "t.csv", HEADER, ROWS)
    assert import_table(tmp_path, table).read_text(encoding="utf-8").endswith("}\n")
    proc = run("places", "import", str(table), "--town", "新港镇")
    assert proc.returncode == 0 and proc.stdout.endswith("}\n")


def test_short_csv_rows_and_numbered_blank_rows_are_read(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("序号,居委,小区,道路,网格,责任部门,别名\n1,杏林居委,杏林花苑\n2,,,杏林路,XL-02,市政所,\n3,,,,,,\n4\n",
                     encoding="utf-8")
    gaz = load_gazetteer(import_table(tmp_path, table))
    assert gaz.lookup("杏林花苑")[0].grid is None and gaz.lookup("杏林路")[0].department == "市政所"


def test_a_header_merged_over_two_columns_keeps_both_columns_values(tmp_path: Path) -> None:
    """Review R25: 道路 merged over C1:D1 with a road under each cell: both roads are the row's, none lost."""
    wb = Workbook()
    ws = wb.active
    ws.append(["居委", "小区", "道路", None, "网格", "责任部门", "别名"])
    ws.merge_cells("C1:D1")
    ws.append(["", "", "古墩路", "文一西路", "WX-01", "文新街道城建科", ""])
    ws.append(["", "", "丰潭路", "丰潭路", "WX-02", "文新街道城建科", ""])
    wb.save(tmp_path / "t.xlsx")
    out = tmp_path / "gaz.yaml"
    proc = run("places", "import", str(tmp_path / "t.xlsx"), "--town", "文新街道", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert {p.name for p in load_gazetteer(out) if p.level.value == "road"} == {"古墩路", "文一西路", "丰潭路"}
