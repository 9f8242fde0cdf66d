"""The baseline reproduces the magnitudes and directions it was calibrated to (docs/validation.md, "Calibration").

Targets and tolerances live in ``experiments/calibration.py`` (``TARGETS``),
which also regenerates the table and figure of the docs; this file checks
them at a size that runs in seconds.
"""

import numpy as np
import pytest

from experiments.beliefs import BELIEFS, correlations
from experiments.calibration import TARGETS, baseline_run
from sim import KnowledgeSharingModel, Scenario, load_scenario, simulate

SEEDS = range(3)


@pytest.fixture(scope="module")
def runs():
    return [baseline_run(seed) for seed in SEEDS]


def _mean(runs, key):
    return float(np.mean([run[key] for run in runs]))


@pytest.mark.parametrize("key", list(TARGETS))
def test_calibrated_magnitude_is_within_its_tolerance(runs, key):
    (low, high), source = TARGETS[key]
    assert low <= _mean(runs, key) <= high, (source, _mean(runs, key))


def test_participation_keeps_the_90_9_1_shape(runs):
    per_head = [_mean(runs, "top1") / 0.01, _mean(runs, "next9") / 0.09, _mean(runs, "bottom90") / 0.90]
    assert per_head[0] > 4 * per_head[1] and per_head[1] > 4 * per_head[2]  # about 30x, 4x and 0.4x a fair share
    assert _mean(runs, "top1") + _mean(runs, "next9") > 0.5  # the top tenth contributes most


def test_no_start_up_transient(runs):
    rate = np.mean([run["rate"] for run in runs], axis=0)
    assert abs(rate[1:14].mean() - rate[-13:].mean()) < 0.02, (rate[1:14].mean(), rate[-13:].mean())


def test_blame_culture_does_not_fall_before_its_incident():
    """Week 0 (the settled state) against weeks 1-12, over 8 seeds: one week's rate at 1,000 employees varies by
    about 0.013 from seed to seed around the 12 weeks' mean, so the mean of 8 is within 0.015 (over three standard
    errors) unless the run drifts; 3 seeds gave a standard error of 0.0075 against a tolerance of 0.01, and
    failed by chance once seeking changed the draws (-0.015 on seeds 0-2, -0.001 on 0-7)."""
    rates = []
    seeds = range(8)
    for seed in seeds:
        model = KnowledgeSharingModel("blame_culture", rng=seed, employees=1000, weeks=26)
        model.run()
        rates.append(model.timeseries()["sharing_rate"].to_numpy())
    baseline = np.mean([simulate("baseline", seed=seed, employees=1000, weeks=12)["sharing_rate"] for seed in seeds])
    rate = np.mean(rates, axis=0)
    before, after = rate[1:13].mean(), rate[17:26].mean()
    assert abs(rate[0] - before) < 0.015, (rate[0], before)  # flat until the incident in week 13
    assert abs(before - baseline) < 0.02, (before, baseline)  # from an ordinary culture, so there is much to lose
    assert after < 0.5 * before  # then it bites


# Two checks that could not fail were removed: the shares of cooperators, pragmatists and defectors read back
# the sampled input shares, and their order in how often they share is fixed by the offsets of their
# dispositions; and the Cress-like decline of contributions in a new database was the relaxation of everyone's
# starting intention of 0.6 (a settled organisation shows none). The strategy mix as it emerges from behaviour
# is reported in docs/validation.md, where it does not match Cress et al., and is a pattern for the calibration.


def test_the_baseline_is_the_defaults_that_other_presets_inherit():
    own = {"name", "description", "notice", "seed"}  # every preset's seed is its own, by rule (preset_seed)
    assert load_scenario("baseline").model_dump(exclude=own) == Scenario().model_dump(exclude=own)


def test_the_share_of_contacts_who_use_what_they_receive_is_stationary_after_the_warm_up():
    use = []
    for seed in SEEDS:
        model = KnowledgeSharingModel("baseline", rng=seed, employees=1000)
        shares = []
        for _ in range(model.params.weeks):
            model.step()
            shares.append(model.rule.use_share)
        use.append(shares)
    weekly = np.mean(use, axis=0)
    # Without knowledge settling in the warm-up this fell from about 0.6 to 0.35 over a run. The change over the
    # run is read from a straight line through all 104 weekly means, not from two quarters: with three seeds a
    # week's mean varies by about 0.02, so the fitted change has a standard error near 0.02 x sqrt(12 / 104)
    # = 0.007. A small drift remains: knowledge settles with a time constant of 100 weeks (1 / depreciation),
    # about the warm-up's length, and over six seeds the quarterly means go from 0.379 to 0.368 (ODD 5.4). The
    # bound, 0.05, is that residue plus four standard errors, and a fifth of the transient the warm-up removed.
    slope = np.polyfit(np.arange(len(weekly)), weekly, 1)[0]
    assert abs(slope * len(weekly)) < 0.05, (slope * len(weekly), weekly[:13].mean(), weekly[-13:].mean())


@pytest.mark.slow
def test_beliefs_formed_alike_go_with_sharing_as_surveys_find():
    found = [correlations("baseline", seed) for seed in SEEDS]
    r = {name: float(np.mean([run[name] for run in found])) for name in found[0]}
    # Survey studies find every belief positively related to sharing (docs/validation.md, "Beliefs and sharing").
    # Before non-sharers formed beliefs as sharers do, experienced ease went with sharing at r = -0.58 and
    # self-efficacy at -0.14. Now every one sits in the calibration's band (0.1-0.6): the lowest, recognition,
    # at about 0.20 with a seed-to-seed s.d. of 0.056, so a three-seed mean falls below 0.1 only 3 s.d. out.
    assert set(r) == set(BELIEFS.values())
    for name, value in r.items():
        assert 0.1 < value < 0.6, (name, value)
