"""The settings table the reference docs (docs/configuration.md) are generated from."""

from __future__ import annotations

from pydantic import BaseModel

from core.config.root import Config


def describe_settings(model: type[BaseModel] = Config, prefix: str = "") -> list[tuple[str, str, str]]:
    """Every setting as (dotted name, default, help), for the generated docs."""
    rows: list[tuple[str, str, str]] = []
    for name, field in model.model_fields.items():
        if field.exclude:
            continue
        key = f"{prefix}{field.alias or name}"
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            rows.extend(describe_settings(ann, key + "."))
            continue
        default = field.get_default(call_default_factory=True)
        shown = "" if default is None else str(default)
        rows.append((key, shown, field.description or ""))
    return rows
