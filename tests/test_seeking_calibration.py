"""The calibration's seeking statistics and the fit of seeking's parameters (experiments/seeking_*.toml)."""

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from sim.calibration.patterns import load_patterns
from sim.calibration.priors import load_priors
from sim.calibration.statistics import RunRecord, SeekingRecord, compute, simulate
from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "experiments" / "scenarios" / "seeking_baseline.toml"
SEEKING = ("safety_asking_r", "awareness_asking_r", "answer_share")


def record(seeking: SeekingRecord | None, safety: np.ndarray) -> RunRecord:
    n = len(safety)
    zeros = np.zeros(n)
    return RunRecord(
        window=10,
        shared_weeks=np.arange(n) % 10,
        safety=safety,
        recognition=zeros,
        reciprocation=zeros,
        ease=zeros,
        self_efficacy=zeros,
        satisfaction=zeros,
        team=np.zeros(n, dtype=int),
        contributions=np.arange(n),
        lapsed_at_start=np.zeros(n, dtype=bool),
        seeking=seeking,
    )


def test_the_seeking_statistics_are_what_a_hand_calculation_gives():
    """Only people who met a need count in the correlations; the answer share is answered over asked."""
    safety = np.array([0.2, 0.4, 0.6, 0.8, 0.5])
    need = np.array([4, 4, 4, 4, 0])  # the last person never needed anything: left out, whatever their safety
    asked = np.array([1, 2, 3, 4, 0])
    answered = np.array([0, 1, 2, 3, 0])
    awareness = np.array([0.9, 0.1, 0.5, 0.3, 0.0])
    got = compute(record(SeekingRecord(need, asked, answered, awareness), safety), SEEKING)
    share = asked[:4] / need[:4]
    assert got["safety_asking_r"] == pytest.approx(np.corrcoef(safety[:4], share)[0, 1])
    assert got["awareness_asking_r"] == pytest.approx(np.corrcoef(awareness[:4], share)[0, 1])
    assert got["answer_share"] == pytest.approx(6 / 10)
    without = compute(record(None, safety), SEEKING)
    assert all(np.isnan(value) for value in without.values())


def test_a_recorded_seeking_run_counts_what_the_model_did():
    """Answered requests are requests, requests come from needs, and the answer share lies between 0 and 1."""
    run = simulate({}, seed=2, employees=300, weeks=60, scenario=str(SCENARIO))
    seeking = run.seeking
    assert seeking is not None
    assert (seeking.answered <= seeking.asked_weeks).all() and (seeking.asked_weeks <= seeking.need_weeks).all()
    assert seeking.asked_weeks.sum() > 0 and 0 < compute(run, ("answer_share",))["answer_share"] < 1
    assert simulate({}, seed=2, employees=300, weeks=60).seeking is None


def test_the_seeking_fit_files_are_valid_and_keep_every_shipped_pattern():
    patterns = load_patterns(ROOT / "experiments" / "seeking_fit" / "patterns.toml")
    shipped = load_patterns()
    names = {p.name for p in patterns.patterns}
    assert {p.name for p in shipped.patterns} <= names and set(SEEKING) <= names
    priors = load_priors(ROOT / "experiments" / "seeking_fit" / "priors.toml", str(SCENARIO))
    assert set(priors.names) == {"ask_bias", "w_ask_safety", "w_ask_awareness", "answer_readiness", "need_rate"}


def test_calibrate_takes_a_scenario_file_and_refuses_a_missing_one(tmp_path):
    files = ["--patterns", ROOT / "experiments" / "seeking_fit" / "patterns.toml"]
    files += ["--priors", ROOT / "experiments" / "seeking_fit" / "priors.toml"]
    ok = CliRunner().invoke(main, ["calibrate", "--scenario", str(SCENARIO), *map(str, files), "--check"])
    assert ok.exit_code == 0, ok.output
    assert "seeking_baseline.toml scenario" in ok.output and "answer_share" in ok.output
    bad = CliRunner().invoke(main, ["calibrate", "--scenario", str(tmp_path / "nope.toml"), "--check"])
    assert bad.exit_code != 0 and "--scenario" in bad.output
