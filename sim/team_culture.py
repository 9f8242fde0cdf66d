"""Each team's culture: the scenario's ``[culture]`` values, or for a team its survey covers, its own.

A team survey (``culture.survey``) gives, per team, mean answers on up to five measures. Each is read as the
``[culture]`` value it stands beside, for that team only (ODD §7.3a):

* ``psychological_safety``: the team's climate of safety (its starting and resting climate);
* ``recognition``: the chance that a share is recognised, for the team's sharers;
* ``reciprocation``: the team's readiness to share back when a colleague shares with them;
* ``ease``: the ease of sharing (1 − friction), for the team's sharers;
* ``self_efficacy``: read as ``feedback``, the chance that a sharer hears how their knowledge was used, which
  is what feeds self-efficacy in the model (the handbook's fourth experience); a team that believes its
  knowledge makes a difference is taken to hear so.

How a mean answer becomes a model value is an assumption, and a user chooses it (``culture.survey_reading``):

* ``"relative"`` (the default): the ``[culture]`` value plus the team's distance from the survey's mean over
  its teams, on the 0–1 scale. Only the survey's comparisons between teams are used, which is what such items
  measure reliably, and the organisation's level stays where ``[culture]`` puts it (the calibrated defaults,
  or what the user sets). A team one point below the others on a five-point scale sits 0.25 below them.
* ``"absolute"``: the mean on the survey's scale, converted linearly to 0–1, is the value. It carries the
  organisation's level too, but agreement on a five-point item is not a chance: teams that "agree" that
  sharing is recognised (4 of 5, 0.75) would be recognised twice as often as the calibrated default (0.35),
  and teams without a usable row, which keep ``[culture]``, would look unlike the rest for no reason.

Teams the survey does not cover, or covers with too few respondents, take the ``[culture]`` values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.scenario import Culture

#: The survey's measures, by the ``[culture]`` key each is read as.
READ_AS = {
    "psychological_safety": "psychological_safety",
    "recognition": "recognition",
    "reciprocation": "reciprocation",
    "ease": "ease",
    "feedback": "self_efficacy",
}


@dataclass
class TeamCulture:
    """Per team (the model's numbering), each ``[culture]`` value as it applies to that team."""

    values: dict[str, np.ndarray]  # culture key -> float64 per team, 0–1
    surveyed: dict[str, np.ndarray]  # culture key -> bool per team: set by the survey, not by [culture]

    def per_person(self, key: str, team: np.ndarray) -> np.ndarray:
        return self.values[key][team]


def team_culture(culture: Culture, survey: dict[str, np.ndarray] | None, n_teams: int) -> TeamCulture | None:
    """Each team's culture values, from ``survey`` (measure -> 0–1 mean per team, NaN where not used), or None
    when there is no survey (every team takes ``[culture]``)."""
    if survey is None:
        return None
    values, surveyed = {}, {}
    for key, measure in READ_AS.items():
        base = float(getattr(culture, key))
        given = survey.get(measure)
        mean = np.full(n_teams, np.nan) if given is None else given
        found = ~np.isnan(mean)
        if culture.survey_reading == "relative" and found.any():
            mean = base + (mean - mean[found].mean())
        values[key] = np.clip(np.where(found, mean, base), 0.0, 1.0)
        surveyed[key] = found
    return TeamCulture(values, surveyed)


def note(culture: Culture, survey: dict[str, np.ndarray] | None, n_teams: int) -> str | None:
    """What the survey did to the teams' safety, in one line a run prints: how many teams it set, how they
    spread, and the value the other teams keep."""
    found = team_culture(culture, survey, n_teams)
    if found is None:
        return None
    surveyed = found.surveyed["psychological_safety"]
    if not surveyed.any():
        return "survey: no team has a usable psychological_safety mean; every team keeps the [culture] value"
    values = found.values["psychological_safety"][surveyed]
    return (
        f"survey ({culture.survey_reading} reading): psychological safety set for {surveyed.sum()} of "
        f"{n_teams} teams (from {values.min():.2f} to {values.max():.2f}, mean {values.mean():.2f}); "
        f"the other teams keep culture.psychological_safety = {culture.psychological_safety:.2f}"
    )
