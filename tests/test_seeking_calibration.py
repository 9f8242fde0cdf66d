"""The calibration's seeking statistics, and seeking's patterns and priors in the shipped fit."""

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from sim.calibration.patterns import load_patterns
from sim.calibration.priors import load_priors
from sim.calibration.statistics import RunRecord, SeekingRecord, compute, simulate
from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
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
    run = simulate({}, seed=2, employees=300, weeks=60)  # seeking is on by default
    seeking = run.seeking
    assert seeking is not None
    assert (seeking.answered <= seeking.asked_weeks).all() and (seeking.asked_weeks <= seeking.need_weeks).all()
    assert seeking.asked_weeks.sum() > 0 and 0 < compute(run, ("answer_share",))["answer_share"] < 1
    assert simulate({"seeking": False}, seed=2, employees=300, weeks=60).seeking is None


def test_the_shipped_fit_has_seeking_patterns_and_priors():
    """The joint fit (docs/calibration.md, "The shipped fit"): seeking's patterns among the packaged ones, the
    Borgatti & Cross pattern held out, and seeking's five parameters among the priors with sharing's thirteen."""
    patterns = {p.name: p for p in load_patterns().patterns}
    assert set(SEEKING) <= set(patterns) and patterns["awareness_asking_r"].held_out
    assert not patterns["safety_asking_r"].held_out and not patterns["answer_share"].held_out
    priors = load_priors()
    assert {"ask_bias", "w_ask_safety", "w_ask_awareness", "answer_readiness", "need_rate"} <= set(priors.names)
    assert len(priors.names) == 18


def test_calibrate_takes_a_scenario_file_and_refuses_a_missing_one(tmp_path):
    scenario = tmp_path / "ours.toml"
    scenario.write_text('name = "ours"\n[culture]\npsychological_safety = 0.5\n')
    ok = CliRunner().invoke(main, ["calibrate", "--scenario", str(scenario), "--check"])
    assert ok.exit_code == 0, ok.output
    assert "ours.toml scenario" in ok.output and "answer_share" in ok.output
    bad = CliRunner().invoke(main, ["calibrate", "--scenario", str(tmp_path / "nope.toml"), "--check"])
    assert bad.exit_code != 0 and "--scenario" in bad.output
