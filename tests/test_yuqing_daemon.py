"""The shell's own pieces: crawl leases, secret-masking logs, metrics, config reload."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from core import SourceHealth, SourceState, load_config
from storage.sqlite import SQLiteStore
from yuqing.logs import JsonFormatter, SecretFilter, config_secrets


@pytest.fixture
def store(sqlite_path: Path):
    s = SQLiteStore(sqlite_path)
    yield s
    s.close()


def test_secret_filter_masks_config_secrets(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cfg_file = tmp_path / "y.yaml"
    cfg_file.write_text("sources:\n  - {name: wb, family: weibo, base_url: 'http://x', cookie_env: WB_COOKIE}\n",
                        encoding="utf-8")
    config = load_config(cfg_file, environ={"YUQING_ES_PASSWORD": "es-pass-123"})
    secrets = config_secrets(config, environ={"WB_COOKIE": "SUB=abcdef123"})
    assert set(secrets) == {"es-pass-123", "SUB=abcdef123"}
    logger = logging.getLogger("test.secrets")
    logger.addFilter(SecretFilter(secrets))
    with caplog.at_level(logging.INFO, logger="test.secrets"):
        logger.info("request with cookie %s and password %s", "SUB=abcdef123", "es-pass-123")
    assert caplog.records[0].getMessage() == "request with cookie *** and password ***"


def test_json_formatter_is_one_object_per_line() -> None:
    import json

    record = logging.LogRecord("yuqing.x", logging.WARNING, __file__, 1, "source %s backing off", ("weibo",), None)
    record.source = "weibo"
    line = JsonFormatter().format(record)
    data = json.loads(line)
    assert data["message"] == "source weibo backing off" and data["level"] == "WARNING" and data["source"] == "weibo"
    assert "\n" not in line


def test_metrics_read_the_store(store: SQLiteStore) -> None:
    from yuqing.metrics import Metrics

    store.save_source_state(SourceState(name="weibo", items_total=42, health=SourceHealth.BACKING_OFF))
    metrics = Metrics(lambda: store)
    metrics.detector_runs.inc()
    text = metrics.render().decode()
    assert 'yuqing_source_items_total{source="weibo"} 42.0' in text
    assert "yuqing_sources_not_ok 1.0" in text
    assert "yuqing_store_up 1.0" in text
    assert "yuqing_detector_runs_total 1.0" in text
    assert 'yuqing_outbox_items{status="pending"} 0.0' in text


def test_metrics_say_when_the_store_is_down(store: SQLiteStore) -> None:
    from yuqing.metrics import Metrics

    store.close()
    text = Metrics(lambda: store).render().decode()
    assert "yuqing_store_up 0.0" in text


def test_broken_config_on_reload_keeps_the_running_one(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from yuqing.daemon import Daemon

    cfg = tmp_path / "yuqing.yaml"
    cfg.write_text(f"storage:\n  sqlite:\n    path: {tmp_path / 'y.db'}\n"
                   "sources:\n  - {name: wb, family: weibo, base_url: 'http://127.0.0.1:9', interval: 3600}\n",
                   encoding="utf-8")
    daemon = Daemon(cfg, web=False)
    daemon.start()
    try:
        assert {j.id for j in daemon.scheduler.get_jobs()} >= {"crawl:wb", "alerts:evaluate", "alerts:deliver"}
        cfg.write_text("storage: [broken\n", encoding="utf-8")
        with caplog.at_level(logging.ERROR, logger="yuqing.daemon"):
            assert daemon.reload() is False
        assert "config reload failed, keeping the running config" in caplog.text
        assert daemon.config.sources[0].name == "wb"
        cfg.write_text(f"storage:\n  sqlite:\n    path: {tmp_path / 'y.db'}\n"
                       "sources:\n  - {name: forum, family: forum, base_url: 'http://127.0.0.1:9', interval: 3600}\n",
                       encoding="utf-8")
        assert daemon.reload() is True
        ids = {j.id for j in daemon.scheduler.get_jobs()}
        assert "crawl:forum" in ids and "crawl:wb" not in ids
    finally:
        daemon.stop()
