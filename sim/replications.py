"""Replications: one scenario on consecutive seeds, so that a chart shows what is the programme and what is luck.

One run's ups and downs are its seed's: a dip before a programme starts can be
chance alone. ``kshare run --replications N`` runs seeds ``seed`` to
``seed + N - 1`` with the scenario's parameters unchanged (unlike an ensemble,
which also draws the parameters), and reports every weekly output as the mean
over the replications with its 95 % Student-t interval: how well N runs pin the
mean down. Each replication's reference, the same organisation and seed with no
intervention, is run beside it, so the reference line is a mean over the same
seeds.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sim.ensemble import band_frame, run_all, stack
from sim.runner.statistics import half_width
from sim.scenario import SEED_MAX, Scenario

#: At most this many replications: a band over more says nothing a thousand do not, and a typo would run for hours.
MOST = 1000
#: What the band is, in the words ``summary.json`` and the chart use.
BAND = "95 % Student-t interval of the mean over the replications"


@dataclass
class Replications:
    """N runs of one scenario on consecutive seeds, and their references without interventions (or none)."""

    scenario: Scenario
    seeds: list[int]
    frames: list[pd.DataFrame]
    references: list[pd.DataFrame]

    def band(self) -> pd.DataFrame:
        """Every weekly output's mean over the replications, with the interval's ends as ``_low`` and ``_high``."""
        return _band(self.frames)

    def reference_band(self) -> pd.DataFrame | None:
        """The same for the references, or None when none were run."""
        return _band(self.references) if self.references else None

    def every_run(self) -> pd.DataFrame:
        """Every replication's weekly rows, one table, led by its ``replication`` number (from 0) and ``seed``."""
        return pd.concat(
            [
                frame.assign(replication=number, seed=seed)[["replication", "seed", *frame.columns]]
                for number, (seed, frame) in enumerate(zip(self.seeds, self.frames))
            ],
            ignore_index=True,
        )


def _band(frames: list[pd.DataFrame]) -> pd.DataFrame:
    columns, stacked = stack(frames)
    mean, half = stacked.mean(axis=0), half_width(stacked)
    return band_frame(columns, mean, mean - half, mean + half)


def replication_seeds(first: int, n: int) -> list[int]:
    """Seeds ``first`` to ``first + n - 1``; a clear error when ``n`` or the last seed is out of range."""
    if not 1 <= n <= MOST:
        raise ValueError(f"replications: got {n}; expected a whole number from 1 to {MOST}")
    if first + n - 1 > SEED_MAX:
        raise ValueError(
            f"replications: seeds {first} to {first + n - 1} run past the largest seed, {SEED_MAX}; "
            f"expected a seed of at most {SEED_MAX - n + 1} with {n} replications"
        )
    return list(range(first, first + n))


def run_replications(
    scenario: Scenario, n: int, seed: int | None = None, workers: int | None = None, reference: bool = True
) -> Replications:
    """Run ``scenario`` on ``n`` consecutive seeds from ``seed`` (default: the scenario's), and, when it has
    interventions and ``reference`` is true, each seed again without them."""
    seeds = replication_seeds(scenario.seed if seed is None else seed, n)
    tasks: list[tuple[Scenario, dict[str, float], int]] = [(scenario, {}, s) for s in seeds]
    with_reference = reference and bool(scenario.interventions)
    if with_reference:
        alone = scenario.model_copy(update={"interventions": []})
        tasks += [(alone, {}, s) for s in seeds]
    frames = run_all(tasks, workers)
    return Replications(scenario, seeds, frames[:n], frames[n:] if with_reference else [])
