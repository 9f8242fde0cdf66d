"""Hostile inputs: files and arguments a careless user or a tester would give, against every entry point.

Each case must be refused with a plain message naming the file, the key or the argument, a non-zero exit,
no traceback and nothing written. Before, several of these gave a Python traceback (a binary file, deep
nesting, a 5,000-digit integer, ``--set organisation.employees.x=3``), crashed after the whole run (a NUL in
the name) or were silently accepted (``weeks = "20"``, an empty file, an intervention after the run's end).
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.fields import NAME_MAX, TEXT_MAX
from sim.scenario_files import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    ScenarioError,
    command_line_overrides,
    load_scenario,
    with_overrides,
)

#: Hostile scenario files: (file name, content, a word the message must contain besides the file's name).
FILES: dict[str, tuple[bytes, str]] = {
    "binary": (bytes(range(256)) * 4, "not UTF-8"),
    "utf16": ('name = "x"\nweeks = 20\n'.encode("utf-16"), "UTF-16"),
    "utf16_no_bom": ('name = "x"\nweeks = 20\n'.encode("utf-16-le"), "UTF-16"),
    "deep_array": (b"weeks = " + b"[" * 5000 + b"]" * 5000 + b"\n", "deeper than"),
    "deep_table": (b"weeks = " + b"{a = " * 3000 + b"1" + b"}" * 3000 + b"\n", "deeper than"),
    "nested_12": (b"weeks = " + b"[" * 12 + b"1" + b"]" * 12 + b"\n", "'weeks."),
    "huge_int": (b'name = "x"\nweeks = ' + b"9" * 5000 + b"\n", "key 'weeks': line 2"),
    "int_65_bits": (f"seed = {2**64}\n".encode(), "'seed'"),
    "nul_in_name": (b'name = "a\\u0000b"\n', "'name'"),
    "long_name": (f'name = "{"a" * 5000}"\n'.encode(), f"at most {NAME_MAX} characters"),
    "long_description": (f'description = "{"d" * (TEXT_MAX + 1)}"\n'.encode(), f"at most {TEXT_MAX:,} characters"),
    "long_label": (
        f'[[interventions]]\ntype = "mentoring"\nstart = 5\nend = 9\nlabel = "{"l" * 500}"\n'.encode(),
        "interventions.0.label",
    ),
    "quoted_number": (b'weeks = "20"\n', "'weeks'"),
    "bool_number": (b"[culture]\nrecognition = true\n", "culture.recognition"),
    "nan": (b"[culture]\nrecognition = nan\n", "culture.recognition"),
    "empty": (b"", "kshare run baseline"),
    "only_comments": (b"# nothing here\n\n", "kshare run baseline"),
    "too_large": (b'description = "' + b"x" * MAX_FILE_BYTES + b'"\n', f"{MAX_FILE_BYTES:,} bytes"),
    "start_after_end": (
        b'weeks = 50\n[[interventions]]\ntype = "recognition_programme"\nstart = 80\n',
        "week 80",
    ),
    "blame_without_end": (b'[[interventions]]\ntype = "blame_incident"\nstart = 13\n', "needs an end"),
    "restructuring_without_end": (b'[[interventions]]\ntype = "restructuring"\nstart = 13\n', "needs an end"),
    "not_toml": (b"weeks = [\n", "not valid TOML"),
    "long_unknown_key": (b"k" * 5000 + b" = 1\n", "unknown key"),
}


def invoke(*args: str):
    """Run ``kshare`` in-process; an exception escaping the command is kept, not raised, so it can be asserted."""
    return CliRunner().invoke(main, list(args))


def refused(result, *names: str) -> None:
    """The command failed with a message naming each of ``names``, and no Python exception reached the user."""
    text = result.output  # stdout and stderr, as the terminal shows them
    assert result.exit_code not in (0, None), text
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in text
    lines = [line for line in text.splitlines() if all(name in line for name in names)]
    assert lines, f"no line names {names}: {text[:500]}"
    assert len(text) < 5000, "a message must not echo a hostile input back"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """Work in an empty folder, so that anything written (a results/ folder above all) is seen."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def nothing_written(folder: Path, *expected: str) -> None:
    assert sorted(p.name for p in folder.iterdir()) == sorted(expected)


@pytest.mark.parametrize("case", sorted(FILES))
def test_a_hostile_scenario_file_is_refused_by_validate_run_and_sweep(workdir, case):
    """The same file, through every command that reads a scenario, gives one line naming it and what is wrong."""
    content, word = FILES[case]
    (workdir / "bad.toml").write_bytes(content)
    refused(invoke("validate", "bad.toml"), "bad.toml", word)
    refused(invoke("run", "bad.toml"), "bad.toml", word)
    (workdir / "exp.toml").write_text('name = "exp"\nscenarios = ["bad.toml"]\nreplications = 1\n')
    refused(invoke("sweep", "exp.toml", "--check"), "scenarios.0", "bad.toml")
    refused(invoke("sweep", "exp.toml"), "scenarios.0", "bad.toml")
    nothing_written(workdir, "bad.toml", "exp.toml")


def test_a_utf8_byte_order_mark_is_accepted(workdir):
    """Windows editors write one; the file is UTF-8 all the same, so it reads as if the mark were not there."""
    (workdir / "bom.toml").write_bytes(b'\xef\xbb\xbfname = "bom"\nweeks = 20\n')
    assert load_scenario(workdir / "bom.toml").weeks == 20
    assert invoke("validate", "bom.toml").exit_code == 0


@pytest.mark.parametrize(
    ("content", "word"),
    [
        (b"", "is empty"),
        (b"weeks = " + b"[" * 5000 + b"]" * 5000 + b"\n", "deeper than"),
        (b'name = "e"\nreplications = "3"\n', "'replications'"),
        (b'name = "e"\nseed = ' + str(2**70).encode() + b"\n", "'seed'"),
        (f'name = "{"e" * 100}"\n'.encode(), "'name'"),
        (b"\xff\xfe\x00", "UTF-16"),
        (b'description = "' + b"x" * MAX_FILE_BYTES + b'"\n', "bytes"),
        (b'name = "e"\n[outputs]\nevery = "3"\n', "outputs.every"),
        (b'name = "e"\n[design]\nsamples = true\n', "design.samples"),
    ],
)
def test_a_hostile_experiment_file_is_refused(workdir, content, word):
    """An experiment file is read by the same parser, with the same limits, as a scenario file."""
    (workdir / "exp.toml").write_bytes(content)
    refused(invoke("sweep", "exp.toml", "--check"), "exp.toml", word)
    refused(invoke("sweep", "exp.toml"), "exp.toml", word)
    nothing_written(workdir, "exp.toml")


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--set", "recognition"], ["recognition", "KEY=VALUE"]),
        (["--set", "=5"], ["=5", "KEY=VALUE"]),
        (["--set", "organisation.employees.x=3"], ["organisation.employees", "not a table"]),
        (["--set", "psychological_safety=low"], ["culture.psychological_safety", "number"]),
        (["--set", "weeks=true"], ["'weeks'", "whole number"]),
        (["--set", "weeks=2.5"], ["'weeks'", "whole number"]),
        (["--set", "weeks=" + "[" * 3000 + "]" * 3000], ["'weeks'", "deeper than"]),
        (["--set", "weeks=" + "[" * 12 + "]" * 12], ["'weeks.0.0", "deeper than"]),
        (["--set", "weeks=" + "9" * 5000], ["'weeks'", "64 bits"]),
        (["--set", "name=" + "n" * 5000], ["'name'", "characters"]),
        (["--set", 'name="a\\u0000b"'], ["'name'", "U+0000"]),
        (["--set", "weeks=20", "--weeks", "30"], ["--weeks 30", "--set weeks=20"]),
        (["--set", "employees=200", "--employees", "300"], ["--employees", "--set employees=200"]),
        (["--set", "organisation.employees=200", "--employees", "300"], ["--employees", "organisation.employees"]),
        (["--set", "recognition=0.5", "--set", "culture.recognition=0.6"], ["given twice"]),
        (["--seed", str(2**63)], ["--seed", str(2**63 - 1)]),
        (["--set", "interventions.0.end=40"], ["interventions.0.type", "missing"]),
        (["--set", "interventions.3.type=mentoring"], ["interventions.3", "holds none", "interventions.0.type"]),
        (["--set", "x" * 5000 + "=1"], ["unknown parameter"]),
        (["--set", "interventions.0.type=mentoring", "--set", "interventions.0.start=200"], ["week 200"]),
        (["--set", "interventions.0.type=workload_spike"], ["workload_spike needs an end"]),
        (["--set", "interventions.0.type=mentoring", "--set", "interventions.0.colour=red"], ["colour"]),
    ],
)
def test_a_hostile_command_line_is_refused_before_anything_runs(workdir, args, names):
    """Each gives one line naming the argument or key, before the scenario runs or anything is written."""
    refused(invoke("run", "baseline", *args, "--out", "out"), *names)
    nothing_written(workdir)


def test_an_overlong_or_nul_argument_is_refused_without_echoing_it(workdir):
    """A 5,000-character scenario or experiment name is too long for the file system: one short line."""
    refused(invoke("run", "x" * 5000), "not a usable file name")
    refused(invoke("validate", "x" * 5000 + ".toml"), "not a usable file name")
    refused(invoke("sweep", "x" * 5000, "--check"), "not a usable file name")
    (workdir / "exp.toml").write_text('name = "e"\nscenarios = ["a\\u0000b.toml"]\n')
    refused(invoke("sweep", "exp.toml", "--check"), "scenarios.0", "NUL")
    nothing_written(workdir, "exp.toml")


def test_seed_range_is_the_same_on_the_command_line_and_in_a_file(workdir):
    """2**63 - 1 is the largest seed both accept; one more is refused by both."""
    (workdir / "big.toml").write_text(f"seed = {2**63}\n")
    refused(invoke("validate", "big.toml"), "'seed'")
    (workdir / "edge.toml").write_text(f"seed = {2**63 - 1}\n")
    assert invoke("validate", "edge.toml").exit_code == 0
    refused(invoke("run", "baseline", "--seed", str(2**63)), "--seed")


def test_the_command_line_adds_an_intervention_with_every_field():
    """``interventions.N.FIELD`` with N the current count appends one; the README's form sets every field."""
    scenario = load_scenario("baseline")
    overrides = command_line_overrides(
        [
            "interventions.0.type=blame_incident",
            "interventions.0.start=5",
            "interventions.0.end=10",
            "interventions.0.intensity=0.3",
            "interventions.0.target=department:1",
            'interventions.0.label="a blame incident"',
        ],
        {"weeks": 20, "employees": None},
    )
    added = with_overrides(scenario, overrides)
    assert added.weeks == 20 and len(added.interventions) == 1
    item = added.interventions[0]
    assert (item.type, item.start, item.end, item.intensity, item.target, item.label) == (
        "blame_incident",
        5,
        10,
        0.3,
        "department:1",
        "a blame incident",
    )
    again = with_overrides(added, {"interventions.1.type": "mentoring", "interventions.1.start": 3})
    assert [i.type for i in again.interventions] == ["blame_incident", "mentoring"]


def test_the_readme_example_changes_an_existing_intervention():
    """``--set interventions.0.end=40`` as the README shows it, on a scenario that has an intervention."""
    assert load_scenario("combined_programme", **{"interventions.0.end": 40}).interventions[0].end == 40
    assert "interventions.0.end=40" in (Path(__file__).parents[1] / "README.md").read_text()


def test_numbers_from_the_command_line_are_still_numbers(workdir):
    """--set values are TOML values: ``weeks=20`` is the number 20, though ``weeks = "20"`` in a file is refused."""
    assert command_line_overrides(["weeks=20", "recognition=0.5", "name=our org"], {}) == {
        "weeks": 20,
        "recognition": 0.5,
        "name": "our org",
    }
    assert load_scenario("baseline", weeks=20, recognition=1).culture.recognition == 1.0


def test_shortening_a_valid_scenario_cuts_later_interventions_off():
    """``--weeks 5`` on a preset whose programme starts in week 10 is a deliberate truncation, not a mistake;
    moving the programme itself past the end in the same command is."""
    assert load_scenario("recognition_programme", weeks=5).weeks == 5
    with pytest.raises(ScenarioError, match="starts in week 10"):
        load_scenario("recognition_programme", weeks=5, **{"interventions.0.end": 70})


def test_an_intervention_may_start_in_the_last_week(workdir):
    """The run simulates weeks 1 to ``weeks``, so a start in the last week still acts; only a later one is an error."""
    (workdir / "last.toml").write_text('weeks = 50\n[[interventions]]\ntype = "mentoring"\nstart = 50\n')
    assert invoke("validate", "last.toml").exit_code == 0


def test_many_problems_are_counted_not_all_listed(workdir):
    """10,000 unknown keys (20 KB) give a short message, quickly."""
    (workdir / "keys.toml").write_text("".join(f"k{i}.a = 1\n" for i in range(10_000)))
    result = invoke("validate", "keys.toml")
    refused(result, "10000 problems")
    assert "and 9980 more" in result.output


def test_limits_are_documented():
    """The README's scenario section states every limit with the value the code enforces."""
    readme = " ".join((Path(__file__).parents[1] / "README.md").read_text().split())
    for limit in (
        f"at most {MAX_FILE_BYTES:,} bytes",
        f"nested at most {MAX_DEPTH} levels",
        f"at most {NAME_MAX} characters",
        f"at most {TEXT_MAX:,} characters",
    ):
        assert limit in readme, limit


# ------------------------------------------------------------------ fuzzing
FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _validate_bytes(folder: Path, content: bytes) -> None:
    path = folder / "fuzz.toml"
    path.write_bytes(content)
    result = invoke("validate", str(path))
    assert result.exit_code in (0, 1), (content[:200], result.output[:500])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code:
        assert str(path) in result.output


@FUZZ
@given(content=st.binary(max_size=300))
def test_fuzz_bytes_never_give_a_traceback(tmp_path, content):
    _validate_bytes(tmp_path, content)


@FUZZ
@given(content=st.binary(max_size=300))
def test_fuzz_experiment_bytes_never_give_a_traceback(tmp_path, content):
    """Random bytes as an experiment file: refused with its name (or, rarely, valid), never a traceback."""
    path = tmp_path / "fuzz.toml"
    path.write_bytes(content)
    result = invoke("sweep", str(path), "--check")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code == 0 or str(path) in result.output


_KEYS = st.sampled_from(
    ["name", "weeks", "seed", "warmup", "description", "culture.recognition", "organisation.employees", "x"]
)
_SCALARS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(string.printable + "\u0000\u00e9", max_size=80),
)
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3), max_leaves=20)


def _toml(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(str(value), repr(value))
    if isinstance(value, str):
        return '"' + "".join(c if c.isalnum() or c in " ._-" else f"\\u{ord(c):04x}" for c in value) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


@FUZZ
@given(pairs=st.dictionaries(_KEYS, _VALUES, max_size=5))
def test_fuzz_toml_never_gives_a_traceback(tmp_path, pairs):
    """Well-formed TOML of every shape: deep lists, huge integers, nan, NUL, long text, wrong types."""
    _validate_bytes(tmp_path, "".join(f"{key} = {_toml(value)}\n" for key, value in pairs.items()).encode())


@FUZZ
@given(text=st.text(max_size=60).filter(lambda t: "\x00" not in t))
def test_fuzz_set_never_gives_a_traceback(tmp_path, text):
    """Any --set text is either applied or refused with a message; a short run if applied."""
    out = str(tmp_path / "o")
    result = invoke(
        "run", "baseline", "--weeks", "1", "--employees", "60", "--set", "warmup=0", "--set", text, "--out", out
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), (text, repr(result.exception))
    assert "Traceback" not in result.output
