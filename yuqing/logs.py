"""Logging for the CLI and the daemon: plain or JSON lines, with every configured secret masked."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from pydantic import SecretStr

from core import Config

_STD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO with its offset, in ``zone``), level, logger, message, and any
    ``extra=`` fields."""

    def __init__(self, zone: tzinfo = UTC) -> None:
        super().__init__()
        self.zone = zone

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, self.zone).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update({k: v for k, v in record.__dict__.items() if k not in _STD and not k.startswith("_")})
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class MaskingFormatter(logging.Formatter):
    """Wraps a formatter and replaces every known secret in the finished line — message, traceback and
    ``extra`` fields alike — with ``***``."""

    def __init__(self, inner: logging.Formatter, secrets: Iterable[str]) -> None:
        super().__init__()
        self.inner = inner
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def mask(self, text: str) -> str:
        """The text with every secret replaced."""
        for s in self.secrets:
            text = text.replace(s, "***")
        return text

    def format(self, record: logging.LogRecord) -> str:
        return self.mask(self.inner.format(record))


def config_secrets(config: Config, environ: dict[str, str] | None = None) -> list[str]:
    """Every secret value the configuration holds or names (passwords, keys, cookies)."""
    env = environ if environ is not None else dict(os.environ)
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, SecretStr):
            found.append(value.get_secret_value())
        elif hasattr(value, "__pydantic_fields__"):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)

    def walk_env(value: object) -> None:
        """Values of the environment variables that fields named ``*_env`` point at (cookies, keys…)."""
        if hasattr(value, "__pydantic_fields__"):
            for name in type(value).model_fields:
                field_value = getattr(value, name)
                if name.endswith("_env") and isinstance(field_value, str) and env.get(field_value):
                    found.append(env[field_value])
                else:
                    walk_env(field_value)
        elif isinstance(value, list | tuple):
            for v in value:
                walk_env(v)
        elif isinstance(value, dict):
            for k, v in value.items():
                if str(k).endswith("_env") and isinstance(v, str) and env.get(v):
                    found.append(env[v])
                else:
                    walk_env(v)

    walk(config)
    walk_env(config)
    return found


def use_log_zone(zone: str) -> tzinfo:
    """Show log times in ``zone`` (the configured ``timezone``): in every formatter of this process (Scrapy's and
    uvicorn's too) and, through ``TZ``, in the child processes it starts (crawls), so a person reads one zone."""
    tz = ZoneInfo(zone)
    logging.Formatter.converter = staticmethod(lambda secs: datetime.fromtimestamp(secs, tz).timetuple())
    os.environ["TZ"] = zone
    time.tzset()
    return tz


def setup_logging(config: Config, *, level: str | None = None, json_format: bool | None = None) -> None:
    """Configure the root logger once for this process; times in the configured timezone."""
    zone = use_log_zone(config.timezone)
    handler = logging.StreamHandler(sys.stderr)
    use_json = config.logging.json_format if json_format is None else json_format
    inner = JsonFormatter(zone) if use_json else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s",
                                                               "%Y-%m-%d %H:%M:%S")
    handler.setFormatter(MaskingFormatter(inner, config_secrets(config)))
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(handler)
    root.setLevel(level or config.logging.level)
    for noisy in ("elastic_transport", "urllib3", "apscheduler.executors", "jieba", "httpx", "scrapy", "twisted"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):  # through our (masking) handler, not uvicorn's
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
