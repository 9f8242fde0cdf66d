"""One browser session's dashboard: what was chosen, the run being watched, and every action on them.

The page's components read the reactive values here and call the methods;
they hold no logic of their own, so everything a user can do is also a
method a test can call. One ``Dashboard`` exists per browser session (the
page creates it with ``use_memo``), so two trainers on one server never see
each other's runs.

Changing any setting replaces the scenario (validated; a bad value changes
nothing and shows why) and restarts the run at week 0, with its baseline.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import solara

from sim.dashboard import charts, choices, export
from sim.dashboard.live import ChartCache, LiveFigure
from sim.dashboard.narratives import narrative
from sim.dashboard.network import NetworkChart, layout_for
from sim.dashboard.session import Run
from sim.metrics import MAX_DEPARTMENT_COLUMNS
from sim.scenario import Scenario
from sim.scenario_files import ScenarioError, preset_names

DEFAULT_PRESET = "recognition_programme"
VIEWS = {
    "live": "Live",
    "experiences": "Experiences",
    "spread": "Inequality & spread",
    "compare": "Compare",
    "export": "Export",
}
DEMO_CHARTS = {"sharing": "Sharing", "network": "Who shares", "experiences": "Experiences", "spread": "Spread"}
#: Fastest play speed offered, in weeks per second.
MAX_SPEED = 20
#: Views whose pictures change every week (and report when they are on screen).
LIVE_VIEWS = ("live", "experiences", "spread")
_FRAMES = 1_000_000  # frame number = run serial * _FRAMES + week


class Dashboard:
    """Everything one session has chosen and is watching."""

    def __init__(self, preset: str = DEFAULT_PRESET):
        scenario = choices.preset(preset)
        self.scenario = solara.reactive(scenario)
        self.preset = solara.reactive(preset)  # the preset the settings came from; "" for an upload
        self.source = solara.reactive("preset")
        self.edited = solara.reactive(False)
        self.error = solara.reactive("")
        self.notice = solara.reactive("")  # a short confirmation, e.g. after an upload
        self.week = solara.reactive(0)
        self.serial = solara.reactive(0)  # which run: charts are rebuilt when it changes
        self.playing = solara.reactive(False)
        self.speed = solara.reactive(8.0)
        self.selected = solara.reactive(None)
        self.view = solara.reactive("live")
        self.demo = solara.reactive(False)
        self.demo_chart = solara.reactive("sharing")
        self.group_by = solara.reactive("level")
        self.quantity = solara.reactive("satisfaction")
        self.compare_result = solara.reactive(None)
        self.charts = ChartCache()
        self.run = Run(scenario, scenario.seed)
        self.last_update_ms = 0.0
        self._shown = threading.Condition()
        self._shown_frame = -1
        self._browser = False  # a browser has reported a frame: from then on, play waits for it
        self.render_context = None  # the page's, once shown: changes made together redraw once

    def batch(self):
        """Changes made inside are drawn in one pass of the page, not one pass per changed value.

        Solara redraws each component subscribed to a value as soon as it changes; a
        week changes several values that several components read, and each pass walks
        the whole page. Event handlers are batched by Solara already; the play thread is not.
        """
        return self.render_context if self.render_context is not None else contextlib.nullcontext()

    # ------------------------------------------------------------- choosing
    def load_preset(self, name: str) -> None:
        if name not in preset_names():
            self.error.value = f"no preset named '{name}'"
            return
        self._replace(choices.preset(name), source="preset", preset=name, edited=False)

    def load_upload(self, name: str, content: bytes | str) -> bool:
        """Load an uploaded scenario file; on any problem show the CLI's message and change nothing."""
        try:
            scenario = choices.from_upload(name, content)
        except ScenarioError as error:
            self.error.value = str(error)
            self.notice.value = ""
            return False
        self._replace(scenario, source=f"file '{name}'", preset="", edited=False)
        self.notice.value = f"Loaded {name}: {scenario.name}."
        return True

    def apply(self, **overrides: Any) -> bool:
        """Change settings by bare parameter name (``employees=800``, ``psychological_safety=0.3``, ``seed=7``)."""
        return self._try(lambda: choices.edit(self.scenario.value, **overrides))

    def set_intervention(self, type_name: str, on: bool | None = None, **fields: Any) -> bool:
        return self._try(lambda: choices.set_intervention(self.scenario.value, type_name, on, **fields))

    def _try(self, change) -> bool:
        try:
            scenario = change()
        except ScenarioError as error:
            self.error.value = str(error)
            return False
        self._replace(scenario, edited=True)
        return True

    def _replace(
        self, scenario: Scenario, source: str | None = None, preset: str | None = None, edited: bool = True
    ) -> None:
        self.error.value = ""
        self.notice.value = ""
        if source is not None:
            self.source.value = source
        if preset is not None:
            self.preset.value = preset
        self.edited.value = edited
        self.scenario.value = scenario
        self.reset()

    # -------------------------------------------------------------- running
    def reset(self) -> None:
        """Back to week 0 with the current settings (a new run and baseline)."""
        self.playing.value = False
        scenario = self.scenario.value
        self.run = Run(scenario, scenario.seed)
        selected = self.selected.value
        if selected is not None and selected >= self.run.model.org.n:
            self.selected.value = None
        self.week.value = 0
        self.serial.value += 1

    def step(self, only: Run | None = None) -> bool:
        """One week; False at the end of the scenario (and play stops), or if the run is no longer ``only``."""
        if only is not None and self.run is not only:
            return False
        started = time.perf_counter()
        with self.batch():
            stepped = self.run.step()
            if not stepped:
                self.playing.value = False
                return False
            self.week.value = self.run.week
            if self.run.done:
                self.playing.value = False
        self.last_update_ms = 1000 * (time.perf_counter() - started)
        return True

    # ------------------------------------------------- keeping pace with the screen
    def frame(self) -> int:
        """This week's frame number, for pictures to report back when they are on screen."""
        return self.run.serial * _FRAMES + self.run.week

    def drawn(self, frame: int) -> None:
        """A picture of ``frame`` is on screen (called from the browser)."""
        with self._shown:
            self._browser = True
            self._shown_frame = max(self._shown_frame, int(frame))
            self._shown.notify_all()

    def wait_until_shown(self, week: int, timeout: float = 2.0) -> bool:
        """Wait (at most ``timeout`` s) until the browser shows ``week``, so that play never runs ahead of the
        screen: a Pause then stops where the audience is. No wait without a browser or a live picture."""
        if not self._browser or not (self.demo.value or self.view.value in LIVE_VIEWS):
            return True
        target = self.run.serial * _FRAMES + week
        with self._shown:
            return self._shown.wait_for(lambda: self._shown_frame >= target, timeout)

    def toggle_play(self) -> None:
        if self.run.done:
            self.reset()
        self.playing.value = not self.playing.value

    def select(self, employee: int | None) -> None:
        if employee is not None and not 0 <= employee < self.run.model.org.n:
            last = self.run.model.org.n - 1
            self.error.value = f"there is no employee {employee}: employees are numbered 0 to {last}"
            return
        self.error.value = ""
        if employee is not None:
            self.run.watch(employee)
        self.selected.value = employee

    def pick(self, fx: float, fy: float) -> None:
        """A click on the network picture at figure fractions (from the left, from the top)."""
        chart = self._network()
        with self.run.lock:
            employee = chart.pick(self.run.model.org, fx, fy)
        if employee is not None:
            self.select(employee)

    # ------------------------------------------------------------ pictures
    def style(self) -> charts.Style:
        return charts.DEMO if self.demo.value else charts.NORMAL

    def sharing_frame(self) -> bytes:
        run, style = self.run, self.style()
        with run.lock:
            ceiling = charts.SharingChart.ceiling(run.history, run.baseline_history)
            chart = self.charts.get(
                f"sharing{style.font}",
                (run.serial, style, ceiling),
                lambda: charts.SharingChart(
                    run.scenario, style, baseline=run.baseline is not None, ceiling=ceiling, seed=run.seed
                ),
            )
            return chart.update(run.history, run.baseline_history).frame()

    def _network(self, style: charts.Style | None = None) -> NetworkChart:
        run, style = self.run, style or self.style()
        layout = layout_for(run.model)
        height = style.height * (1.05 if style.annotate else 1.0)
        return self.charts.get(
            f"network{style.font}",
            (run.serial, layout.serial, style),
            lambda: NetworkChart(run.model, layout, width=style.width, height=height, font=style.font),
        )

    def network_frame(self) -> bytes:
        with self.run.lock:
            return self._network().update(self.run.model, self.selected.value).frame()

    def grouping(self) -> tuple[str, int]:
        """By level or department, and how many departments have columns (none above the metrics' limit)."""
        departments = self.run.scenario.organisation.departments
        departments = departments if departments <= MAX_DEPARTMENT_COLUMNS else 0
        group_by = self.group_by.value if departments else "level"
        return group_by, departments if group_by == "department" else 0

    def _experiences(self, style: charts.Style) -> charts.ExperiencesChart:
        group_by, departments = self.grouping()
        return charts.ExperiencesChart(self.run.scenario, group_by, self.quantity.value, departments, style)

    def experiences_frame(self) -> bytes:
        run, style = self.run, self.style().wide()
        key = (run.serial, style, self.grouping(), self.quantity.value)
        with run.lock:
            chart = self.charts.get(f"experiences{style.font}", key, lambda: self._experiences(style))
            return chart.update(run.history).frame()

    def spread_frame(self) -> bytes:
        run, style = self.run, self.style().wide()
        with run.lock:
            ceiling = charts.SpreadChart.knowledge_ceiling(run.history)
            chart = self.charts.get(
                f"spread{style.font}",
                (run.serial, style, ceiling),
                lambda: charts.SpreadChart(run.scenario, ceiling, style),
            )
            return chart.update(run.history).frame()

    def drivers_frame(self, employee: int) -> bytes:
        run = self.run
        with run.lock:
            weeks, rows = run.drivers_history(employee)
            limit = charts.DriversChart.limit(rows)
            chart = self.charts.get(
                "drivers",
                (run.serial, employee, limit),
                lambda: charts.DriversChart(run.scenario, list(rows[-1]), limit),
            )
            info = run.describe(employee)
            title = f"Employee {employee} ({info['level']}, department {info['department']}, team {info['team']})"
            return chart.update(weeks, rows, title).frame()

    # -------------------------------------------------------------- exports
    def export_scenario(self) -> str:
        """The settings being run, as a scenario file ``kshare run`` reproduces exactly."""
        origin = f"preset '{self.preset.value}'" if self.preset.value else self.source.value
        return export.scenario_toml(self.run.scenario, origin + (", edited" if self.edited.value else ""))

    def export_csv(self) -> str:
        return export.timeseries_csv(self.run.frame())

    def export_baseline_csv(self) -> str:
        return export.timeseries_csv(self.run.frame(baseline=True))

    def export_png(self, which: str, dpi: int = 150) -> bytes:
        """A chart drawn afresh at print resolution (the cached live one may be mid-frame on another thread)."""
        run, style = self.run, self.style()
        with run.lock:
            if which == "sharing":
                chart = charts.SharingChart(
                    run.scenario,
                    style,
                    baseline=run.baseline is not None,
                    seed=run.seed,
                    ceiling=charts.SharingChart.ceiling(run.history, run.baseline_history),
                )
                chart.update(run.history, run.baseline_history)
            elif which == "network":
                chart = NetworkChart(
                    run.model, layout_for(run.model), width=style.width, height=style.height, font=style.font
                ).update(run.model, self.selected.value)
            elif which == "experiences":
                chart = self._experiences(style.wide()).update(run.history)
            elif which == "spread":
                chart = charts.SpreadChart(
                    run.scenario, charts.SpreadChart.knowledge_ceiling(run.history), style.wide()
                ).update(run.history)
            elif which == "compare" and self.compare_result.value is not None:
                return LiveFigure(charts.comparison(self.compare_result.value, style.wide()), []).full(dpi)
            else:
                raise ValueError(f"no chart '{which}'")
            return chart.live.full(dpi)

    def file_stem(self) -> str:
        return f"{export.file_stem(self.run.scenario)}_seed{self.run.seed}_week{self.run.week}"

    # ---------------------------------------------------------------- words
    def story(self) -> str:
        return narrative(self.preset.value, self.scenario.value)
