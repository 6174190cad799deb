"""Elasticsearch index definitions as JSON files (one per logical index), loaded by the ES backend."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

KINDS = ("posts", "cases", "outbox", "sources")


def load_mapping(kind: str) -> dict[str, Any]:
    """The definition of one logical index: ``version``, ``settings``, ``mappings``."""
    if kind not in KINDS:
        raise KeyError(kind)
    return json.loads(resources.files(__name__).joinpath(f"{kind}.json").read_text(encoding="utf-8"))
