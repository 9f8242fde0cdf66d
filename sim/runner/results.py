"""Reading a sweep back: the weekly rows of every run as one dataset, and one row of outcomes per run.

The weekly rows are a folder of Parquet files with one schema, so pyarrow
reads them as one dataset (``pyarrow.dataset.dataset(OUT / "runs")``, or
``polars.scan_parquet(OUT / "runs/*.parquet")``) and filters columns and
rows before loading them; nothing here needs the whole sweep in memory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds

from sim.runner.sweep import MANIFEST, RUNS, read_log
from sim.runner.worker import provenance_of, verify

#: The columns that say which run a row is of: what ``check_files`` reads of each file.
KEYS = ["run_id", "week"]


def manifest(out: str | Path) -> dict:
    path = Path(out) / MANIFEST
    if not path.is_file():
        raise FileNotFoundError(f"{out}: no sweep here (no {MANIFEST})")
    return json.loads(path.read_text())


@dataclass
class CheckedFiles:
    """The files of a sweep's finished runs that are whole and its own, and every other one with why."""

    files: list[Path]
    bad: dict[str, str]


def check_files(out: str | Path, info: dict) -> CheckedFiles:
    """Check the file of every planned run that has one (see ``sim.runner.worker.verify``).

    Only the columns that identify a run are read here; the analysis reads
    the rest, and a damaged page there stops it with an error, never a gap.
    """
    out = Path(out)
    every = info["experiment"]["outputs"]["every"]
    good, bad = [], {}
    for run in info["runs"]:
        path = out / RUNS / f"{run['run_id']}.parquet"
        if not path.is_file():
            continue
        why = verify(
            path, run["run_id"], run["seed"], info["experiment"]["name"], None if every == "final" else every, KEYS
        )
        if why is None:
            good.append(path)
        else:
            bad[path.name] = why
    return CheckedFiles(good, bad)


def unplanned_files(out: str | Path, info: dict) -> list[str]:
    """Parquet files in ``runs/`` whose names are no planned run's: never analysed, always named."""
    planned = {f"{run['run_id']}.parquet" for run in info["runs"]}
    return sorted(path.name for path in (Path(out) / RUNS).glob("*.parquet") if path.name not in planned)


def dataset(out: str | Path, files: list[Path] | None = None) -> ds.Dataset:
    """The weekly rows of every finished run (or of ``files``), as a lazy pyarrow dataset.

    A file that is not valid Parquet makes reading fail: it is never skipped
    without a word, as ``exclude_invalid_files`` would.
    """
    source = [str(path) for path in files] if files is not None else str(Path(out) / RUNS)
    return ds.dataset(source, format="parquet")


def weekly(
    out: str | Path,
    columns: list[str] | None = None,
    scenarios: list[str] | None = None,
    files: list[Path] | None = None,
) -> pd.DataFrame:
    """Weekly rows as a DataFrame, optionally only some columns, scenarios and files."""
    data = dataset(out, files)
    where = ds.field("scenario").isin(scenarios) if scenarios else None
    if columns is not None:
        keep = ["run_id", "scenario", "point", "replication", "week"]
        columns = [*keep, *(c for c in columns if c not in keep)]
    return data.to_table(columns=columns, filter=where).to_pandas()


def runs(out: str | Path) -> pd.DataFrame:
    """One row per planned run: its place in the design, seed, status, and outcomes if done."""
    info = manifest(out)
    table = pd.DataFrame(info["runs"])
    factors = pd.DataFrame(list(table.pop("factors")), index=table.index)
    table = pd.concat([table, factors], axis=1)
    last: dict[str, dict] = {}
    for entry in read_log(Path(out)):
        if entry["status"] == "done" or last.get(entry["run_id"], {}).get("status") != "done":
            last[entry["run_id"]] = entry
    done = {path.stem for path in (Path(out) / RUNS).glob("*.parquet")}
    # The files are the truth: a run whose file is gone is pending again, whatever the log says.
    table["status"] = ["done" if run in done else _unfinished(last.get(run, {})) for run in table.run_id]
    outcomes = pd.DataFrame([_outcomes(Path(out), run, last, done) for run in table.run_id], index=table.index)
    return pd.concat([table, outcomes], axis=1)


def _outcomes(out: Path, run_id: str, last: dict[str, dict], done: set[str]) -> dict:
    """A run's outcomes from its log line; for a finished run without one (a lost log), from its file."""
    logged = last.get(run_id, {})
    if logged.get("status") == "done" and logged.get("outcomes") is not None:
        return logged["outcomes"]
    if run_id in done:
        return provenance_of(out / RUNS / f"{run_id}.parquet")["outcomes"]
    return logged.get("outcomes") or {}


def _unfinished(entry: dict) -> str:
    return "failed" if entry.get("status") == "failed" and entry.get("final") else "pending"
