"""No test depends on today: the date-sensitive modules pass with the wall clock moved to the first hour of a
month and of a year (Asia/Shanghai), ticking from there (``--clock-at``, time-machine, see conftest.py).

These are the modules whose code reads "now" in this process: monthly indices, case deadlines and overdue
clocks, report days, detection windows, the console's "today". Modules that talk to crawl children or other
processes are left out: a child process keeps the real clock, so the two would disagree by construction.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ES_URL, IN_CI

ROOT = Path(__file__).resolve().parents[1]
MODULES = [
    "tests/test_storage_sqlite.py",
    "tests/test_storage_elastic.py",
    "tests/test_alerts_cases.py",
    "tests/test_alerts_runner.py",
    "tests/test_alerts_report.py",
    "tests/test_alerts_series.py",
    "tests/test_alerts_delivery.py",
    "tests/test_web_cases.py",
    "tests/test_web_reports.py",
    "tests/test_web_search.py",
    "tests/test_web_review.py",
    "tests/test_crawler_state.py",
]


@pytest.mark.slow
@pytest.mark.parametrize("instant", ["2026-12-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00"])
def test_date_sensitive_modules_pass_on_the_first_hour_of_a_month_and_a_year(instant: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YUQING_")}
    if ES_URL:
        env["YUQING_ES_URL"] = ES_URL
    if IN_CI:
        env["CI"] = "true"
    modules = [m for m in MODULES if (ROOT / m).exists()]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--clock-at", instant, *modules],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )
    tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
    assert result.returncode == 0, f"with the clock at {instant}:\n{tail}"
    assert " passed" in result.stdout
