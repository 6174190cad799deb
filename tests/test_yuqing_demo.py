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


def _children(pid: int) -> dict[int, str]:
    """Child processes of ``pid``: their command lines, read from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            found[int(entry.name)] = cmdline
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_sigterm_stops_the_demo_like_ctrl_c_and_a_taken_port_is_replaced(tmp_path: Path) -> None:
    import signal
    import socket
    import threading
    import time

    env = {k: v for k, v in os.environ.items() if not k.startswith("YUQING_")}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.Popen(
            [sys.executable, "-m", "yuqing", "demo", "--data-dir", str(tmp_path / "demo"), "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(iter(proc.stderr.readline, "")), daemon=True)
        reader.start()
        try:
            deadline = time.monotonic() + 120
            crawls: dict[int, str] = {}
            while time.monotonic() < deadline and proc.poll() is None:
                crawls = {p: c for p, c in _children(proc.pid).items() if "crawler.workers" in c}  # warm crawl workers
                if crawls and any("控制台 console:" in line for line in lines):
                    break
                time.sleep(0.2)
            assert crawls, "no crawl child seen within 120 s"
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=120)
            reader.join(timeout=10)
            err = "".join(lines)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stderr.close()
    assert proc.returncode == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    assert "stopping" in err
    assert not [p for p in crawls if _alive(p)], "crawl children outlived the demo"
    moved = re.search(rf"port {port} is taken: the console uses (\d+)", err)
    assert moved, err[-2000:]
    assert f"控制台 console: http://127.0.0.1:{moved.group(1)}/" in err
    assert "--no-web" not in err
