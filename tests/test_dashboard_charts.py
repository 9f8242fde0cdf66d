"""The dashboard's charts as a reader meets them: sizes and type that fit the screen, legends off the lines,
drivers in points of the chance to share, one name for each quantity, alt text and hover values that are the
week's figures."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text

from sim.dashboard import alt, charts, labels
from sim.dashboard.compare import Item, Result
from sim.dashboard.explain import chance, points, why
from sim.dashboard.state import Dashboard
from sim.scenario import Culture
from sim.scenario_files import load_scenario
from tests.helpers import dashboard_at

WEEKS = 30


@pytest.fixture(scope="module")
def dash() -> Dashboard:
    """An organisation through a blame incident (a window to shade and annotate), a few weeks in."""
    dash = dashboard_at("blame_culture", WEEKS, employees=150, weeks=40)
    dash.select(7)
    return dash


def chart(dash: Dashboard, which: str, demo: bool = False):
    dash.demo.value = demo
    try:
        made = dash.pictures.chart(which, dash.run, dash._chosen(), fresh=True)
    finally:
        dash.demo.value = False
    made.frame()  # drawn as the page shows it: the layout settles at the first draw
    return made


def texts(fig) -> list[Text]:
    """Every piece of text drawn, with something in it (not the labels of ticks outside the axes' range,
    which matplotlib keeps but does not draw)."""
    hidden = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                if not low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    hidden |= {id(tick.label1), id(tick.label2)}
    found = fig.findobj(lambda artist: isinstance(artist, Text) and artist.get_visible())
    return [text for text in found if text.get_text().strip() and id(text) not in hidden]


def extent(artist, renderer):
    return artist.get_window_extent(renderer)


# ------------------------------------------------------------------- sizes
@pytest.mark.parametrize("which", ["sharing", "experiences", "spread"])
def test_demonstration_charts_fit_a_projector_with_every_text_readable_whole_and_apart(dash, which):
    fits_a_projector(chart(dash, which, demo=True))


@pytest.mark.parametrize("preset", ["combined_programme", "restructuring", "sharing_platform"])
def test_demonstration_notes_of_other_interventions_fit_too(preset):
    other = Dashboard(preset)
    assert other.apply(employees=100)
    for _ in range(3):
        other.run.step()
    fits_a_projector(chart(other, "sharing", demo=True))


def test_demonstration_by_department_and_the_comparison_fit_too(dash):
    dash.group_by.value = "department"
    try:
        fits_a_projector(chart(dash, "experiences", demo=True).live.fig)
    finally:
        dash.group_by.value = "level"
    fig = charts.comparison(small_result(4), charts.DEMO.wide())
    FigureCanvasAgg(fig).draw()
    fits_a_projector(fig)


def fits_a_projector(fig) -> None:
    """At most 980 x 440 px, every text at least 18 px, inside the image and clear of every other text."""
    if not isinstance(fig, Figure):
        fig = fig.live.fig
    width, height = np.round(fig.get_size_inches() * fig.dpi)
    assert width <= 980 and height <= 440
    renderer = fig.canvas.get_renderer()
    shown = texts(fig)
    assert shown
    for text in shown:
        assert float(text.get_fontsize()) >= charts.DEMO_SMALLEST, f"{text.get_text()!r} is {text.get_fontsize()} pt"
        box = extent(text, renderer)
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width + 0.5 and box.y1 <= height + 0.5, text.get_text()
    for one, other in itertools.combinations(shown, 2):
        assert not extent(one, renderer).overlaps(extent(other, renderer)), (one.get_text(), other.get_text())


def test_demonstration_annotates_where_interventions_start_and_end(dash):
    words = [text.get_text() for text in texts(chart(dash, "sharing", demo=True).live.fig)]
    assert any("starts in week 13" in word for word in words) and "ends in week 26" in words


def test_normal_sizes_fit_the_laptop_layout(dash):
    assert charts.NORMAL.width == 6.0 and charts.NORMAL.wide().width * 100 == 1080
    assert chart(dash, "sharing").live.fig.get_size_inches()[0] == 6.0
    drivers = chart(dash, "drivers").live.fig
    width, height = np.round(drivers.get_size_inches() * drivers.dpi)
    assert width <= 600 and height <= 420


@pytest.mark.parametrize("demo", [False, True])
@pytest.mark.parametrize("which", ["sharing", "experiences", "spread"])
def test_no_legend_lies_over_an_axes(dash, which, demo):
    made = chart(dash, which, demo)
    fig = made.live.fig
    renderer = made.live.canvas.get_renderer()
    legends = fig.findobj(Legend)
    assert legends
    for legend, ax in itertools.product(legends, fig.axes):
        assert not extent(legend, renderer).overlaps(ax.get_window_extent(renderer))


# ------------------------------------------------------------------ labels
def test_the_sidebar_and_the_charts_call_each_experience_by_one_name(dash):
    assert set(labels.CULTURE_LABELS) <= set(Culture.model_fields)
    # The ODD's names: the experience is self-efficacy; the culture's `feedback` is the word of use that feeds it.
    assert labels.experience("self_efficacy") == "Self-efficacy"
    assert (
        labels.CULTURE_LABELS["feedback"][0] == "Feedback on use"
        and "self-efficacy" in labels.CULTURE_LABELS["feedback"][1]
    )
    words = chart_words(chart(dash, "experiences"))
    assert "Self-efficacy" in words and not any("difference made" in word.lower() for word in words)
    assert "self-efficacy" in chart_words(chart(dash, "drivers"))


def chart_words(made) -> list[str]:
    return [text.get_text() for text in texts(made.live.fig)]


# ----------------------------------------------------------------- drivers
def test_a_push_is_worth_the_points_of_chance_it_adds():
    # Intention 1/2 is logit 0; without a push of ln 3 it would be 1/4: 25 points at full opportunity.
    base = {"intention": 0.5, "opportunity": 1.0, "friction_holds_back": 0.0}
    assert points(base | {"satisfaction": math.log(3), "ease": 0.0}) == pytest.approx(
        {"satisfaction": 25.0, "ease": 0.0}
    )
    # Less time and more friction scale the chance, and its points, down; a negative push lowers it.
    half = points(base | {"opportunity": 0.5, "friction_holds_back": 0.5, "recognition": -math.log(3)})
    assert half["recognition"] == pytest.approx(-0.25 * 25.0)


def test_points_use_the_chance_the_rule_computed(dash):
    for employee in (0, 7, 42):
        d = dash.run.describe(employee)["drivers"]
        assert chance(d["intention"], d["opportunity"], d["friction_holds_back"]) == pytest.approx(
            d["chance_to_share"], abs=1e-6
        )
        assert set(points(d)) == set(labels.DRIVER_LABELS) & set(d)


def test_the_drivers_chart_draws_each_drivers_points_this_week(dash):
    made = chart(dash, "drivers")
    now = points(dash.run.describe(7)["drivers"])
    assert [bar.get_width() for bar in made.bars.patches] == pytest.approx([now[name] for name in made.names])
    assert "points" in made.live.fig.axes[0].get_xlabel().lower()
    assert charts.DriversChart.limit(dash.run.drivers_history(7)[1]) >= max(abs(v) for v in now.values())


def test_why_speaks_in_points_not_logits(dash):
    text = why(dash.run.describe(7))
    assert "weekly chance of sharing by about" in text and "logit" not in text
    strongest = max(points(dash.run.describe(7)["drivers"]).items(), key=lambda item: abs(item[1]))
    assert labels.DRIVER_LABELS[strongest[0]] in text.lower()


def info(status: str, shares: int) -> dict:
    return {
        "id": 4,
        "kind": "Employee",
        "level": "staff",
        "department": 0,
        "team": 1,
        "tenure_weeks": 104,
        "status": status,
        "shares": shares,
        "shared_this_week": False,
        "drivers": None,
    }


def test_someone_who_lapsed_before_week_0_is_not_said_to_have_stopped_with_nothing_shared():
    text = why(info("lapsed", 0))
    assert "before the run began" in text and "no one since week 0" in text and "0 shares" not in text
    assert "has stopped sharing (lapsed); since week 0 they have shared with 12 colleagues." in why(info("lapsed", 12))
    assert "has never shared" in why(info("never", 0))


# --------------------------------------------------------------------- alt
def test_alt_texts_give_this_weeks_figures(dash):
    history = dash.run.history
    rate = 100 * history["sharing_rate"][-1]
    assert f"week {WEEKS} of 40: {rate:.0f} % this week" in alt.sharing(dash.run)
    assert "no intervention" in alt.sharing(dash.run)
    said = alt.experiences(history, "satisfaction", "level")
    assert f"self-efficacy {history['self_efficacy'][-1]:.2f}" in said
    assert f"staff {history['satisfaction[staff]'][-1]:.2f}" in said
    assert f"knowledge Gini {history['knowledge_gini'][-1]:.2f}" in alt.spread(history)
    chance_now = 100 * dash.run.describe(7)["drivers"]["chance_to_share"]
    assert f"({chance_now:.0f} %)" in alt.drivers(dash.run, 7)


# ------------------------------------------------------------------- hover
def check_hover(hovered: dict, axes, weeks: int) -> None:
    json.dumps(hovered)
    assert len(hovered["panels"]) == len(axes)
    for item, ax in zip(hovered["panels"], axes):
        left, top, right, bottom = item["box"]
        assert 0 <= left < right <= 1 and 0 <= top < bottom <= 1
        where = ax.get_position()
        assert item["box"] == pytest.approx([where.x0, 1 - where.y1, where.x1, 1 - where.y0], abs=1e-4)
        assert item["x"] == pytest.approx(list(ax.get_xlim())) and item["y"] == pytest.approx(list(ax.get_ylim()))
        for line in item["series"]:
            assert len(line["values"]) == weeks + 1


def same(values: list, expected: np.ndarray) -> bool:
    return all(
        (v is None and not np.isfinite(e)) or (v is not None and v == pytest.approx(e, rel=5e-3, abs=1e-9))
        for v, e in zip(values, expected, strict=True)
    )


def test_hover_gives_the_sharing_charts_values_where_the_axes_are_drawn(dash):
    fresh = dash.pictures.chart("sharing", dash.run, dash._chosen(), fresh=True)
    hovered = fresh.hover()  # before any frame: it must settle the layout first
    fresh.frame()
    check_hover(hovered, [fresh.ax], WEEKS)
    rate = 100 * dash.run.history["sharing_rate"]
    by_label = {line["label"]: line["values"] for line in hovered["panels"][0]["series"]}
    assert hovered["panels"][0]["unit"] == "%"
    assert same(by_label[charts.WEEKLY_LABEL], rate)
    assert same(by_label[charts.AVERAGE_LABEL], charts.smooth(rate))
    assert same(by_label[charts.BASELINE_LABEL], charts.smooth(100 * dash.run.baseline_history["sharing_rate"]))


def test_hover_of_the_experiences_and_spread_panels(dash):
    history = dash.run.history
    experiences = chart(dash, "experiences")
    hovered = experiences.hover()
    check_hover(hovered, list(experiences.axes), WEEKS)
    left = {line["label"]: line["values"] for line in hovered["panels"][0]["series"]}
    assert same(left["Self-efficacy"], history["self_efficacy"])
    spread = chart(dash, "spread")
    hovered = spread.hover()
    check_hover(hovered, list(spread.axes), WEEKS)
    top = {line["label"]: line["values"] for line in hovered["panels"][0]["series"]}
    assert hovered["panels"][0]["unit"] == "%" and top["10 % of employees"][0] is None
    assert same(top["10 % of employees"][1:], 100 * history["top10_share"][1:])


def small_result(count: int = 2) -> Result:
    """A comparison of ``count`` made-up scenarios over 20 weeks."""
    rng = np.random.default_rng(1)
    scenario = load_scenario("baseline")
    names = ["baseline", "other", "recognition programme", "a much longer name for a fourth scenario, with notes"]
    items = [Item(name, scenario, rng.uniform(0.1, 0.3, (3, 21))) for name in names[:count]]
    return Result(items, np.arange(21), 3, 100, [1, 2, 3], [10, 15])


def test_hover_of_the_comparison():
    result = small_result()
    items = result.items
    hovered = charts.comparison_hover(result, charts.NORMAL.wide())
    fig = charts.comparison(result, charts.NORMAL.wide())
    fig.draw_without_rendering()
    check_hover(hovered, fig.axes, 20)
    series = {line["label"]: line["values"] for line in hovered["panels"][0]["series"]}
    assert same(series["other (mean)"], 100 * items[1].mean)
    assert same(series["baseline (95 % band, high)"], 100 * items[0].high)
    other = items[1]
    said = f"other {100 * other.mean[-1]:.0f} % ({100 * other.low[-1]:.0f} to {100 * other.high[-1]:.0f} %)"
    assert "at week 20:" in alt.comparison(result) and said in alt.comparison(result)
