"""Detectors on synthetic series: steady, doubling, slow rise, plateau, zero baseline, late data, restart."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from alerts.detectors import CusumDetector, SpikeDetector, build_detector
from alerts.detectors.stats import count_sf
from alerts.series import Series
from core import ConfigError

START = datetime(2026, 9, 30, 16, tzinfo=UTC)  # 2026-10-01 00:00 Asia/Shanghai
H = timedelta(hours=1)


def daily(per_day: list[int]) -> np.ndarray:
    """Hourly counts with each day's complaints spread evenly over its daytime hours (8:00–19:00)."""
    out = np.zeros(24 * len(per_day), dtype=np.int64)
    for d, k in enumerate(per_day):
        for j in range(k):
            out[24 * d + 8 + (j * 12) // max(k, 1)] += 1
    return out


def series(counts: np.ndarray, key: str = "p1|sanitation") -> Series:
    return Series(key, START, H, np.asarray(counts, dtype=np.int64))


SPIKE2 = SpikeDetector(SpikeDetector.Options(spike_height=2, threshold_cur=5))
CUSUM = CusumDetector()


@pytest.mark.parametrize("det", [SPIKE2, CUSUM, SpikeDetector()], ids=["spike-h2", "cusum", "spike"])
def test_steady_series_never_fires(det) -> None:
    assert det.detect(series(daily([3] * 56))) == []


def test_poisson_noise_at_a_typical_rate_stays_quiet() -> None:
    rng = np.random.default_rng(7)
    for seed in range(20):
        counts = np.random.default_rng(seed).poisson(np.full(24 * 56, 0.5 / 24))
        assert CUSUM.detect(series(counts)) == []
        assert SpikeDetector().detect(series(counts)) == []
    assert rng is not None


def test_doubling_fires_once_for_both_and_the_plateau_never_repeats() -> None:
    counts = daily([3] * 30 + [6] * 26)  # doubles on day 30 and stays there (a plateau)
    for det in (SPIKE2, CUSUM):
        matches = det.detect(series(counts))
        assert len(matches) == 1, det.name
        m = matches[0]
        assert START + timedelta(days=30) <= m.bucket < START + timedelta(days=37)
        assert m.count >= 5 and m.baseline < m.count and m.score > 1
        assert m.window_start < m.window_end == m.bucket + H


def test_spike_match_explains_itself() -> None:
    m = SPIKE2.detect(series(daily([3] * 30 + [6] * 26)))[0]
    assert m.details["spike_count"] == m.count == 6
    assert m.details["reference_count"] == m.baseline == 3
    assert m.score == 2.0
    assert m.window_end - m.window_start == timedelta(hours=24)
    line = m.to_json()
    assert line["key"] == "p1|sanitation" and line["detector"] == "spike" and line["bucket"].endswith("+08:00")


def test_cusum_match_carries_baseline_and_p_value() -> None:
    m = CUSUM.detect(series(daily([3] * 30 + [6] * 26)))[0]
    assert m.details["baseline_per_day"] == pytest.approx(3.0)
    assert m.details["dispersion_size_per_day"] is None  # the steady days show no over-dispersion
    assert 0 < m.details["p_value"] < 0.01
    assert m.details["cusum"] > m.details["h"]


def test_slow_rise_is_caught_by_cusum_not_by_the_ratio_rule() -> None:
    ramp = [1 + (3 * d) // 20 for d in range(21)]  # 1/day creeping up to 4/day over three weeks
    counts = daily([1] * 35 + ramp)
    assert SpikeDetector().detect(series(counts)) == []
    assert SPIKE2.detect(series(counts)) == []
    matches = CUSUM.detect(series(counts))
    assert len(matches) == 1
    assert matches[0].bucket >= START + timedelta(days=35)


def test_zero_baseline_rules() -> None:
    burst = np.zeros(24 * 30, dtype=np.int64)
    burst[24 * 29 + 9: 24 * 29 + 12] = 2  # 6 complaints within three hours at a place never mentioned
    (m,) = SpikeDetector().detect(series(burst))
    assert m.baseline == 0 and m.count == 6 and m.score == 6
    # ElastAlert's rule (ref_floor 0): a single complaint on an empty reference fires
    one = np.zeros(24 * 30, dtype=np.int64)
    one[24 * 29 + 9] = 1
    elastalert = build_detector("spike", {"ref_floor": 0, "threshold_cur": 1})
    assert len(elastalert.detect(series(one))) == 1
    assert SpikeDetector().detect(series(one)) == []  # ours needs max(threshold_cur, spike_height)
    assert build_detector("spike", {"threshold_ref": 1}).detect(series(burst)) == []
    big = burst.copy()
    big[24 * 29 + 12: 24 * 29 + 15] = 2  # 12 in six hours: the CUSUM (tuned for doubling) needs more
    (c,) = CUSUM.detect(series(big))
    assert c.details["baseline_per_day"] == pytest.approx(0.5)  # the floor


def test_warm_up() -> None:
    short = np.zeros(30, dtype=np.int64)
    short[-3:] = 5
    assert SpikeDetector().detect(series(short)) == []  # both 24 h windows do not fit yet
    assert CUSUM.detect(series(short)) == []  # fewer than min_history_days of baseline
    counts = np.zeros(24 * 10, dtype=np.int64)
    counts[24 * 5 + 9] = 1
    counts[24 * 6 + 9: 24 * 6 + 12] = 3  # 9 complaints the day after a key's first complaint
    (early,) = SpikeDetector().detect(series(counts))
    assert early.bucket == START + timedelta(days=6, hours=10)
    # ElastAlert's default: nothing until 2 × timeframe after the first complaint; then the window still holds it
    strict = build_detector("spike", {"alert_on_new_data": False})
    (late,) = strict.detect(series(counts))
    assert late.bucket == START + timedelta(days=7, hours=8)


def test_late_data_recounts_its_bucket() -> None:
    counts = daily([2] * 30) + 0
    counts[24 * 29 + 10] += 2  # two of the day's six extra complaints crawled so far
    before = SpikeDetector().detect(series(counts))
    counts[24 * 29 + 10] += 4  # the late ones arrive, published in the same hour
    after = SpikeDetector().detect(series(counts))
    assert before == []
    assert [m.bucket for m in after] == [START + timedelta(days=29, hours=10)]


@pytest.mark.parametrize("det", [SpikeDetector(), SPIKE2, CUSUM], ids=["spike", "spike-h2", "cusum"])
def test_restart_finds_the_same_matches(det) -> None:
    rng = np.random.default_rng(3)
    rates = np.concatenate([np.full(24 * 35, 1 / 24), np.full(24 * 7, 5 / 24), np.full(24 * 14, 1 / 24)])
    full = series(rng.poisson(rates))
    everything = det.detect(full)
    assert everything, "the planted rise must fire"
    for cut in (24 * 30, 24 * 36, 24 * 38 + 5, 24 * 45, len(full) - 1):
        before = [m for m in everything if m.bucket < full.bucket_at(cut)]
        assert det.detect(full.truncated(cut)) == before


def test_registry_and_option_errors() -> None:
    assert isinstance(build_detector("cusum", {"h": 4}), CusumDetector)
    with pytest.raises(ConfigError, match="unknown detector 'nope'"):
        build_detector("nope")
    with pytest.raises(ConfigError, match=r"spike\.spike_hieght: unknown option"):
        build_detector("spike", {"spike_hieght": 2})
    with pytest.raises(ConfigError, match=r"spike\.timeframe"):
        build_detector("spike", {"timeframe": "soon"})
    assert isinstance(build_detector("alerts.detectors.spike:SpikeDetector"), SpikeDetector)


def test_count_tail_probabilities() -> None:
    assert count_sf(1, 1.0) == pytest.approx(1 - math.exp(-1))
    assert count_sf(0, 3.0) == 1.0
    assert count_sf(3, 0.0) == 0.0
    assert count_sf(20, 2.0, 1e9) == pytest.approx(count_sf(20, 2.0), rel=1e-4)
    assert count_sf(10, 2.0, 1.0) > count_sf(10, 2.0)  # over-dispersion fattens the tail
    stats = pytest.importorskip("scipy.stats")
    for x, mean, size in ((5, 2.0, 0.7), (12, 3.5, 4.0), (2, 6.0, 2.0), (40, 4.0, None)):
        dist = stats.poisson(mean) if size is None else stats.nbinom(size, size / (size + mean))
        expected = dist.sf(x - 1)
        assert count_sf(x, mean, size) == pytest.approx(expected, rel=1e-6, abs=1e-300)


def test_spike_p_value_guard() -> None:
    counts = daily([3] * 30 + [6] * 26)
    (m,) = SPIKE2.detect(series(counts))
    assert m.details["p_value"] == pytest.approx(count_sf(6, 3.0))
    guarded = build_detector("spike", {"spike_height": 2, "threshold_cur": 5, "max_p_value": 0.01})
    assert guarded.detect(series(counts)) == []  # 6 against 3 is not unusual enough for a Poisson count
    assert len(guarded.detect(series(daily([3] * 30 + [12] * 26)))) == 1
