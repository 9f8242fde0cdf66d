"""The compiled loops against the plain numpy they stand for, on random inputs: same values, to the last bit."""

import numpy as np
import pytest

from sim import compiled

F = np.float32


@pytest.fixture
def rng():
    return np.random.default_rng(2026)


def test_absorb_adds_in_order_and_never_beyond_the_best_source(rng):
    knowledge = rng.random((40, 6), dtype=F)
    cell = rng.integers(0, knowledge.size, 300)  # many repeats: several sources teach the same cell
    gain = rng.random(300, dtype=F)
    source = rng.random(300, dtype=F) * F(2)
    expected = knowledge.copy().reshape(-1)
    ceiling = expected.copy()
    np.maximum.at(ceiling, cell, source)
    np.add.at(expected, cell, gain)
    np.minimum(expected, ceiling, out=expected)
    compiled.absorb(knowledge, cell, gain, source)
    assert np.array_equal(knowledge.reshape(-1), expected)


def test_channel_choice_matches_searchsorted_and_counts_each_channels_draws(rng):
    fixed = np.cumsum(np.array([1.0, 0.2, 0.5, 0.8], dtype=F))
    u = rng.random(5000, dtype=F)
    pick = compiled.choose_channels(fixed, u)
    assert np.array_equal(pick, np.searchsorted(fixed, u * fixed[-1], side="right"))
    counts = np.bincount(pick, minlength=len(fixed))
    assert np.array_equal(compiled.draw_starts(pick, len(fixed)), np.concatenate(([0], np.cumsum(counts)[:-1])))


def test_a_teammate_is_in_the_same_team_and_never_oneself(rng):
    team = np.sort(rng.integers(0, 30, 400))
    team[:2] = 0  # every team has at least two members
    order = np.argsort(team, kind="stable").astype(np.int32)
    size = np.bincount(team, minlength=30)
    size = size[size > 0]
    team = np.unique(team, return_inverse=True)[1]
    start = np.concatenate(([0], np.cumsum(size)[:-1]))
    who = rng.integers(0, 400, 20000)
    mates = compiled.teammates(order, start, size, team, who, rng.random(20000))
    assert (team[mates] == team[who]).all()
    assert not (mates == who).any()


def test_top_shares_are_the_busiest_peoples_share_of_all_contacts(rng):
    counts = rng.integers(0, 50, 1000).astype(np.int32)
    ordered = np.sort(counts)[::-1]
    expected = [ordered[:10].sum() / counts.sum(), ordered[:100].sum() / counts.sum()]
    assert compiled.top_shares(counts, np.array([10, 100])).tolist() == expected
    assert compiled.top_shares(np.zeros(5, dtype=np.int32), np.array([1])).tolist() == [0.0]


def test_activity_counts_active_lapsed_and_never(rng):
    never = -(2**30)
    last = rng.integers(-20, 53, 500).astype(np.int32)
    last[rng.random(500) < 0.2] = never
    week, window = 52, 8
    ever = last != never
    active = ever & (week - last < window)
    assert compiled.activity(last, week, window, never) == (active.sum(), (ever & ~active).sum(), (~ever).sum())


def test_team_rates_divide_in_float64_then_round_to_float32(rng):
    team = rng.integers(0, 12, 800)
    flag = rng.random(800) < 0.3
    denominator = np.bincount(team, minlength=12)
    expected = (np.bincount(team, weights=flag, minlength=12) / np.maximum(denominator, 1)).astype(F)
    assert np.array_equal(compiled.team_rates(team, 12, flag, denominator), expected)
