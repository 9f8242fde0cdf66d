"""The per-person "why" is exactly the decision the rule made: the pushes, their sum, and the chance drawn against."""

import numpy as np
import pytest

from sim import KnowledgeSharingModel
from sim.dynamics import DRIVERS

F = np.float32


@pytest.mark.parametrize("scenario", ["baseline", "recognition_programme"])
def test_the_explanation_is_the_logit_intention_and_chance_the_rule_used(scenario):
    model = KnowledgeSharingModel(scenario, rng=3, employees=400, weeks=40)
    b = model.params.behaviour
    for _ in range(40):
        before = model.state.intention.copy()
        draws = np.random.Generator(type(model.rng.bit_generator)())
        draws.bit_generator.state = model.rng.bit_generator.state  # the week's first draws decide who shares
        model.step()
        why = model.rule.drivers_table()

        total = why[DRIVERS[0]].copy()
        for name in DRIVERS[1:]:
            total += why[name]
        assert np.array_equal(total, why["logit"])  # the pushes add up to the logit, in their order
        moved = before + F(b.intention_rate) * (F(1) / (F(1) + np.exp(-why["logit"])) - before)
        assert np.array_equal(moved, model.state.intention)  # that logit is what moved the intention
        chance = why["intention"] * why["opportunity"] * (F(1) - F(b.friction_weight) * model.levers["friction"])
        assert np.array_equal(chance, why["chance_to_share"])
        # Those who drew under their chance shared unasked; with seeking, answerers shared too (ODD §7.19).
        unasked = draws.random(model.org.n, dtype=F) < why["chance_to_share"]
        assert np.array_equal(unasked, model.rule.unsolicited)
        assert np.array_equal(unasked | model.rule.seeking.last.answerer, model.state.shared)

    person = model.employees[17].drivers()
    assert person == {key: float(values[17]) for key, values in why.items()}
