"""The crawler's CLI: `yuqing parse` on saved pages of every family, `yuqing crawl`, `yuqing simulator`."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import httpx
import pytest
import yaml

from core import SHANGHAI, load_config
from simulator.scenario import Scenario
from simulator.server import SimServer
from yuqing.cli import main

REPO = Path(__file__).resolve().parents[1]
SAVED = REPO / "tests" / "fixtures" / "pages"
MANIFEST = json.loads((SAVED / "manifest.json").read_text(encoding="utf-8"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", sorted(n for n, m in MANIFEST.items() if m["url"]))
def test_parse_every_saved_simulator_page(capsys: pytest.CaptureFixture[str], name: str) -> None:
    m = MANIFEST[name]
    code, out, err = run(capsys, "parse", m["family"], str(SAVED / name), "--url", m["url"], "--now", m["now"])
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and {r["type"] for r in rows} <= {"post", "link", "patch", "next"}
    for r in rows:
        if r["type"] == "post":
            assert r["text"] and r["published_at"].endswith("+08:00") and "tokens" not in r


@pytest.mark.parametrize(("name", "code", "words"), [
    ("wechat/deleted.html", 3, "page gone"), ("weibo/login.html", 1, "登录页"), ("weibo/captcha.json", 1, "验证码"),
    ("forum/nologin.html", 1, "需要登录"),
])
def test_parse_unusable_pages_give_one_line_and_non_zero(capsys: pytest.CaptureFixture[str], name: str, code: int,
                                                         words: str) -> None:
    got, out, err = run(capsys, "parse", MANIFEST[name]["family"], str(SAVED / name))
    assert got == code and out == "" and words in err and len(err.strip().splitlines()) == 1


def test_sources_demo_is_a_valid_config() -> None:
    cfg = load_config(REPO / "config" / "sources-demo.yaml")
    assert {s.family for s in cfg.sources} == {"weibo", "wechat", "forum", "board", "portal"}


def test_crawl_command_single_all_and_unknown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    now = datetime(2026, 11, 3, 12, 0, tzinfo=SHANGHAI)
    rates = {"weibo": 0.5, "wechat": 0.2, "forum": 0.3, "board": 0.3, "portal": 0.5}
    with SimServer(Scenario(now=now, days=2, rates=rates, gazetteer="builtin")) as srv:
        cfg = tmp_path / "yuqing.yaml"
        cfg.write_text(yaml.safe_dump({
            "data_dir": str(tmp_path), "storage": {"sqlite": {"path": str(tmp_path / "y.db")}},
            "sources": [{"name": "pt", "family": "portal", "base_url": srv.base("portal"), "delay": 0},
                        {"name": "bd", "family": "board", "base_url": srv.base("board"), "delay": 0,
                         "options": {"fid": 539}}]}, allow_unicode=True), encoding="utf-8")
        single = subprocess.run([sys.executable, "-m", "yuqing", "-c", str(cfg), "crawl", "pt"], cwd=REPO,
                                capture_output=True, text=True, timeout=120)
        assert single.returncode == 0, single.stderr[-2000:]
        assert "pt: 完成" in single.stdout and "入库" in single.stdout
        both = subprocess.run([sys.executable, "-m", "yuqing", "-c", str(cfg), "crawl", "--all", "--once", "--json"],
                              cwd=REPO, capture_output=True, text=True, timeout=180)
        reports = [json.loads(line) for line in both.stdout.splitlines()]
        assert both.returncode == 0 and [r["source"] for r in reports] == ["pt", "bd"]
        assert all(r["status"] == "finished" for r in reports)
    code, _out, err = run(capsys, "-c", str(cfg), "crawl", "nope")
    assert code == 1 and "unknown source 'nope'" in err and "pt, bd" in err


def test_simulator_command_serves_until_stopped(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("seed: 3\ndays: 1\ngazetteer: builtin\nnow: 2026-11-02T12:00:00+08:00\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "yuqing", "simulator", "--port", "0", "--scenario", str(scenario)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        url = first.split(" on ")[1].split()[0]
        r = httpx.get(f"{url}/portal/api/v1/export/posts", timeout=10)
        assert r.json()["code"] == 0 and r.headers["Date"].endswith("GMT")
        assert httpx.get(f"{url}/_sim/clock").json()["now"].startswith("2026-11-02T12:00")
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    bad = subprocess.run([sys.executable, "-m", "yuqing", "simulator", "--scenario", str(tmp_path / "none.yaml")],
                         cwd=REPO, capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr


def test_crawl_all_once_prints_a_line_per_source_and_a_summary_and_fails_when_one_did(tmp_path: Path) -> None:
    now = datetime(2026, 11, 3, 12, 0, tzinfo=SHANGHAI)
    with SimServer(Scenario(now=now, days=1, rates={"portal": 0.5}, gazetteer="builtin")) as srv:
        cfg = tmp_path / "yuqing.yaml"
        cfg.write_text(yaml.safe_dump({
            "data_dir": str(tmp_path), "storage": {"sqlite": {"path": str(tmp_path / "y.db")}},
            "sources": [{"name": "pt", "family": "portal", "base_url": srv.base("portal"), "delay": 0},
                        {"name": "dead", "family": "portal", "base_url": "http://127.0.0.1:9/portal", "delay": 0}]},
            allow_unicode=True), encoding="utf-8")
        cmd = [sys.executable, "-m", "yuqing", "-c", str(cfg), "crawl", "--all", "--once"]
        quiet = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=180)
        assert quiet.returncode == 1, quiet.stderr[-2000:]
        lines = quiet.stdout.strip().splitlines()
        assert len(lines) == 3 and lines[0].startswith("pt: 完成") and lines[1].startswith("dead: 未完成")
        assert lines[2].startswith("共 2 个数据源") and "failed: dead" in lines[2]
        assert "Dumping Scrapy stats" not in quiet.stderr and "Overridden settings" not in quiet.stderr
        assert len(quiet.stderr.splitlines()) < 15  # warnings only, one line each
        verbose = subprocess.run([*cmd, "-v", "--force"], cwd=REPO, capture_output=True, text=True, timeout=180)
        assert verbose.returncode == 1 and "Dumping Scrapy stats" in verbose.stderr


def test_crawl_dry_run_prints_the_first_urls_and_fetches_nothing(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "yuqing.yaml"
    cfg.write_text(yaml.safe_dump({"data_dir": str(tmp_path), "sources": [
        {"name": "dz", "family": "forum", "base_url": "http://127.0.0.1:9/bbs", "options": {"fids": [2, 7]}},
        {"name": "wx", "family": "wechat", "base_url": "http://127.0.0.1:9",
         "options": {"getmsg": [{"biz": "MzA3", "key_env": "YQ_TEST_KEY"}]}}]}, allow_unicode=True), encoding="utf-8")
    code, out, err = run(capsys, "-c", str(cfg), "crawl", "dz", "--dry-run")
    urls = out.strip().splitlines()
    assert code == 0 and len(urls) == 2 and all(u.startswith("http://127.0.0.1:9/bbs/") for u in urls)
    assert "fid=2" in urls[0] and "fid=7" in urls[1]
    import os
    os.environ["YQ_TEST_KEY"] = "s3cret-key"
    try:
        code, out, err = run(capsys, "-c", str(cfg), "crawl", "wx", "--dry-run")
    finally:
        del os.environ["YQ_TEST_KEY"]
    assert code == 0 and "action=getmsg" in out and "__biz=MzA3" in out and "s3cret" not in out + err
    assert not (tmp_path / "y.db").exists() and not list(tmp_path.glob("**/*.db"))


def test_parse_a_missing_file_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "parse", "weibo", str(tmp_path / "nonexistent.json"))
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1 and "nonexistent.json" in err


def test_scrapy_list_crawl_and_shell_work_on_the_configured_sources(tmp_path: Path) -> None:
    """#12: `scrapy list` lists the configured sources, `scrapy crawl SOURCE` crawls one into the store with its
    state and report, `scrapy shell URL` opens a source's URL through the project's middlewares."""
    from storage.sqlite import SQLiteStore

    now = datetime(2026, 11, 3, 12, 0, tzinfo=SHANGHAI)
    with SimServer(Scenario(now=now, days=1, rates={"portal": 0.5, "forum": 0.3}, gazetteer="builtin")) as srv:
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(yaml.safe_dump({
            "data_dir": str(tmp_path), "storage": {"sqlite": {"path": str(tmp_path / "y.db")}},
            "sources": [{"name": "pt", "family": "portal", "base_url": srv.base("portal"), "delay": 0},
                        {"name": "dz", "family": "forum", "base_url": srv.base("forum"), "delay": 0,
                         "options": {"fids": [2]}}]}, allow_unicode=True), encoding="utf-8")
        env = {**__import__("os").environ, "YUQING_CONFIG": str(cfg)}
        scrapy = [sys.executable, "-m", "scrapy"]
        listed = subprocess.run([*scrapy, "list"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
        assert listed.returncode == 0 and sorted(listed.stdout.split()) == ["dz", "pt"], listed.stderr[-2000:]
        crawled = subprocess.run([*scrapy, "crawl", "pt"], cwd=REPO, env=env, capture_output=True, text=True,
                                 timeout=180)
        assert crawled.returncode == 0 and "Traceback" not in crawled.stderr, crawled.stderr[-3000:]
        assert "pt: 完成" in crawled.stderr
        store = SQLiteStore(tmp_path / "y.db")
        try:
            state = store.get_source_state("pt")
            assert state.health.value == "ok" and state.lease_owner is None and state.items_total > 0
            assert state.cursor.get("watermark")
        finally:
            store.close()
        shell = subprocess.run(
            [*scrapy, "shell", srv.base("forum") + "/forum.php?mod=forumdisplay&fid=2", "-c",
             "(response.status, 'Content-Encoding' in response.headers, spider.ctx.family, "
             "dict(spider.ctx.tracker.outcomes), response.body[:1])"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
        assert shell.returncode == 0 and "Traceback" not in shell.stderr, shell.stderr[-3000:]
        assert shell.stdout.strip() == "(200, False, 'forum', {'ok': 1}, b'<')"  # decoded, classified
        other = subprocess.run([*scrapy, "shell", srv.url + "/robots.txt", "-c", "response.status"], cwd=REPO,
                               env=env, capture_output=True, text=True, timeout=120)
        assert other.returncode == 0 and other.stdout.strip() == "200" and "Traceback" not in other.stderr
