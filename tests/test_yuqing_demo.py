"""The README's main job, end to end: simulator → crawls of every family → NLP → store → spike → case →
webhook to the tracker stand-in → daily table, as a real process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_demo_exits_zero_once_a_case_is_delivered(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YUQING_")}
    proc = subprocess.run(
        [sys.executable, "-m", "yuqing", "demo", "--exit-after-case", "--timeout", "240", "--data-dir",
         str(tmp_path / "demo"), "--port", "0"],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    err = proc.stderr
    assert "控制台 console: http://127.0.0.1:" in err and "yuqing-demo" in err
    last = [line for line in err.splitlines() if line.startswith("[场景时间")][-1]
    for family in ("board", "forum", "portal", "wechat", "weibo"):
        assert re.search(rf"\b{family} [1-9]\d*", last), f"no posts from {family}: {last}"
    assert re.search(r"投诉 complaints: [1-9]", last)
    assert "✔ 突增立案 case" in err and "大场镇城管中队" in err
    assert re.search(r"delivered to the tracker as ticket WG-\d{5}", err)
    report = re.search(r"✔ 日报 daily table: (\S+\.xlsx)", err)
    assert report, err[-2000:]
    wb = load_workbook(report.group(1))
    assert "汇总" in wb.sheetnames
    assert "Dropped" not in err or "text=" not in err, "dropped items must not be logged with their bodies"
