"""The ``kshare`` command line: list, validate and run scenarios."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from tqdm import tqdm

from sim.files import results_folder
from sim.interventions import FAMILIES
from sim.options import ANONYMISE
from sim.result_set import check_folder
from sim.scenario import SEED_MAX, Scenario
from sim.scenario_files import (
    ScenarioError,
    command_line_overrides,
    load_scenario,
    preset_names,
    with_overrides,
)

#: Runs expected to take less than this many seconds show no progress bar.
PROGRESS_DELAY = 2.0


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="kshare", prog_name="kshare")
def main() -> None:
    """Simulate how knowledge sharing grows, stalls or dies in an organisation,
    and what culture interventions do about it."""


@main.command()
@click.option("--interventions", is_flag=True, help="Also list the intervention types a scenario may use.")
def scenarios(interventions: bool) -> None:
    """List the preset scenarios with what each shows."""
    for name in preset_names():
        scenario = load_scenario(name)
        click.echo(f"{click.style(name, bold=True):<36} {scenario.description}")
    if interventions:
        click.echo("\nIntervention types:")
        for family in FAMILIES:
            click.echo(f"  {family.type_name():<26} {family.SUMMARY}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def validate(file: Path) -> None:
    """Check a scenario FILE and explain every problem in it."""
    try:
        load_scenario(file)
    except ScenarioError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(f"{file}: valid")


@main.command()
@click.argument("scenario")
@click.option("--weeks", type=click.IntRange(1, 5200), help="Weeks to simulate (default: the scenario's).")
@click.option("--employees", type=click.IntRange(10, 2_000_000), help="Organisation size (default: the scenario's).")
@click.option("--seed", type=click.IntRange(0, SEED_MAX), help="Random seed (default: the scenario's).")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override any parameter, by bare name (recognition=0.7) or path (interventions.0.end=40). Repeatable.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: results/<scenario>).",
)
@click.option(
    "--ensemble",
    type=click.IntRange(1, 100_000),
    default=None,
    metavar="N",
    help="Run once for each of N parameter sets drawn from the calibration's posterior, each with its own seed, "
    "and report every output as a mean with a 95 % band.",
)
@click.option(
    "--replications",
    type=click.IntRange(1, 1000),
    default=None,
    metavar="N",
    help="Run seeds SEED to SEED+N-1 (1 to 1000 runs), with the scenario's parameters, and report every output "
    "as the mean with its 95 % interval; the chart shows the band.",
)
@click.option(
    "--posterior",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="With --ensemble: a posterior from `kshare calibrate` (default: the one shipped with kshare).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 4096),
    default=None,
    help="With --ensemble or --replications: processes (default: all cores).",
)
@click.option(
    "--ylim",
    type=click.FloatRange(1, 100),
    default=None,
    metavar="PERCENT",
    help="Top of the chart's sharing axis, in percent (e.g. 100), so that charts set side by side compare.",
)
@click.option(
    "--no-reference",
    is_flag=True,
    help="Do not also run the same organisation and seed without interventions for the chart's reference line.",
)
@ANONYMISE
def run(
    scenario: str,
    weeks: int | None,
    employees: int | None,
    seed: int | None,
    assignments: tuple[str, ...],
    out: Path | None,
    ensemble: int | None,
    replications: int | None,
    posterior: Path | None,
    workers: int | None,
    ylim: float | None,
    no_reference: bool,
    anonymise: bool,
) -> None:
    """Run SCENARIO (a preset name or a scenario file) and write its results.

    Writes OUT/timeseries.parquet and .csv (one row per week), OUT/summary.json
    (final figures with the version, parameters and seed that made them) and
    OUT/sharing.png. With --ensemble, every output has a _low and _high column
    (the middle 95 % of the runs) beside its mean, and the chart shows the band.
    With --replications, the same columns hold the 95 % interval of the mean over
    the seeds, and OUT/replications.parquet holds every replication's weekly rows.
    """
    from sim.model import KnowledgeSharingModel  # heavy: only when running
    from sim.output import write_run
    from sim.own_org import shown_scenario

    try:
        overrides = command_line_overrides(
            assignments, {"weeks": weeks, "employees": employees, "anonymise": anonymise or None}
        )
        params = with_overrides(load_scenario(scenario), overrides, source="command line")
    except ScenarioError as error:
        raise click.ClickException(str(error)) from None

    if out is None:
        what = "--set name" if "name" in overrides else f"{scenario}: name"
        out = results_folder(params.name, what)
    if ensemble is not None and replications is not None:
        raise click.UsageError("--ensemble and --replications: give one; an ensemble already varies the seed")
    check_folder(out, params.weeks, replications or 1)  # a read-only, full or foreign folder: before anything runs
    _say_how_files_are_used(params)
    notice = shown_scenario(params).notice
    started = time.perf_counter()
    if replications is not None:
        _run_replications(scenario, params, replications, seed, workers, not no_reference, ylim, out, started, notice)
        return
    if ensemble is not None:
        _run_ensemble(scenario, ensemble, posterior, seed, workers, overrides, out, started)
        return
    model = KnowledgeSharingModel(params, rng=seed)
    with tqdm(
        total=params.weeks,
        unit="week",
        desc=params.name,
        delay=PROGRESS_DELAY,
        disable=not sys.stderr.isatty(),
        leave=False,
    ) as bar:
        model.run(progress=bar.update)
    reference = None
    if params.interventions and not no_reference:
        # The same organisation and seed without any intervention: without it a reader cannot tell a
        # programme's effect, or what of it stays, from the run's own ups and downs.
        alone = KnowledgeSharingModel(params.model_copy(update={"interventions": []}), rng=model.seed)
        alone.run()
        reference = alone.timeseries()["sharing_rate"]
    paths = write_run(model, out, source=scenario, reference=reference, top_percent=ylim)
    elapsed = time.perf_counter() - started
    final = model.metrics
    click.echo(f"{params.name}: {model.org.n:,} employees, {model.week} weeks, seed {model.seed} ({elapsed:.1f} s)")
    if model.steady_week is not None:
        click.echo(f"  stopped at the steady state in week {model.steady_week}: no pair would trade any more")
    click.echo(
        f"  sharing this week {final['sharing_rate']:.1%}; active {final['active']:,}, "
        f"lapsed {final['lapsed']:,}, never shared {final['never_shared']:,}"
    )
    if "asking_rate" in final:
        click.echo(
            f"  asking this week {final['asking_rate']:.1%} of employees; {final['answer_rate']:.0%} of requests "
            f"answered; {final['answers_share']:.0%} of this week's sharers shared only by answering"
        )
    _wrote(paths, notice)


def _say_how_files_are_used(params: Scenario) -> None:
    """What a run made of an organisation's files (columns not read, levels inferred), before it starts."""
    if params.organisation.chart is None:
        return
    from sim.own_org import shown_data

    data = shown_data(params)  # with anonymise, nothing said here comes from the real names
    click.echo(f"{params.name}: {data.n:,} people in {len(data.department_names)} departments from the chart")
    from sim.team_culture import note as survey_note

    survey = survey_note(params.culture, data.survey.values if data.survey else None, len(data.team_names))
    for note in [*data.notes, *([survey] if survey else [])]:
        click.echo(f"  note: {note}")


def _wrote(paths: dict[str, Path], notice: str | None) -> None:
    """The files a run wrote, then what to point out while it runs: said last, where a reader's eye ends."""
    for path in paths.values():
        click.echo(f"  wrote {path}")
    if notice:
        click.echo(f"  what to notice: {notice}")


def _run_replications(
    source: str,
    params: Scenario,
    n: int,
    seed: int | None,
    workers: int | None,
    reference: bool,
    ylim: float | None,
    out: Path,
    started: float,
    notice: str | None,
) -> None:
    from sim.output import write_replications
    from sim.replications import run_replications

    try:
        found = run_replications(params, n, seed=seed, workers=workers, reference=reference)
    except ValueError as error:
        raise click.UsageError(f"--{error}") from None
    paths = write_replications(found, out, source=source, top_percent=ylim)
    last = found.band().iloc[-1]
    seeds = f"seed {found.seeds[0]}" if n == 1 else f"seeds {found.seeds[0]} to {found.seeds[-1]}"
    click.echo(
        f"{params.name}: {n} replications ({seeds}), {params.organisation.employees:,} employees, "
        f"{int(last['week'])} weeks ({time.perf_counter() - started:.1f} s)"
    )
    click.echo(
        f"  sharing in the last week: {last['sharing_rate']:.1%} on average, 95 % interval of the mean "
        f"{last['sharing_rate_low']:.1%} to {last['sharing_rate_high']:.1%}"
    )
    _wrote(paths, notice)


def _run_ensemble(
    scenario: str,
    n: int,
    posterior: Path | None,
    seed: int | None,
    workers: int | None,
    overrides: dict,
    out: Path,
    started: float,
) -> None:
    from sim.calibration.posterior import PosteriorError
    from sim.ensemble import run_ensemble
    from sim.output import write_ensemble

    try:
        found = run_ensemble(scenario, n, posterior=posterior, seed=seed, workers=workers, **overrides)
    except (PosteriorError, ScenarioError) as error:
        raise click.ClickException(str(error)) from None
    paths = write_ensemble(found, out, source=scenario)
    last = found.band().iloc[-1]
    click.echo(
        f"{found.scenario.name}: {n} runs over posterior draws, {found.scenario.organisation.employees:,} employees "
        f"({time.perf_counter() - started:.1f} s)"
    )
    click.echo(
        f"  sharing in the last week: {last['sharing_rate']:.1%} on average, "
        f"{last['sharing_rate_low']:.1%} to {last['sharing_rate_high']:.1%} across the middle 95 % of runs"
    )
    for path in paths.values():
        click.echo(f"  wrote {path}")


from sim.dashboard.command import dashboard  # noqa: E402

main.add_command(dashboard)

from sim.runner.commands import analyse, sweep  # noqa: E402

main.add_command(sweep)
main.add_command(analyse)

from sim.calibration.command import calibrate  # noqa: E402

main.add_command(calibrate)

if __name__ == "__main__":
    main()
