"""Scoring a detector on a :class:`alerts.synthetic.SyntheticSet`: recall (overall and on visible spikes), false
cases per 1,000 key-weeks, delay and level-shift cases (docs/alerts.md, "Benchmark")."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from alerts.synthetic import Planted, SyntheticSet, oracle_alpha


@dataclass
class Score:
    """How a detector did on a :class:`SyntheticSet` (see :func:`score`)."""

    spikes: int = 0
    detected: int = 0
    delays: list[int] = field(default_factory=list)
    false_cases: int = 0
    key_weeks: float = 0.0
    shifts: int = 0
    shift_cases: int = 0
    false_by_kind: dict[str, int] = field(default_factory=dict)
    visible: int = 0
    visible_detected: int = 0
    visible_delays: list[int] = field(default_factory=list)

    @property
    def visible_recall(self) -> float:
        """Recall on the spikes an oracle held to the budget could see (``oracle_p < oracle_alpha``)."""
        return self.visible_detected / self.visible if self.visible else 1.0

    @property
    def recall(self) -> float:
        """Share of planted spikes with a match between their start and 24 h after their end."""
        return self.detected / self.spikes if self.spikes else 1.0

    @property
    def false_per_1000(self) -> float:
        """False cases per 1,000 key-weeks."""
        return 1000.0 * self.false_cases / self.key_weeks if self.key_weeks else 0.0

    @property
    def median_delay(self) -> float:
        """Median hours from a spike's start to the end of the first matching bucket."""
        return float(np.median(self.delays)) if self.delays else float("nan")


def score(data: SyntheticSet, matched: dict[str, list[int]], *, grace: int = 24, shift_window: int = 7 * 24,
          budget: float = 1.0) -> Score:
    """Score matches (bucket indices per key) against what was planted.

    A match from a spike's start to ``grace`` buckets after its end detects it (delay = buckets to the end of the
    matching one). For a level shift, the first case starting within ``shift_window`` of its onset is the fair one.
    Every other match is false; false matches on one key less than 24 h apart form one false case. Spikes with
    ``oracle_p < oracle_alpha(length, budget)`` are also counted apart as *visible*.
    """
    out = Score(key_weeks=len(data.counts) * data.n / 168)
    by_key: dict[str, list[Planted]] = {}
    for e in data.events:
        by_key.setdefault(e.key, []).append(e)
    for key in data.counts:
        idx = sorted(matched.get(key, []))
        events = by_key.get(key, [])
        false: list[int] = []
        claimed: set[int] = set()
        for e in events:
            if e.kind == "spike":
                out.spikes += 1
                hits = [i for i in idx if e.start <= i < e.end + grace]
                visible = e.oracle_p < oracle_alpha(e.end - e.start, budget)
                out.visible += visible
                if hits:
                    out.detected += 1
                    out.delays.append(hits[0] - e.start + 1)
                    if visible:
                        out.visible_detected += 1
                        out.visible_delays.append(hits[0] - e.start + 1)
                claimed.update(hits)
            elif e.kind == "shift":
                out.shifts += 1
                first = [i for i in idx if e.start <= i < e.start + shift_window]
                if first:
                    out.shift_cases += 1
                    run = [first[0]]
                    for i in idx:
                        if i > run[-1] and i - run[-1] < 24:
                            run.append(i)
                    claimed.update(run)
        false = [i for i in idx if i not in claimed]
        cases = sum(1 for j, i in enumerate(false) if j == 0 or i - false[j - 1] >= 24)
        out.false_cases += cases
        if cases:
            kind = next((e.kind for e in events if e.kind != "spike"), "spike-key" if events else "plain")
            out.false_by_kind[kind] = out.false_by_kind.get(kind, 0) + cases
    return out
