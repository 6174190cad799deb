"""The spine's commands, run as real processes: config check, load, search, es init, error lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.storage_contract import SAMPLE

REPO = Path(__file__).resolve().parents[1]


def run(*args: str, env: dict[str, str] | None = None, stdin: str | None = None, cwd: Path | None = None
        ) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("YUQING_")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "yuqing", *args], capture_output=True, text=True, env=full_env,
                          input=stdin, cwd=cwd or REPO, timeout=120)


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_help_lists_the_commands() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    for name in ("config", "es", "load", "search", "demo", "run", "crawl", "nlp", "alerts", "cases", "report", "web"):
        assert name in proc.stdout


def test_config_check_ok_and_example_is_valid() -> None:
    proc = run("config", "check", "config/yuqing.example.yaml")
    assert proc.returncode == 0 and proc.stdout.startswith("ok: config/yuqing.example.yaml")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("storage:\n  backend: mysql\n", ":2: storage.backend: Input should be 'sqlite' or 'elasticsearch'"),
        ("storage:\n  sqlite:\n    pth: x\n", ":3: storage.sqlite.pth: unknown key"),
        ("sources:\n  - name: a\n    family: weibo\n", ":2: sources.0.base_url: Field required"),
        ("a: [1\n", ": invalid YAML"),
        ("- 1\n- 2\n", ":1: the top level must be a mapping"),
    ],
)
def test_bad_config_is_one_line_naming_key_and_line(tmp_path: Path, body: str, expected: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(body, encoding="utf-8")
    proc = run("config", "check", str(bad))
    line = one_line_error(proc)
    assert proc.returncode == 2
    assert str(bad) in line and expected in line


def test_missing_config_file(tmp_path: Path) -> None:
    line = one_line_error(run("-c", str(tmp_path / "nope.yaml"), "search", "x"))
    assert "config file not found" in line


def test_secrets_are_masked_in_config_show(tmp_path: Path) -> None:
    proc = run("config", "show", env={"YUQING_ES_PASSWORD": "hunter2-secret"})
    assert proc.returncode == 0
    assert "hunter2-secret" not in proc.stdout and "**********" in proc.stdout


def test_load_then_search_on_the_embedded_store(tmp_path: Path) -> None:
    jsonl = tmp_path / "posts.jsonl"
    lines = [p.model_dump_json() for p in SAMPLE]
    lines.insert(2, "{not json")
    lines.insert(4, json.dumps({"source": "weibo", "native_id": "x"}))  # no text
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {"YUQING_SQLITE_PATH": str(tmp_path / "y.db")}
    proc = run("load", str(jsonl), env=env)
    assert proc.returncode == 1, "bad lines make the exit non-zero"
    assert f"stored {len(SAMPLE)} posts ({len(SAMPLE)} new, 0 updated)" in proc.stdout
    assert f"{jsonl}:3: not JSON" in proc.stderr and f"{jsonl}:5: text: Field required" in proc.stderr
    again = run("load", "--no-enrich", str(jsonl), env=env)
    assert f"stored {len(SAMPLE)} posts (0 new, {len(SAMPLE)} updated)" in again.stdout
    found = run("search", "垃圾", "--json", env=env)
    assert found.returncode == 0
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert {h["id"] for h in hits} == {SAMPLE[0].id, SAMPLE[1].id}
    assert all("<em>垃圾</em>" in h["_highlights"][0] for h in hits)
    text = run("search", "垃圾", "--source", "weibo", env=env)
    assert "共 1 条" in text.stdout and "【垃圾】" in text.stdout


def test_search_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    proc = run("search", "x", "--since", "yesterday", env={"YUQING_SQLITE_PATH": str(tmp_path / "y.db")})
    assert proc.returncode == 2 and "not an ISO date" in proc.stderr and "Traceback" not in proc.stderr


def test_unreachable_elasticsearch_names_the_url() -> None:
    line = one_line_error(run("es", "init", env={"YUQING_ES_URL": "http://127.0.0.1:9"}))
    assert "Elasticsearch at http://127.0.0.1:9 is unreachable" in line
    proc = run("search", "x", env={"YUQING_STORAGE_BACKEND": "elasticsearch", "YUQING_ES_URL": "http://127.0.0.1:9"})
    assert proc.returncode == 3


@pytest.mark.elasticsearch
def test_es_init_twice_via_cli(es_url: str, es_prefix: str) -> None:
    env = {"YUQING_ES_URL": es_url, "YUQING_ES_INDEX_PREFIX": es_prefix}
    first = run("es", "init", env=env)
    assert first.returncode == 0 and f"created alias {es_prefix}-cases" in first.stdout
    second = run("es", "init", env=env)
    assert second.returncode == 0 and second.stdout.strip() == "up to date: nothing to do"


def test_configuration_docs_are_current() -> None:
    from yuqing.commands.config import settings_markdown

    assert (REPO / "docs" / "configuration.md").read_text(encoding="utf-8") == settings_markdown(), (
        "docs/configuration.md lags core/config/: run `yuqing config docs`")


def test_every_subcommand_takes_its_own_config(tmp_path: Path) -> None:
    import click

    from yuqing.cli import cli

    def walk(cmd: click.Command, path: str) -> None:
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
        assert "--config" in opts, f"`{path}` does not take --config"
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(cli, "yuqing")
    mine = tmp_path / "mine.yaml"
    mine.write_text("web:\n  port: 8811\n", encoding="utf-8")
    proc = run("-c", str(tmp_path / "nope.yaml"), "config", "show", "-c", str(mine))
    assert proc.returncode == 0 and '"port": 8811' in proc.stdout, "the subcommand's -c wins over the group's"


def test_load_keeps_every_post_around_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    """A file with a byte-order mark, a line with bytes that are not UTF-8 and a post whose text holds half a
    surrogate pair (a JSON escape without its pair): the bad line is one reason with its number, both posts are
    stored, the half character as U+FFFD."""
    def row(native_id: str, text: str) -> bytes:
        return (f'{{"source": "weibo", "native_id": "{native_id}", "text": "{text}", '
                '"published_at": "2026-12-01T10:00:00+08:00"}').encode()
    jsonl = tmp_path / "posts.jsonl"
    not_utf8 = row("b", "坏了").replace("坏".encode(), b"\xff")
    jsonl.write_bytes(b"\xef\xbb\xbf" + row("a", "春晖花园电梯坏了没人修") + b"\n" + not_utf8 + b"\n"
                      + row("c", "\\ud83d 电梯又坏了") + b"\n")
    env = {"YUQING_SQLITE_PATH": str(tmp_path / "y.db")}
    proc = run("load", str(jsonl), env=env)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "stored 2 posts (2 new, 0 updated)" in proc.stdout and "0 failed" in proc.stdout
    assert f"{jsonl}:2: 不是 UTF-8" in proc.stderr and f"{jsonl}:1" not in proc.stderr
    hits = [json.loads(line) for line in run("search", "电梯", "--json", env=env).stdout.splitlines()]
    assert sorted(h["text"] for h in hits) == sorted(["\ufffd 电梯又坏了", "春晖花园电梯坏了没人修"])


def test_load_reads_old_mac_line_ends_and_whole_characters_in_every_field(tmp_path: Path) -> None:
    """Lines ended by a lone CR (as text mode reads them), and half a surrogate pair in an author's name or a url:
    every post is stored, nothing fails."""
    rows = ['{"source": "weibo", "native_id": "a", "text": "春晖花园电梯坏了", '
            '"published_at": "2026-12-01T10:00:00+08:00", "author": {"name": "张\\\\ud83d三"}}',
            '{"source": "weibo", "native_id": "b", "text": "路灯坏了", '
            '"published_at": "2026-12-01T10:00:00+08:00", "url": "http://x/\\\\ud83d"}']
    jsonl = tmp_path / "posts.jsonl"
    jsonl.write_bytes("\r".join(rows).encode() + b"\r")
    proc = run("load", str(jsonl), env={"YUQING_SQLITE_PATH": str(tmp_path / "y.db")})
    assert proc.returncode == 0, proc.stderr
    assert "stored 2 posts (2 new, 0 updated)" in proc.stdout and "0 bad lines, 0 failed" in proc.stdout
