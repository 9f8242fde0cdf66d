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

from sim.dashboard import link, offline

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
from sim.dashboard.widgets import PageSetup, Prose, Tabs  # noqa: E402

CSS = """
html, body { font-size: 16px; }
strong, b, h1, h2, h3 { font-weight: 700; }
.kshare-page { display: grid; grid-template-columns: 340px minmax(0, 1fr);
  grid-template-rows: auto 1fr;
  grid-template-areas: "side header" "side main"; column-gap: 24px; padding: 0 20px 24px 16px; align-items: start; }
.kshare-header { grid-area: header; display: flex; align-items: center; justify-content: space-between; gap: 12px;
  flex-wrap: wrap; padding-top: 8px; }
.kshare-header h1 { font-size: 1.45rem; margin: 0; }
.kshare-main { grid-area: main; min-width: 0; }
.kshare-sidebar { grid-area: side; position: sticky; top: 0; max-height: 100vh; overflow-y: auto;
  padding: 12px 6px 24px 0; }
.kshare-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 16px; width: 100%;
  align-items: start; }
.kshare-slider-block { margin-bottom: 6px; }
.kshare-slider-label { font-size: 0.95rem; }
.kshare-slider-value { font-weight: 700; font-variant-numeric: tabular-nums; padding-left: 8px; }
.kshare-slider .v-slider { margin-left: 0 !important; margin-right: 0 !important; }
.kshare-intervention { margin-top: 6px !important; }
.kshare-intervention .v-messages__message { font-size: 13px; line-height: 1.3; }
.kshare-intervention-settings { border-left: 3px solid #0072B2; padding-left: 8px; margin-bottom: 6px; }
.kshare-tabs { margin: 8px 0; }
.kshare-sidebar h2 { font-size: 1.2rem; margin: 4px 0; }
.kshare-picks { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); column-gap: 12px; }
.kshare-picks .v-input--checkbox { margin-top: 0; }
.kshare-section { border-top: 1px solid #ddd; padding: 2px 0 6px; }
.kshare-section-toggle { width: 100%; justify-content: space-between !important; text-transform: none !important;
  font-size: 1rem !important; letter-spacing: normal !important; padding: 0 4px !important; }
.kshare-section-toggle .v-btn__content { justify-content: space-between; flex-direction: row-reverse; width: 100%;
  white-space: normal; text-align: left; }
.kshare-section-body { padding: 0 4px; }
.kshare-tabs .v-btn[aria-selected="true"] { background: #0072B2 !important; color: #fff !important; }
.kshare-error .v-alert__content { white-space: pre-wrap; font-family: monospace; }
:focus-visible, .v-btn:focus-visible, .kshare-chart:focus-visible, input:focus-visible {
  outline: 3px solid #D55E00 !important; outline-offset: 2px !important; }
.v-input--selection-controls__input input:focus-visible ~ .v-input--selection-controls__ripple {
  outline: 3px solid #D55E00; }
.v-btn:focus::before { opacity: 0.18 !important; }
.kshare-demo { font-size: 22px; line-height: 1.3; position: fixed; inset: 0; display: flex; flex-direction: column;
  padding: 6px 14px; box-sizing: border-box; overflow: hidden; }
.kshare-demo h1 { font-size: 1.5em; margin: 0; }
.kshare-demo .kshare-story { font-size: 1em; }
.kshare-demo .kshare-fill, .kshare-demo .kshare-fill > div { flex: 1 1 auto; min-height: 0; display: flex;
  flex-direction: column; }
.kshare-demo .v-label, .kshare-demo .kshare-controls .v-input { font-size: 19px !important; }
.kshare-demo .v-btn { font-size: 19px !important; }
.kshare-demo .kshare-demo-choice .v-btn { height: 46px !important; }
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


#: The component of each view, by its key in ``VIEWS``.
PAGE_VIEWS = {
    "live": LiveView,
    "experiences": ExperiencesView,
    "spread": SpreadView,
    "compare": CompareView,
    "export": ExportView,
}


@solara.component
def LinkSync(dash: Dashboard):
    """Keeps the page's address in step with what is chosen (``sim.dashboard.link``): read once when the page
    opens, written whenever a setting, the view or the selection changes."""
    router = solara.use_router()
    started = solara.use_ref(False)
    query = link.encode(dash)

    def restore() -> None:
        ignored = link.restore(dash, router.search or "")
        if ignored:
            dash.error.value = "Parts of the link were not used:\n" + "\n".join(f"- {item}" for item in ignored)
        started.current = True

    def write() -> None:
        if router.set_path is None:  # drawn without a server (tests, the benchmark): no address to keep
            return
        if started.current and query != (router.search or ""):
            router.push(f"{router.path or '/'}?{query}" if query else (router.path or "/"))

    solara.use_effect(restore, [])
    solara.use_effect(write, [query])


@solara.component
def DemoSwitch(dash: Dashboard):
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
    """The header, the run and its views, then the settings: the settings are drawn on the left but come last
    in the page, so that the keyboard reaches Play in two steps rather than after every setting."""
    _bind(dash)
    solara.Title("kshare dashboard")
    solara.Style(CSS)
    PageSetup()
    LinkSync(dash)
    Player(dash)
    if dash.demo.value:
        DemoView(dash)
        return
    with solara.Div(classes=["kshare-page"]):
        with solara.v.Html(tag="header", class_="kshare-header"):
            Prose("kshare: how knowledge sharing grows, stalls or dies", tag="h1")
            DemoSwitch(dash)
        with solara.v.Html(tag="div", class_="kshare-main"):  # Vuetify's own <main> holds the page
            RunControls(dash)
            Tabs(VIEWS, dash.view)
            PAGE_VIEWS[dash.view.value](dash)
        with solara.v.Html(tag="section", class_="kshare-sidebar", attributes={"aria-label": "Settings"}):
            ScenarioPanel(dash)
            OrganisationPanel(dash)
            CulturePanel(dash)
            InterventionsPanel(dash)
