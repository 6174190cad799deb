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
