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
    # Counts far above the number of people are sorted, not tallied: the same shares.
    spread = (counts.astype(np.int64) * 1000).astype(np.int32)
    assert compiled.top_shares(spread, np.array([10, 100])).tolist() == expected


@pytest.mark.parametrize("domains", [1, 6, 7, 8, 9, 16, 17, 32, 100, 128])
def test_row_means_are_numpys_float64_sums_to_the_last_bit(rng, domains):
    """numpy sums eight values and more pairwise, fewer one by one; the kernel must follow both."""
    values = (rng.random((2000, domains)) * 10.0 ** rng.integers(-6, 6, (2000, domains))).astype(F)
    assert np.array_equal(compiled.row_means(values), values.sum(axis=1, dtype=np.float64) / domains)


def test_group_sums_are_bincounts_of_every_row(rng):
    group = rng.integers(0, 5, 3000).astype(np.int8)
    stacked = rng.random((7, 3000)) * 10.0 ** rng.integers(-6, 6, (7, 3000))
    expected = np.array([np.bincount(group, weights=row, minlength=6) for row in stacked])
    assert np.array_equal(compiled.group_sums(group, stacked, 6), expected)


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


# ----------------------------------------------------------------- the decision kernels against plain numpy
def _week(rng, n=300, contacts=2000, teams=40):
    """Random inputs shaped like one week: people in teams, contacts sorted by sharer, levers and beliefs."""
    team = rng.integers(0, teams, n)
    s = np.sort(rng.choice(n, contacts))
    r = rng.integers(0, n, contacts)
    channel = rng.integers(0, 8, contacts).astype(np.int8)
    return team, compiled.Exchanges(s, r, channel)


def _unit(rng, n):
    return rng.random(n, dtype=F)


def test_intention_terms_are_the_weighed_drivers_added_in_order(rng):
    n = 500
    disposition = rng.normal(0, 1, n).astype(F)
    weights = rng.uniform(0, 5, 7).astype(F)
    inputs = tuple(_unit(rng, n) for _ in range(7))
    bonus = rng.normal(0, 0.5, n).astype(F)
    bias = F(-1.3)
    terms, z = compiled.intention_terms(bias, disposition, weights, inputs, bonus)
    pushes = [weights[k] * (inputs[k] - F(0.5)) for k in range(7)]
    expected = np.stack([np.full(n, bias, dtype=F), disposition, *pushes, bonus])
    total = bias + disposition
    for push in pushes:
        total = total + push
    assert terms.dtype == F and np.array_equal(terms, expected)
    assert np.array_equal(z, total + bonus)


def test_chance_to_share_is_intention_times_opportunity_less_friction(rng):
    intention, opportunity, friction = (_unit(rng, 1000) for _ in range(3))
    weight = F(0.6)
    expected = intention * opportunity * (F(1) - weight * friction)
    assert np.array_equal(compiled.chance_to_share(intention, opportunity, friction, weight), expected)


def test_answers_follow_the_levers_of_sharer_and_recipient(rng):
    n = 300
    _, ex = _week(rng, n)
    e = len(ex.sharer)
    used = rng.random(e) < 0.6
    chance = rng.random((5, e), dtype=F)
    chances = compiled.AnswerChances(
        _unit(rng, n),
        _unit(rng, n),
        rng.uniform(-0.2, 0.3, n).astype(F),
        rng.uniform(0, 0.3, n).astype(F),
        rng.uniform(0.2, 0.7, n).astype(F),  # each recipient's readiness to share back (their team's)
        F(0.3),
        F(0.4),
        F(0.6),
        rng.uniform(0.3, 1.5, 8).astype(F),
        rng.uniform(0.8, 1.5, 8).astype(F),
        rng.uniform(0.8, 1.5, 8).astype(F),
        rng.uniform(0.4, 1.0, 8).astype(F),
    )
    intention, safety = _unit(rng, n), _unit(rng, n)
    got = compiled.answers(ex, used, chance, chances, intention, safety)
    s, r = ex.sharer, ex.recipient
    c = chances
    engaged = F(0.5) + intention[r]
    ch = ex.channel
    recognition = c.recognition[s] * (c.recognised_base + c.recognised_used * used.astype(F)) * engaged
    recognised = chance[1] < recognition * c.channel_recognition[ch]
    fed_back = used & (chance[2] < c.feedback[s] * engaged * c.channel_feedback[ch])
    back = np.clip(c.reciprocation[r] * (F(0.5) + intention[r]) + c.reciprocity[r], 0, 1)
    returned = chance[3] < back * c.channel_reciprocity[ex.channel]
    critiqued = chance[4] < np.clip(c.critique_base * (F(1) - safety[r]) + c.critique[r], 0, 1) * c.channel_critique[ch]
    for name, value, expected in zip(compiled.Answers._fields, got, (recognised, fed_back, returned, critiqued)):
        assert np.array_equal(value, expected), name
    assert 0 < recognised.mean() < 1 and 0 < critiqued.mean() < 1  # the draws exercised both outcomes


def _beliefs(rng, n):
    recognition, reciprocation, ease, self_efficacy, satisfaction, expectation = (_unit(rng, n) for _ in range(6))
    critique_memory = rng.random(n, dtype=F) * F(0.3)
    return compiled.Beliefs(recognition, reciprocation, ease, self_efficacy, satisfaction, expectation, critique_memory)


def test_sharers_learn_from_the_answers_to_their_own_shares(rng):
    n = 300
    _, ex = _week(rng, n)
    e = len(ex.sharer)
    answers = compiled.Answers(*(rng.random(e) < p for p in (0.4, 0.3, 0.5, 0.1)))
    friction = _unit(rng, n) * F(0.8)
    learning = compiled.Learning(
        rng.choice(np.array([0.8, 1.0, 1.5], dtype=F), n), F(0.15), F(0.45), F(0.55), F(0.35), F(0.2), F(0.05), F(0.15)
    )  # distinct values, so that two constants swapped in the loop would show
    beliefs = _beliefs(rng, n)
    expected = {name: values.copy() for name, values in beliefs._asdict().items()}
    share_count = np.zeros(n, dtype=np.int32)
    sharers = compiled.learn_from_answers(ex.sharer, answers, friction, learning, beliefs, share_count)

    who, first, per = np.unique(ex.sharer, return_index=True, return_counts=True)
    assert np.array_equal(sharers, who) and np.array_equal(share_count[who], per)
    assert not share_count[np.setdiff1d(np.arange(n), who)].any()
    seen = {name: np.add.reduceat(flag.astype(np.int64), first).astype(F) / per.astype(F) for name, flag in
            answers._asdict().items()}  # fmt: skip
    g, crit = learning, seen["critiqued"]
    ease_seen = np.clip(F(1) - friction[who] - g.critique_on_ease * crit, 0, 1)
    rate = np.minimum(g.rate * g.experience[who], F(1))
    for name, observed in (("recognition", seen["recognised"]), ("reciprocation", seen["returned"]),
                           ("ease", ease_seen), ("self_efficacy", seen["fed_back"])):  # fmt: skip
        expected[name][who] += rate * (observed - expected[name][who])
    performance = np.clip(
        (seen["recognised"] + seen["returned"] + ease_seen + seen["fed_back"]) / F(4) - g.critique_penalty * crit, 0, 1
    )
    confirmation = performance - expected["expectation"][who]
    target = np.clip(performance + g.disconfirmation * confirmation, 0, 1)
    expected["satisfaction"][who] += g.satisfaction_rate * (target - expected["satisfaction"][who])
    expected["expectation"][who] += g.expectation_rate * confirmation
    expected["critique_memory"][who] += g.critique_added * crit
    for name, values in beliefs._asdict().items():
        assert np.array_equal(values, expected[name]), name


def test_others_learn_the_same_beliefs_from_what_happens_to_their_teammates_shares(rng):
    n, teams = 300, 40
    team, ex = _week(rng, n, contacts=100, teams=teams)  # about a quarter share; the rest watch
    order = np.argsort(team, kind="stable").astype(np.int32)
    size = np.bincount(team, minlength=teams).astype(np.int64)
    groups = compiled.Teams(team, order, np.concatenate(([0], np.cumsum(size)[:-1])), size)
    e = len(ex.sharer)
    answers = compiled.Answers(*(rng.random(e) < p for p in (0.4, 0.3, 0.5, 0.2)))
    sharers = np.unique(ex.sharer)
    # distinct values, so that two constants swapped in the loop would show
    watching = compiled.Watching(rng.choice(np.array([1.0, 2.0], dtype=F), n), F(0.03), F(0.55), F(0.075), F(0.6))
    friction = _unit(rng, n) * F(0.8)
    beliefs = _beliefs(rng, n)
    expected = {name: values.copy() for name, values in beliefs._asdict().items()}
    compiled.learn_by_watching(groups, ex, answers, sharers, watching, friction, beliefs)

    sharer_team = team[ex.sharer]
    team_shares = np.bincount(sharer_team, minlength=teams)
    seen = {
        name: (np.bincount(sharer_team, weights=flag, minlength=teams) / np.maximum(team_shares, 1)).astype(F)[team]
        for name, flag in answers._asdict().items()
    }
    rate = np.minimum(watching.rate * watching.vicarious, F(1))
    rate[sharers] = 0
    rate[team_shares[team] == 0] = 0  # nobody in the team shared: nothing to see
    watches = rate > 0
    ease_seen = np.clip(F(1) - friction - watching.critique_on_ease * seen["critiqued"], 0, 1)
    efficacy_seen = watching.efficacy_seen * seen["fed_back"]  # another's success counts for less
    for name, observed in (("recognition", seen["recognised"]), ("reciprocation", seen["returned"]),
                           ("ease", ease_seen), ("self_efficacy", efficacy_seen)):  # fmt: skip
        expected[name][watches] += (rate * (observed - expected[name]))[watches]
    expected["critique_memory"][watches] += (watching.critique_added * seen["critiqued"])[watches]
    assert watches.mean() > 0.4 and (~watches).any()  # many watch; sharers and lone teams do not
    for name, values in beliefs._asdict().items():
        assert np.array_equal(values, expected[name]), name
