"""Upper-tail probabilities of Poisson and negative-binomial counts (pure Python, no SciPy needed)."""

from __future__ import annotations

import math


def _log_pmf(k: int, mean: float, size: float | None) -> float:
    if size is None or math.isinf(size):
        return k * math.log(mean) - mean - math.lgamma(k + 1)
    p = size / (size + mean)
    return (math.lgamma(k + size) - math.lgamma(size) - math.lgamma(k + 1)
            + size * math.log(p) + k * math.log1p(-p))


def count_sf(x: float, mean: float, size: float | None = None) -> float:
    """P(X ≥ x) for X ~ NB(mean, size) (variance mean + mean²/size), or Poisson(mean) when size is None/inf."""
    x = math.ceil(x)
    if x <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    if x <= mean:  # the lower sum is short and accurate here
        return max(0.0, 1.0 - sum(math.exp(_log_pmf(k, mean, size)) for k in range(x)))
    total, k = 0.0, x
    while True:
        term = math.exp(_log_pmf(k, mean, size))
        total += term
        if (term < total * 1e-15 and k > mean) or term == 0.0 or k > x + 100_000:
            return min(1.0, total)
        k += 1
