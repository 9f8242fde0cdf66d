"""Ensembles over posterior draws: the same numbers on one process or two, bands that hold the runs, clear errors."""

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sim import KnowledgeSharingModel, simulate
from sim.calibration.posterior import PosteriorError, write_posterior
from sim.cli import main
from sim.ensemble import run_ensemble

SMALL = {"employees": 60, "weeks": 12}


@pytest.fixture
def posterior(tmp_path):
    """A small posterior: three particles over two weights, one of them twice as likely."""
    path = tmp_path / "posterior.parquet"
    parameters = pd.DataFrame({"w_recognition": [0.5, 1.5, 2.5], "w_safety": [2.0, 3.0, 4.0]})
    write_posterior(path, parameters, np.array([0.25, 0.5, 0.25]), {"note": "test"})
    return path


def test_an_ensemble_is_the_same_on_one_process_or_two(posterior):
    one = run_ensemble("baseline", 3, posterior=posterior, seed=5, workers=1, **SMALL)
    two = run_ensemble("baseline", 3, posterior=posterior, seed=5, workers=2, **SMALL)
    pd.testing.assert_frame_equal(one.band(), two.band(), check_exact=True)
    assert one.seeds == two.seeds and len(set(one.seeds)) == 3  # a seed of its own for every run


def test_each_run_is_the_scenario_with_its_drawn_parameters_and_seed(posterior):
    found = run_ensemble("baseline", 3, posterior=posterior, seed=5, workers=1, **SMALL)
    for drawn, seed, frame in zip(found.draws, found.seeds, found.frames):
        alone = simulate("baseline", seed=seed, **SMALL, **drawn)
        assert np.array_equal(alone["sharing_rate"], frame["sharing_rate"].to_numpy())
    band = found.band()
    runs = np.stack([frame["sharing_rate"].to_numpy() for frame in found.frames])
    assert np.allclose(band["sharing_rate"], runs.mean(axis=0))
    low, high = band["sharing_rate_low"].to_numpy(), band["sharing_rate_high"].to_numpy()
    assert (runs.min(axis=0) <= low).all() and (high <= runs.max(axis=0)).all()  # percentiles of the runs
    assert (low <= band["sharing_rate"]).all() and (band["sharing_rate"] <= high).all()


def test_overrides_win_over_drawn_parameters(posterior):
    found = run_ensemble("baseline", 2, posterior=posterior, seed=1, workers=1, w_safety=1.5, **SMALL)
    assert found.scenario.behaviour.w_safety == 1.5
    for drawn, seed, frame in zip(found.draws, found.seeds, found.frames):
        alone = simulate("baseline", seed=seed, **SMALL, **(drawn | {"w_safety": 1.5}))
        assert np.array_equal(alone["sharing_rate"], frame["sharing_rate"].to_numpy())


def test_simulate_reports_a_mean_and_band_for_every_series(posterior):
    out = simulate("baseline", seed=2, ensemble=3, posterior=posterior, **SMALL)
    assert out["final_sharing_rate_low"] <= out["final_sharing_rate"] <= out["final_sharing_rate_high"]
    assert len(out["draws"]) == len(out["seeds"]) == 3


def test_the_command_writes_the_band_and_every_draw(posterior, tmp_path):
    result = CliRunner().invoke(
        main, ["run", "baseline", "--ensemble", "3", "--posterior", str(posterior), "--workers", "1",
               "--employees", "60", "--weeks", "12", "--out", str(tmp_path / "ens")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(tmp_path / "ens" / "timeseries.csv")
    assert {"sharing_rate", "sharing_rate_low", "sharing_rate_high"} <= set(frame.columns) and len(frame) == 13
    summary = json.loads((tmp_path / "ens" / "summary.json").read_text())
    assert len(summary["ensemble"]["draws"]) == 3 and all("seed" in draw for draw in summary["ensemble"]["draws"])
    assert (
        summary["kshare_version"]
        and summary["final"]["sharing_rate"]["low"] <= summary["final"]["sharing_rate"]["high"]
    )


def test_a_missing_posterior_or_too_many_draws_is_one_line(posterior, tmp_path):
    with pytest.raises(PosteriorError, match="no posterior at"):
        run_ensemble("baseline", 2, posterior=tmp_path / "nothing.parquet", **SMALL)
    with pytest.raises(PosteriorError, match="holds 3 particles"):
        run_ensemble("baseline", 4, posterior=posterior, **SMALL)
    result = CliRunner().invoke(main, ["run", "baseline", "--ensemble", "4", "--posterior", str(posterior)])
    assert result.exit_code == 1 and "holds 3 particles" in result.output and "Traceback" not in result.output


def test_an_experiment_over_posterior_draws_pairs_every_scenario_on_the_same_draw(posterior, tmp_path):
    from sim.runner import load_experiment, run_sweep
    from sim.runner.plan import plan
    from sim.runner.results import runs

    path = tmp_path / "drawn.toml"
    path.write_text(
        f'name = "drawn"\nseed = 4\nreplications = 3\nweeks = 8\nscenarios = ["baseline", "recognition_programme"]\n'
        f'[set]\nemployees = 60\nw_safety = 2.5\n[posterior]\nfile = "{posterior.name}"\n'
    )
    loaded = load_experiment(path)
    specs = plan(loaded)
    for rep, drawn in enumerate(loaded.draws):
        same_rep = [spec for spec in specs if spec.replication == rep]
        assert {spec.params.behaviour.w_recognition for spec in same_rep} == {drawn["w_recognition"]}
        assert {spec.params.behaviour.w_safety for spec in same_rep} == {2.5}  # what the experiment sets wins
    out = tmp_path / "out"
    assert run_sweep(path, out, workers=1).complete
    frame = runs(out)
    one = frame.iloc[0]
    again = KnowledgeSharingModel("baseline", rng=int(one["seed"]), employees=60, weeks=8, w_safety=2.5,
                                  w_recognition=loaded.draws[int(one["replication"])]["w_recognition"])  # fmt: skip
    again.run()
    assert again.timeseries()["sharing_rate"].iloc[-1] == pytest.approx(one["final_sharing_rate"], abs=0)


def test_an_experiment_with_a_missing_posterior_is_refused_before_anything_runs(tmp_path):
    from sim.runner import ExperimentError, load_experiment

    path = tmp_path / "drawn.toml"
    path.write_text('name = "drawn"\nreplications = 2\n[posterior]\nfile = "nowhere.parquet"\n')
    with pytest.raises(ExperimentError, match=r"posterior\.file.*no posterior at"):
        load_experiment(path)
