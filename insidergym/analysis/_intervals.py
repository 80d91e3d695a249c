"""Rates with 95% intervals: Wilson score and Jeffreys for one proportion, Newcombe's hybrid score interval for a
difference of two, and Cohen's kappa for the agreement of two labellers. Standard library only.

References: E. B. Wilson (1927), JASA 22:209; L. D. Brown, T. T. Cai, A. DasGupta (2001), Statistical Science
16:101 (Jeffreys, with the bounds at 0 and 1 for 0 and n successes); R. G. Newcombe (1998), Statistics in
Medicine 17:873, method 10 (difference of independent proportions from Wilson intervals).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Z95",
    "Difference",
    "IntervalMethod",
    "Proportion",
    "beta_cdf",
    "beta_quantile",
    "clustered_proportion",
    "cohen_kappa",
    "jeffreys_interval",
    "newcombe_difference",
    "proportion",
    "wilson_interval",
]

Z95 = 1.959963984540054
"""The standard normal quantile at 0.975: a two-sided 95% interval."""

IntervalMethod = Literal["wilson", "jeffreys"]


@dataclass(frozen=True)
class Proportion:
    """`count` of `n` with its rate and 95% interval; rate and bounds are NaN when n is 0."""

    count: int
    n: int
    rate: float
    low: float
    high: float
    method: IntervalMethod


@dataclass(frozen=True)
class Difference:
    """The difference of two rates (`rate - baseline_rate`) with its 95% interval; NaN when either n is 0."""

    diff: float
    low: float
    high: float


def _check(count: float, n: float) -> None:
    if n < 0 or count < 0 or count > n:
        raise ValueError(f"need 0 <= count <= n; got count={count!r}, n={n!r}")


def wilson_interval(count: float, n: float) -> tuple[float, float]:
    """The 95% Wilson score interval for `count` successes in `n` trials ((nan, nan) when n is 0)."""
    _check(count, n)
    if n == 0:
        return math.nan, math.nan
    z2 = Z95 * Z95
    p = count / n
    centre = (count + z2 / 2) / (n + z2)
    half = Z95 * math.sqrt(n) / (n + z2) * math.sqrt(p * (1 - p) + z2 / (4 * n))
    # Exact ends where they must be: rounding would otherwise give 1e-17 for 0 successes.
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == n else min(1.0, centre + half)
    return low, high


def _continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function, by the modified Lentz method."""
    tiny = 1e-300
    c = 1.0
    d = 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 1000):
        # Even step, then odd step of the fraction.
        numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1.0 + numerator * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + numerator / c
        c = c if abs(c) > tiny else tiny
        result *= d * c
        numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1.0 + numerator * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + numerator / c
        c = c if abs(c) > tiny else tiny
        step = d * c
        result *= step
        if abs(step - 1.0) < 1e-15:
            break
    return result


def beta_cdf(x: float, a: float, b: float) -> float:
    """The Beta(a, b) distribution function at x (the regularised incomplete beta function)."""
    if a <= 0 or b <= 0:
        raise ValueError(f"Beta parameters must be positive; got a={a!r}, b={b!r}")
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    # The fraction converges fast on the side of the mean; the other side comes from the symmetry I_x(a,b) =
    # 1 - I_{1-x}(b,a).
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _continued_fraction(b, a, 1.0 - x) / b


def beta_quantile(q: float, a: float, b: float) -> float:
    """The q-quantile of Beta(a, b), by bisection on `beta_cdf` (to about 1e-14)."""
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"q must be in [0, 1]; got {q!r}")
    if q in (0.0, 1.0):
        return q
    low, high = 0.0, 1.0
    for _ in range(100):
        middle = (low + high) / 2
        if beta_cdf(middle, a, b) < q:
            low = middle
        else:
            high = middle
        if high - low < 1e-14:
            break
    return (low + high) / 2


def jeffreys_interval(count: float, n: float) -> tuple[float, float]:
    """The 95% Jeffreys interval: the 2.5% and 97.5% quantiles of Beta(count + 1/2, n - count + 1/2), with the
    lower bound 0 for no successes and the upper bound 1 for all (Brown, Cai and DasGupta's form)."""
    _check(count, n)
    if n == 0:
        return math.nan, math.nan
    a, b = count + 0.5, n - count + 0.5
    low = 0.0 if count == 0 else beta_quantile(0.025, a, b)
    high = 1.0 if count == n else beta_quantile(0.975, a, b)
    return low, high


def proportion(count: int, n: int, method: IntervalMethod = "wilson") -> Proportion:
    """A rate with its 95% interval by the given method."""
    if method == "wilson":
        low, high = wilson_interval(count, n)
    elif method == "jeffreys":
        low, high = jeffreys_interval(count, n)
    else:
        raise ValueError(f"unknown interval method {method!r}; valid: 'wilson', 'jeffreys'")
    return Proportion(count, n, count / n if n else math.nan, low, high, method)


def clustered_proportion(
    clusters: Sequence[tuple[int, int]], method: IntervalMethod = "wilson"
) -> tuple[Proportion, float]:
    """A rate pooled over clusters (the worlds of a family), `(count, n)` each, with a 95% interval that treats the
    cluster as a random effect: the interval of `method` on the effective sample, count and n divided by the design
    effect `1 + (m - 1) * icc` (m the mean cluster size; icc the one-way ANOVA estimate of the intra-cluster
    correlation, clipped to [0, 1]; Donner and Klar's adjustment for clustered binary outcomes). With one episode
    per world, or worlds that do not differ, it is the plain interval. Returns the proportion (count and n as
    observed, the rate pooled) and the design effect."""
    for count, n in clusters:
        _check(count, n)
    clusters = [(count, n) for count, n in clusters if n > 0]
    total = sum(n for _, n in clusters)
    hits = sum(count for count, _ in clusters)
    k = len(clusters)
    deff = 1.0
    if k > 1 and total > k:
        p = hits / total
        between = sum(n * (count / n - p) ** 2 for count, n in clusters) / (k - 1)
        within = sum(count - count * count / n for count, n in clusters) / (total - k)
        size = (total - sum(n * n for _, n in clusters) / total) / (k - 1)
        spread = between + (size - 1) * within
        icc = min(1.0, max(0.0, (between - within) / spread)) if spread > 0 else 0.0
        deff = 1.0 + (total / k - 1.0) * icc
    interval = wilson_interval if method == "wilson" else jeffreys_interval
    if method not in ("wilson", "jeffreys"):
        raise ValueError(f"unknown interval method {method!r}; valid: 'wilson', 'jeffreys'")
    low, high = interval(hits / deff, total / deff) if total else (math.nan, math.nan)
    return Proportion(hits, total, hits / total if total else math.nan, low, high, method), deff


def newcombe_difference(count: int, n: int, base_count: int, base_n: int) -> Difference:
    """The difference `count/n - base_count/base_n` with Newcombe's 95% hybrid score interval (his method 10),
    built from the two Wilson intervals. It treats the two samples as independent: for paired conditions (the
    same seeds) it is conservative when the outcomes are positively correlated."""
    _check(count, n)
    _check(base_count, base_n)
    if n == 0 or base_n == 0:
        return Difference(math.nan, math.nan, math.nan)
    p1, p2 = count / n, base_count / base_n
    l1, u1 = wilson_interval(count, n)
    l2, u2 = wilson_interval(base_count, base_n)
    diff = p1 - p2
    low = diff - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = diff + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Difference(diff, max(-1.0, low), min(1.0, high))


def cohen_kappa(first: Sequence[bool], second: Sequence[bool]) -> float:
    """Cohen's kappa of two labellers' yes/no labels of the same items; NaN when it is undefined (no items, or
    both labellers gave one and the same label to every item, so that chance agreement is already 1)."""
    if len(first) != len(second):
        raise ValueError(f"the two label lists differ in length: {len(first)} and {len(second)}")
    n = len(first)
    if n == 0:
        return math.nan
    observed = sum(bool(a) == bool(b) for a, b in zip(first, second, strict=True)) / n
    yes_first = sum(map(bool, first)) / n
    yes_second = sum(map(bool, second)) / n
    expected = yes_first * yes_second + (1 - yes_first) * (1 - yes_second)
    if expected >= 1.0:
        return math.nan
    return (observed - expected) / (1 - expected)
