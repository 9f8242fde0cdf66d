"""Cowan & Jonard (2004) reproduced by the engine's barter rule at the steady state, and the rule itself.

The statistical test runs the preset (10 neighbours) until no tie would trade
and compares rewiring levels on the same seeds: the ring is drawn from its own
stream, so a seed gives the same people and endowments at every rewiring level
and the comparison is paired. What the steady state does and does not
reproduce at 4, 6 and 10 neighbours is in docs/validation.md.
"""

import re

import numpy as np
import pytest

from sim import KnowledgeSharingModel, ScenarioError, load_scenario, simulate
from sim.organisation import ring_lattice

#: CI size: the preset's ring of 500 with 10 neighbours, to its steady state; 8 seeds per level (about 6 s).
SEEDS = range(8)
SMALL_WORLD_P = 0.1
MAX_WEEKS = 5000


def _steady(p: float) -> tuple[np.ndarray, np.ndarray]:
    runs = [simulate("cowan_jonard", seed=seed, rewiring=p, weeks=MAX_WEEKS) for seed in SEEDS]
    return np.array([run["final_knowledge_mean"] for run in runs]), np.array([run["weeks"] for run in runs])


@pytest.mark.slow
def test_steady_state_knowledge_is_higher_in_the_small_world_than_on_the_regular_ring():
    (regular, regular_weeks), (small_world, small_world_weeks) = _steady(0.0), _steady(SMALL_WORLD_P)
    assert (regular_weeks < MAX_WEEKS).all() and (small_world_weeks < MAX_WEEKS).all()  # every run reached it
    diff = small_world - regular  # paired: a seed gives the same people and endowments at every p
    mean, se = diff.mean(), diff.std(ddof=1) / np.sqrt(len(diff))
    # Defensible margin: more than 3 paired standard errors and a tenth of the regular ring's shortfall.
    assert mean > max(3 * se, 0.1 * (1 - regular.mean())), (mean, se)


def test_ring_lattice_is_a_watts_strogatz_graph():
    start, ties = ring_lattice(400, 4, 0.0, np.random.default_rng(0))
    degree = np.diff(start)
    assert (degree == 4).all()
    first = ties[start[10] : start[11]]
    assert set(first) == {8, 9, 11, 12}  # the two nearest on each side
    start, ties = ring_lattice(400, 4, 0.5, np.random.default_rng(0))
    src = np.repeat(np.arange(400), np.diff(start))
    assert degree.sum() == len(ties)  # rewiring keeps the number of ties
    assert (src != ties).all()  # no self-ties
    pairs = set(zip(src.tolist(), ties.tolist()))
    assert all((b, a) in pairs for a, b in pairs)  # undirected
    assert len(pairs) == len(ties)  # no repeated ties
    far = np.minimum(np.abs(src - ties), 400 - np.abs(src - ties)) > 2
    assert 0.35 < far.mean() < 0.55  # about p of the ties now reach beyond the lattice


def test_barter_needs_a_double_coincidence_of_wants():
    model = KnowledgeSharingModel("cowan_jonard", rng=1, employees=20, departments=1, neighbours=2, rewiring=0.0)
    K = model.state.knowledge
    K[:] = 0.5
    K[0, 0], K[1, 1] = 0.9, 0.9  # 0 and 1 each lead somewhere: they trade
    K[2, :] = 0.1  # 2 lags everywhere behind 1 and 3: nobody trades with 2
    before = K.copy()
    alpha = model.params.behaviour.absorptive_capacity
    model.rule._trade(np.array([0]), np.array([1]))
    assert K[0, 1] == pytest.approx(0.5 + alpha * 0.4) and K[1, 0] == pytest.approx(0.5 + alpha * 0.4)
    assert (K[0, 2:] == before[0, 2:]).all()
    model.state.knowledge[:] = before
    for _ in range(5):
        model.step()
    assert (model.state.knowledge[2] == before[2]).all()
    assert model.state.knowledge[:2].mean() > before[:2].mean()


def test_knowledge_never_falls_and_never_exceeds_the_best_endowment():
    model = KnowledgeSharingModel("cowan_jonard", rng=3, employees=200, weeks=60, rewiring=0.1)
    best = model.state.knowledge.max(axis=0)
    previous = model.state.knowledge.copy()
    for _ in range(60):
        model.step()
        assert (model.state.knowledge >= previous).all()
        previous = model.state.knowledge.copy()
    assert (model.state.knowledge <= best + 1e-6).all()


def test_barter_refuses_what_it_cannot_do():
    with pytest.raises(ScenarioError, match=re.escape("needs behaviour.decision = 'barter'")):
        load_scenario("baseline", network="ring")
    with pytest.raises(ScenarioError, match="does nothing on a ring network"):
        load_scenario("recognition_programme", decision="barter", network="ring", warmup=0)
    with pytest.raises(
        ScenarioError, match=re.escape("'recognition_programme' does nothing with behaviour.decision = 'barter'")
    ):
        load_scenario("recognition_programme", decision="barter", warmup=0)
    with pytest.raises(ScenarioError, match="warmup must be 0"):
        load_scenario("cowan_jonard", warmup=10)
    with pytest.raises(ScenarioError, match="neighbours must be even"):
        load_scenario("cowan_jonard", neighbours=5)
    model = KnowledgeSharingModel("cowan_jonard", rng=1, employees=50)
    with pytest.raises(RuntimeError, match="no decision drivers"):
        model.employees[0].drivers()


def test_barter_runs_on_the_team_network_with_structural_interventions():
    out = simulate(
        "mentoring", seed=2, employees=200, weeks=40, decision="barter", warmup=0, learning_rate=0.0, depreciation=0.0
    )
    assert out["knowledge_mean"][-1] > out["knowledge_mean"][0]
    assert (np.diff(out["knowledge_mean"]) >= -1e-9).all()


def test_a_trade_needs_each_side_to_gain_more_than_the_threshold():
    model = KnowledgeSharingModel("cowan_jonard", rng=1, employees=20, neighbours=2, rewiring=0.0, trade_threshold=0.01)
    alpha = model.params.behaviour.absorptive_capacity
    K = model.state.knowledge
    K[:] = 0.5
    K[0, 0], K[1, 1] = 0.5 + 0.2 / alpha, 0.5 + 0.2 / alpha  # each would gain 0.2: they trade
    K[2, 0], K[3, 1] = 0.5 + 0.2 / alpha, 0.5 + 0.005 / alpha  # 2 would gain only 0.005: no trade
    pairs = np.array([0, 2]), np.array([1, 3])
    assert model.rule._worth_trading(*pairs).tolist() == [True, False]


def test_a_barter_run_stops_by_itself_at_the_steady_state():
    model = KnowledgeSharingModel(
        "cowan_jonard", rng=4, employees=200, neighbours=4, rewiring=0.1, trade_threshold=1e-3, weeks=5000
    )
    model.run()
    assert model.steady_week is not None and model.week == model.steady_week < 5000
    assert not model.running
    assert not model.rule._worth_trading(*model.rule._ties()).any()  # no tie anywhere would trade
    assert len(model.timeseries()) == model.steady_week + 1
    before = model.state.knowledge.copy()
    model.step()  # nothing can move any more
    assert (model.state.knowledge == before).all()
