"""A sweep over an organisation read from its own files: every engine reads the same files and gives the same
numbers, and the results say which files made them without where they were (issue 13's round trip)."""

import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sim.runner import SweepError, run_sweep
from sim.runner.results import runs, weekly

ACME = Path(__file__).resolve().parent.parent / "examples" / "acme"


def digests(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((out / "runs").glob("*.parquet"))}


def test_a_sweep_over_acme_runs_on_its_chart_and_survey_the_same_on_one_worker_and_two(tmp_path):
    experiment = tmp_path / "acme_sweep.toml"
    experiment.write_text(
        f'name = "acme_sweep"\nseed = 5\nreplications = 2\nweeks = 4\nscenarios = ["{ACME / "scenario.toml"}"]\n'
        "[vary]\nrecognition = [0.3, 0.5]\n"
    )
    one, two = tmp_path / "one", tmp_path / "two"
    assert run_sweep(experiment, one, workers=1).complete
    assert run_sweep(experiment, two, workers=2).complete
    assert digests(one) == digests(two) and len(digests(one)) == 4
    frame = weekly(one)
    assert len(frame) == 4 * 5 and (runs(one)["status"] == "done").all()
    meta = json.loads(pq.read_schema(next((one / "runs").glob("*.parquet"))).metadata[b"kshare"])
    text = json.dumps({key: value for key, value in meta.items() if key != "rerun"})
    assert str(ACME) not in text  # file names and fingerprints, never the folder (the rerun command names the
    # scenario file as the experiment does, to be run again)
    chart = hashlib.sha256((ACME / "org.csv").read_bytes()).hexdigest()
    survey = hashlib.sha256((ACME / "survey.csv").read_bytes()).hexdigest()
    assert chart in text and survey in text
    assert meta["parameters"]["organisation"]["employees"] == 1218


def test_a_changed_chart_is_another_sweep_and_a_resume_refuses_to_mix_them(tmp_path):
    """Resuming compares the sweep's fingerprint, which holds the files' contents: runs on an edited chart must
    not be added to runs on the old one."""
    folder = tmp_path / "org"
    folder.mkdir()
    for name in ("org.csv", "ties.csv", "survey.csv", "scenario.toml"):
        (folder / name).write_bytes((ACME / name).read_bytes())
    experiment = tmp_path / "e.toml"
    experiment.write_text(
        f'name = "e"\nseed = 5\nreplications = 1\nweeks = 2\nscenarios = ["{folder / "scenario.toml"}"]\n'
        "[set]\nwarmup = 0\n"
    )
    out = tmp_path / "out"
    assert run_sweep(experiment, out, workers=1).complete
    assert run_sweep(experiment, out, workers=1, resume=True).complete  # the same files: the same sweep
    for name in ("org.csv", "survey.csv"):
        path = folder / name
        path.write_text(path.read_text().replace("Inside Sales 1", "Inside Sales One"))
    with pytest.raises(SweepError, match="different definition or different scenarios"):
        run_sweep(experiment, out, workers=1, resume=True)
