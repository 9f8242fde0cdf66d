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
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import solara

from sim.dashboard import charts, choices, export, messages
from sim.dashboard.compare_form import ComparisonForm
from sim.dashboard.live import SCREEN_DPI
from sim.dashboard.narratives import narrative
from sim.dashboard.network import NetworkChart
from sim.dashboard.pictures import Pictures, Shown, comparison_png, downloads
from sim.dashboard.session import Run
from sim.metrics import MAX_DEPARTMENT_COLUMNS
from sim.orgdata import uploads
from sim.scenario import Scenario
from sim.scenario_files import Problem, ScenarioError, preset_names

if TYPE_CHECKING:
    from reacton.core import _RenderContext

    from sim.dashboard.compare import Result

DEFAULT_PRESET = "recognition_programme"
VIEWS = {
    "live": "Live",
    "experiences": "Experiences",
    "spread": "Inequality & spread",
    "compare": "Compare",
    "export": "Export",
}
DEMO_CHARTS = {"sharing": "Sharing", "network": "Who shares", "experiences": "Experiences", "spread": "Spread"}
#: A run with seeking (``behaviour.seeking``) has one more: asking and answers.
SEEKING_DEMO_CHART = {"asking": "Asking"}
#: Fastest play speed offered, in weeks per second.
MAX_SPEED = 20
#: Views whose pictures change every week (and report when they are on screen).
LIVE_VIEWS = ("live", "experiences", "spread")
#: Charts are drawn between these widths in CSS pixels, whatever box the browser reports.
MIN_CHART_PX, MAX_CHART_PX = 320, 2400
_FRAMES = 1_000_000  # frame number = run serial * _FRAMES + week


def demo_charts(run: Run) -> dict[str, str]:
    """The charts demonstration mode offers for ``run``, with their labels."""
    return DEMO_CHARTS | (SEEKING_DEMO_CHART if run.seeking is not None else {})


class Dashboard:
    """Everything one session has chosen and is watching."""

    def __init__(self, preset: str = DEFAULT_PRESET):
        scenario = choices.preset(preset)
        self.scenario = solara.reactive(scenario)
        self.preset = solara.reactive(preset)  # the preset the settings came from; "" for an upload
        self.source = solara.reactive("preset")
        self.edited = solara.reactive(False)
        self.error = solara.reactive("")
        #: Which part of the page the error concerns ("scenario", "organisation", "culture", "interventions"),
        #: so that it is shown beside the field that was refused.
        self.error_at = solara.reactive("scenario")
        #: Counts refused changes: a field redraws with the value in force, not the one that was refused.
        self.refusals = solara.reactive(0)
        self.notice = solara.reactive("")  # a short confirmation, e.g. after an upload
        #: Files uploaded in this session, by file name: the pseudo-paths of their bytes in memory.
        self.uploaded: dict[str, str] = {}
        #: An uploaded scenario waiting for the CSV files it names: (file name, contents).
        self.pending: solara.Reactive[tuple[str, bytes | str] | None] = solara.reactive(None)
        #: The scale of a team survey's answers, for the next survey uploaded without a scenario.
        self.survey_scale = solara.reactive("1-5")
        self.week = solara.reactive(0)
        self.serial = solara.reactive(0)  # which run: charts are rebuilt when it changes
        self.playing = solara.reactive(False)
        self.speed = solara.reactive(8.0)
        self.selected: solara.Reactive[int | None] = solara.reactive(None)
        self.view = solara.reactive("live")
        self.demo = solara.reactive(False)
        self.demo_chart = solara.reactive("sharing")
        self.group_by = solara.reactive("level")
        self.quantity = solara.reactive("satisfaction")
        self.compare_result: solara.Reactive[Result | None] = solara.reactive(None)
        #: Each chart's box on the page as the browser last reported it: (width, height, pixel density); a
        #: height of 0 means the chart's own proportions decide it. Charts are drawn at that size.
        self.sizes: solara.Reactive[dict[str, tuple[int, int, float]]] = solara.reactive({})
        self.comparison = ComparisonForm(self.scenario, self.compare_result, self.batch)  # outlives the Compare tab
        self.pictures = Pictures()
        self.run = Run(scenario, scenario.seed)
        self.last_update_ms = 0.0
        self._shown = threading.Condition()
        self._shown_frame = -1
        self._browser = False  # a browser has reported a frame: from then on, play waits for it
        self.render_context: _RenderContext | None = None  # the page's, once shown: changes made together redraw once

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
            self.error_at.value = "scenario"
            return
        self._replace(choices.preset(name), source="preset", preset=name, edited=False)

    def load_upload(self, name: str, content: bytes | str) -> bool:
        """Load an uploaded scenario file; on any problem show the CLI's message and change nothing."""
        return self.load_files([(name, content)])

    def load_files(self, files: Sequence[tuple[str, bytes | str]]) -> bool:
        """Load files uploaded together: a scenario file, an organisation's CSV files, or both.

        A scenario is validated as ``kshare run`` validates it; the CSV files it names are found by file name
        among the files uploaded with it or earlier in this session. CSV files without a scenario are told apart
        by their headers (``choices.csv_role``) and run with the current settings. The files are held in memory
        (``sim.orgdata.uploads``), never written to disk. On any problem nothing changes and the page says why,
        naming each file, row and column; a scenario that only lacks its CSV files is kept until they come.
        """
        scenarios = [(name, content) for name, content in files if name.lower().endswith(".toml")]
        tables = [(name, content) for name, content in files if not name.lower().endswith(".toml")]
        if len(scenarios) > 1:
            return self.refuse_upload(f"{len(scenarios)} scenario files were chosen: choose one at a time.")
        wanted = self.waiting_for()  # by a scenario uploaded earlier
        try:
            for name, content in tables:
                raw = content.encode("utf-8") if isinstance(content, str) else content
                self.uploaded[uploads.clean_name(name)] = uploads.put(name, raw)
        except uploads.UploadTooLarge as error:
            return self.refuse_upload(str(error))
        named = [uploads.clean_name(name) for name, _ in tables]
        if scenarios:
            return self._load_scenario_file(*scenarios[0], named)
        pending = self.pending.value
        if pending is not None and set(named) & set(wanted):
            return self._load_scenario_file(*pending, named)
        return self._load_tables(named)

    def _load_scenario_file(self, name: str, content: bytes | str, tables: list[str]) -> bool:
        try:
            scenario = choices.from_upload(name, content, self.uploaded)
        except ScenarioError as error:
            waiting = isinstance(error, choices.MissingFiles)
            self.refuse_upload(messages.for_upload(error))
            self.pending.value = (name, content) if waiting else None
            return False
        unused = [table for table in tables if table not in choices.named_files(scenario.model_dump()).values()]
        self.pending.value = None
        self._replace(scenario, source=f"file '{name}'", preset="", edited=False)
        self.notice.value = f"Loaded {name}: {scenario.name}." + (
            f" Not used, as the scenario does not name it: {', '.join(unused)}." if unused else ""
        )
        return True

    def _load_tables(self, names: list[str]) -> bool:
        """CSV files uploaded without a scenario, each taken for what its header says it is."""
        roles: dict[str, str] = {}
        problems = []
        for name in names:
            role = choices.csv_role(uploads.get(self.uploaded[name]) or b"")
            if role is None and len(names) == 1:
                role = "chart"  # read as a chart, so that its header is explained column by column
            if role is None:
                problems.append(f"{name}: not a file kshare reads; {choices.CSV_KINDS}")
            elif role in roles:
                problems.append(f"{roles[role]} and {name} are both a {choices.FILE_ROLES[role]}: upload one")
            else:
                roles[role] = name
        if problems:
            return self.refuse_upload(str(ScenarioError(choices.NOT_LOADED, [Problem("", p) for p in problems])))
        try:
            files = {role: self.uploaded[name] for role, name in roles.items()}
            scenario = choices.with_files(self.scenario.value, files, self.survey_scale.value)
        except ScenarioError as error:
            return self.refuse_upload(messages.for_upload(error))
        self.pending.value = None  # the files replace a scenario that was waiting for its own
        shown = messages.in_words(list(names))
        settings = f"preset {self.preset.value}" if self.preset.value else self.source.value.split(", on ")[0]
        self._replace(scenario, source=f"{settings}, on {shown}", preset="", edited=False)
        self.notice.value = f"Loaded {shown}: {self.organisation_line()}."
        return True

    def waiting_for(self) -> list[str]:
        """The files the scenario waiting for its files names and that have not come yet (none if none waits)."""
        pending = self.pending.value
        if pending is None:
            return []
        named = choices.named_files(choices.parse_toml(pending[1], pending[0])).values()
        return [name for name in named if name not in self.uploaded]

    def refuse_upload(self, message: str) -> bool:
        """Say why an upload was refused; nothing changes, and no scenario waits for files any more."""
        self.refuse("scenario", message)
        self.notice.value = ""
        self.pending.value = None
        return False

    def organisation_line(self) -> str:
        """Where the organisation comes from, for a scenario run on a chart: "1,218 people in 9 departments, from
        org.csv, with ties.csv and survey.csv"; empty for a generated organisation."""
        scenario = self.scenario.value
        if scenario.organisation.chart is None:
            return ""
        org = scenario.organisation
        named = choices.named_files(scenario.model_dump())
        chart = named.pop("chart")
        others = f", with {' and '.join(named.values())}" if named else ""
        return f"{org.employees:,} people in {org.departments:,} departments, from {chart}{others}"

    def use_generated(self) -> bool:
        """Leave the uploaded files: a generated organisation of the same size, with the same settings."""
        return self._try(lambda: choices.without_files(self.scenario.value), "organisation")

    def set_survey_scale(self, scale: str) -> bool:
        """The scale of the survey's answers: for the survey in force, if any, and for the next one uploaded."""
        culture = self.scenario.value.culture
        if culture.survey is None or culture.survey_scale == scale:
            self.survey_scale.value = scale
            return True
        if not self._try(lambda: choices.edit(self.scenario.value, survey_scale=scale), "scenario"):
            return False
        self.survey_scale.value = scale
        return True

    def restore(self, scenario: Scenario, preset: str = "") -> None:
        """Settings from a link (``sim.dashboard.link``): edited from ``preset``, or from a file if none."""
        self._replace(scenario, source="preset" if preset else "a link", preset=preset, edited=bool(preset))

    def apply(self, **overrides: Any) -> bool:
        """Change settings by bare parameter name (``employees=800``, ``psychological_safety=0.3``, ``seed=7``)."""
        part = "culture" if set(overrides) & {*choices.CULTURE_KEYS, *choices.BEHAVIOUR_KEYS} else "organisation"
        return self._try(lambda: choices.edit(self.scenario.value, **overrides), part)

    def set_intervention(self, type_name: str, on: bool | None = None, **fields: Any) -> bool:
        change = lambda: choices.set_intervention(self.scenario.value, type_name, on, **fields)  # noqa: E731
        return self._try(change, "interventions", type_name)

    def _try(self, change, part: str, intervention: str = "") -> bool:
        try:
            scenario = change()
        except ScenarioError as error:
            self.refuse(part, messages.for_settings(error, intervention))
            return False
        self._replace(scenario, edited=True)
        return True

    def refuse(self, part: str, message: str) -> None:
        """Say why a change in ``part`` of the page was refused; the settings stay as they were."""
        with self.batch():
            self.error.value = message
            self.error_at.value = part
            self.refusals.value += 1

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
        if self.demo_chart.value not in demo_charts(self.run):  # the asking chart, and seeking switched off
            self.demo_chart.value = "sharing"
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

    def select(self, employee: int | None) -> bool:
        """Show one employee's drivers and story (None: nobody); False if there is no such employee."""
        if employee is not None and not 0 <= employee < self.run.model.org.n:
            last = self.run.model.org.n - 1
            self.refuse("employee", f"There is no employee {employee}: employees are numbered 0 to {last:,}.")
            return False
        self.error.value = ""
        if employee is not None:
            self.run.watch(employee)
        self.selected.value = employee
        return True

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

    def grouping(self) -> tuple[str, int]:
        """By level or department, and how many departments have columns (none above the metrics' limit)."""
        departments = self.run.scenario.organisation.departments
        departments = departments if departments <= MAX_DEPARTMENT_COLUMNS else 0
        group_by = self.group_by.value if departments else "level"
        return group_by, departments if group_by == "department" else 0

    def resized(self, which: str, size: dict) -> None:
        """The browser reports the box a chart is shown in; charts are then drawn at that size.

        Widths and heights are kept to 10 px steps so that a window being dragged wider rebuilds
        a chart a few times, not at every pixel; the picture may be up to 9 px narrower than its box.
        """
        # Down to the step, never up: a picture wider than its box would be shrunk, and blur.
        width = int(min(MAX_CHART_PX, max(MIN_CHART_PX, float(size.get("width", 0)) // 10 * 10)))
        height = int(min(MAX_CHART_PX, float(size.get("height", 0) or 0) // 10 * 10))
        height = max(MIN_CHART_PX // 2, height) if height else 0
        dpr = min(2.0, max(1.0, round(float(size.get("dpr", 1) or 1), 2)))
        if self.sizes.value.get(which) != (width, height, dpr):
            self.sizes.value = {**self.sizes.value, which: (width, height, dpr)}

    def style_for(self, which: str) -> tuple[charts.Style, float]:
        """The style of chart ``which`` at the size its box was reported at, and the pixel density to draw at."""
        base = self.style()
        reported = self.sizes.value.get(which)
        if reported is None:
            return (base if which in ("sharing", "network", "drivers") else base.wide()), 1.0
        width, height, dpr = reported
        if which not in ("sharing", "network", "drivers"):
            base = base.wide()
        inches = width / SCREEN_DPI
        tall = height / SCREEN_DPI if height else inches * base.height / base.width
        return replace(base, width=inches, height=tall), dpr

    def shown_width(self, which: str) -> int:
        """The width in CSS pixels chart ``which`` is drawn for."""
        style, _ = self.style_for(which)
        return round(style.width * SCREEN_DPI)

    def _chosen(self, selected: int | None = None, which: str = "", sized: bool = True) -> Shown:
        """What the charts show besides the run; ``selected`` in place of the employee selected.

        ``sized``: at the size the page shows chart ``which``; otherwise at its standard size (downloads).
        """
        employee = self.selected.value if selected is None else selected
        style, dpr = self.style_for(which) if sized and which else (self.style(), 1.0)
        return Shown(style, employee, self.grouping(), self.quantity.value, dpr, sized and bool(which))

    def _frame(self, which: str, selected: int | None = None) -> bytes:
        """This week of the live chart ``which``, as a frame for the page (see ``pictures``)."""
        with self.run.lock:
            return self.pictures.chart(which, self.run, self._chosen(selected, which)).frame()

    def _network(self) -> NetworkChart:
        shown = self._chosen(which="network")
        return self.pictures.network(self.run, shown.style, dpr=shown.dpr, sized=shown.sized)

    def hover(self, which: str) -> dict | None:
        """What pointing at chart ``which`` shows (its weeks and values), while the run is paused; None while it
        plays, when the values would be stale by the next frame and only add to every week's message."""
        if self.playing.value:
            return None
        with self.run.lock:
            chart = self.pictures.chart(which, self.run, self._chosen(which=which))
            values = getattr(chart, "hover", None)
            return values() if values is not None else None

    def sharing_frame(self) -> bytes:
        return self._frame("sharing")

    def network_frame(self) -> bytes:
        return self._frame("network")

    def experiences_frame(self) -> bytes:
        return self._frame("experiences")

    def seeking_frame(self) -> bytes:
        return self._frame("seeking")

    def asking_frame(self) -> bytes:
        return self._frame("asking")

    def spread_frame(self) -> bytes:
        return self._frame("spread")

    def drivers_frame(self, employee: int) -> bytes:
        return self._frame("drivers", employee)

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
        """A chart drawn afresh as a PNG at ``dpi`` (the kept live one may be mid-frame on another thread):
        a run's chart, or the comparison of scenarios once there is one."""
        with self.run.lock:
            if which == "compare" and self.compare_result.value is not None:
                return comparison_png(self.compare_result.value, self.style(), dpi)
            if which not in downloads(self.run):
                raise ValueError(f"no chart '{which}'")
            return self.pictures.chart(which, self.run, self._chosen(sized=False), fresh=True).png(dpi)

    def file_stem(self) -> str:
        return f"{export.file_stem(self.run.scenario)}_seed{self.run.seed}_week{self.run.week}"

    def compare_file_stem(self) -> str:
        return self.comparison.file_stem()

    # ---------------------------------------------------------------- words
    def story(self) -> str:
        return narrative(self.preset.value, self.scenario.value)
