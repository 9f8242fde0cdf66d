"""Run an experiment's runs on an engine, saving each as it finishes, so that nothing done is ever lost.

The output folder holds:

- ``runs/<run_id>.parquet``: one file per finished run, written under a
  temporary name and renamed, so a file exists only when it is whole. The
  files are the truth about what is done: ``--resume`` runs exactly the runs
  that have none.
- ``runs.jsonl``: one line per attempt (done with its outcomes, or failed
  with its error), appended as it happens.
- ``failures/<run_id>.txt``: the traceback of a run's last failed attempt.
- ``manifest.json``: the experiment definition, the versions, the engine,
  the planned runs with their seeds and ``kshare run`` lines, and the counts.
- ``experiment.toml``: a copy of the file the sweep was made from.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
import traceback
from collections import deque
from concurrent.futures import FIRST_COMPLETED, CancelledError, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
from tqdm import tqdm

from sim.files import PARTIAL_GLOB, atomic_write_bytes
from sim.runner.definition import ExperimentError, LoadedExperiment, load_experiment
from sim.runner.engines import Engine, Sequential, choose
from sim.runner.plan import RunSpec, plan
from sim.runner.worker import RunResult, execute, execute_batch
from sim.scenario_files import Problem
from sim.versions import versions

MANIFEST, LOG, RUNS, FAILURES = "manifest.json", "runs.jsonl", "runs", "failures"


class SweepError(ExperimentError):
    """A sweep that cannot start (or resume) in the folder given; nothing in the folder was changed."""


@dataclass
class SweepResult:
    out: Path
    planned: int
    done: int
    failed: list[str]
    ran: int
    seconds: float
    engine: str
    interrupted: bool = False

    @property
    def complete(self) -> bool:
        return self.done == self.planned


def fingerprint(experiment: LoadedExperiment) -> str:
    """What the runs' numbers depend on: the definition and the scenarios it resolved to."""
    payload = {
        "definition": experiment.definition.model_dump(mode="json"),
        "scenarios": {label: s.model_dump(mode="json") for label, s in experiment.scenarios.items()},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def run_sweep(
    experiment: str | Path | LoadedExperiment,
    out: str | Path,
    *,
    workers: int | None = None,
    dask: str | None = None,
    dask_local: int | None = None,
    resume: bool = False,
    progress: bool | None = None,
    runner=execute,
) -> SweepResult:
    """Run every run of ``experiment`` not yet in ``out``, writing each as it finishes.

    ``runner`` makes one run from a RunSpec; tests swap it to make runs crash.
    """
    loaded = experiment if isinstance(experiment, LoadedExperiment) else load_experiment(experiment)
    out = Path(out)
    runs = plan(loaded)
    folder = _Folder(out, loaded, runs)
    folder.prepare(resume)
    todo = [spec for spec in runs if spec.run_id not in folder.done]
    started = time.perf_counter()
    with choose(workers, dask, dask_local) as engine:
        folder.write_manifest(engine.describe(), "running")
        loop = _Loop(engine, folder, runner, loaded.definition.retries, progress)
        try:
            loop.run(todo)
        except KeyboardInterrupt:
            loop.interrupted = True
            loop.drain()
        finally:
            status = (
                "interrupted" if loop.interrupted else ("complete" if len(folder.done) == len(runs) else "incomplete")
            )
            folder.write_manifest(engine.describe(), status)
    return SweepResult(
        out,
        len(runs),
        len(folder.done),
        sorted(loop.failed),
        loop.ran,
        time.perf_counter() - started,
        engine.describe(),
        loop.interrupted,
    )


# ------------------------------------------------------------------ folder
class _Folder:
    """The output folder: its files, the runs already in it, and the one place anything is written."""

    def __init__(self, out: Path, experiment: LoadedExperiment, runs: list[RunSpec]):
        self.out, self.experiment, self.runs = out, experiment, runs
        self.runs_dir, self.failures_dir = out / RUNS, out / FAILURES
        self.fingerprint = fingerprint(experiment)
        self.done: set[str] = set()
        self.created = datetime.now(UTC).isoformat(timespec="seconds")

    def prepare(self, resume: bool) -> None:
        manifest = self.out / MANIFEST

        def refused(reason: str) -> SweepError:
            return SweepError(str(self.out), [Problem("", reason)])

        if manifest.is_file():
            old = json.loads(manifest.read_text())
            if not resume:
                done = len(list((self.out / RUNS).glob("*.parquet")))
                raise refused(
                    f"already holds the sweep '{old['experiment']['name']}' "
                    f"({done} of {old['planned']} runs done); add --resume to "
                    "finish it, or choose another --out. Nothing was changed."
                )
            if old.get("fingerprint") != self.fingerprint:
                raise refused(
                    "holds a sweep made from a different definition or different "
                    "scenarios; resuming would mix results. Choose another --out. "
                    "Nothing was changed."
                )
            self.created = old.get("created", self.created)
        elif resume:
            raise refused("holds no sweep to resume (no manifest.json)")
        elif self.out.exists() and any(self.out.iterdir()):
            raise refused("is not empty and holds no sweep; choose a new or empty --out. Nothing was changed.")
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        for partial in self.runs_dir.glob(PARTIAL_GLOB):
            partial.unlink()  # left by a write that was interrupted: never a whole file
        planned = {spec.run_id for spec in self.runs}
        self.done = {path.stem for path in self.runs_dir.glob("*.parquet")} & planned
        self._recover_log()
        source_file = Path(self.experiment.source)
        if source_file.is_file() and not (self.out / "experiment.toml").exists():
            atomic_write_bytes(self.out / "experiment.toml", source_file.read_bytes())

    def _recover_log(self) -> None:
        """A run whose file was written but whose log line was not (a crash between the two) gets its line back."""
        logged = {entry["run_id"] for entry in read_log(self.out) if entry["status"] == "done"}
        for run_id in sorted(self.done - logged):
            meta = json.loads(pq.read_schema(self.runs_dir / f"{run_id}.parquet").metadata[b"kshare"])
            self.log(
                {
                    "run_id": run_id,
                    "status": "done",
                    "attempt": None,
                    "seconds": None,
                    "outcomes": meta["outcomes"],
                    "recovered": True,
                }
            )

    def save(self, result: RunResult) -> None:
        assert result.data is not None, "a finished run carries its table"
        atomic_write_bytes(self.runs_dir / f"{result.run_id}.parquet", result.data)
        self.done.add(result.run_id)
        (self.failures_dir / f"{result.run_id}.txt").unlink(missing_ok=True)

    def save_failure(self, run_id: str, error: str) -> None:
        self.failures_dir.mkdir(exist_ok=True)
        atomic_write_bytes(self.failures_dir / f"{run_id}.txt", error.encode())

    def log(self, entry: dict) -> None:
        with (self.out / LOG).open("a") as handle:
            handle.write(json.dumps(entry) + "\n")

    def write_manifest(self, engine: str, status: str) -> None:
        spec = self.experiment.definition
        failed = sorted({e["run_id"] for e in read_log(self.out) if e["status"] == "failed"} - self.done)
        manifest = {
            "experiment": spec.model_dump(mode="json"),
            "source": self.experiment.source,
            "fingerprint": self.fingerprint,
            "status": status,
            "planned": len(self.runs),
            "done": len(self.done),
            "failed": failed,
            "engine": engine,
            "versions": {name.removesuffix("_version"): value for name, value in versions().items()},
            "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
            "created": self.created,
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
            "scenarios": {label: self.experiment.sources[label] for label in self.experiment.scenarios},
            "runs": [
                {
                    "run_id": s.run_id,
                    "scenario": s.scenario,
                    "point": s.point,
                    "replication": s.replication,
                    "seed": s.seed,
                    "factors": s.factors,
                    "file": f"{RUNS}/{s.run_id}.parquet",
                    "rerun": s.rerun_command(),
                }
                for s in self.runs
            ],
        }
        atomic_write_bytes(self.out / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode())


def read_log(out: Path) -> list[dict]:
    path = Path(out) / LOG
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text().splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut short by a crash: its run is judged by its file
    return entries


# -------------------------------------------------------------------- loop
#: Runs sent to a worker together, at most: runs of one replication share a seed, and so their warm-up.
BATCH = 8


def batches(todo: list[RunSpec], workers: int, most: int = BATCH) -> list[list[RunSpec]]:
    """Consecutive runs with the same seed grouped into one task, while keeping every worker busy."""
    size = max(1, min(most, len(todo) // (4 * max(1, workers))))
    grouped: list[list[RunSpec]] = []
    for spec in todo:
        last = grouped[-1] if grouped else None
        if last and len(last) < size and last[0].seed == spec.seed:
            last.append(spec)
        else:
            grouped.append([spec])
    return grouped


class _Loop:
    """Keep the engine busy, save what finishes, retry what fails, and find the run that kills a worker.

    When a worker process dies, every run in flight fails with it, and which
    one killed it is unknown. Those runs are not charged: they are run again
    one at a time, and only a run that kills a worker while running alone is
    charged an attempt. Innocent runs are never failed for a neighbour's crash.
    """

    def __init__(self, engine: Engine, folder: _Folder, runner, retries: int, progress: bool | None):
        self.engine, self.folder, self.runner = engine, folder, runner
        self.max_attempts = retries + 1
        self.attempts: dict[str, int] = {}
        self.failed: set[str] = set()
        self.ran = 0
        self.interrupted = False
        self.inflight: dict = {}
        self.generation = 0
        show = sys.stderr.isatty() if progress is None else progress
        self.bar = tqdm(
            total=len(folder.runs),
            initial=len(folder.done),
            unit="run",
            desc=folder.experiment.name,
            disable=not show,
            dynamic_ncols=True,
            smoothing=0.1,
        )

    def run(self, todo: list[RunSpec]) -> None:
        # In this process, consecutive runs share the warm-up anyway; a batch would only delay saving them.
        size = 1 if isinstance(self.engine, Sequential) else BATCH
        queue = deque(batches(todo, self.engine.workers, size))
        suspects: deque[RunSpec] = deque()
        window = max(2, 2 * self.engine.workers)
        try:
            while queue or suspects or self.inflight:
                if suspects:
                    if not self.inflight:
                        self._submit([suspects.popleft()], alone=True)
                else:
                    while queue and len(self.inflight) < window:
                        self._submit(queue.popleft(), alone=False)
                finished, _ = wait(list(self.inflight), return_when=FIRST_COMPLETED)
                for future in finished:
                    self._settle(future, queue, suspects)
        finally:
            self.bar.close()

    def _submit(self, batch: list[RunSpec], alone: bool) -> None:
        for spec in batch:
            self.attempts.setdefault(spec.run_id, 0)
        try:
            future = self.engine.submit(execute_batch, self.runner, batch)
        except BrokenProcessPool:
            # A worker died after our last look and the pool now refuses work. Start
            # a new pool at once; the runs that were in the old one fail with the old
            # generation and go to the suspects, so nothing restarts twice.
            self.generation += 1
            self.engine.restart()
            future = self.engine.submit(execute_batch, self.runner, batch)
        self.inflight[future] = (batch, alone, self.generation)

    def _settle(self, future, queue: deque, suspects: deque) -> None:
        batch, alone, generation = self.inflight.pop(future)
        try:
            results = future.result()
        except (BrokenProcessPool, CancelledError):
            if generation == self.generation:
                self.generation += 1
                self.engine.restart()
            for spec in batch:
                if alone:
                    self._fail(
                        spec,
                        "the worker process running this run died (killed, out of memory or crashed)",
                        suspects.append,
                    )
                else:
                    suspects.append(spec)
                    self.folder.log(
                        {
                            "run_id": spec.run_id,
                            "status": "requeued",
                            "reason": "a worker died while this run was in flight; it runs again alone",
                        }
                    )
            return
        except Exception as error:
            for spec in batch:
                self._fail(spec, "".join(traceback.format_exception(error)), lambda again: queue.append([again]))
            return
        for spec, result in zip(batch, results):
            if result.ok:
                self._done(spec, result)
            else:
                self._fail(spec, result.error, lambda again: queue.append([again]), result.seconds)

    def _done(self, spec: RunSpec, result: RunResult) -> None:
        self.folder.save(result)
        self.attempts[spec.run_id] += 1
        self.folder.log(
            {
                "run_id": spec.run_id,
                "status": "done",
                "attempt": self.attempts[spec.run_id],
                "seconds": round(result.seconds, 4),
                "outcomes": result.outcomes,
            }
        )
        self.failed.discard(spec.run_id)
        self.ran += 1
        self.bar.update()

    def _fail(self, spec: RunSpec, error: str, retry, seconds: float | None = None) -> None:
        """Record a failed attempt; ``retry`` puts the run back (alone, or at the end of the queue) if tries remain."""
        self.attempts[spec.run_id] += 1
        attempt = self.attempts[spec.run_id]
        final = attempt >= self.max_attempts
        self.folder.save_failure(spec.run_id, error)
        self.folder.log(
            {
                "run_id": spec.run_id,
                "status": "failed",
                "attempt": attempt,
                "final": final,
                "seconds": seconds,
                "error": error.strip().splitlines()[-1] if error.strip() else "failed",
            }
        )
        if final:
            self.failed.add(spec.run_id)
            self.bar.set_postfix(failed=len(self.failed))
        else:
            retry(spec)

    def drain(self) -> None:
        """After Ctrl-C: cancel what has not started, wait for what has, and keep what finished."""
        self.engine.close(cancel=True)
        for future, (batch, _, _) in list(self.inflight.items()):
            if future.done() and not future.cancelled() and future.exception() is None:
                for spec, result in zip(batch, future.result()):
                    if result.ok:
                        self._done(spec, result)
        self.inflight.clear()
