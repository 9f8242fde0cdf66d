"""Alt text for every chart: what the chart is and what it shows this week, in a sentence or two.

A screen reader user gets the figures a sighted user reads off the chart, not only its description; the
text changes with the week, as the picture does. Names come from ``labels`` and the chart module, so the
words match the legends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.dashboard import charts, labels
from sim.dashboard.explain import NEGLIGIBLE, listed, points

if TYPE_CHECKING:
    from sim.dashboard.compare import Result
    from sim.dashboard.session import History, Run
    from sim.organisation import Structure


def _last(history: History, column: str, scale: float = 1.0) -> float:
    return scale * float(np.asarray(history[column], dtype=float)[-1])


def _percent(value: float) -> str:
    return f"{value:.0f} %" if np.isfinite(value) else "not yet known"


def sharing(run: Run) -> str:
    """The sharing chart: this week's share of employees sharing, its 4-week average, and the baseline's."""
    history, base = run.history, run.baseline_history
    rate = 100 * charts.series(history, "sharing_rate")
    text = (
        f"Line chart of the share of employees sharing each week, week {run.week} of {run.weeks}: "
        f"{rate[-1]:.0f} % this week, {charts.smooth(rate)[-1]:.0f} % on a 4-week average"
    )
    if base is not None:
        baseline = charts.smooth(100 * charts.series(base, "sharing_rate"))[-1]
        text += f"; the same organisation and seed with no intervention: {baseline:.0f} % on a 4-week average"
    return text + "."


def network(run: Run) -> str:
    """The network picture (``network.alt_text``), read while the run is not stepping."""
    from sim.dashboard.network import alt_text

    with run.lock:
        return alt_text(run.model)


def experiences(
    history: History, quantity: str, group_by: str, departments: int = 0, org: Structure | None = None
) -> str:
    """The experiences chart: each experience's mean this week, and ``quantity`` by level or department
    (``departments`` of them, named from ``org``, as the chart is drawn)."""
    week = int(_last(history, "week"))
    means = ", ".join(
        f"{labels.lower(charts.QUANTITY_LABELS[column])} {_last(history, column):.2f}"
        for column in labels.EXPERIENCE_COLUMNS
    )
    scale = 100.0 if quantity == "sharing_rate" else 1.0
    name = labels.lower(charts.QUANTITY_LABELS[quantity])
    groups = ", ".join(
        f"{label} {_percent(value) if scale == 100 else f'{value:.2f}'}"
        for suffix, label in charts.group_names(group_by, departments, org)
        for value in [_last(history, f"{quantity}[{suffix}]", scale)]
    )
    return (
        f"Line charts of the four experiences, satisfaction and psychological safety, mean over employees on a "
        f"0 to 1 scale, week {week}: {means}. Beside it, {name} by {group_by}: {groups}."
    )


def _average(history: History, column: str) -> str:
    """The last 4-week average of a share, of the weeks it is known, in % as the seeking charts draw it."""
    return _percent(100 * float(charts.smooth_known(np.asarray(history[column], dtype=float))[-1]))


def asking(run: Run) -> str:
    """Demonstration mode's asking chart: this week's 4-week averages of asking (and of the pilot department's,
    where leaders ask in public in one department only) and of requests answered."""
    pilot = charts.asking_pilot(run.scenario)
    column = f"asking_rate[{pilot}]"
    there = (
        f" ({_average(run.history, column)} in {pilot.replace('dept ', 'department ')}, where leaders ask in public)"
        if pilot is not None and column in run.history
        else ""
    )
    return (
        f"Line charts of asking for help, 4-week averages, week {run.week} of {run.weeks}: "
        f"employees who asked a colleague {_average(run.history, 'asking_rate')}{there}; beside it, requests "
        f"answered {_average(run.history, 'answer_rate')}."
    )


def seeking(history: History, group_by: str, departments: int = 0, org: Structure | None = None) -> str:
    """The seeking chart: asking, answers and needs given up, and asking by level or department, each a 4-week
    average as drawn."""
    week = int(_last(history, "week"))

    def average(column: str) -> str:
        return _average(history, column)

    overall = (
        f"{average('asking_rate')} of employees asked a colleague, {average('answer_rate')} of requests were "
        f"answered and {average('unanswered_share')} of the needs closed were given up unanswered"
    )
    groups = ", ".join(
        f"{label} {average(f'asking_rate[{suffix}]')}"
        for suffix, label in charts.group_names(group_by, departments, org)
    )
    return (
        f"Line charts of people asking colleagues for help, 4-week averages, week {week}: {overall}. "
        f"Beside it, employees asking by {group_by}: {groups}."
    )


def spread(history: History) -> str:
    """The spread chart: participation inequality, knowledge inequality, knowledge held, flows across lines."""
    week = int(_last(history, "week"))
    return (
        f"Line charts of inequality and spread, week {week}: the most active 10 % of employees do "
        f"{_percent(_last(history, 'top10_share', 100))} of all sharing and the most active 1 % "
        f"{_percent(_last(history, 'top1_share', 100))}; knowledge Gini {_last(history, 'knowledge_gini'):.2f} "
        f"(0 = equal); mean knowledge {_last(history, 'knowledge_mean'):.2f} model units per employee; "
        f"{_percent(_last(history, 'cross_team_flows', 100))} of knowledge flows cross team lines and "
        f"{_percent(_last(history, 'cross_department_flows', 100))} department lines."
    )


def drivers(run: Run, employee: int) -> str:
    """The drivers chart: the employee's chance to share this week and every driver's effect on it."""
    drivers_now = run.describe(employee)["drivers"]
    if drivers_now is None:
        return f"No drivers for employee {employee}: in this scenario nobody decides whether to share."
    effects = sorted(points(drivers_now).items(), key=lambda item: -abs(item[1]))
    named = [(labels.DRIVER_LABELS[name], value) for name, value in effects]
    sides = [
        listed([effect for effect in named if effect[1] >= NEGLIGIBLE]),
        listed([effect for effect in named if effect[1] <= -NEGLIGIBLE]),
    ]
    said = "; ".join(side for side in sides if side) or "no driver moves it by half a point or more"
    return (
        f"Bar chart of what raises or lowers employee {employee}'s chance to share in week {run.week} "
        f"({100 * drivers_now['chance_to_share']:.0f} %), in percentage points: {said}."
    )


def comparison(result: Result) -> str:
    """The comparison chart: each scenario's mean sharing and 95 % band at the last week, and the sentences."""
    week = int(result.weeks[-1])
    each = "; ".join(
        f"{item.label} {100 * item.mean[-1]:.0f} % ({100 * item.low[-1]:.0f} to {100 * item.high[-1]:.0f} %)"
        for item in result.items
    )
    return (
        f"Line chart of each scenario's mean share of employees sharing, with its 95 % band {result.basis}; "
        f"at week {week}: {each}. " + " ".join(result.sentences)
    ).strip()
