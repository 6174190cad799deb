"""The two-window ratio rule, in the manner of ElastAlert's ``spike`` (docs/alerts.md compares them).

At every bucket ``i`` the *current* window is the last ``timeframe`` (buckets ``i-tf+1 … i``) and the
*reference* window the ``timeframe`` before it. A match needs ``cur ≥ threshold_cur``,
``ref ≥ threshold_ref`` and ``cur ≥ spike_height × max(ref, ref_floor)``: with the default
``ref_floor = 1`` a zero reference counts as one, so a place nobody mentioned before needs
``max(threshold_cur, spike_height)`` complaints; ``ref_floor = 0`` is ElastAlert's rule (any
``cur ≥ threshold_cur`` fires on an empty reference).

Warm-up: silent until both windows lie inside the series; with ``alert_on_new_data = false`` also
until ``2 × timeframe`` after the key's first complaint (ElastAlert's default). After a match the key
is not checked again for ``2 × timeframe`` (ElastAlert's ``clear_windows``), after which the reference
window holds the new level — so a plateau never alerts twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import numpy as np
from pydantic import Field, field_validator

from alerts.detectors.base import Detector, DetectorOptions, SpikeMatch, register
from alerts.detectors.stats import count_sf
from alerts.series import Series, parse_duration
from core import SHANGHAI


class SpikeOptions(DetectorOptions):
    """Options of the ``spike`` detector."""

    timeframe: str = Field("24h", description="length of each window")
    spike_height: float = Field(3.0, gt=1, description="cur must reach this multiple of ref")
    threshold_cur: int = Field(5, ge=1, description="minimum distinct complaints in the current window")
    threshold_ref: int = Field(0, ge=0, description="minimum complaints in the reference window")
    ref_floor: float = Field(1.0, ge=0, description="a reference below this counts as this (0: ElastAlert)")
    alert_on_new_data: bool = Field(True, description="false: wait 2×timeframe after a key's first complaint")
    max_p_value: float | None = Field(
        None, gt=0, lt=1, description="also require P(X ≥ cur | Poisson(max(ref, ref_floor))) below this")

    @field_validator("timeframe")
    @classmethod
    def _duration(cls, v: str) -> str:
        parse_duration(v)
        return v


def _iso(dt: datetime) -> str:
    return dt.astimezone(SHANGHAI).isoformat()


@register
class SpikeDetector(Detector):
    """Current window against the window before it."""

    name: ClassVar[str] = "spike"
    Options = SpikeOptions
    options: SpikeOptions

    def window_buckets(self, series: Series) -> int:
        """The timeframe in buckets of this series (at least one)."""
        return max(1, round(parse_duration(self.options.timeframe) / series.step))

    def detect(self, series: Series) -> list[SpikeMatch]:
        """Matches oldest first; see the module docstring for the rule."""
        o = self.options
        c = np.asarray(series.counts, dtype=np.float64)
        n, tf = len(c), self.window_buckets(series)
        if n < 2 * tf:
            return []
        cs = np.concatenate(([0.0], np.cumsum(c)))
        idx = np.arange(2 * tf - 1, n)
        cur = cs[idx + 1] - cs[idx + 1 - tf]
        ref = cs[idx + 1 - tf] - cs[idx + 1 - 2 * tf]
        high = cur >= o.spike_height * np.maximum(ref, o.ref_floor)
        ok = (cur >= o.threshold_cur) & (ref >= o.threshold_ref) & high
        if not o.alert_on_new_data:
            nz = np.flatnonzero(c)
            first = nz[0] if len(nz) else n
            ok &= idx >= first + 2 * tf - 1
        matches: list[SpikeMatch] = []
        skip_until = -1
        for j in np.flatnonzero(ok):
            i = int(idx[j])
            if i < skip_until:
                continue
            p_value = count_sf(float(cur[j]), max(float(ref[j]), o.ref_floor, 0.5))
            if o.max_p_value is not None and p_value >= o.max_p_value:
                continue
            skip_until = i + 2 * tf
            r, k = float(ref[j]), float(cur[j])
            matches.append(SpikeMatch(
                key=series.key, detector=self.name, bucket=series.bucket_at(i),
                window_start=series.bucket_at(i - tf + 1), window_end=series.bucket_at(i + 1),
                count=k, baseline=r, score=k / max(r, o.ref_floor, 1.0),
                details={
                    "spike_count": k, "reference_count": r,
                    "reference_window": [_iso(series.bucket_at(i - 2 * tf + 1)), _iso(series.bucket_at(i - tf + 1))],
                    "spike_height": o.spike_height, "threshold_cur": o.threshold_cur, "p_value": p_value,
                },
            ))
        return matches
