"""Options of the ``outbreak`` detector (the method is described in :mod:`alerts.detectors.outbreak`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from alerts.detectors.base import DetectorOptions
from alerts.series import duration_list


class OutbreakOptions(DetectorOptions):
    """Options of the ``outbreak`` detector (defaults are the measured configuration of docs/alerts.md)."""

    false_alarms_per_1000_key_weeks: float | None = Field(
        None, gt=0, description="false-alarm budget (default: alerts.false_alarms_per_1000_key_weeks, else 1)")
    effective_tests: float = Field(1.0, gt=0, le=1, description="share of the Σ 168/w window tests counted as "
                                   "independent (1: plain Bonferroni; lower spends more of the budget)")
    window_weight_power: float = Field(0.5, ge=0, le=2, description="α_w ∝ w^power: share of the budget by window")
    windows: list[str] = Field(default_factory=lambda: ["1h", "2h", "3h", "6h", "12h", "24h", "72h"],
                               description="window lengths scanned at every bucket (those over a day look for "
                               "level shifts: see long_window_*)")
    baseline_days: float = Field(14, gt=0, description="trailing days of the level estimate")
    min_history_hours: float = Field(24, ge=0, description="silent until this much history precedes a window")
    min_count: int = Field(3, ge=1, description="minimum distinct complaints in the window")
    new_key_min_count: int = Field(5, ge=1, description="when the key's baseline holds fewer than min_count: this "
                                   "many within a day")
    prior_shape: float = Field(0.5, gt=0, description="gamma prior shape of a key's level (pooled mean)")
    profile_strength: float = Field(8.0, ge=0, description="pseudo-counts pulling a key's profile to the pooled one")
    dispersion_strength: float = Field(20.0, ge=0, description="pseudo-windows pulling a key's θ_w to the pooled θ_w")
    profile_uncertainty: float = Field(0.5, ge=0, description="relative sd of a slot's factor never seen before")
    profile_model: Literal["daytype", "week"] = Field(
        "daytype", description="daytype: an hour-of-day profile for weekdays and one for weekends (a slot pools "
        "every past day of its type); week: 168 hour-of-week cells")
    profile_prior: Literal["shape", "counts"] = Field(
        "shape", description="shape: a slot's factor has a gamma prior of shape profile_strength (key → its place's "
        "other keys) or place_strength (place → town) around its prior's factor; counts: the earlier pseudo-counts "
        "of expected complaints (a quiet slot's prior then weighs almost nothing)")
    prior_strength: Literal["estimated", "fixed"] = Field(
        "estimated", description="estimated: the shape of a slot's prior is 1 / the spread of places' slots round the "
        "town's (of keys' round their place's other keys), estimated per bucket across the range's series from past "
        "counts (empirical Bayes); fixed: place_strength / profile_strength")
    profile_smoothing: float = Field(0.0, ge=0, le=0.34, description="weight of each neighbouring hour in a "
                                     "daytype slot (0: none; the profile is a smooth curve, a cell is noisy)")
    place_strength: float = Field(8.0, ge=0, description="pseudo-counts pulling a place's profile (all its keys) to "
                                  "the town's; a key's own profile is then pulled to its place's (0: no place level)")
    min_dispersion: float = Field(0.02, ge=0, description="floor of θ_w")
    dispersion_margin: float = Field(1.0, ge=1, description="θ_w is multiplied by this (1: the heavier "
                                     "tail comes from tail=day-mixture)")
    tail: Literal["nb", "day-mixture"] = Field(
        "day-mixture", description="law of a window count: one negative binomial of the estimated variance, or "
        "(day-mixture) a busy-day gamma factor times hourly NB noise with the same variance — a heavier tail")
    estimate_factor: bool = Field(True, description="tail=day-mixture: the expected count's own error (the level's "
                                  "and the profile's gamma posteriors) is a gamma factor of its own in the tail's "
                                  "law, not part of the hourly noise (a product of gammas has a heavier tail)")
    robust_pool: bool = Field(False, description="the pooled θ_w leaves out the windows that would have been "
                              "matches (p < α_w) under a first estimate: past spikes, above all many keys spiking at "
                              "once, are no over-dispersion (tried: more false cases, docs/alerts.md)")
    mid_p: bool = Field(True, description="mid-p values, P(X > s) + ½·P(X = s): less conservative on sparse keys, "
                        "whose counts move in big steps")
    level_day_error: bool = Field(True, description="add θ_day·(1/days of baseline − 1/baseline_days) to θ_w: after "
                                  "a start or a restart the level is a mean over a few noisy days (θ_day from θ_1 "
                                  "and θ_24; a full baseline's part is already in the residuals)")
    long_window_min_ratio: float = Field(1.8, ge=1, description="a window longer than a day also needs this "
                                         "multiple of its expected count (a level shift, not a slow drift)")
    level_error_share: float = Field(0.0, ge=0, le=1, description="share of the level's own variance (1/a) "
                                     "taken out of each residual before θ_w is estimated from them")
    long_residual_clip: float = Field(9.0, gt=1, description="windows longer than a day: a squared residual is "
                                      "capped at this many variances m + 0.3·m² (past spikes and shifts are no "
                                      "over-dispersion; shorter windows: 25 × (m + m²))")
    long_window_history_days: float = Field(7.0, ge=0, description="a window longer than a day needs this many "
                                            "days of baseline behind it")
    shift_after_quiet: bool = Field(True, description="after an episode went quiet, keep testing for a week whether "
                                    "the counts since its first day are above the old level (then: a level shift, "
                                    "the baseline restarts, no second case)")
    continue_p: float = Field(1e-3, gt=0, lt=1, description="an episode goes on while some window is below this p")
    quiet_hours: float = Field(24, gt=0, description="an episode ends after this long without an elevated bucket")
    shift_hours: float = Field(72, gt=0, description="an episode still elevated this long is a level shift")

    @field_validator("windows")
    @classmethod
    def _durations(cls, v: list[str]) -> list[str]:
        return duration_list(v)
