"""The Compare view and the computing behind it, rendered server-side with ``solara.render`` (no browser)."""

import time

import ipyvuetify as v
import numpy as np
import pandas as pd
import pytest
import solara

from sim.calibration import posterior as posteriors
from sim.calibration.posterior import load_posterior, write_posterior
from sim.dashboard import charts, compare
from sim.dashboard.compare_view import CompareView
from sim.dashboard.state import Dashboard
from sim.scenario_files import load_scenario, with_overrides


def button(rc, label: str):
    """The one button whose text is ``label``."""
    found = [w for w in rc.find(v.Btn).widgets if label in [c for c in w.children if isinstance(c, str)]]
    assert len(found) == 1, f"{len(found)} buttons labelled {label!r}"
    return found[0]


def small(preset: str = "recognition_programme", **overrides) -> Dashboard:
    dash = Dashboard(preset)
    if overrides:
        assert dash.apply(**overrides)
    return dash


# ----------------------------------------------------------------- compare
def test_comparison_gives_mean_band_and_words():
    choices_ = [("baseline", load_scenario("baseline")), ("recognition", load_scenario("recognition_programme"))]
    result = compare.compare(choices_, replications=3, employees=120, weeks=60, seed=1, chosen_weeks=[30])
    assert result is not None
    assert result.weeks[-1] == 60 and result.replications == 3 and result.seeds == [1, 2, 3]
    item = result.items[1]
    assert item.runs.shape == (3, 61)
    assert np.all(item.low <= item.mean + 1e-12) and np.all(item.mean <= item.high + 1e-12)
    assert result.sentences[0].startswith("recognition against baseline: ")
    assert "points of sharing at week 30" in result.sentences[0]
    assert list(result.table().columns)[:4] == ["week", "baseline mean", "baseline low95", "baseline high95"]
    # It states its own size, from the settings it ran with.
    assert result.size == "at 120 employees for 60 weeks"
    assert result.settings == "baseline and recognition, 3 runs each at 120 employees for 60 weeks, seeds 1–3"
    assert result.file_stem() == "comparison_baseline_vs_recognition_3runs_seed1"


def test_difference_in_words_mentions_what_lasts_after_the_programme():
    scenario = load_scenario("recognition_programme", weeks=130)  # ends at week 60
    reference = compare.Item("no programme", load_scenario("baseline", weeks=130), np.full((4, 131), 0.20))
    lifted = np.full((4, 131), 0.20)
    lifted[:, 52] = [0.37, 0.38, 0.38, 0.39]
    lifted[:, 112] = [0.28, 0.29, 0.29, 0.30]
    other = compare.Item("recognition", scenario, lifted)
    text = compare.describe(reference, other, [52], 130)
    assert text == (
        "recognition against no programme: +18 points of sharing at week 52, "
        "still +9 one year after the programme ended (week 112)."
    )
    # The unit goes with the first figure whatever weeks are kept: here no chosen week is within the run.
    assert compare.describe(reference, other, [140], 130) == (
        "recognition against no programme: +9 points of sharing one year after the programme ended (week 112)."
    )
    # A negative event is not a programme: the sentence says what ended.
    blamed = compare.Item("blame", load_scenario("blame_culture", weeks=130), 0.40 - lifted)  # ends at week 26
    assert "one year after the event ended (week 78)" in compare.describe(reference, blamed, [52], 130)


def test_compare_asks_for_two_to_four_scenarios():
    with pytest.raises(ValueError, match="compare two to"):
        compare.compare([("a", load_scenario("baseline"))])
    assert compare.parse_weeks("52, 104;x 7") == [7, 52, 104]


@pytest.fixture
def posterior_file(tmp_path):
    """A small posterior (as in test_ensemble.py): five particles over two weights."""
    path = tmp_path / "posterior.parquet"
    parameters = pd.DataFrame({"w_recognition": [0.5, 1.0, 1.5, 2.0, 2.5], "w_safety": [1.0, 2.0, 3.0, 4.0, 6.0]})
    write_posterior(path, parameters, np.full(5, 0.2), {"note": "test"})
    return path


def small_comparison(choices_, posterior=None):
    return compare.compare(choices_, 3, employees=150, weeks=20, seed=4, chosen_weeks=[15], posterior=posterior)


def test_comparison_over_posterior_draws_pairs_every_scenario_on_the_same_draw(posterior_file):
    posterior = load_posterior(posterior_file)
    same = [("a", load_scenario("baseline")), ("b", load_scenario("baseline"))]
    result = small_comparison(same, posterior)
    assert result is not None and len(result.draws) == 3 and result.posterior == str(posterior_file)
    assert result.seeds == [4, 5, 6]  # the seeds are the comparison's own, draws or not
    assert np.array_equal(result.items[0].runs, result.items[1].runs)  # draw r in both scenarios
    for r, (drawn, seed) in enumerate(zip(result.draws, result.seeds)):
        alone = compare.one_run(with_overrides(load_scenario("baseline", employees=150, weeks=20), drawn), seed)
        assert np.array_equal(alone, result.items[0].runs[r])
    assert "3 posterior draws (parameter uncertainty and chance)" in result.basis
    assert result.file_stem() == "comparison_a_vs_b_3draws_seed4"


def test_posterior_draws_change_the_comparison_and_repeat_with_the_same_seed(posterior_file):
    posterior = load_posterior(posterior_file)
    pair = [("baseline", load_scenario("baseline")), ("recognition", load_scenario("recognition_programme"))]
    seeds_only = small_comparison(pair)
    drawn, again = small_comparison(pair, posterior), small_comparison(pair, posterior)
    assert seeds_only is not None and drawn is not None and again is not None
    assert seeds_only.draws == [] and seeds_only.basis == "over 3 seeds (chance only)"
    assert not np.array_equal(seeds_only.items[1].runs, drawn.items[1].runs)
    assert again.draws == drawn.draws and again.sentences == drawn.sentences
    for ours, theirs in zip(drawn.items, again.items):
        assert np.array_equal(ours.runs, theirs.runs)
    assert "posterior draws" in charts.comparison(drawn).axes[0].get_title(loc="left")
    assert "chance only" in charts.comparison(seeds_only).axes[0].get_title(loc="left")


def test_parameter_uncertainty_switch_is_off_without_a_posterior_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setattr(posteriors, "default_path", lambda: tmp_path / "none.parquet")
    _box, rc = solara.render(CompareView(small("baseline", employees=150)), handle_error=False)
    switch = rc.find(v.Switch, label="Include parameter uncertainty (posterior draws)").widget
    assert switch.disabled and not switch.v_model
    notes = [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets]
    assert any(note.startswith("Parameter uncertainty is not available: no posterior at") for note in notes)


def test_parameter_uncertainty_switch_runs_the_comparison_over_draws(posterior_file, monkeypatch):
    monkeypatch.setattr(posteriors, "default_path", lambda: posterior_file)
    dash = small("baseline", employees=150, weeks=20)
    _box, rc = solara.render(CompareView(dash), handle_error=False)
    switch = rc.find(v.Switch, label="Include parameter uncertainty (posterior draws)").widget
    assert not switch.disabled
    switch.v_model = True
    button(rc, "Run comparison").click()
    deadline = time.monotonic() + 60
    while dash.compare_result.value is None and time.monotonic() < deadline:
        time.sleep(0.1)
    result = dash.compare_result.value
    assert result is not None and len(result.draws) == result.replications == 5
