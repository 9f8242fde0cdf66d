"""The uncertain parameters and their uniform prior ranges (``priors.toml``).

One table per parameter, named by its bare scenario name (as ``kshare run --set`` takes it)::

    [w_safety]
    low = 0.0
    high = 10.0
    source = "assumption: ..."

Each range must lie inside what the scenario schema allows for the parameter (``sim/scenario.py``), and the
baseline must be a valid scenario at both corners of the box (all lows, all highs): e.g. ``cooperator_share``
and ``defector_share`` must not add up to more than 1 even at their highs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from sim.calibration.files import CalibrationFileError, Strict, packaged, problems, read
from sim.scenario import SECTIONS, flat_parameter_names
from sim.scenario_files import Problem, ScenarioError, load_scenario, suggest

DEFAULT = "priors.toml"


class PriorSpec(Strict):
    """One parameter's table as written."""

    low: float
    high: float
    source: str = Field(min_length=1, description="where the range comes from ('assumption: ...' if nowhere)")


@dataclass(frozen=True)
class Prior:
    """A uniform prior on [low, high] for the parameter ``name`` (its scenario path is ``path``)."""

    name: str
    path: str
    low: float
    high: float
    source: str

    @property
    def width(self) -> float:
        return self.high - self.low

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class PriorSet:
    priors: tuple[Prior, ...]
    source: str

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.priors]

    def __iter__(self):
        return iter(self.priors)

    def __len__(self) -> int:
        return len(self.priors)

    def __getitem__(self, name: str) -> Prior:
        return next(p for p in self.priors if p.name == name)

    def to_records(self) -> list[dict[str, Any]]:
        return [asdict(p) for p in self.priors]


def load_priors(path: str | Path | None = None, scenario: str = "baseline") -> PriorSet:
    """The priors of ``path`` (default: the packaged ``priors.toml``), checked against ``scenario``'s schema."""
    path = Path(path) if path is not None else packaged(DEFAULT)
    return check_priors(read(path), str(path), scenario)


def allowed_range(name: str) -> tuple[float, float] | None:
    """(lowest, highest) value the scenario schema allows for a continuous parameter, or None if it is not one."""
    section, _, key = flat_parameter_names().get(name, "").rpartition(".")
    field = SECTIONS[section].model_fields.get(key) if section in SECTIONS else None
    if field is None or field.annotation is not float:
        return None
    low = next((getattr(m, a) for m in field.metadata for a in ("ge", "gt") if getattr(m, a, None) is not None), None)
    high = next((getattr(m, a) for m in field.metadata for a in ("le", "lt") if getattr(m, a, None) is not None), None)
    return (float("-inf") if low is None else low, float("inf") if high is None else high)


def check_priors(data: dict[str, Any], source: str, scenario: str = "baseline") -> PriorSet:
    found: list[Problem] = []
    paths = flat_parameter_names()
    priors: list[Prior] = []
    if not data:
        found.append(Problem("", "no parameters: give one table per uncertain parameter, e.g. [w_safety]"))
    for name, entry in data.items():
        if name not in paths:
            found.append(Problem(name, f"unknown parameter{suggest(name, list(paths))}"))
            continue
        allowed = allowed_range(name)
        if allowed is None:
            found.append(
                Problem(
                    name,
                    "not a continuous parameter: only parameters that take any number in a "
                    "range can have a uniform prior",
                )
            )
            continue
        if not isinstance(entry, dict):
            found.append(Problem(name, f"expected a table with low, high and source, got {entry!r}"))
            continue
        try:
            spec = PriorSpec.model_validate(entry)
        except ValidationError as error:
            found += problems(error, entry, PriorSpec, name)
            continue
        if not spec.low < spec.high:
            found.append(Problem(name, f"expected low < high, got low = {spec.low}, high = {spec.high}"))
            continue
        lowest, highest = allowed
        if spec.low < lowest or spec.high > highest:
            found.append(
                Problem(
                    name,
                    f"expected a range inside [{lowest}, {highest}] (what {paths[name]} allows), "
                    f"got [{spec.low}, {spec.high}]",
                )
            )
            continue
        priors.append(Prior(name, paths[name], spec.low, spec.high, spec.source))
    if not found:
        for corner in ("low", "high"):
            try:
                load_scenario(scenario, **{p.name: getattr(p, corner) for p in priors})
            except ScenarioError as error:
                reasons = "; ".join(str(p) for p in error.problems)
                found.append(
                    Problem("", f"the {scenario} scenario is invalid with every parameter at its {corner}: {reasons}")
                )
    if found:
        raise CalibrationFileError(source, found)
    return PriorSet(tuple(priors), source)
