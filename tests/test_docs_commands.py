"""The docs never lie: every shell command in the code blocks of README.md and docs/*.md runs as written.

Each command line of a ``sh``/``bash``/``shell`` block is run by bash, as written, in a fresh folder that
holds a temporary ``yuqing.yaml`` (the embedded store; one source on the simulator), a link to the
repository's ``config/`` and a ``yuqing`` / ``scripts/yuqing`` that runs this checkout's CLI. Servers
(``yuqing run``, ``yuqing web``) run until their ``/healthz`` answers, then get SIGTERM and must exit 0.
The ``export`` lines above a command in its block, and the PREREQUISITES, run before it.
``yuqing es …``, and commands whose block exports an Elasticsearch setting, run against the test node
(YUQING_ES_URL replaces the documented http://127.0.0.1:9200; a unique index prefix). Synopsis blocks (untagged
lines starting with ``yuqing``) are checked against the CLI: the command exists and takes each option shown.
What is not run is listed in SKIPPED with its reason; a command of an unknown kind fails the test.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click
import httpx
import pytest
import yaml

from simulator.scenario import Scenario
from simulator.server import SimServer

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
SHELL = {"sh", "bash", "shell", "console"}

#: Commands not run here, by their first word(s), and why. Keep it short and honest.
SKIPPED = {
    "scripts/test": "the whole suite: CI runs it (.ci/run); this test is part of it",
    "scripts/es-dev": "starts and stops the suite's own Elasticsearch node (scripts/test does); es init runs here",
    "export": "sets a variable of the developer's shell",
    ".venv/bin/python -m pytest": "the suite itself",
    ".venv/bin/ruff": "scripts/test runs it on every run",
    "yuqing demo": "runs until Ctrl-C; tests/test_yuqing_demo.py runs it with --exit-after-case",
}
#: What a command reads on standard input when the docs show it asking (a prompt).
STDIN = {"yuqing web hash-password": "yuqing-docs-pw\nyuqing-docs-pw\n"}
#: Commands that, shown earlier in a block, the later commands of that block rely on: they run before each.
PREREQUISITES = ("yuqing es init",)
#: The input files the docs' commands name as the reader's own, made here from the sample posts.
PLACEHOLDERS = ("posts.jsonl",)


@dataclass(frozen=True)
class Command:
    doc: str
    line: int
    text: str
    exports: tuple[str, ...] = ()  # the `export …` lines, and the PREREQUISITES, above it in its block

    @property
    def needs_elasticsearch(self) -> bool:
        return _path_of(self.yuqing_args or [])[:1] == ["es"] or any(
            "elasticsearch" in e or "YUQING_ES_URL" in e for e in self.exports)

    @property
    def argv(self) -> list[str]:
        words = shlex.split(self.text, comments=True)
        cut = next((i for i, w in enumerate(words) if w in ("<", ">", ">>", "|", "&&", ";", "2>")), len(words))
        words = words[:cut]  # the shell's redirections and pipes are not the command's arguments
        while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):  # leading VAR=value
            words.pop(0)
        return words

    @property
    def yuqing_args(self) -> list[str] | None:
        argv = self.argv
        return argv[1:] if argv and argv[0] in ("yuqing", "scripts/yuqing") else None

    @property
    def key(self) -> str:
        args = self.yuqing_args
        return " ".join(["yuqing", *_path_of(args)]) if args is not None else " ".join(self.argv)

    def __str__(self) -> str:
        return f"{self.doc}:{self.line}: {self.text}"


def _blocks(path: Path) -> list[tuple[str, int, list[str]]]:
    """(language, first line number, lines) of each fenced code block."""
    out: list[tuple[str, int, list[str]]] = []
    lang, start, body = None, 0, []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fence = re.match(r"^\s*```\s*(\S*)", line)
        if fence and lang is None:
            lang, start, body = fence.group(1).lower(), n + 1, []
        elif fence:
            out.append((lang, start, body))
            lang = None
        elif lang is not None:
            body.append(line)
    return out


def shell_commands() -> list[Command]:
    """Every command line of the docs' shell blocks."""
    found = []
    for path in DOCS:
        for lang, start, body in _blocks(path):
            if lang not in SHELL:
                continue
            exports: list[str] = []
            for i, line in enumerate(body):
                if line.strip() and not line.strip().startswith("#"):
                    cmd = Command(path.name, start + i, line.strip(), tuple(exports))
                    found.append(cmd)
                    if line.strip().startswith("export ") or cmd.key in PREREQUISITES:
                        exports.append(line.strip())
    return found


def synopsis_lines() -> list[Command]:
    """Lines of untagged blocks that show a `yuqing …` command's usage (continuation lines joined)."""
    found: list[Command] = []
    for path in DOCS:
        for lang, start, body in _blocks(path):
            if lang:
                continue
            for i, line in enumerate(body):
                if line.startswith("yuqing ") and not re.search(r"[─►│▼]", line):  # not a diagram
                    found.append(Command(path.name, start + i, line.split("  #")[0].strip()))
                elif found and found[-1].doc == path.name and line.startswith(" ") and line.strip().startswith("["):
                    last = found.pop()
                    found.append(Command(last.doc, last.line, f"{last.text} {line.strip()}"))
    return found


def _path_of(args: list[str]) -> list[str]:
    """The subcommand names at the start of the CLI arguments (group options skipped)."""
    from yuqing.cli import cli

    names, cmd, i = [], cli, 0
    while isinstance(cmd, click.Group) and i < len(args):
        word = args[i]
        if word.startswith("-"):
            opt = next((p for p in cmd.params if word.split("=")[0] in getattr(p, "opts", [])), None)
            i += 1 if opt is None or getattr(opt, "is_flag", False) or "=" in word else 2
            continue
        sub = cmd.commands.get(word)
        if sub is None:
            break
        names.append(word)
        cmd, i = sub, i + 1
    return names


def _leaf(names: list[str]) -> click.Command:
    from yuqing.cli import cli

    cmd: click.Command = cli
    for name in names:
        assert isinstance(cmd, click.Group) and name in cmd.commands, f"no command `yuqing {' '.join(names)}`"
        cmd = cmd.commands[name]
    return cmd


def _parse(args: list[str]) -> None:
    """Parse the arguments as the CLI would, down to the leaf command, without running anything."""
    from yuqing.cli import cli

    ctx = cli.make_context("yuqing", list(args))
    cmd: click.Command = cli
    while isinstance(cmd, click.Group):
        rest = [*ctx._protected_args, *ctx.args]
        if not rest:
            assert cmd.invoke_without_command, f"`{ctx.command_path}` needs a subcommand"
            return
        _name, sub, rest = cmd.resolve_command(ctx, rest)
        assert sub is not None
        ctx = sub.make_context(_name, rest, parent=ctx)
        cmd = sub


def _skip_reason(cmd: Command) -> str | None:
    return next((why for prefix, why in SKIPPED.items() if cmd.key == prefix or cmd.key.startswith(prefix + " ")
                 or " ".join(cmd.argv).startswith(prefix)), None)


COMMANDS = shell_commands()


def test_the_docs_show_commands() -> None:
    keys = {c.key for c in COMMANDS}
    assert {"yuqing run", "yuqing search", "yuqing load"} <= keys, keys
    assert synopsis_lines(), "the synopsis of docs/alerts.md is no longer found"


@pytest.mark.parametrize("cmd", synopsis_lines(), ids=str)
def test_every_synopsis_names_a_real_command_and_options(cmd: Command) -> None:
    words = cmd.text.replace("[", " ").replace("]", " ").replace("…", " ").split()
    names = _path_of(words[1:])
    leaf = _leaf(names)
    options = {o for p in leaf.params for o in getattr(p, "opts", []) + getattr(p, "secondary_opts", [])}
    for word in words:
        if word.startswith("--"):
            assert word.split("=")[0] in options, f"{cmd}: `yuqing {' '.join(names)}` has no option {word}"


@pytest.fixture(scope="module")
def sim() -> SimServer:
    from datetime import datetime

    from core import SHANGHAI

    now = datetime(2026, 11, 3, 12, 0, tzinfo=SHANGHAI)
    with SimServer(Scenario(now=now, days=1, rates={"portal": 0.3}, gazetteer="builtin")) as srv:
        yield srv


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _deployment(folder: Path, sim: SimServer, port: int) -> None:
    """A newcomer's folder: their yuqing.yaml, the repository's config/, and the CLI on PATH."""
    from web.auth import hash_password

    (folder / "yuqing.yaml").write_text(yaml.safe_dump({
        "data_dir": "var",
        "sources": [{"name": "pt", "family": "portal", "base_url": sim.base("portal"), "delay": 0}],
        "alerts": {"quiet_hours": None},
        "web": {"host": "127.0.0.1", "port": port, "secret_key": "docs-test-secret-key-0123456789abcdef",
                "users": [{"username": "wmb", "role": "reviewer", "password_hash": hash_password("yuqing-docs-pw")}]},
    }, allow_unicode=True), encoding="utf-8")
    (folder / "config").symlink_to(REPO / "config")
    for name in PLACEHOLDERS:
        (folder / name).write_text((REPO / "config" / "sample-posts.jsonl").read_text(encoding="utf-8"),
                                   encoding="utf-8")
    shim = f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m yuqing "$@"\n'
    for rel in ("bin/yuqing", "scripts/yuqing"):
        (folder / rel).parent.mkdir(exist_ok=True)
        (folder / rel).write_text(shim, encoding="utf-8")
        (folder / rel).chmod(0o755)


def _serve_then_stop(proc: subprocess.Popen[str], port: int, cmd: Command) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code in (200, 503):
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            _out, err = proc.communicate()
            pytest.fail(f"{cmd}: exited {proc.returncode} before serving:\n{err[-2000:]}")
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"{cmd}: no /healthz on port {port} within 90 s")
        time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        _out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail(f"{cmd}: still running 60 s after SIGTERM")
    # uvicorn re-raises the signal once it has shut down cleanly (`yuqing web`): a stop by SIGTERM, as systemd
    # counts it; the daemon (`yuqing run`) handles SIGTERM itself and exits 0
    ok = (0, -signal.SIGTERM) if _path_of(cmd.yuqing_args or []) == ["web"] else (0,)
    assert proc.returncode in ok, f"{cmd}: exit {proc.returncode} after SIGTERM:\n{err[-2000:]}"
    assert "Traceback" not in err, err[-2000:]


@pytest.mark.parametrize("cmd", COMMANDS, ids=str)
def test_every_documented_command_runs_as_written(cmd: Command, tmp_path: Path, sim: SimServer,
                                                  request: pytest.FixtureRequest) -> None:
    if (reason := _skip_reason(cmd)) is not None:
        if cmd.yuqing_args is not None:
            _parse(cmd.yuqing_args)  # not run, but it must still be a command the CLI takes
        pytest.skip(reason)
    args = cmd.yuqing_args
    assert args is not None, f"{cmd}: a command of an unknown kind — run it here or add it to SKIPPED with why"
    _parse(args)
    port = _free_port()
    _deployment(tmp_path, sim, port)
    env = {k: v for k, v in os.environ.items() if not k.startswith("YUQING_")}
    env["PATH"] = f"{tmp_path / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    text = "\n".join([*cmd.exports, cmd.text])
    if cmd.needs_elasticsearch:
        es_url = request.getfixturevalue("es_url")
        env |= {"YUQING_STORAGE_BACKEND": "elasticsearch", "YUQING_ES_URL": es_url,
                "YUQING_ES_INDEX_PREFIX": request.getfixturevalue("es_prefix")}
        text = text.replace("http://127.0.0.1:9200", es_url)  # the documented address is the test node here
    names = _path_of(args)
    if names in (["run"], ["web"]):
        text = re.sub(r"--port[ =]\d+", f"--port {port}", text)  # the documented port may be taken here
        proc = subprocess.Popen(["bash", "-c", text], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        _serve_then_stop(proc, port, cmd)
        return
    proc = subprocess.run(["bash", "-c", text], cwd=tmp_path, env=env, capture_output=True, text=True,
                          input=STDIN.get(cmd.key, ""), timeout=300)
    assert proc.returncode == 0, f"{cmd}: exit {proc.returncode}\n{proc.stdout[-1500:]}\n{proc.stderr[-2500:]}"
    assert "Traceback" not in proc.stderr, proc.stderr[-2500:]


def test_the_readmes_search_examples_find_the_sample_posts(tmp_path: Path) -> None:
    """After the README's own `load config/sample-posts.jsonl`, its search examples find something."""
    searches = [c for c in COMMANDS if c.doc == "README.md" and c.key == "yuqing search"]
    assert searches
    env = {k: v for k, v in os.environ.items() if not k.startswith("YUQING_")}
    yuqing = [sys.executable, "-m", "yuqing"]
    subprocess.run([*yuqing, "load", str(REPO / "config" / "sample-posts.jsonl")], cwd=tmp_path, env=env,
                   check=True, capture_output=True, timeout=300)
    for cmd in searches:
        proc = subprocess.run([*yuqing, *(cmd.yuqing_args or [])], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0 and not proc.stdout.startswith("共 0 条"), f"{cmd}: {proc.stdout[:200]}"
