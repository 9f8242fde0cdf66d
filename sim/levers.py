"""Turn the interventions running this week into per-employee conditions.

The starting culture sets each lever's resting value; every running
intervention adds its effect, scaled by intensity, for the employees it
targets. The result is cached for as long as the same interventions run,
so a 520-week scenario with two programmes computes it three times, not 520.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.arrays import F
from sim.interventions import LEVERS, InterventionBase, department_of
from sim.organisation import LEADER, MANAGER, SENIOR, STAFF, Structure
from sim.scenario import Scenario
from sim.team_culture import TeamCulture


def target_mask(target: str, org: Structure) -> np.ndarray:
    """Which employees an intervention's ``target`` names."""
    if target == "all":
        return np.ones(org.n, dtype=bool)
    department = department_of(target)
    if department is not None:
        return org.department == org.department_number(department)
    return {
        "staff": org.level == STAFF,
        "senior": org.level == SENIOR,
        "manager": org.level == MANAGER,
        "leader": org.level == LEADER,
        "managers": org.level >= MANAGER,
        "newcomers": org.newcomer,
    }[target]


class Levers:
    """Per-employee lever values for the current set of running interventions."""

    def __init__(self, scenario: Scenario, org: Structure, teams: TeamCulture | None = None):
        self._org = org
        self._teams = teams
        culture = scenario.culture
        self._rest: dict[str, float] = {
            "recognition": culture.recognition,
            "feedback": culture.feedback,
            "friction": 1.0 - culture.ease,
            "opportunity": scenario.behaviour.base_opportunity,
            "reciprocity": 0.0,
            "absorption": 0.0,
            "critique": 0.0,
            "modelling": 0.0,
            "reach": 0.0,
            "safety": 0.0,
            "asking": 0.0,
            "expertise": 0.0,
        }
        assert set(self._rest) == set(LEVERS)
        self._rest_reciprocation = culture.reciprocation
        self._key: tuple[int, ...] | None = None
        self.values: dict[str, np.ndarray] = {}
        self.reaching = False
        self.team_safety = np.zeros(org.n_teams, dtype=F)
        self.team_asking = np.zeros(org.n_teams, dtype=F)
        self.showing_expertise = False
        self.readiness = np.zeros(org.n, dtype=F)

    def update(self, running: Sequence[tuple[int, InterventionBase]]) -> None:
        key = tuple(number for number, _ in running)
        if key == self._key:
            return
        self._key = key
        n = self._org.n
        values = {name: np.full(n, rest, dtype=F) for name, rest in self._rest.items()}
        if self._teams is not None:  # each team's own recognition, feedback and ease, where its survey says
            team = self._org.team
            values["recognition"] = self._teams.per_person("recognition", team).astype(F)
            values["feedback"] = self._teams.per_person("feedback", team).astype(F)
            values["friction"] = (1.0 - self._teams.per_person("ease", team)).astype(F)
        #: Each person's readiness to share back when shared with: the culture's ``reciprocation``, or their team's.
        self.readiness = (
            np.full(n, self._rest_reciprocation, dtype=F)
            if self._teams is None
            else self._teams.per_person("reciprocation", self._org.team).astype(F)
        )
        for _, item in running:
            if not item.EFFECTS:
                continue
            mask = target_mask(item.target, self._org)
            for lever, effect in item.EFFECTS.items():
                values[lever][mask] += F(effect * item.intensity)
        for name in ("recognition", "feedback", "friction", "opportunity", "critique"):
            np.clip(values[name], 0.0, 1.0, out=values[name])
        np.maximum(values["reach"], 0.0, out=values["reach"])
        self.reaching = bool(values["reach"].any())  # a platform broadcasts to readers
        np.maximum(values["absorption"], -0.9, out=values["absorption"])
        # A team's climate target moves by the mean push its members receive.
        pushed = np.bincount(self._org.team, weights=values["safety"], minlength=self._org.n_teams)
        self.team_safety = (pushed / np.maximum(self._org.team_size, 1)).astype(F)
        # A team sees its manager or leader ask in public: the strongest example among its members counts.
        self.team_asking = np.zeros(self._org.n_teams, dtype=F)
        np.maximum.at(self.team_asking, self._org.team, np.maximum(values["asking"], 0.0))
        np.maximum(values["expertise"], 0.0, out=values["expertise"])
        self.showing_expertise = bool(values["expertise"].any())  # a platform or community shows who knows what
        self.values = values

    def invalidate(self) -> None:
        """Forget the cache, e.g. after people moved between teams."""
        self._key = None

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[name]
