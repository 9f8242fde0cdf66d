"""The run being watched: the chosen scenario and its baseline, stepped together week by week.

The baseline is the same scenario (organisation, culture, mechanisms, seed)
with no intervention. Both models use the same seed, so they generate the
same organisation and start from the same state; any difference between the
two lines is what the interventions did (plus the chance that the runs drew
differently once they diverged). When the scenario has no intervention the
baseline *is* the run, and is not computed twice.

The run model is built exactly as ``kshare run`` builds it,
``KnowledgeSharingModel(scenario, rng=seed)``, and nothing else draws from its
random number generator, so an exported scenario reproduces its numbers.

Weekly series are read straight from Mesa's DataCollector lists (``History``)
rather than through ``timeseries()``, which builds a DataFrame of every week
each time it is called: too slow to do every week while the run plays.
"""

from __future__ import annotations

import itertools
import threading
from typing import Any

import numpy as np
import pandas as pd

from sim.model import KnowledgeSharingModel
from sim.scenario import Scenario
from sim.seeking import Seeking, asking_terms

#: Up to this many employees, everyone's drivers are recorded every week (a click shows the whole story);
#: above it, only watched employees' drivers are, from the moment they are watched.
RECORD_ALL_LIMIT = 1000
_SERIALS = itertools.count(1)


class History:
    """The weekly outputs of a model so far, by column name, without copying them into a DataFrame."""

    def __init__(self, model: KnowledgeSharingModel):
        self.model = model

    def __getitem__(self, name: str) -> np.ndarray:
        collector = self.model.datacollector
        if name in collector.model_vars:
            return np.asarray(collector.model_vars[name], dtype=float)
        return np.asarray(collector.tables["groups"][name], dtype=float)

    def __contains__(self, name: object) -> bool:
        collector = self.model.datacollector
        return name in collector.model_vars or name in collector.tables["groups"]

    def __len__(self) -> int:
        return len(self.model.datacollector.model_vars["week"])


def baseline_of(scenario: Scenario) -> Scenario:
    """The same scenario with no intervention."""
    return scenario.model_copy(update={"interventions": [], "name": f"{scenario.name} (no intervention)"})


class Run:
    """A scenario and its baseline, run in lock-step; safe to step from the play thread and a button at once."""

    def __init__(self, scenario: Scenario, seed: int):
        self.serial = next(_SERIALS)  # identifies this run for the chart cache
        self.scenario = scenario
        self.seed = int(seed)
        self.model = KnowledgeSharingModel(scenario, rng=self.seed)
        self.baseline = KnowledgeSharingModel(baseline_of(scenario), rng=self.seed) if scenario.interventions else None
        self.lock = threading.RLock()
        self.has_drivers = self.model.rule.decides
        self.record_all = self.has_drivers and self.model.org.n <= RECORD_ALL_LIMIT
        self._driver_names: list[str] = []
        self._all_drivers: list[np.ndarray] = []  # one (n, drivers) array per week when recording everyone
        self._watched: dict[int, dict[int, dict[str, float]]] = {}  # employee -> week -> drivers
        self._record()

    # -------------------------------------------------------------- running
    @property
    def week(self) -> int:
        return self.model.week

    @property
    def weeks(self) -> int:
        return self.scenario.weeks

    @property
    def done(self) -> bool:
        return self.model.week >= self.scenario.weeks

    def step(self) -> bool:
        """One week of both runs; False (and nothing done) when the scenario's end is reached."""
        with self.lock:
            if self.done:
                return False
            self.model.step()
            if self.baseline is not None:
                self.baseline.step()
            self._record()
            return True

    # -------------------------------------------------------------- results
    @property
    def history(self) -> History:
        return History(self.model)

    @property
    def baseline_history(self) -> History | None:
        return History(self.baseline) if self.baseline is not None else None

    def frame(self, baseline: bool = False) -> pd.DataFrame:
        """The weekly table so far, as ``kshare run`` writes it (for CSV export)."""
        with self.lock:
            model = self.baseline if baseline and self.baseline is not None else self.model
            return model.timeseries()

    @property
    def seeking(self) -> Seeking | None:
        """The run's seeking (``behaviour.seeking``), or None when nobody asks in this scenario."""
        return getattr(self.model.rule, "seeking", None)

    # -------------------------------------------------------------- drivers
    def _record(self) -> None:
        if not self.has_drivers:
            return
        if not (self.record_all or self._watched):
            return
        table = self.model.rule.drivers_table()  # everyone's at once: one pass, however many are watched
        if self.record_all:
            if not self._driver_names:
                self._driver_names = list(table)
            self._all_drivers.append(np.stack([table[k] for k in self._driver_names], axis=1).astype(np.float32))
        for who, weeks in self._watched.items():
            weeks[self.model.week] = {key: float(values[who]) for key, values in table.items()}

    def watch(self, employee: int) -> None:
        """Start recording an employee's drivers (already recorded when everyone is)."""
        with self.lock:
            if self.has_drivers and not self.record_all and employee not in self._watched:
                self._watched[employee] = {self.model.week: self.model.employees[employee].drivers()}

    def drivers_history(self, employee: int) -> tuple[np.ndarray, list[dict[str, float]]]:
        """Weeks and the employee's drivers in each, as far as they were recorded."""
        with self.lock:
            if self.record_all:
                weeks = np.arange(len(self._all_drivers))
                rows = [dict(zip(self._driver_names, map(float, week[employee]))) for week in self._all_drivers]
                return weeks, rows
            self.watch(employee)
            recorded = self._watched[employee]
            return np.array(sorted(recorded)), [recorded[week] for week in sorted(recorded)]

    def describe(self, employee: int) -> dict[str, Any]:
        """Who an employee is and where they stand, for the employee panel."""
        with self.lock:
            return self._describe(employee)

    def _describe(self, employee: int) -> dict[str, Any]:
        agent, org = self.model.employees[employee], self.model.org
        return {  # each as the outputs show it: the chart's id and names (pseudonyms, anonymised), else numbers
            "id": agent.employee_id,
            "kind": type(agent).__name__,
            "level": agent.level,
            "department": org.department_label(agent.department),
            "team": org.team_label(agent.team),
            "tenure_weeks": agent.tenure_weeks,
            "status": agent.status,
            "shares": agent.shares,
            "shared_this_week": agent.shared_this_week,
            "drivers": agent.drivers() if self.has_drivers else None,
            "seeking": self._seeking(employee),
        }

    def _seeking(self, employee: int) -> dict[str, Any] | None:
        """What seeking did for the employee this week, and what pushes their chance to ask now
        (``sim.seeking.asking_terms``); None when nobody asks in this scenario."""
        seeking = self.seeking
        if seeking is None:
            return None
        week = seeking.last
        return {
            "needing": bool(week.needing[employee]),
            "need": int(seeking.need[employee]),  # the domain of the need still open; -1 none
            "since": int(seeking.need_since[employee]),
            "week": self.model.week,
            "chance": float(week.chance_to_ask[employee]),
            "asked": bool(week.asked[employee]),
            "answered": bool(week.answered[employee]),
            "answerer": bool(week.answerer[employee]),
            "gave_up": bool(week.gave_up[employee]),
            "terms": {name: float(values[0]) for name, values in asking_terms(self.model, employee).items()},
        }
