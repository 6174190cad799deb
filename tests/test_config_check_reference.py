"""`yuqing config check` loads the files the config names (nlp.gazetteer, nlp.taxonomy): one line per bad file."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli_spine import one_line_error, run

GAZETTEER = """meta: {name: 文新街道}
places:
  - {id: wx, level: town, name: 文新街道}
  - {id: wx-x1, level: compound, name: 德加公寓, parent: wx}
"""
TAXONOMY = """topics:
  - {code: litter, name: 垃圾, keywords: [垃圾]}
"""
TABLE = "居委,小区,道路,网格,责任部门,别名\n德加社区,德加公寓,古墩路,WX-01,物业管理科,德加\n"


def write(tmp_path: Path, nlp: str, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    config = tmp_path / "yuqing.yaml"
    config.write_text(f"storage:\n  sqlite:\n    path: var/t.db\nnlp:\n{nlp}", encoding="utf-8")
    return config


def test_good_gazetteer_and_taxonomy_are_counted(tmp_path: Path) -> None:
    config = write(tmp_path, "  gazetteer: gaz.yaml\n  taxonomy: tax.yaml\n", **{"gaz.yaml": GAZETTEER,
                                                                              "tax.yaml": TAXONOMY})
    proc = run("config", "check", str(config))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"ok: {config}") and "gazetteer 2 places, taxonomy 1 topics" in proc.stdout


def test_a_missing_gazetteer_is_one_line_naming_key_and_line(tmp_path: Path) -> None:
    config = write(tmp_path, "  gazetteer: nothere.yaml\n")
    line = one_line_error(run("config", "check", str(config)))
    assert line.startswith(f"错误 error: {config}:5: nlp.gazetteer: ") and line.endswith(
        f"{tmp_path / 'nothere.yaml'}: gazetteer file not found")


def test_a_missing_taxonomy_and_a_taxonomy_given_as_gazetteer_are_a_line_each(tmp_path: Path) -> None:
    config = write(tmp_path, "  gazetteer: tax.yaml\n  taxonomy: nothere.yaml\n", **{"tax.yaml": TAXONOMY})
    proc = run("config", "check", str(config))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and not proc.stdout
    lines = proc.stderr.splitlines()
    assert len(lines) == 2, proc.stderr
    assert f"{config}:5: nlp.gazetteer: " in lines[0] and "a gazetteer needs a 'places' list" in lines[0]
    assert f"{config}:6: nlp.taxonomy: " in lines[1] and "taxonomy file not found" in lines[1]


def test_a_gazetteer_given_as_taxonomy_is_refused(tmp_path: Path) -> None:
    config = write(tmp_path, "  taxonomy: gaz.yaml\n", **{"gaz.yaml": GAZETTEER})
    line = one_line_error(run("config", "check", str(config)))
    assert f"{config}:5: nlp.taxonomy: " in line and "a taxonomy needs a 'topics' list" in line


def test_a_place_table_given_as_gazetteer_says_to_import_it_first(tmp_path: Path) -> None:
    for name in ("地名表.csv", "地名表.xlsx"):
        if name.endswith(".xlsx"):
            from openpyxl import Workbook

            wb = Workbook()
            for row in TABLE.splitlines():
                wb.active.append(row.split(","))
            wb.save(tmp_path / name)
        else:
            (tmp_path / name).write_text(TABLE, encoding="utf-8")
        config = write(tmp_path, f"  gazetteer: {name}\n")
        line = one_line_error(run("config", "check", str(config)))
        assert f"{config}:5: nlp.gazetteer: {tmp_path / name} is a place table, not a gazetteer" in line
        assert f"run `yuqing places import {tmp_path / name} --town" in line and "Field required" not in line


def test_a_gazetteer_csv_with_a_bad_row_keeps_its_own_error(tmp_path: Path) -> None:
    config = write(tmp_path, "  gazetteer: gaz.csv\n", **{"gaz.csv": "id,name,level\nwx,文新街道,town\nwx-1,,road\n"})
    line = one_line_error(run("config", "check", str(config)))
    assert f"{config}:5: nlp.gazetteer: " in line and "places[1] (wx-1)" in line and "places import" not in line
