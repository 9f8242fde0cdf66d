"""The kshare command line, end to end."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from sim.cli import main


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_help_everywhere():
    for args in ([], ["run"], ["scenarios"], ["validate"]):
        result = invoke(*args, "--help")
        assert result.exit_code == 0 and "Usage" in result.output


def test_scenarios_lists_presets_with_descriptions():
    result = invoke("scenarios", "--interventions")
    assert result.exit_code == 0
    assert "baseline" in result.output and "blame_culture" in result.output
    assert "recognition_programme" in result.output and "public recognition" in result.output


def test_run_writes_results_with_provenance(tmp_path):
    out = tmp_path / "run"
    result = invoke(
        "run",
        "combined_programme",
        "--weeks",
        "40",
        "--employees",
        "150",
        "--seed",
        "7",
        "--set",
        "recognition=0.6",
        "--set",
        "interventions.0.end=30",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out / "timeseries.parquet")
    assert len(frame) == 41 and frame["week"].tolist() == list(range(41))
    assert len(pd.read_csv(out / "timeseries.csv")) == 41
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 7 and summary["weeks"] == 40 and summary["employees"] == 150
    assert summary["kshare_version"] and summary["mesa_version"]
    assert summary["parameters"]["culture"]["recognition"] == 0.6
    assert summary["parameters"]["interventions"][0]["end"] == 30
    assert summary["final"]["sharing_rate"] == frame["sharing_rate"].iloc[-1]
    metadata = json.loads(pq.read_schema(out / "timeseries.parquet").metadata[b"kshare"])
    assert metadata["seed"] == 7
    assert (out / "sharing.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_same_command_same_numbers(tmp_path):
    for name in ("a", "b"):
        assert (
            invoke("run", "baseline", "--weeks", "20", "--employees", "100", "--out", str(tmp_path / name)).exit_code
            == 0
        )
    a = pd.read_parquet(tmp_path / "a" / "timeseries.parquet")
    b = pd.read_parquet(tmp_path / "b" / "timeseries.parquet")
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_invalid_file_runs_nothing_and_keeps_old_results(tmp_path):
    out = tmp_path / "run"
    assert invoke("run", "baseline", "--weeks", "5", "--employees", "50", "--out", str(out)).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "bad.toml"
    bad.write_text("[culture]\nrecognitoin = 0.5\n")
    result = CliRunner().invoke(main, ["run", str(bad), "--out", str(out)])
    assert result.exit_code != 0
    assert "did you mean 'recognition'" in result.output and str(bad) in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_bad_set_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["run", "baseline", "--set", "ease=2", "--out", str(tmp_path / "x")])
    assert result.exit_code != 0 and "culture.ease" in result.output
    assert not (tmp_path / "x").exists()


def test_validate_reports_every_problem(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('name = "mine"\n[culture]\nrecognition = 0.5\n')
    assert invoke("validate", str(good)).exit_code == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('[culture]\nrecognition = 3\n[[interventions]]\ntype = "mentorin"\n')
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "2 problems" in result.output and "did you mean 'mentoring'" in result.output


@pytest.mark.slow  # a fresh process imports kshare and loads the compiled loops: over a second
def test_installed_command_runs_in_a_real_process(tmp_path):
    """The console script, as a user types it (no terminal: no progress bar in the output)."""
    exe = Path(sys.executable).with_name("kshare")
    result = subprocess.run(
        [str(exe), "run", "baseline", "--weeks", "10", "--employees", "80", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        env=os.environ | {"COLUMNS": "100"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout and "week/s" not in result.stderr


def test_run_draws_the_same_organisation_without_interventions_and_prints_the_notice(tmp_path, monkeypatch):
    import sim.output
    from sim import simulate

    drawn = []
    monkeypatch.setattr(sim.output, "sharing_chart", lambda *args, **kwargs: drawn.append(kwargs.get("reference")))
    small = ["--employees", "150", "--weeks", "30", "--seed", "3"]
    out = tmp_path / "with"
    result = CliRunner().invoke(main, ["run", "recognition_programme", *small, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "what to notice: Sharing rises while recognition is given" in result.output
    # The reference is the run's own organisation and seed with the interventions taken out, week by week.
    alone = simulate("recognition_programme", employees=150, weeks=30, seed=3, interventions=[])
    assert drawn[-1] is not None and list(drawn[-1]) == list(alone["sharing_rate"])
    result = CliRunner().invoke(main, ["run", "recognition_programme", *small, "--no-reference", "--out", str(out)])
    assert result.exit_code == 0 and drawn[-1] is None
    result = CliRunner().invoke(main, ["run", "baseline", *small, "--out", str(tmp_path / "b")])
    assert result.exit_code == 0 and drawn[-1] is None  # nothing to take out


def test_ylim_fixes_the_charts_top_and_a_barter_run_draws_knowledge(tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    import sim.output
    import sim.plot
    from sim import load_scenario

    seen = []
    monkeypatch.setattr(sim.output, "sharing_chart", lambda *args, **kwargs: seen.append(kwargs))
    small = ["--employees", "150", "--weeks", "20", "--no-reference"]
    result = CliRunner().invoke(main, ["run", "baseline", *small, "--ylim", "100", "--out", str(tmp_path / "a")])
    assert result.exit_code == 0 and seen[-1]["top_percent"] == 100
    monkeypatch.undo()
    # The chart itself: a fixed top is kept, and a barter run's figure is knowledge's mean and spread.
    axes = []
    monkeypatch.setattr(plt.Figure, "savefig", lambda fig, *a, **k: axes.append(fig.axes))
    model = sim.KnowledgeSharingModel("baseline", employees=150, weeks=20)
    model.run()
    sim.plot.sharing_chart(model.timeseries(), model.params, tmp_path / "x.png", 1, top_percent=100)
    assert axes[-1][0].get_ylim()[1] == 100
    barter = sim.KnowledgeSharingModel("cowan_jonard", employees=100, weeks=5)
    barter.run()
    sim.plot.sharing_chart(barter.timeseries(), load_scenario("cowan_jonard"), tmp_path / "y.png", 1)
    assert [ax.get_ylabel() for ax in axes[-1]] == ["mean knowledge", "coefficient of variation"]


def test_replications_run_consecutive_seeds_and_report_the_mean_with_its_interval(tmp_path):
    from sim import simulate
    from sim.runner.statistics import interval

    out = tmp_path / "reps"
    small = ["--employees", "120", "--weeks", "15", "--seed", "5", "--workers", "1"]
    result = CliRunner().invoke(
        main, ["run", "recognition_programme", *small, "--replications", "3", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "3 replications (seeds 5 to 7)" in result.output and "what to notice" in result.output
    every = pd.read_parquet(out / "replications.parquet")
    assert every.groupby("replication")["seed"].first().tolist() == [5, 6, 7]
    runs = [simulate("recognition_programme", employees=120, weeks=15, seed=s)["sharing_rate"] for s in (5, 6, 7)]
    for seed, rate in zip((5, 6, 7), runs):
        assert every.loc[every["seed"] == seed, "sharing_rate"].tolist() == list(rate)
    band = pd.read_parquet(out / "timeseries.parquet")
    stacked = np.stack(runs)
    low, high = interval(stacked.mean(axis=0), stacked.std(axis=0, ddof=1), 3)
    np.testing.assert_allclose(band["sharing_rate"], stacked.mean(axis=0))
    np.testing.assert_allclose(band["sharing_rate_low"], low)
    np.testing.assert_allclose(band["sharing_rate_high"], high)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["replications"]["n"] == 3 and summary["replications"]["seeds"] == [5, 6, 7]
    assert summary["replications"]["reference"] is True and summary["kshare_version"]
    assert summary["final"]["sharing_rate"]["mean"] == band["sharing_rate"].iloc[-1]
    # A single run into the same folder replaces the whole set: no replications file is left beside it.
    result = CliRunner().invoke(main, ["run", "recognition_programme", *small, "--out", str(out)])
    assert result.exit_code == 0 and not (out / "replications.parquet").exists()


def test_replications_are_checked_before_anything_runs(tmp_path):
    for bad in ("0", "1001", "many"):
        result = CliRunner().invoke(main, ["run", "baseline", "--replications", bad, "--out", str(tmp_path / "x")])
        assert result.exit_code == 2 and "--replications" in result.output, result.output
    result = CliRunner().invoke(main, ["run", "baseline", "--replications", "2", "--ensemble", "2"])
    assert result.exit_code == 2 and "give one" in result.output
    from sim.scenario import SEED_MAX

    args = ["run", "baseline", "--replications", "3", "--seed", str(SEED_MAX), "--out", str(tmp_path / "y")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and f"at most {SEED_MAX - 2}" in result.output
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


def test_replications_chart_draws_the_band_and_the_references_mean(tmp_path, monkeypatch):
    import sim.output
    from sim import load_scenario, simulate

    seen = []
    monkeypatch.setattr(sim.output, "sharing_chart", lambda *args, **kwargs: seen.append((args, kwargs)))
    small = ["--employees", "120", "--weeks", "15", "--workers", "1", "--replications", "2"]
    result = CliRunner().invoke(main, ["run", "recognition_programme", *small, "--out", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    (_, _, _, first), kwargs = seen[-1]
    seed = load_scenario("recognition_programme").seed  # the scenario's seed is the first replication's
    assert first == seed and kwargs["runs"] == 2 and kwargs["band"] == "replications"
    alone = [
        simulate("recognition_programme", employees=120, weeks=15, seed=s, interventions=[])["sharing_rate"]
        for s in (seed, seed + 1)
    ]
    np.testing.assert_allclose(kwargs["reference"], np.mean(alone, axis=0))
    args = ["run", "recognition_programme", *small, "--no-reference", "--out", str(tmp_path / "b")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and seen[-1][1]["reference"] is None


def test_barter_replications_draw_knowledge_with_its_band_and_record_each_runs_last_week(tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    axes = []

    def save(fig, path, *args, **kwargs) -> None:  # the chart's axes, kept; an empty file for the result set
        axes.append(fig.axes)
        path.touch()

    monkeypatch.setattr(plt.Figure, "savefig", save)
    out = tmp_path / "barter"
    args = ["run", "cowan_jonard", "--employees", "60", "--weeks", "30", "--replications", "2", "--workers", "1"]
    result = CliRunner().invoke(main, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    top, bottom = axes[-1]
    assert [top.get_ylabel(), bottom.get_ylabel()] == ["mean knowledge", "coefficient of variation"]
    labels = [text.get_text() for text in top.get_legend().get_texts()]
    assert labels == ["95 % interval of the mean", "mean of the runs"] and "seeds 1914–1915" in top.get_title(
        loc="left"
    )
    summary = json.loads((out / "summary.json").read_text())
    every = pd.read_parquet(out / "replications.parquet")
    assert summary["replications"]["last_weeks"] == every.groupby("replication")["week"].max().tolist()
