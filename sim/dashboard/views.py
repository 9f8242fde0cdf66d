"""What the user watches: the live charts, the network and one employee, comparisons, exports, and demo mode.

Each view reads ``dash.week`` and ``dash.serial`` so that it redraws when the
run moves on or restarts, and only the view on screen is drawn at all: the
tabs are a switch, not hidden panels, which keeps a week's update cheap.
"""

from __future__ import annotations

import threading
from typing import Any

import solara

from sim.dashboard import charts
from sim.dashboard.compare import MAX_SCENARIOS, compare, default_weeks, installed_posterior, parse_weeks
from sim.dashboard.controls import RunControls, human
from sim.dashboard.explain import why
from sim.dashboard.live import data_url
from sim.dashboard.pictures import DOWNLOADS
from sim.dashboard.state import DEMO_CHARTS, Dashboard
from sim.dashboard.widgets import ChartImage, Prose
from sim.scenario_files import load_scenario, preset_names

CURRENT = "current settings"


def follow(*values) -> None:
    """Read reactive values only to redraw when they change (a component re-renders when what it read changes)."""


def _alt_sharing(dash: Dashboard) -> str:
    history, base = dash.run.history, dash.run.baseline_history
    rate = 100 * history["sharing_rate"][-1]
    text = f"Line chart of the share of employees sharing each week, week {dash.run.week}: {rate:.0f} %"
    if base is not None:
        text += f"; the same organisation with no intervention: {100 * base['sharing_rate'][-1]:.0f} %"
    return text + "."


@solara.component
def Downloads(dash: Dashboard, which: str, label: str = "PNG"):
    """Save this chart as a PNG, at print resolution."""
    solara.FileDownload(
        lambda: dash.export_png(which),
        filename=f"{dash.file_stem()}_{which}.png",
        label=label,
        icon_name="mdi-image-outline",
        mime_type="image/png",
    )


def live_image(dash: Dashboard, name: str, picture: bytes, alt: str, **options: Any) -> None:
    """A chart that changes every week, which reports each week back once it is on screen (``Dashboard.drawn``)."""
    ChartImage(src=data_url(picture), name=name, alt=alt, frame=dash.frame(), event_drawn=dash.drawn, **options)


@solara.component
def SharingView(dash: Dashboard):
    follow(dash.week.value, dash.serial.value, dash.demo.value)
    live_image(dash, "sharing", dash.sharing_frame(), _alt_sharing(dash))
    if not dash.run.scenario.interventions:
        solara.Info("This scenario has no intervention: switch one on to see it against this baseline.", dense=True)


@solara.component
def NetworkView(dash: Dashboard):
    follow(dash.week.value, dash.serial.value, dash.selected.value, dash.demo.value)
    n = dash.run.model.org.n
    live_image(
        dash,
        "network",
        dash.network_frame(),
        f"Network of {n:,} employees grouped by team and department, coloured by whether they share.",
        clickable=True,
        hint="Click an employee to see why they share or not",
        event_pick=lambda where: dash.pick(float(where["x"]), float(where["y"])),
    )


@solara.component
def EmployeePanel(dash: Dashboard):
    follow(dash.week.value, dash.serial.value)
    selected = dash.selected.value
    n = dash.run.model.org.n
    with solara.Row(style={"align-items": "center"}):
        solara.InputInt(
            "Employee number",
            value=selected,
            optional=True,
            continuous_update=False,
            on_value=dash.select,
            style={"max-width": "220px"},
        )
        solara.Text(f"0 to {n - 1:,}; or click someone in the network.")
    if selected is None:
        return
    Prose(why(dash.run.describe(selected)), style={"font-size": "1.05em"})
    if not dash.run.has_drivers:
        return
    ChartImage(
        src=data_url(dash.drivers_frame(selected)),
        name="drivers",
        alt=f"Drivers of employee {selected}'s intention to share over time and this week.",
    )


@solara.component
def LiveView(dash: Dashboard):
    with solara.Div(classes=["kshare-grid"]):
        with solara.Column():
            SharingView(dash)
            Downloads(dash, "sharing")
        with solara.Column():
            NetworkView(dash)
            Downloads(dash, "network")
            EmployeePanel(dash)


@solara.component
def ExperiencesView(dash: Dashboard):
    follow(dash.week.value, dash.serial.value)
    departments = dash.run.scenario.organisation.departments
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.ToggleButtonsSingle(value=dash.grouping()[0], values=["level", "department"], on_value=dash.group_by.set)
        solara.Select(
            "Shown by group",
            value=dash.quantity.value,
            values=list(charts.QUANTITY_LABELS),
            on_value=dash.quantity.set,
            style={"max-width": "320px"},
        )
        if departments > 50:
            solara.Text("(by department only up to 50 departments)")
    with solara.Div(classes=["kshare-wide"]):
        live_image(
            dash,
            "experiences",
            dash.experiences_frame(),
            "Line charts of the four experiences, satisfaction and psychological safety over time, "
            f"and {charts.QUANTITY_LABELS[dash.quantity.value]} by {dash.grouping()[0]}.",
        )
    Downloads(dash, "experiences")


@solara.component
def SpreadView(dash: Dashboard):
    follow(dash.week.value, dash.serial.value)
    with solara.Div(classes=["kshare-wide"]):
        live_image(
            dash,
            "spread",
            dash.spread_frame(),
            "Line charts of participation inequality, knowledge inequality, knowledge held, "
            "and knowledge flows across team and department lines.",
        )
    Downloads(dash, "spread")


@solara.component
def CompareView(dash: Dashboard):
    scenario = dash.scenario.value
    picked = solara.use_reactive(["baseline", CURRENT])  # the reference first: differences are against it
    replications = solara.use_reactive(5)
    weeks_text = solara.use_reactive(", ".join(map(str, default_weeks(scenario, scenario.weeks))))
    progress = solara.use_reactive(0.0)
    with_draws = solara.use_reactive(False)
    posterior, no_posterior = solara.use_memo(installed_posterior, dependencies=[])
    nothing_asked: tuple[tuple[str, ...], int, tuple[int, ...], bool] | None = None
    request, set_request = solara.use_state(nothing_asked)

    def work(cancel: threading.Event):
        if request is None:
            return None
        labels, count, chosen, drawn = request
        scenarios = [(label, scenario if label == CURRENT else load_scenario(label)) for label in labels]
        result = compare(
            scenarios,
            replications=count,
            employees=scenario.organisation.employees,
            weeks=scenario.weeks,
            seed=scenario.seed,
            chosen_weeks=list(chosen),
            progress=progress.set,
            cancel=cancel,
            posterior=posterior if drawn else None,
        )
        if result is not None:
            dash.compare_result.value = result
        return result

    running = solara.use_thread(work, dependencies=[request], intrusive_cancel=False)
    Prose(
        f"Runs each scenario several times with seeds {scenario.seed}, {scenario.seed + 1}, … at "
        f"{scenario.organisation.employees:,} employees for {scenario.weeks} weeks, and shows the mean "
        "with its 95 % band. Differences are against the first scenario. With parameter uncertainty, run r also "
        "takes the r-th draw from the calibrated posterior, the same in every scenario."
    )
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.SelectMultiple(
            f"Scenarios (2 to {MAX_SCENARIOS})",
            values=picked.value,
            on_value=picked.set,
            all_values=[CURRENT, *preset_names()],
            style={"min-width": "360px"},
        )
        solara.InputInt("Replications", value=replications, style={"max-width": "140px"})
        solara.InputText("Weeks to compare at", value=weeks_text, style={"max-width": "200px"})
        solara.Switch(
            label="Include parameter uncertainty (posterior draws)",
            value=with_draws.value and posterior is not None,
            on_value=with_draws.set,
            disabled=posterior is None,
        )
    if posterior is None:
        Prose(f"Parameter uncertainty is not available: {no_posterior}", style={"font-size": "0.9em"})
    count_ok = 2 <= len(picked.value) <= MAX_SCENARIOS and 1 <= replications.value <= 100
    busy = running.state == solara.ResultState.RUNNING
    solara.Button(
        "Run comparison",
        icon_name="mdi-chart-line",
        color="primary",
        disabled=not count_ok or busy,
        on_click=lambda: set_request(
            (
                tuple(picked.value),
                replications.value,
                tuple(parse_weeks(weeks_text.value)),
                with_draws.value and posterior is not None,
            )
        ),
    )
    if not count_ok:
        solara.Warning(f"Choose two to {MAX_SCENARIOS} scenarios and 1 to 100 replications.", dense=True)
    if busy:
        solara.ProgressLinear(value=100 * progress.value)
    if running.error:
        solara.Error(str(running.error), style={"white-space": "pre-wrap"})
    result = dash.compare_result.value
    if result is not None:
        for sentence in result.sentences:
            Prose(f"**{sentence}**", style={"font-size": "1.15em"})
        Prose(f"Mean and 95 % band {result.basis}.")
        src = data_url(dash.export_png("compare", dpi=100), "image/png")
        with solara.Div(classes=["kshare-wide"]):
            ChartImage(
                src=src,
                name="compare",
                alt=f"Mean sharing of each scenario with its 95 % band {result.basis}. " + " ".join(result.sentences),
            )
        with solara.Row():
            Downloads(dash, "compare")
            solara.FileDownload(
                lambda: result.table().to_csv(index=False, float_format="%.6g"),
                filename="comparison.csv",
                label="CSV",
                icon_name="mdi-table",
                mime_type="text/csv",
            )


@solara.component
def ExportView(dash: Dashboard):
    follow(dash.week.value, dash.serial.value)
    stem = dash.file_stem()
    Prose(
        "The **scenario file** holds the current settings, seed and weeks; `kshare run` on it gives the numbers "
        "shown here. The **data** is the weekly table in the format of `kshare run`'s `timeseries.csv`, from week 0 "
        f"to the current week ({dash.run.week})."
    )
    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.FileDownload(
            dash.export_scenario,
            filename=f"{stem.rsplit('_week', 1)[0]}.toml",
            label="Scenario file (TOML)",
            icon_name="mdi-file-cog-outline",
            mime_type="application/toml",
        )
        solara.FileDownload(
            dash.export_csv, filename=f"{stem}.csv", label="Data (CSV)", icon_name="mdi-table", mime_type="text/csv"
        )
        if dash.run.baseline is not None:
            solara.FileDownload(
                dash.export_baseline_csv,
                filename=f"{stem}_no_intervention.csv",
                label="Baseline data (CSV)",
                icon_name="mdi-table",
                mime_type="text/csv",
            )
    Prose("**Charts** (PNG, 150 dpi, ready for a slide)")
    with solara.Row(style={"flex-wrap": "wrap"}):
        for which, label in DOWNLOADS.items():
            Downloads(dash, which, label)


@solara.component
def DemoView(dash: Dashboard):
    """Demonstration mode: large type, one chart at a time, the preset's story, interventions annotated."""
    scenario = dash.scenario.value
    with solara.Column(classes=["kshare-demo"]):
        with solara.Row(style={"align-items": "center", "justify-content": "space-between"}):
            Prose(human(scenario.name).capitalize(), tag="h1")
            solara.Switch(label="Demonstration mode", value=dash.demo.value, on_value=dash.demo.set)
        Prose(dash.story(), classes=["kshare-story"])
        keys = {label: key for key, label in DEMO_CHARTS.items()}
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.ToggleButtonsSingle(
                value=DEMO_CHARTS[dash.demo_chart.value],
                values=list(DEMO_CHARTS.values()),
                on_value=lambda label: dash.demo_chart.set(keys[label]),
                classes=["kshare-demo-choice"],
            )
            RunControls(dash, large=True)
        which = dash.demo_chart.value
        if which == "sharing":
            SharingView(dash)
        elif which == "network":
            NetworkView(dash)
            if dash.selected.value is not None:
                Prose(why(dash.run.describe(dash.selected.value)), classes=["kshare-story"])
        elif which == "experiences":
            ExperiencesView(dash)
        else:
            SpreadView(dash)
