"""Sweeps: same numbers on every engine, nothing lost to crashes or interruptions, bad files refused whole."""

import hashlib
import json
import signal
import subprocess
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from sim.model import KnowledgeSharingModel
from sim.runner import ExperimentError, SweepError, load_experiment, run_sweep
from sim.runner import sweep as sweep_module
from sim.runner.engines import Sequential
from sim.runner.plan import plan
from sim.runner.results import dataset, runs, weekly
from tests import sweep_runners

SMALL = """
name = "small"
seed = 11
replications = 3
weeks = 12
scenarios = ["baseline", "recognition_programme"]

[set]
employees = 60

[vary]
ease = [0.3, 0.7]
"""


@pytest.fixture
def experiment(tmp_path):
    def write(text: str = SMALL, name: str = "small.toml") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return write


def digests(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((out / "runs").glob("*.parquet"))}


def test_sweep_end_to_end_writes_every_run_with_provenance(experiment, tmp_path):
    out = tmp_path / "out"
    result = run_sweep(experiment(), out, workers=1)
    assert result.complete and result.planned == 12 and not result.failed
    frame = weekly(out)
    assert len(frame) == 12 * 13  # 12 runs, weeks 0..12
    assert set(frame.columns) >= {"run_id", "scenario", "point", "replication", "seed", "ease", "week", "sharing_rate"}
    assert sorted(frame["ease"].unique()) == [0.3, 0.7]
    meta = json.loads(pq.read_schema(next((out / "runs").glob("*.parquet"))).metadata[b"kshare"])
    assert {"kshare_version", "mesa_version", "seed", "parameters", "outcomes", "rerun"} <= set(meta)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["done"] == 12
    assert manifest["experiment"]["name"] == "small" and manifest["versions"]["kshare"]
    table = runs(out)
    assert (table["status"] == "done").all() and table["late_sharing_rate"].notna().all()
    assert dataset(out).count_rows() == 12 * 13


def test_seeds_come_from_one_seed_and_are_shared_across_scenarios(experiment):
    specs = plan(load_experiment(experiment()))
    by_rep: dict[int, set[int]] = {}
    for spec in specs:
        by_rep.setdefault(spec.replication, set()).add(spec.seed)
    assert all(len(seeds) == 1 for seeds in by_rep.values())  # common random numbers
    assert len({next(iter(s)) for s in by_rep.values()}) == 3
    assert [s.seed for s in specs] == [s.seed for s in plan(load_experiment(experiment()))]
    independent = plan(load_experiment(experiment(SMALL.replace("[set]", "common_random_numbers = false\n[set]"))))
    assert len({s.seed for s in independent}) == len(independent)


def test_tasks_keep_a_seeds_runs_together_and_are_never_larger_than_asked():
    """A task carries several seeds (a task's fixed cost is not small against a small run's), but never splits
    the runs of one seed where they fit in a task (they share their warm-up), and keeps the sweep's order."""
    from types import SimpleNamespace

    seeds = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 6, 6, 6, 7, 8, 8]
    todo: list = [SimpleNamespace(seed=seed, run_id=str(i)) for i, seed in enumerate(seeds)]
    tasks = sweep_module.batches(todo, workers=1, most=4)
    assert [spec for task in tasks for spec in task] == todo
    assert all(len(task) <= 4 for task in tasks)
    assert [[spec.seed for spec in task] for task in tasks] == [
        [1, 1, 2, 2], [3, 3, 4, 4], [5, 5], [6, 6, 6, 6], [6, 7, 8, 8],
    ]  # fmt: skip
    # Few runs for the workers: one run a task, so that none waits while another has several.
    assert [len(task) for task in sweep_module.batches(todo[:6], workers=2)] == [1] * 6


def test_any_run_alone_reproduces_its_numbers(experiment, tmp_path):
    out = tmp_path / "out"
    run_sweep(experiment(), out, workers=1)
    spec = plan(load_experiment(experiment()))[7]
    saved = weekly(out).query("run_id == @spec.run_id").reset_index(drop=True)
    model = KnowledgeSharingModel(spec.source, rng=spec.seed, **spec.overrides)
    model.run()
    again = model.timeseries()
    assert np.array_equal(saved["sharing_rate"].to_numpy(), again["sharing_rate"].to_numpy())
    assert np.array_equal(saved["satisfaction"].to_numpy(), again["satisfaction"].to_numpy())


@pytest.mark.slow
def test_rerun_command_reproduces_the_run(experiment, tmp_path):
    out = tmp_path / "out"
    run_sweep(experiment(), out, workers=1)
    entry = json.loads((out / "manifest.json").read_text())["runs"][5]
    command = entry["rerun"].split()
    assert command[:2] == ["kshare", "run"]
    subprocess.run(
        [sys.executable, "-m", "sim.cli", *command[1:], "--out", str(tmp_path / "alone")],
        check=True,
        capture_output=True,
    )
    alone = pq.read_table(tmp_path / "alone" / "timeseries.parquet").to_pandas()
    saved = weekly(out).query("run_id == @entry['run_id']").reset_index(drop=True)
    assert np.array_equal(saved["sharing_rate"].to_numpy(), alone["sharing_rate"].to_numpy())


@pytest.mark.slow
def test_sequential_process_pool_and_dask_give_identical_files(experiment, tmp_path):
    pytest.importorskip("distributed")
    path = experiment()
    run_sweep(path, tmp_path / "seq", workers=1)
    run_sweep(path, tmp_path / "pool", workers=2)
    run_sweep(path, tmp_path / "dask", dask_local=2)
    reference = digests(tmp_path / "seq")
    assert len(reference) == 12
    assert digests(tmp_path / "pool") == reference
    assert digests(tmp_path / "dask") == reference


VICTIM = "baseline-p0001-r001"


@pytest.mark.slow
def test_a_killed_worker_costs_one_attempt_and_the_sweep_finishes(experiment, tmp_path):
    out = tmp_path / "out"
    result = run_sweep(
        experiment(), out, workers=2, runner=sweep_runners.Misbehave(VICTIM, once=tmp_path / "killed-once")
    )
    assert (tmp_path / "killed-once").exists()  # the worker really was killed
    assert result.complete and not result.failed
    assert digests(out) == digests_of_clean_run(experiment(), tmp_path)
    log = [json.loads(line) for line in (out / "runs.jsonl").read_text().splitlines()]
    assert VICTIM in {e["run_id"] for e in log if e["status"] == "requeued"}
    assert not [e for e in log if e["status"] == "failed"]  # it succeeded alone, so no run was charged
    assert sorted(e["run_id"] for e in log if e["status"] == "done") == sorted(name[:-8] for name in digests(out))


def digests_of_clean_run(path: Path, tmp_path: Path) -> dict[str, str]:
    run_sweep(path, tmp_path / "clean", workers=1)
    return digests(tmp_path / "clean")


@pytest.mark.slow
def test_a_run_that_always_kills_its_worker_fails_alone_and_nothing_hangs(experiment, tmp_path):
    out = tmp_path / "out"
    result = run_sweep(experiment(), out, workers=2, runner=sweep_runners.Misbehave(VICTIM))
    assert result.failed == [VICTIM]
    assert result.done == 11
    attempts = [
        json.loads(line)
        for line in (out / "runs.jsonl").read_text().splitlines()
        if json.loads(line)["run_id"] == VICTIM and json.loads(line)["status"] == "failed"
    ]
    assert len(attempts) == 3 and attempts[-1]["final"]  # 1 + retries (2)
    assert "died" in (out / "failures" / f"{VICTIM}.txt").read_text()
    assert json.loads((out / "manifest.json").read_text())["failed"] == [VICTIM]


class _RefusesOnce(Sequential):
    """A pool that a worker's death has broken before the sweep noticed: the next submit is refused."""

    def __init__(self, refuse_at: int):
        super().__init__()
        self.calls, self.refuse_at, self.restarts = 0, refuse_at, 0

    def submit(self, fn, *args):
        self.calls += 1
        if self.calls == self.refuse_at:
            raise BrokenProcessPool("a child process terminated abruptly")
        return super().submit(fn, *args)

    def restart(self):
        self.restarts += 1


def test_a_pool_that_refuses_work_is_replaced_and_no_run_is_lost_or_charged(experiment, tmp_path, monkeypatch):
    engine = _RefusesOnce(refuse_at=4)
    monkeypatch.setattr(sweep_module, "choose", lambda *args: engine)
    out = tmp_path / "out"
    result = run_sweep(experiment(), out, workers=1)
    assert engine.restarts == 1
    assert result.complete and not result.failed
    log = [json.loads(line) for line in (out / "runs.jsonl").read_text().splitlines()]
    assert not [e for e in log if e["status"] != "done"]
    monkeypatch.undo()
    assert digests(out) == digests_of_clean_run(experiment(), tmp_path)


def test_a_failing_run_keeps_its_traceback_and_resume_tries_it_again(experiment, tmp_path):
    out = tmp_path / "out"
    result = run_sweep(experiment(), out, workers=1, runner=sweep_runners.Misbehave(VICTIM, how="raise"))
    assert result.failed == [VICTIM]
    assert "deliberate failure" in (out / "failures" / f"{VICTIM}.txt").read_text()
    assert runs(out).set_index("run_id").loc[VICTIM, "status"] == "failed"
    again = run_sweep(experiment(), out, workers=1, resume=True)
    assert again.ran == 1 and again.complete
    assert not (out / "failures" / f"{VICTIM}.txt").exists()


def test_resume_after_an_interruption_writes_exactly_the_missing_runs(experiment, tmp_path):
    out = tmp_path / "out"
    first = run_sweep(experiment(), out, workers=1, runner=sweep_runners.Interrupt(after=5))
    assert first.interrupted and first.done == 5
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (out / "runs").glob("*.parquet")}
    second = run_sweep(experiment(), out, workers=1, resume=True)
    assert second.complete and second.ran == 7
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (out / "runs").glob("*.parquet")}
    assert {name: after[name] for name in before} == before  # finished runs untouched
    done = [json.loads(line)["run_id"] for line in (out / "runs.jsonl").read_text().splitlines()]
    assert sorted(done) == sorted(set(done)) and len(done) == 12  # each run exactly once
    assert digests(out) == digests_of_clean_run(experiment(), tmp_path)


@pytest.mark.slow
def test_ctrl_c_on_the_command_line_saves_finished_runs_and_resume_completes(experiment, tmp_path):
    path = experiment(SMALL.replace("replications = 3", "replications = 40").replace("weeks = 12", "weeks = 40"))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "sim.cli", "sweep", str(path), "--out", str(out), "--workers", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(list((out / "runs").glob("*.parquet"))) < 10 and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "--resume" in stderr
    saved = len(list((out / "runs").glob("*.parquet")))
    assert 10 <= saved < 160
    assert not list((out / "runs").glob(".*.partial"))
    finished = subprocess.run([*command, "--resume"], capture_output=True, text=True, timeout=300, check=False)
    assert finished.returncode == 0, finished.stderr
    assert len(list((out / "runs").glob("*.parquet"))) == 160
    assert f"ran {160 - saved}" in finished.stdout


def test_an_existing_sweep_is_never_overwritten_or_mixed(experiment, tmp_path):
    out = tmp_path / "out"
    run_sweep(experiment(), out, workers=1)
    before = digests(out)
    with pytest.raises(SweepError, match="--resume"):
        run_sweep(experiment(), out, workers=1)
    with pytest.raises(SweepError, match="different definition"):
        run_sweep(experiment(SMALL.replace("seed = 11", "seed = 12")), out, workers=1, resume=True)
    assert digests(out) == before
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(SweepError, match="not empty"):
        run_sweep(experiment(), tmp_path / "other", workers=1)
    with pytest.raises(SweepError, match="no sweep to resume"):
        run_sweep(experiment(), tmp_path / "nothing", workers=1, resume=True)


def test_outputs_can_be_thinned_to_every_k_weeks_or_the_final_week(experiment, tmp_path):
    thinned = SMALL.replace(
        "[vary]", '[outputs]\nevery = 5\ncolumns = ["sharing_rate", "satisfaction[manager]"]\n[vary]'
    )
    run_sweep(experiment(thinned), tmp_path / "k", workers=1)
    frame = weekly(tmp_path / "k")
    assert sorted(frame["week"].unique()) == [0, 5, 10, 12]
    assert "satisfaction[manager]" in frame and "active" not in frame
    final = SMALL.replace("[vary]", '[outputs]\nevery = "final"\n[vary]')
    run_sweep(experiment(final), tmp_path / "f", workers=1)
    assert weekly(tmp_path / "f")["week"].unique().tolist() == [12]


def test_sampling_designs_give_the_planned_number_of_points(experiment):
    ranges = SMALL.replace("ease = [0.3, 0.7]", "ease = { low = 0.2, high = 0.8 }\nweak_ties = { low = 1, high = 8 }")
    sizes = {"latin_hypercube": 10, "sobol": 8 * (2 + 2), "morris": 3 * (2 + 1)}
    for method, points in sizes.items():
        samples = {"latin_hypercube": 10, "sobol": 8, "morris": 3}[method]
        text = ranges + f'\n[design]\nmethod = "{method}"\nsamples = {samples}\n'
        specs = plan(load_experiment(experiment(text, f"{method}.toml")))
        assert len({s.point for s in specs}) == points, method
        ties = {s.factors["weak_ties"] for s in specs}
        assert all(isinstance(t, int) and 1 <= t <= 8 for t in ties)  # integer parameters stay integers


@pytest.mark.parametrize(
    ("change", "key", "expected"),
    [
        (("replications = 3", "replicatons = 3"), "replicatons", "did you mean 'replications'"),
        (("ease = [0.3, 0.7]", "eese = [0.3, 0.7]"), "vary.eese", "did you mean 'ease'"),
        (("ease = [0.3, 0.7]", "ease = [0.3, 1.7]"), "vary.ease", "1.7"),
        (
            ('"recognition_programme"]', '"recognition_programe"]'),
            "scenarios.1",
            "did you mean 'recognition_programme'",
        ),
        (("employees = 60", "employes = 60"), "set.employes", "did you mean 'employees'"),
        (("ease = [0.3, 0.7]", "ease = { low = 0.3, hihg = 0.7 }"), "vary.ease", "did you mean 'high'"),
        (("ease = [0.3, 0.7]", "ease = { low = 0.3, high = 0.7 }"), "vary.ease", "a grid needs levels"),
        (("[vary]", '[design]\nmethod = "sobol"\n[vary]'), "vary.ease", "samples a range"),
        (
            ("[vary]", '[outputs]\ncolumns = ["sharing_rat"]\n[vary]'),
            "outputs.columns.0",
            "did you mean 'sharing_rate'",
        ),
        (("[vary]", '[analysis]\noutcomes = ["late_sharing"]\n[vary]'), "analysis.outcomes.0", "late_sharing_rate"),
        (("[vary]", '[analysis]\nbaseline = "basline"\n[vary]'), "analysis.baseline", "did you mean 'baseline'"),
        (("replications = 3", "replications = 0"), "replications", "from 1 to"),
    ],
)
def test_invalid_experiments_are_refused_with_the_key_and_a_fix(experiment, tmp_path, change, key, expected):
    path = experiment(SMALL.replace(*change))
    with pytest.raises(ExperimentError) as caught:
        run_sweep(path, tmp_path / "out", workers=1)
    message = str(caught.value)
    assert str(path) in message and f"key '{key}'" in message and expected in message, message
    assert not (tmp_path / "out").exists()  # nothing ran, nothing written


def test_all_problems_in_a_file_are_reported_together(experiment):
    text = SMALL.replace("replications = 3", "replications = -1").replace("employees = 60", "employes = 60")
    with pytest.raises(ExperimentError) as caught:
        load_experiment(experiment(text))
    assert len(caught.value.problems) >= 2


def test_shipped_experiments_are_valid():
    from sim.runner.definition import experiment_names

    names = experiment_names()
    assert {"intervention_comparison", "intervention_timing", "sensitivity", "screening"} <= set(names)
    for name in names:
        assert plan(load_experiment(name))


def test_the_settled_withdrawal_experiment_is_the_withdrawal_experiment_after_a_longer_warm_up():
    """validation.md sets their effects side by side: the two files may differ only in their name, description
    and warm-up, so that an edit to one cannot silently make the comparison unfair."""
    import tomllib

    folder = Path(__file__).resolve().parent.parent / "experiments"
    plain, settled = (
        tomllib.loads((folder / f"{name}.toml").read_text()) for name in ("withdrawal", "withdrawal_settled")
    )
    assert settled["set"].pop("warmup") == 520 and "warmup" not in plain["set"]
    for key in ("name", "description"):
        assert settled.pop(key) != plain.pop(key)
    assert settled == plain


def test_sweep_command_end_to_end(experiment, tmp_path):
    from click.testing import CliRunner

    from sim.cli import main

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["sweep", str(experiment()), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "12 runs = 2 scenario(s) x 2 point(s) x 3 replication(s)" in result.output
    assert "12 of 12 done" in result.output
    bad = CliRunner().invoke(main, ["sweep", str(experiment(SMALL.replace("seed = 11", "sed = 11"), "bad.toml"))])
    assert bad.exit_code == 1 and "did you mean 'seed'" in bad.output


# ------------------------------------------------------------ lifecycle faults
def sweep_processes(group: int) -> list[str]:
    """The live processes of a process group (the sweep was started in a session of its own), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(f"{entry.name} {command[:120]}")
    return found


def start_sweep(path: Path, out: Path) -> subprocess.Popen:
    """A sweep on a pool of two workers in its own session, once it has saved its first runs."""
    command = [sys.executable, "-m", "sim.cli", "sweep", str(path), "--out", str(out), "--workers", "2"]
    process = subprocess.Popen(
        command, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while len(list((out / "runs").glob("*.parquet"))) < 2 and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.1)
    return process


def left_after(group: int, seconds: float = 10) -> list[str]:
    deadline = time.monotonic() + seconds
    while (left := sweep_processes(group)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_no_process_of_a_sweep_outlives_its_parent(experiment, tmp_path):
    path = experiment(SMALL.replace("replications = 3", "replications = 40").replace("weeks = 12", "weeks = 40"))
    killed = start_sweep(path, tmp_path / "killed")
    assert len(sweep_processes(killed.pid)) >= 4  # the sweep, its fork server, two workers (and a resource tracker)
    killed.kill()
    killed.wait(timeout=10)
    assert left_after(killed.pid) == []

    terminated = start_sweep(path, tmp_path / "terminated")
    terminated.send_signal(signal.SIGTERM)
    _, stderr = terminated.communicate(timeout=120)
    assert terminated.returncode == 143, stderr
    assert "--resume" in stderr
    manifest = json.loads((tmp_path / "terminated" / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert manifest["done"] == len(list((tmp_path / "terminated" / "runs").glob("*.parquet"))) >= 2
    assert left_after(terminated.pid) == []


def test_sigterm_stops_like_ctrl_c_and_resume_completes(experiment, tmp_path):
    out = tmp_path / "out"
    first = run_sweep(experiment(), out, workers=1, runner=sweep_runners.Terminate(after=4))
    assert first.interrupted and first.exit_code == 143
    assert 4 <= first.done < 12
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # the sweep's handler is gone with it
    second = run_sweep(experiment(), out, workers=1, resume=True)
    assert second.complete and second.ran == 12 - first.done
    assert digests(out) == digests_of_clean_run(experiment(), tmp_path)


def one_error_line(result) -> str:
    """The CLI's output must be one error line after the size line, and no traceback."""
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    return errors[0]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--dask", "notanaddress"], "--dask notanaddress: expected a scheduler address such as tcp://"),
        (["--dask", "tcp://127.0.0.1:1"], "--dask tcp://127.0.0.1:1: could not reach a Dask scheduler within 1 s"),
    ],
)
def test_an_engine_that_cannot_start_writes_nothing(experiment, tmp_path, monkeypatch, options, expected):
    pytest.importorskip("distributed")
    from click.testing import CliRunner

    from sim.cli import main
    from sim.runner import engines

    monkeypatch.setattr(engines, "DASK_CONNECT_TIMEOUT", 1.0)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["sweep", str(experiment()), "--out", str(out), *options])
    assert result.exit_code == 1
    assert expected in one_error_line(result)
    assert not out.exists()


def test_dask_without_the_extra_and_ctrl_c_at_start_give_one_line_and_no_folder(experiment, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from sim.cli import main

    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "distributed", None)  # an import of it fails, as without the extra
        result = CliRunner().invoke(main, ["sweep", str(experiment()), "--out", str(out), "--dask-local", "2"])
    assert result.exit_code == 1
    assert "--dask-local: Dask is not installed" in one_error_line(result)
    assert "uv sync --extra dask" in result.output
    assert not out.exists()

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(sweep_module, "choose", interrupted)
    result = CliRunner().invoke(main, ["sweep", str(experiment()), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 130
    assert "Ctrl-C before the first run started" in one_error_line(result)
    assert not out.exists()


def test_a_folder_left_by_an_early_failure_is_accepted_by_a_plain_rerun(experiment, tmp_path):
    for resume in (False, True):
        out = tmp_path / f"left-{resume}"
        (out / "runs").mkdir(parents=True)
        (out / "runs" / ".baseline-p0000-r000.parquet.partial").write_bytes(b"cut")
        (out / "experiment.toml").write_text("an older copy")
        result = run_sweep(experiment(), out, workers=1, resume=resume)
        assert result.complete and result.ran == 12
        assert (out / "experiment.toml").read_text() == SMALL
    (tmp_path / "used" / "runs").mkdir(parents=True)
    (tmp_path / "used" / "runs" / "mine.parquet").write_bytes(b"someone's")
    with pytest.raises(SweepError, match="not empty and holds no sweep"):
        run_sweep(experiment(), tmp_path / "used", workers=1)


def test_an_unwritable_folder_or_a_bad_manifest_is_refused_in_one_line_before_anything_is_written(experiment, tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(SweepError, match=r"is a file, not a folder") as caught:
        run_sweep(experiment(), tmp_path / "file" / "out", workers=1)
    assert "\n" not in str(caught.value)
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "manifest.json").write_text("[1, 2]")
    with pytest.raises(SweepError, match="not a kshare sweep's manifest"):
        run_sweep(experiment(), tmp_path / "odd", workers=1, resume=True)
    assert sorted(p.name for p in (tmp_path / "odd").iterdir()) == ["manifest.json"]


def test_resume_sets_aside_and_reruns_every_bad_run_file_and_says_which(experiment, tmp_path):
    out = tmp_path / "out"
    run_sweep(experiment(), out, workers=1)
    other = tmp_path / "other"
    run_sweep(experiment(SMALL.replace("seed = 11", "seed = 12")), other, workers=1)
    runs_dir = out / "runs"
    cut, swapped, foreign, good = (
        "baseline-p0000-r000",
        "baseline-p0000-r001",
        "baseline-p0001-r002",
        "recognition_programme-p0000-r000",
    )
    whole = (runs_dir / f"{cut}.parquet").read_bytes()
    (runs_dir / f"{cut}.parquet").write_bytes(whole[: len(whole) // 2])  # a copy cut short
    (runs_dir / f"{swapped}.parquet").write_bytes((runs_dir / f"{good}.parquet").read_bytes())  # another run's
    (runs_dir / f"{foreign}.parquet").write_bytes((other / "runs" / f"{foreign}.parquet").read_bytes())  # other seed
    again = run_sweep(experiment(), out, workers=1, resume=True)
    assert sorted(again.rejected) == sorted([cut, swapped, foreign])
    assert "not readable as Parquet" in again.rejected[cut]
    assert f"holds run '{good}'" in again.rejected[swapped]
    assert "not this sweep's run" in again.rejected[foreign]
    assert again.complete and again.ran == 3
    assert sorted(p.stem for p in (out / "rejected").iterdir()) == sorted([cut, swapped, foreign])
    assert (out / "rejected" / f"{cut}.parquet").read_bytes() == whole[: len(whole) // 2]  # kept, not deleted
    rejected = [json.loads(line) for line in (out / "runs.jsonl").read_text().splitlines()]
    assert {e["run_id"] for e in rejected if e["status"] == "rejected"} == {cut, swapped, foreign}
    assert digests(out) == digests_of_clean_run(experiment(), tmp_path)
    assert run_sweep(experiment(), out, workers=1, resume=True).rejected == {}  # the new files pass


def test_verify_counts_the_rows_a_run_keeps(experiment, tmp_path):
    from sim.runner.worker import kept_rows, verify

    assert [kept_rows(12, 1), kept_rows(12, 5), kept_rows(10, 5), kept_rows(12, None)] == [13, 4, 3, 1]
    out = tmp_path / "out"
    run_sweep(experiment(), out, workers=1)
    spec = plan(load_experiment(experiment()))[0]
    path = out / "runs" / f"{spec.run_id}.parquet"
    assert verify(path, spec.run_id, spec.seed, spec.experiment, 1) is None
    table = pq.read_table(path)
    pq.write_table(table.slice(0, 5), path)  # the metadata survives, the rows do not
    assert verify(path, spec.run_id, spec.seed, spec.experiment, 1, ["week"]) is not None
    assert verify(path, spec.run_id, spec.seed, spec.experiment, 1) == "has 5 rows; its metadata says 13 (cut short?)"


@pytest.mark.parametrize(
    ("vary", "design"),
    [
        ("ease = [0.3, 0.7]\nweak_ties = { low = 1, high = 8, steps = 3 }", ""),
        (
            "ease = { low = 0.2, high = 0.8 }\nweak_ties = { low = 1, high = 8 }",
            'method = "latin_hypercube"\nsamples = 7',
        ),
        ("ease = { low = 0.2, high = 0.8 }\nweak_ties = { low = 1, high = 8 }", 'method = "sobol"\nsamples = 4'),
        (
            "ease = { low = 0.2, high = 0.8 }\nweak_ties = { low = 1, high = 8 }",
            'method = "sobol"\nsamples = 4\nsecond_order = true',
        ),
        ("ease = { low = 0.2, high = 0.8 }\nweak_ties = { low = 1, high = 8 }", 'method = "morris"\nsamples = 3'),
    ],
)
def test_design_count_matches_what_build_makes(experiment, vary, design):
    from sim.runner.design import build, count
    from sim.runner.plan import size

    text = SMALL.replace("ease = [0.3, 0.7]", vary) + (f"\n[design]\n{design}\n" if design else "")
    loaded = load_experiment(experiment(text))
    assert count(loaded) == len(build(loaded).points)
    assert size(loaded) == (len(plan(loaded)), len(build(loaded).points))


def test_check_counts_a_huge_design_without_building_it_and_a_sweep_over_the_cap_needs_a_flag(
    experiment, tmp_path, monkeypatch
):
    from click.testing import CliRunner

    from sim.cli import main
    from sim.runner import design

    def never(*args, **kwargs):
        raise AssertionError("the design was built")

    monkeypatch.setattr(design, "_sample", never)
    monkeypatch.setattr(sweep_module, "plan", never)
    huge = SMALL.replace("ease = [0.3, 0.7]", "ease = { low = 0.2, high = 0.8 }\nweak_ties = { low = 1, high = 8 }")
    path = experiment(huge + '\n[design]\nmethod = "sobol"\nsamples = 1000000\n')
    result = CliRunner().invoke(main, ["sweep", str(path), "--check"])  # counted, never built: `never` says so
    assert "24,000,000 runs = 2 scenario(s) x 4,000,000 point(s) x 3 replication(s)" in result.output
    assert result.exit_code == 1
    assert "more than the 1,000,000 a sweep may have without --allow-large" in one_error_line(result)
    allowed = CliRunner().invoke(main, ["sweep", str(path), "--check", "--allow-large"])
    assert allowed.exit_code == 0, allowed.output
    out = tmp_path / "out"
    with pytest.raises(SweepError, match="--allow-large"):
        run_sweep(path, out, workers=1)
    assert not out.exists()


def test_signals_during_a_dask_cluster_start_wait_for_it_then_stop_the_sweep():
    import os

    from sim.runner.engines import held_signals

    finished = []

    def start():
        with held_signals():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            finished.append("the start went on")

    with pytest.raises(KeyboardInterrupt):
        start()
    assert finished == ["the start went on"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_too_little_free_space_is_refused_before_anything_is_written(experiment, tmp_path, monkeypatch):
    import shutil
    from typing import NamedTuple

    class usage(NamedTuple):  # what shutil.disk_usage returns
        total: int
        used: int
        free: int

    # 12 runs need about 12 x (30 KB + 200 B a recorded week): 300 KB free is not enough, 10 MB is.
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9, 300_000))
    with pytest.raises(SweepError, match=r"only 0\.3 MB free, and 12 runs need about 0\.\d MB") as caught:
        run_sweep(experiment(), tmp_path / "out", workers=1)
    assert "\n" not in str(caught.value) and not (tmp_path / "out").exists()
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 0, 10_000_000))
    assert run_sweep(experiment(), tmp_path / "out", workers=1).complete


def test_runs_ran_and_done_add_up_when_ctrl_c_lands_between_saving_a_run_and_counting_it(
    experiment, tmp_path, monkeypatch
):
    """Issue 12: a fresh sweep said 'ran 283 ... 284 of 400 done'; what this call ran is now what it added."""
    original = sweep_module._Folder.log
    seen = []

    def log(folder, entry):
        seen.append(entry["status"])
        if seen.count("done") == 3 and entry["status"] == "done":
            raise KeyboardInterrupt  # after the run's file is saved, before it is counted
        original(folder, entry)

    monkeypatch.setattr(sweep_module._Folder, "log", log)
    out = tmp_path / "out"
    first = run_sweep(experiment(), out, workers=1)
    assert first.interrupted and first.done >= 3 and first.ran == first.done and first.before == 0
    monkeypatch.undo()
    second = run_sweep(experiment(), out, workers=1, resume=True)
    assert second.complete and second.before == first.done and second.before + second.ran == second.done == 12
