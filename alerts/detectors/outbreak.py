"""``outbreak``: a seasonal negative-binomial scan with a false-alarm budget (the default detector).

Modelled on public-health outbreak detection (Farrington flexible / Noufaily 2013, EARS C1–C3, NB CUSUM
with a seasonal expectation), for hourly complaint counts per key (docs/alerts.md gives the method and the
measured figures). For every bucket ``t`` and every window length ``w`` (1, 2, 3, 6, 12, 24 h, and 72 h for level
shifts: it needs ×``long_window_min_ratio`` its expected count and a week of baseline, and its match restarts the
baseline at once; 168 h spent the budget on slow changes on the tuning seeds) ending at ``t``:

- **expected count** ``M = level × Σ profile`` over the window. The profile (``daytype``) is an hour-of-day
  factor for weekdays and one for weekends, each slot pooling the same hour of every previous day of its type;
  a slot has a gamma prior of fixed shape: the place's (its *other* keys summed) around the town's, a key's
  around its place's, so a sparse key borrows its place's and the town's rhythm (quiet nights, busy evenings,
  weekends), a busy key keeps its own, and a quiet slot that saw few complaints is not pulled to zero
  (``week``: the earlier 168 hour-of-week cells). The prior shapes are estimated per bucket across the range
  (empirical Bayes: how much places' slots differ from the town's at that hour, keys' from their place's).
  The posterior's own variance is added to θ.
  The level is a gamma posterior (prior: the pooled typical rate, shape ``prior_shape``) from the last
  ``baseline_days`` before the window; its error also holds θ_day over the days it rests on when they are few;
- **over-dispersion**: for each window length, the excess variance ``θ_w`` of window counts over ``M²``
  (``Var = M + θ_w·M²``), estimated from the key's past residuals and shrunk to the pooled value; the level's
  own uncertainty adds ``1/shape`` — the window count is then negative binomial with size ``1/(θ_w + 1/a)``.
  Where that NB would alarm, the p-value is recomputed under a heavier-tailed law of the same variance
  (``tail: day-mixture``): a busy-day gamma factor (``θ_day``, from ``θ_w ≈ θ_day + θ_hour/w``) times hourly
  NB noise — complaints come in busy days and busy hours, and a product of two gammas has a heavier tail —
  times the expected count's own error (level and profile posteriors) as a gamma factor of its own;
- **the p-value** ``P(X ≥ observed)``; a match when it is below ``α_w`` and the window holds ``min_count``
  distinct complaints (a key whose baseline holds fewer than ``min_count``: ``new_key_min_count`` within a day).
  ``α_w`` comes from the budget: ``α_w ∝ w^window_weight_power`` (0.5: longer windows, fewer of them, get
  a larger share) scaled so that ``effective_tests × Σ_w (168/w)·α_w = false_alarms_per_1000_key_weeks / 1000``
  (``effective_tests`` 1: windows of several lengths ending together are correlated, so this over-counts
  and the rate found stays at or below the budget) — a weighted scan-statistic Bonferroni bound, so the
  budget is the config number, not a side effect of a threshold;
- **episodes**: after a match the key is followed against the *frozen* pre-episode baseline; it ends after
  ``quiet_hours`` without an elevated bucket (p < ``continue_p``), and its buckets are left out of every later
  baseline (profile, level, dispersion) — past spikes do not mask the next one. If, ``shift_hours`` after
  it began, the last day is still elevated, it is a level shift: the baseline restarts from the last day,
  so a shift gives one case and then adapts (an episode that went quiet sooner is still tested so for a week).

Every match explains itself in Chinese (``details.explanation``): expected vs observed, the window, the
p-value and the threshold. Slow rises over weeks mostly stay inside the adapting level (they are reported as a
trend, 持续上升, by :mod:`alerts.trends`). All estimates use only buckets before the window, so the detector
is causal: a prefix of a series gives the same matches as the whole series over that prefix.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import timedelta
from typing import ClassVar

import numpy as np

from alerts.detectors.base import Detector, SpikeMatch, register
from alerts.detectors.outbreak_baseline import WEEK, geography, pooled
from alerts.detectors.outbreak_baseline import Geo as _Geo
from alerts.detectors.outbreak_episodes import scan
from alerts.detectors.outbreak_options import OutbreakOptions
from alerts.detectors.outbreak_pvalues import day_mixture_sf as _day_mixture_sf
from alerts.series import Series, parse_duration

# the parts live in outbreak_options (options), outbreak_baseline (profile, level, pooled quantities),
# outbreak_pvalues (dispersion, p-values, the busy-day tail) and outbreak_episodes (the scan, episodes, matches)
__all__ = ["OutbreakDetector", "OutbreakOptions", "_Geo", "_day_mixture_sf"]


@register
class OutbreakDetector(Detector):
    """Seasonal negative-binomial scan over several windows, α from the false-alarm budget; episodes adapt."""

    name: ClassVar[str] = "outbreak"
    Options = OutbreakOptions
    options: OutbreakOptions

    def detect(self, series: Series) -> list[SpikeMatch]:
        """Matches for one key (pooled quantities from this key alone)."""
        return self.detect_many({series.key: series})

    def detect_many(self, series: Mapping[str, Series]) -> list[SpikeMatch]:
        """Matches for many keys sharing one range; the profile, dispersion and prior are pooled over them."""
        groups: dict[tuple, list[Series]] = {}
        for s in series.values():
            groups.setdefault((s.start, s.step, len(s)), []).append(s)
        out: list[SpikeMatch] = []
        for group in groups.values():
            out.extend(self._detect_group(group))
        return sorted(out, key=lambda m: (m.bucket, m.key))

    def alpha(self, step: timedelta, w: int = 1) -> float:
        """The significance level of a ``w``-bucket window for a bucket length (see the module docstring).

        ``α_w ∝ w^window_weight_power``, scaled so that ``effective_tests × Σ_w (buckets per week / w) · α_w``
        equals the budget per key-week.
        """
        o = self.options
        budget = o.false_alarms_per_1000_key_weeks or 1.0
        per_week = WEEK / step
        g = o.window_weight_power
        tests = sum(per_week / v * v**g for v in self._windows(step)) * o.effective_tests
        return budget / 1000.0 / tests * w**g

    def _windows(self, step: timedelta) -> list[int]:
        return sorted({max(1, math.ceil(parse_duration(w) / step)) for w in self.options.windows})

    def _detect_group(self, group: list[Series]) -> list[SpikeMatch]:
        s0 = group[0]
        n = len(s0)
        if n == 0:
            return []
        step = s0.step
        geo = geography(s0.start, step, n)
        keys = [s for s in group if np.asarray(s.counts).any()]
        xs = [np.asarray(s.counts, dtype=np.float64) for s in keys]
        if not keys:
            return []
        wins = self._windows(step)
        alpha = {w: self.alpha(step, w) for w in wins}
        pool = pooled(self.options, keys, xs, geo, wins, step, alpha)
        out: list[SpikeMatch] = []
        for s, x in zip(keys, xs, strict=True):
            out.extend(scan(self.options, self.name, s, x, pool, geo, wins, alpha))
        return out
