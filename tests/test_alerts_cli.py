"""The alerts, cases and report commands."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from yuqing.cli import cli, main


def _csv(tmp_path: Path, high: int = 6) -> Path:
    rng = np.random.default_rng(1)
    lines = ["key,bucket,count"]
    for d in range(40):
        day = date(2026, 10, 1) + timedelta(days=d)
        n = 1 if d < 36 else high
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
    # the default (outbreak, at 1 false case per 1,000 key-weeks) needs more than 6× on a key of 1 a day: 8×
    default = CliRunner().invoke(cli, ["alerts", "detect", "--series", str(_csv(tmp_path, high=8))])
    found = [json.loads(x) for x in default.output.splitlines()]
    assert default.exit_code == 0 and {m["detector"] for m in found} == {"outbreak"}
    assert found[0]["key"] == "dc-road-changzhong|sanitation" and found[0]["bucket"] == "2026-11-06T10:00:00+08:00"


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


@pytest.fixture
def app_config(tmp_path: Path) -> Path:
    """A config file for a fresh SQLite store holding a quiet history and a spike at 场中路 right now."""
    from core import utcnow
    from storage.sqlite import SQLiteStore
    from tests.alerts_support import background, planted_spike

    now = utcnow()
    store = SQLiteStore(tmp_path / "y.db")
    store.upsert_posts(background(now, 10) + planted_spike(now, 8))
    store.close()
    path = tmp_path / "yuqing.yaml"
    path.write_text(f"storage: {{sqlite: {{path: {tmp_path / 'y.db'}}}}}\ndata_dir: {tmp_path / 'var'}\n"
                    "alerts: {detectors: [spike], quiet_hours: null}\n", encoding="utf-8")
    return path


def _run(cfg: Path, *args: str) -> str:
    res = CliRunner().invoke(cli, ["-c", str(cfg), *args])
    assert res.exit_code == 0, (res.output, res.exception)
    return res.stdout


def test_alerts_run_cases_and_report_commands(app_config: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    dry = _run(app_config, "alerts", "run", "--once", "--dry-run")
    assert [json.loads(x)["key"] for x in dry.splitlines()] == ["dc-rd-changzhong|sanitation"]
    assert _run(app_config, "cases", "list", "--json") == ""  # the dry run opened nothing
    _run(app_config, "alerts", "run", "--once")
    (line,) = _run(app_config, "cases", "list", "--json").splitlines()
    case = json.loads(line)
    assert case["department"] == "大场镇城管中队" and case["status"] == "new"
    shown = _run(app_config, "cases", "show", case["id"])
    assert "场中路市容环境问题" in shown and "system:spike" in shown
    assert "已分派" in _run(app_config, "cases", "transition", case["id"], "assigned", "--actor", "office1")
    with pytest.raises(SystemExit) as exc:
        main(["-c", str(app_config), "cases", "transition", case["id"], "verified", "--actor", "d",
              "--role", "department", "--department", "大场镇城管中队"])
    assert exc.value.code == 1 and "无权" in capsys.readouterr().err
    replay = _run(app_config, "alerts", "test-rule", "--since", "2020-01-01")
    assert [json.loads(x)["key"] for x in replay.splitlines()] == ["dc-rd-changzhong|sanitation"]
    (path,) = _run(app_config, "report", "daily").splitlines()
    assert Path(path).is_file() and Path(path).parent == tmp_path / "var" / "reports"
    weekly = _run(app_config, "report", "weekly", "--date", "2026-11-29").strip()
    assert Path(weekly).is_file()
    assert json.loads(_run(app_config, "alerts", "outbox"))["pending"] == 0
    csv_text = _run(app_config, "alerts", "series", "--since", "2020-01-01")
    assert csv_text.startswith("key,bucket,count\n") and "dc-rd-changzhong|sanitation," in csv_text
    (tmp_path / "counts.csv").write_text(csv_text, encoding="utf-8")
    again = _run(app_config, "alerts", "detect", "--series", str(tmp_path / "counts.csv"), "--detector", "spike")
    assert [json.loads(x)["key"] for x in again.splitlines()] == ["dc-rd-changzhong|sanitation"]


def test_alerts_run_now_replays_older_data_and_says_the_window(tmp_path: Path) -> None:
    from datetime import timedelta

    from storage.sqlite import SQLiteStore
    from tests.alerts_support import T0, background, planted_spike

    store = SQLiteStore(tmp_path / "y.db")
    store.upsert_posts(background(T0, 30) + planted_spike(T0, 8))
    store.close()
    path = tmp_path / "yuqing.yaml"
    path.write_text(f"storage: {{sqlite: {{path: {tmp_path / 'y.db'}}}}}\ndata_dir: {tmp_path / 'var'}\n"
                    "alerts: {quiet_hours: null}\n", encoding="utf-8")  # the default detector
    res = CliRunner().invoke(cli, ["-c", str(path), "alerts", "run", "--once", "--dry-run", "--now",
                                   "2026-11-26T10:30"])
    assert res.exit_code == 0, res.output
    (line,) = res.stdout.splitlines()
    assert json.loads(line)["key"] == "dc-rd-changzhong|sanitation" and json.loads(line)["detector"] == "outbreak"
    assert "检测窗口 window: [2026-11-24 10:30, 2026-11-26 10:30)" in res.stderr
    later = (T0 + timedelta(days=60)).date().isoformat()
    res = CliRunner().invoke(cli, ["-c", str(path), "alerts", "run", "--once", "--dry-run", "--now", later])
    assert res.exit_code == 0 and res.stdout == "" and "--now" in res.stderr and "0 个预警" in res.stderr
    res = CliRunner().invoke(cli, ["-c", str(path), "alerts", "run", "--now", later])
    assert res.exit_code != 0 and "--once" in str(res.exception)
