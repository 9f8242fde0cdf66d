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
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace

import matplotlib

matplotlib.use("Agg")
import numpy as np
from matplotlib.figure import Figure

from sim.arrays import offsets
from sim.dashboard.live import LiveChart, LiveFigure, figure
from sim.plot import ACTIVE, OKABE_ITO, shade_interventions, windows
from sim.scenario import LEVELS, Scenario

BASELINE_COLOUR = "#000000"
#: The six quantities of the experiences chart: column, label, colour, dash.
EXPERIENCES = (
    ("experienced_recognition", "recognition", OKABE_ITO[4], "-"),
    ("experienced_reciprocation", "reciprocation", OKABE_ITO[0], "--"),
    ("experienced_ease", "ease of sharing", OKABE_ITO[2], "-."),
    ("self_efficacy", "self-efficacy", OKABE_ITO[6], ":"),
    ("satisfaction", "satisfaction", OKABE_ITO[5], "-"),
    ("perceived_safety", "psychological safety", OKABE_ITO[7], "--"),
)
QUANTITY_LABELS = {"sharing_rate": "sharing", **{column: label for column, label, _, _ in EXPERIENCES}}
DASHES = ("-", "--", "-.", ":")
#: Colours for lines that are not the experiences: Okabe-Ito without its yellow, too pale on white.
LINE_COLOURS = [OKABE_ITO[i] for i in (4, 5, 2, 6, 0, 7, 1)]


@dataclass(frozen=True)
class Style:
    """Sizes of one presentation: figure size in inches at 100 dpi, font size, line width."""

    width: float = 6.4
    height: float = 3.7
    font: float = 9.5
    line: float = 2.0
    annotate: bool = False

    def figure(self, height: float | None = None) -> Figure:
        return figure(self.width, height or self.height)

    def wide(self) -> Style:
        """The same for a chart that has the page's width to itself (panels side by side)."""
        return replace(self, width=max(self.width, 9.0), height=max(self.height, 4.2))


NORMAL = Style()
#: Demonstration mode: one big chart, type readable at projector distance, interventions annotated.
DEMO = Style(width=13.0, height=6.4, font=17.0, line=4.0, annotate=True)


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


def _axes_style(ax, style: Style, xlabel: str, ylabel: str, ylabel_size: float = 1.0) -> None:
    ax.set_xlabel(xlabel, fontsize=style.font)
    ax.set_ylabel(ylabel, fontsize=style.font * ylabel_size)
    ax.tick_params(labelsize=style.font * 0.9)
    ax.grid(alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def shade_quiet(ax, scenario: Scenario, weeks: int) -> None:
    """Windows shaded without labels, for the smaller panels (the main chart names them)."""
    for number, (start, end, _) in enumerate(windows(scenario, weeks)):
        ax.axvspan(start, end, color=OKABE_ITO[number % len(OKABE_ITO)], alpha=0.12, lw=0)


def annotate_windows(ax, scenario: Scenario, weeks: int, style: Style) -> list:
    """Where each intervention starts and ends, in words at the top of the chart: what a trainer points at.

    Returns the annotations, so that a live chart can draw them above the lines.
    """
    top = ax.get_ylim()[1]
    notes = []
    for number, (start, end, names) in enumerate(windows(scenario, weeks)):
        colour = OKABE_ITO[number % len(OKABE_ITO)]
        height = top * (0.97 - 0.24 * (number % 3))
        label = textwrap.fill(names.replace(" + ", ", "), 28) + f"\nstarts in week {start}"
        marks = [(start, height, label)]
        if end < weeks:
            ax.axvline(end, color=colour, lw=1.5, ls=":")
            narrow = (end - start) / weeks < 0.25  # the start label would reach the end line
            marks.append((end, height - (0.12 * top if narrow else 0.0), f"ends in week {end}"))
        for week, y, text in marks:
            notes.append(
                ax.annotate(
                    text,
                    xy=(week, y),
                    xytext=(week + weeks * 0.025, y),
                    fontsize=style.font * 0.8,
                    va="top",
                    ha="left",
                    color="#222222",
                    arrowprops={"arrowstyle": "-|>", "color": "#222222", "lw": 1.5, "shrinkA": 0, "shrinkB": 0},
                    bbox={"facecolor": "white", "edgecolor": colour, "alpha": 0.95, "pad": 3, "lw": 2},
                )
            )
    return notes


def group_names(group_by: str, departments: int) -> list[tuple[str, str]]:
    """Column suffixes and legend labels of the groups: levels, or departments (as many as are reported)."""
    if group_by == "department":
        return [(f"dept {d}", f"department {d}") for d in range(departments)]
    return [(level, level) for level in LEVELS]


# ------------------------------------------------------------------ charts
class SharingChart(LiveChart):
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
        weeks = scenario.weeks
        fig = style.figure()
        ax = fig.add_subplot()
        ax.set_xlim(0, weeks)
        ax.set_ylim(0, ceiling)
        self.base = None
        if baseline:
            (self.base,) = ax.plot(
                [],
                [],
                color=BASELINE_COLOUR,
                lw=style.line * 0.8,
                ls="--",
                label="same organisation and seed, no intervention",
            )
        (self.weekly,) = ax.plot([], [], color=ACTIVE, lw=0.8, alpha=0.4, label="this scenario, each week")
        (self.line,) = ax.plot([], [], color=ACTIVE, lw=style.line, label="this scenario (4-week average)")
        notes = []
        if style.annotate:
            shade_quiet(ax, scenario, weeks)
            notes = annotate_windows(ax, scenario, weeks, style)
        else:
            shade_interventions(ax, scenario, weeks)
        _axes_style(ax, style, "Week", "Employees sharing this week (%)")
        ax.legend(loc="lower right", fontsize=style.font * 0.75, frameon=True, framealpha=0.9)
        size = f"{scenario.organisation.employees:,} employees" + (f", seed {seed}" if seed is not None else "")
        fig.suptitle(f"{scenario.name} ({size})", x=0.01, ha="left", fontsize=style.font * 0.8, color="#444444")
        self.title = ax.set_title(" ", loc="left", fontsize=style.font * 1.05)
        self.live = LiveFigure(
            fig, [line for line in (self.base, self.weekly, self.line) if line is not None] + [self.title, *notes]
        )

    @staticmethod
    def ceiling(history, baseline) -> float:
        peak = series(history, "sharing_rate").max(initial=0)
        if baseline is not None:
            peak = max(peak, series(baseline, "sharing_rate").max(initial=0))
        return percent_ceiling(100 * peak)

    def update(self, history, baseline) -> SharingChart:
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


class ExperiencesChart(LiveChart):
    """The four experiences, satisfaction and psychological safety over time; one of them by level or department."""

    def __init__(
        self,
        scenario: Scenario,
        group_by: str = "level",
        quantity: str = "satisfaction",
        departments: int = 0,
        style: Style = NORMAL,
    ):
        weeks = scenario.weeks
        fig = style.figure(style.height * 1.1)
        left, right = fig.subplots(1, 2, width_ratios=[1.15, 1])
        self.lines = {}
        for column, label, colour, dash in EXPERIENCES:
            (self.lines[column],) = left.plot([], [], color=colour, ls=dash, lw=style.line * 0.8, label=label)
        left.set(xlim=(0, weeks), ylim=(0, 1))
        shade_quiet(left, scenario, weeks)
        _axes_style(left, style, "Week", "Mean across employees (0–1 scale)")
        left.set_title("The four experiences, satisfaction, safety", loc="left", fontsize=style.font)
        left.legend(loc="lower left", fontsize=style.font * 0.75, ncols=2, frameon=True, framealpha=0.9)

        self.scale = 100.0 if quantity == "sharing_rate" else 1.0
        self.groups = {}
        for number, (suffix, label) in enumerate(group_names(group_by, departments)):
            (self.groups[f"{quantity}[{suffix}]"],) = right.plot(
                [],
                [],
                color=LINE_COLOURS[number % len(LINE_COLOURS)],
                ls=DASHES[number % 4],
                lw=style.line * 0.8,
                label=label,
            )
        right.set(xlim=(0, weeks), ylim=(0, 100 if self.scale == 100 else 1))
        shade_quiet(right, scenario, weeks)
        unit = (
            "Employees sharing this week (%)" if self.scale == 100 else f"Mean {QUANTITY_LABELS[quantity]} (0–1 scale)"
        )
        _axes_style(right, style, "Week", unit)
        right.set_title(f"{QUANTITY_LABELS[quantity].capitalize()} by {group_by}", loc="left", fontsize=style.font)
        if len(self.groups) <= 12:
            right.legend(loc="lower left", fontsize=style.font * 0.75, ncols=2, frameon=True, framealpha=0.9)
        self.live = LiveFigure(fig, [*self.lines.values(), *self.groups.values()])

    def update(self, history) -> ExperiencesChart:
        week = series(history, "week")
        for column, line in self.lines.items():
            line.set_data(week, series(history, column))
        for column, line in self.groups.items():
            line.set_data(week, self.scale * series(history, column))
        return self


#: The spread panels: title, y label, y limits (None: grows with the data), and lines (column, label, scale).
SPREAD_PANELS = (
    (
        "Participation inequality",
        "Share of all sharing done by (%)",
        (0, 100),
        (("top10_share", "the most active 10 % of employees", 100), ("top1_share", "the most active 1 %", 100)),
    ),
    ("Knowledge inequality", "Gini (0 = equal, 1 = one knows all)", (0, 1), (("knowledge_gini", "knowledge Gini", 1),)),
    ("Knowledge held", "Mean knowledge per employee (model units)", None, (("knowledge_mean", "mean knowledge", 1),)),
    (
        "Knowledge flows across boundaries",
        "Share of knowledge flows (%)",
        (0, 100),
        (
            ("cross_team_flows", "crossing team lines", 100),
            ("cross_department_flows", "crossing department lines", 100),
        ),
    ),
)
#: Flows and shares are undefined before anyone has shared (week 0).
_FROM_WEEK_ONE = {"cross_team_flows", "cross_department_flows", "top1_share", "top10_share"}


class SpreadChart(LiveChart):
    """Participation inequality and how far knowledge spreads."""

    def __init__(self, scenario: Scenario, knowledge_ceiling: float = 2.0, style: Style = NORMAL):
        weeks = scenario.weeks
        fig = style.figure(style.height * 1.4)
        axes = fig.subplots(2, 2, sharex=True).ravel()
        self.lines = {}
        for number, (ax, (title, ylabel, limits, lines)) in enumerate(zip(axes, SPREAD_PANELS)):
            for k, (column, label, scale) in enumerate(lines):
                (line,) = ax.plot(
                    [],
                    [],
                    color=LINE_COLOURS[(number + k * 3) % len(LINE_COLOURS)],
                    ls=DASHES[k],
                    lw=style.line * 0.8,
                    label=label,
                )
                self.lines[column] = (line, scale)
            ax.set_xlim(0, weeks)
            ax.set_ylim(*(limits or (0, knowledge_ceiling)))
            shade_quiet(ax, scenario, weeks)
            _axes_style(ax, style, "Week" if number >= 2 else "", ylabel, ylabel_size=0.8)
            ax.set_title(title, loc="left", fontsize=style.font)
            if len(lines) > 1:
                ax.legend(loc="upper right", fontsize=style.font * 0.72, frameon=True, framealpha=0.9)
        self.live = LiveFigure(fig, [line for line, _ in self.lines.values()])

    @staticmethod
    def knowledge_ceiling(history) -> float:
        return nice_ceiling(series(history, "knowledge_mean").max(initial=0), step=1.0, cap=None)

    def update(self, history) -> SpreadChart:
        week = series(history, "week")
        for column, (line, scale) in self.lines.items():
            values = scale * series(history, column)
            if column in _FROM_WEEK_ONE:
                values[:1] = np.nan
            line.set_data(week, values)
        return self


#: Drivers of one employee's intention, in logits, with plain-language names.
DRIVER_LABELS = {
    "disposition": "personal readiness",
    "satisfaction": "satisfaction",
    "self_efficacy": "self-efficacy",
    "recognition": "expected recognition",
    "reciprocation": "expected reciprocation",
    "ease": "expected ease",
    "psychological_safety": "psychological safety",
    "colleagues_example": "colleagues' example",
    "role": "role",
}


class DriversChart(LiveChart):
    """One employee's drivers over time (top) and this week (bottom): what pushes them to share or holds them back."""

    def __init__(self, scenario: Scenario, names: list[str], limit: float = 4.0, style: Style = NORMAL):
        fig = style.figure(style.height * 2.0)
        top, bottom = fig.subplots(2, 1, height_ratios=[1.3, 1])
        self.names = [name for name in DRIVER_LABELS if name in names]
        palette = [*LINE_COLOURS, "#666666", "#56B4E9"]
        self.lines = {}
        for number, name in enumerate(self.names):
            (self.lines[name],) = top.plot(
                [],
                [],
                color=palette[number % len(palette)],
                ls=DASHES[number % 4],
                lw=style.line * 0.8,
                label=DRIVER_LABELS[name],
            )
        top.axhline(0, color="#000000", lw=0.8)
        top.set(xlim=(0, scenario.weeks), ylim=(-limit, limit))
        shade_quiet(top, scenario, scenario.weeks)
        _axes_style(top, style, "Week", "Push on the intention\nto share (logits)", ylabel_size=0.9)
        top.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncols=3, fontsize=style.font * 0.8, frameon=False)
        self.title = top.set_title(" ", loc="left", fontsize=style.font)
        labels = [DRIVER_LABELS[name] for name in self.names]
        self.bars = bottom.barh(labels, [0.0] * len(labels), color=ACTIVE)
        bottom.axvline(0, color="#000000", lw=0.8)
        bottom.set_xlim(-limit, limit)
        bottom.invert_yaxis()
        bottom.tick_params(labelsize=style.font * 0.85)
        bottom.set_xlabel("Push this week (logits): left holds back, right pushes to share", fontsize=style.font * 0.9)
        bottom.grid(alpha=0.3, axis="x")
        self.chance = bottom.set_title(" ", loc="left", fontsize=style.font)
        self.live = LiveFigure(fig, [*self.lines.values(), *self.bars.patches, self.title, self.chance])

    @staticmethod
    def limit(rows: list[dict[str, float]]) -> float:
        peak = max((abs(row[name]) for row in rows for name in DRIVER_LABELS if name in row), default=1.0)
        return nice_ceiling(peak, step=2.0, cap=None)

    def update(self, weeks: np.ndarray, rows: list[dict[str, float]], title: str) -> DriversChart:
        for name, line in self.lines.items():
            line.set_data(weeks, [row[name] for row in rows])
            line.set_marker("o" if len(rows) == 1 else "None")  # a single week is a point, not a line
        if rows:
            now = rows[-1]
            for name, bar in zip(self.names, self.bars.patches):
                bar.set_width(now[name])
                bar.set_color(ACTIVE if now[name] >= 0 else OKABE_ITO[5])
            self.chance.set_text(f"Week {int(weeks[-1])}: {100 * now['chance_to_share']:.0f} % chance to share")
        self.title.set_text(title)
        return self


def comparison(result, style: Style = NORMAL) -> Figure:
    """Mean sharing of each scenario over its replications, with the 95 % confidence band."""
    fig = style.figure()
    ax = fig.add_subplot()
    colours = [ACTIVE, OKABE_ITO[5], OKABE_ITO[2], OKABE_ITO[6]]
    week = result.weeks
    for number, item in enumerate(result.items):
        colour = colours[number % 4]
        ax.fill_between(week, 100 * item.low, 100 * item.high, color=colour, alpha=0.2, lw=0)
        ax.plot(
            week,
            100 * item.mean,
            color=colour,
            ls=DASHES[number % 4],
            lw=style.line,
            label=f"{item.label} (mean, 95 % band)",
        )
    ax.set_xlim(0, week[-1])
    ax.set_ylim(0, percent_ceiling(max(100 * item.high.max() for item in result.items)))
    for number, chosen in enumerate(result.chosen_weeks):
        ax.axvline(chosen, color="#444444", lw=1, ls=":")
        ax.text(
            chosen,
            0.99 - 0.06 * (number % 2),
            f" week {chosen}",
            transform=ax.get_xaxis_transform(),
            va="top",
            ha="left",
            fontsize=style.font * 0.8,
            color="#444444",
        )
    _axes_style(ax, style, "Week", "Employees sharing this week (%)")
    ax.legend(loc="lower right", fontsize=style.font * 0.8, frameon=True, framealpha=0.9)
    ax.set_title(
        f"Sharing, mean over {result.runs_over} each ({result.uncertainty}; "
        f"{result.employees:,} employees, seeds {result.seeds[0]}–{result.seeds[-1]})",
        loc="left",
        fontsize=style.font * 1.05,
    )
    return fig
