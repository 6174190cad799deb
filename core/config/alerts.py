"""The alerts section: detectors, the case lifecycle, quiet hours, delivery and the daily report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, field_validator, model_validator

from core.config.channels import ChannelConfig
from core.config.section import _Section, first_duplicate


class DetectorConfig(_Section):
    """One detector by short name (``spike``, ``cusum``) and its options, validated by the detector."""

    name: str = Field(description="detector short name")
    options: dict[str, Any] = Field(default_factory=dict, description="detector options (see docs/alerts.md)")

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, v: Any) -> Any:
        return {"name": v} if isinstance(v, str) else v


class QuietHoursConfig(_Section):
    """When notifications wait (never case creation, never the tracker webhook)."""

    start: str = Field("22:00", pattern=r"^\d{2}:\d{2}$", description="quiet period start, HH:MM (Asia/Shanghai)")
    end: str = Field("07:30", pattern=r"^\d{2}:\d{2}$", description="quiet period end, HH:MM (Asia/Shanghai)")
    weekends: bool = Field(True, description="hold notifications on Saturdays and Sundays until Monday's end time")
    urgent_bypass: bool = Field(True, description="urgent cases notify at once, even in quiet hours")


class AlertsConfig(_Section):
    """Spike detection, the case lifecycle, delivery and the daily report (docs/alerts.md)."""

    bucket: str = Field("1h", pattern=r"^\d+[mhd]$", description="count bucket (e.g. 1h, 1d)")
    by_topic: bool = Field(True, description="keys are place × topic (true) or place alone (false)")
    exclude_levels: list[str] = Field(
        default_factory=lambda: ["district", "town"], description="place levels too coarse to open cases on"
    )
    lookback_days: float = Field(35, gt=0, description="history fed to the detectors each run")
    recent_hours: float = Field(48, gt=0, description="matches in buckets this recent act (late posts recount)")
    detectors: list[DetectorConfig] = Field(
        default_factory=lambda: [DetectorConfig(name="outbreak")],
        description="detectors by short name, with options (outbreak, spike, cusum)",
    )
    false_alarms_per_1000_key_weeks: float = Field(
        1.0, gt=0, description="false-alarm budget of the outbreak detector (sets its p-value threshold)")
    clusters: dict[str, Any] | None = Field(
        default_factory=dict, description="space-time cluster scan over neighbouring places: options (docs/alerts.md);"
        " null: off")
    deadline_hours: dict[str, float] = Field(
        default_factory=lambda: {"low": 72, "normal": 72, "high": 48, "urgent": 24},
        description="rectification deadline per severity",
    )
    urgency_severity: dict[str, str] = Field(
        default_factory=lambda: {"routine": "normal", "urgent": "urgent", "difficult": "normal"},
        description="taxonomy urgency → case severity",
    )
    reopen_days: float = Field(14, ge=0, description="a recurrence within N days of closing reopens the case")
    escalate_every_hours: float = Field(24, gt=0, description="an overdue case escalates again after this long")
    max_escalations: int = Field(3, ge=1, description="escalation levels before it stops")
    evidence_limit: int = Field(50, ge=1, description="post ids attached per match")
    channels: list[ChannelConfig] = Field(default_factory=list, description="delivery channels (webhook, wecom…)")
    quiet_hours: QuietHoursConfig | None = Field(QuietHoursConfig(), description="null: notify at any hour")
    retry_base_seconds: float = Field(30, gt=0, description="first retry delay; doubles per attempt")
    retry_max_seconds: float = Field(3600, gt=0, description="retry delay ceiling")
    max_attempts: int = Field(20, ge=1, description="attempts before an outbox item is dead")
    console_url: str | None = Field(None, description="console address used in messages (links to cases)")
    reports_dir: Path | None = Field(None, description="where daily/weekly .xlsx are kept (default data_dir/reports)")
    evaluate_every_s: float = Field(300, gt=0, description="daemon: seconds between spike evaluations")
    deliver_every_s: float = Field(30, gt=0, description="daemon: seconds between outbox delivery passes")
    overdue_every_s: float = Field(3600, gt=0, description="daemon: seconds between overdue checks")
    report_time: str = Field("08:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
                             description="daemon: daily table time (HH:MM, Asia/Shanghai)")

    @field_validator("channels")
    @classmethod
    def _unique_channels(cls, v: list[Any]) -> list[Any]:
        if (dup := first_duplicate(c.name for c in v)) is not None:
            raise ValueError(f"duplicate channel name {dup!r}")
        return v
