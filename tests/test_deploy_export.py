"""`yuqing export` → `yuqing load`: SQLite → JSON lines → Elasticsearch, every post and field unchanged; and
`yuqing search --json` output is accepted by `load` too (its _score and _highlights are not the post's)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "config" / "sample-posts.jsonl"


def run(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None
        ) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("YUQING_")} | (env or {})
    proc = subprocess.run([sys.executable, "-m", "yuqing", *args], cwd=cwd, env=full, input=stdin,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"yuqing {' '.join(args)}: exit {proc.returncode}\n{proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr
    return proc


def by_id(text: str) -> dict[str, dict]:
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    found = {r["id"]: r for r in rows}
    assert len(found) == len(rows), "an export repeated a post"
    return found


@pytest.mark.elasticsearch
def test_sqlite_to_file_to_elasticsearch_round_trip(tmp_path: Path, es_url: str, es_prefix: str) -> None:
    run("load", str(SAMPLE), cwd=tmp_path)  # enriched into ./var/yuqing.db (the defaults)
    exported = tmp_path / "posts.jsonl"
    proc = run("export", str(exported), cwd=tmp_path)
    assert "exported 24 posts from sqlite" in proc.stderr
    original = by_id(exported.read_text(encoding="utf-8"))
    assert len(original) == 24 and all(p["tokens"] and p["topic_scores"] is not None for p in original.values())
    es = {"YUQING_STORAGE_BACKEND": "elasticsearch", "YUQING_ES_URL": es_url, "YUQING_ES_INDEX_PREFIX": es_prefix}
    run("es", "init", cwd=tmp_path, env=es)
    loaded = run("load", "--no-enrich", str(exported), cwd=tmp_path, env=es)
    assert "stored 24 posts (24 new" in loaded.stdout
    back = by_id(run("export", cwd=tmp_path, env=es).stdout)  # to stdout
    assert back == original, "a post changed on the way SQLite → file → Elasticsearch"
    again = run("load", "--no-enrich", str(exported), cwd=tmp_path, env=es)
    assert "stored 24 posts (0 new, 24 updated)" in again.stdout, "a second load duplicated posts"


def test_search_json_output_loads_back(tmp_path: Path) -> None:
    run("load", str(SAMPLE), cwd=tmp_path)
    hits = run("search", "--json", "--limit", "5", cwd=tmp_path).stdout
    assert '"_score"' in hits
    other = tmp_path / "other"
    other.mkdir()
    proc = run("load", "-", cwd=other, stdin=hits)
    assert "stored 5 posts (5 new" in proc.stdout and "0 bad lines" in proc.stdout


def test_export_filters_and_streams_oldest_first(tmp_path: Path) -> None:
    run("load", str(SAMPLE), cwd=tmp_path)
    rows = [json.loads(line) for line in run("export", "--source", "weibo", cwd=tmp_path).stdout.splitlines()]
    assert rows and {r["source"] for r in rows} == {"weibo"}
    assert [r["published_at"] for r in rows] == sorted(r["published_at"] for r in rows)


def test_an_export_that_fails_half_way_leaves_no_file_that_looks_whole(tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from core import StoreUnavailable
    from storage.sqlite import SQLiteStore
    from yuqing.cli import cli

    run("load", str(SAMPLE), cwd=tmp_path)
    real = SQLiteStore.iter_posts

    def dies_after_one(self, *args, **kwargs):
        for n, post in enumerate(real(self, *args, **kwargs)):
            if n == 1:
                raise StoreUnavailable("the store went away")
            yield post

    monkeypatch.setattr(SQLiteStore, "iter_posts", dies_after_one)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "posts.jsonl"
    result = CliRunner().invoke(cli, ["export", str(out)])
    assert result.exit_code != 0
    assert not out.exists() and not (tmp_path / "posts.jsonl.part").exists()
    assert "not written" in result.output
