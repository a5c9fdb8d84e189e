"""A figure over replications: its mean and a 95% confidence interval (Student's t).

Each replication gives one value of a figure, independent of the others (its own seeds);
the interval is mean ± t(0.975, n - 1) · s / √n, s the sample standard deviation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ivraudit.frozen import frozen

LEVEL = 0.95


@frozen
class Estimate:
    """A figure's mean over the replications that have it, and its 95% interval (None
    with fewer than two such replications, or none at all)."""

    mean: float | None
    low: float | None = None
    high: float | None = None
    n: int = 0  # replications that have a value (a queue no call reached has no wait)

    @property
    def half_width(self) -> float | None:
        """Return half the interval's width (None without one)."""
        if self.low is None or self.high is None:
            return None
        return (self.high - self.low) / 2.0


def estimate(values: Sequence[float | None]) -> Estimate:
    """Return the mean and 95% interval of the values that are not None."""
    xs = [v for v in values if v is not None]
    n = len(xs)
    if n == 0:
        return Estimate(None)
    mean = math.fsum(xs) / n
    if n < 2:
        return Estimate(mean, n=n)
    var = math.fsum((x - mean) ** 2 for x in xs) / (n - 1)
    half = t_quantile(n - 1) * math.sqrt(var / n)
    return Estimate(mean, mean - half, mean + half, n)


def t_quantile(df: int, level: float = LEVEL) -> float:
    """Return t such that P(|T| < t) = `level` for Student's T with `df` degrees of
    freedom, by bisection on the exact distribution (Abramowitz & Stegun 26.7.3-4)."""
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, not {df}")
    low, high = 0.0, 1.0
    while _central(high, df) < level:
        high *= 2.0
    for _ in range(200):
        mid = (low + high) / 2.0
        if _central(mid, df) < level:
            low = mid
        else:
            high = mid
        if high - low < 1e-12:
            break
    return (low + high) / 2.0


def _central(t: float, df: int) -> float:
    """Return P(|T| < t), T with `df` (a whole number) degrees of freedom."""
    theta = math.atan(t / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    s = math.sin(theta)
    if df % 2 == 1:
        term, total = math.cos(theta), 0.0
        if df > 1:
            total = term
            for k in range(3, df - 1, 2):
                term *= c2 * (k - 1) / k
                total += term
        return 2.0 / math.pi * (theta + s * total)
    term, total = 1.0, 1.0
    for k in range(2, df - 1, 2):
        term *= c2 * (k - 1) / k
        total += term
    return s * total
