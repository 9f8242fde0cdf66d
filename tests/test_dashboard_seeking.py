"""Seeking on the dashboard (issue 14): the switch, the asking chart with its alt text and hover values, the
per-person "why" on asking, and ``kshare run``'s chart with and without seeking."""

from __future__ import annotations

import itertools

import ipyvuetify as v
import numpy as np
import pytest
import solara
from matplotlib.legend import Legend

from sim import KnowledgeSharingModel, compiled, plot
from sim.dashboard import alt, charts, choices
from sim.dashboard.explain import asking_points, why
from sim.dashboard.state import Dashboard
from sim.seeking import ASKING_TERMS, asking_terms
from tests.helpers import dashboard_at

WEEKS = 16


@pytest.fixture(scope="module")
def dash() -> Dashboard:
    """The leaders_asking preset (seeking on), small, a few weeks in."""
    return dashboard_at("leaders_asking", WEEKS, employees=150, weeks=40)


def made(dash: Dashboard, which: str = "seeking"):
    chart = dash.pictures.chart(which, dash.run, dash._chosen(which=which), fresh=True)
    chart.frame()  # drawn as the page shows it
    return chart


# ------------------------------------------------------------------ switch
def test_the_seeking_switch_turns_seeking_on_and_off_and_restarts_the_run():
    dash = Dashboard("baseline")
    assert dash.run.seeking is not None and dash.scenario.value.behaviour.seeking  # on by default
    assert dash.apply(seeking=False) and dash.run.seeking is None
    assert dash.edited.value and dash.run.week == 0
    assert dash.apply(seeking=True)
    assert dash.scenario.value.behaviour.seeking and dash.run.seeking is not None
    assert not dash.apply(seeking="sometimes")  # validated as a file's value: refused, beside the culture
    assert dash.error_at.value == "culture" and dash.run.seeking is not None


def test_the_switch_in_the_culture_settings_applies_seeking():
    from sim.dashboard.controls import SEEKING_LABEL, CultureFields

    dash = Dashboard("baseline")
    assert dash.apply(employees=80)
    _box, rc = solara.render(CultureFields(dash), handle_error=False)
    switch = rc.find(v.Switch, label=SEEKING_LABEL).widget
    assert switch.v_model is True
    switch.v_model = False
    assert not dash.scenario.value.behaviour.seeking and dash.run.seeking is None
    switch.v_model = True
    assert dash.scenario.value.behaviour.seeking and dash.run.seeking is not None


def test_the_experiences_view_shows_the_asking_chart_only_with_seeking(dash):
    from sim.dashboard.views import ExperiencesView

    def charts_shown(board: Dashboard) -> list[str]:
        _box, rc = solara.render(ExperiencesView(board), handle_error=False)
        return [widget.name for widget in rc.find(v.VuetifyTemplate).widgets if getattr(widget, "name", "")]

    assert charts_shown(dash) == ["experiences", "seeking"]
    other = Dashboard("baseline")
    assert other.apply(employees=80, seeking=False)
    assert charts_shown(other) == ["experiences"]


def test_leaders_asking_shows_its_family_among_the_interventions():
    rows = choices.intervention_rows(choices.preset("leaders_asking"))
    assert len(rows) == 15
    row = next(row for row in rows if row["type"] == "leaders_asking")
    assert row["on"] and not row["event"] and row["summary"]


# ------------------------------------------------------------------- chart
def test_the_asking_chart_draws_asking_answers_and_asking_by_group(dash):
    chart = made(dash)
    left, right = chart.axes
    assert [line.get_label() for line in left.get_lines()] == list(charts.labels.SEEKING_COLUMNS.values())
    assert [line.get_label() for line in right.get_lines()] == ["staff", "senior", "manager", "leader"]
    asking = left.get_lines()[0].get_ydata()
    frame = dash.run.frame()
    assert len(asking) == WEEKS + 1
    assert asking[-1] == pytest.approx(100 * frame["asking_rate"].iloc[-4:].mean())
    hover = chart.hover()
    assert [panel["unit"] for panel in hover["panels"]] == ["%", "%"]
    assert hover["panels"][0]["series"][0]["values"][-1] == pytest.approx(asking[-1], rel=1e-2)


def test_the_asking_chart_groups_by_department_and_keeps_its_legends_off_the_axes(dash):
    dash.group_by.value = "department"
    try:
        chart = made(dash)
        departments = dash.run.scenario.organisation.departments
        assert len(chart.axes[1].get_lines()) == departments
        group_by, departments = dash.grouping()
        text = alt.seeking(dash.run.history, group_by, departments, dash.run.model.org)
        assert "by department" in text and "department 0" in text
    finally:
        dash.group_by.value = "level"
    renderer = chart.live.canvas.get_renderer()
    for legend, ax in itertools.product(chart.live.fig.findobj(Legend), chart.live.fig.axes):
        assert not legend.get_window_extent(renderer).overlaps(ax.get_window_extent(renderer))


def test_the_asking_charts_alt_text_says_this_weeks_figures(dash):
    group_by, departments = dash.grouping()
    text = alt.seeking(dash.run.history, group_by, departments, dash.run.model.org)
    assert f"week {WEEKS}:" in text and "asked a colleague" in text and "by level: staff" in text
    assert "not yet known" not in text.split("Beside")[0]


def test_the_asking_chart_downloads_only_with_seeking(dash):
    assert dash.export_png("seeking", dpi=60)[:4] == b"\x89PNG"
    other = Dashboard("baseline")
    assert other.apply(seeking=False)
    with pytest.raises(ValueError, match="no chart 'seeking'"):
        other.export_png("seeking")


# ------------------------------------------------------- demonstration mode
def test_demonstration_mode_offers_the_asking_chart_only_with_seeking(dash):
    from sim.dashboard import link
    from sim.dashboard.views import DemoView

    def offered(board: Dashboard) -> list[str]:
        board.demo.value = True
        _box, rc = solara.render(DemoView(board), handle_error=False)
        tabs = [button for button in rc.find(v.Btn).widgets if button.attributes.get("role") == "tab"]
        return [button.children[0] for button in tabs]

    chosen = dash.demo_chart.value
    try:
        assert offered(dash) == ["Sharing", "Who shares", "Experiences", "Spread", "Asking"]
        dash.demo_chart.value = "asking"
        _box, rc = solara.render(DemoView(dash), handle_error=False)
        assert [w.name for w in rc.find(v.VuetifyTemplate).widgets if getattr(w, "name", "")] == ["asking"]
    finally:
        dash.demo.value, dash.demo_chart.value = False, chosen

    other = Dashboard("baseline")
    assert other.apply(seeking=False)
    assert offered(other) == ["Sharing", "Who shares", "Experiences", "Spread"]
    assert link.restore(other, "demo=asking") == [
        "this scenario does not ask for help (seeking is off): the asking chart is not shown"
    ]
    assert other.demo.value and other.demo_chart.value == "sharing"
    assert link.restore(Dashboard("leaders_asking"), "demo=asking") == []

    asking = Dashboard("leaders_asking")
    asking.demo_chart.value = "asking"
    assert asking.apply(seeking=False)  # switched off while shown: back to sharing
    assert asking.demo_chart.value == "sharing"


def test_the_demonstration_asking_chart_draws_asking_and_answers_in_large_type(dash):
    from tests.test_dashboard_charts import fits_a_projector, texts

    dash.demo.value = True
    try:
        chart = made(dash, "asking")
    finally:
        dash.demo.value = False
    asking, answered = (ax.get_lines()[0] for ax in chart.axes)
    assert "Asking" in asking.get_label() and "Answered" in answered.get_label()
    frame = dash.run.frame()
    assert len(asking.get_ydata()) == WEEKS + 1
    assert asking.get_ydata()[-1] == pytest.approx(100 * frame["asking_rate"].iloc[-4:].mean())
    assert answered.get_ydata()[-1] == pytest.approx(100 * frame["answer_rate"].iloc[-4:].dropna().mean())
    fits_a_projector(chart)
    words = [text.get_text() for text in texts(chart.live.fig)]
    assert any("starts in week 10" in word for word in words)  # the window named, as on the sharing chart
    assert any(word.startswith(f"Week {WEEKS} of 40: ") and "asked a colleague" in word for word in words)
    hover = chart.hover()
    assert [panel["unit"] for panel in hover["panels"]] == ["%", "%"]
    assert hover["panels"][1]["series"][0]["values"][-1] == pytest.approx(answered.get_ydata()[-1], rel=1e-2)
    text = alt.asking(dash.run)
    assert f"week {WEEKS} of 40:" in text and "asked a colleague" in text and "requests answered" in text
    # leaders_asking is a pilot in department 1: its asking is drawn beside everyone's, and named in the alt text.
    pilot = chart.lines_shown["asking_rate[dept 1]"]
    assert pilot.get_ydata()[-1] == pytest.approx(100 * frame["asking_rate[dept 1]"].iloc[-4:].mean())
    assert [s["label"] for s in hover["panels"][0]["series"]] == ["Asking, everyone", "Asking in department 1"]
    assert "in department 1, where leaders ask in public" in text


def test_the_asking_chart_draws_no_pilot_where_leaders_ask_everywhere():
    """A ``leaders_asking`` aimed at every manager has no pilot department: one asking line, as before."""
    scenario = choices.preset("leaders_asking")
    everywhere = scenario.model_copy(
        update={"interventions": [item.model_copy(update={"target": "managers"}) for item in scenario.interventions]}
    )
    assert charts.asking_pilot(scenario) == "dept 1" and charts.asking_pilot(everywhere) is None
    chart = charts.AskingChart(everywhere)
    assert list(chart.lines_shown) == ["asking_rate", "answer_rate"]


# --------------------------------------------------------------------- why
def test_asking_terms_give_the_kernels_chance_to_ask(monkeypatch):
    """``asking_terms``, called where the kernel decides who asks, gives everyone with a need the kernel's
    chance; its terms add up to the logit."""
    model = KnowledgeSharingModel("leaders_asking", rng=2, employees=150, weeks=20)
    kernel, checked = compiled.needs_and_asking, []

    def watched(*args):
        needing, gave_up, chance, asked = kernel(*args)
        who = np.flatnonzero(needing)
        terms = asking_terms(model, who)
        np.testing.assert_allclose(terms["chance"], chance[who], atol=1e-6)
        np.testing.assert_allclose(sum(terms[name] for name in ASKING_TERMS), terms["logit"])
        checked.append(len(who))
        return needing, gave_up, chance, asked

    monkeypatch.setattr(compiled, "needs_and_asking", watched)
    for _ in range(12):
        model.step()
    assert len(checked) == 12 and sum(checked) > 0


def test_the_why_of_someone_with_a_need_says_their_chance_to_ask_and_what_drives_it(dash):
    week = dash.run.seeking.last
    employee = int(np.flatnonzero(week.needing & ~week.answered)[0])
    info = dash.run.describe(employee)
    text = why(info)
    chance = f"{100 * week.chance_to_ask[employee]:.0f}\u00a0%"
    assert f"their chance to ask was {chance}" in text
    assert "since week" in text and "knowledge domain" in text
    assert ("they asked a colleague" in text) == bool(week.asked[employee])
    effects = asking_points(info["seeking"]["terms"])
    strongest = max(effects, key=lambda name: abs(effects[name]))
    assert charts.labels.ASKING_LABELS[strongest] in text.lower() and "chance of asking for help" in text


def test_the_why_says_who_answered_and_who_asked_and_was_answered(dash):
    week = dash.run.seeking.last
    answered = int(np.flatnonzero(week.answered)[0])
    assert "they asked a colleague and were answered" in why(dash.run.describe(answered))
    answerer = int(np.flatnonzero(week.answerer)[0])
    assert "They answered a colleague's request for help this week." in why(dash.run.describe(answerer))


def test_without_seeking_the_why_says_nothing_about_asking():
    info = dashboard_at("baseline", 3, employees=80, seeking=False).run.describe(5)
    assert info["seeking"] is None
    text = why(info).lower()
    assert "ask" not in text and "need" not in text and "answer" not in text


# ------------------------------------------------------------ kshare run
def named(ax) -> list[str]:
    """The labels of the lines drawn in ``ax`` (not the windows' lines, which have none)."""
    return [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]


def test_kshare_runs_chart_draws_asking_with_seeking_and_is_unchanged_without(tmp_path, monkeypatch):
    drawn = []

    def keep(fig, path, *args, **kwargs) -> None:
        drawn.append(fig)
        fig.canvas.draw()  # the layout placed, for the legends' boxes

    monkeypatch.setattr(plot.plt.Figure, "savefig", keep)
    monkeypatch.setattr(plot.plt, "close", lambda fig: None)
    for name, seeking in (("recognition_programme", False), ("leaders_asking", True)):
        model = KnowledgeSharingModel(name, rng=3, employees=100, weeks=30, seeking=seeking)
        model.run()
        frame = model.timeseries()
        plot.sharing_chart(frame, model.params, tmp_path / "a.png", 3, reference=frame["sharing_rate"])
    without, with_seeking = drawn

    # Without seeking: the two panels and the lines they always had.
    top, bottom = without.axes
    assert named(top) == [
        "each week",
        "4-week average",
        "same organisation and seed, no intervention",
    ]
    assert top.get_legend()._loc == 1 and without.get_size_inches().tolist() == [10.0, 7.0]

    # With seeking: answers split off sharing, and a panel of asking and answers between.
    top, middle, bottom = with_seeking.axes
    assert named(top)[-1] == "of whom shared only by answering a request (4-week average)"
    assert [text.get_text() for text in bottom.get_legend().get_texts()] == [
        "active (shared in the last weeks)",
        "lapsed",
        "never shared",
    ]
    asking, answered = (line for line in middle.get_lines() if not line.get_label().startswith("_"))
    assert "asked a colleague" in asking.get_label() and "answered" in answered.get_label()
    np.testing.assert_allclose(asking.get_ydata(), 100 * frame["asking_rate"].rolling(4, min_periods=1).mean())
    renderer = with_seeking.canvas.get_renderer()
    for legend, ax in itertools.product(with_seeking.findobj(Legend), with_seeking.axes):
        assert not legend.get_window_extent(renderer).overlaps(ax.get_window_extent(renderer))
