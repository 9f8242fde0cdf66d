"""Reading a sweep back: the weekly rows of every run as one dataset, and one row of outcomes per run.

The weekly rows are a folder of Parquet files with one schema, so pyarrow
reads them as one dataset (``pyarrow.dataset.dataset(OUT / "runs")``, or
``polars.scan_parquet(OUT / "runs/*.parquet")``) and filters columns and
rows before loading them; nothing here needs the whole sweep in memory.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds

from sim.runner.sweep import MANIFEST, RUNS, read_log


def manifest(out: str | Path) -> dict:
    path = Path(out) / MANIFEST
    if not path.is_file():
        raise FileNotFoundError(f"{out}: no sweep here (no {MANIFEST})")
    return json.loads(path.read_text())


def dataset(out: str | Path) -> ds.Dataset:
    """The weekly rows of every finished run, as a lazy pyarrow dataset."""
    return ds.dataset(Path(out) / RUNS, format="parquet", exclude_invalid_files=True)


def weekly(out: str | Path, columns: list[str] | None = None, scenarios: list[str] | None = None) -> pd.DataFrame:
    """Weekly rows as a DataFrame, optionally only some columns and scenarios."""
    data = dataset(out)
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
    outcomes = pd.DataFrame([last.get(run, {}).get("outcomes") or {} for run in table.run_id], index=table.index)
    return pd.concat([table, outcomes], axis=1)


def _unfinished(entry: dict) -> str:
    return "failed" if entry.get("status") == "failed" and entry.get("final") else "pending"
