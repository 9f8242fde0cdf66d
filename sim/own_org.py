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
    from sim.scenario import Organisation, Scenario

#: The file keys of ``[organisation]``, by the role ``OrgData.provenance`` gives their file.
FILE_KEYS = {"chart": "chart", "ties": "ties"}


def read_files(chart: str, ties: str | None) -> OrgData:
    """The organisation in these files, or ``OrgDataError`` listing every problem in them."""
    return _read(chart, ties, _stamp(chart), _stamp(ties))


def read(org: Organisation) -> OrgData:
    """The organisation a validated scenario's ``[organisation]`` names (it must name a chart)."""
    assert org.chart is not None
    return read_files(org.chart, org.ties)


def _stamp(path: str | None) -> tuple[int, int] | None:
    try:
        stat = os.stat(path) if path is not None else None
    except (OSError, ValueError):
        return None  # read_org says why
    return None if stat is None else (stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4)
def _read(chart: str, ties: str | None, *stamps: tuple[int, int] | None) -> OrgData:
    from sim.orgdata import read_org

    return read_org(chart, ties)


def inputs(org: Organisation) -> dict[str, dict[str, Any]] | None:
    """Each file a run read: its name, SHA-256 and row count, enough to tell which files made a result.

    The name only, not the folder: where the file lives says whose machine it was on and nothing about the
    numbers, and results are shared."""
    if org.chart is None:
        return None
    data = read(org)
    return {
        role: {"file": Path(getattr(org, FILE_KEYS[role])).name, "sha256": found["sha256"], "rows": found["rows"]}
        for role, found in data.provenance.items()
    }


def shown_parameters(scenario: Scenario) -> dict[str, Any]:
    """A scenario's parameters as outputs record them: the files named as ``inputs`` names them, without folder."""
    dumped = scenario.model_dump(mode="json")
    for key in FILE_KEYS.values():
        if dumped["organisation"].get(key) is not None:
            dumped["organisation"][key] = Path(dumped["organisation"][key]).name
    return dumped
