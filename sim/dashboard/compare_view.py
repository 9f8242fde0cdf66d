"""The Compare view: two to four scenarios run several times each, the difference said in words.

The computing is in ``sim.dashboard.compare``; this is the form and its result.
"""

from __future__ import annotations

import threading

import solara

from sim.dashboard.compare import MAX_SCENARIOS, compare, default_weeks, installed_posterior, parse_weeks
from sim.dashboard.live import data_url
from sim.dashboard.state import Dashboard
from sim.dashboard.views import Downloads
from sim.dashboard.widgets import ChartImage, Prose
from sim.scenario_files import load_scenario, preset_names

CURRENT = "current settings"


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
