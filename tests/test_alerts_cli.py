"""The alerts, cases and report commands."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from yuqing.cli import cli, main


def _csv(tmp_path: Path) -> Path:
    rng = np.random.default_rng(1)
    lines = ["key,bucket,count"]
    for d in range(40):
        day = date(2026, 10, 1) + timedelta(days=d)
        n = 1 if d < 36 else 6
        lines.append(f"dc-road-changzhong|sanitation,{day}T10:00,{n}")
        lines.append(f"dc-market|food_hygiene,{day}T11:00,{int(rng.integers(0, 2))}")
    path = tmp_path / "series.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_alerts_detect_prints_json_lines(tmp_path: Path) -> None:
    path = _csv(tmp_path)
    res = CliRunner().invoke(cli, ["alerts", "detect", "--series", str(path), "--detector", "spike"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.output.splitlines()]
    assert len(lines) == 1
    m = lines[0]
    assert m["key"] == "dc-road-changzhong|sanitation" and m["detector"] == "spike"
    assert m["bucket"] == "2026-11-06T10:00:00+08:00"
    assert m["count"] == 6 and m["baseline"] == 1 and m["score"] == 6
    both = CliRunner().invoke(cli, ["alerts", "detect", "--series", str(path)])
    assert {json.loads(x)["detector"] for x in both.output.splitlines()} <= {"spike", "cusum"}


def test_alerts_detect_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("key,bucket,count\na,notatime,1\n", encoding="utf-8")
    for args, expected in (
        (["alerts", "detect", "--series", str(bad)], "line 2"),
        (["alerts", "detect", "--series", str(tmp_path / "none.csv")], "cannot read"),
        (["alerts", "detect", "--series", str(_csv(tmp_path)), "--detector", "nope"], "unknown detector"),
    ):
        with pytest.raises(SystemExit) as exc:
            main(args)
        assert exc.value.code != 0
        err = capsys.readouterr().err
        assert expected in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
