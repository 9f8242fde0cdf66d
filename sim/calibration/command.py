"""``kshare calibrate``: fit the uncertain parameters to the patterns with ABC-SMC, and write the posterior."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from sim.calibration.abc import Norm


def _command_line() -> str:
    """The command as typed, or as the options it was given when called from Python (e.g. a test)."""
    if sys.argv[1:2] == ["calibrate"]:
        return shlex.join(["kshare", *sys.argv[1:]])
    params = click.get_current_context().params
    given = [f"--{k.replace('_', '-')}={v}" for k, v in params.items() if v not in (None, False)]
    return shlex.join(["kshare", "calibrate", *given])


def _scenario_source(given: str) -> str:
    """A preset's name as given; a scenario file as an absolute path, so that every worker finds it; refused here,
    with the loader's message, if it is not a valid scenario."""
    from sim.scenario_files import ScenarioError, load_scenario

    source = str(Path(given).resolve()) if given.endswith(".toml") else given
    try:
        load_scenario(source)
    except (ScenarioError, FileNotFoundError, ValueError) as error:
        raise click.BadParameter(str(error), param_hint="--scenario") from None
    return source


@click.command()
@click.option(
    "--patterns",
    "patterns_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Patterns file (default: the packaged sim/calibration/patterns.toml).",
)
@click.option(
    "--priors",
    "priors_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Priors file (default: the packaged sim/calibration/priors.toml).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("results") / "calibration",
    show_default=True,
    help="Output folder: posterior, diagnostics, figure and the pyabc database.",
)
@click.option("--population", type=click.IntRange(2, 100_000), default=400, show_default=True, help="Particles.")
@click.option(
    "--generations", type=click.IntRange(1, 1000), default=8, show_default=True, help="At most this many generations."
)
@click.option(
    "--min-epsilon",
    type=click.FloatRange(0.0),
    default=0.4,
    show_default=True,
    help="Stop once the threshold is this low (in half-widths of the patterns' bands).",
)
@click.option(
    "--norm",
    type=click.Choice(["rms", "max"]),
    default="rms",
    show_default=True,
    help="Combine the patterns' distances by their root mean square or their maximum.",
)
@click.option(
    "--kernel-scaling",
    type=click.FloatRange(0.0, min_open=True),
    default=3.0,
    show_default=True,
    help="Width of the perturbation kernel, times pyabc's default (wider keeps the weights even in many dimensions).",
)
@click.option(
    "--employees", type=click.IntRange(10, 2_000_000), default=1000, show_default=True, help="Organisation size."
)
@click.option(
    "--scenario",
    default="baseline",
    show_default=True,
    help="The scenario each evaluation runs: a preset's name or a scenario file (e.g. one with seeking on).",
)
@click.option("--weeks", type=click.IntRange(1, 5200), default=None, help="Weeks per run (default: the scenario's).")
@click.option(
    "--draws",
    type=click.IntRange(1, 100_000),
    default=40,
    show_default=True,
    help="Posterior predictive runs for the fit table.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 4096),
    default=2,
    show_default=True,
    help="Worker processes (1: in this process, reproducible by --seed).",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    default=None,
    help="Evaluate on an existing Dask cluster, e.g. tcp://scheduler:8786 (needs kshare[dask]).",
)
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=0, show_default=True, help="Seed of the fit.")
@click.option(
    "--install", is_flag=True, help="Copy the posterior into the package (sim/calibration/posterior.parquet)."
)
@click.option("--check", is_flag=True, help="Only check the files and show the plan; run nothing.")
def calibrate(
    patterns_file: Path | None,
    priors_file: Path | None,
    out: Path,
    population: int,
    generations: int,
    min_epsilon: float,
    norm: Norm,
    kernel_scaling: float,
    employees: int,
    scenario: str,
    weeks: int | None,
    draws: int,
    workers: int,
    dask_address: str | None,
    seed: int,
    install: bool,
    check: bool,
) -> None:
    """Fit the priors' parameters to the fitted patterns of the baseline with ABC-SMC (pyabc).

    Writes OUT/posterior.parquet (the last generation's particles and weights, with the provenance), the
    diagnostics (OUT/generations.csv, fit.csv, predictive.csv, posterior_summary.csv, diagnostics.md, fit.png,
    run.json) and the pyabc database OUT/abc.db. Held-out patterns are not fitted; they are reported with the
    fitted ones in the posterior predictive check. See docs/calibration.md.
    """
    from sim.calibration.abc import CalibrationUnavailable, Settings
    from sim.calibration.files import CalibrationFileError
    from sim.calibration.patterns import load_patterns
    from sim.calibration.priors import load_priors

    settings = Settings(
        population=population,
        generations=generations,
        min_epsilon=min_epsilon,
        norm=norm,
        kernel_scaling=kernel_scaling,
        employees=employees,
        weeks=weeks,
        scenario=_scenario_source(scenario),
        workers=workers,
        seed=seed,
        draws=draws,
        dask=dask_address,
    )
    errors = []
    patterns = priors = None
    try:
        patterns = load_patterns(patterns_file)
    except CalibrationFileError as error:
        errors.append(str(error))
    try:
        priors = load_priors(priors_file, settings.scenario)
    except CalibrationFileError as error:
        errors.append(str(error))
    if errors or patterns is None or priors is None:
        raise click.ClickException("\n".join(errors))
    click.echo(settings.plan(patterns, priors))
    if check:
        return

    from sim.calibration.abc import calibrate as run_calibration
    from sim.calibration.abc import install as install_posterior

    command = _command_line()
    try:
        result = run_calibration(patterns, priors, settings, out, command=command, report=click.echo)
    except CalibrationUnavailable as error:
        raise click.ClickException(str(error)) from None
    fitted = result.fit[~result.fit["held_out"]]
    held = result.fit[result.fit["held_out"]]
    click.echo(
        f"{len(result.generations)} generation(s), {int(result.generations['evaluations'].sum()):,} evaluations "
        f"in {result.seconds:.0f} s; final epsilon {result.generations['epsilon'].iloc[-1]:.3f}"
    )
    click.echo(
        f"  posterior predictive means within their bands: {int(fitted['mean_within'].sum())} of {len(fitted)} "
        f"fitted, {int(held['mean_within'].sum())} of {len(held)} held out"
    )
    for name in ("posterior", "markdown", "figure", "database"):
        click.echo(f"  wrote {result.paths[name]}")
    if install:
        try:
            target = install_posterior(result.paths["posterior"])
        except OSError as error:
            raise click.ClickException(f"could not install the posterior: {error.strerror or error}") from None
        click.echo(f"  installed {target}")
