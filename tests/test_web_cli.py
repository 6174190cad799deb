"""`yuqing web` and `yuqing web hash-password`, run as real processes."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

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


@contextmanager
def served(tmp_path, **web):
    """`yuqing web` as a real process on a free port; yields (base URL, config file)."""
    digest = run("web", "hash-password", "--stdin", stdin="secret-pass-1\n").stdout.strip()
    cfg = tmp_path / "y.yaml"
    cfg.write_text(yaml.safe_dump({
        "data_dir": "var", "storage": {"sqlite": {"path": "var/y.db"}},
        "web": {"users": [{"username": "office", "password_hash": digest}], **web},
    }, allow_unicode=True))
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "yuqing", "-c", str(cfg), "web", "--port", str(port)],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(f"{base}/login")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("console did not start")
        yield base, cfg
    finally:
        proc.terminate()
        proc.communicate(timeout=20)


def _log_in(c: httpx.Client) -> httpx.Response:
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
    return c.post("/login", data={"username": "office", "password": "secret-pass-1", "csrf": token},
                  follow_redirects=True)


def test_serves_the_console(tmp_path):
    with served(tmp_path) as (base, _):
        r = httpx.get(f"{base}/login")
        assert r.status_code == 200 and "登录" in r.text and "server" not in r.headers
        with httpx.Client(base_url=base) as c:
            r = _log_in(c)
            assert r.status_code == 200 and "待审核" in r.text


def test_logout_in_another_process_ends_the_session(tmp_path):
    """The daemon's in-process console and a `yuqing web` beside it: a logout in one counts in the other."""
    from core import load_config
    from storage.sqlite import SQLiteStore
    from tests.web_support import TestClient
    from web.app import create_app
    from web.deps import SESSION_COOKIE

    with served(tmp_path, secret_key="shared-key") as (base, cfg), httpx.Client(base_url=base) as c:
        assert _log_in(c).url.path == "/review"
        cookie = c.cookies.get(SESSION_COOKIE)
        config = load_config(cfg, environ={})
        store = SQLiteStore(config.storage.sqlite.path)
        try:
            here = TestClient(create_app(config, store), cookies={SESSION_COOKIE: cookie})
            page = here.get("/review")
            assert page.status_code == 200  # the same session is valid in this process too
            token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
            assert here.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
        finally:
            store.close()
        r = c.get("/review", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
