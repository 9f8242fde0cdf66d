"""One run, on whichever engine: simulate, keep what the experiment asked for, encode it as Parquet bytes.

The result travels back as bytes and the sweep's one writer puts it on disk,
so a run's file is byte-for-byte the same whichever engine made it (nothing
engine- or time-dependent goes into it), and a Dask cluster need not share a
file system with the machine that started the sweep.
"""

from __future__ import annotations

import json
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from sim.model import KnowledgeSharingModel
from sim.own_org import inputs, recorded_parameters, shown
from sim.runner.engines import one_line
from sim.runner.outcomes import compute
from sim.runner.plan import RunSpec
from sim.versions import versions

#: Columns that say which run a row belongs to, ahead of the varied parameters and the outputs.
ID_COLUMNS = ("run_id", "scenario", "point", "replication", "seed")


@dataclass
class RunResult:
    run_id: str
    ok: bool
    data: bytes | None = None
    outcomes: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0


def execute(spec: RunSpec) -> RunResult:
    """Make one run; a failure comes back as a result with its traceback, never as an exception."""
    started = time.perf_counter()
    try:
        model = KnowledgeSharingModel(spec.params, rng=spec.seed)
        model.run()
        frame = model.timeseries()
        outcomes = compute(frame, spec.params, spec.outcomes)
        data = encode(frame, spec, outcomes)
    except Exception:
        return RunResult(spec.run_id, False, error=traceback.format_exc(), seconds=time.perf_counter() - started)
    return RunResult(spec.run_id, True, data, outcomes, seconds=time.perf_counter() - started)


def execute_batch(runner, specs: list[RunSpec]) -> list[RunResult]:
    """Several runs in one task, so that runs sharing a seed also share their warm-up (see ``sim.warmup``).

    A runner that raises fails its own run only, as ``execute`` does.
    """
    results = []
    for spec in specs:
        try:
            results.append(runner(spec))
        except Exception:
            results.append(RunResult(spec.run_id, False, error=traceback.format_exc()))
    return results


def provenance(spec: RunSpec, outcomes: dict[str, float], rows: int) -> dict:
    """What made this file, written into it: version, every parameter, the seed. No clock, no host. As every
    output shows it: anonymised, with the chart's department and team names hidden (``sim.own_org.shown``).

    ``rows`` lets ``verify`` tell a whole file from one that lost rows: a run
    that stopped early at its steady state also has fewer rows than planned.
    """
    info = {
        **versions(),
        "experiment": spec.experiment,
        "run_id": spec.run_id,
        "scenario": spec.scenario,
        "point": spec.point,
        "replication": spec.replication,
        "seed": spec.seed,
        "factors": spec.factors,
        # An organisation's own files by name, fingerprint and rows, never their folder; names hidden below.
        "parameters": recorded_parameters(spec.params),
        **({"inputs": found} if (found := inputs(spec.params)) else {}),
        "outcomes": outcomes,
        "rerun": spec.rerun_command(),
        "rows": rows,
    }
    return shown(info, spec.params)


def encode(frame, spec: RunSpec, outcomes: dict[str, float]) -> bytes:
    weeks = frame["week"].to_numpy()
    last = int(weeks[-1])
    keep = weeks == last if spec.every is None else (weeks % spec.every == 0) | (weeks == last)
    rows = int(keep.sum())
    columns: dict[str, pa.Array] = {
        "run_id": pa.array([spec.run_id] * rows, pa.string()),
        "scenario": pa.array([spec.scenario] * rows, pa.string()),
        "point": pa.array(np.full(rows, spec.point, dtype=np.int32)),
        "replication": pa.array(np.full(rows, spec.replication, dtype=np.int32)),
        "seed": pa.array(np.full(rows, spec.seed, dtype=np.int64)),
    }
    for name, value in spec.factors.items():
        columns[name] = pa.array(np.full(rows, value, dtype=np.int64 if isinstance(value, int) else np.float64))
    columns["week"] = pa.array(weeks[keep].astype(np.int32))
    for name in spec.columns:
        columns[name] = pa.array(frame[name].to_numpy()[keep])
    table = pa.table(columns).replace_schema_metadata({"kshare": json.dumps(provenance(spec, outcomes, rows))})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def provenance_of(path: Path) -> dict:
    """The provenance ``encode`` wrote into a run's file (see ``provenance``), read from its footer alone."""
    return json.loads(pq.read_schema(path).metadata[b"kshare"])


def kept_rows(last: int, every: int | None) -> int:
    """How many rows ``encode`` keeps of a run whose last week is ``last``: every ``every``-th week and the last."""
    if every is None:
        return 1
    return len(range(0, last + 1, every)) + (last % every != 0)


def verify(
    path: Path, run_id: str, seed: int, experiment: str, every: int | None, columns: list[str] | None = None
) -> str | None:
    """Why the file at ``path`` is not the whole result of run ``run_id``, or None if it is.

    A file's name says which run it claims to be, not which it is: it may have
    been cut short by a full disk or a copy, or come from another sweep. So
    the file must read as Parquet (only ``columns`` of it, to save time, where
    the caller reads the rest anyway), carry this run's id, experiment and seed
    in its metadata, and hold the rows ``encode`` keeps for a run that ended in
    its last week (a run may stop early, at its steady state, but never after
    its planned weeks), as many as its metadata says it has.
    """
    try:
        table = pq.read_table(path, columns=columns)
    except (OSError, pa.ArrowException) as error:
        return f"not readable as Parquet ({one_line(error)})"
    try:
        meta = json.loads((table.schema.metadata or {})[b"kshare"])
        claimed = (meta["run_id"], meta["experiment"], meta["seed"])
        planned_weeks = int(meta["parameters"]["weeks"])
        rows = int(meta.get("rows", table.num_rows))  # files of kshare before 2026-12 do not say
    except (KeyError, TypeError, ValueError):
        return "not a kshare run file (no kshare metadata)"
    if claimed != (run_id, experiment, seed):
        return f"holds run {claimed[0]!r} of experiment {claimed[1]!r} with seed {claimed[2]}, not this sweep's run"
    if "week" not in table.column_names or table.num_rows == 0:
        return "has no weekly rows"
    weeks = table.column("week").to_pylist()
    last = max(weeks)
    if table.num_rows != rows:
        return f"has {table.num_rows} rows; its metadata says {rows} (cut short?)"
    if last > planned_weeks or table.num_rows != kept_rows(last, every):
        return f"has {table.num_rows} rows up to week {last}; not the weeks a run of {planned_weeks} weeks keeps"
    if "run_id" in table.column_names and set(table.column("run_id").to_pylist()) != {run_id}:
        return "holds rows of another run"
    return None
