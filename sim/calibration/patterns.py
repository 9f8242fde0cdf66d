"""The patterns the model is calibrated on, and those held out to validate it (``patterns.toml``).

A pattern file is a list of ``[[pattern]]`` tables::

    [[pattern]]
    name = "safety_sharing_r"            # unique
    level = "person"                     # person, team or organisation
    statistic = "safety_sharing_r"       # a key of sim.calibration.statistics.STATISTICS
    target = 0.45
    tolerance = 0.15                     # a half-width ...
    # low = 0.30                         # ... or a band, low < target < high
    # high = 0.60
    source = "Frazier et al. (2017): ..."
    held_out = false                     # true: not fitted, reported separately as validation

The band is what counts as reproducing the pattern; the fit's distance measures each statistic's distance
from its target in units of the band's half-width on that side, so the band's edges are at 1 (``scaled``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, StrictBool, ValidationError

from sim.calibration.files import CalibrationFileError, Strict, packaged, problems, read
from sim.calibration.statistics import STATISTICS
from sim.scenario_files import Problem, suggest

DEFAULT = "patterns.toml"
LEVELS = ("person", "team", "organisation")


class PatternSpec(Strict):
    """One ``[[pattern]]`` table as written."""

    name: str = Field(min_length=1, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", description="unique name")
    level: Literal["person", "team", "organisation"]
    statistic: str = Field(min_length=1, description="a key of the statistics registry")
    target: float
    tolerance: float | None = Field(None, gt=0.0, description="half-width of the band around the target")
    low: float | None = Field(None, description="lower edge of the band (instead of tolerance)")
    high: float | None = Field(None, description="upper edge of the band (instead of tolerance)")
    source: str = Field(min_length=1, description="where the target comes from")
    held_out: StrictBool = Field(False, description="true: reported as validation, not fitted")


class PatternFile(Strict):
    """The whole file: an optional description and the patterns."""

    description: str = ""
    pattern: list[Any] = Field(min_length=1)


@dataclass(frozen=True)
class Pattern:
    """A checked pattern: its band is [low, high] with low < target < high."""

    name: str
    level: str
    statistic: str
    target: float
    low: float
    high: float
    source: str
    held_out: bool

    def scaled(self, value: float) -> float:
        """Signed distance of ``value`` from the target in half-widths of the band on its side (edges at ±1)."""
        if value >= self.target:
            return (value - self.target) / (self.high - self.target)
        return (value - self.target) / (self.target - self.low)

    def within(self, value: float) -> bool:
        return self.low <= value <= self.high

    @property
    def description(self) -> str:
        return STATISTICS[self.statistic].description


@dataclass(frozen=True)
class PatternSet:
    """The patterns of one file, in its order."""

    patterns: tuple[Pattern, ...]
    source: str
    description: str = ""

    @property
    def fitted(self) -> tuple[Pattern, ...]:
        return tuple(p for p in self.patterns if not p.held_out)

    @property
    def held_out(self) -> tuple[Pattern, ...]:
        return tuple(p for p in self.patterns if p.held_out)

    def __iter__(self):
        return iter(self.patterns)

    def __len__(self) -> int:
        return len(self.patterns)

    def __getitem__(self, name: str) -> Pattern:
        return next(p for p in self.patterns if p.name == name)

    def to_records(self) -> list[dict[str, Any]]:
        return [asdict(p) for p in self.patterns]


def load_patterns(path: str | Path | None = None) -> PatternSet:
    """The patterns of ``path`` (default: the packaged ``patterns.toml``); CalibrationFileError lists every
    problem."""
    path = Path(path) if path is not None else packaged(DEFAULT)
    return check_patterns(read(path), str(path))


def check_patterns(data: dict[str, Any], source: str) -> PatternSet:
    found: list[Problem] = []
    try:
        whole = PatternFile.model_validate(data)
        entries, description = whole.pattern, whole.description
    except ValidationError as error:
        found += problems(error, data, PatternFile)
        raw = data.get("pattern")
        entries, description = (raw if isinstance(raw, list) else []), ""
    patterns: list[Pattern] = []
    names: dict[str, int] = {}
    for number, entry in enumerate(entries):
        where = f"pattern.{number}"
        if not isinstance(entry, dict):
            found.append(Problem(where, f"expected a table of keys, got {entry!r}"))
            continue
        try:
            spec = PatternSpec.model_validate(entry)
        except ValidationError as error:
            found += problems(error, entry, PatternSpec, where)
            spec = None
        found += _statistic_problems(entry, where)
        band, band_problems = _band(entry, where)
        found += band_problems
        name = entry.get("name")
        if isinstance(name, str) and name in names:
            found.append(Problem(f"{where}.name", f"'{name}' is also the name of pattern.{names[name]}"))
        if isinstance(name, str):
            names.setdefault(name, number)
        if spec is not None and band is not None and spec.statistic in STATISTICS:
            patterns.append(
                Pattern(spec.name, spec.level, spec.statistic, spec.target, *band, spec.source, spec.held_out)
            )
    if entries and not found and not any(not p.held_out for p in patterns):
        found.append(Problem("pattern", "every pattern is held out: at least one must be fitted"))
    if found:
        raise CalibrationFileError(source, found)
    return PatternSet(tuple(patterns), source, description)


def _statistic_problems(entry: dict[str, Any], where: str) -> list[Problem]:
    statistic, level = entry.get("statistic"), entry.get("level")
    if not isinstance(statistic, str) or not statistic:
        return []  # pydantic reports it
    if statistic not in STATISTICS:
        known = list(STATISTICS)
        return [
            Problem(
                f"{where}.statistic",
                f"unknown statistic '{statistic}'{suggest(statistic, known)}; expected one of {', '.join(known)}",
            )
        ]
    measured = STATISTICS[statistic].level
    if level in LEVELS and level != measured:
        return [
            Problem(f"{where}.level", f"expected '{measured}' (the level '{statistic}' is measured at), got {level!r}")
        ]
    return []


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _band(entry: dict[str, Any], where: str) -> tuple[tuple[float, float] | None, list[Problem]]:
    """(low, high) of the pattern's band, or the problems with it (read from the table as written, so that they
    show even when other keys of the table are wrong; wrongly typed values are pydantic's to report)."""
    values: list[Any] = [entry.get(key) for key in ("target", "tolerance", "low", "high")]
    target, tolerance, low, high = values
    edges = low is not None, high is not None
    if tolerance is not None:
        if any(edges):
            return None, [Problem(where, "give either tolerance or low and high, not both")]
        if not (_number(target) and _number(tolerance)) or tolerance <= 0:
            return None, []
        return (target - tolerance, target + tolerance), []
    if not all(edges):
        missing = "a tolerance, or low and high" if not any(edges) else ("high" if edges[0] else "low")
        return None, [Problem(where, f"missing {missing}: the band of values that reproduce the pattern")]
    if not (_number(target) and _number(low) and _number(high)):
        return None, []
    if not low < target < high:
        return None, [Problem(where, f"expected low < target < high, got {low} < {target} < {high}")]
    return (float(low), float(high)), []
