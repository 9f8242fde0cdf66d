"""How a sweep's numbers are put to a reader: scales, names, labels and sentences.

Stored values are fractions and raw counts, chosen for computing; a reader
wants sharing in % and differences in points, a noun instead of a column
name, and no more decimals than the interval supports. Every table, figure
and sentence of the analysis takes its wording from here, so one output is
named and scaled the same way everywhere.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.metrics import GROUPED


# ----------------------------------------------------------------- scales
@dataclass(frozen=True)
class Scale:
    """How a stored value is shown: multiplied by ``factor`` (fractions as %), with the unit an axis
    names and the word a difference takes."""

    factor: float
    axis: str
    word: str


PERCENT = Scale(100.0, "%", "points")
EMPLOYEES = Scale(1.0, "employees", "employees")
SCALE01 = Scale(1.0, "0-1 scale", "on the 0-1 scale")
KNOWLEDGE = Scale(1.0, "arbitrary units", "units")
INDEX = Scale(1.0, "0-1", "")

_SCALES = {
    "sharing_rate": PERCENT,
    "cross_team_flows": PERCENT,
    "cross_department_flows": PERCENT,
    "top1_share": PERCENT,
    "top10_share": PERCENT,
    "active": EMPLOYEES,
    "lapsed": EMPLOYEES,
    "never_shared": EMPLOYEES,
    "knowledge_mean": KNOWLEDGE,
    "contacts": Scale(1.0, "contacts", "contacts"),
    "knowledge_cv": Scale(1.0, "sd / mean", ""),
}
_NOUNS = {
    "sharing_rate": "sharing",
    "active": "active employees",
    "lapsed": "lapsed employees",
    "never_shared": "employees who never shared",
    "knowledge_mean": "mean knowledge",
    "knowledge_gini": "knowledge Gini",
    "knowledge_cv": "knowledge CV",
    "top1_share": "contacts by the top 1 %",
    "top10_share": "contacts by the top 10 %",
    "cross_team_flows": "contacts across teams",
    "cross_department_flows": "contacts across departments",
}
#: Scalar outcomes that are sharing rates over a stretch of the run (``final_*`` take their column's scale).
_OUTCOME_NOUNS = {
    "mean_sharing_rate": "sharing over the run",
    "late_sharing_rate": "late sharing (last quarter)",
    "during_sharing_rate": "sharing while the programme ran",
    "after_sharing_rate": "sharing after the programme ended",
    "peak_sharing_rate": "peak weekly sharing",
}
_AXES = {"sharing_rate": "employees sharing that week"}
_GROUP = re.compile(r"^(?P<core>.+)\[(?P<group>[^\]]+)\]$")


def _split(name: str) -> tuple[str, str | None]:
    match = _GROUP.match(name)
    return (match["core"], match["group"]) if match else (name, None)


def scale_of(name: str) -> Scale:
    """The scale of an output or outcome, e.g. PERCENT for 'sharing_rate' and 'late_sharing_rate'."""
    core, _ = _split(name)
    if core in _OUTCOME_NOUNS:
        return PERCENT
    core = core.removeprefix("final_")
    return _SCALES.get(core, SCALE01 if core in GROUPED or core == "intention" else INDEX)


# ------------------------------------------------------------------ names
def noun(name: str) -> str:
    """What a reader calls an output or outcome, e.g. 'late sharing (last quarter)'."""
    core, group = _split(name)
    if core in _OUTCOME_NOUNS:
        text = _OUTCOME_NOUNS[core]
    elif core.startswith("final_"):
        text = f"{noun(core.removeprefix('final_'))} in the final week"
    else:
        text = _NOUNS.get(core, core.replace("_", " "))
    return f"{text} ({group})" if group else text


def axis_label(name: str) -> str:
    """A y-axis label with its unit, e.g. 'employees sharing that week (%)'."""
    core, group = _split(name)
    text = _AXES.get(core, noun(core)) + (f" ({group})" if group else "")
    return f"{text} ({scale_of(name).axis})"


def per_range(outcome: str) -> str:
    """The unit of a Morris effect: a change over a parameter's whole range, in the outcome's unit."""
    scale = scale_of(outcome)
    if scale is PERCENT:
        return "points per parameter range"
    return "per parameter range" if scale.axis.startswith("0-1") else f"{scale.axis} per parameter range"


# ---------------------------------------------------------------- numbers
def decimals(half_width: float) -> int:
    """One significant figure of the interval's half-width: as precise as the estimate is."""
    if not half_width or not math.isfinite(half_width):
        return 1
    return max(0, -math.floor(math.log10(abs(half_width))))


def signed(value: float, places: int) -> str:
    """Signed to ``places`` decimals, without the '-0.0' that rounding a small negative number leaves."""
    text = f"{value:+.{places}f}"
    return text if float(text) != 0 else f"{0:.{places}f}"


def estimate(name: str, mean: float, low: float = math.nan, high: float = math.nan, sign: bool = False) -> str:
    """'24.6 (23.9 to 25.4)', in the measure's scale and as precise as its interval."""
    scale = scale_of(name)
    if not np.isfinite(mean):
        return ""
    if not np.isfinite(high - low):
        return f"{scale.factor * mean:.4g}"
    places = max(decimals(scale.factor * (high - low) / 2), 1 if scale is PERCENT else 0)
    text = (lambda v: signed(v, places)) if sign else (lambda v: f"{v:.{places}f}")
    return f"{text(scale.factor * mean)} ({text(scale.factor * low)} to {text(scale.factor * high)})"


# -------------------------------------------------------------- sentences
def sentence(row) -> str:
    """e.g. 'recognition_programme: +18.2 points of sharing at week 52 vs baseline (95 % CI +16.9 to +19.5)'."""
    scale = scale_of(row.output)
    diff, low, high = (scale.factor * v for v in (row.difference, row.ci_low, row.ci_high))
    places = max(decimals((high - low) / 2), 1 if scale is PERCENT else 0)  # points of sharing: always one decimal
    text = signed(diff, places)
    if scale is PERCENT:
        what = f"{text} points of {noun(row.output)}"
    elif scale is EMPLOYEES:
        what = f"{text} {noun(row.output)}"
    else:
        what = f"{noun(row.output)} {text} {scale.word}".rstrip()
    when = f" at week {row.week}" if not pd.isna(row.week) else ""
    where = f" ({row.point_label})" if "point_label" in row._fields else ""
    if low == high:  # e.g. before a programme starts, paired runs are the same run
        ci = (
            ("identical in every pair" if diff == 0 else "the same difference in every pair")
            if row.method == "paired"
            else "no spread in either scenario"
        )
    elif math.isfinite(low) and math.isfinite(high):
        clear = "" if low > 0 or high < 0 else "; no clear difference"
        ci = f"95 % CI {signed(low, places)} to {signed(high, places)}{clear}"
    else:
        ci = "no interval: too few runs"
    return f"{row.scenario}{where}: {what}{when} vs {row.baseline} ({ci})"
