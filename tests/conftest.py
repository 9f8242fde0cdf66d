"""Shared helpers: small organisations so the statistical tests fit in CI."""

import numpy as np
import pytest

from sim import simulate

#: Size and horizon for statistical tests: big enough that a weekly sharing
#: rate averaged over the last quarter has a standard error near 0.005.
SMALL = {"employees": 300, "weeks": 104}
SEEDS = range(6)


def long_run(scenario: str = "baseline", seeds=SEEDS, **overrides) -> np.ndarray:
    """Long-run sharing (mean of the last quarter of weeks), one value per seed."""
    settings = SMALL | overrides
    return np.array([simulate(scenario, seed=seed, **settings)["late_sharing_rate"] for seed in seeds])


@pytest.fixture
def tiny_file(tmp_path):
    """Write a scenario file from TOML text and return its path."""

    def write(text: str, name: str = "scenario.toml"):
        path = tmp_path / name
        path.write_text(text)
        return path

    return write
