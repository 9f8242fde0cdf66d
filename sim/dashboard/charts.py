"""The dashboard's charts, drawn with matplotlib on the server and sent to the page as PNG.

Server-side rendering needs no JavaScript charting library and no CDN, so the
page works offline, and the picture on screen is the picture "Download PNG"
saves. Each chart is a class: the constructor draws what stays the same while
a run plays (axes, labels, shaded intervention windows, legend) and
``update`` moves what changes (lines, bars, title); ``LiveFigure`` then redraws
only those, which is what keeps a week's update fast. Series are taken by
column name from a live ``History`` or a ``timeseries()`` DataFrame alike.

Figures are ``matplotlib.figure.Figure`` objects, never pyplot, so sessions on
different threads never share a current figure. Colours are Okabe-Ito
(``sim.plot``), safe for the common forms of colour blindness, and lines also
differ in dash pattern so that they can be told apart in grey. Every axis is
labelled with its unit. ``Style`` sets sizes: ``NORMAL`` for a laptop, ``DEMO``
for a projector at the back of a room, with interventions annotated.

Legends sit above a panel (with its title) or under the figure, never inside
the axes, where a line would one day run under them; their columns are as many
as fit, measured. Names of quantities come from ``labels``. The over-time
charts report their values and where their axes are drawn (``hover``), for the
page to show the week and values under the mouse.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.arrays import offsets
from sim.dashboard import labels
from sim.dashboard.explain import points, signed_points
from sim.dashboard.live import LiveChart, LiveFigure, figure
from sim.interventions import department_of
from sim.plot import ACTIVE, OKABE_ITO, shade_interventions, windows
from sim.scenario import LEVELS, Scenario

if TYPE_CHECKING:
    from sim.organisation import Structure

BASELINE_COLOUR = "#000000"
#: The six quantities of the experiences chart: column, colour, dash (names from ``labels``).
EXPERIENCES = (
    ("experienced_recognition", OKABE_ITO[4], "-"),
    ("experienced_reciprocation", OKABE_ITO[0], "--"),
    ("experienced_ease", OKABE_ITO[2], "-."),
    ("self_efficacy", OKABE_ITO[6], ":"),
    ("satisfaction", OKABE_ITO[5], "-"),
    ("perceived_safety", OKABE_ITO[7], "--"),
)
QUANTITY_LABELS = labels.QUANTITY_LABELS
DRIVER_LABELS = labels.DRIVER_LABELS
DASHES = ("-", "--", "-.", ":")
#: Colours for lines that are not the experiences: Okabe-Ito without its yellow, too pale on white.
LINE_COLOURS = [OKABE_ITO[i] for i in (4, 5, 2, 6, 0, 7, 1)]


@dataclass(frozen=True)
class Style:
    """Sizes of one presentation: figure size in inches at 100 dpi (1 inch is 100 pixels of the image, shown at
    its natural size), the font of titles and axis labels and the smaller one of everything else (ticks,
    legends, notes), in points, and the line width.

    ``wide_width`` is the width of a chart that has the page's content width to itself (``wide``).
    """

    width: float = 6.0
    height: float = 3.7
    font: float = 9.5
    small: float = 8.5
    line: float = 2.0
    annotate: bool = False
    wide_width: float = 10.8
    wide_height: float = 4.2

    def figure(self, height: float | None = None) -> Figure:
        return figure(self.width, height or self.height)

    def wide(self) -> Style:
        """The same for a chart that has the page's width to itself (panels side by side)."""
        return replace(self, width=max(self.width, self.wide_width), height=max(self.height, self.wide_height))


#: A laptop at 1440x900: the sharing chart beside the network in a panel about 600 px wide; the experiences
#: and spread charts across the content width, about 1080 px.
NORMAL = Style()
#: Demonstration mode, for a projector at 1024x768: a chart about 980 px wide and at most 440 px tall at its
#: natural size, every text at least 18 px (13.5 pt at 100 dpi), interventions annotated.
DEMO = Style(width=9.8, height=4.4, font=15.0, small=13.5, line=3.5, annotate=True, wide_width=9.8, wide_height=4.4)
#: The smallest type a demonstration chart may use, in points: 18 px at 100 dpi.
DEMO_SMALLEST = 18 * 72 / 100


# ----------------------------------------------------------------- helpers
def series(history, name: str) -> np.ndarray:
    return np.asarray(history[name], dtype=float)


def smooth(values: np.ndarray, weeks: int = 4) -> np.ndarray:
    """Trailing mean over ``weeks`` (fewer at the start): the week-to-week noise hidden, no lag at the start."""
    values = np.asarray(values, dtype=float)
    cumulative = offsets(values)
    idx = np.arange(1, len(values) + 1)
    low = np.maximum(0, idx - weeks)
    return (cumulative[idx] - cumulative[low]) / (idx - low)


def nice_ceiling(peak: float, step: float = 20.0, cap: float | None = 100.0) -> float:
    """A y limit that only changes in big steps, so that a playing chart is rebuilt rarely."""
    top = max(step, step * float(np.ceil(max(peak, 0.0) * 1.15 / step)))
    return min(cap, top) if cap is not None else top


#: The y limits a percentage chart moves between: few, so that it is rarely rebuilt, but
#: low ones too, so that a rate of 3 % is not a flat line at the bottom of a 0-100 chart.
PERCENT_CEILINGS = (5.0, 10.0, 20.0, 40.0, 60.0, 80.0, 100.0)


def percent_ceiling(peak: float) -> float:
    """The lowest of ``PERCENT_CEILINGS`` with some room above ``peak`` (in %)."""
    return next((top for top in PERCENT_CEILINGS if peak * 1.15 <= top), 100.0)


def _axes_style(ax, style: Style, xlabel: str, ylabel: str) -> None:
    ax.set_xlabel(xlabel, fontsize=style.font)
    ax.set_ylabel(ylabel, fontsize=style.font)
    ax.tick_params(labelsize=style.small, pad=style.small * 0.4)  # the corner's 0 and 0.0 apart in large type
    ax.grid(alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def legend_above(ax, style: Style, title: str = "", ncols: int = 3):
    """The panel's title and its legend as one block above the axes, where no line can run under them; the
    layout makes room for it."""
    return ax.legend(
        title=title or None,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.01),
        borderaxespad=0.0,
        ncols=ncols,
        alignment="left",
        fontsize=style.small,
        title_fontsize=style.font,
        frameon=False,
        handlelength=2.0,
        columnspacing=0.9,
    )


def fitted_legend(ax, style: Style, title: str, width: float):
    """``legend_above`` in as many columns as fit in ``width`` inches, measured (a legend's size depends only on
    its text): a legend wider than its panel would make the layout squeeze the axes."""
    renderer = FigureCanvasAgg(ax.figure).get_renderer()
    count = len(ax.get_legend_handles_labels()[0])
    for ncols in range(count, 1, -1):
        legend = legend_above(ax, style, title, ncols)
        if legend.get_window_extent(renderer).width <= width * ax.figure.dpi:
            return legend
        legend.remove()
    return legend_above(ax, style, title, 1)


def legend_below(fig: Figure, style: Style, ncols: int = 3):
    """The figure's legend in rows under everything, outside the axes (the layout makes room for it), in at
    most ``ncols`` columns and no more than fit the figure's width, measured."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    for count in range(ncols, 0, -1):
        legend = fig.legend(
            loc="outside lower center", ncols=count, fontsize=style.small, frameon=False, handlelength=2.5
        )
        if count == 1 or legend.get_window_extent(renderer).width <= fig.bbox.width:
            return legend
        legend.remove()
    raise AssertionError("unreachable")


def shade_quiet(ax, scenario: Scenario, weeks: int) -> None:
    """Windows shaded without labels, for the smaller panels (the main chart names them)."""
    for number, (start, end, _) in enumerate(windows(scenario, weeks)):
        ax.axvspan(start, end, color=OKABE_ITO[number % len(OKABE_ITO)], alpha=0.12, lw=0)


def annotate_windows(ax, scenario: Scenario, weeks: int, style: Style) -> list:
    """Where each intervention starts and ends, in words at the top of the chart: what a trainer points at.

    A note on the right half of the chart reads leftwards from its arrow, so that it is never cut off at the
    figure's edge. Returns the annotations, so that a live chart can draw them above the lines.
    """
    top = ax.get_ylim()[1]
    notes = []
    for number, (start, end, names) in enumerate(windows(scenario, weeks)):
        colour = OKABE_ITO[number % len(OKABE_ITO)]
        height = top * (0.97 - 0.5 * (number % 2))
        label = textwrap.fill(names.replace(" + ", ", "), 24) + f"\nstarts in week {start}"
        marks = [(start, height, label)]
        if end < weeks:
            ax.axvline(end, color=colour, lw=1.5, ls=":")
            # The end's note goes below the start's, which would otherwise reach it in a short window or
            # when the end's note reads leftwards.
            below = (label.count("\n") + 1.9) * style.small * 1.25 / 72 / (0.6 * style.height) * top
            marks.append((end, height - below, f"ends in week {end}"))
        for week, y, text in marks:
            leftwards = week > 0.6 * weeks
            notes.append(
                ax.annotate(
                    text,
                    xy=(week, y),
                    xytext=(week + weeks * (-0.025 if leftwards else 0.025), y),
                    fontsize=style.small,
                    va="top",
                    ha="right" if leftwards else "left",
                    color="#222222",
                    arrowprops={"arrowstyle": "-|>", "color": "#222222", "lw": 1.5, "shrinkA": 0, "shrinkB": 0},
                    bbox={"facecolor": "white", "edgecolor": colour, "alpha": 0.95, "pad": 3, "lw": 2},
                )
            )
    return notes


def windows_panel(ax, scenario: Scenario, style: Style, ceiling: float, ylabel: str) -> list:
    """A panel over the scenario's weeks from 0 to ``ceiling``, its interventions shaded and named in the legend,
    or in the demonstration style annotated where they start and end, above the lines (the y axis reaching
    ``ceiling / NOTES_BELOW`` to leave them room). Returns the annotations, to draw above the lines."""
    weeks = scenario.weeks
    ax.set_xlim(0, weeks)
    notes_room = style.annotate and bool(windows(scenario, weeks))
    ax.set_ylim(0, ceiling / NOTES_BELOW if notes_room else ceiling)
    notes = []
    if style.annotate:
        shade_quiet(ax, scenario, weeks)
        notes = annotate_windows(ax, scenario, weeks, style)
    else:
        shade_interventions(ax, scenario, weeks)
    _axes_style(ax, style, "Week", ylabel)
    return notes


def captions(fig: Figure, ax, scenario: Scenario, style: Style, seed: int | None, legend: bool = True, note: str = ""):
    """The over-time chart's legend under it (``legend``), the scenario, its size and ``note`` above it, and the
    week's title on ``ax`` (empty until ``update`` writes it); returns the title."""
    if legend:
        legend_below(fig, style, ncols=2)
    size = f"{scenario.organisation.employees:,} employees" + (f", seed {seed}" if seed is not None else "")
    fig.suptitle(f"{scenario.name} ({size}){note}", x=0.01, ha="left", fontsize=style.small, color="#444444")
    return ax.set_title(" ", loc="left", fontsize=style.font)


def group_names(group_by: str, departments: int, org: Structure | None = None) -> list[tuple[str, str]]:
    """Column suffixes and legend labels of the groups: levels, or departments (as many as are reported), each
    shown as the outputs show it (``Structure.department_label``: the chart's name, else its number)."""
    if group_by == "department":
        shown = [str(d) if org is None else org.department_label(d) for d in range(departments)]
        return [(f"dept {label}", f"department {label}") for label in shown]
    return [(level, level) for level in LEVELS]


def group_panel(
    ax, scenario: Scenario, style: Style, quantity: str, groups, top: float, unit: str, title: str, width: float
) -> dict:
    """A panel of ``quantity`` by group (``group_names``), from 0 to ``top``, titled in its legend (``width``
    inches wide at most) or, with more than 12 groups, above it; returns the lines by column."""
    weeks = scenario.weeks
    lines = {}
    for number, (suffix, label) in enumerate(groups):
        (lines[f"{quantity}[{suffix}]"],) = ax.plot(
            [],
            [],
            color=LINE_COLOURS[number % len(LINE_COLOURS)],
            ls=DASHES[number % 4],
            lw=style.line * 0.8,
            label=label.removeprefix("department "),  # the title says "by department"
        )
    ax.set(xlim=(0, weeks), ylim=(0, top))
    shade_quiet(ax, scenario, weeks)
    _axes_style(ax, style, "Week", unit)
    if len(lines) <= 12:
        fitted_legend(ax, style, title, width)
    else:
        ax.set_title(title, loc="left", fontsize=style.font)
    return lines


# ------------------------------------------------------------------- hover
def significant(value: float) -> float | None:
    """A value for the page, to 3 significant digits; None where there is none (NaN)."""
    return float(f"{value:.3g}") if np.isfinite(value) else None


def box(ax) -> list[float]:
    """The axes' box as fractions of the whole image from its top-left: [left, top, right, bottom]."""
    where = ax.get_position()
    return [round(float(v), 5) for v in (where.x0, 1 - where.y1, where.x1, 1 - where.y0)]


def panel(ax, unit: str, lines: list[tuple[str, np.ndarray]]) -> dict:
    """One panel of ``hover()``: where its axes are, their limits, and each line's value by week."""
    return {
        "box": box(ax),
        "x": [float(v) for v in ax.get_xlim()],
        "y": [float(v) for v in ax.get_ylim()],
        "unit": unit,
        "series": [{"label": label, "values": [significant(v) for v in values]} for label, values in lines],
    }


class Hovered(LiveChart):
    """A live chart that tells the page what lies under the mouse (``hover``).

    The axes' boxes are read once the figure has been drawn: constrained layout places the axes at the first
    draw, and a live chart's later frames reuse that drawing, so the boxes stay right until it is rebuilt.
    """

    _boxes: list[list[float]] | None = None

    def lines(self) -> list[tuple[Any, str, list[tuple[str, np.ndarray]]]]:
        """Each panel's axes, unit, and lines (label, values from week 0 to the current week)."""
        raise NotImplementedError

    def hover(self) -> dict:
        """The weeks and values of every line, and where each panel is in the image, for the page to show the
        values under the mouse (JSON-serialisable)."""
        if self.live._background is None:  # not drawn yet (or redrawn for a download): settle the layout
            self.live.render()
            self._boxes = None
        panels = [panel(ax, unit, lines) for ax, unit, lines in self.lines()]
        if self._boxes is None:
            self._boxes = [item["box"] for item in panels]
        for item, kept in zip(panels, self._boxes):
            item["box"] = kept
        return {"panels": panels}


# ------------------------------------------------------------------ charts
class SharingChart(Hovered):
    """Sharing over time against the same organisation and seed with no intervention, windows shaded."""

    def __init__(
        self,
        scenario: Scenario,
        style: Style = NORMAL,
        baseline: bool = True,
        ceiling: float = 60.0,
        seed: int | None = None,
    ):
        self.scenario = scenario
        fig = style.figure()
        ax = self.ax = fig.add_subplot()
        self.base = None
        if baseline:
            (self.base,) = ax.plot([], [], color=BASELINE_COLOUR, lw=style.line * 0.8, ls="--", label=BASELINE_LABEL)
        (self.weekly,) = ax.plot([], [], color=ACTIVE, lw=0.8, alpha=0.4, label=WEEKLY_LABEL)
        (self.line,) = ax.plot([], [], color=ACTIVE, lw=style.line, label=AVERAGE_LABEL)
        notes = windows_panel(ax, scenario, style, ceiling, "Employees sharing (%)")
        handles = [line for line in (self.base, self.weekly, self.line) if line is not None]
        self.title = captions(fig, ax, scenario, style, seed)
        self.history = self.baseline = None
        self.live = LiveFigure(fig, [*handles, self.title, *notes])

    @staticmethod
    def ceiling(history, baseline) -> float:
        peak = series(history, "sharing_rate").max(initial=0)
        if baseline is not None:
            peak = max(peak, series(baseline, "sharing_rate").max(initial=0))
        return percent_ceiling(100 * peak)

    def update(self, history, baseline) -> SharingChart:
        self.history, self.baseline = history, baseline
        week = series(history, "week")
        rate = 100 * series(history, "sharing_rate")
        self.weekly.set_data(week, rate)
        self.line.set_data(week, smooth(rate))
        text = f"Week {int(week[-1])} of {self.scenario.weeks}: {rate[-1]:.0f} % shared"
        if self.base is not None and baseline is not None:
            base = 100 * series(baseline, "sharing_rate")
            self.base.set_data(week[: len(base)], smooth(base))
            text += f", {base[-1]:.0f} % without intervention"
        self.title.set_text(text)
        return self

    def lines(self):
        rate = 100 * series(self.history, "sharing_rate")
        shown = [(WEEKLY_LABEL, rate), (AVERAGE_LABEL, smooth(rate))]
        if self.base is not None and self.baseline is not None:
            shown.insert(0, (BASELINE_LABEL, smooth(100 * series(self.baseline, "sharing_rate"))))
        return [(self.ax, "%", shown)]


#: Where the notes of annotated interventions end, as a fraction of the axes' height: the sharing axis of an
#: annotated chart reaches this far up, so that its lines stay under the notes.
NOTES_BELOW = 0.55
#: The sharing chart's lines; the title says the baseline is the same organisation and seed.
BASELINE_LABEL = "no intervention (4-week average)"
WEEKLY_LABEL = "this scenario, each week"
AVERAGE_LABEL = "this scenario (4-week average)"


class ExperiencesChart(Hovered):
    """The four experiences, satisfaction and psychological safety over time; one of them by level or department."""

    def __init__(
        self,
        scenario: Scenario,
        group_by: str = "level",
        quantity: str = "satisfaction",
        departments: int = 0,
        style: Style = NORMAL,
        org: Structure | None = None,
    ):
        weeks = scenario.weeks
        fig = style.figure()
        ratio = 1.3  # the left panel holds six lines and the longer legend
        self.axes = left, right = fig.subplots(1, 2, width_ratios=[ratio, 1])
        share = (style.width - 1.4) / (ratio + 1)  # inches per unit of width ratio, less the y labels
        self.lines_shown = {}
        for column, colour, dash in EXPERIENCES:
            (self.lines_shown[column],) = left.plot(
                [], [], color=colour, ls=dash, lw=style.line * 0.8, label=QUANTITY_LABELS[column]
            )
        left.set(xlim=(0, weeks), ylim=(0, 1))
        shade_quiet(left, scenario, weeks)
        _axes_style(left, style, "Week", "Mean of employees (0–1)" if not style.annotate else "Mean (0–1)")
        fitted_legend(left, style, "The four experiences, satisfaction, safety", ratio * share)

        self.scale = 100.0 if quantity == "sharing_rate" else 1.0
        self.quantity = quantity
        name = QUANTITY_LABELS[quantity]
        unit = "Employees sharing (%)" if self.scale == 100 else f"Mean {labels.lower(name)} (0–1)"
        groups = group_names(group_by, departments, org)
        top = 100 if self.scale == 100 else 1
        self.groups = group_panel(right, scenario, style, quantity, groups, top, unit, f"{name} by {group_by}", share)
        self.history = None
        self.live = LiveFigure(fig, [*self.lines_shown.values(), *self.groups.values()])

    def update(self, history) -> ExperiencesChart:
        self.history = history
        week = series(history, "week")
        for column, line in self.lines_shown.items():
            line.set_data(week, series(history, column))
        for column, line in self.groups.items():
            line.set_data(week, self.scale * series(history, column))
        return self

    def lines(self):
        left, right = self.axes
        return [
            (left, "", [(line.get_label(), series(self.history, c)) for c, line in self.lines_shown.items()]),
            (
                right,
                "%" if self.scale == 100 else "",
                [(line.get_label(), self.scale * series(self.history, c)) for c, line in self.groups.items()],
            ),
        ]


def smooth_known(values: np.ndarray, weeks: int = 4) -> np.ndarray:
    """``smooth`` for a series with undefined weeks (NaN, e.g. a share of no requests): the mean of the known
    values among the last ``weeks``, NaN where none is known."""
    values = np.asarray(values, dtype=float)
    known = np.isfinite(values)
    total, count = offsets(np.where(known, values, 0.0)), offsets(known.astype(float))
    idx = np.arange(1, len(values) + 1)
    low = np.maximum(0, idx - weeks)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (total[idx] - total[low]) / (count[idx] - count[low])


class SeekingChart(Hovered):
    """Seeking (``behaviour.seeking``): how many ask, how many requests are answered and how many needs close
    unanswered, and the asking rate by level or department; every line a 4-week average in %."""

    def __init__(
        self,
        scenario: Scenario,
        group_by: str = "level",
        departments: int = 0,
        ceiling: float = 20.0,
        style: Style = NORMAL,
        org: Structure | None = None,
    ):
        weeks = scenario.weeks
        fig = style.figure()
        ratio = 1.3
        self.axes = left, right = fig.subplots(1, 2, width_ratios=[ratio, 1])
        share = (style.width - 1.4) / (ratio + 1)
        self.lines_shown = {}
        for number, (column, label) in enumerate(labels.SEEKING_COLUMNS.items()):
            (self.lines_shown[column],) = left.plot(
                [], [], color=SEEKING_COLOURS[number], ls=DASHES[number], lw=style.line * 0.8, label=label
            )
        left.set(xlim=(0, weeks), ylim=(0, 100))
        shade_quiet(left, scenario, weeks)
        _axes_style(left, style, "Week", "Share (%)")
        fitted_legend(left, style, "Asking for help (4-week averages)", ratio * share)

        groups = group_names(group_by, departments, org)
        unit, title = "Employees asking (%)", f"Asking by {group_by}"
        self.groups = group_panel(right, scenario, style, "asking_rate", groups, ceiling, unit, title, share)
        self.history = None
        self.live = LiveFigure(fig, [*self.lines_shown.values(), *self.groups.values()])

    @staticmethod
    def ceiling(history, group_by: str, departments: int, org: Structure | None = None) -> float:
        """The y limit of the asking-by-group panel, in %: the highest group's 4-week average so far, in steps."""
        peaks = [
            np.nanmax(smooth_known(series(history, f"asking_rate[{suffix}]")), initial=0.0)
            for suffix, _ in group_names(group_by, departments, org)
        ]
        return percent_ceiling(100 * max(peaks, default=0.0))

    def _values(self, column: str) -> np.ndarray:
        return 100 * smooth_known(series(self.history, column))

    def update(self, history) -> SeekingChart:
        self.history = history
        week = series(history, "week")
        for column, line in [*self.lines_shown.items(), *self.groups.items()]:
            line.set_data(week, self._values(column))
        return self

    def lines(self):
        left, right = self.axes
        return [
            (left, "%", [(line.get_label(), self._values(c)) for c, line in self.lines_shown.items()]),
            (right, "%", [(line.get_label(), self._values(c)) for c, line in self.groups.items()]),
        ]


#: The seeking chart's organisation-wide lines: asking, answers, needs given up.
SEEKING_COLOURS = (OKABE_ITO[2], OKABE_ITO[5], OKABE_ITO[6])


def asking_pilot(scenario: Scenario) -> str | None:
    """The department whose managers and leaders ask in public, when an asking example reaches one department
    only (``target = "department:..."``): the column suffix of its by-department outputs, else None."""
    targets = {item.target for item in scenario.interventions if item.EFFECTS.get("asking")}
    department = department_of(targets.pop()) if len(targets) == 1 else None
    return None if department is None else f"dept {department}"


class AskingChart(Hovered):
    """Demonstration mode's chart of seeking (``behaviour.seeking``): the share of employees asking a colleague
    beside the share of requests answered, each a 4-week average in %, styled as the sharing chart is (its
    interventions annotated in the demonstration style). Asking is a few % where answers are tens of %: each
    has its own panel and scale, so that asking rising is seen. Each panel's y label names its line and its
    title says this week's figure, so the chart needs no legend, and the panels have the height it would take.

    Where leaders ask in public in one department only (``asking_pilot``), the asking panel also draws that
    department's line, dashed, so that a trainer can show asking rising first where the example is set."""

    def __init__(self, scenario: Scenario, style: Style = NORMAL, ceiling: float = 10.0, seed: int | None = None):
        self.scenario = scenario
        fig = style.figure()
        self.axes = left, right = fig.subplots(1, 2, width_ratios=[1.25, 1], sharex=True)
        self.lines_shown = {}
        for ax, column, colour in zip(self.axes, ("asking_rate", "answer_rate"), SEEKING_COLOURS):
            label = f"{labels.SEEKING_COLUMNS[column]}, 4-week average"
            (self.lines_shown[column],) = ax.plot([], [], color=colour, lw=style.line, label=label)
        self.pilot = asking_pilot(scenario)
        if self.pilot is not None:
            self.lines_shown["asking_rate"].set_label("Asking, everyone")
            (self.lines_shown[f"asking_rate[{self.pilot}]"],) = left.plot(
                [], [], color=SEEKING_COLOURS[0], ls=DASHES[1], lw=style.line,
                label=f"Asking in {self.pilot.replace('dept ', 'department ')}",
            )  # fmt: skip
            left.legend(loc="center right", fontsize=style.small, frameon=False)  # between the lines and the notes
        notes = windows_panel(left, scenario, style, ceiling, "Employees asking (%)")
        left.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10], integer=True))  # 5, not 2.5 or 12.5
        right.set(xlim=(0, scenario.weeks), ylim=(0, 100))
        shade_quiet(right, scenario, scenario.weeks)
        _axes_style(right, style, "Week", "Requests answered (%)")
        self.title = captions(fig, left, scenario, style, seed, legend=False, note=": 4-week averages")
        self.answered = right.set_title(" ", loc="left", fontsize=style.font)
        self.history = None
        self.live = LiveFigure(fig, [*self.lines_shown.values(), self.title, self.answered, *notes])

    @staticmethod
    def ceiling(history, scenario: Scenario | None = None) -> float:
        """The asking panel's y limit, in %: the highest 4-week average so far (of everyone, and of the pilot
        department's where there is one), in steps."""
        pilot = None if scenario is None else asking_pilot(scenario)
        columns = ["asking_rate"] + ([f"asking_rate[{pilot}]"] if pilot and f"asking_rate[{pilot}]" in history else [])
        peaks = [np.nanmax(smooth_known(series(history, column)), initial=0.0) for column in columns]
        return percent_ceiling(100 * max(peaks))

    def _values(self, column: str) -> np.ndarray:
        history = self.history
        assert history is not None, "update() first"
        if column not in history:  # a department target the outputs do not report by name
            return np.full(len(series(history, "week")), np.nan)
        return 100 * smooth_known(series(history, column))

    def update(self, history) -> AskingChart:
        self.history = history
        week = series(history, "week")
        for column, line in self.lines_shown.items():
            line.set_data(week, self._values(column))
        asking, answered = (self._values(column)[-1] for column in ("asking_rate", "answer_rate"))
        text = f"Week {int(week[-1])} of {self.scenario.weeks}"
        self.title.set_text(text + (f": {asking:.0f} % asked a colleague" if np.isfinite(asking) else ""))
        self.answered.set_text(f"{answered:.0f} % of requests answered" if np.isfinite(answered) else " ")
        return self

    def lines(self):
        return [
            (
                ax,
                "%",
                [
                    (line.get_label(), self._values(column))
                    for column, line in self.lines_shown.items()
                    if line.axes is ax
                ],
            )
            for ax in self.axes
        ]


#: The spread panels: title, y label, y limits (None: grows with the data), and lines (column, label, scale).
SPREAD_PANELS = (
    (
        "Sharing done by the most active",
        "% of sharing",
        (0, 100),
        (("top10_share", "10 % of employees", 100), ("top1_share", "1 %", 100)),
    ),
    ("Knowledge inequality (0 = equal)", "Gini", (0, 1), (("knowledge_gini", "knowledge Gini", 1),)),
    ("Knowledge held per employee", "Model units", None, (("knowledge_mean", "mean knowledge", 1),)),
    (
        "Knowledge flows crossing",
        "% of flows",
        (0, 100),
        (("cross_team_flows", "team lines", 100), ("cross_department_flows", "department lines", 100)),
    ),
)
#: Flows and shares are undefined before anyone has shared (week 0).
_FROM_WEEK_ONE = {"cross_team_flows", "cross_department_flows", "top1_share", "top10_share"}


class SpreadChart(Hovered):
    """Participation inequality and how far knowledge spreads."""

    def __init__(self, scenario: Scenario, knowledge_ceiling: float = 2.0, style: Style = NORMAL):
        weeks = scenario.weeks
        fig = style.figure(style.height * (1.0 if style.annotate else 1.4))
        self.axes = axes = fig.subplots(2, 2, sharex=True).ravel()
        self.panels = []
        for number, (ax, (title, ylabel, limits, lines)) in enumerate(zip(axes, SPREAD_PANELS)):
            shown = []
            for k, (column, label, scale) in enumerate(lines):
                (line,) = ax.plot(
                    [],
                    [],
                    color=LINE_COLOURS[(number + k * 3) % len(LINE_COLOURS)],
                    ls=DASHES[k],
                    lw=style.line * 0.8,
                    label=label,
                )
                shown.append((column, line, scale))
            self.panels.append((ax, "%" if lines[0][2] == 100 else "", shown))
            ax.set_xlim(0, weeks)
            ax.set_ylim(*(limits or (0, knowledge_ceiling)))
            shade_quiet(ax, scenario, weeks)
            _axes_style(ax, style, "Week" if number >= 2 else "", ylabel)
            if len(lines) > 1:
                legend_above(ax, style, title, ncols=2)
            else:
                ax.set_title(title, loc="left", fontsize=style.font)
        self.history = None
        self.live = LiveFigure(fig, [line for *_, shown in self.panels for _, line, _ in shown])

    @staticmethod
    def knowledge_ceiling(history) -> float:
        return nice_ceiling(series(history, "knowledge_mean").max(initial=0), step=1.0, cap=None)

    def _values(self, column: str, scale: float) -> np.ndarray:
        values = scale * series(self.history, column)
        if column in _FROM_WEEK_ONE:
            values[:1] = np.nan
        return values

    def update(self, history) -> SpreadChart:
        self.history = history
        week = series(history, "week")
        for *_, shown in self.panels:
            for column, line, scale in shown:
                line.set_data(week, self._values(column, scale))
        return self

    def lines(self):
        return [
            (ax, unit, [(line.get_label(), self._values(column, scale)) for column, line, scale in shown])
            for ax, unit, shown in self.panels
        ]


class DriversChart(LiveChart):
    """What raises or lowers one employee's chance to share this week, each driver in percentage points of that
    chance (``explain.points``): a bar chart that fits beside the network. The drivers' history is not drawn: a
    panel of nine lines over time was unreadable at that size, and the sentence above the chart names the
    strongest drivers."""

    def __init__(self, scenario: Scenario, names: list[str], limit: float = 20.0, style: Style = NORMAL):
        fig = style.figure(max(style.height, 3.9))
        ax = fig.add_subplot()
        self.names = [name for name in DRIVER_LABELS if name in names]
        bar_labels = [DRIVER_LABELS[name] for name in self.names]
        self.bars = ax.barh(bar_labels, [0.0] * len(bar_labels), color=ACTIVE, height=0.7)
        ax.axvline(0, color="#000000", lw=0.8)
        ax.set_xlim(-limit, limit)
        ax.invert_yaxis()
        ax.tick_params(labelsize=style.small)
        ax.set_xlabel("Points of this week's chance to share: lowers it ← → raises it", fontsize=style.small)
        ax.grid(alpha=0.3, axis="x")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        self.limit_points = limit
        self.values = [
            ax.text(0, k, "", va="center", fontsize=style.small, color="#222222") for k in range(len(self.names))
        ]
        self.title = ax.set_title(" \n ", loc="left", fontsize=style.font)
        self.live = LiveFigure(fig, [*self.bars.patches, *self.values, self.title])

    @staticmethod
    def limit(rows: list[dict[str, float]]) -> float:
        """The x axis's half-width in points: the largest push so far, rounded up to a step of 10."""
        peak = max((abs(v) for row in rows for v in points(row).values()), default=1.0)
        return nice_ceiling(peak, step=10.0, cap=100.0)

    def update(self, weeks: np.ndarray, rows: list[dict[str, float]], title: str) -> DriversChart:
        chance = ""
        if rows:
            now = points(rows[-1])
            margin = 0.015 * 2 * self.limit_points
            for name, bar, text in zip(self.names, self.bars.patches, self.values):
                value = now.get(name, 0.0)
                bar.set_width(value)
                bar.set_color(ACTIVE if value >= 0 else OKABE_ITO[5])
                text.set_text(signed_points(value))
                inside = abs(value) > 0.75 * self.limit_points  # no room outside the bar: write on it
                text.set_x(value - margin if (value >= 0) == inside else value + margin)
                text.set_horizontalalignment("right" if (value >= 0) == inside else "left")
                text.set_color("white" if inside else "#222222")
            chance = f"Week {int(weeks[-1])}: {100 * rows[-1]['chance_to_share']:.0f} % chance to share"
        self.title.set_text(f"{title}\n{chance}")
        return self


def comparison(result, style: Style = NORMAL) -> Figure:
    """Mean sharing of each scenario over its replications, with the 95 % confidence band."""
    fig = style.figure()
    ax = fig.add_subplot()
    week = result.weeks
    for number, item in enumerate(result.items):
        colour = COMPARISON_COLOURS[number % 4]
        ax.fill_between(week, 100 * item.low, 100 * item.high, color=colour, alpha=0.2, lw=0)
        ax.plot(
            week,
            100 * item.mean,
            color=colour,
            ls=DASHES[number % 4],
            lw=style.line,
            label=item.label,
        )
    ax.set_xlim(0, week[-1])
    ax.set_ylim(0, percent_ceiling(max(100 * item.high.max() for item in result.items)))
    for number, chosen in enumerate(result.chosen_weeks):
        ax.axvline(chosen, color="#444444", lw=1, ls=":")
        ax.text(
            chosen,
            0.99 - 0.08 * (number % 2),
            f" week {chosen}",
            transform=ax.get_xaxis_transform(),
            va="top",
            ha="left",
            fontsize=style.small,
            color="#444444",
        )
    _axes_style(ax, style, "Week", "Employees sharing (%)")
    legend_below(fig, style, ncols=len(result.items))
    title = f"Mean sharing and 95 % band over {result.runs_over} each ({result.uncertainty})"
    fits = int(style.width * 72 / (0.55 * style.font))  # characters of the title's size in the figure's width
    ax.set_title(textwrap.fill(title, fits), loc="left", fontsize=style.font)
    fig.suptitle(
        f"{result.employees:,} employees, seeds {result.seeds[0]}–{result.seeds[-1]}",
        x=0.01,
        ha="left",
        fontsize=style.small,
        color="#444444",
    )
    return fig


COMPARISON_COLOURS = [ACTIVE, OKABE_ITO[5], OKABE_ITO[2], OKABE_ITO[6]]


def comparison_hover(result, style: Style = NORMAL) -> dict:
    """``hover()`` of the comparison figure ``comparison(result, style)`` (pass the style it is drawn at): each
    scenario's mean and band by week, in %."""
    fig = comparison(result, style)
    fig.draw_without_rendering()  # constrained layout places the axes at a draw
    lines = []
    for item in result.items:
        lines += [
            (f"{item.label} (mean)", 100 * item.mean),
            (f"{item.label} (95 % band, low)", 100 * item.low),
            (f"{item.label} (95 % band, high)", 100 * item.high),
        ]
    return {"panels": [panel(fig.axes[0], "%", lines)]}
