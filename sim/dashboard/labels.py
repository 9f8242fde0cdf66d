"""The names the dashboard gives the model's quantities, in one place, so that a chart, a sentence and a slider
never call the same thing by two names.

The names follow the ODD (docs/ODD.md): the four experiences that decide whether someone goes on sharing
(recognition, reciprocation, ease of the process, and self-efficacy: believing one's knowledge makes a
difference, which hearing how a share was used feeds; the starting culture's ``feedback`` is that hearing,
"feedback on use"), satisfaction with sharing so
far, and psychological safety. Each name comes with a one-line hint for a tooltip or a slider.
"""

from __future__ import annotations

#: The experiences, satisfaction and safety as employees hold them (``EmployeeState`` fields), by model key.
EXPERIENCE_LABELS: dict[str, tuple[str, str]] = {
    "recognition": ("Recognition", "believed chance that a share is recognised"),
    "reciprocation": ("Reciprocation", "believed readiness of colleagues to share back"),
    "ease": ("Ease", "how easy sharing is, the opposite of friction"),
    "self_efficacy": ("Self-efficacy", "believing one's knowledge makes a difference, fed by hearing how it is used"),
    "satisfaction": ("Satisfaction", "satisfaction with sharing so far"),
    "psychological_safety": ("Psychological safety", "feeling safe to speak up and show gaps in the team"),
}

#: The starting culture a scenario sets (``Culture`` fields), by scenario key: what the sidebar's sliders set.
CULTURE_LABELS: dict[str, tuple[str, str]] = {
    "recognition": ("Recognition", "a share is recognised"),
    "reciprocation": ("Reciprocation", "colleagues share back"),
    "ease": ("Ease", "sharing is easy, little friction"),
    "feedback": ("Feedback on use", "sharers hear how their knowledge was used, which feeds self-efficacy"),
    "psychological_safety": ("Psychological safety", "the team's climate makes speaking up safe"),
}


def experience(key: str) -> str:
    """The display name of an experience, satisfaction or safety (a key of ``EXPERIENCE_LABELS``)."""
    return EXPERIENCE_LABELS[key][0]


def lower(label: str) -> str:
    """A label inside a sentence: "Self-efficacy" -> "self-efficacy"."""
    return label[:1].lower() + label[1:]


#: The pushes on one employee's intention (``Employee.drivers()`` keys), as a sentence names them. The beliefs
#: about what a share brings are "expected"; the constant bias (``baseline``) is the same for everyone, not shown.
DRIVER_LABELS: dict[str, str] = {
    "disposition": "personal readiness",
    "satisfaction": lower(experience("satisfaction")),
    "self_efficacy": lower(experience("self_efficacy")),
    "recognition": "expected " + lower(experience("recognition")),
    "reciprocation": "expected " + lower(experience("reciprocation")),
    "ease": "expected " + lower(experience("ease")),
    "psychological_safety": lower(experience("psychological_safety")),
    "colleagues_example": "colleagues' example",
    "role": "role",
}

#: The weekly series of the experiences chart (``History`` columns), in the order of the legend, with the key of
#: their name: the experiences as lived, averaged over employees.
EXPERIENCE_COLUMNS: dict[str, str] = {
    "experienced_recognition": "recognition",
    "experienced_reciprocation": "reciprocation",
    "experienced_ease": "ease",
    "self_efficacy": "self_efficacy",
    "satisfaction": "satisfaction",
    "perceived_safety": "psychological_safety",
}

#: What the experiences chart can show by group: sharing, or one of ``EXPERIENCE_COLUMNS``, by column.
QUANTITY_LABELS: dict[str, str] = {
    "sharing_rate": "Sharing",
    **{column: experience(key) for column, key in EXPERIENCE_COLUMNS.items()},
}

#: The weekly series of seeking (``behaviour.seeking``; sim/seeking_metrics.py) the seeking chart draws, with their
#: names; whom each share is of is in the name, as the three have different denominators.
SEEKING_COLUMNS: dict[str, str] = {
    "asking_rate": "Asking (% of employees)",
    "answer_rate": "Answered (% of requests)",
    "unanswered_share": "Given up (% of needs closed)",
}

#: The pushes on one person's chance to ask for help (``sim.seeking.asking_terms``), as a sentence names them;
#: the constant bias is the same for everyone, not shown.
ASKING_LABELS: dict[str, str] = {
    "safety": lower(experience("psychological_safety")),
    "awareness": "knowing who knows what",
    "reciprocation": "expecting colleagues to answer",
    "ease": "ease of reaching colleagues",
    "readiness": "their own history of being answered",
    "critique": "recent critique",
    "example": "a manager asking in public",
}
