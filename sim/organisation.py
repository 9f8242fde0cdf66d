"""Generate an organisation and its social network from the structure parameters and a seed.

Everything is built with whole-array numpy operations so that a million
employees take a couple of seconds: departments and teams are contiguous
blocks of employee indices, team membership is kept as a CSR index (so that
a restructuring can move people without rebuilding the world), and each
employee's cross-team acquaintances are a fixed-width table of indices.
Three kinds of tie follow the structure, as in the organisational network
literature: strong ties inside teams, weak ties across teams and
departments, and reporting lines up the hierarchy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.arrays import offsets, starts
from sim.compiled import teammates
from sim.scenario import LEVELS, Organisation

STAFF, SENIOR, MANAGER, LEADER = (LEVELS.index(name) for name in LEVELS)
WEEKS_PER_YEAR = 52


@dataclass
class Structure:
    """Who is where. Indices are employee numbers 0..n-1."""

    department: np.ndarray  # int32 per employee
    team: np.ndarray  # int32 per employee
    level: np.ndarray  # int8 per employee, index into LEVELS
    newcomer: np.ndarray  # bool per employee
    tenure: np.ndarray  # int32 weeks per employee
    specialty: np.ndarray  # int16 knowledge domain per employee
    manager_of: np.ndarray  # int32 reporting line per employee, -1 at the top
    team_manager: np.ndarray  # int32 per team
    team_department: np.ndarray  # int32 per team
    weak_ties: np.ndarray  # int32 (n, k) cross-team acquaintances
    # The team CSR index, built from ``team`` by reindex_teams (in __post_init__), never passed in.
    members: np.ndarray = field(init=False)  # int32 employees sorted by team (CSR payload)
    team_start: np.ndarray = field(init=False)  # int64 per team, offset into members
    team_size: np.ndarray = field(init=False)  # int64 per team
    ring_start: np.ndarray | None = None  # int64 (n + 1) CSR offsets of the ring network, if there is one
    ring: np.ndarray | None = None  # int32 ring neighbours, each person's at ring[ring_start[i]:ring_start[i + 1]]
    ids: np.ndarray | None = None  # str per employee: the chart's ids, for an organisation read from a chart
    department_names: list[str] | None = None  # per department, from a chart (None: generated, shown by number)
    team_names: list[str] | None = None  # per team, from a chart
    survey: dict[str, np.ndarray] | None = None  # survey measure -> 0–1 mean per team, NaN where not used
    #: The number of each department a ``department:NAME`` target may name: the chart's names as read, and with
    #: ``anonymise`` the real names the scenario's targets use (outputs show ``department_names``, never these).
    department_numbers: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.reindex_teams()

    @property
    def n(self) -> int:
        return len(self.team)

    @property
    def n_teams(self) -> int:
        return len(self.team_manager)

    def department_label(self, department: int) -> str:
        """How outputs show a department: its name in the chart (a pseudonym with ``anonymise``), else its number."""
        return str(department) if self.department_names is None else self.department_names[department]

    def team_label(self, team: int) -> str:
        """How outputs show a team: its name in the chart (a pseudonym with ``anonymise``), else its number."""
        return str(team) if self.team_names is None else self.team_names[team]

    def employee_label(self, employee: int) -> str | int:
        """How outputs show an employee: their id in the chart (a pseudonym with ``anonymise``), else their number."""
        return employee if self.ids is None else str(self.ids[employee])

    def department_number(self, department: int | str) -> int:
        """The department a target names, by number or by name (``department_numbers``)."""
        if isinstance(department, int):
            return department
        if department not in self.department_numbers:
            raise ValueError(f"no department named '{department}' in this organisation")
        return self.department_numbers[department]

    def reindex_teams(self) -> None:
        """Rebuild the team CSR index after people moved between teams."""
        self.members = np.argsort(self.team, kind="stable").astype(np.int32)
        self.team_size = np.bincount(self.team, minlength=self.n_teams).astype(np.int64)
        self.team_start = starts(self.team_size)

    def teammate(self, who: np.ndarray, u: np.ndarray) -> np.ndarray:
        """A uniformly chosen teammate of each employee in ``who`` (never themselves)."""
        return teammates(self.members, self.team_start, self.team_size, self.team, np.asarray(who), np.asarray(u))

    def edges(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """The network as (source, target) arrays per tie kind, for drawing and export."""
        same_team_src, same_team_dst = [], []
        for t in range(self.n_teams):
            who = self.members[self.team_start[t] : self.team_start[t] + self.team_size[t]]
            a, b = np.triu_indices(len(who), 1)
            same_team_src.append(who[a])
            same_team_dst.append(who[b])
        up = np.flatnonzero(self.manager_of >= 0)
        weak_src = np.repeat(np.arange(self.n, dtype=np.int32), self.weak_ties.shape[1])
        return {
            "team": (np.concatenate(same_team_src), np.concatenate(same_team_dst)),
            "weak": (weak_src, self.weak_ties.ravel()),
            "reporting": (up.astype(np.int32), self.manager_of[up]),
        }


def _department_sizes(org: Organisation, rng: np.random.Generator) -> np.ndarray:
    """Departments of unequal size, as in real organisations, each with at least 3 people."""
    spare = org.employees - 3 * org.departments
    weights = rng.dirichlet(np.full(org.departments, 4.0))
    return rng.multinomial(spare, weights) + 3


def _team_sizes(dept_sizes: np.ndarray, team_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Split each department into teams as close to ``team_size`` as the headcount allows."""
    n_teams = np.maximum(1, np.rint(dept_sizes / team_size).astype(np.int64))
    team_dept = np.repeat(np.arange(len(dept_sizes)), n_teams)
    base = np.repeat(dept_sizes // n_teams, n_teams)
    # The first (size mod teams) teams of each department take one extra person.
    first_team = starts(n_teams)
    rank_in_dept = np.arange(len(team_dept)) - np.repeat(first_team, n_teams)
    extra = rank_in_dept < np.repeat(dept_sizes % n_teams, n_teams)
    return (base + extra).astype(np.int64), team_dept.astype(np.int32)


def generate(org: Organisation, rng: np.random.Generator) -> Structure:
    """Build departments, teams, levels, tenure, specialties and ties."""
    n = org.employees
    dept_sizes = _department_sizes(org, rng)
    dept_start = starts(dept_sizes)
    department = np.repeat(np.arange(org.departments, dtype=np.int32), dept_sizes)

    team_sizes, team_department = _team_sizes(dept_sizes, org.team_size)
    team = np.repeat(np.arange(len(team_sizes), dtype=np.int32), team_sizes)
    team_first = starts(team_sizes).astype(np.int32)

    # Hierarchy: each team's first member manages it; the manager of a
    # department's first team leads the department; department 0's leader
    # heads the organisation.
    level = np.where(rng.random(n) < org.senior_share, SENIOR, STAFF).astype(np.int8)
    level[team_first] = MANAGER
    dept_first_team = starts(np.bincount(team_department))
    leaders = team_first[dept_first_team]
    level[leaders] = LEADER

    manager_of = team_first[team].copy()
    manager_of[team_first] = leaders[team_department]
    manager_of[leaders] = leaders[0]
    manager_of[leaders[0]] = -1

    newcomer, tenure = draw_tenure(level, org, rng)
    specialty = draw_specialty(team, team_department, org, rng)

    weak = weak_ties(org, rng, department, dept_start, dept_sizes)
    ring_start, ring = (None, None)
    if org.network == "ring":
        # Its own stream, so the same seed gives the same people at every rewiring probability.
        ring_start, ring = ring_lattice(n, org.neighbours, org.rewiring, np.random.default_rng(rng.integers(2**63)))
    return Structure(
        department=department,
        team=team,
        level=level,
        newcomer=newcomer,
        tenure=tenure,
        specialty=specialty,
        manager_of=manager_of.astype(np.int32),
        team_manager=team_first,
        team_department=team_department,
        weak_ties=weak,
        ring_start=ring_start,
        ring=ring,
    )


def draw_tenure(level: np.ndarray, org: Organisation, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Who is in their first year, and everyone's tenure in weeks, from their level (assumption: staff alone are
    newcomers, at ``newcomer_share`` overall; the rest have served an exponential 4 years, plus 1, plus 3 for
    seniors, 5 for managers and 8 for leaders)."""
    n = len(level)
    newcomer = (level == STAFF) & (rng.random(n) < org.newcomer_share / max(1e-9, 1 - org.senior_share))
    years = rng.exponential(4.0, n) + 1.0 + np.choose(level, [0.0, 3.0, 5.0, 8.0])
    tenure = np.where(newcomer, rng.integers(0, WEEKS_PER_YEAR, n), years * WEEKS_PER_YEAR).astype(np.int32)
    return newcomer, tenure


def draw_specialty(
    team: np.ndarray, team_department: np.ndarray, org: Organisation, rng: np.random.Generator
) -> np.ndarray:
    """Each person's knowledge domain: a team works mostly in one domain, loosely tied to its department's."""
    n_teams, domains = len(team_department), org.knowledge_domains
    team_domain = np.where(
        rng.random(n_teams) < 0.5,
        team_department % domains,
        rng.integers(0, domains, n_teams),
    )
    return np.where(rng.random(len(team)) < 0.7, team_domain[team], rng.integers(0, domains, len(team))).astype(
        np.int16
    )


def weak_ties(
    org: Organisation,
    rng: np.random.Generator,
    department: np.ndarray,
    dept_start: np.ndarray,
    dept_sizes: np.ndarray,
) -> np.ndarray:
    """Each employee's acquaintances: mostly in their own department, some beyond it."""
    n, k = org.employees, org.weak_ties
    if k == 0:
        return np.empty((n, 0), dtype=np.int32)
    own = np.repeat(department, k)
    across = rng.random(n * k) < org.cross_department_share
    inside = dept_start[own] + (rng.random(n * k) * dept_sizes[own]).astype(np.int64)
    anywhere = rng.integers(0, n, n * k)
    ties = np.where(across, anywhere, inside)
    me = np.repeat(np.arange(n), k)
    ties = np.where(ties == me, (ties + 1) % n, ties)
    return ties.reshape(n, k).astype(np.int32)


def ring_lattice(n: int, k: int, p: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A Watts-Strogatz small world as a CSR index: a ring where each person knows the k nearest, then
    each tie's far end is moved to a random person with probability p (p = 1 is a random graph).

    Employee numbers run team by team, so on the ring one's nearest neighbours are mostly teammates.
    A rewired tie that would loop back or repeat an existing tie is drawn again (a handful of rounds
    settles them all; any left after that are dropped, which at p < 1 and n >> k never happens in practice).
    """
    half = k // 2
    src = np.repeat(np.arange(n, dtype=np.int64), half)
    dst = (src + np.tile(np.arange(1, half + 1), n)) % n
    rewired = rng.random(len(src)) < p
    dst[rewired] = rng.integers(0, n, int(rewired.sum()))
    keep = np.ones(len(src), dtype=bool)
    for _ in range(50):
        key = np.minimum(src, dst) * n + np.maximum(src, dst)
        order = np.lexsort((rewired, key))  # within a repeated tie, an original lattice tie comes first
        repeat = np.zeros(len(src), dtype=bool)
        repeat[order[1:]] = key[order[1:]] == key[order[:-1]]
        bad = np.flatnonzero(repeat | (src == dst))
        if not bad.size:
            break
        dst[bad] = rng.integers(0, n, bad.size)
    else:
        keep[bad] = False
    a = np.concatenate((src[keep], dst[keep]))
    b = np.concatenate((dst[keep], src[keep]))
    order = np.argsort(a, kind="stable")
    start = offsets(np.bincount(a, minlength=n)).astype(np.int64)
    return start, b[order].astype(np.int32)
