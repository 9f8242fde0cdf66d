"""The Compare view: two to four scenarios run several times each, the difference said in words.

The computing is in ``sim.dashboard.compare``; the form's state and the thread
doing the work are in ``sim.dashboard.compare_form``, held by the session's
``Dashboard`` so that they outlive this view when another tab is shown. This
is only what the page draws of them.
"""

from __future__ import annotations

import functools
import threading
import time

import solara

from sim.dashboard import alt, charts
from sim.dashboard.compare import MAX_SCENARIOS, Result, installed_posterior
from sim.dashboard.compare_form import CURRENT, MAX_REPLICATIONS, ComparisonForm
from sim.dashboard.controls import human
from sim.dashboard.live import SCREEN_DPI, data_url
from sim.dashboard.state import Dashboard
from sim.dashboard.widgets import ChartImage, Prose, Select
from sim.scenario_files import preset_names

__all__ = ["CURRENT", "REFERENCE", "CompareView"]
REFERENCE = "Reference: the others are compared with it"


@solara.component
def CompareView(dash: Dashboard):
    form = dash.comparison
    scenario = dash.scenario.value
    posterior, no_posterior = solara.use_memo(installed_posterior, dependencies=[])
    Prose(
        f"Runs each scenario several times with seeds {scenario.seed}, {scenario.seed + 1}, … at "
        f"{scenario.organisation.employees:,} employees for {scenario.weeks} weeks, and shows the mean "
        "with its 95 % band. Differences are against the first scenario. With parameter uncertainty, run r also "
        "takes the r-th draw from the calibrated posterior, the same in every scenario."
    )
    ScenarioPicker(form.picked)
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "24px"}):
        solara.InputText(
            f"Replications (1 to {MAX_REPLICATIONS})",
            value=form.replications_text.value,
            on_value=form.replications_text.set,
            continuous_update=True,
            style={"max-width": "160px"},
        )
        solara.InputText(
            f"Weeks to compare at (0 to {scenario.weeks})",
            value=form.weeks_shown(),
            on_value=form.weeks_text.set,
            continuous_update=True,
            style={"max-width": "220px"},
        )
        solara.Switch(
            label="Include parameter uncertainty (posterior draws)",
            value=form.draws.value and posterior is not None,
            on_value=form.draws.set,
            disabled=posterior is None,
        )
    if posterior is None:
        Prose(f"Parameter uncertainty is not available: {no_posterior}", style={"font-size": "0.9em"})
    problems = form.problems(posterior)
    running = form.running.value
    with solara.Row(style={"align-items": "center"}):
        solara.Button(
            "Run comparison",
            icon_name="mdi-chart-line",
            color="primary",
            disabled=bool(problems) or running,
            on_click=lambda: form.start(posterior),
        )
        if running:
            solara.Button("Cancel", icon_name="mdi-close", on_click=form.cancel, disabled=form.cancelling.value)
    for problem in problems:
        solara.Warning(problem, dense=True)
    if running:
        ComparisonProgress(form)
    if form.status.value:
        solara.Info(form.status.value, dense=True)
    if form.error.value:
        solara.Error(form.error.value, style={"white-space": "pre-wrap"})
    result = dash.compare_result.value
    if result is not None:
        ComparisonResult(dash, result, form.stale(posterior))


@solara.component
def ComparisonProgress(form: ComparisonForm):
    """Runs done, time elapsed and left, redrawn every second as well as after each run so the clock moves."""
    _now, set_now = solara.use_state(0.0)

    def tick(cancel: threading.Event) -> None:
        while not cancel.wait(1.0):
            set_now(time.monotonic())

    solara.use_thread(tick, dependencies=[], intrusive_cancel=False)
    done, total = form.done.value, form.total.value
    solara.v.ProgressLinear(
        value=100 * done / max(total, 1),
        color="primary",
        attributes={"aria-label": f"Comparison: {done} of {total} runs done"},  # a named progress bar
    )
    text = "Cancelling after the run in progress… " if form.cancelling.value else ""
    Prose(text + form.progress_text() + ".")


@solara.component
def ScenarioPicker(picked: solara.Reactive[list[str]]):
    """The reference, then the scenarios compared with it: the browser's own drop-down and plain check boxes,
    which a keyboard and a screen reader know (Vuetify 2's multiple select nests its input in a button)."""
    choices = [CURRENT, *preset_names()]
    reference, *others = picked.value or ["baseline"]

    def set_reference(name: str) -> None:
        picked.set([name, *(other for other in others if other != name)])

    def toggle(name: str, on: bool | None) -> None:
        kept = [other for other in others if other != name]
        picked.set([reference, *kept, *([name] if on else [])])

    with solara.Column(gap="0px", style={"max-width": "640px"}):
        Select(
            label=REFERENCE,
            value=reference,
            values=choices,
            event_pick=set_reference,
        )
        Prose(f"**Compared with it** (1 to {MAX_SCENARIOS - 1})")
        with solara.Div(classes=["kshare-picks"]):
            for name in choices:
                if name != reference:
                    solara.Checkbox(
                        label=human(name),
                        value=name in others,
                        on_value=functools.partial(toggle, name),
                        style="margin: 0",
                    )


@solara.component
def ComparisonResult(dash: Dashboard, result: Result, stale: bool):
    style = dash.style()
    src = solara.use_memo(
        lambda: data_url(dash.export_png("compare", dpi=100), "image/png"), dependencies=[result, style]
    )
    hover = solara.use_memo(lambda: charts.comparison_hover(result, style.wide()), dependencies=[result, style])
    if stale:
        solara.Warning(
            "From the previous settings: the form or the dashboard's scenario has changed since this comparison "
            "was run. Run it again to compare what the form says now.",
            dense=True,
        )
    for sentence in result.sentences:
        Prose(f"**{sentence}**", style={"font-size": "1.15em"})
    Prose(f"Mean and 95 % band {result.basis}: {result.settings}.")
    ChartImage(
        src=src,
        name="compare",
        alt=alt.comparison(result),
        hover=hover,
        width=round(style.wide().width * SCREEN_DPI),  # shown at the size it is drawn at (100 dpi), never stretched
    )
    stem = result.file_stem()  # named after the comparison: a saved chart is not taken for the live run's
    with solara.Row():
        solara.FileDownload(
            lambda: dash.export_png("compare"),
            filename=f"{stem}.png",
            label="Save the comparison chart (PNG)",
            icon_name="mdi-image-outline",
            mime_type="image/png",
        )
        solara.FileDownload(
            lambda: result.table().to_csv(index=False, float_format="%.6g"),
            filename=f"{stem}.csv",
            label="Save the comparison's data (CSV)",
            icon_name="mdi-table",
            mime_type="text/csv",
        )
