"""The organisation chart: who reports to whom, in which team and department, at which level.

Reporting lines must form one tree. The check follows every line upwards at once by pointer doubling (each
round replaces a person's ancestor by that ancestor's ancestor), so it takes about log2(n) whole-array passes,
a few tenths of a second at a million people, however deep the hierarchy; nobody's chain is walked one step at a
time and nothing recurses.

Levels, when the chart has no ``level`` column (or a row leaves it empty), are inferred from the lines alone:
the head of the organisation and anyone who manages a manager is a ``leader``, anyone else who manages
somebody is a ``manager``, and everyone else ``staff``. ``senior`` cannot be seen in a chart; with
``tenure_weeks`` given, staff with at least SENIOR_WEEKS of tenure are ``senior``, and without it nobody is.
Tenure is rounded to whole weeks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sim.orgdata.problems import Problem, problem_at, quote_values
from sim.orgdata.table import Table, numbers
from sim.scenario import LEVELS

REQUIRED = ("id", "manager_id", "department", "team")
OPTIONAL = ("level", "tenure_weeks")
STAFF, SENIOR, MANAGER, LEADER = range(len(LEVELS))
#: Assumption (not from a source): five years in the organisation marks a non-manager as senior when levels are
#: inferred. It matches the generated organisations, where staff average 5 years' tenure and seniors 8
#: (sim/organisation.py), so it makes roughly the seniors of a generated organisation senior.
SENIOR_WEEKS = 5 * 52
#: Assumption: a tenure above 60 years is a mistake (days or months given as weeks), not a person.
MAX_TENURE_WEEKS = 60 * 52
#: Teams spanning departments described one by one; the others share one problem, so the list stays readable.
TEAMS_DETAILED = 3


@dataclass
class Chart:
    ids: np.ndarray  # str per employee, as given
    manager_of: np.ndarray  # int32 row of each one's manager, -1 at the top
    department: np.ndarray  # int32 code per employee
    department_names: list[str]
    team: np.ndarray  # int32 code per employee
    team_names: list[str]
    team_department: np.ndarray  # int32 department code per team
    team_manager: np.ndarray  # int32 per team: the person most of the team report to
    level: np.ndarray  # int8 index into LEVELS
    levels_inferred: int  # how many levels were inferred rather than read
    tenure: np.ndarray | None  # int32 weeks per employee, if given


def build_chart(table: Table) -> tuple[Chart | None, list[Problem]]:
    """The chart's arrays, or None and every problem found."""
    file, n = table.file, table.n_rows
    problems: list[Problem] = []
    ids = table.columns["id"]
    empty_id = pc.equal(ids, "").to_numpy(zero_copy_only=False)
    if empty_id.any():
        problems.append(problem_at(file, "id", table.rows(empty_id), "the id is empty"))
    encoded = pc.dictionary_encode(ids)
    codes = encoded.indices.to_numpy()
    repeated = (np.bincount(codes) > 1)[codes] & ~empty_id
    if repeated.any():
        values = encoded.dictionary.take(pa.array(np.unique(codes[repeated]))).to_pylist()
        problems.append(
            problem_at(file, "id", table.rows(repeated), f"ids given on more than one row: {quote_values(values)}")
        )

    manager_of, mgr_problems = _reporting_lines(table, ids, empty_id)
    problems += mgr_problems
    department, department_names, dept_problems = _codes(table, "department")
    team, team_names, team_problems = _codes(table, "team")
    problems += dept_problems + team_problems
    team_department, span_problems = _team_departments(table, team, team_names, department, department_names)
    problems += span_problems
    tenure, tenure_problems = _tenure(table)
    problems += tenure_problems
    given, level_problems = _given_levels(table)
    problems += level_problems
    if problems:
        return None, problems

    level = infer_levels(manager_of, tenure)
    inferred = n
    if given is not None:
        read = given >= 0
        level[read] = given[read]
        inferred = int((~read).sum())
    return (
        Chart(
            ids=np.asarray(ids.to_numpy(zero_copy_only=False), dtype=str),
            manager_of=manager_of,
            department=department,
            department_names=department_names,
            team=team,
            team_names=team_names,
            team_department=team_department,
            team_manager=team_managers(team, manager_of, len(team_names)),
            level=level,
            levels_inferred=inferred,
            tenure=tenure,
        ),
        [],
    )


def _reporting_lines(table: Table, ids: pa.Array, empty_id: np.ndarray) -> tuple[np.ndarray, list[Problem]]:
    file, n = table.file, table.n_rows
    problems = []
    names = table.columns["manager_id"]
    root = pc.equal(names, "").to_numpy(zero_copy_only=False)
    found = pc.index_in(names, value_set=ids)
    # an empty manager_id marks the head even if some row's id is empty too (that is reported on its own)
    manager = np.where(root, -1, found.fill_null(-1).to_numpy()).astype(np.int32)
    unknown = (manager < 0) & ~root
    if unknown.any():
        values = pc.unique(names.filter(pa.array(unknown))).to_pylist()
        problems.append(
            problem_at(
                file,
                "manager_id",
                table.rows(unknown),
                f"not the id of anyone in the chart: {quote_values(values)}",
            )
        )
    roots = int(root.sum())
    if roots == 0:
        problems.append(
            Problem(
                file,
                "nobody is at the top: exactly one person (the head of the organisation) must have an empty manager_id",
                "manager_id",
            )
        )
    elif roots > 1:
        problems.append(
            problem_at(
                file,
                "manager_id",
                table.rows(root),
                f"{roots:,} people have an empty manager_id; exactly one (the head of the organisation) may",
            )
        )
    me = np.arange(n, dtype=np.int32)
    own = (manager == me) & ~empty_id
    if own.any():
        problems.append(problem_at(file, "manager_id", table.rows(own), "the person is their own manager"))
    lines = np.where(own, -1, manager).astype(np.int32)
    on_cycle = cycle_members(lines)
    if len(on_cycle):
        id_text = ids.to_numpy(zero_copy_only=False)
        circle = [id_text[on_cycle[0]]]
        step = lines[on_cycle[0]]
        while step != on_cycle[0] and len(circle) < 6:
            circle.append(id_text[step])
            step = lines[step]
        path = " -> ".join(f"'{c}'" for c in circle) + (" -> ..." if step != on_cycle[0] else f" -> '{circle[0]}'")
        problems.append(
            problem_at(
                file,
                "manager_id",
                table.rows(on_cycle),
                f"reporting lines go round in a circle ({path}), so they never reach the head",
            )
        )
    return np.where(unknown, -1, lines).astype(np.int32), problems


def cycle_members(manager_of: np.ndarray) -> np.ndarray:
    """Rows that lie on a circle of reporting lines (sorted), found by pointer doubling in O(log n) passes.

    After k rounds ``up[i]`` is i's 2**k-th manager, or -1 once the line has reached the top. A line that never
    reaches the top ends in a circle, and once 2**k >= n the 2**k-th manager of anyone is on that circle; since
    going 2**k steps round a circle visits every member of it from some member, the members are exactly those
    ancestors.
    """
    n = len(manager_of)
    up = manager_of.astype(np.int64)
    steps = 1
    while steps < n + 1:
        going = up >= 0
        if not going.any():
            return np.zeros(0, dtype=np.int64)
        up[going] = up[up[going]]
        steps *= 2
    return np.unique(up[up >= 0])


def infer_levels(manager_of: np.ndarray, tenure: np.ndarray | None) -> np.ndarray:
    """Levels from the reporting lines (see the module's docstring for the rule)."""
    n = len(manager_of)
    has_manager = manager_of >= 0
    manages = np.bincount(manager_of[has_manager], minlength=n) > 0
    manages_manager = np.zeros(n, dtype=bool)
    manages_manager[manager_of[has_manager & manages]] = True
    level = np.full(n, STAFF, dtype=np.int8)
    level[manages] = MANAGER
    level[manages_manager | ~has_manager] = LEADER
    if tenure is not None:
        level[(level == STAFF) & (tenure >= SENIOR_WEEKS)] = SENIOR
    return level


def team_managers(team: np.ndarray, manager_of: np.ndarray, n_teams: int) -> np.ndarray:
    """Each team's manager: the person most of its members report to.

    On a tie a member of the team wins (in a team whose manager sits in it, the manager reports outside it, so
    the manager and the manager's own manager each have a vote when the team has two people), then the lowest
    row. A team whose members report to nobody (the head alone) is managed by its first member.
    """
    n = len(team)
    first_member = np.full(n_teams, n, dtype=np.int64)
    np.minimum.at(first_member, team, np.arange(n))
    result = first_member.astype(np.int32)
    has = manager_of >= 0
    if not has.any():
        return result
    keys, counts = np.unique(team[has].astype(np.int64) * n + manager_of[has], return_counts=True)
    teams, managers = keys // n, keys % n
    outside = team[managers] != teams
    order = np.lexsort((managers, outside, -counts, teams))  # by team, most votes, a member, lowest row
    best = order[np.r_[True, teams[order][1:] != teams[order][:-1]]]
    result[teams[best]] = managers[best]
    return result


def _codes(table: Table, column: str) -> tuple[np.ndarray, list[str], list[Problem]]:
    """Codes numbered in order of first appearance, and the names as given."""
    values = table.columns[column]
    empty = pc.equal(values, "").to_numpy(zero_copy_only=False)
    problems = [problem_at(table.file, column, table.rows(empty), f"the {column} is empty")] if empty.any() else []
    encoded = pc.dictionary_encode(values)
    return encoded.indices.to_numpy().astype(np.int32), encoded.dictionary.to_pylist(), problems


def _team_departments(
    table: Table, team: np.ndarray, team_names: list[str], department: np.ndarray, department_names: list[str]
) -> tuple[np.ndarray, list[Problem]]:
    """Each team's department (its first member's), and a problem for each team whose members span several."""
    n_teams = len(team_names)
    first_member = np.full(n_teams, len(team), dtype=np.int64)
    np.minimum.at(first_member, team, np.arange(len(team)))
    team_department = department[first_member].astype(np.int32)
    elsewhere = department != team_department[team]
    problems = []
    spanning = np.unique(team[elsewhere])
    for t in spanning[:TEAMS_DETAILED]:
        members = team == t
        depts = [department_names[d] for d in np.unique(department[members])]
        problems.append(
            problem_at(
                table.file,
                "team",
                table.rows(members & elsewhere),
                f"team '{team_names[t]}' has members in {len(depts)} departments ({quote_values(depts)}); a team must "
                f"sit in one department (if two departments each have a team of this name, name them apart, e.g. "
                f"'{depts[0]}/{team_names[t]}')",
            )
        )
    if len(spanning) > TEAMS_DETAILED:
        rest = spanning[TEAMS_DETAILED:]
        problems.append(
            problem_at(
                table.file,
                "team",
                table.rows(elsewhere & np.isin(team, rest)),
                f"{len(rest):,} more teams have members in several departments: "
                f"{quote_values([team_names[t] for t in rest[:5]], len(rest))}",
            )
        )
    return team_department, problems


def _tenure(table: Table) -> tuple[np.ndarray | None, list[Problem]]:
    if "tenure_weeks" not in table.columns:
        return None, []
    values, empty, bad = numbers(table.columns["tenure_weeks"])
    problems = []
    if empty.any():
        problems.append(
            problem_at(
                table.file,
                "tenure_weeks",
                table.rows(empty),
                "the tenure is empty; give everyone's tenure, or leave the column out",
            )
        )
    if bad.any():
        problems.append(problem_at(table.file, "tenure_weeks", table.rows(bad), "not a number of weeks"))
    outside = ~(empty | bad) & ~((values >= 0) & (values <= MAX_TENURE_WEEKS))
    if outside.any():
        problems.append(
            problem_at(
                table.file,
                "tenure_weeks",
                table.rows(outside),
                f"outside 0 to {MAX_TENURE_WEEKS:,} weeks (60 years): is it given in days or months?",
            )
        )
    if problems:
        return None, problems
    return np.rint(values).astype(np.int32), []


def _given_levels(table: Table) -> tuple[np.ndarray | None, list[Problem]]:
    """Each row's level as an index into LEVELS, -1 where the cell is empty (inferred)."""
    if "level" not in table.columns:
        return None, []
    text = pc.utf8_lower(table.columns["level"])
    given = pc.index_in(text, value_set=pa.array(LEVELS)).fill_null(-1).to_numpy().astype(np.int8)
    empty = pc.equal(text, "").to_numpy(zero_copy_only=False)
    bad = (given < 0) & ~empty
    if bad.any():
        values = pc.unique(table.columns["level"].filter(pa.array(bad))).to_pylist()
        return None, [
            problem_at(
                table.file,
                "level",
                table.rows(bad),
                f"not a level: {quote_values(values)}; expected one of {', '.join(LEVELS)} (or empty, to infer it)",
            )
        ]
    return given, []
