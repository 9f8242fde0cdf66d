"""Write a run's results: weekly table (Parquet and CSV), summary with provenance, and chart.

The four files are one result set (``sim.result_set``): written into a
temporary folder and renamed into place together, so an interrupted or failed
run never leaves a half-written result, and an old set is never mixed with a
new one. The Parquet file's provenance is what determines the numbers (versions,
scenario, parameters, seed), not when or by which command line it was made:
identical runs give byte-identical files, and the command and time are in
``summary.json`` only.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.ensemble import Ensemble
from sim.model import KnowledgeSharingModel
from sim.own_org import inputs, recorded_parameters, shown, shown_scenario
from sim.plot import sharing_chart
from sim.replications import BAND, Replications
from sim.result_set import write_set
from sim.scenario import Scenario
from sim.seeking_metrics import headline
from sim.team_table import team_table
from sim.versions import versions


def provenance(model: KnowledgeSharingModel, source: str) -> dict[str, Any]:
    """What made these numbers: enough to make them again (as outputs show it: ``sim.own_org.shown``)."""
    info = {
        **versions(),
        "scenario": model.params.name,
        "source": source,
        "seed": model.seed,
        "weeks": model.week,
        "steady_week": model.steady_week,  # the week the run stopped by itself at a steady state (barter), or null
        "employees": model.org.n,
        **_files(model.params),
    }
    return shown(info, model.params)


def _files(scenario: Scenario) -> dict[str, Any]:
    """The parameters, and for an organisation read from files each file's name, SHA-256 and rows: the files'
    folders stay out of every output (``sim.own_org``); the caller hides the names in the whole record (``shown``)."""
    found = inputs(scenario)
    return {"parameters": recorded_parameters(scenario), **({"inputs": found} if found else {})}


def _made(scenario: Scenario) -> dict[str, str]:
    """The command that made a result, and when: for ``summary.json`` only, so that the other files of identical
    runs are byte-identical even when written at other times or to other folders (``--out`` is in the command)."""
    made = {
        "command": " ".join(Path(sys.argv[0]).name.split() + sys.argv[1:]),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return shown(made, scenario)


def _banded_summary(info: dict[str, Any], frame: pd.DataFrame, scenario: Scenario) -> dict[str, Any]:
    """``summary.json`` of many runs: the provenance, the command, and each headline output's last week as its
    mean and band (``_low``, ``_high``), whatever the band is (an ensemble's spread, replications' interval)."""
    last = frame.iloc[-1]
    return {
        **info,
        **_made(scenario),
        "final": {
            name: {"mean": float(last[name]), "low": float(last[f"{name}_low"]), "high": float(last[f"{name}_high"])}
            for name in headline(frame.columns)
        },
    }


def write_ensemble(ensemble: Ensemble, out: Path, source: str) -> dict[str, Path]:
    """An ensemble's weekly means and bands, its provenance (every run's drawn parameters and seed), and its
    chart with the band."""
    frame = ensemble.band()
    runs = len(ensemble.frames)
    info = {
        **versions(),
        "scenario": ensemble.scenario.name,
        "source": source,
        "employees": ensemble.scenario.organisation.employees,
        **_files(ensemble.scenario),
        "ensemble": {
            "runs": runs,
            "posterior": ensemble.posterior,
            "band": "2.5th to 97.5th percentile over the runs",
            "draws": [dict(parameters, seed=seed) for parameters, seed in zip(ensemble.draws, ensemble.seeds)],
        },
    }
    info = shown(info, ensemble.scenario)
    summary = _banded_summary(info, frame, ensemble.scenario)
    return _write(
        frame, info, summary, out, lambda p: sharing_chart(frame, shown_scenario(ensemble.scenario), p, None, runs)
    )


def write_replications(
    found: Replications, out: Path, source: str, top_percent: float | None = None
) -> dict[str, Path]:
    """Replications' weekly means and intervals (``timeseries``), every replication's weekly rows
    (``replications.parquet``, with its number and seed), their provenance, and the chart with the band.

    The references without interventions are drawn on the chart only, as for one run."""
    frame = found.band()
    reference = found.reference_band()
    info = {
        **versions(),
        "scenario": found.scenario.name,
        "source": source,
        "employees": found.scenario.organisation.employees,
        "weeks": int(frame["week"].iloc[-1]),
        **_files(found.scenario),
        "replications": {
            "n": len(found.seeds),
            "seeds": found.seeds,
            "band": BAND,
            "reference": reference is not None,
            # Each run's last week: a barter run stops by itself, and is held at its last week in later means.
            "last_weeks": [int(frame["week"].iloc[-1]) for frame in found.frames],
        },
    }
    info = shown(info, found.scenario)
    summary = _banded_summary(info, frame, found.scenario)
    every = pa.Table.from_pandas(found.every_run(), preserve_index=False)
    every = every.replace_schema_metadata({**(every.schema.metadata or {}), b"kshare": json.dumps(info).encode()})

    def chart(path: Path) -> None:
        sharing_chart(
            frame,
            shown_scenario(found.scenario),
            path,
            found.seeds[0],
            runs=len(found.seeds),
            reference=None if reference is None else reference["sharing_rate"],
            top_percent=top_percent,
            band="replications",
        )

    paths = _write(frame, info, summary, out, chart, {"replications.parquet": lambda p: pq.write_table(every, p)})
    return paths


def write_run(
    model: KnowledgeSharingModel,
    out: Path,
    source: str,
    reference: pd.Series | None = None,
    top_percent: float | None = None,
) -> dict[str, Path]:
    """A run's weekly table, its summary with provenance, and its chart, as one result set in ``out``.

    ``reference``, the weekly sharing rate of the same organisation and seed without interventions, is drawn on
    the chart only: the table and summary are this run's alone."""
    frame = model.timeseries()
    info = provenance(model, source)
    rate = frame["sharing_rate"].to_numpy()[1:]
    summary = {
        **info,
        **_made(model.params),
        "final": {name: float(frame[name].iloc[-1]) for name in headline(frame.columns)},
        "mean_sharing_rate": float(rate.mean()) if len(rate) else float("nan"),
    }

    def chart(path: Path) -> None:
        sharing_chart(
            frame, shown_scenario(model.params), path, model.seed, reference=reference, top_percent=top_percent
        )

    # An organisation's own chart has teams a strategist knows by name: each gets its row.
    teams = team_table(model) if model.org.team_names is not None else None
    more = {} if teams is None else {"teams.csv": lambda p: teams.to_csv(p, index=False, float_format="%.4g")}
    return _write(frame, info, summary, out, chart, more)


def _write(frame, info: dict, summary: dict, out: Path, chart, more: dict | None = None) -> dict[str, Path]:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"kshare": json.dumps(info).encode()})
    files = {
        "timeseries.parquet": lambda p: pq.write_table(table, p),
        "timeseries.csv": lambda p: frame.to_csv(p, index=False, float_format="%.6g"),
        "sharing.png": chart,
        "summary.json": lambda p: p.write_text(json.dumps(summary, indent=2) + "\n"),
        **(more or {}),
    }
    paths = write_set(out, files)
    named = {
        "timeseries.parquet": "timeseries",
        "timeseries.csv": "csv",
        "summary.json": "summary",
        "sharing.png": "chart",
    }
    return {named.get(name, name.split(".")[0]): path for name, path in paths.items()}
