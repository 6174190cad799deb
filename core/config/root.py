"""The whole configuration, :class:`Config`, and its small top-level sections (logging)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ConfigDict, Field, field_validator

from core.config.alerts import AlertsConfig
from core.config.nlp import NlpConfig
from core.config.section import _Section, first_duplicate
from core.config.sources import SourceConfig
from core.config.storage import StorageConfig
from core.config.web import WebConfig


class LoggingConfig(_Section):
    """Logging."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    json_format: bool = Field(False, alias="json", description="one JSON object per line")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Config(_Section):
    """The whole configuration."""

    timezone: str = Field("Asia/Shanghai", description="wall-clock zone for reports and buckets")
    data_dir: Path = Field(Path("var"), description="spool, uploads and reports")
    storage: StorageConfig = StorageConfig()
    nlp: NlpConfig = NlpConfig()
    sources: list[SourceConfig] = Field(default_factory=list)
    alerts: AlertsConfig = AlertsConfig()
    web: WebConfig = WebConfig()
    logging: LoggingConfig = LoggingConfig()
    source_file: Path | None = Field(None, exclude=True, description="the file this was loaded from")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r} (an IANA name such as Asia/Shanghai)") from None
        return v

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, v: list[SourceConfig]) -> list[SourceConfig]:
        if (dup := first_duplicate(s.name for s in v)) is not None:
            raise ValueError(f"duplicate source name {dup!r}")
        return v

    def source(self, name: str) -> SourceConfig:
        """The source with this name."""
        for s in self.sources:
            if s.name == name:
                return s
        raise KeyError(name)
