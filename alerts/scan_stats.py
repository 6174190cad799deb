"""The statistics of the cluster scan: Kulldorff's log-likelihood ratio, exact permutations of nested windows
(multivariate hypergeometric draws) and the Gumbel tail SaTScan fits to the replicates."""

from __future__ import annotations

import math

import numpy as np

_EULER = 0.5772156649015329


def llr(c: np.ndarray, mu: np.ndarray, n: float) -> np.ndarray:
    """Kulldorff's log-likelihood ratio for ``c`` observed against ``μ`` of ``n`` in all (0 unless c > μ)."""
    c = np.asarray(c, dtype=np.float64)
    mu = np.maximum(np.asarray(mu, dtype=np.float64), 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = np.where(c > 0, c * np.log(np.maximum(c, 1e-300) / mu), 0.0)
        rest = n - c
        outside = np.where(rest > 0, rest * np.log(np.maximum(rest, 1e-300) / np.maximum(n - mu, 1e-12)), 0.0)
    return np.where(c > mu, inside + outside, 0.0)


def mvhg(rng: np.random.Generator, colors: np.ndarray, nsample: np.ndarray) -> np.ndarray:
    """Multivariate hypergeometric draws, one per row: ``nsample[r]`` balls from urns ``colors[r]``.

    Vectorised by halving: the balls going to the left half of each node are one hypergeometric draw.
    """
    r, k = colors.shape
    size = 1 << max(0, (k - 1).bit_length())
    c = np.zeros((r, size), dtype=np.int64)
    c[:, :k] = colors
    n = nsample.reshape(r, 1).astype(np.int64)
    nodes = 1
    while nodes < size:
        half = size // nodes // 2
        parts = c.reshape(r, nodes, 2, half).sum(axis=3)
        left = rng.hypergeometric(parts[:, :, 0], parts[:, :, 1], n)
        n = np.stack((left, n - left), axis=2).reshape(r, nodes * 2)
        nodes *= 2
    return n[:, :k]


def gumbel_sf(x: float, sample: np.ndarray) -> float:
    """``P(X ≥ x)`` under the Gumbel fitted to ``sample`` by moments; the empirical ``(k + 1) / (R + 1)`` when the
    sample has no spread (never 0: R replicates cannot show a tail below 1 / (R + 1))."""
    sd = float(sample.std(ddof=1)) if len(sample) > 1 else 0.0
    if sd <= 0:
        return (int((sample >= x).sum()) + 1) / (len(sample) + 1)
    beta = sd * math.sqrt(6) / math.pi
    loc = float(sample.mean()) - _EULER * beta
    return float(-np.expm1(-np.exp(-(x - loc) / beta)))
