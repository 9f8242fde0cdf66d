"""Which varied parameters matter: Sobol and Morris indices of a sweep's outcomes, through SALib.

SALib reads its sample in a fixed structure (Saltelli blocks, Morris
trajectories), but a sweep stores only the points it ran. The design is
therefore rebuilt from the experiment's definition, checked against the
planned points, and used only when it matches and every run is done: an index
computed from the wrong structure would look plausible and be wrong.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.runner.definition import Experiment, LoadedExperiment, factor_problems
from sim.runner.design import DesignPoints, build
from sim.runner.statistics import LEVEL
from sim.runner.wording import noun, scale_of


@dataclass
class Indices:
    """Sobol or Morris indices of each outcome, or the reason there are none."""

    method: str
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    second_order: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)


def rebuild(experiment: dict) -> DesignPoints:
    """The sweep's design, rebuilt from its definition in SALib's own order.

    Scenarios are not reloaded (a scenario file may have moved since the
    sweep): the factors, the design settings and the seed are all a design
    depends on.
    """
    definition = Experiment.model_validate(experiment)
    loaded = LoadedExperiment(definition, "manifest.json", experiment)
    problems = factor_problems(loaded)
    if problems:
        raise ValueError("; ".join(str(p) for p in problems))
    return build(loaded)


def design_matches(design: DesignPoints, runs: pd.DataFrame) -> bool:
    """Whether the rebuilt design has the planned points: a newer SALib could sample differently."""
    names = list(design.points[0])
    planned = runs.drop_duplicates("point").set_index("point").sort_index()
    if list(planned.index) != list(range(len(design.points))):
        return False
    rebuilt = pd.DataFrame(design.points)[names].to_numpy(float)
    return bool(np.allclose(planned[names].to_numpy(float), rebuilt, rtol=1e-9, atol=1e-12))


def indices(runs: pd.DataFrame, experiment: dict, outcomes: list[str]) -> Indices:
    """Sobol or Morris indices per scenario and outcome, only from a complete sweep.

    Both estimators read the sample in a fixed structure (Saltelli blocks,
    Morris trajectories), so one missing run breaks them: a partial design is
    never analysed. Replications at a point are averaged.
    """
    method = experiment["design"]["method"]
    result = Indices(method)
    missing = runs.loc[runs["status"] != "done", "run_id"].tolist()
    if missing:
        shown = ", ".join(missing[:8]) + (" ..." if len(missing) > 8 else "")
        result.notes.append(
            f"{method.capitalize()} indices need a complete sweep: {len(missing)} of {len(runs)} "
            f"runs are not done ({shown}). Finish it with `kshare sweep EXPERIMENT --out DIR "
            "--resume`."
        )
        return result
    try:
        design = rebuild(experiment)
    except ValueError as error:  # e.g. a parameter renamed since the sweep was made
        result.notes.append(f"The design cannot be rebuilt from the experiment ({error}), so no indices were computed.")
        return result
    if not design_matches(design, runs):
        result.notes.append(
            "The design rebuilt from the definition differs from the sweep's planned points "
            "(a different SALib version?), so no indices were computed."
        )
        return result
    seed = experiment["seed"] % 2**32
    tables, seconds = [], []
    for scenario, group in runs.groupby("scenario", observed=True, sort=False):
        means = group.groupby("point")[outcomes].mean().sort_index()
        for outcome in outcomes:
            y = means[outcome].to_numpy(float)
            if not np.isfinite(y).all():
                result.notes.append(
                    f"{noun(outcome)} ({outcome}) is undefined at some points of '{scenario}'; no indices for it."
                )
                continue
            table, second = (
                _sobol(design, experiment, y, seed)
                if method == "sobol"
                else (_morris(design, experiment, y, seed), None)
            )
            tables.append(table.assign(scenario=scenario, outcome=outcome))
            if second is not None:
                seconds.append(second.assign(scenario=scenario, outcome=outcome))
    if tables:
        result.table = _front(pd.concat(tables, ignore_index=True), ["scenario", "outcome", "parameter"])
    if seconds:
        result.second_order = _front(pd.concat(seconds, ignore_index=True), ["scenario", "outcome"])
    return result


def ranking(found: Indices, top: int = 3) -> list[str]:
    """One line per outcome naming the parameters that matter most (by ST, or by mu*), for a quick read."""
    key, name = ("ST", "ST") if found.method == "sobol" else ("mu_star", "mu*")
    lines = []
    for (scenario, outcome), rows in found.table.groupby(["scenario", "outcome"], sort=False):
        best = rows.sort_values(key, ascending=False).head(top)
        factor = 1.0 if found.method == "sobol" else scale_of(str(outcome)).factor
        listed = ", ".join(f"{r.parameter} ({name} {factor * getattr(r, key):.3g})" for r in best.itertuples())
        where = f" in {scenario}" if found.table["scenario"].nunique() > 1 else ""
        lines.append(f"{noun(str(outcome))}{where}: most influential {listed}")
    return lines


def _front(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame[[*columns, *(c for c in frame.columns if c not in columns)]]


def _problem(design: DesignPoints) -> dict:
    """SALib's description of the design's factors, which every sampled design has."""
    if design.problem is None:
        raise ValueError("a grid design has no SALib problem, hence no indices")
    return design.problem


def _sobol(design: DesignPoints, experiment: dict, y: np.ndarray, seed: int):
    from SALib.analyze import sobol

    second, problem = experiment["design"]["second_order"], _problem(design)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        found = sobol.analyze(problem, y, calc_second_order=second, conf_level=LEVEL, seed=seed)
    names = problem["names"]
    table = pd.DataFrame({"parameter": names, **{k: found[k] for k in ("S1", "S1_conf", "ST", "ST_conf")}})
    if not second:
        return table, None
    pairs = [(i, j) for i in range(len(names)) for j in range(i + 1, len(names))]
    return table, pd.DataFrame(
        {
            "parameter": [names[i] for i, _ in pairs],
            "with": [names[j] for _, j in pairs],
            "S2": [found["S2"][i, j] for i, j in pairs],
            "S2_conf": [found["S2_conf"][i, j] for i, j in pairs],
        }
    )


def _morris(design: DesignPoints, experiment: dict, y: np.ndarray, seed: int) -> pd.DataFrame:
    from SALib.analyze import morris

    problem = _problem(design)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        found = morris.analyze(
            problem, design.matrix, y, conf_level=LEVEL, num_levels=experiment["design"]["levels"], seed=seed
        )
    return pd.DataFrame(
        {
            "parameter": problem["names"],
            "mu_star": found["mu_star"],
            "mu_star_conf": found["mu_star_conf"],
            "sigma": found["sigma"],
            "mu": found["mu"],
        }
    )
