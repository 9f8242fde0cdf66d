"""Where results go: only under --out or a safe stem of the name; one whole result set per run; identical bytes.

Issue 11: a scenario or experiment ``name`` such as ``../../ESCAPED`` once wrote above the working folder, a
full disk left a new ``timeseries.parquet`` beside an old ``summary.json``, and the Parquet file of two identical
runs differed by its timestamp.
"""

import errno
import json
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim import output, result_set
from sim.cli import main
from sim.files import MAX_STEM, UnsafeName, safe_stem
from sim.model import KnowledgeSharingModel

SMALL = ["--weeks", "4", "--employees", "40"]

UNSAFE = {
    "parent": "../../ESCAPED",
    "absolute": "/tmp/kshare-escaped-absolute",
    "dot-dot": "..",
    "dot": ".",
    "hidden": ".hidden",
    "nul": "a\x00b",
    "newline": "a\nb",
    "backslash": "a\\b",
    "long": "x" * 5000,
    "long-in-bytes": "€" * MAX_STEM,
    "empty": " ",
}


def files_under(root: Path) -> set[Path]:
    return {path.relative_to(root) for path in root.rglob("*")}


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, control characters escaped."""
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in text) + '"'


def assert_one_line_refusal(result, *words: str) -> None:
    """Exit 1, no traceback, and one line of error that holds every word."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A working folder two levels down, so that ``../../X`` would land inside ``tmp_path`` where we can see it."""
    folder = tmp_path / "a" / "work"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("name", UNSAFE.values(), ids=UNSAFE.keys())
def test_unsafe_scenario_name_is_refused_and_writes_nothing(tmp_path, work, name):
    (work / "bad.toml").write_text(f"name = {toml_string(name)}\nweeks = 3\n[organisation]\nemployees = 30\n")
    before = files_under(tmp_path)
    result = CliRunner().invoke(main, ["run", "bad.toml"])
    # Control characters and overlong names are refused already when the scenario is validated (text fields are
    # one line of at most 64 characters); the others when the name is about to become a folder.
    assert_one_line_refusal(result, "bad.toml: ", "name")
    assert "cannot be used as a file or folder name" in result.stderr or "key 'name'" in result.stderr
    assert files_under(tmp_path) == before
    assert not Path(UNSAFE["absolute"]).exists()


@pytest.mark.parametrize("name", ["../../ESCAPED", "/tmp/kshare-escaped-absolute", ".."])
def test_unsafe_name_from_set_is_refused_and_names_set(tmp_path, work, name):
    before = files_under(tmp_path)
    result = CliRunner().invoke(main, ["run", "baseline", *SMALL, "--set", f"name={name}"])
    assert_one_line_refusal(result, "command line", "key 'name'", "cannot be used as a file or folder name")
    assert files_under(tmp_path) == before
    assert not Path(UNSAFE["absolute"]).exists()


def test_an_unsafe_name_is_refused_even_with_out(tmp_path, work):
    """The name is checked when the scenario is validated, not only when it becomes a folder: a scenario that
    passes here is safe for whoever runs it next without --out (an exported file, a shared one)."""
    before = files_under(tmp_path)
    result = CliRunner().invoke(main, ["run", "baseline", *SMALL, "--set", "name=../../ESCAPED", "--out", "mine"])
    assert_one_line_refusal(result, "key 'name'", "cannot be used as a file or folder name")
    assert files_under(tmp_path) == before


def test_unsafe_experiment_name_is_refused_and_writes_nothing(tmp_path, work):
    (work / "exp.toml").write_text(
        'name = "../../ESCAPED"\nseed = 1\nreplications = 1\nweeks = 3\nscenarios = ["baseline"]\n'
        "[set]\nemployees = 30\n"
    )
    before = files_under(tmp_path)
    result = CliRunner().invoke(main, ["sweep", "exp.toml", "--workers", "1"])
    assert_one_line_refusal(result, "exp.toml", "key 'name'", "cannot be used as a file or folder name")
    assert files_under(tmp_path) == before


def test_safe_names_pass_unchanged():
    for name in ("baseline", "our org (2024)", "Zürich low-trust v1.2", "x" * MAX_STEM):
        assert safe_stem(name) == name
    with pytest.raises(UnsafeName, match=r"scenario\.toml: name '\.\./x'.*path separator"):
        safe_stem("../x", "scenario.toml: name")


def test_default_folder_is_results_slash_name(work):
    assert CliRunner().invoke(main, ["run", "baseline", *SMALL]).exit_code == 0
    assert sorted(p.name for p in (work / "results" / "baseline").iterdir()) == sorted(result_set.RESULT_FILES)


# ------------------------------------------------------------------------------------------- one result set


def run(out: Path, *extra: str):
    return CliRunner().invoke(main, ["run", "baseline", *SMALL, "--out", str(out), *extra])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_full_disk_half_way_keeps_the_old_set_whole(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert run(out, "--seed", "1").exit_code == 0
    old = snapshot(out)

    def full(*args, **kwargs):  # the chart is written after the Parquet and CSV files
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output, "sharing_chart", full)
    result = run(out, "--seed", "2")
    assert_one_line_refusal(result, str(out), "No space left on device", "nothing was written")
    assert snapshot(out) == old
    assert files_under(tmp_path) == {Path("out"), *(Path("out") / name for name in old)}


def test_interrupted_write_keeps_the_old_set_and_leaves_no_temporary_folder(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert run(out, "--seed", "1").exit_code == 0
    old = snapshot(out)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(output, "sharing_chart", interrupted)
    run(out, "--seed", "2")
    assert snapshot(out) == old
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_new_set_replaces_the_old_one_whole(tmp_path):
    out = tmp_path / "out"
    assert run(out, "--seed", "1").exit_code == 0
    (out / ".timeseries.csv.partial").write_text("left by a killed write")
    assert run(out, "--seed", "2").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(result_set.RESULT_FILES)
    assert json.loads((out / "summary.json").read_text())["seed"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_folders_left_by_killed_runs_are_removed_by_the_next_run(tmp_path):
    out = tmp_path / "out"
    dead = tmp_path / ".out.999999999.0badcafe.old.partial"  # no process has this pid
    dead.mkdir()
    (dead / "summary.json").write_text("{}")
    alive = tmp_path / f".out.{os.getpid()}.0badcafe.partial"  # a run still writing
    alive.mkdir()
    other = tmp_path / ".other.999999999.0badcafe.partial"  # beside another folder: not ours to judge
    other.mkdir()
    assert run(out).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out", alive.name, other.name])


def never_simulate(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("simulated although the output folder could not be written")

    monkeypatch.setattr(KnowledgeSharingModel, "run", fail)


def test_read_only_disk_is_refused_before_simulating(tmp_path, monkeypatch):
    never_simulate(monkeypatch)

    def read_only(*args, dir=None, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dir))

    # The probe of sim.files.free_space_for: the first thing the disk is asked to do.
    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)
    result = run(tmp_path / "out")
    assert_one_line_refusal(result, "Read-only file system")
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_read_only_folder_is_refused_before_simulating(tmp_path, monkeypatch):
    never_simulate(monkeypatch)
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        assert_one_line_refusal(run(parent / "out"), "Permission denied")
    finally:
        parent.chmod(0o755)
    assert list(parent.iterdir()) == []


def test_too_little_free_space_is_refused_before_simulating(tmp_path, monkeypatch):
    never_simulate(monkeypatch)
    usage = result_set.shutil.disk_usage(tmp_path)
    monkeypatch.setattr(result_set.shutil, "disk_usage", lambda path: usage._replace(free=100_000))
    assert_one_line_refusal(run(tmp_path / "new" / "out"), "MB free")
    assert list(tmp_path.iterdir()) == []  # not even the parent folder was made


def test_folder_holding_other_files_is_refused_not_replaced(tmp_path, monkeypatch):
    never_simulate(monkeypatch)
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert_one_line_refusal(run(out), "'notes.txt'", "not part of a result set")
    assert (out / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("out", [".", "..", "missing/..", "/"])
def test_working_folder_or_one_above_is_refused_as_out(tmp_path, work, monkeypatch, out):
    never_simulate(monkeypatch)
    before = files_under(tmp_path)
    assert_one_line_refusal(run(Path(out)), "output folder")
    assert files_under(tmp_path) == before


# ------------------------------------------------------------------------------------------ identical bytes


def test_identical_runs_give_identical_files_except_the_summarys_time_and_command(tmp_path):
    assert run(tmp_path / "a", "--seed", "3").exit_code == 0
    assert run(tmp_path / "b", "--seed", "3").exit_code == 0
    a, b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    for name in ("timeseries.parquet", "timeseries.csv", "sharing.png"):
        assert a[name] == b[name], name
    summary_a, summary_b = (json.loads(s["summary.json"]) for s in (a, b))
    assert {k for k in summary_a if summary_a[k] != summary_b[k]} <= {"command", "created"}
    assert "created" in summary_a and b"created" not in a["timeseries.parquet"]


def test_replications_need_room_for_every_runs_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(result_set, "free_space_for", lambda path: result_set.needed_bytes(130) + 1)
    result_set.check_folder(tmp_path / "one", 130)  # one run fits
    with pytest.raises(result_set.ResultSetError, match="1000 runs of 130 weeks need about 52"):
        result_set.check_folder(tmp_path / "many", 130, 1000)
