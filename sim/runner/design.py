"""Parameter points from an experiment's ``vary`` table: a full factorial grid, or a SALib sampling design.

The sampling designs are SALib's, so the same points can be handed back to
SALib's analysers (Sobol, Morris) in the order they expect. A design is a
pure function of the experiment, so the analysis can rebuild it rather than
trust a copy.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from sim.runner.definition import Factor, LoadedExperiment, Span


@dataclass(frozen=True)
class DesignPoints:
    """Points (one dict of parameter values each), the sampled matrix and SALib's problem description."""

    points: list[dict[str, float | int]]
    matrix: np.ndarray | None = None
    problem: dict | None = None


def levels(factor: Factor) -> list[float | int]:
    """A factor's grid levels, typed as its parameter is, so every run's file has the same column types."""
    if factor.levels is not None:
        values = list(factor.levels)
    else:
        span = _span(factor)
        space = np.geomspace if span.log else np.linspace
        values = space(span.low, span.high, _steps(factor)).tolist()
    return [round(v) for v in values] if factor.integer else [float(v) for v in values]


def _span(factor: Factor) -> Span:
    """The range of a factor varied over one (every factor of a sampling design is)."""
    if factor.span is None:
        raise ValueError(f"{factor.name} is varied over a list of levels, not a range")
    return factor.span


def salib_problem(factors: list[Factor]) -> dict:
    """SALib's description of the varied parameters; a log range is sampled on the log of its bounds."""
    spans = [_span(f) for f in factors]
    bounds = [[np.log(s.low), np.log(s.high)] if s.log else [s.low, s.high] for s in spans]
    return {"num_vars": len(factors), "names": [f.name for f in factors], "bounds": bounds}


def count(experiment: LoadedExperiment) -> int:
    """How many points ``build`` makes, from the design's settings alone: nothing is sampled or built.

    A million-point design costs gigabytes to build; counting it costs nothing,
    so ``kshare sweep --check`` and the size limit can look before anything is
    built. ``test_design_count_matches_what_build_makes`` keeps the two equal.
    """
    factors = experiment.factors
    if not factors:
        return 1
    design = experiment.definition.design
    if design.method == "grid":
        return math.prod(len(f.levels) if f.levels is not None else _steps(f) for f in factors)
    d = len(factors)
    if design.method == "latin_hypercube":
        return design.samples
    if design.method == "sobol":  # Saltelli's scheme: N(D + 2) points, or N(2D + 2) with second-order indices
        return design.samples * (2 * d + 2 if design.second_order else d + 2)
    return design.samples * (d + 1)  # Morris: r trajectories of D + 1 points


def _steps(factor: Factor) -> int:
    steps = _span(factor).steps
    if steps is None:
        raise ValueError(f"{factor.name}: a grid needs levels, or steps in its range")
    return steps


def build(experiment: LoadedExperiment) -> DesignPoints:
    factors = experiment.factors
    if not factors:
        return DesignPoints([{}])
    design = experiment.definition.design
    if design.method == "grid":
        combos = itertools.product(*(levels(f) for f in factors))
        return DesignPoints([dict(zip([f.name for f in factors], combo)) for combo in combos])
    problem = salib_problem(factors)
    matrix = _sample(design, problem, seed=experiment.definition.seed % 2**32)
    points = []
    for row in matrix:
        point = {}
        for factor, value in zip(factors, row):
            value = float(np.exp(value)) if _span(factor).log else float(value)
            point[factor.name] = round(value) if factor.integer else value
        points.append(point)
    return DesignPoints(points, matrix, problem)


def _sample(design, problem: dict, seed: int) -> np.ndarray:
    if design.method == "latin_hypercube":
        from SALib.sample import latin

        return latin.sample(problem, design.samples, seed=seed)
    if design.method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, design.samples, calc_second_order=design.second_order, seed=seed)
    from SALib.sample import morris

    return morris.sample(problem, design.samples, num_levels=design.levels, seed=seed)
