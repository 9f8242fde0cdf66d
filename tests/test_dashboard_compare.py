"""The Compare view and the computing behind it, rendered server-side with ``solara.render`` (no browser).

Comparisons here use small organisations (150 employees, 20 to 30 weeks, two
replications): each run takes a fraction of a second. Where a test must catch
a comparison mid-way, ``gate`` holds one run until the test opens it.
"""

import threading
import time

import ipyvuetify as v
import numpy as np
import pandas as pd
import pytest
import solara
from solara.components.file_download import FileDownloadWidget

from sim.calibration import posterior as posteriors
from sim.calibration.posterior import load_posterior, write_posterior
from sim.dashboard import charts, compare
from sim.dashboard.app import DashboardPage
from sim.dashboard.compare_form import duration, progress_text
from sim.dashboard.compare_view import CompareView
from sim.dashboard.state import Dashboard
from sim.scenario_files import load_scenario, preset_names, with_overrides

SWITCH = "Include parameter uncertainty (posterior draws)"
PRESETS = [name for name in preset_names() if name != "baseline"]


def labelled(rc, label: str) -> list:
    return [w for w in rc.find(v.Btn).widgets if label in [c for c in w.children if isinstance(c, str)]]


def button(rc, label: str):
    """The one button whose text is ``label``."""
    found = labelled(rc, label)
    assert len(found) == 1, f"{len(found)} buttons labelled {label!r}"
    return found[0]


def field(rc, starts: str):
    """The text field whose label starts with ``starts``."""
    found = [w for w in rc.find(v.TextField).widgets if (w.label or "").startswith(starts)]
    assert len(found) == 1, f"{len(found)} fields labelled {starts!r}…"
    return found[0]


def texts(rc) -> list[str]:
    """Every sentence on the page: prose, and the words of warnings and notices."""
    prose = [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets]
    alerts = [c for w in rc.find(v.Alert).widgets for c in w.children if isinstance(c, str)]
    return prose + alerts


def said(rc, words: str) -> bool:
    return any(words in text for text in texts(rc))


def until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def small(preset: str = "recognition_programme", **overrides) -> Dashboard:
    dash = Dashboard(preset)
    assert dash.apply(**(overrides or {"employees": 150, "weeks": 30}))
    return dash


class Gate:
    """Holds one run of a comparison until the test opens it, so that a test can act mid-way."""

    def __init__(self):
        self.calls = 0
        self.held_call = 0  # the number of the call to hold; 0: none
        self.opened = threading.Event()

    def hold_next_but_one(self) -> None:
        """Let the next run through and hold the one after it."""
        self.opened.clear()
        self.held_call = self.calls + 2

    def open(self) -> None:
        self.opened.set()


@pytest.fixture
def gate(monkeypatch):
    real, held = compare.one_run, Gate()

    def gated(scenario, seed):
        held.calls += 1
        if held.calls == held.held_call:
            held.opened.wait(30)
        return real(scenario, seed)

    monkeypatch.setattr(compare, "one_run", gated)
    yield held
    held.open()


# ----------------------------------------------------------------- computing
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


def test_weeks_are_read_or_refused_entry_by_entry():
    assert compare.parse_weeks("52, 104;7 0", 104) == [0, 7, 52, 104]
    assert compare.parse_weeks("  ", 104) == []  # blank: the default weeks
    with pytest.raises(ValueError, match="Weeks to compare at: ") as refused:
        compare.parse_weeks("abc, 999, -5, 12", 30)
    message = str(refused.value)
    assert "'abc' is not a whole number" in message
    assert "'999' is after the last week (30)" in message
    assert "'-5' is before week 0" in message
    assert "'12'" not in message and "from 0 to 30" in message


def test_progress_says_runs_done_time_elapsed_and_left():
    assert progress_text(0, 10, 3.0, 3.0) == "0 of 10 runs done, 3 s elapsed, time left known after the first run"
    # 3 runs in 12 s: 4 s a run, 7 to go, 2 s into the fourth.
    assert progress_text(3, 10, 14.0, 2.0) == "3 of 10 runs done, 14 s elapsed, about 26 s left"
    assert (duration(59.4), duration(185), duration(3725)) == ("59 s", "3 min 05 s", "1 h 02 min")


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


# ---------------------------------------------------------------------- view
def test_parameter_uncertainty_switch_is_off_without_a_posterior_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setattr(posteriors, "default_path", lambda: tmp_path / "none.parquet")
    _box, rc = solara.render(CompareView(small("baseline")), handle_error=False)
    switch = rc.find(v.Switch, label=SWITCH).widget
    assert switch.disabled and not switch.v_model
    notes = [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets]
    assert any(note.startswith("Parameter uncertainty is not available: no posterior at") for note in notes)


def test_parameter_uncertainty_switch_runs_the_comparison_over_draws(posterior_file, monkeypatch):
    monkeypatch.setattr(posteriors, "default_path", lambda: posterior_file)
    dash = small("baseline", employees=150, weeks=20)
    _box, rc = solara.render(CompareView(dash), handle_error=False)
    switch = rc.find(v.Switch, label=SWITCH).widget
    assert not switch.disabled
    switch.v_model = True
    field(rc, "Replications").v_model = "6"  # more than the posterior's five parameter sets
    assert button(rc, "Run comparison").disabled
    assert said(rc, "Replications: at most 5 with parameter uncertainty, not 6")
    field(rc, "Replications").v_model = "2"
    button(rc, "Run comparison").click()
    assert dash.comparison.wait(60)
    result = dash.compare_result.value
    assert result is not None and len(result.draws) == result.replications == 2
    assert said(rc, "over 2 posterior draws")


def test_leaving_the_compare_tab_and_coming_back_keeps_the_form(posterior_file, monkeypatch):
    monkeypatch.setattr(posteriors, "default_path", lambda: posterior_file)
    dash = small()
    dash.view.value = "compare"
    _box, rc = solara.render(DashboardPage(dash), handle_error=False)
    rc.find(v.Checkbox, label="blame culture").widget.v_model = True
    assert dash.comparison.picked.value == ["baseline", "current settings", "blame_culture"]
    field(rc, "Replications").v_model = "7"
    field(rc, "Weeks to compare at").v_model = "10, 20"
    rc.find(v.Switch, label=SWITCH).widget.v_model = True
    dash.view.value = "live"
    assert not rc.find(v.Checkbox, label="blame culture").widgets  # the Compare view is gone from the page
    dash.view.value = "compare"
    assert rc.find(v.Checkbox, label="blame culture").widget.v_model is True
    assert rc.find(v.Checkbox, label="current settings").widget.v_model is True
    assert rc.find(v.Checkbox, label="mentoring").widget.v_model is False
    assert field(rc, "Replications").v_model == "7"
    assert field(rc, "Weeks to compare at").v_model == "10, 20"
    assert rc.find(v.Switch, label=SWITCH).widget.v_model is True


def test_the_weeks_follow_the_scenario_until_typed():
    dash = small()  # the recognition programme ends at week 60: past 30 weeks
    _box, rc = solara.render(CompareView(dash), handle_error=False)
    assert field(rc, "Weeks to compare at (0 to 30)").v_model == "30"
    assert dash.apply(weeks=80)
    assert field(rc, "Weeks to compare at (0 to 80)").v_model == "52, 60"


def test_bad_entries_are_refused_with_a_message_and_run_is_disabled():
    dash = small()
    _box, rc = solara.render(CompareView(dash), handle_error=False)
    run = button(rc, "Run comparison")
    assert not run.disabled
    field(rc, "Weeks to compare at").v_model = "abc, 999, -5"
    assert run.disabled
    assert said(rc, "'abc' is not a whole number, '999' is after the last week (30), '-5' is before week 0")
    assert said(rc, "Enter weeks from 0 to 30")
    assert not dash.comparison.start() and not dash.comparison.running.value  # nor can code start it
    field(rc, "Weeks to compare at").v_model = "5, 25"
    assert not run.disabled and not said(rc, "Weeks to compare at:")
    for bad in ("0", "101", "two"):
        field(rc, "Replications").v_model = bad
        assert run.disabled and said(rc, f"Replications: '{bad}' is not a whole number from 1 to 100.")
    field(rc, "Replications").v_model = "2"
    rc.find(v.Checkbox, label="current settings").widget.v_model = False
    assert run.disabled and said(rc, "Scenarios: choose 2 to 4, not 1.")
    dash.comparison.picked.set(["baseline", *PRESETS[:4]])
    assert run.disabled and said(rc, "Scenarios: choose 2 to 4, not 5.")
    dash.comparison.picked.set(["baseline", "recognition_programme", "blame_culture"])
    assert not run.disabled and not any(text.startswith(("Scenarios:", "Replications:")) for text in texts(rc))


def test_progress_cancel_and_the_previous_result_kept(gate):
    dash = small()
    form = dash.comparison
    _box, rc = solara.render(CompareView(dash), handle_error=False)
    field(rc, "Replications").v_model = "2"
    button(rc, "Run comparison").click()
    assert form.wait(60)
    first = dash.compare_result.value
    assert first is not None and said(rc, "2 runs each")

    gate.hold_next_but_one()
    field(rc, "Replications").v_model = "3"
    button(rc, "Run comparison").click()
    until(lambda: said(rc, "1 of 6 runs done"))  # the second run is held; the page is redrawn on the worker's thread
    assert form.done.value == 1 and button(rc, "Run comparison").disabled
    bar = rc.find(v.ProgressLinear).widget
    assert bar.value == pytest.approx(100 / 6) and bar.attributes["aria-label"] == "Comparison: 1 of 6 runs done"
    assert said(rc, "elapsed, about")
    shown = [text for text in texts(rc) if "runs done" in text]
    until(lambda: [text for text in texts(rc) if "runs done" in text] != shown, timeout=5)  # the clock moves
    assert len(labelled(rc, "Cancel")) == 1
    button(rc, "Cancel").click()
    assert said(rc, "Cancelling after the run in progress")
    gate.open()
    assert form.wait(60)
    assert said(rc, "Cancelled after 2 of 6 runs.")
    assert dash.compare_result.value is first  # the previous result stays, marked as such
    assert said(rc, "From the previous settings") and said(rc, "2 runs each at 150 employees for 30 weeks")
    assert not labelled(rc, "Cancel") and not button(rc, "Run comparison").disabled


def test_the_result_says_what_it_was_run_with_and_when_the_form_has_moved_on():
    dash = small()
    _box, rc = solara.render(CompareView(dash), handle_error=False)
    field(rc, "Replications").v_model = "2"
    button(rc, "Run comparison").click()
    assert dash.comparison.wait(60)
    seed = dash.scenario.value.seed
    assert said(
        rc, f"baseline and current settings, 2 runs each at 150 employees for 30 weeks, seeds {seed}–{seed + 1}"
    )
    assert not said(rc, "From the previous settings")
    field(rc, "Replications").v_model = "4"
    assert said(rc, "From the previous settings") and said(rc, "2 runs each")
    field(rc, "Replications").v_model = "2"
    assert not said(rc, "From the previous settings")  # the form agrees with the result again
    assert dash.apply(psychological_safety=0.3)  # the current settings are one of the scenarios
    assert said(rc, "From the previous settings")


def test_downloads_are_named_after_the_comparison():
    dash = small()
    _box, rc = solara.render(CompareView(dash), handle_error=False)
    field(rc, "Replications").v_model = "2"
    button(rc, "Run comparison").click()
    assert dash.comparison.wait(60)
    stem = f"comparison_baseline_vs_current_settings_2runs_seed{dash.scenario.value.seed}"
    assert dash.compare_file_stem() == stem
    names = sorted(w.filename for w in rc.find(FileDownloadWidget).widgets)
    assert names == [f"{stem}.csv", f"{stem}.png"]
    button(rc, "Save the comparison chart (PNG)")  # says which chart, for a screen reader too
    button(rc, "Save the comparison's data (CSV)")
    assert dash.export_png("compare", dpi=60)[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_comparison_goes_on_while_another_tab_is_shown(gate):
    dash = small()
    dash.view.value = "compare"
    _box, rc = solara.render(DashboardPage(dash), handle_error=False)
    field(rc, "Replications").v_model = "2"
    gate.hold_next_but_one()
    button(rc, "Run comparison").click()
    until(lambda: said(rc, "1 of 4 runs done"))
    dash.view.value = "live"  # the Compare view unmounts while the second run is held
    gate.open()
    assert dash.comparison.wait(60)
    assert dash.compare_result.value is not None and dash.comparison.status.value == ""
    dash.view.value = "compare"
    assert said(rc, "current settings against baseline:")
