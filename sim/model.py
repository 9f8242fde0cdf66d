"""The knowledge-sharing model: a Mesa model whose employees decide each week whether to keep sharing."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from sim import compiled, metrics, seeking_metrics
from sim.agents import Employee, Manager, Newcomer
from sim.agents.population import create_population
from sim.arrays import F
from sim.barter import Barter
from sim.channels import Channels
from sim.dynamics import Dynamics
from sim.levers import Levers, target_mask
from sim.mechanism import CLIMATE_SHOCK, RESHUFFLE_RECIPROCATION_KEPT, RESHUFFLE_SHARE
from sim.organisation import MANAGER, Structure, generate
from sim.rule import WeeklyRule
from sim.scenario import Scenario
from sim.scenario_files import load_scenario
from sim.state import EmployeeState
from sim.team_culture import team_culture
from sim.warmup import settle


def _report(name: str, model: KnowledgeSharingModel) -> float:
    return model.metrics[name]


class WeeklyCollector(mesa.DataCollector):
    """Mesa's DataCollector, storing a week's outputs as they are: every output is a float, which cannot change
    once stored, so Mesa's copy of each value (``deepcopy``, for reporters that return mutable objects) and its
    check of each table column are skipped; together they were a fifth of a 500-person week."""

    def collect(self, model) -> None:
        if hasattr(self, "_collection_steps"):
            self._collection_steps.append(model.time)
        values = model.metrics
        for name, column in self.model_vars.items():
            column.append(values[name])

    def add_values(self, table: str, values: list[float]) -> None:
        """A row of ``table``, its values in the order of its columns."""
        for column, value in zip(self.tables[table].values(), values, strict=True):
            column.append(value)


class KnowledgeSharingModel(mesa.Model):
    """An organisation whose employees decide each week whether to keep sharing what they know.

    Build it from a preset name, a scenario file or a ``Scenario``, with any
    parameter overridden by name::

        model = KnowledgeSharingModel("blame_culture", rng=7, employees=2000)
        for _ in range(52):
            model.step()
        model.datacollector.get_model_vars_dataframe()

    ``rng`` defaults to the scenario's seed, so a run is reproducible unless
    asked otherwise. One step is one week. ``running`` turns false after the
    scenario's ``weeks``, which is how ``mesa.batch_run`` and the Solara
    visualisation know when to stop.
    """

    def __init__(self, scenario: str | Path | Scenario = "baseline", *, rng: int | None = None, **overrides: Any):
        params = load_scenario(scenario, **overrides)
        seed = params.seed if rng is None else rng
        super().__init__(rng=seed)
        self.seed = int(seed) if isinstance(seed, (int, np.integer)) else None
        self.params = params
        self.week = 0
        #: The week the weekly rule reached a state it cannot leave (only the barter does), where the run stopped.
        self.steady_week: int | None = None
        settling = int(self.rng.integers(2**63))  # first, so it does not depend on any other parameter

        self.org = self._structure()
        #: Each team's culture where a survey sets it (None: every team has the scenario's ``[culture]``).
        self.team_culture = team_culture(params.culture, self.org.survey, self.org.n_teams)
        self.state = EmployeeState.initial(params, self.org, self.rng, self.team_culture)
        self.channels = Channels(self.org.n)
        self.levers = Levers(params, self.org, self.team_culture)

        members = self._create_agents()
        # The weekly rule is chosen once here, so the weekly step never asks again.
        self.rule: WeeklyRule = Barter(self) if params.behaviour.decision == "barter" else Dynamics(self, members)
        settle(self, settling)
        #: Each team's climate at week 0, and how many weeks each person has shared in since: the team table's.
        self.start_climate = self.state.climate.copy()
        self.weeks_shared = np.zeros(self.org.n, dtype=np.int32)
        self._begin_interventions()

        self.metrics: dict[str, float] = {}
        self.knowledge_ranking = metrics.Ranking()  # last week's order of who knows most, for the Gini
        self.group_indexes = metrics.group_indexes(self)
        self.seeks = params.behaviour.seeking
        self._group_columns = metrics.group_columns(self) + (
            seeking_metrics.group_columns(self.group_indexes) if self.seeks else []
        )
        columns = metrics.COLUMNS + (seeking_metrics.COLUMNS if self.seeks else ())
        # Headline outputs are model reporters (what mesa.batch_run returns);
        # the by-level and by-department means go into one table row a week.
        self.datacollector = WeeklyCollector(
            model_reporters={name: partial(_report, name) for name in columns},
            tables={"groups": self._group_columns},
        )
        self._measure()

    # ------------------------------------------------------------------ set-up
    def _structure(self) -> Structure:
        """The organisation from its chart (and ties) if the scenario names one, else generated."""
        org = self.params.organisation
        if org.chart is None:
            return generate(org, self.rng)
        from sim.org_chart import from_chart
        from sim.own_org import shown_data, targeted_departments

        # Anonymised at the source: with organisation.anonymise nothing built from here holds a real name, only
        # the numbers of the departments the scenario's targets name.
        structure = from_chart(shown_data(self.params), org, self.rng)
        structure.department_numbers.update(targeted_departments(self.params))
        return structure

    def _create_agents(self) -> dict[type[Employee], np.ndarray]:
        """One Mesa agent per employee, of the type its role implies; returns each type's rows."""
        org = self.org
        kind = np.zeros(org.n, dtype=np.int8)
        kind[org.newcomer] = 2
        kind[org.level >= MANAGER] = 1
        types = (Employee, Manager, Newcomer)
        self.employees: list[Employee] = create_population(self, types, kind)
        return {cls: np.flatnonzero(kind == code) for code, cls in enumerate(types) if (kind == code).any()}

    # ---------------------------------------------------------------- running
    def step(self) -> None:
        """One week, recorded."""
        self.advance()
        self.weeks_shared += self.state.shared
        self._measure()
        if self.rule.at_steady_state and self.steady_week is None:
            self.steady_week = self.week
        if self.week >= self.params.weeks or self.steady_week is not None:
            self.running = False

    def advance(self) -> None:
        """One week, not recorded (the warm-up keeps no outputs): the weekly rule, and around it what is the
        same whichever rule runs: interventions, built ties fading, knowledge drift and who shared when."""
        self.week += 1
        self._begin_interventions()
        self.channels.dissolve(self._running_mask(), self.params.behaviour.tie_retention, self.rng)
        shared = self.rule.step()
        self._drift_knowledge()
        st = self.state
        st.shared = shared
        st.last_shared[shared] = self.week
        self.org.tenure += 1

    def _drift_knowledge(self) -> None:
        """Own learning in one's specialty, and obsolescence everywhere."""
        b = self.params.behaviour
        if b.depreciation or b.learning_rate:
            kept, learned = F(1 - b.depreciation), F(b.learning_rate)
            compiled.drift_knowledge(self.state.knowledge, self.org.specialty, kept, learned)

    def run(self, weeks: int | None = None, progress=None) -> None:
        """Run for ``weeks`` more weeks (default: to the scenario's end, or to the steady state if the rule
        reaches one first); ``progress`` is called after each."""
        for _ in range(self.params.weeks - self.week if weeks is None else weeks):
            if self.steady_week is not None:
                break
            self.step()
            if progress is not None:
                progress()

    def _measure(self) -> None:
        stacked = metrics.stack(self.state)  # shared by the overall and the group means
        self.metrics = metrics.measure(self, stacked)
        groups = metrics.group_means(self, stacked)
        if self.seeks:
            self.metrics |= seeking_metrics.measure(self)
            groups += seeking_metrics.group_values(self, self.group_indexes)
        self.datacollector.collect(self)
        self.datacollector.add_values("groups", groups)

    # ----------------------------------------------------------- interventions
    def _running_mask(self) -> np.ndarray:
        return np.array([item.active(self.week) for item in self.params.interventions] or [False])

    def _begin_interventions(self) -> None:
        """Start what starts this week, build its structures, and refresh the levers."""
        running = []
        for number, item in enumerate(self.params.interventions):
            if item.active(self.week):
                running.append((number, item))
                if item.start == self.week and item.BUILDS:
                    self._build(number, item)
        self.levers.update(running)

    def _build(self, number: int, item) -> None:
        mask = target_mask(item.target, self.org)
        if item.BUILDS == "reshuffle":
            self._reshuffle(mask, item.intensity)
        elif item.BUILDS == "climate_shock":
            shaken = np.unique(self.org.team[mask])
            self.state.climate[shaken] *= F(1 - CLIMATE_SHOCK * item.intensity)
            self.state.critique_memory[mask] += np.float32(item.intensity)
        else:
            self.channels.build(item.BUILDS, mask, item.intensity, number, self.org, self.rng)

    def _reshuffle(self, mask: np.ndarray, intensity: float) -> None:
        """A restructuring: some non-managers swap teams within their department, and report to their new manager.

        They keep their acquaintances but lose part of their trust that
        colleagues will share back.
        """
        org = self.org
        movers = np.flatnonzero(mask & (org.level < MANAGER) & (self.rng.random(org.n) < RESHUFFLE_SHARE * intensity))
        for department in np.unique(org.department[movers]):
            group = movers[org.department[movers] == department]
            org.team[group] = org.team[self.rng.permutation(group)]
        org.manager_of[movers] = org.team_manager[org.team[movers]]
        org.reindex_teams()
        self.state.reciprocation[movers] *= F(RESHUFFLE_RECIPROCATION_KEPT)
        self.rule.recount_teams()
        self.levers.invalidate()

    # ----------------------------------------------------------------- results
    def timeseries(self):
        """The weekly outputs as a pandas DataFrame, one row per week (week 0 = the start)."""
        headline = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        groups = self.datacollector.get_table_dataframe("groups").reset_index(drop=True)
        return pd.concat([headline, groups], axis=1)
