"""Read an organisation from its chart, ties and survey files, checking all of them before anything runs.

All three files are read and every problem in any of them is collected; one OrgDataError then lists them all,
or the organisation comes back as plain arrays for the model. The files are read, never copied or written, and
of their columns only the ones listed in each module are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

import numpy as np
import pyarrow as pa

from sim.orgdata import chart as chart_file
from sim.orgdata import survey as survey_file
from sim.orgdata import ties as ties_file
from sim.orgdata.problems import OrgDataError, Problem
from sim.orgdata.survey import Survey
from sim.orgdata.table import Table, read_table


@dataclass(frozen=True)
class Limits:
    """The largest files read. Larger ones are refused with a message, before they are parsed (bytes) or used."""

    #: The model's own maximum (``Organisation.employees`` in sim/scenario.py).
    employees: int = 2_000_000
    #: Assumption: ten ties per employee at the model's maximum; a tie costs 12 bytes in the model.
    ties: int = 20_000_000
    survey_rows: int = 2_000_000
    #: Assumption: 500 bytes per employee at the maximum, room for many ignored columns.
    chart_bytes: int = 1_000_000_000
    #: Assumption: 100 bytes per tie at the maximum.
    ties_bytes: int = 2_000_000_000
    survey_bytes: int = 200_000_000


LIMITS = Limits()


class Provenance(TypedDict):
    sha256: str  # of the file's bytes as read
    bytes: int
    rows: int  # data rows read (the header and blank lines not counted)


@dataclass
class OrgData:
    """An organisation as read from its files, employees in the chart's row order (row i is employee i)."""

    ids: np.ndarray  # str per employee, as given (or pseudonyms, after anonymise)
    manager_of: np.ndarray  # int32 row of each one's manager, -1 for the head
    department: np.ndarray  # int32 code per employee, into department_names
    department_names: list[str]  # in order of first appearance in the chart
    team: np.ndarray  # int32 code per employee, into team_names
    team_names: list[str]  # in order of first appearance in the chart
    team_department: np.ndarray  # int32 department code per team
    team_manager: np.ndarray  # int32 per team: the row most of its members report to
    level: np.ndarray  # int8 per employee, index into sim.scenario.LEVELS
    levels_inferred: int  # how many levels were inferred from reporting lines rather than read
    tenure: np.ndarray | None  # int32 weeks per employee, if the chart gives tenure_weeks
    ties: np.ndarray | None  # int32 (m, 2) rows (source, target), if a ties file was given
    tie_weight: np.ndarray | None  # float32 per tie
    survey: Survey | None
    ignored_columns: dict[str, list[str]]  # per file ("chart", "ties", "survey"): columns present but not read
    provenance: dict[str, Provenance]  # per file: sha256, bytes, rows
    notes: list[str]  # what a run should say about how the data were used (counts only, no names)
    pseudonym_key: bytes | None = field(default=None, repr=False)  # dropped by anonymise

    @property
    def n(self) -> int:
        return len(self.ids)


def read_org(
    chart: str | Path,
    ties: str | Path | None = None,
    survey: str | Path | None = None,
    *,
    survey_scale: str = "1-5",
    min_respondents: int | None = None,
    limits: Limits = LIMITS,
) -> OrgData:
    """The organisation in these files, or OrgDataError listing every problem in all of them.

    ``survey_scale``: the scale the survey's values are on ("1-5", "1-7" or "0-1"); "1-5" by default, the
    commonest in employee surveys (an assumption: a file on another scale is refused, value by value, unless
    it is declared). ``min_respondents``: the smallest team whose survey results are used (default 5, or the
    survey's ``min_respondents`` column).
    """
    problems: list[Problem] = []
    chart_table, found = read_table(
        chart, chart_file.REQUIRED, chart_file.OPTIONAL, limits.employees, limits.chart_bytes, "employees"
    )
    problems += found
    built = None
    if chart_table is not None:
        built, found = chart_file.build_chart(chart_table)
        problems += found
    ids: pa.Array | None = chart_table.columns["id"] if chart_table is not None else None
    team_names = built.team_names if built is not None else None

    ties_table = ties_result = None
    if ties is not None:
        ties_table, found = read_table(
            ties, ties_file.REQUIRED, ties_file.OPTIONAL, limits.ties, limits.ties_bytes, "ties"
        )
        problems += found
        if ties_table is not None:
            ties_result, found = ties_file.build_ties(ties_table, ids)
            problems += found

    survey_table = survey_result = None
    if survey is not None:
        survey_table, found = read_table(
            survey, survey_file.REQUIRED, survey_file.OPTIONAL, limits.survey_rows, limits.survey_bytes, "rows"
        )
        problems += found
        if survey_table is not None:
            if team_names is None and chart_table is not None and "team" in chart_table.columns:
                team_names = sorted(set(chart_table.columns["team"].to_pylist()))  # survey teams still checked
            survey_result, found = survey_file.build_survey(survey_table, team_names, survey_scale, min_respondents)
            problems += found

    if problems:
        raise OrgDataError(problems)
    assert built is not None and chart_table is not None
    tables = {"chart": chart_table, "ties": ties_table, "survey": survey_table}
    return OrgData(
        ids=built.ids,
        manager_of=built.manager_of,
        department=built.department,
        department_names=built.department_names,
        team=built.team,
        team_names=built.team_names,
        team_department=built.team_department,
        team_manager=built.team_manager,
        level=built.level,
        levels_inferred=built.levels_inferred,
        tenure=built.tenure,
        ties=ties_result[0] if ties_result else None,
        tie_weight=ties_result[1] if ties_result else None,
        survey=survey_result,
        ignored_columns={role: t.ignored for role, t in tables.items() if t is not None},
        provenance={role: provenance(t) for role, t in tables.items() if t is not None},
        notes=_notes(built, survey_result, survey_table, tables),
        pseudonym_key=chart_table.secret,
    )


def provenance(table: Table) -> Provenance:
    """What identifies a file's contents without revealing them: its SHA-256, size and row count (not its path)."""
    return {"sha256": table.sha256, "bytes": table.n_bytes, "rows": table.n_rows}


def _notes(
    built: chart_file.Chart, survey: Survey | None, survey_table: Table | None, tables: dict[str, Table | None]
) -> list[str]:
    notes = []
    if built.levels_inferred:
        notes.append(
            f"chart: levels inferred from reporting lines for {built.levels_inferred:,} of {len(built.ids):,} people"
            + ("" if built.tenure is not None else " (without tenure_weeks, nobody is inferred senior)")
        )
    for role, table in tables.items():
        if table is not None and table.ignored:
            notes.append(f"{role}: {len(table.ignored)} column(s) not read: {', '.join(table.ignored)}")
    if survey is not None and survey_table is not None:
        if survey.respondents is None:
            notes.append("survey: no respondents column, so every team's results are used whatever their number")
        elif survey.suppressed:
            notes.append(
                f"survey: {len(survey.suppressed)} team(s) with fewer than {survey.min_respondents} respondents "
                "not used (survey.suppressed names them)"
            )
    return notes
