"""What the user picked, turned into a validated scenario, one change at a time.

The dashboard's current settings *are* a ``Scenario``: a preset or an uploaded
file, then edited. Every edit goes through the same validation as a scenario
file (``sim.scenario_files``), so the page can never run something ``kshare run``
would refuse, and an invalid edit raises ``ScenarioError`` with the same
messages the command line prints, leaving the current settings as they were.

Interventions are edited by family: each of the fourteen types has a row
(on/off, intensity, start, end). A scenario with several interventions of one
type keeps the extra ones as they are; the row edits the first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.files import UnsafeName, safe_stem, unsafe_reason
from sim.interventions import FAMILIES, TYPE_NAMES
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


def preset(name: str) -> Scenario:
    return load_scenario(name)


def edit(scenario: Scenario, **overrides: Any) -> Scenario:
    """The scenario with parameters changed by bare name (``employees=800``); raises ScenarioError."""
    return with_overrides(scenario, overrides, source="settings")


def from_upload(name: str, content: bytes | str) -> Scenario:
    """A scenario from an uploaded file, validated exactly as ``kshare run`` and ``kshare validate`` would."""
    data = parse_toml(content, name)  # the command line's parser and limits: encodings, depth, number sizes
    if not data:  # an empty upload would otherwise replace the user's settings with the defaults
        raise ScenarioError(name, [Problem("", EMPTY_SCENARIO)])
    stem = Path(name).stem
    data.setdefault("name", stem if stem and unsafe_reason(stem) is None else "uploaded")
    scenario = validate(data, name)
    try:  # the name decides the folder `kshare run` on an exported file writes to: refused as the CLI refuses it
        safe_stem(scenario.name, "value", remedy="")
    except UnsafeName as error:
        raise ScenarioError(name, [Problem("name", error.message)]) from None
    return scenario


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
