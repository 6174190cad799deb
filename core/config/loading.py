"""Loading: the YAML file (errors name file, key and line), ``YUQING_*`` overrides through
:data:`ENV_MAP` (errors name the variable), explicit overrides, and every path made absolute once.

Relative paths in the file, and the defaults, are resolved against the file's directory (the current
directory without a file); relative paths from the environment or explicit overrides against the current
directory, where the operator typed them. A loaded config holds absolute paths only, so a child process
started in another directory (a crawl) reads and writes exactly where the config says."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from core.config.root import Config
from core.errors import ConfigError

#: The only environment variables the application reads, and where each lands.
ENV_MAP: dict[str, str] = {
    "YUQING_STORAGE_BACKEND": "storage.backend",
    "YUQING_SQLITE_PATH": "storage.sqlite.path",
    "YUQING_ES_URL": "storage.elasticsearch.url",
    "YUQING_ES_USERNAME": "storage.elasticsearch.username",
    "YUQING_ES_PASSWORD": "storage.elasticsearch.password",
    "YUQING_ES_API_KEY": "storage.elasticsearch.api_key",
    "YUQING_ES_INDEX_PREFIX": "storage.elasticsearch.index_prefix",
    "YUQING_ES_CA_CERTS": "storage.elasticsearch.ca_certs",
    "YUQING_DATA_DIR": "data_dir",
    "YUQING_WEB_HOST": "web.host",
    "YUQING_WEB_PORT": "web.port",
    "YUQING_WEB_SECRET_KEY": "web.secret_key",
    "YUQING_WEB_METRICS_TOKEN": "web.metrics_token",
    "YUQING_LOG_LEVEL": "logging.level",
    "YUQING_LOG_JSON": "logging.json",
}

_PATH_KEYS = ("data_dir", "storage.sqlite.path", "storage.elasticsearch.ca_certs", "nlp.gazetteer", "nlp.taxonomy",
              "nlp.sentiment_model", "nlp.topic_model", "alerts.reports_dir")


def _set_dotted(tree: dict[str, Any], dotted: str, value: Any) -> None:
    node = tree
    *parents, leaf = dotted.split(".")
    for part in parents:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[leaf] = value


def _get_dotted(tree: Mapping[str, Any], dotted: str) -> Any:
    node: Any = tree
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _line_map(text: str) -> dict[tuple[str | int, ...], int]:
    """Map each key path of a YAML document to its 1-based line number."""
    lines: dict[tuple[str | int, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[str | int, ...]) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                kpath = (*path, str(key.value))
                lines[kpath] = key.start_mark.line + 1
                walk(value, kpath)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None:
        walk(root, ())
    return lines


def _where(path: Path | None, loc: tuple[str | int, ...], lines: dict[tuple[str | int, ...], int]) -> str:
    key = ".".join(str(p) for p in loc) or "(top level)"
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return f"{path or '<config>'}:{lines[loc[:n]]}: {key}"
    return f"{path or '<config>'}: {key}"


def key_location(path: Path | None, loc: tuple[str | int, ...]) -> str:
    """Where a key is in a config file, as the loader's own errors say it (``file:line: key``)."""
    return _where(path, loc, _line_map(path.read_text(encoding="utf-8")) if path is not None else {})


def load_config(
    path: str | Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Config:
    """Load and validate the configuration; raise :class:`ConfigError` with a one-line message.

    ``path`` may be None for the defaults alone. ``overrides`` maps dotted keys
    (``storage.backend``) to values and wins over everything else.
    """
    environ = os.environ if environ is None else environ
    file = Path(path) if path is not None else None
    raw: dict[str, Any] = {}
    lines: dict[tuple[str | int, ...], int] = {}
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(f"{file}: config file not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file}: cannot read config file: {exc}") from None
        try:
            loaded = yaml.safe_load(text)
            lines = _line_map(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            line = f":{mark.line + 1}" if mark is not None else ""
            raise ConfigError(f"{file}{line}: invalid YAML: {problem}") from None
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise ConfigError(f"{file}:1: the top level must be a mapping of keys, not {type(loaded).__name__}")
        raw = loaded
    from_env: dict[str, str] = {}  # dotted key → the variable that set it
    for name, dotted in ENV_MAP.items():
        if environ.get(name) not in (None, ""):
            _set_dotted(raw, dotted, environ[name])
            from_env[dotted] = name
    for dotted, value in (overrides or {}).items():
        _set_dotted(raw, dotted, value)
        from_env.pop(dotted, None)
    base = file.resolve().parent if file is not None else Path.cwd()
    for dotted in _PATH_KEYS:
        value = _get_dotted(raw, dotted)
        if isinstance(value, str) and value and not Path(value).is_absolute():
            typed_here = dotted in from_env or dotted in (overrides or {})
            _set_dotted(raw, dotted, os.path.normpath((Path.cwd() if typed_here else base) / value))
    raw["source_file"] = str(file.resolve()) if file is not None else None
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        key = ".".join(str(p) for p in loc)
        variable = next((name for dotted, name in from_env.items()
                         if key == dotted or key.startswith(dotted + ".")), None)
        if variable is not None:
            raise ConfigError(f"environment variable {variable}={environ[variable]!r}: {key}: {msg}{more}") from None
        raise ConfigError(f"{_where(file, loc, lines)}: {msg}{more}") from None
    return absolute_paths(config, base)


def absolute_paths(model: Any, base: Path) -> Any:
    """A copy of a config (or section) whose every relative ``Path`` field — defaults included, and
    ``list[Path]`` fields — is resolved against ``base``; the model itself if nothing is relative."""
    updates: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        resolved = _absolute(value, base)
        if resolved is not value:
            updates[name] = resolved
    return model.model_copy(update=updates) if updates else model


def _absolute(value: Any, base: Path) -> Any:
    if isinstance(value, Path):
        return value if value.is_absolute() else Path(os.path.normpath(base / value))
    if isinstance(value, BaseModel):
        return absolute_paths(value, base)
    if isinstance(value, list | tuple):
        items = [_absolute(v, base) for v in value]
        return type(value)(items) if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value
