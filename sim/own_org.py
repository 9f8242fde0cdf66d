"""An organisation's own files, read once for the scenario that names them and the models built from it.

Validating a scenario reads its chart and ties, so that a problem in them stops it before anything runs and the
chart's headcount sizes the run; building the model reads them again, and a sweep or replications build many
models. The files are read once per path, size and modification time, and the same ``OrgData`` is handed out
again: nothing may change it in place.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.orgdata import OrgData
    from sim.scenario import Scenario

#: The scenario keys that name files, by the role ``OrgData.provenance`` gives their file.
FILE_KEYS = {"chart": ("organisation", "chart"), "ties": ("organisation", "ties"), "survey": ("culture", "survey")}


def read_files(
    chart: str, ties: str | None, survey: str | None = None, scale: str = "1-5", min_respondents: int | None = None
) -> OrgData:
    """The organisation in these files, or ``OrgDataError`` listing every problem in them."""
    return _read(chart, ties, survey, scale, min_respondents, _stamp(chart), _stamp(ties), _stamp(survey))


def read(scenario: Scenario) -> OrgData:
    """The organisation a validated scenario names (it must name a chart), with its survey if it names one."""
    org, culture = scenario.organisation, scenario.culture
    assert org.chart is not None
    return read_files(org.chart, org.ties, culture.survey, culture.survey_scale, culture.min_respondents)


def _stamp(path: str | None) -> tuple[int, int] | None:
    """What changes when the file does: its size and modification time. An upload (``sim.orgdata.uploads``)
    never changes, its name holding the hash of its bytes: (-1, that hash)."""
    from sim.orgdata.uploads import digest, is_upload

    if path is not None and is_upload(path):
        held = digest(path)
        return -1, int(held, 16) if held.isalnum() and all(c in "0123456789abcdef" for c in held) else 0
    try:
        stat = os.stat(path) if path is not None else None
    except (OSError, ValueError):
        return None  # read_org says why
    return None if stat is None else (stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4)
def _read(
    chart: str, ties: str | None, survey: str | None, scale: str, least: int | None, *stamps: tuple[int, int] | None
) -> OrgData:
    from sim.orgdata import read_org

    return read_org(chart, ties, survey, survey_scale=scale, min_respondents=least)


def _path(scenario: Scenario, role: str) -> str | None:
    section, key = FILE_KEYS[role]
    return getattr(getattr(scenario, section), key)


def inputs(scenario: Scenario) -> dict[str, dict[str, Any]] | None:
    """Each file a run read: its name, SHA-256 and row count, enough to tell which files made a result.

    The name only, not the folder: where the file lives says whose machine it was on and nothing about the
    numbers, and results are shared."""
    if scenario.organisation.chart is None:
        return None
    data = read(scenario)
    return {
        role: {"file": Path(str(_path(scenario, role))).name, "sha256": found["sha256"], "rows": found["rows"]}
        for role, found in data.provenance.items()
    }


def shown_parameters(scenario: Scenario) -> dict[str, Any]:
    """A scenario's parameters as outputs record them: the files named as ``inputs`` names them, without folder;
    anonymised, with the chart's names hidden as ``shown`` hides them (a target ``department:Sales`` becomes
    ``department:dept-…``)."""
    return shown(recorded_parameters(scenario), scenario)


def recorded_parameters(scenario: Scenario) -> dict[str, Any]:
    """A scenario's parameters with the files named without folder, for a record that ``shown`` then hides the
    names in as a whole (hiding twice could hide a name inside a pseudonym)."""
    dumped = scenario.model_dump(mode="json")
    for section, key in FILE_KEYS.values():
        if dumped[section].get(key) is not None:
            dumped[section][key] = Path(dumped[section][key]).name
    return dumped


def shown(value: Any, scenario: Scenario) -> Any:
    """A record an output writes (nested dicts, lists and strings) as that output shows it: unchanged unless the
    scenario is anonymised, and then with every whole-word mention of one of the chart's department or team
    names in any string (targets, labels, description, notice, a command line) replaced by its pseudonym."""
    if not anonymised(scenario):
        return value
    renamed = pseudonyms_of(scenario)

    def hidden(value: Any) -> Any:
        if isinstance(value, str):
            return hide_names(value, renamed)
        if isinstance(value, dict):
            return {key: hidden(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [hidden(item) for item in value]
        return value

    return hidden(value)


def shown_scenario(scenario: Scenario) -> Scenario:
    """The scenario as outputs show it (as ``shown_parameters`` records it): the scenario itself unless it is
    anonymised. For showing only (charts, notices); a run needs the scenario itself."""
    if not anonymised(scenario):
        return scenario
    from sim.scenario import Scenario

    return Scenario.model_validate(shown_parameters(scenario))


def anonymised(scenario: Scenario) -> bool:
    """Whether a scenario's outputs show pseudonyms: it names a chart and sets ``organisation.anonymise``
    (a generated organisation has no names to hide, and the key changes nothing there)."""
    return scenario.organisation.anonymise and scenario.organisation.chart is not None


def shown_data(scenario: Scenario) -> OrgData:
    """The organisation a scenario names, as its run may show it: with ``anonymise``, every id, department and team
    name replaced by its pseudonym (``sim.orgdata.anonymise``), so that nothing built from it holds a real name."""
    data = read(scenario)
    if not anonymised(scenario):
        return data
    held = _ANONYMISED.get(id(data))
    if held is None or held[0] is not data:
        from sim.orgdata import anonymise

        held = (data, anonymise(data))
        _ANONYMISED.clear()  # the last chart only: read() caches the data themselves
        _ANONYMISED[id(data)] = held
    return held[1]


#: The last chart anonymised, by the identity of the ``OrgData`` read (which ``read`` hands out again unchanged).
_ANONYMISED: dict[int, tuple[OrgData, OrgData]] = {}


def pseudonyms_of(scenario: Scenario) -> dict[str, str]:
    """Each department and team name of the chart, with what the scenario's outputs show for it (a department's
    where a team has the same name)."""
    data, shown = read(scenario), shown_data(scenario)
    return {**dict(zip(data.team_names, shown.team_names)), **dict(zip(data.department_names, shown.department_names))}


def targeted_departments(scenario: Scenario) -> dict[str, int]:
    """The number of each department the scenario's interventions target by name, from the chart's own names
    (which an anonymised organisation no longer holds)."""
    names = {item.target_department() for item in scenario.interventions}
    return {name: read(scenario).department_names.index(name) for name in names if isinstance(name, str)}


def hide_names(text: str, renamed: dict[str, str]) -> str:
    """``text`` with each whole-word mention of a name in ``renamed`` replaced by its pseudonym, longest first.

    Names without a letter (a team called "2") are left alone: in text they cannot be told from a number."""
    found = sorted((name for name in renamed if name in text and any(c.isalpha() for c in name)), key=len, reverse=True)
    if not found:
        return text
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in found))
    return pattern.sub(lambda match: renamed[match.group(0)], text)
