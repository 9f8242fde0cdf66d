"""Helpers shared by test modules (not fixtures: those live in conftest.py, which pytest loads as a plugin).

Import them as ``from tests.helpers import ...``; pytest's ``pythonpath = ["."]`` puts the repository root on
``sys.path``, installed or not.
"""

import numpy as np

from sim import simulate

#: Size and horizon for statistical tests: big enough that a weekly sharing
#: rate averaged over the last quarter has a standard error near 0.005.
SMALL = {"employees": 300, "weeks": 104}
SEEDS = range(6)


def long_run(scenario: str = "baseline", seeds=SEEDS, **overrides) -> np.ndarray:
    """Long-run sharing (mean of the last quarter of weeks), one value per seed."""
    settings = SMALL | overrides
    return np.array([simulate(scenario, seed=seed, **settings)["late_sharing_rate"] for seed in seeds])


def dashboard_at(preset: str, steps: int, /, **settings):
    """A dashboard on ``preset`` with ``settings`` applied, its run stepped ``steps`` weeks."""
    from sim.dashboard.state import Dashboard

    dash = Dashboard(preset)
    assert dash.apply(**settings)
    for _ in range(steps):
        dash.run.step()
    return dash
