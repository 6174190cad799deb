"""`yuqing web` and `yuqing web hash-password`, run as real processes."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time

import httpx
import yaml

from tests.test_cli_spine import REPO, one_line_error, run
from web.auth import verify_password


def test_hash_password_from_stdin():
    proc = run("web", "hash-password", "--stdin", stdin="很长的密码-123\n")
    assert proc.returncode == 0, proc.stderr
    digest = proc.stdout.strip()
    assert verify_password("很长的密码-123", digest) and not verify_password("很长的密码-124", digest)
    assert "too short" in one_line_error(run("web", "hash-password", "--stdin", stdin="short\n"))


def test_serving_needs_users(tmp_path):
    cfg = tmp_path / "y.yaml"
    cfg.write_text(yaml.safe_dump({"data_dir": "var", "storage": {"sqlite": {"path": "var/y.db"}}}))
    assert "web.users is empty" in one_line_error(run("-c", str(cfg), "web"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serves_the_console(tmp_path):
    digest = run("web", "hash-password", "--stdin", stdin="secret-pass-1\n").stdout.strip()
    cfg = tmp_path / "y.yaml"
    cfg.write_text(yaml.safe_dump({
        "data_dir": "var", "storage": {"sqlite": {"path": "var/y.db"}},
        "web": {"users": [{"username": "office", "password_hash": digest}]},
    }, allow_unicode=True))
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "yuqing", "-c", str(cfg), "web", "--port", str(port)],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                r = httpx.get(f"{base}/login")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("console did not start")
        assert r.status_code == 200 and "登录" in r.text and "server" not in r.headers
        with httpx.Client(base_url=base) as c:
            token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
            r = c.post("/login", data={"username": "office", "password": "secret-pass-1", "csrf": token},
                       follow_redirects=True)
            assert r.status_code == 200 and "待审核" in r.text
    finally:
        proc.terminate()
        proc.communicate(timeout=20)
