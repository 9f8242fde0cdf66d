"""The ABC-SMC fit of the priors' parameters to the fitted patterns, with pyabc (the ``calibrate`` extra).

Each evaluation runs the scenario (the baseline) with a particle's parameters at a configurable size and
returns the statistic of every *fitted* pattern. The distance of a run from the targets is the root mean
square (or, with ``norm = "max"``, the largest), over the fitted patterns, of each statistic's distance from
its target in half-widths of the pattern's band on that side (``BandDistance``): 1 is the band's edge.
ABC-SMC (Beaumont et al. 2009; Klinger et al. 2018) lowers the threshold epsilon from generation to generation
(pyabc's default: the median of the last generation's distances) until ``min_epsilon`` or the last generation.

Reproducibility. numpy's global generator, which pyabc draws every proposal from, is seeded with ``seed``,
and each evaluation's model seed is derived from ``seed``, the particle's parameters and how many times these
exact parameters were evaluated before in that process (``evaluation_seed``), so a particle's statistics can
be recomputed from its parameters alone. With one worker (pyabc's single-core sampler, in this process) a run
is reproduced exactly by the same seed, patterns, priors, size, kshare and pyabc. With several workers
(pyabc's multicore evaluation-parallel sampler) or on Dask, pyabc reseeds each worker from the operating
system and keeps the first particles to finish, so proposals and the posterior differ between runs; each
particle's statistics still follow from its parameters, and the posterior predictive check (``predictive``)
is reproduced exactly given the posterior.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import math
import random
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from sim.calibration.patterns import PatternSet
from sim.calibration.posterior import Posterior, load_posterior, write_posterior
from sim.calibration.priors import PriorSet
from sim.calibration.statistics import STATISTICS, WINDOW, simulate

INSTALL_HINT = "uv sync --extra calibrate` or `pip install 'kshare[calibrate]'"
#: The distance given to a run whose statistic could not be computed (NaN: e.g. nobody shared), so it is
#: rejected at every threshold without breaking the median pyabc takes of the distances.
UNDEFINED_DISTANCE = 1e6
#: How the fitted patterns' scaled distances are combined (``BandDistance``).
Norm = Literal["rms", "max"]
NORMS: tuple[str, ...] = ("rms", "max")


class CalibrationUnavailable(RuntimeError):
    """pyabc (or Dask, for --dask) is not installed."""


def require_pyabc() -> Any:
    try:
        return importlib.import_module("pyabc")  # untyped: kept out of mypy's sight
    except ImportError:
        raise CalibrationUnavailable(
            f"kshare calibrate needs pyabc, which is not installed: `{INSTALL_HINT}`"
        ) from None


@dataclass
class Settings:
    """Everything that decides a fit, besides the patterns and priors."""

    population: int = 400
    generations: int = 8
    min_epsilon: float = 0.4  # stop once the threshold is this low (see BandDistance)
    norm: Norm = "rms"
    kernel_scaling: float = 3.0  # width of pyabc's perturbation kernel, times its default (see docs/calibration.md)
    employees: int = 1000
    weeks: int | None = None  # the scenario's (104 for the baseline)
    window: int = WINDOW
    scenario: str = "baseline"
    workers: int = 2
    seed: int = 0
    draws: int = 40  # posterior predictive runs
    dask: str | None = None

    def plan(self, patterns: PatternSet, priors: PriorSet) -> str:
        engine = (
            f"Dask cluster at {self.dask}"
            if self.dask
            else (f"{self.workers} worker processes" if self.workers > 1 else "one process (reproducible)")
        )
        weeks = "the scenario's weeks" if self.weeks is None else f"{self.weeks} weeks"
        lines = [
            f"ABC-SMC on the {self.scenario} scenario at {self.employees:,} employees, {weeks}, seed {self.seed}",
            f"  {len(patterns.fitted)} fitted pattern(s): {', '.join(p.name for p in patterns.fitted)}",
            f"  {len(patterns.held_out)} held out: {', '.join(p.name for p in patterns.held_out) or '(none)'}",
            f"  {len(priors)} parameter(s): " + ", ".join(f"{p.name} [{p.low:g}, {p.high:g}]" for p in priors),
            (
                f"  population {self.population}, up to {self.generations} generation(s), "
                f"kernel x{self.kernel_scaling:g}, stopping at epsilon <= {self.min_epsilon:g} "
                f"({self.norm} of the patterns' distances); {engine}"
            ),
            f"  then {self.draws} posterior predictive run(s) over all {len(patterns)} patterns",
        ]
        return "\n".join(lines)


# ------------------------------------------------------------------------------- seeds
def evaluation_seed(seed: int, parameters: Mapping[str, float], repeat: int = 0) -> int:
    """A model seed from the run's seed, a parameter set and how many times that set was evaluated before."""
    text = json.dumps([seed, sorted((k, float(v).hex()) for k, v in parameters.items()), repeat])
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little") >> 1


# ------------------------------------------------------------------------ model and distance
class PatternModel:
    """pyabc's model: the statistics of the given patterns in a run with a particle's parameters.

    Picklable (a plain object), so that pyabc can send it to Dask workers.
    """

    def __init__(self, patterns: PatternSet, settings: Settings, fitted_only: bool = True):
        self.patterns = patterns.fitted if fitted_only else tuple(patterns)
        self.settings = settings
        self._seen: Counter[str] = Counter()

    def seed_for(self, parameters: Mapping[str, float]) -> int:
        key = json.dumps(sorted((k, float(v).hex()) for k, v in parameters.items()))
        repeat = self._seen[key]
        self._seen[key] += 1
        return evaluation_seed(self.settings.seed, parameters, repeat)

    def __call__(self, parameters: Mapping[str, float]) -> dict[str, float]:
        values = {name: float(value) for name, value in parameters.items()}
        return self.statistics(values, self.seed_for(values))

    def statistics(self, parameters: Mapping[str, float], seed: int) -> dict[str, float]:
        from sim.scenario_files import ScenarioError

        s = self.settings
        try:
            record = simulate(
                parameters, seed=seed, employees=s.employees, weeks=s.weeks, scenario=s.scenario, window=s.window
            )
        except ScenarioError:  # a parameter set the scenario refuses: no statistics, always rejected
            return {p.name: math.nan for p in self.patterns}
        return {p.name: STATISTICS[p.statistic](record) for p in self.patterns}


class BandDistance:
    """How far a run is from the fitted patterns' targets: each statistic's distance from its target in
    half-widths of its band on that side (``Pattern.scaled``: the band's edges are at 1), combined over the
    patterns as their root mean square (``norm = "rms"``) or their maximum (``"max"``).

    With "max", a distance of at most 1 means every fitted pattern is within its band; with "rms", that the
    patterns are within their bands on average (and at most 1/sqrt(k) means all k are). The root mean square
    lets every pattern count even when one cannot be reached, where the maximum would attend to that one alone.
    pyabc calls it with the simulated and the observed statistics; the targets are the patterns' own.
    """

    def __init__(self, patterns: PatternSet, norm: Norm = "rms"):
        if norm not in NORMS:
            raise ValueError(f"norm must be one of {', '.join(NORMS)}, got {norm!r}")
        self.patterns = patterns.fitted
        self.norm = norm

    def scaled(self, simulated: Mapping[str, float]) -> dict[str, float]:
        return {p.name: p.scaled(float(simulated[p.name])) for p in self.patterns}

    def __call__(self, simulated: Mapping[str, float], observed: Mapping[str, float] | None = None) -> float:
        distances = [abs(value) for value in self.scaled(simulated).values()]
        if not distances:
            return 0.0
        if any(math.isnan(d) for d in distances):
            return UNDEFINED_DISTANCE
        if self.norm == "max":
            return float(max(distances))
        return float(math.sqrt(sum(d * d for d in distances) / len(distances)))


# ------------------------------------------------------------------------------ the run
@dataclass
class Result:
    """What a fit produced, and where it wrote it."""

    out: Path
    posterior: Posterior
    generations: pd.DataFrame
    fit: pd.DataFrame
    predictive: pd.DataFrame
    seconds: float
    paths: dict[str, Path] = field(default_factory=dict)


def _sampler(pyabc: Any, settings: Settings) -> Any:
    if settings.dask:
        try:
            from distributed import Client
        except ImportError:
            raise CalibrationUnavailable(
                "--dask needs Dask's distributed scheduler: `uv sync --extra dask` or `pip install 'kshare[dask]'`"
            ) from None
        return pyabc.sampler.DaskDistributedSampler(dask_client=Client(settings.dask))
    if settings.workers > 1:
        return pyabc.sampler.MulticoreEvalParallelSampler(n_procs=settings.workers)
    return pyabc.sampler.SingleCoreSampler()


def calibrate(
    patterns: PatternSet,
    priors: PriorSet,
    settings: Settings,
    out: Path,
    *,
    command: str | None = None,
    progress: bool | None = None,
    report: Callable[[str], None] | None = None,
) -> Result:
    """Run the ABC-SMC fit and write the posterior and its diagnostics to ``out``.

    ``report`` receives one line per finished generation; ``progress`` shows a tqdm bar of the generations
    (default: when stderr is a terminal).
    """
    from sim.calibration import diagnostics

    pyabc = require_pyabc()
    for name in ("ABC", "pyabc"):
        logging.getLogger(name).setLevel(logging.WARNING)
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    database = out / ".abc.db.partial"
    database.unlink(missing_ok=True)

    model = PatternModel(patterns, settings)
    model.statistics({}, 0)  # compile or load the kernels once here, before the sampler forks its workers
    prior = pyabc.Distribution(**{p.name: pyabc.RV("uniform", p.low, p.high - p.low) for p in priors})
    observed = {p.name: p.target for p in patterns.fitted}
    np.random.seed(settings.seed % 2**32)  # noqa: NPY002  pyabc draws every proposal from numpy's global generator
    random.seed(settings.seed)
    sampler = _sampler(pyabc, settings)
    try:
        abc = pyabc.ABCSMC(
            model,
            prior,
            BandDistance(patterns, settings.norm),
            population_size=settings.population,
            transitions=pyabc.MultivariateNormalTransition(scaling=settings.kernel_scaling),
            sampler=sampler,
        )
        abc.new(f"sqlite:///{database.resolve()}", observed)
        _generations(abc, settings, progress, report)
    finally:
        if settings.dask:
            sampler.client.close()  # the client this run opened; the cluster is left as it was
    history = abc.history
    if history.max_t is None or history.max_t < 0:
        raise RuntimeError("ABC-SMC finished no generation")

    frame, weights = history.get_distribution(m=0, t=history.max_t)
    parameters = frame[[p.name for p in priors]].reset_index(drop=True)
    generations = diagnostics.generations_table(history)
    metadata = provenance(patterns, priors, settings, command, generations)
    posterior_path = out / "posterior.parquet"
    write_posterior(posterior_path, parameters, np.asarray(weights), metadata)
    posterior = load_posterior(posterior_path)

    predictive = predictive_runs(posterior, patterns, settings)
    defaults = default_runs(patterns, settings)
    fit = diagnostics.fit_table(patterns, predictive, defaults)
    elapsed = time.perf_counter() - started
    paths = diagnostics.write_all(out, posterior, generations, fit, predictive, patterns, settings, metadata)
    paths["posterior"] = posterior_path
    del abc, history
    final = out / "abc.db"
    database.replace(final)
    paths["database"] = final
    return Result(out, posterior, generations, fit, predictive, elapsed, paths)


def _generations(abc: Any, settings: Settings, progress: bool | None, report: Callable[[str], None] | None) -> None:
    """pyabc's ``ABCSMC.run``, a generation at a time, with a progress bar and a line per generation."""
    from tqdm import tqdm

    from sim.calibration import diagnostics

    t = abc.initialize_components_before_run(
        minimum_epsilon=settings.min_epsilon,
        max_nr_populations=settings.generations,
        min_acceptance_rate=0.0,
        max_total_nr_simulations=np.inf,
        max_walltime=None,
        min_eps_diff=0.0,
    )
    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(total=settings.generations, unit="generation", desc="ABC-SMC", disable=not show, leave=False) as bar:
        while True:
            outcome = abc.run_generation(t=t)
            if not outcome["successful"]:
                break
            line = diagnostics.generation_line(abc.history, t)
            bar.set_postfix_str(line.split(": ", 1)[-1], refresh=False)
            bar.update()
            if report is not None:
                report(line)
            if abc.check_terminate(t=t, acceptance_rate=outcome["acceptance_rate"]):
                break
            t += 1


def provenance(
    patterns: PatternSet, priors: PriorSet, settings: Settings, command: str | None, generations: pd.DataFrame
) -> dict[str, Any]:
    from sim.versions import versions

    pyabc = require_pyabc()

    last = generations.iloc[-1]
    return {
        **versions(),
        "pyabc_version": pyabc.__version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command or "sim.calibration.abc.calibrate (Python)",
        "seed": settings.seed,
        "settings": asdict(settings),
        "scenario": settings.scenario,
        "employees": settings.employees,
        "weeks": settings.weeks,
        "generations_run": len(generations),
        "final_epsilon": float(last["epsilon"]),
        "evaluations": int(generations["evaluations"].sum()),
        "patterns_file": patterns.source,
        "priors_file": priors.source,
        "patterns": patterns.to_records(),
        "priors": priors.to_records(),
        "reproducible": settings.workers == 1 and not settings.dask,
    }


# --------------------------------------------------------------------- posterior predictive
def predictive_runs(posterior: Posterior, patterns: PatternSet, settings: Settings) -> pd.DataFrame:
    """All patterns' statistics in ``settings.draws`` runs, each with a parameter set drawn from the posterior
    and its own seed; one row per run. Reproduced exactly by the same posterior and settings."""
    draws = min(settings.draws, posterior.particles)
    model = PatternModel(patterns, settings, fitted_only=False)
    rows = []
    for number, parameters in enumerate(posterior.draw(draws, rng=np.random.default_rng([settings.seed, 1]))):
        seed = evaluation_seed(settings.seed, parameters, 1_000_000 + number)
        rows.append({"draw": number, "seed": seed, **parameters, **model.statistics(parameters, seed)})
    return pd.DataFrame(rows)


def default_runs(patterns: PatternSet, settings: Settings) -> pd.DataFrame:
    """All patterns' statistics at the scenario's own parameters, over as many seeds as predictive draws:
    what the fit is compared with."""
    model = PatternModel(patterns, settings, fitted_only=False)
    rows = [model.statistics({}, evaluation_seed(settings.seed, {}, number)) for number in range(settings.draws)]
    return pd.DataFrame(rows)


def install(posterior_file: Path) -> Path:
    """Copy a posterior into the package (``sim/calibration/posterior.parquet``), whole or not at all."""
    from sim.calibration.posterior import default_path
    from sim.files import atomic_write

    load_posterior(posterior_file)  # never install what cannot be read
    target = default_path()
    atomic_write(target, lambda tmp: shutil.copyfile(posterior_file, tmp))
    return target
