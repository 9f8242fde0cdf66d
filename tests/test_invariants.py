"""Under any valid parameters, outputs stay meaningful: rates in [0, 1], counts add up, no NaN."""

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import simulate
from sim.interventions import TYPE_NAMES
from sim.scenario import Behaviour, Culture

RATES = (
    "sharing_rate",
    "experienced_recognition",
    "experienced_reciprocation",
    "experienced_ease",
    "self_efficacy",
    "satisfaction",
    "perceived_safety",
    "knowledge_gini",
    "cross_team_flows",
    "top1_share",
    "top10_share",
)


def _bounds(model, name):
    field = model.model_fields[name]
    low = high = None
    for rule in field.metadata:
        low = getattr(rule, "ge", None) if getattr(rule, "ge", None) is not None else low
        low = getattr(rule, "gt", None) if getattr(rule, "gt", None) is not None else low
        high = getattr(rule, "le", None) if getattr(rule, "le", None) is not None else high
    return low, high


def _numbers(model, skip=()):
    """A strategy drawing every numeric parameter of a section from its valid range."""
    fields: dict[str, st.SearchStrategy[int | float]] = {}
    for name, field in model.model_fields.items():
        if name in skip or field.annotation not in (int, float):  # choices such as behaviour.decision are not ranges
            continue
        low, high = _bounds(model, name)
        if field.annotation is int:
            fields[name] = st.integers(int(low), int(min(high, low + 10)))
        else:
            fields[name] = st.floats(float(low) + 1e-6, float(high), allow_nan=False)
    return st.fixed_dictionaries(fields)


interventions = st.lists(
    st.builds(
        lambda kind, start, length, intensity: {
            "type": kind,
            "start": start,
            "end": start + length,
            "intensity": intensity,
        },
        st.sampled_from(TYPE_NAMES),
        st.integers(0, 20),
        st.integers(1, 20),
        st.floats(0, 1),
    ),
    max_size=4,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    culture=_numbers(Culture, skip=("initial_sharers", "initial_lapsed")),
    behaviour=_numbers(Behaviour, skip=("cooperator_share", "defector_share")),
    items=interventions,
    seed=st.integers(0, 2**32),
)
def test_outputs_stay_valid_under_random_parameters(culture, behaviour, items, seed):
    from sim import Scenario

    scenario = Scenario.model_validate(
        {
            "weeks": 30,
            "organisation": {"employees": 60, "departments": 3},
            "culture": culture,
            "behaviour": behaviour,
            "interventions": items,
        }
    )
    out = simulate(scenario, seed=seed)
    for name in RATES:
        series = out[name]
        assert not np.isnan(series).any(), name
        assert ((series >= 0) & (series <= 1 + 1e-9)).all(), (name, series.min(), series.max())
    total = out["active"] + out["lapsed"] + out["never_shared"]
    assert (total == 60).all()
    assert math.isfinite(out["final_knowledge_mean"]) and out["final_knowledge_mean"] >= 0
