"""Run an experiment's runs on an engine, saving each as it finishes, so that nothing done is ever lost.

The output folder holds:

- ``runs/<run_id>.parquet``: one file per finished run, written under a
  temporary name and renamed, so a file exists only when it is whole. The
  files are the truth about what is done: ``--resume`` runs exactly the runs
  that have none.
- ``runs.jsonl``: one line per attempt (done with its outcomes, or failed
  with its error), appended as it happens.
- ``failures/<run_id>.txt``: the traceback of a run's last failed attempt.
- ``rejected/<run_id>.parquet``: a file ``--resume`` found unreadable, cut
  short or not this sweep's, kept aside while its run is made again.
- ``manifest.json``: the experiment definition, the versions, the engine,
  the planned runs with their seeds and ``kshare run`` lines, and the counts.
- ``experiment.toml``: a copy of the file the sweep was made from.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, CancelledError, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import groupby
from operator import attrgetter
from pathlib import Path

from tqdm import tqdm

from sim.files import PARTIAL_GLOB, atomic_write_bytes, free_space_for
from sim.own_org import inputs, shown_parameters
from sim.runner.definition import ExperimentError, LoadedExperiment, load_experiment
from sim.runner.engines import Engine, EngineError, Sequential, choose
from sim.runner.plan import MAX_RUNS, RunSpec, plan, run_bytes, size
from sim.runner.worker import RunResult, execute, execute_batch, provenance_of, verify
from sim.scenario_files import Problem
from sim.versions import versions

MANIFEST, LOG, RUNS, FAILURES, REJECTED = "manifest.json", "runs.jsonl", "runs", "failures", "rejected"


class SweepError(ExperimentError):
    """A sweep that cannot start (or resume) in the folder given; nothing in the folder was changed."""

    def __init__(self, source: str, problems: list[Problem]):
        super().__init__(source, problems)
        if len(problems) == 1:  # one reason: one line
            self.args = (f"{source}: {problems[0]}",)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C raises KeyboardInterrupt, so that the sweep stops the same careful way."""


class SweepInterrupted(SweepError):
    """Ctrl-C or SIGTERM before the first run started: there is nothing to keep, and a plain re-run starts again."""

    def __init__(self, source: str, stop: KeyboardInterrupt):
        self.signal = signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT
        name = "SIGTERM" if self.signal == signal.SIGTERM else "Ctrl-C"
        super().__init__(source, [Problem("", f"{name} before the first run started; nothing to keep")])


@dataclass
class SweepResult:
    out: Path
    planned: int
    done: int
    failed: list[str]
    #: Runs this invocation finished: ``done`` less those already done before it (``before``), counted from the
    #: same set, so the two always add up, even when Ctrl-C lands between saving a run and counting it.
    ran: int
    seconds: float
    engine: str
    interrupted: bool = False
    #: The signal that stopped an interrupted sweep: SIGINT (Ctrl-C) or SIGTERM.
    signal: int = signal.SIGINT
    #: Run files found bad on --resume (run id -> why), moved to ``rejected/`` and run again.
    rejected: dict[str, str] = field(default_factory=dict)
    #: Runs already done when this invocation started (by an earlier one that ``--resume`` continues).
    before: int = 0

    @property
    def complete(self) -> bool:
        return self.done == self.planned

    @property
    def exit_code(self) -> int:
        """The shell's convention for a process stopped by a signal: 128 + its number (130, 143)."""
        return 128 + int(self.signal)


def fingerprint(experiment: LoadedExperiment) -> str:
    """What the runs' numbers depend on: the definition and the scenarios it resolved to, with the contents of
    any organisation's own files (by fingerprint: a changed chart is another sweep, a moved one is not)."""
    payload = {
        "definition": experiment.definition.model_dump(mode="json"),
        "scenarios": {
            label: {"parameters": shown_parameters(s), "inputs": inputs(s)} for label, s in experiment.scenarios.items()
        },
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def check_size(experiment: LoadedExperiment, allow_large: bool) -> int:
    """The sweep's number of runs, counted without building it; ``SweepError`` above ``MAX_RUNS`` unless allowed."""
    runs, _ = size(experiment)
    if runs > MAX_RUNS and not allow_large:
        raise SweepError(
            experiment.source,
            [
                Problem(
                    "",
                    f"{runs:,} runs is more than the {MAX_RUNS:,} a sweep may have without --allow-large "
                    "(allow_large=True); lower replications, samples or levels, or add it",
                )
            ],
        )
    return runs


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within this block SIGTERM raises ``Terminated`` (a KeyboardInterrupt), as Ctrl-C raises KeyboardInterrupt.

    A second SIGTERM is ignored while the first one's clean stop runs; SIGKILL
    is the way to stop at once. Signal handlers can only be set from the main
    thread: elsewhere SIGTERM keeps its usual meaning.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def run_sweep(
    experiment: str | Path | LoadedExperiment,
    out: str | Path,
    *,
    workers: int | None = None,
    dask: str | None = None,
    dask_local: int | None = None,
    resume: bool = False,
    progress: bool | None = None,
    allow_large: bool = False,
    runner=execute,
) -> SweepResult:
    """Run every run of ``experiment`` not yet in ``out``, writing each as it finishes.

    Everything that can refuse the sweep (the folder, its existing files, the
    engine) is checked before the first byte is written, so a sweep that
    cannot start leaves the folder as it was. A sweep of more than
    ``MAX_RUNS`` runs needs ``allow_large``. ``runner`` makes one run from a
    RunSpec; tests swap it to make runs crash.
    """
    loaded = experiment if isinstance(experiment, LoadedExperiment) else load_experiment(experiment)
    out = Path(out)
    check_size(loaded, allow_large)
    runs = plan(loaded)
    folder = _Folder(out, loaded, runs)
    with sigterm_as_interrupt():
        try:
            folder.check(resume)
            try:
                engine = choose(workers, dask, dask_local)
            except EngineError as error:
                raise SweepError(str(out), [Problem("", f"{error}. Nothing was written.")]) from None
        except KeyboardInterrupt as stop:
            raise SweepInterrupted(str(out), stop) from None
        return _sweep(folder, engine, runner, progress)


def _sweep(folder: _Folder, engine: Engine, runner, progress: bool | None) -> SweepResult:
    """The sweep proper, on a checked folder and a started engine."""
    started = time.perf_counter()
    runs = folder.runs
    with engine:
        try:
            folder.prepare()
            todo = [spec for spec in runs if spec.run_id not in folder.done]
            before = len(folder.done)
            folder.write_manifest(engine.describe(), "running")
            loop = _Loop(engine, folder, runner, folder.experiment.definition.retries, progress)
        except KeyboardInterrupt as stop:
            raise SweepInterrupted(str(folder.out), stop) from None
        stopped: KeyboardInterrupt | None = None
        try:
            loop.run(todo)
        except KeyboardInterrupt as stop:
            stopped = stop
            loop.interrupted = True
            loop.drain()
        finally:
            status = (
                "interrupted" if loop.interrupted else ("complete" if len(folder.done) == len(runs) else "incomplete")
            )
            folder.write_manifest(engine.describe(), status)
    return SweepResult(
        folder.out,
        len(runs),
        len(folder.done),
        sorted(loop.failed),
        len(folder.done) - before,
        time.perf_counter() - started,
        engine.describe(),
        loop.interrupted,
        signal.SIGTERM if isinstance(stopped, Terminated) else signal.SIGINT,
        dict(folder.rejected),
        before,
    )


# ------------------------------------------------------------------ folder
#: What a sweep that failed before its manifest was written may have left: nothing a re-run could lose.
EARLY = {"experiment.toml", RUNS, FAILURES}


class _Folder:
    """The output folder: its files, the runs already in it, and the one place anything is written."""

    def __init__(self, out: Path, experiment: LoadedExperiment, runs: list[RunSpec]):
        self.out, self.experiment, self.runs = out, experiment, runs
        self.runs_dir, self.failures_dir = out / RUNS, out / FAILURES
        self.fingerprint = fingerprint(experiment)
        self.done: set[str] = set()
        self.rejected: dict[str, str] = {}
        self.resuming = False
        self.created = datetime.now(UTC).isoformat(timespec="seconds")

    def refused(self, reason: str) -> SweepError:
        return SweepError(str(self.out), [Problem("", reason)])

    def check(self, resume: bool) -> None:
        """Whether the sweep may run here, and which runs are done; reads the folder, writes nothing."""
        manifest = self.out / MANIFEST
        if manifest.is_file():
            old = self._old_manifest()
            if not resume:
                done = len(list((self.out / RUNS).glob("*.parquet")))
                raise self.refused(
                    f"already holds the sweep '{old['experiment']['name']}' "
                    f"({done} of {old['planned']} runs done); add --resume to "
                    "finish it, or choose another --out. Nothing was changed."
                )
            if old.get("fingerprint") != self.fingerprint:
                raise self.refused(
                    "holds a sweep made from a different definition or different "
                    "scenarios; resuming would mix results. Choose another --out. "
                    "Nothing was changed."
                )
            self.created = old.get("created", self.created)
            self.resuming = True
        elif self.out.exists() and not self.out.is_dir():
            raise self.refused("is a file, not a folder; choose a folder for --out")
        elif not self._early_leftovers():
            raise self.refused("is not empty and holds no sweep; choose a new or empty --out. Nothing was changed.")
        elif resume and not (self.out.exists() and any(self.out.iterdir())):
            raise self.refused("holds no sweep to resume (no manifest.json)")
        self._check_writable()
        if self.resuming:
            self._verify()

    def _old_manifest(self) -> dict:
        """The manifest already in the folder, if it is one a sweep wrote; refused whole otherwise."""
        try:
            old = json.loads((self.out / MANIFEST).read_text())
            if not (isinstance(old["experiment"]["name"], str) and isinstance(old["planned"], int)):
                raise TypeError
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
            raise self.refused(
                f"{MANIFEST} is not a kshare sweep's manifest (unreadable, or not of its shape); "
                "choose another --out. Nothing was changed."
            ) from None
        return old

    def _early_leftovers(self) -> bool:
        """Whether the folder is missing, empty, or holds only what a sweep that failed early leaves.

        That is a copy of the experiment file and empty ``runs/`` and ``failures/``
        folders (a temporary file of an interrupted write aside): no result a
        new sweep could overwrite, so a plain re-run may start here.
        """
        if not self.out.exists():
            return True
        for entry in self.out.iterdir():
            if entry.name not in EARLY:
                return False
            if entry.is_dir() and any(path for path in entry.iterdir() if not path.match(PARTIAL_GLOB)):
                return False
        return True

    def _check_writable(self) -> None:
        """Refuse a folder that cannot be written, by making (and removing) a file where the sweep will write."""
        try:
            free = free_space_for(self.out)
        except NotADirectoryError as error:
            raise self.refused(f"cannot be made: {error.filename} is a file, not a folder") from None
        except OSError as error:
            raise self.refused(f"cannot be written ({error.strerror or error}). Nothing was written.") from None
        need = sum(run_bytes(spec) for spec in self.runs)
        if free < need:
            raise self.refused(
                f"has only {free / 1e6:,.1f} MB free, and {len(self.runs):,} runs need about {need / 1e6:,.1f} MB. "
                "Nothing was written."
            )

    def _verify(self) -> None:
        """The planned runs whose file is whole and this sweep's; the others go in ``rejected`` to run again."""
        for spec in self.runs:
            path = self.runs_dir / f"{spec.run_id}.parquet"
            if not path.is_file():
                continue
            problem = verify(path, spec.run_id, spec.seed, spec.experiment, spec.every)
            if problem is None:
                self.done.add(spec.run_id)
            else:
                self.rejected[spec.run_id] = problem

    def prepare(self) -> None:
        """Make the folder ready: the first writes of the sweep, once everything has been checked."""
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        for partial in self.runs_dir.glob(PARTIAL_GLOB):
            partial.unlink()  # left by a write that was interrupted: never a whole file
        if self.rejected:
            (self.out / REJECTED).mkdir(exist_ok=True)
        for run_id, problem in sorted(self.rejected.items()):
            # Kept aside, not deleted: a file that is not this sweep's may be someone's result.
            os.replace(self.runs_dir / f"{run_id}.parquet", self.out / REJECTED / f"{run_id}.parquet")
            self.log({"run_id": run_id, "status": "rejected", "reason": problem})
        self._recover_log()
        source_file = Path(self.experiment.source)
        if source_file.is_file() and not (self.resuming and (self.out / "experiment.toml").exists()):
            atomic_write_bytes(self.out / "experiment.toml", source_file.read_bytes())

    def _recover_log(self) -> None:
        """A run whose file was written but whose log line was not (a crash between the two) gets its line back."""
        logged = {entry["run_id"] for entry in read_log(self.out) if entry["status"] == "done"}
        for run_id in sorted(self.done - logged):
            meta = provenance_of(self.runs_dir / f"{run_id}.parquet")
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
    """Consecutive runs in tasks of up to ``most``, while keeping every worker busy: the runs of one seed
    together where they fit (they share their warm-up), and several seeds to a task, as a task's fixed cost
    (sending it, and its results back) is a tenth of a small run's on a Dask cluster."""
    size = max(1, min(most, len(todo) // (4 * max(1, workers))))
    grouped: list[list[RunSpec]] = []
    for _, same_seed in groupby(todo, key=attrgetter("seed")):
        seed = list(same_seed)
        for start in range(0, len(seed), size):
            part = seed[start : start + size]
            if grouped and len(grouped[-1]) + len(part) <= size:
                grouped[-1] += part
            else:
                grouped.append(part)
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
