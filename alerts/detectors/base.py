"""What every detector shares: the match it returns, the base class and the registry by short name."""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from alerts.series import Series
from core import SHANGHAI, ConfigError, SpikeInfo


def _iso(dt: datetime) -> str:
    return dt.astimezone(SHANGHAI).isoformat()


class KeyParts:
    """The place and topic of a ``place|topic`` key (``key`` is the subclass's field)."""

    key: str

    @property
    def place_id(self) -> str:
        """The place part of a ``place|topic`` key."""
        return self.key.split("|", 1)[0]

    @property
    def topic(self) -> str | None:
        """The topic part of a ``place|topic`` key (None for ``*`` or a bare place)."""
        parts = self.key.split("|", 1)
        return parts[1] if len(parts) == 2 and parts[1] not in ("", "*") else None


@dataclass(frozen=True)
class SpikeMatch(KeyParts):
    """A detector fired on ``key`` at ``bucket``: the numbers behind it, and the posts once the runner adds them.

    ``count`` complaints fell in ``[window_start, window_end)`` against ``baseline`` expected (or counted in
    the reference window); ``score`` ranks matches (higher is stronger).
    """

    key: str
    detector: str
    bucket: datetime
    window_start: datetime
    window_end: datetime
    count: float
    baseline: float
    score: float
    details: dict[str, Any] = field(default_factory=dict)
    post_ids: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """A stable id: the same detector on the same key and bucket is the same match."""
        return f"{self.detector}:{self.key}:{self.bucket.isoformat()}"

    def with_posts(self, post_ids: list[str] | tuple[str, ...]) -> SpikeMatch:
        """The same match with its contributing posts."""
        return replace(self, post_ids=tuple(post_ids))

    def spike_info(self) -> SpikeInfo:
        """The match as stored on a case."""
        return SpikeInfo(
            detector=self.detector, count=self.count, baseline=self.baseline, score=self.score,
            window_start=self.window_start, window_end=self.window_end,
            details={**self.details, "bucket": self.bucket.isoformat(), "match_id": self.id},
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the ``alerts detect`` output line)."""
        return {
            "key": self.key, "bucket": _iso(self.bucket), "detector": self.detector,
            "score": round(self.score, 4), "count": self.count, "baseline": round(self.baseline, 4),
            "window_start": _iso(self.window_start), "window_end": _iso(self.window_end),
            **({"post_ids": list(self.post_ids)} if self.post_ids else {}),
            "details": self.details,
        }


class DetectorOptions(BaseModel):
    """Base of every detector's options: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Detector(ABC):
    """A pure detector: fed a dense series, returns the buckets where it fires; no I/O, no clock.

    Results are causal: whether bucket ``i`` matches depends only on buckets ``≤ i``, so a runner that
    stops and restarts over the same stored counts finds the same matches.
    """

    name: ClassVar[str]
    Options: ClassVar[type[DetectorOptions]] = DetectorOptions

    def __init__(self, options: DetectorOptions | None = None) -> None:
        self.options = options if options is not None else self.Options()

    @abstractmethod
    def detect(self, series: Series) -> list[SpikeMatch]:
        """Every match in the series, oldest first."""

    def detect_many(self, series: Mapping[str, Series]) -> list[SpikeMatch]:
        """Every match over many keys (detectors that pool across keys override this), by bucket then key."""
        return sorted((m for s in series.values() for m in self.detect(s)), key=lambda m: (m.bucket, m.key))


REGISTRY: dict[str, type[Detector]] = {}


def register(cls: type[Detector]) -> type[Detector]:
    """Class decorator: make a detector available by its short name."""
    REGISTRY[cls.name] = cls
    return cls


def detectors_from_config(alerts: Any) -> list[Detector]:
    """The detectors an ``alerts`` config section names, with its false-alarm budget."""
    defaults = {"false_alarms_per_1000_key_weeks": getattr(alerts, "false_alarms_per_1000_key_weeks", None)}
    return [build_detector(d.name, d.options, defaults) for d in alerts.detectors]


def _resolve(name: str) -> type[Detector]:
    if name in REGISTRY:
        return REGISTRY[name]
    if ":" in name or "." in name:  # escape hatch: "package.module:Class" or "package.module.Class"
        mod, _, attr = name.replace(":", ".").rpartition(".")
        try:
            cls = getattr(importlib.import_module(mod), attr)
        except (ImportError, AttributeError) as exc:
            raise ConfigError(f"alerts.detectors: cannot import {name!r}: {exc}") from None
        if isinstance(cls, type) and issubclass(cls, Detector):
            return cls
        raise ConfigError(f"alerts.detectors: {name!r} is not a Detector")
    raise ConfigError(f"alerts.detectors: unknown detector {name!r} (known: {', '.join(sorted(REGISTRY))})")


def build_detector(name: str, options: dict[str, Any] | None = None, defaults: dict[str, Any] | None = None
                   ) -> Detector:
    """A detector by short name (or dotted path) with validated options; ConfigError names the bad option.

    ``defaults`` fill options the detector has and ``options`` leaves unset (e.g. the false-alarm budget).
    """
    cls = _resolve(name)
    merged = {k: v for k, v in (defaults or {}).items() if k in cls.Options.model_fields}
    merged.update(options or {})
    try:
        opts = cls.Options.model_validate(merged)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "(options)"
        msg = "unknown option" if err["type"] == "extra_forbidden" else err["msg"]
        raise ConfigError(f"alerts.detectors.{name}.{loc}: {msg}") from None
    return cls(opts)
