"""``kshare calibrate``: its files, the emergent statistics, the ABC-SMC run and reading a posterior."""

import json
import subprocess
import sys
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from experiments.calibration import baseline_run
from sim.calibration import posterior as posterior_module
from sim.calibration.abc import UNDEFINED_DISTANCE, BandDistance, Settings, calibrate, evaluation_seed
from sim.calibration.files import CalibrationFileError
from sim.calibration.patterns import check_patterns, load_patterns
from sim.calibration.posterior import Posterior, PosteriorError, load_posterior, write_posterior
from sim.calibration.priors import check_priors, load_priors
from sim.calibration.statistics import STATISTICS, RunRecord, compute, simulate
from sim.cli import main
from sim.scenario import flat_parameter_names


def invoke(*args):
    return CliRunner().invoke(main, ["calibrate", *args])


PATTERN = """
[[pattern]]
name = "safety"
level = "person"
statistic = "safety_sharing_r"
target = 0.45
tolerance = 0.15
source = "Frazier et al. (2017)"
"""


# ------------------------------------------------------------------------------- the shipped files
def test_the_shipped_patterns_cover_three_levels_with_eight_fitted_and_two_held_out():
    patterns = load_patterns()
    assert len(patterns.fitted) >= 8 and len(patterns.held_out) >= 2
    assert {p.level for p in patterns} == {"person", "team", "organisation"}
    assert len({p.statistic for p in patterns.fitted}) == len(patterns.fitted)  # no statistic fitted twice
    for p in patterns:
        assert p.source and p.low < p.target < p.high


def test_the_shipped_priors_lie_inside_what_the_scenario_allows():
    priors = load_priors()
    wanted = {
        "w_satisfaction",
        "w_self_efficacy",
        "w_recognition",
        "w_reciprocation",
        "w_ease",
        "w_safety",
        "w_social",
        "friction_weight",
        "safety_spread",
        "defector_share",
        "cooperator_share",
        "intention_bias",
    }
    assert wanted <= set(priors.names)
    for prior in priors:
        assert prior.source and prior.path == flat_parameter_names()[prior.name]


# ----------------------------------------------------------------------------- file validation
def test_a_misspelt_pattern_key_and_statistic_get_the_nearest_names():
    text = PATTERN.replace("tolerance", "tolerence").replace('"safety_sharing_r"', '"safety_sharing_rr"')
    with pytest.raises(CalibrationFileError) as caught:
        check_patterns(__import__("tomllib").loads(text), "bad.toml")
    message = str(caught.value)
    assert "bad.toml: 3 problems" in message
    assert "key 'pattern.0.tolerence': unknown key; did you mean 'tolerance'?" in message
    assert (
        "key 'pattern.0.statistic': unknown statistic 'safety_sharing_rr'; did you mean 'safety_sharing_r'?" in message
    )
    assert "missing a tolerance, or low and high" in message  # the misspelt tolerance leaves no band


def test_every_problem_in_a_patterns_file_is_reported_at_once(tmp_path):
    path = tmp_path / "patterns.toml"
    path.write_text(
        PATTERN
        + PATTERN.replace('level = "person"', 'level = "team"')  # a duplicate name, at the wrong level
        + """
[[pattern]]
name = "band"
level = "organisation"
statistic = "top1_share"
target = 0.5
low = 0.2
high = 0.4
source = "x"
held_out = "yes"
"""
    )
    with pytest.raises(CalibrationFileError) as caught:
        load_patterns(path)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 4, problems
    assert any("pattern.1.name" in p and "also the name of pattern.0" in p for p in problems)
    assert any("pattern.1.level" in p and "expected 'person'" in p for p in problems)
    assert any("pattern.2.held_out" in p and "true or false" in p for p in problems)
    assert any("pattern.2" in p and "low < target < high" in p for p in problems)


def test_priors_problems_name_the_parameter_the_range_and_the_nearest_name():
    data = {
        "w_safty": {"low": 0.0, "high": 1.0, "source": "x"},
        "friction_weight": {"low": 0.2, "high": 1.5, "source": "x"},
        "w_social": {"low": 2.0, "high": 1.0, "source": "x"},
        "employees": {"low": 10, "high": 20, "source": "x"},
        "w_ease": {"low": 0.0, "hihg": 1.0, "source": "x"},
    }
    with pytest.raises(CalibrationFileError) as caught:
        check_priors(data, "priors.toml")
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 6, problems
    assert "key 'w_safty': unknown parameter; did you mean 'w_safety'?" in problems
    assert any("friction_weight" in p and "inside [0.0, 1.0]" in p and "[0.2, 1.5]" in p for p in problems)
    assert any("w_social" in p and "low < high" in p for p in problems)
    assert any("employees" in p and "not a continuous parameter" in p for p in problems)
    assert any("w_ease.hihg" in p and "did you mean 'high'" in p for p in problems)
    assert any("w_ease.high" in p and "missing" in p for p in problems)


def test_priors_must_give_a_valid_scenario_at_their_corners():
    data = {
        "cooperator_share": {"low": 0.1, "high": 0.6, "source": "x"},
        "defector_share": {"low": 0.1, "high": 0.6, "source": "x"},
    }
    with pytest.raises(CalibrationFileError, match=r"every parameter at its high.*must not exceed 1"):
        check_priors(data, "priors.toml")


def test_a_bad_file_stops_the_command_with_one_line_per_problem_and_runs_nothing(tmp_path):
    patterns = tmp_path / "patterns.toml"
    patterns.write_text(PATTERN.replace("tolerance", "tolerence"))
    priors = tmp_path / "priors.toml"
    priors.write_text('[w_safty]\nlow = 0.0\nhigh = 1.0\nsource = "x"\n')
    out = tmp_path / "out"
    result = invoke("--patterns", str(patterns), "--priors", str(priors), "--out", str(out))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert "did you mean 'tolerance'" in result.output and "did you mean 'w_safety'" in result.output
    assert not out.exists()
    missing = invoke("--patterns", str(tmp_path / "nothing.toml"), "--check")
    assert missing.exit_code == 1 and "nothing.toml: no such file" in missing.output


def test_check_prints_the_plan_and_runs_nothing(tmp_path):
    result = invoke("--check", "--out", str(tmp_path / "out"), "--population", "40")
    assert result.exit_code == 0, result.output
    assert "12 fitted pattern(s)" in result.output and "3 held out" in result.output
    assert "population 40" in result.output
    assert not (tmp_path / "out").exists()


def test_without_pyabc_the_command_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyabc", None)  # import pyabc now raises ImportError
    result = invoke("--out", str(tmp_path / "out"), "--population", "2", "--generations", "1", "--workers", "1")
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert "pyabc" in last and "uv sync --extra calibrate" in last and "kshare[calibrate]" in last


# ------------------------------------------------------------------------------- statistics
def record(**changes) -> RunRecord:
    """Six people in two teams over a 4-week window, with values one can check by hand."""
    values: dict[str, Any] = {
        "window": 4,
        "shared_weeks": np.array([4, 2, 0, 0, 1, 3]),
        "safety": np.array([0.9, 0.6, 0.2, 0.3, 0.5, 0.7]),
        "recognition": np.array([0.8, 0.5, 0.1, 0.2, 0.3, 0.6]),
        "reciprocation": np.array([0.2, 0.3, 0.9, 0.8, 0.5, 0.4]),
        "ease": np.array([0.5, 0.5, 0.5, 0.5, 0.5, 0.6]),
        "self_efficacy": np.array([0.6, 0.5, 0.4, 0.3, 0.2, 0.1]),
        "satisfaction": np.array([0.9, 0.8, 0.1, 0.1, 0.3, 0.7]),
        "team": np.array([0, 0, 0, 1, 1, 1]),
        "contributions": np.array([100, 20, 0, 0, 5, 75]),
        "lapsed_at_start": np.array([False, True, True, True, False, False]),
        "strategy": np.array([1, 0, 2, 2, 0, 1], dtype=np.int8),
    }
    values.update(changes)
    return RunRecord(**values)


def test_each_statistic_is_what_a_hand_calculation_gives():
    frequency = np.array([1.0, 0.5, 0.0, 0.0, 0.25, 0.75])
    r = record()
    got = compute(r)
    assert got["top1_share"] == pytest.approx(0.5)  # 1 % of 6 people is one person: 100 of 200 contacts
    assert got["top10_share"] == pytest.approx(0.5)  # still one person
    assert got["safety_sharing_r"] == pytest.approx(np.corrcoef(r.safety, frequency)[0, 1])
    for belief in ("recognition", "reciprocation", "self_efficacy", "satisfaction", "ease"):
        assert got[f"{belief}_sharing_r"] == pytest.approx(np.corrcoef(getattr(r, belief), frequency)[0, 1])
    assert got["reciprocation_sharing_r"] < 0 < got["recognition_sharing_r"]
    # teams: safety (0.9+0.6+0.2)/3 and (0.3+0.5+0.7)/3; sharing (1+0.5+0)/3 and (0+0.25+0.75)/3: two points
    assert np.isnan(got["team_safety_sharing_r"])  # fewer than three teams: undefined
    three = compute(record(team=np.array([0, 0, 1, 1, 2, 2])))["team_safety_sharing_r"]
    assert three == pytest.approx(np.corrcoef([0.75, 0.25, 0.6], [0.75, 0.0, 0.5])[0, 1])
    assert got["lapse_return"] == pytest.approx(1 / 3)  # of the three lapsed, one (2 weeks) shared again
    assert got["cooperator_share_emergent"] == pytest.approx(3 / 6)  # 4, 2 and 3 of 4 weeks
    assert got["defector_share_emergent"] == pytest.approx(2 / 6)


def test_each_statistic_follows_the_behaviour_it_measures():
    base = compute(record())
    changed = {
        "top1_share": record(contributions=np.array([10, 20, 0, 0, 5, 75])),
        "top10_share": record(contributions=np.array([10, 20, 0, 0, 5, 75])),
        "safety_sharing_r": record(safety=np.array([0.1, 0.6, 0.9, 0.3, 0.5, 0.7])),
        "recognition_sharing_r": record(recognition=np.array([0.1, 0.5, 0.8, 0.2, 0.3, 0.6])),
        "reciprocation_sharing_r": record(reciprocation=np.array([0.9, 0.3, 0.2, 0.8, 0.5, 0.4])),
        "ease_sharing_r": record(ease=np.array([0.9, 0.5, 0.5, 0.5, 0.5, 0.6])),
        "self_efficacy_sharing_r": record(self_efficacy=np.array([0.1, 0.5, 0.4, 0.3, 0.2, 0.6])),
        "satisfaction_sharing_r": record(satisfaction=np.array([0.1, 0.8, 0.9, 0.1, 0.3, 0.7])),
        "lapse_return": record(shared_weeks=np.array([4, 2, 1, 0, 1, 3])),
        "cooperator_share_emergent": record(shared_weeks=np.array([4, 1, 0, 0, 1, 3])),
        "defector_share_emergent": record(shared_weeks=np.array([4, 2, 1, 0, 1, 3])),
    }
    seeking = {"safety_asking_r", "awareness_asking_r", "answer_share"}  # tests/test_seeking_calibration.py
    assert set(changed) | {"team_safety_sharing_r"} | seeking == set(STATISTICS)
    for name, other in changed.items():
        assert STATISTICS[name](other) != pytest.approx(base[name]), name
    teams = np.array([0, 0, 1, 1, 2, 2])
    assert STATISTICS["team_safety_sharing_r"](record(team=teams)) != pytest.approx(
        STATISTICS["team_safety_sharing_r"](record(team=teams, safety=np.array([0.1, 0.1, 0.2, 0.3, 0.9, 0.9])))
    )


def test_no_statistic_reads_the_strategy_drawn_at_the_start():
    assert compute(record()) == pytest.approx(compute(record(strategy=np.zeros(6, dtype=np.int8))), nan_ok=True)


def test_the_strategy_mix_emerges_from_behaviour_not_from_the_input():
    run = simulate({}, seed=3, employees=300)
    assert run.strategy is not None
    drawn = np.bincount(run.strategy, minlength=3) / len(run.strategy)  # pragmatist, cooperator, defector
    got = compute(run, ["cooperator_share_emergent", "defector_share_emergent"])
    assert abs(got["cooperator_share_emergent"] - drawn[1]) > 0.03
    assert abs(got["defector_share_emergent"] - drawn[2]) > 0.03
    cooperators = run.shared_weeks >= 26
    assert got["cooperator_share_emergent"] == cooperators.mean()
    assert (cooperators & (run.strategy != 1)).sum() > 0  # some people drawn as others behave as cooperators


def test_a_recorded_run_gives_what_the_hand_calibration_measured():
    old = baseline_run(1, employees=300)
    new = compute(simulate({}, seed=1, employees=300))
    assert new["top1_share"] == pytest.approx(old["top1"])
    assert new["top10_share"] == pytest.approx(old["top1"] + old["next9"])
    assert new["safety_sharing_r"] == pytest.approx(old["safety_sharing_r"])
    assert new["team_safety_sharing_r"] == pytest.approx(old["team_r"])


# ----------------------------------------------------------------------------- distance and seeds
def test_the_distance_measures_patterns_in_half_widths_of_their_bands():
    patterns = load_patterns()
    worst, rms = BandDistance(patterns, "max"), BandDistance(patterns)
    at_target = {p.name: p.target for p in patterns.fitted}
    assert worst(at_target) == 0 and rms(at_target) == 0
    top1 = patterns["top1_share"]  # 0.30 in 0.20-0.40
    assert top1.scaled(0.25) == pytest.approx(-0.5) and top1.scaled(0.40) == pytest.approx(1.0)
    satisfaction = patterns["satisfaction_sharing_r"]  # 0.26 in 0.10-0.45: each side its own half-width
    assert satisfaction.scaled(0.10) == pytest.approx(-1.0) and satisfaction.scaled(0.45) == pytest.approx(1.0)
    assert worst(at_target | {"top1_share": 0.35}) == pytest.approx(0.5)
    assert worst(at_target | {"top1_share": 0.10}) == pytest.approx(2.0)
    k = len(patterns.fitted)
    assert rms(at_target | {"top1_share": 0.10}) == pytest.approx(2.0 / np.sqrt(k))
    assert rms({p.name: p.high for p in patterns.fitted}) == pytest.approx(1.0)  # all at their bands' edges
    assert rms(at_target | {"top1_share": float("nan")}) == UNDEFINED_DISTANCE


def test_an_evaluation_seed_follows_the_parameters_and_the_repeat():
    a = evaluation_seed(1, {"w_safety": 2.0, "w_ease": 1.0})
    assert a == evaluation_seed(1, {"w_ease": 1.0, "w_safety": 2.0})
    assert a != evaluation_seed(1, {"w_safety": 2.0, "w_ease": 1.0}, repeat=1)
    assert a != evaluation_seed(2, {"w_safety": 2.0, "w_ease": 1.0})
    assert 0 <= a < 2**63


# ----------------------------------------------------------------------------------- posterior
def small_posterior(tmp_path, weights=(0.1, 0.2, 0.3, 0.4)):
    path = tmp_path / "posterior.parquet"
    frame = pd.DataFrame({"w_safety": [1.0, 2.0, 3.0, 4.0], "w_ease": [0.5, 0.6, 0.7, 0.8]})
    write_posterior(path, frame, np.array(weights), {"seed": 1})
    return path


def test_draws_are_reproducible_for_a_given_rng_and_follow_the_weights(tmp_path):
    posterior = load_posterior(small_posterior(tmp_path))
    assert posterior.metadata == {"seed": 1}
    assert posterior.draw(4, rng=5) == posterior.draw(4, rng=5)
    assert posterior.draw(4, rng=np.random.default_rng(5)) == posterior.draw(4, rng=5)
    assert set(posterior.draw(4, rng=5)[0]) == {"w_safety", "w_ease"}
    many = [d["w_safety"] for seed in range(300) for d in posterior.draw(4, rng=seed)]
    assert np.mean(many) == pytest.approx(3.0, abs=0.1)  # the weighted mean of 1, 2, 3, 4
    assert posterior.representative() == pytest.approx({"w_safety": 3.0, "w_ease": 0.7})


def test_asking_for_more_draws_than_particles_is_an_error(tmp_path):
    posterior = load_posterior(small_posterior(tmp_path, weights=(0.0, 0.5, 0.5, 0.0)))
    assert posterior.particles == 2
    with pytest.raises(PosteriorError, match=r"asked for 3 draws.*holds 2 particles"):
        posterior.draw(3, rng=1)
    with pytest.raises(PosteriorError, match="at least 1"):
        posterior.draw(0, rng=1)


def test_a_missing_or_corrupt_posterior_is_a_one_line_error(tmp_path, monkeypatch):
    for path, match in (
        (tmp_path / "nothing.parquet", "no posterior at"),
        (tmp_path / "corrupt.parquet", "not a readable posterior"),
        (tmp_path / "no_weight.parquet", "no 'weight' column"),
        (tmp_path / "negative.parquet", "weights must be >= 0"),
    ):
        if path.name == "corrupt.parquet":
            path.write_bytes(b"PAR1 this is not parquet")
        if path.name == "no_weight.parquet":
            pq.write_table(pa.table({"w_safety": [1.0]}), path)
        if path.name == "negative.parquet":
            pq.write_table(pa.table({"w_safety": [1.0, 2.0], "weight": [-1.0, 2.0]}), path)
        with pytest.raises(PosteriorError, match=match) as caught:
            load_posterior(path)
        assert "\n" not in str(caught.value)
    monkeypatch.setattr(posterior_module, "default_path", lambda: tmp_path / "none.parquet")
    with pytest.raises(PosteriorError, match="ships no posterior yet"):
        load_posterior()


def test_reading_a_posterior_needs_no_pyabc():
    code = "import sys, sim.calibration.posterior; assert 'pyabc' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# ----------------------------------------------------------------------------------- end to end
TINY: dict[str, Any] = {"population": 8, "generations": 2, "employees": 60, "weeks": 20, "draws": 5}


@pytest.mark.slow
def test_a_tiny_fit_writes_a_readable_posterior_inside_the_priors_and_repeats_exactly(tmp_path, monkeypatch):
    out = tmp_path / "fit"
    installed = tmp_path / "installed.parquet"
    monkeypatch.setattr(posterior_module, "default_path", lambda: installed)
    args = [f"--{k}={v}" for k, v in TINY.items()]
    result = invoke(*args, "--workers", "1", "--seed", "4", "--out", str(out), "--install")
    assert result.exit_code == 0, result.output
    posterior = load_posterior(out / "posterior.parquet")
    priors = load_priors()
    assert posterior.names == priors.names and posterior.particles == 8
    for prior in priors:
        assert posterior.parameters[prior.name].between(prior.low, prior.high).all()
    assert posterior.metadata["seed"] == 4 and posterior.metadata["employees"] == 60
    assert posterior.metadata["command"].startswith("kshare calibrate")
    assert [p["name"] for p in posterior.metadata["patterns"]] == [p.name for p in load_patterns()]
    assert load_posterior(installed).parameters.equals(posterior.parameters)

    generations = pd.read_csv(out / "generations.csv")
    assert list(generations["generation"]) == [0, 1]
    assert (generations["ess"] <= 8).all() and (generations["acceptance_rate"] <= 1).all()
    fit = pd.read_csv(out / "fit.csv")
    assert len(fit) == 15 and fit["held_out"].sum() == 3 and (fit["runs"] == 5).all()
    assert "Held-out patterns" in (out / "diagnostics.md").read_text()
    assert (out / "fit.png").stat().st_size > 10_000 and (out / "abc.db").is_file()
    assert json.loads((out / "run.json").read_text())["reproducible"] is True

    again = calibrate(load_patterns(), priors, Settings(**TINY, workers=1, seed=4), tmp_path / "again")
    assert again.posterior.parameters.equals(posterior.parameters)
    assert np.array_equal(again.posterior.weights, posterior.weights)
    assert pd.read_csv(tmp_path / "again" / "fit.csv").equals(fit)


@pytest.mark.slow
# pyabc forks its workers; numpy's and pyarrow's idle thread pools make Python warn that the parent has threads
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_fit_runs_on_worker_processes(tmp_path):
    result = calibrate(
        load_patterns(), load_priors(), Settings(**TINY | {"generations": 1}, workers=2, seed=1), tmp_path
    )
    assert isinstance(result.posterior, Posterior) and result.posterior.particles == 8
    assert not json.loads((tmp_path / "run.json").read_text())["reproducible"]


def test_the_defaults_are_the_installed_posteriors_representative_point():
    """Every preset inherits the defaults, so they must be the shipped fit's point, not an older hand calibration.
    experiments/adopt_posterior.py writes them; this keeps the two from drifting apart."""
    from experiments.adopt_posterior import decimals
    from sim.scenario import Scenario

    representative = load_posterior().representative()
    defaults = Scenario().culture.model_dump() | Scenario().behaviour.model_dump()
    for name, value in representative.items():
        assert defaults[name] == pytest.approx(value, abs=0.51 * 10 ** -decimals(name)), name
