"""What the user picked, turned into a validated scenario, one change at a time.

The dashboard's current settings *are* a ``Scenario``: a preset or an uploaded
file, then edited. Every edit goes through the same validation as a scenario
file (``sim.scenario_files``), so the page can never run something ``kshare run``
would refuse, and an invalid edit raises ``ScenarioError`` with the same
messages the command line prints, leaving the current settings as they were.

Interventions are edited by family: each of the fifteen types has a row
(on/off, intensity, start, end). A scenario with several interventions of one
type keeps the extra ones as they are; the row edits the first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.dashboard.messages import in_words
from sim.files import UnsafeName, safe_stem, unsafe_reason
from sim.interventions import FAMILIES, TYPE_NAMES
from sim.orgdata import uploads
from sim.own_org import FILE_KEYS
from sim.scenario import Scenario
from sim.scenario_files import (
    EMPTY_SCENARIO,
    Problem,
    ScenarioError,
    load_scenario,
    parse_toml,
    validate,
    with_overrides,
)

#: Family class by type name.
FAMILY = dict(zip(TYPE_NAMES, FAMILIES))
#: Negative events, listed after the programmes.
EVENTS = ("restructuring", "blame_incident", "workload_spike")
#: Where a newly switched-on intervention starts and ends, as in most presets.
DEFAULT_WINDOW = (10, 60)
DEFAULT_INTENSITY = 0.6
#: Settings the page edits directly, by their bare parameter name.
ORGANISATION_KEYS = ("employees", "departments", "team_size")
CULTURE_KEYS = ("recognition", "reciprocation", "ease", "feedback", "psychological_safety")
#: Switches of the behaviour the sidebar sets, with the culture: seeking (``behaviour.seeking``, ODD §7.19).
BEHAVIOUR_KEYS = ("seeking",)


def preset(name: str) -> Scenario:
    return load_scenario(name)


def edit(scenario: Scenario, **overrides: Any) -> Scenario:
    """The scenario with parameters changed by bare name (``employees=800``); raises ScenarioError."""
    return with_overrides(scenario, overrides, source="settings")


def from_upload(name: str, content: bytes | str, files: dict[str, str] | None = None) -> Scenario:
    """A scenario from an uploaded file, validated exactly as ``kshare run`` and ``kshare validate`` would.

    The files it names (chart, ties, survey) are looked up by their file name among ``files`` (uploaded file
    name to its pseudo-path, ``sim.orgdata.uploads``), never on this computer's disk: the page has no folder
    to find them in, and a name in an upload must not open a file on the server.
    """
    data = parse_toml(content, name)  # the command line's parser and limits: encodings, depth, number sizes
    if not data:  # an empty upload would otherwise replace the user's settings with the defaults
        raise ScenarioError(name, [Problem("", EMPTY_SCENARIO)])
    stem = Path(name).stem
    data.setdefault("name", stem if stem and unsafe_reason(stem) is None else "uploaded")
    data = _uploaded_files(data, name, files or {})
    scenario = validate(data, name)
    try:  # the name decides the folder `kshare run` on an exported file writes to: refused as the CLI refuses it
        safe_stem(scenario.name, "value", remedy="")
    except UnsafeName as error:
        raise ScenarioError(name, [Problem("name", error.message)]) from None
    return scenario


#: What names a file a scenario needs, as a person would say it.
FILE_ROLES = {"chart": "organisation chart", "ties": "collaboration ties", "survey": "team survey"}
#: How a refusal of CSV files begins.
NOT_LOADED = "Not loaded"
#: What a CSV file's first line must hold to be recognised.
CSV_KINDS = (
    "its first line should name the columns id, manager_id, department and team (an organisation chart), "
    "source and target (collaboration ties), or team and a measure such as psychological_safety (a team survey)"
)


def named_files(data: dict) -> dict[str, str]:
    """The file names a scenario's data gives, by role (``FILE_KEYS``), without their folders."""
    named = {}
    for role, (section, key) in FILE_KEYS.items():
        value = data.get(section, {}).get(key) if isinstance(data.get(section), dict) else None
        if isinstance(value, str) and value:
            named[role] = uploads.file_name(value) if uploads.is_upload(value) else Path(value).name
    return named


def csv_role(content: bytes) -> str | None:
    """Which file an uploaded CSV is, from its header: "chart", "ties" or "survey"; None if none of them.

    A person need not say which file is which: a chart has id and manager_id, ties source and target, and a
    survey team and a measure. The file is read fully, and refused with its rows, once its role is known."""
    from sim.orgdata import MEASURES
    from sim.orgdata.table import UTF8_BOM, canonical

    line = content.removeprefix(UTF8_BOM)[:4096].split(b"\n", 1)[0].decode("utf-8", "replace")
    header = {canonical(name) for name in line.split(",")}
    if {"id", "manager_id"} <= header:
        return "chart"
    if {"source", "target"} <= header:
        return "ties"
    if "team" in header and header & set(MEASURES):
        return "survey"
    return None


class MissingFiles(ScenarioError):
    """An uploaded scenario that names files which were not uploaded: it can run once they are."""


def _uploaded_files(data: dict, source: str, files: dict[str, str]) -> dict:
    """The scenario's data with each file it names replaced by the upload of that name; ``MissingFiles`` if it
    names a file that was not uploaded."""
    missing = []
    for role, shown in named_files(data).items():
        section, key = FILE_KEYS[role]
        if shown in files:
            data[section] = {**data[section], key: files[shown]}
        else:
            missing.append(f"{shown} (the {FILE_ROLES[role]})")
    if missing:
        message = (
            f"names {in_words(missing)}, not uploaded. The dashboard cannot open files on this computer by "
            f"name: upload {'it' if len(missing) == 1 else 'them'} now, or choose the scenario again together "
            "with its files"
        )
        raise MissingFiles(source, [Problem("", message)])
    return data


def with_files(scenario: Scenario, files: dict[str, str], scale: str) -> Scenario:
    """The scenario run on uploaded files (``files``: role to pseudo-path), the survey's answers on ``scale``.

    A chart replaces the organisation (and a survey or ties uploaded with an earlier chart); ties or a survey
    alone are added to the chart in force. Raises ScenarioError.
    """
    data = scenario.model_dump()
    if "chart" in files:
        data["organisation"]["ties"] = data["culture"]["survey"] = None
    for role, path in files.items():
        section, key = FILE_KEYS[role]
        data[section][key] = path
    if "survey" in files:
        data["culture"]["survey_scale"] = scale
    if data["organisation"]["chart"] is None:
        names = in_words([uploads.file_name(path) for path in files.values()])
        problem = "needs the organisation chart it belongs to (id, manager_id, department, team): upload it too"
        raise ScenarioError(NOT_LOADED, [Problem("", f"{names} {problem}")])
    return validate(data, NOT_LOADED)  # each problem names its file


def without_files(scenario: Scenario) -> Scenario:
    """The scenario on a generated organisation of the chart's size, with no uploaded file."""
    data = scenario.model_dump()
    for section, key in FILE_KEYS.values():
        data[section][key] = None
    return validate(data, "settings")


def intervention_rows(scenario: Scenario) -> list[dict[str, Any]]:
    """One row per family, in the order of ``TYPE_NAMES``: whether it is on, and its window and intensity."""
    rows = []
    for type_name in TYPE_NAMES:
        items = [item for item in scenario.interventions if item.type == type_name]
        first = items[0] if items else None
        start, end = DEFAULT_WINDOW
        rows.append(
            {
                "type": type_name,
                "summary": FAMILY[type_name].SUMMARY,
                "event": type_name in EVENTS,
                "on": first is not None,
                "intensity": first.intensity if first else DEFAULT_INTENSITY,
                "start": first.start if first else min(start, scenario.weeks - 1),
                "end": first.end if first else min(end, scenario.weeks),
                "target": first.target if first else "all",
                "extra": len(items) - 1 if items else 0,
            }
        )
    return rows


def set_intervention(scenario: Scenario, type_name: str, on: bool | None = None, **fields: Any) -> Scenario:
    """Switch a family on or off, or change its ``intensity``, ``start`` or ``end`` (None end: never ends).

    Switching a family on adds it with the row's current values; switching it
    off removes every intervention of that type. Raises ScenarioError.
    """
    if type_name not in FAMILY:
        raise ScenarioError("settings", [Problem("interventions", f"unknown intervention type '{type_name}'")])
    items = [item.model_dump() for item in scenario.interventions]
    index = next((i for i, item in enumerate(items) if item["type"] == type_name), None)
    if on is False:
        items = [item for item in items if item["type"] != type_name]
    elif index is None:
        if on:
            row = next(row for row in intervention_rows(scenario) if row["type"] == type_name)
            item = {"type": type_name, "start": row["start"], "end": row["end"], "intensity": row["intensity"]}
            item.update(fields)
            items.append(item)
    else:
        items[index].update(fields)
    data = scenario.model_dump()
    data["interventions"] = items
    return validate(data, "settings")


def with_seed(scenario: Scenario, seed: int) -> Scenario:
    return edit(scenario, seed=int(seed))
