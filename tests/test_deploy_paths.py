"""Paths in a config are the config's, wherever the CLI runs from: a relative `-c` from another folder puts
crawled posts where the config says (its folder), never into the code checkout (issue #12, item 3)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from core import SHANGHAI, ConfigError, load_config
from simulator.scenario import Scenario
from simulator.server import SimServer

REPO = Path(__file__).resolve().parents[1]


def test_every_path_is_absolute_against_the_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "y.yaml").write_text("nlp:\n  user_dicts: [words.txt]\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    cfg = load_config(Path("../conf/y.yaml"), environ={})
    assert cfg.source_file == conf / "y.yaml"
    assert cfg.data_dir == conf / "var", "defaults are the config file's too"
    assert cfg.storage.sqlite.path == conf / "var" / "yuqing.db"
    assert cfg.nlp.user_dicts == [conf / "words.txt"]
    from_env = load_config(Path("../conf/y.yaml"), environ={"YUQING_DATA_DIR": "data"})
    assert from_env.data_dir == elsewhere / "data", "a path typed in the shell is the shell's folder's"
    assert load_config(None, environ={}).data_dir == elsewhere / "var"


def test_a_bad_environment_variable_is_blamed_on_the_variable(tmp_path: Path) -> None:
    file = tmp_path / "y.yaml"
    file.write_text("web:\n  host: 127.0.0.1\n  port: 8800\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(file, environ={"YUQING_WEB_PORT": "abc"})
    assert str(err.value).startswith("environment variable YUQING_WEB_PORT='abc': web.port:")
    assert "y.yaml" not in str(err.value)
    file.write_text("web:\n  port: abc\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"y\.yaml:2: web\.port"):
        load_config(file, environ={})


def test_crawl_from_another_folder_with_a_relative_config(tmp_path: Path) -> None:
    now = datetime(2026, 11, 3, 12, 0, tzinfo=SHANGHAI)
    token = f"yq-paths-{uuid.uuid4().hex[:8]}"
    with SimServer(Scenario(now=now, days=2, rates={"portal": 0.5}, gazetteer="builtin")) as srv:
        (tmp_path / "sim.yaml").write_text(yaml.safe_dump({
            "data_dir": token, "storage": {"sqlite": {"path": f"{token}/posts.db"}},
            "sources": [{"name": "pt", "family": "portal", "base_url": srv.base("portal"), "delay": 0}]},
            allow_unicode=True), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("YUQING_")}
        proc = subprocess.run([sys.executable, "-m", "yuqing", "-c", "sim.yaml", "crawl", "--all", "--once"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not (REPO / token).exists(), "the crawl child wrote into the code checkout"
    db = tmp_path / token / "posts.db"
    assert db.is_file(), proc.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        (n,) = conn.execute("SELECT count(*) FROM posts").fetchone()
    assert n > 0


def test_the_daemon_from_another_folder_stores_where_its_console_reads(tmp_path: Path) -> None:
    """`yuqing run -c ./yuqing.yaml` in a folder of one's own: the crawls' posts are the ones /healthz counts."""
    import signal
    import socket
    import time

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = f"yq-paths-{uuid.uuid4().hex[:8]}"
    now = datetime(2026, 11, 3, 12, 0, tzinfo=SHANGHAI)
    with SimServer(Scenario(now=now, days=2, rates={"portal": 0.5}, gazetteer="builtin")) as srv:
        (tmp_path / "yuqing.yaml").write_text(yaml.safe_dump({
            "data_dir": token,
            "sources": [{"name": "pt", "family": "portal", "base_url": srv.base("portal"), "delay": 0}],
            "web": {"port": port, "secret_key": "paths-test-secret-key-0123456789abcdef"}},
            allow_unicode=True), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("YUQING_")}
        proc = subprocess.Popen([sys.executable, "-m", "yuqing", "run", "-c", "./yuqing.yaml"], cwd=tmp_path,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        posts = 0
        try:
            deadline = time.monotonic() + 120
            while posts == 0 and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(1)
                try:
                    health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()
                except httpx.HTTPError:
                    continue
                posts = int(health["store"].get("posts", 0))
        finally:
            proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=90)
    assert posts > 0, f"the console counted no posts after the crawl:\n{err[-2000:]}"
    assert proc.returncode == 0, err[-2000:]
    assert not (REPO / token).exists() and not (REPO / "var" / token).exists()
    assert (tmp_path / "var" / "yuqing.db").is_file(), "the default store path is the config folder's var/"
