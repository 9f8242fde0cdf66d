"""Reading and checking the calibration's files, in the style of the scenario files.

Every problem names the file, the key, what was expected and what was found; a misspelt key comes with the
nearest valid name; all problems in a file are reported at once, and nothing runs on an invalid file.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from sim.scenario_files import Problem, ScenarioError, explain, read_toml, suggest

PACKAGE = "sim.calibration"


class CalibrationFileError(ScenarioError):
    """A patterns or priors file that cannot be used, with every problem found in it."""


class Strict(BaseModel):
    """Unknown keys are refused: a misspelt key must never be silently ignored."""

    model_config = ConfigDict(extra="forbid")


def packaged(name: str) -> Path:
    """A data file shipped in this package (``patterns.toml``, ``priors.toml``, ``posterior.parquet``)."""
    return Path(str(resources.files(PACKAGE).joinpath(name)))


def read(path: Path) -> dict[str, Any]:
    """A TOML file's contents; a missing, unreadable or malformed file is a CalibrationFileError."""
    if not path.is_file():
        raise CalibrationFileError(str(path), [Problem("", "no such file")])
    try:
        return read_toml(path)
    except ScenarioError as error:
        raise CalibrationFileError(error.source, error.problems) from None


def problems(error: ValidationError, data: Any, model: type[BaseModel], prefix: str = "") -> list[Problem]:
    """Each pydantic error of ``data`` (checked against ``model``) as a Problem, keys prefixed by ``prefix``."""
    found = []
    for item in error.errors():
        loc = tuple(item["loc"])
        key = ".".join(str(part) for part in (prefix, *loc) if str(part))
        if item["type"] == "extra_forbidden":
            valid = list(model.model_fields)
            found.append(Problem(key, f"unknown key{suggest(str(loc[-1]), valid)} (valid keys: {', '.join(valid)})"))
            continue
        problem = explain(item, data if isinstance(data, dict) else {}, model)
        found.append(Problem(key, problem.message))
    return found
