"""A refused setting explained in the page's own words: the field's label, not the file's key.

The dashboard validates every change as a scenario file is validated, so a
refusal arrives as a ``ScenarioError`` that names keys (``organisation.team_size``,
``interventions.0``) and the limits of 64-bit numbers. Someone who typed into a
field called "People per team" needs that name back, and a limit they can read.
Errors in an uploaded file keep the file's keys: that is what its author wrote.
"""

from __future__ import annotations

import re

from sim.dashboard.labels import CULTURE_LABELS
from sim.own_org import FILE_KEYS
from sim.scenario_files import Problem, ScenarioError

#: The keys whose problems begin with the file's name, rows and column: the key adds nothing for the reader.
_FILE_KEYS = {f"{section}.{key}" for section, key in FILE_KEYS.values()}

#: The label of each field the page edits, by the key a scenario file gives it.
FIELD_LABELS = {
    "organisation.employees": "Employees",
    "organisation.departments": "Departments",
    "organisation.team_size": "People per team",
    "weeks": "Weeks",
    "seed": "Seed",
    **{f"culture.{key}": label for key, (label, _) in CULTURE_LABELS.items()},
}
INTERVENTION_FIELDS = {"start": "start week", "end": "end week", "intensity": "intensity"}
LARGEST = str(2**63 - 1)


def readable(message: str) -> str:
    """Limits a person can read: "0 or more" for the largest whole number, thousands separated."""
    message = re.sub(rf"from (-?\d+(?:\.\d+)?) to {LARGEST}", r"\1 or more", message)
    return re.sub(r"(?<![\d.])\d{5,}(?![\d.])", lambda m: f"{int(m.group()):,}", message)


def for_settings(error: ScenarioError, intervention: str = "") -> str:
    """The problems of a refused change, each under the label of the field it concerns.

    ``intervention`` is the family being edited, which a problem keyed ``interventions.N`` is about.
    """
    lines = []
    for problem in error.problems:
        key = problem.key
        label = FIELD_LABELS.get(key, "")
        if not label and key.startswith("interventions"):
            field = key.split(".")[2] if key.count(".") >= 2 else ""
            name = intervention.replace("_", " ") or "intervention"
            label = f"{name}, {INTERVENTION_FIELDS.get(field, field)}" if field else name
        text = readable(problem.message)
        lines.append(f"{label}: {text}" if label else text)
    return "\n".join(lines)


def for_upload(error: ScenarioError) -> str:
    """The problems of a refused upload, as the command line lists them; a problem in a CSV file begins with the
    file's name, its rows and its column, and is shown without the scenario key that named the file."""
    problems = [Problem("", item.message) if item.key in _FILE_KEYS else item for item in error.problems]
    return str(ScenarioError(error.source, problems))


def in_words(words: list[str]) -> str:
    """A list as a sentence says it: "a", "a and b", "a, b and c"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
