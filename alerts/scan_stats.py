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


def poisson_llr(c: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """Each member's own Poisson log-likelihood ratio ``c·ln(c/μ) − (c − μ)`` (0 unless c > μ)."""
    c = np.asarray(c, dtype=np.float64)
    mu = np.maximum(np.asarray(mu, dtype=np.float64), 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(c > 0, c * np.log(np.maximum(c, 1e-300) / mu), 0.0) - (c - mu)
    return np.where(c > mu, v, 0.0)


def member_need(mu: np.ndarray, phi: np.ndarray | float, floor: int) -> np.ndarray:
    """The fewest complaints a member place counts with: ``floor``, or ``floor`` of its own standard deviations
    above its expected (``μ + floor·√(φμ)``) where that is more — a busy place's noise is no rise."""
    mu = np.asarray(mu)
    return np.maximum(float(floor), mu + floor * np.sqrt(np.asarray(phi) * mu))


def member_cap(mu: np.ndarray, phi: np.ndarray | float, floor: int, rise: float) -> np.ndarray:
    """The most a member place counts as: ``rise`` times its own expected, or :func:`member_need` where that is
    more — breadth, not height (a quiet place counts as one with ``floor`` complaints)."""
    return np.maximum(member_need(mu, phi, floor), rise * np.asarray(mu))


def member_scores(counts: np.ndarray, mu: np.ndarray, phi: np.ndarray | float, floor: int,
                  rise: float | None) -> np.ndarray:
    """Each member's own Poisson LLR of its count capped at :func:`member_cap`, over its dispersion ``φ``; 0 below
    :func:`member_need` (one complaint at a quiet place is common; a busy place's noise is no rise). ``rise`` None:
    every place from ``floor`` complaints and as one with ``floor`` (a place expecting more adds nothing)."""
    if rise is None:
        need = cap = np.full(np.shape(mu), float(floor))
    else:
        need, cap = member_need(mu, phi, floor), member_cap(mu, phi, floor, rise)
    counts, mu = np.asarray(counts, dtype=np.float64), np.asarray(mu, dtype=np.float64)
    need, cap = np.broadcast_to(need, counts.shape), np.broadcast_to(cap, counts.shape)
    out = np.zeros(np.broadcast_shapes(counts.shape, mu.shape))
    at = np.nonzero(counts >= need)  # few in a quiet window: the LLR only there
    mu_at = np.broadcast_to(mu, out.shape)[at]
    out[at] = poisson_llr(np.minimum(counts[at], cap[at]), mu_at)
    return out / phi


def unit_stats(counts: np.ndarray, mu_k: np.ndarray, mat: np.ndarray, idx: np.ndarray, total: float, *,
               min_members: int, min_count: int, statistic: str = "members", scale: np.ndarray | None = None,
               floor: int = 2, rise: float | None = None) -> tuple[np.ndarray, ...]:
    """Per (R, U) for counts ``(R, K)`` and their expected (members alarming on their own already zeroed): the
    statistic with its largest member left out, the qualifying mask, the unit's count and expected, and its count
    and expected without that member (0 where not qualifying).

    ``pooled``: Kulldorff's LLR of the unit's total without its most excessive member (one relative risk for all
    members). ``members``: the sum of each member's :func:`member_scores` (its own Poisson
    LLR, counted from ``floor`` complaints and as one with ``floor``, or with ``rise`` from ``floor`` standard
    deviations above its expected and up to ``rise`` × its expected, over its dispersion ``scale``) without the
    largest — several places each above their own expectation: a quiet member's two complaints count in full.
    """
    r = counts.shape[0]
    cu = counts @ mat  # (R, U)
    muu = mu_k @ mat
    members = (counts > 0).astype(np.float64) @ mat
    qual = (members >= min_members) & (cu >= min_count)
    if statistic == "members":
        g = member_scores(counts, mu_k, 1.0 if scale is None else scale, floor, rise)
        score = np.concatenate((g, np.full((r, 1), -np.inf)), axis=1)
    else:
        score = np.concatenate((counts - mu_k, np.full((r, 1), -np.inf)), axis=1)
    rr, uu = np.nonzero(qual)
    top = idx[uu, score[rr[:, None], idx[uu]].argmax(axis=1)]  # the largest member
    c_rest, mu_rest = np.zeros(cu.shape), np.zeros(cu.shape)
    c_rest[rr, uu] = cu[rr, uu] - counts[rr, top]
    mu_rest[rr, uu] = muu[rr, uu] - mu_k[rr, top]
    stat = np.zeros(cu.shape)
    ok = np.zeros(cu.shape, dtype=bool)
    if statistic == "members":
        stat[rr, uu] = (g @ mat)[rr, uu] - g[rr, top]
        ok[rr, uu] = stat[rr, uu] > 0
    else:
        ok[rr, uu] = c_rest[rr, uu] > mu_rest[rr, uu]
        stat[ok] = llr(c_rest[ok], mu_rest[ok], total)
    return stat, ok, cu, muu, c_rest, mu_rest


def members_max(counts: np.ndarray, mu_k: np.ndarray, mat: np.ndarray, idx: np.ndarray, *, min_members: int,
                min_count: int, floor: int = 2, rise: float | None = None) -> np.ndarray:
    """``unit_stats(…, statistic="members")[0].max(axis=1)`` at ``φ = 1`` (a permutation's), computed only for the
    units where it can be positive (two members scoring): the same values, for the Monte-Carlo's many replicates."""
    r = counts.shape[0]
    g = member_scores(counts, mu_k, 1.0, floor, rise)  # ≥ 0: a padded member (0) never changes the largest
    out = np.zeros(r)
    rr, uu = np.nonzero((g > 0).astype(np.float64) @ mat >= 2)
    if not len(rr):
        return out
    keep = (((counts > 0).astype(np.float64) @ mat)[rr, uu] >= min_members) & ((counts @ mat)[rr, uu] >= min_count)
    rr, uu = rr[keep], uu[keep]
    top = np.concatenate((g, np.zeros((r, 1))), axis=1)[rr[:, None], idx[uu]].max(axis=1)
    np.maximum.at(out, rr, (g @ mat)[rr, uu] - top)
    return out


def past_dispersion(cum: np.ndarray, tcum: np.ndarray, n: np.ndarray, t: int, w: int, lo: int, total: float,
                    lam: float) -> np.ndarray:
    """φ per row (a key or a unit; ``cum`` its cumulative counts, ``n`` its study-period count) for windows of ``w``
    buckets: its past non-overlapping windows ending at ``t − 2w, t − 3w, …`` within the study period give
    ``φ = (Σ(c − μ)² + λ) / (Σμ + λ)``, at least 1 (no past window: 1)."""
    ends = np.arange(t - 2 * w, lo + w - 2, -w)
    if not len(ends) or total <= 0:
        return np.ones(len(n))
    c = cum[:, ends + 1] - cum[:, ends + 1 - w]
    mu = np.outer(n, (tcum[ends + 1] - tcum[ends + 1 - w]) / total)
    return np.maximum((((c - mu) ** 2).sum(axis=1) + lam) / (mu.sum(axis=1) + lam), 1.0)
