"""Shared fixtures: a clean environment, stores on both backends, sample posts."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.config import ENV_MAP

# Read once, before the autouse fixture clears the environment for each test.
ES_URL = os.environ.get("YUQING_ES_URL", "")
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock-at", metavar="ISO", default=None,
        help="run the session with this process's wall clock moved to ISO (an aware instant) and ticking "
             "from there (time-machine): e.g. 2027-01-01T00:00+08:00 checks that no test depends on today",
    )


def pytest_configure(config: pytest.Config) -> None:
    instant = config.getoption("--clock-at")
    if instant:
        from datetime import datetime

        import time_machine

        at = datetime.fromisoformat(instant)
        if at.tzinfo is None:
            raise pytest.UsageError(f"--clock-at {instant!r}: give a time zone, e.g. {instant}+08:00")
        traveller = time_machine.travel(at, tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's YUQING_* settings."""
    for name in list(os.environ):
        if name in ENV_MAP or name.startswith("YUQING_"):
            monkeypatch.delenv(name, raising=False)


def _es_reachable(url: str) -> str | None:
    from elasticsearch import Elasticsearch

    try:
        es = Elasticsearch(url, request_timeout=5)
        health = es.cluster.health(timeout="5s")
        return None if health.get("status") in ("green", "yellow") else f"cluster status {health.get('status')}"
    except Exception as exc:  # any transport failure means unreachable
        return f"{type(exc).__name__}: {exc}"


@pytest.fixture(scope="session")
def es_url() -> str:
    """The Elasticsearch node for tests: YUQING_ES_URL. Missing or down: skip locally, fail under CI=true."""
    if not ES_URL:
        reason = "YUQING_ES_URL is not set (scripts/test starts a node and sets it)"
    else:
        problem = _es_reachable(ES_URL)
        reason = f"Elasticsearch at {ES_URL} is unreachable: {problem}" if problem else ""
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    return ES_URL


@pytest.fixture
def es_prefix(es_url: str) -> Iterator[str]:
    """A unique index prefix for one test; its indices and templates are deleted afterwards."""
    from elasticsearch import Elasticsearch

    prefix = f"yqtest-{uuid.uuid4().hex[:8]}"
    yield prefix
    es = Elasticsearch(es_url, request_timeout=30)
    es.options(ignore_status=404).indices.delete(index=f"{prefix}-*", expand_wildcards="all")
    templates = es.options(ignore_status=404).indices.get_index_template(name=f"{prefix}-*")
    for tpl in templates.get("index_templates", []):
        es.indices.delete_index_template(name=tpl["name"])


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    """A fresh SQLite file path."""
    return tmp_path / "yuqing.db"
