"""The controls: choosing a scenario and its settings, and playing the run.

Each control calls one ``Dashboard`` method; what it may change, and what
happens when the change is invalid, is decided there. Sliders apply when they
are released, not at every pixel of a drag, because each change restarts the
run.
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Callable

import solara
from solara.alias import rv

from sim.dashboard import choices
from sim.dashboard.labels import CULTURE_LABELS
from sim.dashboard.state import MAX_SPEED, Dashboard
from sim.dashboard.widgets import Prose, ScenarioUpload, Select
from sim.orgdata import uploads
from sim.scenario_files import preset_names


def human(name: str) -> str:
    return name.replace("_", " ")


def applies(dash: Dashboard, setting: str) -> Callable[[int | None], bool]:
    """A field's ``on_commit``: apply the value to one setting; False if refused (the dashboard says why)."""

    def on_commit(value: int | None) -> bool:
        return dash.apply(**{setting: value})

    return on_commit


@solara.component
def CommitSlider(
    label: str,
    value: float,
    on_commit: Callable[[float], None],
    min: float = 0.0,
    max: float = 1.0,
    step: float = 0.05,
    disabled: bool = False,
    hint: str = "",
):
    """A slider that reports its value once, when released, with its label and value above the whole-width track.

    Vuetify puts a slider's label on the track's line, where a long label leaves the track a few pixels
    wide in a narrow sidebar; here the label and the value have their own line, so the track always
    spans the column and the value is readable without dragging.
    """
    with solara.Column(gap="0px", classes=["kshare-slider-block"]) as block:
        with solara.Row(justify="space-between", style={"align-items": "baseline"}):
            solara.Text(label, classes=["kshare-slider-label"])
            solara.Text(f"{value:.2f}", classes=["kshare-slider-value"])
        slider = rv.Slider(
            v_model=value,
            min=min,
            max=max,
            step=step,
            thumb_label=True,
            hide_details=not hint,
            hint=hint,
            persistent_hint=bool(hint),
            disabled=disabled,
            class_="kshare-slider",
            attributes={"aria-label": label},
        )

        def changed(widget, event, data):
            on_commit(round(float(data), 4))

        rv.use_event(slider, "change", changed)  # type: ignore[arg-type]  # reacton's type has 1 arg, ipyvue passes 3
    return block


_SECTIONS = itertools.count(1)


@solara.component
def Section(title: str, content: Callable[[], None], expand: bool = False):
    """A collapsible section whose content exists only while it is open.

    Solara's ``Details`` keeps its content's widgets even when closed, and every widget on the
    page is revisited at each weekly redraw; closed sections here cost nothing while a run plays.
    It is a plain button with ``aria-expanded`` over the content it controls, the pattern screen
    readers know (Vuetify's expansion panels put ``aria-expanded`` on a ``div``, which they ignore).
    """
    is_open, set_open = solara.use_state(expand)
    ident = solara.use_memo(lambda: f"kshare-section-{next(_SECTIONS)}", [])
    with solara.Div(classes=["kshare-section"]) as section:
        solara.Button(
            title,
            icon_name="mdi-chevron-up" if is_open else "mdi-chevron-down",
            text=True,
            on_click=lambda: set_open(not is_open),
            classes=["kshare-section-toggle"],
            attributes={"aria-expanded": "true" if is_open else "false", "aria-controls": ident},
        )
        with solara.v.Html(tag="div", attributes={"id": ident}, class_="kshare-section-body"):
            if is_open:
                content()
    return section


@solara.component
def Refused(dash: Dashboard, part: str):
    """Why the last change in this part of the page was refused, shown beside the fields it concerns.

    A file's problems keep the file's keys and layout (monospace, one per line); a field's are in words.
    """
    if not dash.error.value or dash.error_at.value != part:
        return
    style = {"white-space": "pre-wrap", "font-size": "0.9em"}
    if part == "scenario":
        style |= {"font-family": "monospace", "font-size": "0.85em"}
    solara.Error(dash.error.value, classes=["kshare-error"] if part == "scenario" else [], style=style, dense=True)


@solara.component
def WholeNumberField(
    label: str,
    value: int | None,
    on_commit: Callable[[int | None], bool | None],
    on_refuse: Callable[[str], None],
    optional: bool = False,
    width: str = "",
):
    """A whole-number field that applies its value on Enter or on leaving it, and that shows the value in
    force again when the value is refused, so the box never holds a number the run is not using.

    ``on_commit`` returns False when it refuses the value (and says why itself); text that is not a
    whole number is refused here, through ``on_refuse``.
    """
    shown = "" if value is None else str(value)
    field = rv.TextField(
        label=label, v_model=shown, attributes={"inputmode": "numeric"}, style_=f"max-width: {width}" if width else ""
    )

    def commit(widget, event, data) -> None:
        # Vuetify's "change" (on Enter, and on leaving a changed field) carries the typed text itself: the
        # field's v_model may not have reached the server yet when a busy page sends the event.
        typed = data if isinstance(data, str) else widget.v_model
        text = str(typed or "").strip().replace(",", "").replace("_", "")
        if text == shown:
            return
        number: int | None
        if not text and optional:
            number = None
        else:
            try:
                number = int(text)
            except ValueError:
                on_refuse(f"{label}: expected a whole number, got '{text}'")
                widget.v_model = shown
                return
        if on_commit(number) is False:
            widget.v_model = shown

    rv.use_event(field, "change", commit)  # type: ignore[arg-type]  # reacton's type has 1 arg, ipyvue passes 3
    return field


@solara.component
def ScenarioPanel(dash: Dashboard):
    scenario = dash.scenario.value
    Prose("Scenario", tag="h2")

    def choose(name: str | None) -> None:
        if name is not None:
            dash.load_preset(name)

    Select(label="Preset scenario", value=dash.preset.value or None, values=preset_names(), event_pick=choose)
    origin = dash.source.value + (", edited" if dash.edited.value else "")
    Prose(f"**{scenario.name}** ({origin})\n{scenario.description}")
    if scenario.notice:
        Prose(f"**What to notice:** {scenario.notice}")

    UploadFiles(dash)


#: The most bytes the page sends in one upload: base64 and their names must fit the server's 16 MiB limit on a
#: message (uvicorn's ``ws_max_size``); larger files are run with ``kshare run``.
MAX_SENT_BYTES = 12_000_000


def too_much(files: list[dict]) -> str:
    """Why files the page did not send, for their size, were not uploaded, and what to do instead."""
    names = ", ".join(uploads.clean_name(str(item.get("name", ""))) for item in files)
    total = sum(int(item.get("size", 0)) for item in files)
    return (
        f"{names}: {total:,} bytes, more than the {MAX_SENT_BYTES:,} bytes the page can take at once. "
        "Upload the files one at a time (the chart first); a file larger than that runs with `kshare run` "
        "(docs/own_organisation.md)."
    )


#: The scales a team survey's answers may be on, as the page names them.
SCALE_LABELS = {"1-5": "1 to 5", "1-7": "1 to 7", "0-1": "0 to 1"}


@solara.component
def UploadFiles(dash: Dashboard):
    """One button for every file a person may bring: a scenario, their organisation's CSV files, or both, chosen
    together; what each file is, is told from its contents. Said in words under the button."""

    def upload(files: list[dict]) -> None:
        if any(item.get("data") is None for item in files):
            dash.refuse_upload(too_much(files))
            return
        dash.load_files([(str(item["name"]), base64.b64decode(item["data"])) for item in files])

    ScenarioUpload(label="Upload files", max_bytes=MAX_SENT_BYTES, event_upload=upload)
    Prose(
        "A **scenario** (.toml), or **your organisation**: its chart (CSV with id, manager_id, department, team) "
        "and, if you have them, its ties and team survey (CSV). Choose them together (hold Ctrl, or ⌘ on a Mac). "
        "Files stay in this dashboard's memory: nothing is saved.",
        style={"font-size": "0.9em", "margin": "4px 0 6px"},
    )
    pending = dash.pending.value
    Refused(dash, "scenario")
    if pending is not None:
        solara.Info(f"{pending[0]} is waiting for {' and '.join(dash.waiting_for())}.", dense=True)
    if dash.notice.value:
        solara.Success(dash.notice.value, dense=True)

    def pick_scale(scale: str) -> None:
        dash.set_survey_scale(scale)

    scenario = dash.scenario.value
    scale = scenario.culture.survey_scale if scenario.culture.survey is not None else dash.survey_scale.value
    Select(
        label="A team survey's answers are on a scale of",
        value=scale,
        values=list(SCALE_LABELS),
        labels=list(SCALE_LABELS.values()),
        event_pick=pick_scale,
    )


@solara.component
def OrganisationPanel(dash: Dashboard):
    Section("Organisation", lambda: OrganisationFields(dash), expand=True)


@solara.component
def OrganisationFields(dash: Dashboard):
    scenario = dash.scenario.value
    org = scenario.organisation

    def field(label: str, value: int, setting: str):
        WholeNumberField(
            label,
            value,
            on_commit=applies(dash, setting),
            on_refuse=lambda message: dash.refuse("organisation", message),
        )

    with solara.Column(gap="0px"):
        if org.chart is None:
            field("Employees", org.employees, "employees")
            with solara.Row():
                field("Departments", org.departments, "departments")
                field("People per team", org.team_size, "team_size")
        else:  # the chart decides who works where: its counts, said as such, not fields to edit
            Prose(f"**{dash.organisation_line()}.**")
            Prose(
                "A shared link of this page cannot carry your files: it names them, and shows a generated "
                "organisation of the same size until they are uploaded again.",
                style={"font-size": "0.9em", "color": "#555"},
            )
            solara.Button(
                "Use a generated organisation instead",
                icon_name="mdi-close",
                text=True,
                style={"text-transform": "none", "letter-spacing": "normal", "padding": "0 4px"},
                on_click=dash.use_generated,
            )
        with solara.Row():
            field("Weeks", scenario.weeks, "weeks")
            field("Seed", scenario.seed, "seed")
        Refused(dash, "organisation")


#: The switch of seeking (``behaviour.seeking``), with the culture.
SEEKING_LABEL = "People ask colleagues for help (seeking)"


@solara.component
def CulturePanel(dash: Dashboard):
    Section("Starting culture: the four experiences, safety and asking for help", lambda: CultureFields(dash))


@solara.component
def CultureFields(dash: Dashboard):
    culture = dash.scenario.value.culture
    with solara.Column():
        for key, (label, hint) in CULTURE_LABELS.items():
            CommitSlider(
                label,
                getattr(culture, key),
                on_commit=lambda value, key=key: dash.apply(**{key: value}),
                hint=hint,
            )
        rv.Switch(
            label=SEEKING_LABEL,
            v_model=dash.scenario.value.behaviour.seeking,
            hint="people with a need ask a colleague they believe knows, who answers or not (ODD 7.19); "
            "the Experiences view then charts asking",
            persistent_hint=True,
            dense=True,
            on_v_model=lambda on: dash.apply(seeking=bool(on)),
            class_="kshare-seeking",
        )
        Refused(dash, "culture")


@solara.component
def InterventionRow(dash: Dashboard, row: dict):
    """A family's switch, with what it does underneath; its window and intensity once it is on."""
    kind = row["type"]
    rv.Switch(
        label=human(kind),
        v_model=row["on"],
        hint=row["summary"],
        persistent_hint=True,
        dense=True,
        on_v_model=lambda on: dash.set_intervention(kind, on=bool(on)),
        class_="kshare-intervention",
    )

    def set_start(value: int | None) -> bool:
        return dash.set_intervention(kind, start=value)

    def set_end(value: int | None) -> bool:
        # The week means what `end` means in a file; 0 or a week before the start is refused as a file's is.
        return dash.set_intervention(kind, end=value)

    def refuse(message: str) -> None:
        dash.refuse("interventions", f"{human(kind)}, {message[0].lower()}{message[1:]}")

    def set_never(never: bool) -> None:
        # "Never ends" is a file's missing `end`, not a week number; switching it off ends a year after the start.
        dash.set_intervention(kind, end=None if never else min(row["start"] + 52, dash.scenario.value.weeks))

    if row["on"]:
        with solara.Column(gap="0px", classes=["kshare-intervention-settings"]):
            CommitSlider(
                "Intensity",
                row["intensity"],
                min=0.0,
                max=1.0,
                step=0.05,
                on_commit=lambda value: dash.set_intervention(kind, intensity=value),
            )
            with solara.Row():
                WholeNumberField("Start week", row["start"], on_commit=set_start, on_refuse=refuse)
                if row["end"] is not None:
                    WholeNumberField("End week", row["end"], on_commit=set_end, on_refuse=refuse)
            if not row["event"]:  # a negative event must end, as in a file
                solara.Checkbox(label="never ends", value=row["end"] is None, on_value=set_never)
            if row["extra"]:
                solara.Text(
                    f"and {row['extra']} more of this type from the scenario file, unchanged",
                    style={"font-size": "0.8em"},
                )


@solara.component
def InterventionsPanel(dash: Dashboard):
    running = len({item.type for item in dash.scenario.value.interventions})
    Section(f"Interventions ({running} on)", lambda: InterventionRows(dash), expand=True)


@solara.component
def InterventionRows(dash: Dashboard):
    rows = choices.intervention_rows(dash.scenario.value)
    with solara.Column(gap="2px"):
        Prose("**Programmes**")
        for row in rows:
            if not row["event"]:
                InterventionRow(dash, row)
        Prose("**Negative events**")
        for row in rows:
            if row["event"]:
                InterventionRow(dash, row)
        Refused(dash, "interventions")


@solara.component
def RunControls(dash: Dashboard, large: bool = False):
    """Play, pause, step, reset, speed; the week and the seed."""
    week, playing = dash.week.value, dash.playing.value
    # A new run (a preset, an upload, a changed seed or size) leaves the week at 0, so reading the week alone
    # would not redraw this line; the run's serial number changes with every new run.
    _ = dash.serial.value
    run = dash.run
    size = {"x_large": True} if large else {}
    with solara.Row(classes=["kshare-controls"], style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button(
            "Pause" if playing else ("Play again" if run.done else "Play"),
            icon_name="mdi-pause" if playing else "mdi-play",
            color="primary",
            on_click=dash.toggle_play,
            **size,
        )
        solara.Button(
            "Step",
            icon_name="mdi-step-forward",
            on_click=dash.step,
            disabled=playing or run.done,
            outlined=True,
            **size,
        )
        solara.Button("Reset", icon_name="mdi-restore", on_click=dash.reset, outlined=True, **size)
        with solara.Div(style={"width": "300px"}):
            solara.SliderInt(
                "Speed (weeks/s)",
                value=int(dash.speed.value),
                min=1,
                max=MAX_SPEED,
                on_value=lambda value: dash.speed.set(float(value)),
            )
        details = "" if large else f"   seed {run.seed}   {run.model.org.n:,} employees"
        Prose(
            f"**Week {week} of {run.weeks}**{details}",
            style={"font-size": "1.1em" if not large else "1.4em", "white-space": "pre"},
        )
        if dash.last_update_ms and not large:
            solara.Text(
                f"last week's update: {dash.last_update_ms:.0f} ms", style={"color": "#666", "font-size": "0.85em"}
            )
    if not large:
        rv.ProgressLinear(
            value=100 * week / max(1, run.weeks),
            color="primary",
            attributes={"aria-label": f"Week {week} of {run.weeks}"},
        )
