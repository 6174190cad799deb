"""A seeded generator of realistic hourly complaint series, with planted spikes and traps, for benchmarks and tests.

What a town's keys really look like (docs/alerts.md, "Measuring detectors"):

- places with their own hour-of-week profile: quiet nights (00–06 at 5–25 % of the mean), a morning and an
  evening peak whose heights and hours differ by kind of place (compound, market, road, school), and a
  weekend factor from 0.5 to 1.8;
- one or more topic keys per place (``place|topic``), each with a mean rate log-uniform in 0.02–3 an hour;
- over-dispersion: counts are Poisson given a gamma-distributed rate, with an hourly gamma factor of shape
  2–10 and a daily one (busy days) of shape 5–40, so hours and whole days are noisier than Poisson
  (a negative-binomial mixture);
- planted spikes of 3–24 h at 3–10 × the key's mean rate, lifted where needed so that a spike brings at
  least ``min_excess`` extra complaints (a rise of 0.2 complaints is no event anyone could see);
- for every planted spike, ``oracle_p`` (and ``oracle_delay``, the hours that oracle needs on the spike's first
  hours): how unusual its count is to an oracle that knows the key's true
  hour-of-week rate and noise law (the gamma mixture above) and the spike's exact hours. A spike whose
  ``oracle_p`` is above the budget's per-test level for one window of its length (:func:`oracle_alpha`) is one
  that no detector held to the budget could see; :func:`alerts.synthetic_score.score` reports recall on the
  visible ones beside the recall on all;
- traps that must not open repeated cases: level shifts that never end (×2–4 from some hour on; one case is
  fair, then the baseline must adapt), slow rises over 3–6 weeks (to ×2–3; a trend, no case), brand-new
  places that get one or two complaints.

Two readings of the issue's words (:data:`PROFILES`): ``stress`` (the above: log-uniform rates, spikes at 3–10 × the
key's mean rate, weekend factor 0.5–1.8) and ``issue`` (uniform rates, spikes at 3–10 × the key's busy-hour rate,
weekend factor 0.7–1.3), chosen on seeds 1–2 so that the old detectors give about the issue's reference figures.

Everything is drawn from ``numpy.random.default_rng(seed)``: the same seed gives the same series.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import numpy as np
from scipy.stats import nbinom

from alerts.series import Series

START = datetime(2026, 8, 30, 16, tzinfo=UTC)  # Monday 2026-08-31 00:00 Asia/Shanghai
HOUR = timedelta(hours=1)
TOPICS = ("sanitation", "parking", "noise", "construction", "signage", "greenery")


@dataclass(frozen=True)
class Planted:
    """One planted event: ``kind`` is spike, shift, rise or new; buckets ``[start, end)`` (end = n: never ends)."""

    key: str
    kind: str
    start: int
    end: int
    factor: float
    oracle_p: float = float("nan")
    oracle_delay: float = float("nan")


@dataclass
class SyntheticSet:
    """Dense hourly counts per key over one range, and what was planted."""

    start: datetime
    counts: dict[str, np.ndarray]
    events: list[Planted] = field(default_factory=list)
    noise: dict[str, tuple[float, float]] = field(default_factory=dict)  # per key: gamma shapes (day, hour)
    expected: dict[str, np.ndarray] = field(default_factory=dict)  # per key: the true hourly rate without noise

    @property
    def n(self) -> int:
        """Buckets per key."""
        return len(next(iter(self.counts.values()))) if self.counts else 0

    def series(self) -> dict[str, Series]:
        """The keys as :class:`Series` (what the detectors take)."""
        return {k: Series(k, self.start, HOUR, v) for k, v in self.counts.items()}

    def csv_rows(self) -> list[tuple[str, datetime, int]]:
        """Sparse ``(key, bucket, count)`` rows, as ``alerts series`` prints them."""
        return [(k, self.start + HOUR * int(i), int(v[i])) for k, v in self.counts.items() for i in np.flatnonzero(v)]


def _day_shape(rng: np.random.Generator, kind: str) -> np.ndarray:
    """24 hourly factors (mean 1): quiet night, a morning and an evening peak depending on the kind of place."""
    h = np.arange(24)
    peaks = {"compound": ((8.0, 0.5), (20.0, 1.3)), "market": ((7.5, 1.4), (17.5, 0.6)),
             "road": ((8.0, 1.1), (18.0, 1.0)), "school": ((7.5, 1.2), (16.5, 1.0))}[kind]
    shape = np.full(24, 0.35)
    for centre, height in peaks:
        c = centre + rng.normal(0, 0.7)
        shape += height * rng.uniform(0.6, 1.4) * np.exp(-0.5 * ((h - c) / rng.uniform(1.2, 2.8)) ** 2)
    night = (h < 6) | (h >= 23)
    shape[night] *= rng.uniform(0.15, 0.6)
    return shape / shape.mean()


def _place_profile(rng: np.random.Generator, weekend_factor: tuple[float, float] = (0.5, 1.8)) -> np.ndarray:
    """168 hour-of-week factors (mean 1), Monday 00:00 first; ``weekend_factor``: its range."""
    kind = str(rng.choice(["compound", "market", "road", "school"], p=[0.45, 0.2, 0.25, 0.1]))
    weekday, weekend = _day_shape(rng, kind), _day_shape(rng, kind)
    wk = rng.uniform(*weekend_factor) if kind != "school" else rng.uniform(0.3, 0.7)
    days = [weekday * rng.uniform(0.9, 1.1) for _ in range(5)] + [weekend * wk, weekend * wk * rng.uniform(0.8, 1.1)]
    prof = np.concatenate(days)
    return prof / prof.mean()


def _oracle_p(x: np.ndarray, rate: np.ndarray, start: int, end: int, k_day: float, k_hour: float) -> float:
    """``P(X ≥ observed)`` over a spike's hours under the key's true null law (no spike), a negative binomial
    with the mixture's mean and variance: mean ``Σ rate``, variance ``Σ rate + Σ_day R_d²/k_day + Σ rate²/k_hour``."""
    r = rate[start:end]
    m = float(r.sum())
    days = np.bincount(np.arange(start, end) // 24 - start // 24, weights=r)
    theta = (float((days**2).sum()) / k_day + float((r**2).sum()) / k_hour) / (m * m)
    size = 1.0 / theta
    return float(nbinom.sf(int(x[start:end].sum()) - 1, size, size / (size + m)))


def _oracle_delay(x: np.ndarray, rate: np.ndarray, start: int, end: int, k_day: float, k_hour: float) -> float:
    """Hours from a spike's start until the oracle of :func:`_oracle_p` sees its first ``h`` hours at the budget
    (``oracle_alpha(h)``, budget 1); NaN if never within the spike."""
    for h in range(1, end - start + 1):
        if _oracle_p(x, rate, start, start + h, k_day, k_hour) < oracle_alpha(h):
            return float(h)
    return float("nan")


def oracle_alpha(hours: int, budget: float = 1.0) -> float:
    """The per-test level of an oracle scanning only windows of ``hours`` hourly buckets at ``budget`` false alarms
    per 1,000 key-weeks (``168/hours`` tests a week): the most lenient level any detector held to the budget has."""
    return budget / 1000.0 * hours / 168.0


@dataclass(frozen=True)
class Profile:
    """How the generator reads the issue's words (rates 0.02–3 an hour, spikes of 3–24 h at 3–10× "the rate",
    negative-binomial noise); see :data:`PROFILES`."""

    rates: str = "log-uniform"  # log-uniform or uniform on 0.02–3 an hour
    spike_base: str = "mean"  # the rate a spike multiplies: mean (the key's), peak (its busy hour), hour (each hour's)
    min_excess: float = 10.0  # least expected extra complaints a spike brings (lifted to it)
    k_hour: tuple[float, float] = (2.0, 10.0)  # gamma shape range of the hourly noise factor
    k_day: tuple[float, float] = (5.0, 40.0)  # gamma shape range of the daily (busy-day) factor
    weekend: tuple[float, float] = (0.5, 1.8)  # range of a place's weekend factor (schools: 0.3–0.7)


#: ``stress``: the harder reading (the key's mean rate, log-uniform, spikes lifted to 10 extra complaints);
#: ``issue``: calibrated on seeds 1–2 so that ``spike``, ``cusum`` and the ElastAlert-style rule give about the
#: issue's reference figures (docs/alerts.md, "Benchmark").
PROFILES: dict[str, Profile] = {
    "stress": Profile(),
    "issue": Profile(rates="uniform", spike_base="peak", weekend=(0.7, 1.3)),
}


def generate(seed: int, *, places: int = 300, weeks: int = 8, spike_share: float = 0.3, shift_share: float = 0.04,
             rise_share: float = 0.04, new_places: int = 20, min_excess: float | None = None,
             rates: str | None = None, profile: str | Profile = "stress") -> SyntheticSet:
    """Hourly series for ``places`` places (1–3 topic keys each) over ``weeks`` weeks, seeded.

    ``profile``: a name of :data:`PROFILES` or a :class:`Profile`; ``min_excess`` and ``rates`` override it.
    ``rates``: how a key's mean rate is drawn from 0.02–3 an hour — ``log-uniform`` (as many keys at 0.02–0.2 as
    at 0.3–3, like a town's long tail of quiet places) or ``uniform`` (most keys busy; the other reading of
    "rates from 0.02 to 3 an hour").
    """
    if isinstance(profile, str):
        if profile not in PROFILES:
            raise ValueError(f"profile: one of {', '.join(PROFILES)}, not {profile!r}")
        profile = PROFILES[profile]
    prof_ = replace(profile, **{k: v for k, v in (("rates", rates), ("min_excess", min_excess)) if v is not None})
    rates, min_excess = prof_.rates, prof_.min_excess
    if rates not in ("log-uniform", "uniform"):
        raise ValueError(f"rates: log-uniform or uniform, not {rates!r}")
    if prof_.spike_base not in ("mean", "peak", "hour"):
        raise ValueError(f"spike_base: mean, peak or hour, not {prof_.spike_base!r}")
    rng = np.random.default_rng(seed)
    n = weeks * 168
    hours = np.arange(n)
    counts: dict[str, np.ndarray] = {}
    events: list[Planted] = []
    noise: dict[str, tuple[float, float]] = {}
    expected: dict[str, np.ndarray] = {}
    for p in range(places):
        prof = np.tile(_place_profile(rng, prof_.weekend), weeks)
        for topic in rng.choice(TOPICS, size=int(rng.choice([1, 1, 2, 3])), replace=False):
            key = f"pl-{seed}-{p:03d}|{topic}"
            mean = float(np.exp(rng.uniform(np.log(0.02), np.log(3.0)))) if rates == "log-uniform" \
                else float(rng.uniform(0.02, 3.0))
            rate = mean * prof
            u = rng.random()
            if u < shift_share:
                at = int(rng.integers(14 * 24, n - 7 * 24))
                f = float(rng.uniform(2, 4))
                rate[at:] *= f
                events.append(Planted(key, "shift", at, n, f))
            elif u < shift_share + rise_share:
                at = int(rng.integers(0, 21 * 24))
                span = int(rng.integers(21, 43)) * 24
                f = float(rng.uniform(2, 3))
                ramp = np.clip((hours - at) / span, 0, 1)
                rate *= 1 + (f - 1) * ramp
                events.append(Planted(key, "rise", at, n, f))
            k_hour, k_day = rng.uniform(*prof_.k_hour), rng.uniform(*prof_.k_day)
            noise[key], expected[key] = (k_day, k_hour), rate
            day_noise = np.repeat(rng.gamma(k_day, 1 / k_day, size=weeks * 7), 24)
            lam = rate * day_noise * rng.gamma(k_hour, 1 / k_hour, size=n)
            if rng.random() < spike_share:
                for _ in range(1 if rng.random() < 0.8 else 2):
                    d = int(rng.integers(3, 25))
                    at = int(rng.integers(10 * 24, n - d - 24))
                    if any(e.key == key and e.start - 48 < at < e.end + 48 for e in events):
                        continue
                    f = float(rng.uniform(3, 10))
                    base = {"mean": np.full(d, mean), "peak": np.full(d, float(rate[:168].max())),
                            "hour": rate[at:at + d]}[prof_.spike_base]
                    extra = (f - 1) * base * max(1.0, min_excess / ((f - 1) * float(base.sum())))
                    lam[at:at + d] += extra * rng.gamma(4.0, 0.25, size=d)
                    events.append(Planted(key, "spike", at, at + d, f))
            counts[key] = rng.poisson(lam).astype(np.int64)
            events = [replace(e, oracle_p=_oracle_p(counts[key], rate, e.start, e.end, k_day, k_hour),
                              oracle_delay=_oracle_delay(counts[key], rate, e.start, e.end, k_day, k_hour))
                      if e.key == key and e.kind == "spike" else e for e in events]
    for j in range(new_places):
        key = f"new-{seed}-{j:03d}|{TOPICS[j % len(TOPICS)]}"
        c = np.zeros(n, dtype=np.int64)
        at = int(rng.integers(21 * 24, n - 24))
        c[at] += 1
        if rng.random() < 0.5:
            c[at + int(rng.integers(0, 6))] += 1
        counts[key] = c
        events.append(Planted(key, "new", at, n, 1.0))
    return SyntheticSet(START, counts, events, noise, expected)
