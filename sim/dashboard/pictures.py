"""Every chart the dashboard shows or saves, made in one place.

The live view and the downloads draw the same charts at the same sizes in the
same style; they differ only in what happens to the chart once it is made. The
live view keeps it (in a ``ChartCache``, rebuilt only when its key changes, e.g.
a y-axis that has to grow) and sends a JPEG frame of each week
(``LiveChart.frame``). A download gets a chart drawn afresh, which nothing else
holds (the kept one may be mid-frame on the play thread), saved as a PNG at print
resolution (``LiveChart.png``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sim.dashboard import charts
from sim.dashboard.live import SCREEN_DPI, ChartCache, LiveChart, png
from sim.dashboard.network import NetworkChart, layout_for, network_size
from sim.dashboard.session import Run

if TYPE_CHECKING:
    from sim.dashboard.compare import Result

#: The charts of a run that can be downloaded, with their labels; the comparison is not a run's (``comparison_png``).
DOWNLOADS = {"sharing": "Sharing", "network": "Network", "experiences": "Experiences", "spread": "Inequality & spread"}
#: A run with seeking (``behaviour.seeking``) has one more.
SEEKING_DOWNLOAD = {"seeking": "Asking for help"}


def downloads(run: Run) -> dict[str, str]:
    """The charts of ``run`` that can be downloaded, with their labels."""
    return DOWNLOADS | (SEEKING_DOWNLOAD if run.seeking is not None else {})


@dataclass(frozen=True)
class Shown:
    """What the user chose that a run's charts depend on."""

    style: charts.Style = charts.NORMAL
    selected: int | None = None  # ringed in the network; the employee of the drivers chart
    grouping: tuple[str, int] = ("level", 0)  # by level or department, and how many departments
    quantity: str = "satisfaction"  # the experience shown by group
    dpr: float = 1.0  # the screen's pixels per CSS pixel: the chart is drawn that much finer
    sized: bool = False  # ``style`` is the size of the chart's box on the page, not the chart's standard size


class Pictures:
    """One session's charts: kept for the live view, or drawn anew for a download."""

    def __init__(self) -> None:
        self.cache = ChartCache()

    def chart(self, which: str, run: Run, shown: Shown, fresh: bool = False) -> LiveChart:
        """The chart ``which`` of ``run``, brought up to its current week: the one kept for the live view, or
        with ``fresh`` a new one. Call with ``run.lock`` held."""
        style = shown.style
        wide = style if shown.sized else style.wide()
        if which == "sharing":
            ceiling = charts.SharingChart.ceiling(run.history, run.baseline_history)
            sharing = self._kept(
                f"sharing{style.font}",
                (run.serial, style, ceiling, shown.dpr),
                lambda: charts.SharingChart(
                    run.scenario, style, baseline=run.baseline is not None, ceiling=ceiling, seed=run.seed
                ),
                fresh,
                shown.dpr,
            )
            return sharing.update(run.history, run.baseline_history)
        if which == "network":
            return self.network(run, style, fresh, shown.dpr, shown.sized).update(run.model, shown.selected)
        if which == "experiences":
            group_by, departments = shown.grouping
            experiences = self._kept(
                f"experiences{wide.font}",
                (run.serial, wide, shown.grouping, shown.quantity, shown.dpr),
                lambda: charts.ExperiencesChart(
                    run.scenario, group_by, shown.quantity, departments, wide, run.model.org
                ),
                fresh,
                shown.dpr,
            )
            return experiences.update(run.history)
        if which == "seeking" and run.seeking is not None:
            group_by, departments = shown.grouping
            org = run.model.org
            ceiling = charts.SeekingChart.ceiling(run.history, group_by, departments, org)
            seeking = self._kept(
                f"seeking{wide.font}",
                (run.serial, wide, shown.grouping, ceiling, shown.dpr),
                lambda: charts.SeekingChart(run.scenario, group_by, departments, ceiling, wide, org),
                fresh,
                shown.dpr,
            )
            return seeking.update(run.history)
        if which == "asking" and run.seeking is not None:  # demonstration mode's, in its style
            ceiling = charts.AskingChart.ceiling(run.history, run.scenario)
            asking = self._kept(
                f"asking{wide.font}",
                (run.serial, wide, ceiling, shown.dpr),
                lambda: charts.AskingChart(run.scenario, wide, ceiling, run.seed),
                fresh,
                shown.dpr,
            )
            return asking.update(run.history)
        if which == "spread":
            ceiling = charts.SpreadChart.knowledge_ceiling(run.history)
            spread = self._kept(
                f"spread{wide.font}",
                (run.serial, wide, ceiling, shown.dpr),
                lambda: charts.SpreadChart(run.scenario, ceiling, wide),
                fresh,
                shown.dpr,
            )
            return spread.update(run.history)
        if which == "drivers" and shown.selected is not None:
            employee = shown.selected
            weeks, rows = run.drivers_history(employee)
            limit = charts.DriversChart.limit(rows)
            drivers = self._kept(  # in the normal style always: demonstration mode does not show it
                "drivers",
                (run.serial, employee, limit, style, shown.dpr),
                lambda: charts.DriversChart(run.scenario, list(rows[-1]), limit, style),
                fresh,
                shown.dpr,
            )
            info = run.describe(employee)
            title = f"Employee {info['id']} ({info['level']}, department {info['department']}, team {info['team']})"
            return drivers.update(weeks, rows, title)
        raise ValueError(f"no chart '{which}'")

    def network(
        self, run: Run, style: charts.Style, fresh: bool = False, dpr: float = 1.0, sized: bool = False
    ) -> NetworkChart:
        """The network chart of ``run`` as last drawn (clicks on it are mapped through it).

        Its standard size and type come from ``network_size``; ``sized``, it takes the width of its box
        (and in demonstration mode, where the box has a height, the height too) and keeps its type.
        """
        width, height, font = network_size(style)
        if sized:
            height = style.height if style.annotate else style.width * height / width
            width = style.width
        size = (width, height, font)
        layout = layout_for(run.model, size)
        return self._kept(
            f"network{style.font}",
            (run.serial, layout.serial, size, dpr),
            lambda: NetworkChart(run.model, layout, *size),
            fresh,
            dpr,
        )

    def _kept(self, slot: str, key: Hashable, build: Callable[[], Any], fresh: bool, dpr: float = 1.0) -> Any:
        """The chart kept in ``slot`` while ``key`` holds (or a fresh one), drawn ``dpr`` times finer than
        its size in CSS pixels, for a screen with that many pixels per CSS pixel."""
        if fresh:
            return build()

        def sharp() -> Any:
            chart = build()
            if dpr != 1.0:
                chart.live.fig.set_dpi(SCREEN_DPI * dpr)
            return chart

        return self.cache.get(slot, key, sharp)


def comparison_png(result: Result, style: charts.Style, dpi: int) -> bytes:
    """The comparison of scenarios as a PNG at ``dpi``, the page's width."""
    return png(charts.comparison(result, style.wide()), dpi)
