"""The dashboard page: choose on the left, watch on the right, or demonstration mode for a room.

Run it with ``kshare dashboard`` (offline settings, production mode), or as a
plain Solara app: ``solara run sim.dashboard.app`` (or the path of this
file). Either way, importing this module switches off Solara's telemetry and
makes it serve its front-end from the local ``solara-assets`` copy.
"""

from __future__ import annotations

import threading
import time

import reacton.core
import solara

from sim.dashboard import offline

offline.configure()

from sim.dashboard.compare_view import CompareView  # noqa: E402
from sim.dashboard.controls import (  # noqa: E402
    CulturePanel,
    InterventionsPanel,
    OrganisationPanel,
    RunControls,
    ScenarioPanel,
)
from sim.dashboard.state import VIEWS, Dashboard  # noqa: E402
from sim.dashboard.views import (  # noqa: E402
    DemoView,
    ExperiencesView,
    ExportView,
    LiveView,
    SpreadView,
)
from sim.dashboard.widgets import Prose  # noqa: E402

CSS = """
.kshare-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 12px; width: 100%; }
.kshare-wide { max-width: 940px; width: 100%; }
.kshare-demo .kshare-wide { max-width: 100%; }
.kshare-sidebar { max-height: calc(100vh - 24px); overflow-y: auto; position: sticky; top: 12px; }
.kshare-intervention { margin-top: 6px !important; }
.kshare-intervention .v-messages__message { font-size: 12px; line-height: 1.3; }
.kshare-intervention-settings { border-left: 3px solid #0072B2; padding-left: 8px; margin-bottom: 6px; }
.kshare-demo { font-size: 22px; line-height: 1.35; }
.kshare-demo h1 { font-size: 1.7em; margin: 0; }
.kshare-demo .kshare-chart { max-height: calc(100vh - 330px); width: auto; max-width: 100%; margin: 0 auto; }
.kshare-demo .kshare-story { font-size: 1.15em; max-width: 70em; }
.kshare-demo .v-btn { font-size: 20px !important; }
.kshare-demo .kshare-demo-choice .v-btn { height: 52px !important; min-width: 150px !important; }
.kshare-demo .v-slider__thumb-label { font-size: 16px; }
.kshare-error .v-alert__content { white-space: pre-wrap; font-family: monospace; }
"""


@solara.component
def Player(dash: Dashboard):
    """Steps the run while it plays, at most ``speed`` weeks a second, on a thread of this session."""
    playing = dash.playing.value

    def loop(cancel: threading.Event) -> None:
        run = dash.run  # a Reset or a new setting replaces it: stop rather than step the new run
        while playing and not cancel.is_set():
            started = time.perf_counter()
            if not dash.step(only=run):
                return
            dash.wait_until_shown(dash.run.week - 1)  # one picture in flight at most
            pause = 1.0 / max(dash.speed.value, 0.1) - (time.perf_counter() - started)
            if cancel.wait(max(0.0, pause)):
                return

    solara.use_thread(loop, dependencies=[playing], intrusive_cancel=False)


@solara.component
def Tabs(options: dict[str, str], chosen: solara.Reactive[str]):
    """Buttons that switch between views by label; only the chosen view is drawn at all."""
    keys = {label: key for key, label in options.items()}
    solara.ToggleButtonsSingle(
        value=options[chosen.value],
        values=list(options.values()),
        on_value=lambda label: chosen.set(keys[label]),
        classes=["kshare-tabs"],
    )


@solara.component
def Header(dash: Dashboard):
    with solara.Row(style={"align-items": "center", "justify-content": "space-between", "flex-wrap": "wrap"}):
        Prose("kshare: how knowledge sharing grows, stalls or dies", tag="h2")
        solara.Switch(label="Demonstration mode", value=dash.demo.value, on_value=dash.demo.set)


@solara.component
def Page():
    """One dashboard per browser session."""
    dash = solara.use_memo(Dashboard, [])
    DashboardPage(dash)


def _bind(dash: Dashboard) -> None:
    """Give the dashboard the page's render context, so that a week's changes from the play thread draw once."""
    dash.render_context = reacton.core.get_render_context(required=False)


@solara.component
def DashboardPage(dash: Dashboard):
    _bind(dash)
    solara.Title("kshare dashboard")
    solara.Style(CSS)
    Player(dash)
    if dash.demo.value:
        DemoView(dash)
        return
    Header(dash)
    with solara.Columns([1, 3], gutters_dense=True):
        with solara.Column(classes=["kshare-sidebar"]):
            ScenarioPanel(dash)
            OrganisationPanel(dash)
            CulturePanel(dash)
            InterventionsPanel(dash)
        with solara.Column():
            RunControls(dash)
            Tabs(VIEWS, dash.view)
            view = dash.view.value
            if view == "live":
                LiveView(dash)
            elif view == "experiences":
                ExperiencesView(dash)
            elif view == "spread":
                SpreadView(dash)
            elif view == "compare":
                CompareView(dash)
            else:
                ExportView(dash)
