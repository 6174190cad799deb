"""The 创全 topic taxonomy: codes, Chinese names, departments, urgency, keywords and patterns.

Data, not code (``config/topics.yaml``); ``load_taxonomy(None)`` reads the bundled file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from core.errors import ConfigError
from nlp.gazetteer import CONFIG_DIR

DEFAULT_TAXONOMY = CONFIG_DIR / "topics.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available
OTHER = "other"


class Topic(BaseModel):
    """One problem category."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    name: str
    department: str | None = None
    urgency: Literal["routine", "urgent", "difficult"] = "routine"
    keywords: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for p in v:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"bad pattern {p!r}: {exc}") from None
        return v

    @cached_property
    def regexes(self) -> tuple[re.Pattern[str], ...]:
        """The compiled patterns."""
        return tuple(re.compile(p) for p in self.patterns)


@dataclass(frozen=True)
class Taxonomy:
    """Topics in file order, by code."""

    topics: tuple[Topic, ...]
    town: str | None = None  # whose departments the topics name (大场镇 for the bundled file); None: any town's
    _by_code: dict[str, Topic] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for t in self.topics:
            if t.code in self._by_code:
                raise ValueError(f"duplicate topic code {t.code!r}")
            self._by_code[t.code] = t

    def __iter__(self) -> Iterator[Topic]:
        return iter(self.topics)

    def __len__(self) -> int:
        return len(self.topics)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Topic:
        """The topic with this code (KeyError if unknown)."""
        return self._by_code[code]

    @property
    def codes(self) -> list[str]:
        """Topic codes in file order."""
        return [t.code for t in self.topics]


@lru_cache(maxsize=8)
def _load(path: Path) -> Taxonomy:
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except FileNotFoundError:
        raise ConfigError(f"{path}: taxonomy file not found") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read taxonomy: {exc}".splitlines()[0]) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("topics"), list):
        raise ConfigError(f"{path}: a taxonomy needs a 'topics' list")
    town = doc.get("town")
    if town is not None and (not isinstance(town, str) or not town.strip()):
        raise ConfigError(f"{path}: 'town' must be the name of the town whose departments the topics name")
    topics = []
    for i, row in enumerate(doc["topics"]):
        try:
            topics.append(Topic.model_validate(row))
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(x) for x in err["loc"])
            ident = row.get("code") if isinstance(row, dict) else None
            raise ConfigError(f"{path}: topics[{i}] ({ident}): {loc}: {err['msg']}") from None
    try:
        return Taxonomy(tuple(topics), town.strip() if town else None)
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def load_taxonomy(path: Path | str | None = None) -> Taxonomy:
    """Load the topic taxonomy; None loads the bundled 创全 topics. Cached per path."""
    return _load(Path(path).resolve() if path is not None else DEFAULT_TAXONOMY)
