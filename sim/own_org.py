"""An organisation's own files, read once for the scenario that names them and the models built from it.

Validating a scenario reads its chart and ties, so that a problem in them stops it before anything runs and the
chart's headcount sizes the run; building the model reads them again, and a sweep or replications build many
models. The files are read once per path, size and modification time, and the same ``OrgData`` is handed out
again: nothing may change it in place.
"""

from __future__ import annotations

import os
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
    """A scenario's parameters as outputs record them: the files named as ``inputs`` names them, without folder."""
    dumped = scenario.model_dump(mode="json")
    for section, key in FILE_KEYS.values():
        if dumped[section].get(key) is not None:
            dumped[section][key] = Path(dumped[section][key]).name
    return dumped
