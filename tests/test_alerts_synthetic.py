"""The generator's oracle: which planted spikes a detector held to the false-alarm budget could see at all."""

from __future__ import annotations

import math

import numpy as np
import pytest

from alerts.synthetic import PROFILES, Profile, _oracle_delay, _oracle_p, generate, oracle_alpha
from alerts.synthetic_score import score


def test_oracle_p_is_small_for_a_clear_rise_and_not_for_ordinary_counts() -> None:
    rate = np.full(48, 2.0)
    calm = np.full(48, 2)
    loud = calm.copy()
    loud[10:16] = 12  # 6 h at 6×
    assert _oracle_p(calm, rate, 10, 16, 20.0, 5.0) > 0.3
    assert _oracle_p(loud, rate, 10, 16, 20.0, 5.0) < oracle_alpha(6)
    assert _oracle_p(loud, rate, 10, 16, 5.0, 2.0) > _oracle_p(loud, rate, 10, 16, 40.0, 10.0)  # noisier: less sure
    assert 1 <= _oracle_delay(loud, rate, 10, 16, 20.0, 5.0) <= 6
    assert math.isnan(_oracle_delay(calm, rate, 10, 16, 20.0, 5.0))


def test_oracle_alpha_is_the_budget_split_over_one_window_length() -> None:
    assert oracle_alpha(168) == pytest.approx(1e-3) and oracle_alpha(1) * 168 == pytest.approx(1e-3)
    assert oracle_alpha(6, budget=5) == pytest.approx(5 * oracle_alpha(6))


def test_every_spike_has_an_oracle_verdict_and_visible_recall_counts_only_visible_spikes() -> None:
    data = generate(11, places=60, spike_share=0.6, new_places=0)
    spikes = [e for e in data.events if e.kind == "spike"]
    assert spikes and all(0.0 <= e.oracle_p <= 1.0 for e in spikes)
    visible = [e for e in spikes if e.oracle_p < oracle_alpha(e.end - e.start)]
    assert 0 < len(visible) < len(spikes)  # the generator plants both: some no detector can see
    assert all(math.isnan(e.oracle_delay) or 1 <= e.oracle_delay <= e.end - e.start for e in spikes)
    # a match at the start of every visible spike only: visible recall 1, overall recall below 1
    matched: dict[str, list[int]] = {}
    for e in visible:
        matched.setdefault(e.key, []).append(e.start)
    s = score(data, matched)
    assert s.visible == len(visible) and s.visible_recall == 1.0 and s.recall < 1.0
    assert s.spikes == len(spikes) and s.false_cases == 0
    assert data.expected.keys() == data.counts.keys() - {k for k in data.counts if k.startswith("new-")}


def test_rates_can_be_drawn_uniformly_and_a_bad_reading_is_refused() -> None:
    log = generate(21, places=120, spike_share=0, shift_share=0, rise_share=0, new_places=0)
    uni = generate(21, places=120, spike_share=0, shift_share=0, rise_share=0, new_places=0, rates="uniform")
    share = {k: float(np.mean([e.mean() > 0.3 for e in d.expected.values()])) for k, d in (("log", log), ("uni", uni))}
    assert share["uni"] > 0.8 > 0.6 > share["log"], share  # uniform on 0.02–3: most keys busy
    with pytest.raises(ValueError, match="rates"):
        generate(1, places=2, rates="normal")


def test_the_issue_profile_multiplies_the_busy_hour_rate_and_unknown_profiles_are_refused() -> None:
    kw = {"places": 80, "shift_share": 0, "rise_share": 0, "new_places": 0, "spike_share": 0.6}
    stress, issue = generate(31, **kw), generate(31, profile="issue", **kw)

    def extra_per_mean_hour(data) -> float:  # a spike's extra complaints an hour, in units of the key's mean rate
        per = [(data.counts[e.key][e.start:e.end].sum() - data.expected[e.key][e.start:e.end].sum())
               / (e.end - e.start) / data.expected[e.key].mean() for e in data.events if e.kind == "spike"]
        return float(np.median(per))

    assert extra_per_mean_hour(issue) > 1.5 * extra_per_mean_hour(stress)  # 3–10× the busy hour, not the mean
    same = generate(31, profile=PROFILES["issue"], **kw)
    assert all(np.array_equal(same.counts[k], issue.counts[k]) for k in issue.counts)
    assert generate(31, profile="stress", **kw).counts.keys() == stress.counts.keys()
    with pytest.raises(ValueError, match="profile"):
        generate(1, places=2, profile="easy")
    with pytest.raises(ValueError, match="spike_base"):
        generate(1, places=2, profile=Profile(spike_base="night"))
