"""Analysis of a sweep: the statistics against hand computations, and the report built from real sweeps."""

import base64
import html
import json
import math
import re
import shutil

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from SALib.test_functions import Ishigami
from scipy import stats

from sim.cli import main
from sim.runner import run_sweep
from sim.runner.definition import Experiment
from sim.runner.effects import choose_weeks
from sim.runner.report import analyse
from sim.runner.sensitivity import indices, rebuild
from sim.runner.statistics import compare, describe
from sim.runner.wording import sentence

T_975_3 = 3.182446305284263  # Student t, 97.5th percentile, 3 degrees of freedom (tables)
T_975_2 = 4.302652729911275

SMALL = """
name = "small"
description = "Three scenarios, paired replications, a small organisation."
seed = 7
replications = 3
weeks = 30
scenarios = ["baseline", "blame_culture", "recognition_programme"]

[set]
employees = 100

[outputs]
every = 4
columns = ["sharing_rate", "knowledge_mean"]

[analysis]
weeks = [10, 30]
outcomes = ["late_sharing_rate", "final_knowledge_mean"]
"""

SOBOL = """
name = "sobol_small"
seed = 3
replications = 1
weeks = 16
scenarios = ["baseline"]

[set]
employees = 60

[vary]
intention_bias = { low = 0.5, high = 3.5 }
base_opportunity = { low = 0.6, high = 1.0 }

[design]
method = "sobol"
samples = 4

[outputs]
every = "final"

[analysis]
outcomes = ["late_sharing_rate"]
"""


def sweep(tmp_path_factory, text: str, name: str):
    folder = tmp_path_factory.mktemp(name)
    (folder / f"{name}.toml").write_text(text)
    run_sweep(folder / f"{name}.toml", folder / "out", workers=1, progress=False)
    return folder / "out"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return sweep(tmp_path_factory, SMALL, "small")


def invoke(*args):
    return CliRunner().invoke(main, ["analyse", *map(str, args)], catch_exceptions=False)


# ------------------------------------------------------------ statistics
def runs_frame(values, seeds):
    return pd.DataFrame({"point": 0, "replication": range(len(values)), "seed": seeds, "y": values})


def test_paired_difference_when_replications_share_seeds():
    x, b = [0.30, 0.32, 0.35, 0.31], [0.25, 0.28, 0.27, 0.29]
    found = compare(runs_frame(x, [11, 12, 13, 14]), runs_frame(b, [11, 12, 13, 14]), "y")
    # differences 0.05, 0.04, 0.08, 0.02: mean 0.0475, sd 0.025, standard error 0.0125
    assert found["method"] == "paired" and found["n"] == 4
    assert found["difference"] == pytest.approx(0.0475)
    assert found["ci_low"] == pytest.approx(0.0475 - T_975_3 * 0.0125)
    assert found["ci_high"] == pytest.approx(0.0475 + T_975_3 * 0.0125)
    assert found["effect_size"] == pytest.approx(0.0475 / 0.025) and found["effect_size_kind"] == "d_z"


def test_welch_when_seeds_differ_even_at_the_same_replication():
    x, b = [1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0]
    found = compare(runs_frame(x, [1, 2, 3, 4]), runs_frame(b, [5, 6, 7]), "y")
    assert found["method"] == "Welch" and (found["n"], found["n_baseline"]) == (4, 3)
    # variances 5/3 and 4: standard error sqrt(5/12 + 4/3), Welch-Satterthwaite df 3.0625 / 0.94676
    se = math.sqrt(5 / 12 + 4 / 3)
    df = se**4 / ((5 / 12) ** 2 / 3 + (4 / 3) ** 2 / 2)
    half = stats.t.ppf(0.975, df) * se
    assert found["difference"] == pytest.approx(-1.5)
    assert (found["ci_low"], found["ci_high"]) == pytest.approx((-1.5 - half, -1.5 + half))
    reference = stats.ttest_ind(x, b, equal_var=False).confidence_interval(0.95)
    assert (found["ci_low"], found["ci_high"]) == pytest.approx((reference.low, reference.high))
    assert found["effect_size"] == pytest.approx(-1.5 / math.sqrt(2.6)) and found["effect_size_kind"] == "Cohen's d"


def test_describe_gives_mean_sd_and_t_interval_per_group():
    frame = pd.DataFrame({"scenario": ["a", "a", "a", "b", "b"], "y": [1.0, 2.0, 3.0, 5.0, np.nan]})
    table = describe(frame, ["scenario"], ["y"]).set_index("scenario")
    assert [table["n"]["a"], table["mean"]["a"], table["sd"]["a"]] == [3, 2.0, 1.0]
    half = T_975_2 * 1.0 / math.sqrt(3)
    assert (table.loc["a", "ci_low"], table.loc["a", "ci_high"]) == pytest.approx((2 - half, 2 + half))
    assert table["n"]["b"] == 1 and math.isnan(table["ci_low"]["b"])  # no interval from one run


def test_weeks_not_kept_move_to_the_nearest_kept_week_and_say_so():
    kept = [*range(0, 30, 4), 30]  # outputs.every = 4 keeps 0, 4, ..., 28 and the last week
    weeks = choose_weeks([10, 30, 6], kept)
    assert [(w.asked, w.used) for w in weeks] == [(10, 8), (30, 30), (6, 4)]  # a tie goes to the earlier week
    assert weeks[0].note(4, kept) == (
        "week 10 was not kept (outputs.every = 4); week 8, the nearest kept week, is used instead "
        "(choose from the kept weeks: 0, 4, 8, …, 28, 30)"
    )
    assert weeks[1].note(4, kept) is None
    assert [w.used for w in choose_weeks([], kept)] == [16, 30]  # middle (15, nearest kept 16) and end
    assert [w.used for w in choose_weeks([], [104])] == [104]  # final week only: one week, no note
    note = choose_weeks([52], [104])[0].note("final", [104])
    assert note is not None and "only the final week" in note and "choose from the kept weeks: 104" in note


def test_a_week_beyond_the_sweep_is_said_to_be_beyond_it_not_unkept():
    """Issue 12: --weeks 300 on a 104-week sweep said week 300 'was not kept (outputs.every = 4)'."""
    kept = [*range(0, 104, 4), 104]
    note = choose_weeks([300], kept)[0].note(4, kept)
    assert note == (
        "week 300 is outside the sweep, whose runs went from week 0 to week 104; week 104, the nearest, is used "
        "instead (choose from the kept weeks: 0, 4, 8, …, 100, 104)"
    )
    assert "not kept" not in note


def test_sentence_in_plain_words():
    row = pd.DataFrame(
        [
            {
                "scenario": "recognition_programme",
                "output": "sharing_rate",
                "week": 52,
                "baseline": "baseline",
                "method": "paired",
                "difference": 0.182,
                "ci_low": 0.169,
                "ci_high": 0.195,
            }
        ]
    )
    assert sentence(next(row.itertuples())) == (
        "recognition_programme: +18.2 points of sharing at week 52 vs baseline (95 % CI +16.9 to +19.5)"
    )
    row = row.assign(week=None, output="final_knowledge_mean", difference=-0.05, ci_low=-0.12, ci_high=0.02)
    assert sentence(next(row.itertuples())) == (
        "recognition_programme: mean knowledge in the final week -0.05 units "
        "vs baseline (95 % CI -0.12 to +0.02; no clear difference)"
    )


# ----------------------------------------------------------- sensitivity
def design_experiment(method: str, samples: int) -> dict:
    """Three real parameter names standing for x1, x2, x3 of a test function on [-pi, pi]."""
    span = {"low": -math.pi, "high": math.pi}
    return Experiment.model_validate(
        {
            "name": "synthetic",
            "replications": 1,
            "scenarios": ["baseline"],
            "seed": 5,
            "vary": {"intention_bias": span, "base_opportunity": span, "vicarious_rate": span},
            "design": {"method": method, "samples": samples},
            "analysis": {"outcomes": ["late_sharing_rate"]},
        }
    ).model_dump(mode="json")


def synthetic_runs(experiment: dict, function) -> pd.DataFrame:
    design = rebuild(experiment)
    points = pd.DataFrame(design.points)
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "run_id": [f"p{p}" for p in range(len(points))],
                    "scenario": "baseline",
                    "point": range(len(points)),
                    "replication": 0,
                    "seed": 1,
                    "status": "done",
                    "late_sharing_rate": function(design.matrix),
                }
            ),
            points,
        ],
        axis=1,
    )


def test_sobol_indices_of_the_ishigami_function_rank_its_inputs():
    experiment = design_experiment("sobol", 1024)
    found = indices(synthetic_runs(experiment, Ishigami.evaluate), experiment, ["late_sharing_rate"])
    table = found.table.set_index("parameter")
    s1, st = table["S1"], table["ST"]
    x1, x2, x3 = "intention_bias", "base_opportunity", "vicarious_rate"
    # analytic: S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244
    assert s1[x2] > s1[x1] > s1[x3]
    assert st[x1] > st[x2] > st[x3]
    assert st.tolist() == pytest.approx([0.558, 0.442, 0.244], abs=0.08)
    assert abs(s1[x3]) < 0.05 and (table["ST_conf"] > 0).all()


def test_morris_ranks_a_linear_function_by_its_slopes():
    experiment = design_experiment("morris", 10)
    found = indices(synthetic_runs(experiment, lambda x: 10 * x[:, 0] + 2 * x[:, 1]), experiment, ["late_sharing_rate"])
    mu = found.table.set_index("parameter")["mu_star"]
    assert mu["intention_bias"] > mu["base_opportunity"] > mu["vicarious_rate"] == pytest.approx(0)


def test_indices_wait_for_a_complete_sweep():
    experiment = design_experiment("sobol", 8)
    runs = synthetic_runs(experiment, Ishigami.evaluate)
    runs.loc[3, "status"] = "pending"
    found = indices(runs, experiment, ["late_sharing_rate"])
    assert found.table.empty and "need a complete sweep" in found.notes[0] and "p3" in found.notes[0]
    runs.loc[3, "status"], runs.loc[0, "intention_bias"] = "done", 0.123  # a design that is not the rebuilt one
    found = indices(runs, experiment, ["late_sharing_rate"])
    assert found.table.empty and "differs" in found.notes[0]


# ---------------------------------------------------------------- report
def test_report_from_a_real_sweep_is_self_contained_and_reads_right(small):
    page = analyse(small)
    assert page == small / "report" / "report.html"
    for name in ("effects", "outcomes", "at_weeks"):
        assert (page.parent / f"{name}.csv").is_file() and (page.parent / f"{name}.md").is_file()
    for name in ("over_time_sharing_rate", "over_time_knowledge_mean", "effects"):
        assert (page.parent / f"{name}.png").stat().st_size > 0 and (page.parent / f"{name}.svg").is_file()
    assert (page.parent / "weekly_summary.csv").is_file()

    text = page.read_text()
    assert "http://" not in text and "https://" not in text and "<script" not in text and "<link" not in text
    images = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", text)
    assert len(images) == 3 and all(base64.b64decode(i).startswith(b"\x89PNG") for i in images)
    assert "9 of 9 done" in text and "week 10 was not kept" in text and "pyarrow.dataset" in text

    effects = pd.read_csv(page.parent / "effects.csv")
    blame = effects[(effects["scenario"] == "blame_culture") & (effects["measure"] == "late_sharing_rate")].iloc[0]
    assert blame["method"] == "paired" and blame["n"] == 3 and blame["ci_high"] < 0
    assert blame["sentence"].startswith("blame_culture: -") and "points of late sharing" in blame["sentence"]
    assert blame["sentence"].split(": ", 1)[1] in text  # listed under its scenario


def test_command_prints_effects_and_writes_only_the_formats_asked(small, tmp_path):
    result = invoke(small, "--out", tmp_path / "report", "--format", "png", "--weeks", "30")
    assert result.exit_code == 0, result.output
    assert "blame_culture: -" in result.output and f"Report: {tmp_path / 'report' / 'report.html'}" in result.output
    assert (tmp_path / "report" / "effects.png").is_file() and not list((tmp_path / "report").glob("*.svg"))
    assert "at week 30" in result.output and "at week 8" not in result.output


def test_an_unfinished_sweep_is_analysed_as_far_as_it_has_got(small, tmp_path):
    out = tmp_path / "half"
    shutil.copytree(small, out, ignore=shutil.ignore_patterns("report"))
    missing = {"baseline-r002", "recognition_programme-r002"}
    for run_id in missing:
        (out / "runs" / f"{run_id}.parquet").unlink()
    lines = (out / "runs.jsonl").read_text().splitlines()
    (out / "runs.jsonl").write_text("".join(f"{line}\n" for line in lines if json.loads(line)["run_id"] not in missing))
    manifest = json.loads((out / "manifest.json").read_text())
    (out / "manifest.json").write_text(json.dumps(manifest | {"status": "running", "done": 7}))

    result = invoke(out)
    assert result.exit_code == 0
    assert "Incomplete sweep (running): 7 of 9 runs done" in result.output
    effects = pd.read_csv(out / "report" / "effects.csv").set_index(["scenario", "measure"])
    assert effects.loc[("recognition_programme", "late_sharing_rate"), "n"] == 2  # pairs done on both sides
    assert effects.loc[("blame_culture", "late_sharing_rate"), "n"] == 2


def test_folders_that_hold_no_sweep_give_a_clear_message(small, tmp_path):
    assert "no such folder" in invoke(tmp_path / "nowhere").output
    (tmp_path / "empty").mkdir()
    result = invoke(tmp_path / "empty")
    assert result.exit_code == 1 and "no sweep here (no manifest.json)" in result.output
    (tmp_path / "new").mkdir()
    shutil.copy(small / "manifest.json", tmp_path / "new")
    result = invoke(tmp_path / "new")
    assert result.exit_code == 1 and "none of the 9 planned runs has finished yet" in result.output
    assert "Traceback" not in result.output


def test_sobol_report_from_a_tiny_real_sweep(tmp_path_factory):
    out = sweep(tmp_path_factory, SOBOL, "sobol")
    page = analyse(out, formats=("svg",))
    table = pd.read_csv(page.parent / "sobol.csv")
    assert sorted(table["parameter"]) == ["base_opportunity", "intention_bias"]
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(table.columns)
    text = page.read_text()
    assert "Sobol indices" in text and "data:image/png;base64," in text and (page.parent / "sobol.svg").is_file()
    assert "late sharing (last quarter): most influential" in text
    assert not (page.parent / "effects.csv").exists()  # one scenario: nothing to compare against
    # Issue 12: the polars line filtered week 52, which this sweep (16 weeks, the final one kept) does not have.
    assert "== 16).collect()" in text and "== 52" not in text


def test_windowed_outcomes_are_compared_with_the_baseline_over_the_same_weeks():
    from sim.runner.effects import matched_windows

    weeks = np.arange(0, 9)
    weekly = pd.DataFrame(
        {
            "run_id": np.repeat(["b0", "b1"], len(weeks)),
            "scenario": "baseline",
            "week": np.tile(weeks, 2),
            "sharing_rate": np.concatenate([weeks / 10, weeks / 20]),
        }
    )
    table = pd.DataFrame(
        {"run_id": ["b0", "b1"], "scenario": "baseline", "during_sharing_rate": np.nan, "after_sharing_rate": np.nan}
    )
    matched = matched_windows(table, weekly, "baseline", {"programme": (2, 5)})
    assert matched[("programme", "during_sharing_rate")].to_dict() == pytest.approx({"b0": 0.4, "b1": 0.2})
    assert matched[("programme", "after_sharing_rate")].to_dict() == pytest.approx({"b0": 0.7, "b1": 0.35})


def test_bad_run_files_are_refused_by_name_and_unplanned_ones_named(small, tmp_path):
    out = tmp_path / "bad"
    shutil.copytree(small, out, ignore=shutil.ignore_patterns("report"))
    whole = (out / "runs" / "baseline-r001.parquet").read_bytes()
    (out / "runs" / "baseline-r001.parquet").write_bytes(whole[:300])  # cut short
    shutil.copy(out / "runs" / "baseline-r000.parquet", out / "runs" / "blame_culture-r002.parquet")  # another's
    result = invoke(out)
    assert result.exit_code == 1
    error = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and "2 run file(s) are unreadable or not this sweep's" in error[0]
    assert "baseline-r001.parquet not readable as Parquet" in error[0]
    assert "blame_culture-r002.parquet holds run 'baseline-r000'" in error[0] and "--resume" in error[0]
    assert not (out / "report").exists()

    (out / "runs" / "baseline-r001.parquet").write_bytes(whole)
    (out / "runs" / "blame_culture-r002.parquet").unlink()
    shutil.copy(out / "runs" / "baseline-r000.parquet", out / "runs" / "stray.parquet")
    result = invoke(out)
    assert result.exit_code == 0
    assert "Not analysed: stray.parquet" in result.output
    effects = pd.read_csv(out / "report" / "effects.csv").set_index(["scenario", "measure"])
    assert effects.loc[("blame_culture", "late_sharing_rate"), "n"] == 2  # its third run is missing, not replaced


def test_a_lost_run_log_is_made_up_from_the_files(small, tmp_path):
    out = tmp_path / "nolog"
    shutil.copytree(small, out, ignore=shutil.ignore_patterns("report"))
    (out / "runs.jsonl").unlink()
    result = invoke(out, "--out", tmp_path / "report")
    assert result.exit_code == 0, result.output
    assert "runs.jsonl is missing" in result.output
    assert invoke(small, "--out", tmp_path / "with_log").exit_code == 0
    got = pd.read_csv(tmp_path / "report" / "effects.csv")
    pd.testing.assert_frame_equal(got, pd.read_csv(tmp_path / "with_log" / "effects.csv"))
    assert got["n"].min() == 3


def test_a_manifest_of_the_wrong_shape_gives_one_line_and_no_report(tmp_path):
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "manifest.json").write_text('{"runs": 3}')
    result = invoke(tmp_path / "odd")
    assert result.exit_code == 1 and "not a kshare sweep's manifest" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "odd" / "report").exists()


def test_over_time_captions_say_what_the_charts_draw_of_the_intervention_weeks(small):
    """Issue 12: every over-time caption promised shaded intervention weeks; with several scenarios none were drawn."""
    from sim.runner import figures
    from sim.runner.report import _parameters, build

    analysis = build(small)
    params = _parameters(small, analysis)
    drawn, shading = figures.draw(analysis, params)
    assert shading["over_time_sharing_rate"] == figures.BARS  # blame_culture and recognition differ in their weeks
    ax = drawn["over_time_sharing_rate"].axes[0]
    bars = [patch for patch in ax.patches if patch.get_alpha() == 0.75]
    assert len(bars) == 2  # one window each for blame_culture and recognition_programme, none for the baseline
    text = analyse(small).read_text()
    assert figures.BARS in html.unescape(text) and "Shaded" not in text
    # One scenario with interventions: its weeks are shaded, and the caption says so.
    only = {key: scenario for key, scenario in params.items() if key[0] == "recognition_programme"}
    analysis.summary = analysis.summary[analysis.summary["scenario"] == "recognition_programme"]
    drawn, shading = figures.draw(analysis, only)
    assert shading["over_time_sharing_rate"] == figures.SHADED
    assert "recognition programme" in [t.get_text() for t in drawn["over_time_sharing_rate"].axes[0].texts]


def test_the_morris_chart_names_every_parameter():
    """Issue 12: the scatter of mu* against sigma left about half its points unlabelled."""
    from sim.runner import figures

    names = [f"parameter_{k}" for k in range(12)]
    table = pd.DataFrame(
        {
            "scenario": "baseline",
            "outcome": "late_sharing_rate",
            "parameter": names,
            "mu_star": [0.1, 0.001, 0.0011, 0.0012, 0.0013, 0.002, 0.05, 0.0014, 0.0015, 0.02, 0.0016, 0.0017],
            "mu_star_conf": 0.0005,
            "sigma": [0.05, 0.001, 0.001, 0.001, 0.001, 0.001, 0.01, 0.001, 0.001, 0.01, 0.001, 0.001],
        }
    )
    fig = figures._morris_chart(table)
    shown = [label.get_text() for label in fig.axes[0].get_yticklabels()]
    assert sorted(shown) == sorted(names) and shown[-1] == "parameter_0"  # every one, the most influential on top


def test_half_width_is_the_t_intervals_over_replications_and_none_from_one():
    from sim.runner.statistics import half_width

    samples = np.array([[1.0, 10.0], [2.0, 10.0], [4.0, 10.0], [5.0, 10.0]])
    expected = T_975_3 * samples[:, 0].std(ddof=1) / 2  # n = 4: sd / sqrt(4)
    assert half_width(samples).tolist() == pytest.approx([expected, 0.0])
    assert half_width(samples[:1]).tolist() == [0.0, 0.0]  # one replication: no width, the mean is still drawn
