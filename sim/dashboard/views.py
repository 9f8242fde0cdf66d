"""What the user watches: the live charts, the network and one employee, comparisons, exports, and demo mode.

Each view reads ``dash.week`` and ``dash.serial`` so that it redraws when the
run moves on or restarts, and only the view on screen is drawn at all: the
tabs are a switch, not hidden panels, which keeps a week's update cheap.
"""

from __future__ import annotations

from typing import Any

import solara

from sim.dashboard import alt, charts
from sim.dashboard.controls import RunControls, WholeNumberField, human
from sim.dashboard.explain import why
from sim.dashboard.live import data_url
from sim.dashboard.network import names_text
from sim.dashboard.pictures import downloads
from sim.dashboard.state import Dashboard, demo_charts
from sim.dashboard.widgets import ChartImage, Prose, Select, Tabs


def follow(*values) -> None:
    """Read reactive values only to redraw when they change (a component re-renders when what it read changes)."""


@solara.component
def Downloads(dash: Dashboard, which: str, label: str = ""):
    """Save this chart as a PNG, at print resolution; the button says which chart, for a screen reader too."""
    solara.FileDownload(
        lambda: dash.export_png(which),
        filename=f"{dash.file_stem()}_{which}.png",
        label=label or f"Save the {downloads(dash.run).get(which, which).lower()} chart (PNG)",
        icon_name="mdi-image-outline",
        mime_type="image/png",
    )


def live_image(dash: Dashboard, name: str, picture: bytes, text: str, **options: Any) -> None:
    """A chart that changes every week, which reports each week back once it is on screen (``Dashboard.drawn``),
    and the size of its box, at which the next picture is drawn (``Dashboard.resized``)."""
    ChartImage(
        src=data_url(picture),
        name=name,
        alt=text,
        frame=dash.frame(),
        width=dash.shown_width(name),
        fill=dash.demo.value,
        event_drawn=dash.drawn,
        event_resize=lambda size: dash.resized(name, size),
        **options,
    )


@solara.component
def SharingView(dash: Dashboard):
    follow(dash.week.value, dash.serial.value, dash.demo.value, dash.sizes.value, dash.playing.value)
    live_image(dash, "sharing", dash.sharing_frame(), alt.sharing(dash.run), hover=dash.hover("sharing"))
    if not dash.run.scenario.interventions:
        solara.Info("This scenario has no intervention: switch one on to see it against this baseline.", dense=True)


@solara.component
def NetworkView(dash: Dashboard):
    follow(dash.week.value, dash.serial.value, dash.selected.value, dash.demo.value, dash.sizes.value)
    live_image(
        dash,
        "network",
        dash.network_frame(),
        alt.network(dash.run) + names_text(dash.run.model.org, dash.selected.value),
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
        WholeNumberField(
            "Employee number",
            selected,
            on_commit=dash.select,
            on_refuse=lambda message: dash.refuse("employee", message),
            optional=True,
            width="220px",
        )
        solara.Text(f"0 to {n - 1:,}; or click someone in the network.")
    if dash.error.value and dash.error_at.value == "employee":
        solara.Error(dash.error.value, dense=True)
    if selected is None:
        return
    Prose(why(dash.run.describe(selected)), style={"font-size": "1.05em"})
    if not dash.run.has_drivers:
        return
    ChartImage(
        src=data_url(dash.drivers_frame(selected)),
        name="drivers",
        alt=alt.drivers(dash.run, selected),
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
    follow(dash.week.value, dash.serial.value, dash.sizes.value, dash.playing.value)
    departments = dash.run.scenario.organisation.departments
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        Tabs({"level": "By level", "department": "By department"}, dash.group_by, label="Group by")
        Select(
            label="Shown by group",
            value=dash.quantity.value,
            values=list(charts.QUANTITY_LABELS),
            labels=list(charts.QUANTITY_LABELS.values()),
            event_pick=dash.quantity.set,
        )
        if departments > 50:
            solara.Text("(by department only up to 50 departments)")
    live_image(
        dash,
        "experiences",
        dash.experiences_frame(),
        alt.experiences(dash.run.history, dash.quantity.value, *dash.grouping(), org=dash.run.model.org),
        hover=dash.hover("experiences"),
    )
    if not dash.demo.value:  # a room watches; the chart keeps the height the button would take
        Downloads(dash, "experiences")
        if dash.run.seeking is not None:  # a projector's page has room for one chart
            SeekingView(dash)


@solara.component
def SeekingView(dash: Dashboard):
    """Asking for help (``behaviour.seeking``): asking, answers and needs given up, and asking by group."""
    follow(dash.week.value, dash.serial.value, dash.sizes.value, dash.playing.value)
    live_image(
        dash,
        "seeking",
        dash.seeking_frame(),
        alt.seeking(dash.run.history, *dash.grouping(), org=dash.run.model.org),
        hover=dash.hover("seeking"),
    )
    Downloads(dash, "seeking")


@solara.component
def AskingView(dash: Dashboard):
    """Demonstration mode's asking and answers (``behaviour.seeking``), the interventions annotated."""
    follow(dash.week.value, dash.serial.value, dash.demo.value, dash.sizes.value, dash.playing.value)
    live_image(dash, "asking", dash.asking_frame(), alt.asking(dash.run), hover=dash.hover("asking"))


@solara.component
def SpreadView(dash: Dashboard):
    follow(dash.week.value, dash.serial.value, dash.sizes.value, dash.playing.value)
    live_image(dash, "spread", dash.spread_frame(), alt.spread(dash.run.history), hover=dash.hover("spread"))
    if not dash.demo.value:
        Downloads(dash, "spread")


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
        for which, label in downloads(dash.run).items():
            Downloads(dash, which, label)


@solara.component
def DemoView(dash: Dashboard):
    """Demonstration mode: large type, one chart at a time, the preset's story, interventions annotated.

    The page is exactly the window's height: the chart takes what the title, the story, the controls and
    a selected person's explanation leave, and is drawn at that size, so nothing needs scrolling on a
    projector's 1024×768.
    """
    scenario = dash.scenario.value
    follow(dash.serial.value)  # a new run may offer the asking chart, or no longer
    offered = demo_charts(dash.run)
    with solara.Column(classes=["kshare-demo"], gap="6px"):
        with solara.Row(style={"align-items": "center", "justify-content": "space-between"}):
            Prose(human(scenario.name).capitalize(), tag="h1")
            solara.Switch(label="Demonstration mode", value=dash.demo.value, on_value=dash.demo.set)
        Prose(dash.story(), classes=["kshare-story"])
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}, gap="8px"):
            Tabs(offered, dash.demo_chart, label="Chart", classes=["kshare-demo-choice"])
            RunControls(dash, large=True)
        which = dash.demo_chart.value if dash.demo_chart.value in offered else "sharing"
        with solara.Div(classes=["kshare-fill"]):
            DEMO_VIEWS[which](dash)
        if which == "network" and dash.selected.value is not None:
            Prose(why(dash.run.describe(dash.selected.value)), classes=["kshare-story"])


#: The component of each demonstration chart, by its key in ``demo_charts``.
DEMO_VIEWS = {
    "sharing": SharingView,
    "network": NetworkView,
    "experiences": ExperiencesView,
    "spread": SpreadView,
    "asking": AskingView,
}
