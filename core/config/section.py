"""The base of every configuration section: frozen, unknown keys refused."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def first_duplicate(names: Iterable[str]) -> str | None:
    """The first name that occurs a second time, in list order; None if all are unique."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            return name
        seen.add(name)
    return None
