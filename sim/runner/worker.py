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

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from sim.model import KnowledgeSharingModel
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


def provenance(spec: RunSpec, outcomes: dict[str, float]) -> dict:
    """What made this file, written into it: version, every parameter, the seed. No clock, no host."""
    return {
        **versions(),
        "experiment": spec.experiment,
        "run_id": spec.run_id,
        "scenario": spec.scenario,
        "point": spec.point,
        "replication": spec.replication,
        "seed": spec.seed,
        "factors": spec.factors,
        "parameters": spec.params.model_dump(mode="json"),
        "outcomes": outcomes,
        "rerun": spec.rerun_command(),
    }


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
    table = pa.table(columns).replace_schema_metadata({"kshare": json.dumps(provenance(spec, outcomes))})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()
