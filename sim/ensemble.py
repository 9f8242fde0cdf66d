"""Runs over posterior draws: every answer with the parameters' uncertainty as well as the seed's.

One run answers "what would happen with these parameters and this luck". A
calibration leaves a posterior, a cloud of parameter sets that all reproduce
the patterns about as well; an ensemble runs the scenario once for each of N
draws from it, each with its own seed, and reports every weekly output as a
mean with a 95 % band (the 2.5th and 97.5th percentiles over the runs). The
band is what a strategist should read before spending a budget on the mean.

Draws and seeds both come from the one ``seed``: draw i is the i-th weighted
draw from the posterior, run with the i-th seed spawned from it, so an
ensemble gives the same numbers on one process or many.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.calibration.posterior import Posterior, load_posterior
from sim.scenario import Scenario
from sim.scenario_files import load_scenario

#: The band reported around every mean: the middle 95 % of the runs.
BAND = (2.5, 97.5)


@dataclass
class Ensemble:
    """N runs of one scenario, each with its own posterior draw and seed."""

    scenario: Scenario
    draws: list[dict[str, float]]
    seeds: list[int]
    frames: list[pd.DataFrame]
    posterior: str

    def band(self) -> pd.DataFrame:
        """Every weekly output as its mean over the runs, with ``<output>_low`` and ``<output>_high`` beside it.

        Runs that stopped at a steady state early (the barter rule) are held at their last week.
        """
        columns, stacked = stack(self.frames)
        low, high = np.percentile(stacked, BAND, axis=0)
        return band_frame(columns, stacked.mean(axis=0), low, high)


def stack(frames: list[pd.DataFrame]) -> tuple[list[str], np.ndarray]:
    """Every output but the week, as one array (run, week, output); runs that stopped at a steady state early
    (the barter rule) are held at their last week, so that they still count in later weeks' means."""
    weeks = max(len(frame) for frame in frames)
    columns = [column for column in frames[0].columns if column != "week"]
    return columns, np.stack([_padded(frame[columns].to_numpy(dtype=np.float64), weeks) for frame in frames])


def band_frame(columns: list[str], mean: np.ndarray, low: np.ndarray, high: np.ndarray) -> pd.DataFrame:
    """One row per week: each output's mean with ``<output>_low`` and ``<output>_high`` beside it."""
    out: dict[str, np.ndarray] = {"week": np.arange(len(mean), dtype=np.float64)}
    for k, column in enumerate(columns):
        out |= {column: mean[:, k], f"{column}_low": low[:, k], f"{column}_high": high[:, k]}
    return pd.DataFrame(out)


def _padded(values: np.ndarray, weeks: int) -> np.ndarray:
    if len(values) == weeks:
        return values
    return np.vstack([values, np.repeat(values[-1:], weeks - len(values), axis=0)])


def draws_and_seeds(posterior: Posterior, n: int, seed: int) -> tuple[list[dict[str, float]], list[int]]:
    """N parameter sets drawn by weight, and N seeds, both from ``seed`` alone."""
    from sim.runner.plan import seeds

    return posterior.draw(n, np.random.default_rng([seed, 3])), seeds(seed, n)


def _one(task: tuple[Scenario, dict[str, float], int]) -> pd.DataFrame:
    from sim.model import KnowledgeSharingModel

    scenario, overrides, seed = task
    model = KnowledgeSharingModel(scenario, rng=seed, **overrides)
    model.run()
    return model.timeseries()


def run_ensemble(
    scenario: str | Path | Scenario,
    n: int,
    *,
    posterior: str | Path | Posterior | None = None,
    seed: int | None = None,
    workers: int | None = None,
    **overrides: Any,
) -> Ensemble:
    """Run ``scenario`` once for each of ``n`` posterior draws, each with its own seed.

    ``posterior`` is a Posterior, a file written by ``kshare calibrate``, or None for the one shipped with
    kshare. ``overrides`` apply to every run and win over the drawn parameters (so ``employees=2000`` sizes
    them all; a drawn parameter named there is not drawn). ``workers`` processes run them (default: all
    cores; 1 runs them here).
    """
    params = load_scenario(scenario, **overrides)
    found = posterior if isinstance(posterior, Posterior) else load_posterior(posterior)
    base_seed = params.seed if seed is None else seed
    sets, seeds = draws_and_seeds(found, n, base_seed)
    fixed = set(overrides)
    tasks: list[tuple[Scenario, dict[str, float], int]] = [
        (load_scenario(params, **{k: v for k, v in drawn.items() if k not in fixed}), {}, run_seed)
        for drawn, run_seed in zip(sets, seeds)
    ]
    return Ensemble(params, sets, seeds, run_all(tasks, workers), found.source)


def run_all(tasks: list[tuple[Scenario, dict[str, float], int]], workers: int | None) -> list[pd.DataFrame]:
    """Each task's weekly table, in order, on ``workers`` processes (default: all cores; 1 runs them here)."""
    n = len(tasks)
    workers = workers or multiprocessing.cpu_count()
    if workers == 1 or n == 1:
        return [_one(task) for task in tasks]
    from sim.runner import lifeline  # the workers and their fork server die with this process, as a sweep's do

    context = lifeline.forkserver_context(["sim.model"])
    pool = ProcessPoolExecutor(
        min(workers, n), mp_context=context, initializer=lifeline.tie_to_parent, initargs=(os.getpid(),)
    )
    with pool:
        return list(pool.map(_one, tasks, chunksize=max(1, n // (4 * workers))))
