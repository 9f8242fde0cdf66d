"""The output measures against brute-force definitions."""

import numpy as np
import pytest

from sim.metrics import Ranking, gini, top_share


def test_gini_extremes_and_a_known_value():
    assert gini(np.ones(10)) == pytest.approx(0.0)
    assert gini(np.array([0, 0, 0, 1.0])) == pytest.approx(0.75)
    x = np.random.default_rng(0).random(500)
    brute = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
    assert gini(x) == pytest.approx(brute, rel=1e-9)


def test_a_gini_sorted_from_last_weeks_order_is_the_gini_sorted_afresh():
    """Week after week, with values moving a little, then a lot, then changing length: the same to the bit."""
    rng = np.random.default_rng(3)
    ranking = Ranking()
    x = rng.random(2000)
    for week in range(30):
        x = x + rng.normal(0, 0.01 if week < 20 else 0.5, len(x)).clip(-x)
        x[rng.integers(0, len(x), 50)] = x[rng.integers(0, len(x), 50)]  # ties
        if week == 25:
            x = x[:1500]
        assert gini(x, ranking) == gini(x)


@pytest.mark.parametrize("fraction", [0.01, 0.1, 0.5])
def test_top_share_matches_sorting(fraction):
    counts = np.random.default_rng(1).poisson(3, 1000) * np.random.default_rng(2).integers(0, 5, 1000)
    k = max(1, round(fraction * len(counts)))
    brute = np.sort(counts)[::-1][:k].sum() / counts.sum()
    assert top_share(counts, fraction) == pytest.approx(brute)


def test_top_share_of_nothing_is_zero():
    assert top_share(np.zeros(10, dtype=int), 0.1) == 0.0
