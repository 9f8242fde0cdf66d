"""``kshare sweep`` and ``kshare analyse``: the researcher's side of the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sim.options import ANONYMISE


@click.command()
@click.argument("experiment")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Results folder (default: results/<experiment>).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 4096),
    default=None,
    help="Local worker processes (default: all cores; 1 runs in this process).",
)
@click.option("--resume", is_flag=True, help="Finish a sweep in OUT: run only the runs that have no result yet.")
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    default=None,
    help="Run on an existing Dask cluster, e.g. tcp://scheduler:8786 (needs kshare[dask]).",
)
@click.option(
    "--dask-local",
    type=click.IntRange(1, 4096),
    default=None,
    metavar="N",
    help="Start a local Dask cluster of N worker processes for this sweep.",
)
@click.option("--check", is_flag=True, help="Only check the experiment and show its size; run nothing.")
@click.option("--allow-large", is_flag=True, help="Allow a sweep of more than 1,000,000 runs.")
@ANONYMISE
def sweep(
    experiment: str,
    out: Path | None,
    workers: int | None,
    resume: bool,
    dask_address: str | None,
    dask_local: int | None,
    check: bool,
    allow_large: bool,
    anonymise: bool,
) -> None:
    """Run EXPERIMENT (a file, or a shipped experiment's name) into OUT.

    Each finished run is saved at once as OUT/runs/<run_id>.parquet, so an
    interrupted sweep loses nothing: --resume runs only what is missing.
    """
    from sim.runner.definition import ExperimentError, load_experiment
    from sim.runner.plan import size
    from sim.runner.sweep import SweepInterrupted, check_size, run_sweep

    if dask_address and dask_local:
        raise click.UsageError("give --dask ADDRESS or --dask-local N, not both")
    try:
        loaded = load_experiment(experiment, anonymise)
        runs, points = size(loaded)  # counted, not built: --check of a huge design is instant
    except ExperimentError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"{loaded.name}: {runs:,} runs = {len(loaded.scenarios)} scenario(s) x {points:,} point(s) "
        f"x {loaded.definition.replications} replication(s), up to {loaded.weeks} weeks each"
    )
    try:
        check_size(loaded, allow_large)
    except ExperimentError as error:
        raise click.ClickException(str(error)) from None
    if check:
        return

    from sim.files import results_folder

    out = out or results_folder(loaded.name, f"{experiment}: name")  # a name with '/' or '..' is refused
    try:
        result = run_sweep(
            loaded,
            out,
            workers=workers,
            dask=dask_address,
            dask_local=dask_local,
            resume=resume,
            allow_large=allow_large,
        )
    except SweepInterrupted as stopped:
        click.echo(f"Error: {stopped}", err=True)
        sys.exit(128 + int(stopped.signal))
    except ExperimentError as error:  # SweepError included: the folder was left as it was
        raise click.ClickException(str(error)) from None
    if result.rejected:
        click.echo(
            f"  {len(result.rejected)} run file(s) were bad, kept in {out / 'rejected'} and run again: "
            + "; ".join(f"{run_id} ({why})" for run_id, why in sorted(result.rejected.items())[:5])
            + (" ..." if len(result.rejected) > 5 else ""),
            err=True,
        )
    rate = result.ran / result.seconds if result.seconds else 0.0
    click.echo(
        f"  {result.engine}: ran {result.ran:,} in {result.seconds:.1f} s ({rate:.1f} runs/s); "
        f"{result.done:,} of {result.planned:,} done"
        + (f", {result.before:,} of them before this call" if result.before else "")
    )
    if result.failed:
        click.echo(
            f"  {len(result.failed)} failed after retries: {', '.join(result.failed[:5])}"
            f"{' ...' if len(result.failed) > 5 else ''} (tracebacks in {out / 'failures'})",
            err=True,
        )
    click.echo(f"  results in {out}")
    if result.interrupted:
        click.echo(
            f"{'Terminated' if result.exit_code == 143 else 'Interrupted'}. Finished runs are saved; "
            f"`kshare sweep {experiment} --out {out} --resume` runs the rest.",
            err=True,
        )
        sys.exit(result.exit_code)
    if result.failed:
        sys.exit(1)


@click.command()
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Report folder (default: DIR/report).",
)
@click.option(
    "--weeks",
    default=None,
    metavar="W1,W2,...",
    help="Weeks to report effects at (default: the experiment's analysis.weeks, else middle and end).",
)
@click.option(
    "--format",
    "formats",
    default="png,svg",
    show_default=True,
    metavar="FMT,...",
    help="Figure formats to write: png, svg, pdf.",
)
def analyse(folder: Path, report_dir: Path | None, weeks: str | None, formats: str) -> None:
    """Analyse the sweep in DIR: intervals over time, effects against the baseline, Sobol or Morris indices.

    Writes tables (CSV, Markdown), figures and DIR/report/report.html, a
    self-contained page to open in any browser. A sweep still running is
    analysed as far as it has got; sensitivity indices wait for every run.
    """
    from sim.runner.report import AnalysisError, build, check_formats, write

    try:
        wanted = [int(w) for w in weeks.split(",") if w.strip()] if weeks else None
    except ValueError:
        raise click.BadParameter(
            f"expected whole weeks separated by commas, got {weeks!r}", param_hint="--weeks"
        ) from None
    kinds = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    try:
        check_formats(kinds)
        analysis = build(folder, wanted)
        page = write(analysis, folder, report_dir, kinds)
    except AnalysisError as error:
        raise click.ClickException(str(error)) from None
    for note in analysis.notes + (analysis.indices.notes if analysis.indices else []):
        click.echo(f"Note: {note}", err=True)
    if len(analysis.lead):
        click.echo(f"Effects against {analysis.baseline}:")
        for sentence in analysis.lead["sentence"]:
            click.echo(f"  {sentence}")
    if analysis.indices is not None and len(analysis.indices.table):
        from sim.runner.sensitivity import ranking

        click.echo(f"{analysis.indices.method.capitalize()} indices:")
        for line in ranking(analysis.indices):
            click.echo(f"  {line}")
    click.echo(f"Report: {page}")
