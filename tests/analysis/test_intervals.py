"""Intervals against published values: Wilson and Newcombe from Newcombe (1998), Jeffreys from Beta quantiles
(closed forms where they exist; otherwise values computed once with scipy.stats.beta.ppf, which is not a
dependency), Cohen's kappa from its textbook 2x2 example."""

from __future__ import annotations

import math

import pytest

from insidergym.analysis import (
    Z95,
    beta_cdf,
    beta_quantile,
    clustered_proportion,
    cohen_kappa,
    jeffreys_interval,
    newcombe_difference,
    proportion,
    wilson_interval,
)


def test_z95_is_the_normal_quantile_at_0975():
    assert 0.5 * (1 + math.erf(Z95 / math.sqrt(2))) == pytest.approx(0.975, abs=1e-15)


@pytest.mark.parametrize(
    ("count", "n", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),
        (5, 10, 0.2366, 0.7634),
        (10, 10, 0.7225, 1.0),
        # Newcombe (1998), Statistics in Medicine 17:857, Table I, Wilson score method.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (29, 29, 0.8830, 1.0),
    ],
)
def test_wilson_interval_matches_published_values(count, n, low, high):
    got = wilson_interval(count, n)
    assert round(got[0], 4) == low and round(got[1], 4) == high


def test_wilson_ends_are_exact_and_no_trials_give_nan():
    assert wilson_interval(0, 7)[0] == 0.0 and wilson_interval(7, 7)[1] == 1.0
    assert all(math.isnan(v) for v in wilson_interval(0, 0))
    empty = proportion(0, 0)
    assert math.isnan(empty.rate) and math.isnan(empty.low)
    with pytest.raises(ValueError, match="count <= n"):
        wilson_interval(4, 3)


@pytest.mark.parametrize(
    ("a", "b", "cdf"),
    [
        (1.0, 1.0, lambda x: x),
        (2.0, 1.0, lambda x: x * x),
        (1.0, 3.0, lambda x: 1 - (1 - x) ** 3),
        (0.5, 0.5, lambda x: 2 / math.pi * math.asin(math.sqrt(x))),
    ],
)
def test_beta_cdf_and_quantile_against_closed_forms(a, b, cdf):
    for x in (0.001, 0.025, 0.3, 0.5, 0.77, 0.975, 0.999):
        assert beta_cdf(x, a, b) == pytest.approx(cdf(x), abs=1e-12)
        assert cdf(beta_quantile(cdf(x), a, b)) == pytest.approx(cdf(x), abs=1e-11)


def test_beta_cdf_is_symmetric_and_monotone():
    for x in (0.01, 0.2, 0.6, 0.95):
        assert beta_cdf(x, 3.5, 10.5) == pytest.approx(1 - beta_cdf(1 - x, 10.5, 3.5), abs=1e-13)
    values = [beta_cdf(i / 50, 81.5, 182.5) for i in range(51)]
    assert values == sorted(values) and values[0] == 0.0 and values[-1] == 1.0


@pytest.mark.parametrize(
    ("count", "n", "low", "high"),
    [(0, 10, 0.0, 0.2172), (5, 10, 0.2235, 0.7765), (10, 10, 0.7828, 1.0), (81, 263, 0.2545, 0.3656),
     (1, 29, 0.0037, 0.1501)],
)  # fmt: skip
def test_jeffreys_interval(count, n, low, high):
    got = jeffreys_interval(count, n)
    assert round(got[0], 4) == low and round(got[1], 4) == high
    assert proportion(count, n, "jeffreys").low == got[0]


@pytest.mark.parametrize(
    ("counts", "diff", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:873, Table II, method 10.
        ((56, 70, 48, 80), 0.2000, 0.0524, 0.3339),
        ((9, 10, 3, 10), 0.6000, 0.1705, 0.8090),
        ((5, 56, 0, 29), 0.0893, -0.0381, 0.1926),
        ((0, 10, 0, 20), 0.0, -0.1611, 0.2775),
        ((0, 10, 0, 10), 0.0, -0.2775, 0.2775),
        ((10, 10, 0, 20), 1.0, 0.6791, 1.0),
        ((10, 10, 0, 10), 1.0, 0.6075, 1.0),
    ],
)
def test_newcombe_difference_matches_published_values(counts, diff, low, high):
    got = newcombe_difference(*counts)
    assert (round(got.diff, 4), round(got.low, 4), round(got.high, 4)) == (diff, low, high)


def test_cohen_kappa():
    # both yes 20, first only 5, second only 10, neither 15: observed 0.7, chance 0.5, kappa 0.4.
    first = [True] * 20 + [True] * 5 + [False] * 10 + [False] * 15
    second = [True] * 20 + [False] * 5 + [True] * 10 + [False] * 15
    assert cohen_kappa(first, second) == pytest.approx(0.4)
    assert cohen_kappa([True, False], [True, False]) == 1.0
    assert math.isnan(cohen_kappa([False] * 5, [False] * 5)), "undefined when chance agreement is 1"
    assert math.isnan(cohen_kappa([], []))


def test_a_rate_pooled_over_worlds_is_the_plain_one_with_one_episode_a_world_or_worlds_alike():
    plain = proportion(7, 20)
    one_each, deff = clustered_proportion([(1, 1)] * 7 + [(0, 1)] * 13)
    assert deff == 1.0 and (one_each.low, one_each.high) == (plain.low, plain.high)
    alike, deff = clustered_proportion([(2, 4)] * 5)
    assert deff == 1.0 and (alike.count, alike.n, alike.rate) == (10, 20, 0.5)


def test_worlds_that_differ_widen_the_pooled_interval_by_the_design_effect():
    pooled, deff = clustered_proportion([(4, 4), (4, 4), (0, 4), (0, 4), (4, 4)])
    assert (pooled.count, pooled.n) == (12, 20) and deff == pytest.approx(4.0)  # every episode like its world's
    low, high = wilson_interval(12 / 4, 20 / 4)
    assert (pooled.low, pooled.high) == (pytest.approx(low), pytest.approx(high))
    assert pooled.high - pooled.low > proportion(12, 20).high - proportion(12, 20).low
    empty, deff = clustered_proportion([])
    assert empty.n == 0 and math.isnan(empty.low) and deff == 1.0
