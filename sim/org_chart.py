"""An organisation built from its own chart (and collaboration ties) instead of generated.

The model takes departments and teams to be contiguous blocks of employee numbers (acquaintances are drawn from
a department's block), so people are numbered department by department and team by team, in the chart's order
within a team, and ``Structure.ids`` keeps each one's id from the chart. What the chart does not say is drawn
as ``sim.organisation.generate`` draws it: specialties always, tenure when the chart has no ``tenure_weeks``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.arrays import starts
from sim.organisation import WEEKS_PER_YEAR, Structure, draw_specialty, draw_tenure, weak_ties
from sim.scenario import Organisation

if TYPE_CHECKING:
    from sim.orgdata import OrgData


def from_chart(data: OrgData, org: Organisation, rng: np.random.Generator) -> Structure:
    """Who is where, as the chart says; acquaintances from the ties if there are any (``tie_acquaintances``)."""
    n_teams = len(data.team_names)
    team_order = np.lexsort((np.arange(n_teams), data.team_department))  # new team number -> chart's team code
    renumber = np.empty(n_teams, dtype=np.int32)
    renumber[team_order] = np.arange(n_teams, dtype=np.int32)
    order = np.argsort(renumber[data.team], kind="stable")  # new employee number -> chart row
    place = np.empty(data.n, dtype=np.int64)
    place[order] = np.arange(data.n)

    team = renumber[data.team][order]
    department = data.department[order].astype(np.int32)
    team_department = data.team_department[team_order].astype(np.int32)
    level = data.level[order].astype(np.int8)
    up = data.manager_of[order]
    manager_of = np.where(up >= 0, place[np.maximum(up, 0)], -1).astype(np.int32)
    team_manager = place[data.team_manager[team_order]].astype(np.int32)

    if data.tenure is None:
        newcomer, tenure = draw_tenure(level, org, rng)  # assumption, as for a generated organisation
    else:
        tenure = data.tenure[order].astype(np.int32)
        newcomer = tenure < WEEKS_PER_YEAR
    specialty = draw_specialty(team, team_department, org, rng)

    dept_sizes = np.bincount(department, minlength=len(data.department_names)).astype(np.int64)
    weak = weak_ties(org, rng, department, starts(dept_sizes), dept_sizes)
    if data.ties is not None and data.tie_weight is not None:
        tie_acquaintances(weak, place[data.ties], data.tie_weight, team, rng)
    return Structure(
        department=department,
        team=team,
        level=level,
        newcomer=newcomer,
        tenure=tenure,
        specialty=specialty,
        manager_of=manager_of,
        team_manager=team_manager,
        team_department=team_department,
        weak_ties=weak,
        ids=data.ids[order],
        department_names=list(data.department_names),
        team_names=[data.team_names[code] for code in team_order],
        survey=None if data.survey is None else {m: v[team_order] for m, v in data.survey.values.items()},
        department_numbers={name: number for number, name in enumerate(data.department_names)},
    )


def tie_acquaintances(
    weak: np.ndarray, ties: np.ndarray, weight: np.ndarray, team: np.ndarray, rng: np.random.Generator
) -> None:
    """Replace the acquaintances of everyone with a tie outside their team by draws from those ties.

    Each of a person's ``k`` acquaintances is one of their ties outside their team (either end of the pair),
    drawn with probability proportional to its weight, with replacement: a weight is read as how often the
    pair are in touch, so a heavy tie fills more of the ``k`` places and carries more of the shares that go
    to acquaintances. Teammates are left out, as they are already in touch through the team; someone whose
    ties all lie inside their team keeps the acquaintances generated for them.
    """
    n, k = weak.shape
    if k == 0 or not len(ties):
        return
    a = np.concatenate((ties[:, 0], ties[:, 1]))
    b = np.concatenate((ties[:, 1], ties[:, 0]))
    w = np.concatenate((weight, weight)).astype(np.float64)
    outside = team[a] != team[b]
    a, b, w = a[outside], b[outside], w[outside]
    if not len(a):
        return
    by_person = np.argsort(a, kind="stable")
    a, b, w = a[by_person], b[by_person], w[by_person]
    cumulative = np.cumsum(w)
    count = np.bincount(a, minlength=n)
    first = starts(count)
    before = np.where(first > 0, cumulative[np.maximum(first - 1, 0)], 0.0)
    total = np.where(count > 0, cumulative[np.minimum(first + count - 1, len(a) - 1)] - before, 0.0)
    who = np.flatnonzero(count > 0)
    target = before[who, None] + rng.random((len(who), k)) * total[who, None]
    pick = np.searchsorted(cumulative, target, side="right")
    last = (first + count - 1)[who, None]
    weak[who] = b[np.clip(pick, first[who, None], last)]
