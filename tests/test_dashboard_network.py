"""The network picture: what a click selects, where things are drawn, and that nothing is drawn over anything else.

Clicks are given as figure fractions, as the page sends them; the tests map a
data point to a fraction through the chart's own rectangle and limits, and some
check the drawn pixels, so that a mapping that disagreed with the picture fails.
"""

from functools import cache
from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.text import Text

from sim.dashboard import charts, network
from sim.dashboard.network import DEMO_SIZE, NORMAL_SIZE, NetworkChart
from sim.model import KnowledgeSharingModel
from sim.scenario_files import load_scenario, with_overrides

SIZES = {"normal": NORMAL_SIZE, "demo": DEMO_SIZE}


@cache
def model(employees: int, departments: int, weeks: int = 4) -> KnowledgeSharingModel:
    scenario = with_overrides(load_scenario("baseline"), {"employees": employees, "departments": departments})
    built = KnowledgeSharingModel(scenario, rng=3)
    for _ in range(weeks):
        built.step()
    return built


def chart(employees: int, departments: int, size=NORMAL_SIZE, selected=None) -> NetworkChart:
    m = model(employees, departments)
    layout = network.compute_layout(m.org, size)
    return NetworkChart(m, layout, *size).update(m, selected)


def fraction(c: NetworkChart, x: float, y: float) -> tuple[float, float]:
    """Figure fractions (from the left, from the top) of data point (x, y)."""
    left, bottom, width, height = c.AXES
    x0, x1, y0, y1 = c.limits
    return left + (x - x0) / (x1 - x0) * width, 1 - (bottom + (y - y0) / (y1 - y0) * height)


def pixels(c: NetworkChart) -> np.ndarray:
    """The frame as drawn, RGB, rows from the top."""
    c.frame()
    return np.asarray(c.live.canvas.buffer_rgba())[:, :, :3].astype(int)


def pixel(c: NetworkChart, image: np.ndarray, x: float, y: float) -> np.ndarray:
    fx, fy = fraction(c, x, y)
    return image[int(fy * image.shape[0]), int(fx * image.shape[1])]


# ----------------------------------------------------------------- clicks, one dot per person
@pytest.mark.parametrize("size", SIZES)
def test_a_click_on_a_dot_selects_its_employee_and_the_dot_is_drawn_there(size):
    c = chart(300, 6, SIZES[size])
    m = model(300, 6)
    xy = c.layout.xy
    assert xy is not None
    image = pixels(c)
    colours = network._STATUS_RGBA[network.statuses(m)][:, :3] * 255
    for employee in (0, 1, 57, 123, 299, int(m.org.team_manager[4])):
        x, y = xy[employee]
        assert c.pick(m.org, *fraction(c, x, y)) == employee
        # Off the centre but on the dot still counts: its radius, in pixels, converted to data units.
        nudge = 0.8 * c.radius[employee] / c.scale
        assert c.pick(m.org, *fraction(c, x + nudge, y)) == employee
        assert np.abs(pixel(c, image, x, y) - colours[employee]).max() < 40  # drawn where the click lands


@pytest.mark.parametrize("size", SIZES)
def test_a_click_off_every_dot_selects_nobody(size):
    c = chart(300, 6, SIZES[size])
    m = model(300, 6)
    layout = c.layout
    _, x0, y0, x1, y1 = layout.department_box[0]
    assert c.pick(m.org, *fraction(c, x1 + 0.5, (y0 + y1) / 2)) is None  # the gap after the first department
    assert c.pick(m.org, *fraction(c, x0 + 0.5, y0 - 0.5)) is None  # the band its label is in
    assert c.pick(m.org, 0.99, 0.99) is None and c.pick(m.org, 0.5, 0.02) is None  # margin, title
    # Anywhere: a click selects someone exactly when it lands within a few pixels of the edge of their dot.
    rng = np.random.default_rng(0)
    assert layout.xy is not None
    for x, y in rng.uniform((0, 0), (layout.columns, layout.rows), size=(300, 2)):
        away = np.hypot(*(layout.xy - (x, y)).T) * c.scale - c.radius  # pixels from the edge of each dot
        picked = c.pick(m.org, *fraction(c, x, y))
        if away.min() > network._CLICK_SLACK + 0.5:
            assert picked is None
        elif away.min() < -1:  # on a dot: the nearest centre's, where dots overlap
            assert picked == int(np.argmin(np.hypot(*(layout.xy - (x, y)).T)))


# ----------------------------------------------------------------- clicks, one cell per team
@pytest.mark.parametrize("size", SIZES)
def test_in_the_team_view_a_click_in_a_cell_selects_its_manager_and_a_gap_nobody(size):
    c = chart(6000, 12, SIZES[size])
    m = model(6000, 12)
    layout = c.layout
    assert not layout.per_person
    for team in (0, 5, 77, m.org.n_teams - 1):
        column, row = layout.team_cell[team]
        for dx, dy in ((0.5, 0.5), (0.1, 0.9), (0.9, 0.1)):
            assert c.pick(m.org, *fraction(c, column + dx, row + dy)) == int(m.org.team_manager[team])
    taken = {tuple(cell) for cell in layout.team_cell.tolist()}
    gaps = [(x, y) for x in range(layout.columns) for y in range(layout.rows) if (x, y) not in taken]
    assert gaps  # between departments, in their label bands, at the ends of their last rows
    for x, y in gaps[:: max(1, len(gaps) // 200)]:
        assert c.pick(m.org, *fraction(c, x + 0.5, y + 0.5)) is None
    assert c.pick(m.org, 0.2, 0.05) is None and c.pick(m.org, 0.999, 0.999) is None


@pytest.mark.parametrize("size", SIZES)
def test_the_selected_employees_team_is_framed_and_nothing_else_changes(size):
    m = model(6000, 12)
    employee = 4321
    team = int(m.org.team[employee])
    plain = pixels(chart(6000, 12, SIZES[size]))
    c = chart(6000, 12, SIZES[size], selected=employee)
    framed = pixels(c)
    rows, cols = np.nonzero(np.abs(framed - plain).max(axis=2) > 30)
    assert len(rows) > 4 * c.scale  # a frame all round, not a speck
    column, row = c.layout.team_cell[team]
    (left, top), (right, bottom) = (fraction(c, column, row), fraction(c, column + 1, row + 1))
    height, width = plain.shape[:2]
    reach = 6  # pixels: the frame is drawn just outside the cell
    assert cols.min() >= left * width - reach and cols.max() <= right * width + reach
    assert rows.min() >= top * height - reach and rows.max() <= bottom * height + reach
    # Deselected, the picture is as before.
    assert np.abs(pixels(c.update(m, None)) - plain).max() <= 30


def test_a_click_on_a_team_frames_that_team_even_if_its_manager_belongs_to_another():
    # Employee 0 leads team 0 and team 1's manager, employee 1, sits in team 0: a click on team 1's cell
    # selects employee 1, and the frame must go round team 1, the cell clicked, not employee 1's own.
    org = SimpleNamespace(team=np.array([0, 0, 1, 1, 1]), team_manager=np.array([0, 1]))
    assert network._team_shown(org, 1) == 1
    assert network._team_shown(org, 0) == 0 and network._team_shown(org, 3) == 1
    c = chart(6000, 12)
    m = model(6000, 12)
    column, row = c.layout.team_cell[9]
    picked = c.pick(m.org, *fraction(c, column + 0.5, row + 0.5))
    c.update(m, picked)
    assert c.frames[0].get_visible() and c.frames[0].get_bbox().contains(column + 0.5, row + 0.5)


# ----------------------------------------------------------------- a clean layout
def texts(c: NetworkChart):
    """Every visible text of the figure, drawn, with its extent in pixels."""
    fig = c.live.fig
    c.png(100)  # drawn the ordinary way, so that every artist has its final extent
    renderer = c.live.canvas.get_renderer()
    found = {id(t): t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()}
    return [(t, t.get_window_extent(renderer)) for t in found.values()]


@pytest.mark.parametrize(("employees", "departments"), [(150, 5), (500, 8), (2000, 12), (5000, 5), (20000, 20)])
@pytest.mark.parametrize("size", SIZES)
def test_no_text_overlaps_another_or_the_picture_or_leaves_the_figure(employees, departments, size):
    c = chart(employees, departments, SIZES[size])
    found = texts(c)  # with the hint to click where it is shown: downloads leave it out, frames have it
    labels = [t.get_text() for t, _ in found]
    assert any(text.startswith("Who shares, week 4") for text in labels)
    assert sum(text.endswith("%") for text in labels) == 5 or c.layout.per_person  # the colour bar's ticks
    figure_box = c.live.fig.bbox
    for i, (text, box) in enumerate(found):
        assert box.x0 >= -0.5 and box.y0 >= -0.5 and box.x1 <= figure_box.x1 + 0.5 and box.y1 <= figure_box.y1 + 0.5, (
            text.get_text()
        )
        for other, other_box in found[i + 1 :]:
            assert not box.overlaps(other_box), (text.get_text(), other.get_text())
    # Department labels sit in the bands left for them, clear of every department's box.
    ax = c.live.fig.axes[0]
    boxes = [p.get_window_extent() for p in ax.patches if p.get_facecolor()[:3] != (0, 0, 0) and p.get_fill()]
    for text, box in found:
        if text.axes is ax:
            assert not any(box.overlaps(b) for b in boxes), text.get_text()


@pytest.mark.parametrize("employees", [500, 20000])
def test_demonstration_type_is_at_least_18_pixels_and_dots_at_least_10(employees):
    c = chart(employees, 10, DEMO_SIZE)
    for text, _ in texts(c):
        assert text.get_fontsize() * 100 / 72 >= 18, text.get_text()
    if c.layout.per_person:
        assert c.dot >= 10
        normal = chart(employees, 10, NORMAL_SIZE)
        assert normal.dot >= 6


def test_sizes_for_the_styles_fit_the_panels_and_the_projector():
    assert network.network_size(charts.DEMO) == DEMO_SIZE and network.network_size(charts.NORMAL) == NORMAL_SIZE
    width, height, font = DEMO_SIZE
    assert width * 100 <= 1000 and height * 100 <= 460 and network.SMALL * font * 100 / 72 >= 18
    assert 560 <= NORMAL_SIZE[0] * 100 <= 620


def test_alt_text_gives_this_weeks_figures():
    m = model(500, 8)
    counts = np.bincount(network.statuses(m), minlength=3)
    text = network.alt_text(m)
    assert text.startswith(f"Network of 500 employees in {m.org.n_teams} teams")
    assert f"week {m.week}:" in text
    assert f"{counts[0]} active, {counts[1]} lapsed, {counts[2]} never shared." in text
    assert counts.sum() == 500


@pytest.mark.parametrize("demo", [False, True])
def test_the_dashboard_selects_on_a_click_on_a_dot_and_keeps_the_selection_on_a_miss(demo):
    from sim.dashboard.state import Dashboard

    dash = Dashboard("baseline")
    assert dash.apply(employees=400, departments=6)
    dash.demo.value = demo
    dash.step()
    c = dash._network()
    assert c.layout.xy is not None
    dash.pick(*fraction(c, *c.layout.xy[42]))
    assert dash.selected.value == 42
    _, _, y0, x1, y1 = c.layout.department_box[0]
    dash.pick(*fraction(c, x1 + 0.5, (y0 + y1) / 2))  # the gap after the first department
    assert dash.selected.value == 42
