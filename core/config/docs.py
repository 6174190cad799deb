"""The settings table the reference docs (docs/configuration.md) are generated from."""

from __future__ import annotations

import typing

from pydantic import BaseModel

from core.config.root import Config
from core.config.sources import OPTIONS, SourceConfig, _Options


def _shown(field: typing.Any) -> str:
    if field.is_required():
        return "(required)"
    default = field.get_default(call_default_factory=True)
    return "" if default is None else str(default)


def describe_source_options() -> list[tuple[str, str, str]]:
    """Every source option as (``sources[].options.<key>``, default, "(family) help"), common ones once."""
    rows = [(f"sources[].options.{name}", _shown(field), f"(every family) {field.description or ''}")
            for name, field in _Options.model_fields.items()]
    for family, schema in OPTIONS.items():
        for name, field in schema.model_fields.items():
            if name in _Options.model_fields:
                continue
            rows.append((f"sources[].options.{name}", _shown(field), f"({family}) {field.description or ''}"))
    return rows


def describe_settings(model: type[BaseModel] = Config, prefix: str = "") -> list[tuple[str, str, str]]:
    """Every setting as (dotted name, default, help), for the generated docs; a source's fields and each
    family's options are listed under ``sources[]``."""
    rows: list[tuple[str, str, str]] = []
    for name, field in model.model_fields.items():
        if field.exclude:
            continue
        key = f"{prefix}{field.alias or name}"
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            rows.extend(describe_settings(ann, key + "."))
            continue
        if typing.get_origin(ann) is list and typing.get_args(ann) == (SourceConfig,):
            rows.append((key, _shown(field), "the crawled sources, one entry each (fields below)"))
            for row in describe_settings(SourceConfig, key + "[]."):
                if row[0] == f"{key}[].options":
                    rows.append(row)
                    rows.extend(describe_source_options())
                else:
                    rows.append(row)
            continue
        rows.append((key, _shown(field), field.description or ""))
    return rows
