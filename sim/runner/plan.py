"""Every run of an experiment, each with its own seed, known before the first one starts.

Seeds come from the experiment's one seed through numpy's ``SeedSequence``,
so a run's seed depends only on the experiment and the run's place in it, not
on which engine ran it or in what order. With common random numbers (the
default), replication r has the same seed in every scenario and at every
parameter point: differences between scenarios are then not blurred by
differences in luck, and effects are estimated from paired runs.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

import numpy as np

from sim.runner.definition import LoadedExperiment
from sim.runner.design import build
from sim.runner.design import count as count_points
from sim.scenario import Scenario
from sim.scenario_files import with_overrides


@dataclass(frozen=True)
class RunSpec:
    """Everything a worker needs to make one run, and nothing it must look up elsewhere."""

    run_id: str
    experiment: str
    scenario: str
    point: int
    replication: int
    seed: int
    params: Scenario
    factors: dict[str, float | int] = field(default_factory=dict)
    columns: tuple[str, ...] = ()
    every: int | None = 1  # None: final week only
    outcomes: tuple[str, ...] = ()
    source: str = ""  # the scenario as the experiment names it: a preset or a file
    overrides: dict[str, object] = field(default_factory=dict)  # the experiment's settings and this point's values

    def rerun_command(self) -> str:
        """The ``kshare run`` line that makes this run alone, with identical numbers."""
        parts = ["kshare", "run", self.source, "--seed", str(self.seed)]
        for name, value in self.overrides.items():
            parts += ["--set", f"{name}={value!r}" if isinstance(value, str) else f"{name}={value}"]
        return shlex.join(parts)


def run_bytes(spec: RunSpec) -> int:
    """Disk room one run's file needs, generously: a sweep checks it is all free before it writes anything.

    Measured: 12-16 KB a run with weekly outputs over 156 weeks, 24 KB with final outputs only (the outcomes
    and provenance in the metadata); 30 KB plus 200 bytes a recorded week covers both.
    """
    recorded = 0 if spec.every is None else spec.params.weeks // spec.every + 1
    return 30_000 + 200 * recorded


#: Runs a sweep may have without ``--allow-large``: a plan of a million runs takes about a gigabyte to build,
#: and at a run a second on 8 cores, 35 hours to run. Larger sweeps are possible, but never by a slip.
MAX_RUNS = 1_000_000


def size(experiment: LoadedExperiment) -> tuple[int, int]:
    """The number of runs and of parameter points, counted without building the plan."""
    points = count_points(experiment)
    return len(experiment.scenarios) * points * experiment.definition.replications, points


def seeds(root: int, count: int) -> list[int]:
    """``count`` independent 63-bit seeds from one root seed."""
    return [
        int(child.generate_state(1, dtype=np.uint64)[0] >> 1) for child in np.random.SeedSequence(root).spawn(count)
    ]


def plan(experiment: LoadedExperiment) -> list[RunSpec]:
    """All runs, replication by replication, so a sweep stopped early has every scenario equally covered."""
    spec = experiment.definition
    points = build(experiment).points
    labels = list(experiment.scenarios)
    reps = spec.replications
    if spec.common_random_numbers:
        per_rep = seeds(spec.seed, reps)
        seed_of = lambda s, p, r: per_rep[r]  # noqa: E731
    else:
        flat = seeds(spec.seed, reps * len(labels) * len(points))
        seed_of = lambda s, p, r: flat[(s * len(points) + p) * reps + r]  # noqa: E731
    paths = {f.name: f.path for f in experiment.factors}
    scenarios = {
        (label, number): with_overrides(experiment.scenarios[label], {paths[k]: v for k, v in point.items()})
        for label in labels
        for number, point in enumerate(points)
    }
    every = None if spec.outputs.every == "final" else spec.outputs.every
    fixed = dict(spec.set) | ({"weeks": spec.weeks} if spec.weeks else {})
    runs = []
    for rep in range(reps):
        # A posterior draw for this replication, in every scenario and at every point; what the experiment
        # sets or varies wins over it.
        drawn = {k: v for k, v in experiment.draws[rep].items() if k not in fixed} if experiment.draws else {}
        for s, label in enumerate(labels):
            for number, point in enumerate(points):
                own = {k: v for k, v in drawn.items() if k not in point}
                run_id = f"{label}-r{rep:03d}" if len(points) == 1 else f"{label}-p{number:04d}-r{rep:03d}"
                runs.append(
                    RunSpec(
                        run_id=run_id,
                        experiment=spec.name,
                        scenario=label,
                        point=number,
                        replication=rep,
                        seed=seed_of(s, number, rep),
                        params=with_overrides(scenarios[(label, number)], own) if own else scenarios[(label, number)],
                        factors=point,
                        columns=tuple(spec.outputs.columns),
                        every=every,
                        outcomes=tuple(spec.analysis.outcomes),
                        source=experiment.sources[label],
                        overrides=fixed | own | point,
                    )
                )
    return runs
