"""Team survey results: each team's mean on the culture measures, on the model's 0–1 scale.

Rows are teams (the chart's team names). A team may have several rows, for instance one per survey wave or
one per respondent; its value is then the mean over its rows, each weighted by its ``respondents`` (or
equally, without that column).

Small teams are protected: with a ``respondents`` column, a team whose rows add up to fewer respondents than
the threshold (``min_respondents``: the argument, or a ``min_respondents`` column holding one value, default
5) is not used at all, so that nobody's answers can be singled out, and the result lists it. Without a
``respondents`` column kshare cannot know how many answered, so every team is used and the result says so.

Values are on a declared scale, "1-5", "1-7" or "0-1", converted as (x − low) / (high − low); a value outside
the scale is refused rather than clipped, since it usually means a different scale or a typing error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sim.orgdata.problems import Problem, problem_at, quote_values
from sim.orgdata.table import Table, numbers

MEASURES = ("psychological_safety", "recognition", "reciprocation", "ease", "self_efficacy")
REQUIRED = ("team",)
OPTIONAL = (*MEASURES, "respondents", "min_respondents")
SCALES = {"1-5": (1.0, 5.0), "1-7": (1.0, 7.0), "0-1": (0.0, 1.0)}
#: Assumption (a common rule of thumb in employee-survey reporting, not a cited standard): results of fewer
#: than five respondents are not shown, so no one person's answers can be inferred.
MIN_RESPONDENTS = 5


@dataclass
class Survey:
    values: dict[str, np.ndarray]  # measure -> float64 per team on 0–1, NaN where not given or suppressed
    respondents: np.ndarray | None  # int64 per team (0 where the survey has no row), if the column was given
    suppressed: list[str]  # teams left out for having fewer than min_respondents
    min_respondents: int
    scale: str


def build_survey(
    table: Table, team_names: list[str] | None, scale: str, min_respondents: int | None
) -> tuple[Survey | None, list[Problem]]:
    """The survey per chart team, or None and every problem (``team_names`` None: the chart was unusable)."""
    file = table.file
    problems: list[Problem] = []
    if scale not in SCALES:
        problems.append(Problem(file, f"the declared scale '{scale}' is not one of {', '.join(SCALES)}"))
    measures = [m for m in MEASURES if m in table.columns]
    if not measures:
        problems.append(Problem(file, f"no measure columns: expected at least one of {', '.join(MEASURES)}"))
    team_text = table.columns["team"]
    empty = pc.equal(team_text, "").to_numpy(zero_copy_only=False)
    if empty.any():
        problems.append(problem_at(file, "team", table.rows(empty), "the team is empty"))
    team = np.full(table.n_rows, -1, dtype=np.int64)
    if team_names is not None:
        team = pc.index_in(team_text, value_set=pa.array(team_names, pa.string())).fill_null(-1).to_numpy()
        unknown = (team < 0) & ~empty
        if unknown.any():
            values = pc.unique(team_text.filter(pa.array(unknown))).to_pylist()
            problems.append(
                problem_at(file, "team", table.rows(unknown), f"not a team in the chart: {quote_values(values)}")
            )
    low, high = SCALES.get(scale, (-np.inf, np.inf))
    raw = {}
    for measure in measures:
        values, blank, bad = numbers(table.columns[measure])
        if bad.any():
            problems.append(problem_at(file, measure, table.rows(bad), "not a number"))
        outside = ~(blank | bad) & ~((values >= low) & (values <= high))
        if outside.any() and scale in SCALES:
            problems.append(problem_at(file, measure, table.rows(outside), f"outside the declared scale {scale}"))
        raw[measure] = values
    weight = np.ones(table.n_rows)
    if "respondents" in table.columns:
        weight, respondent_problems = _counts(table, "respondents", minimum=0)
        problems += respondent_problems
    threshold = min_respondents
    if "min_respondents" in table.columns:
        threshold, threshold_problems = _threshold(table, min_respondents)
        problems += threshold_problems
    if threshold is None:
        threshold = MIN_RESPONDENTS
    if problems or team_names is None:
        return None, problems

    n_teams = len(team_names)
    respondents = None
    suppressed_mask = np.zeros(n_teams, dtype=bool)
    if "respondents" in table.columns:
        respondents = np.bincount(team, weights=weight, minlength=n_teams).astype(np.int64)
        present = np.bincount(team, minlength=n_teams) > 0
        suppressed_mask = present & (respondents < threshold)
    result = {}
    for measure, values in raw.items():
        given = ~np.isnan(values)
        total = np.bincount(team, weights=np.where(given, values * weight, 0.0), minlength=n_teams)
        weights = np.bincount(team, weights=np.where(given, weight, 0.0), minlength=n_teams)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(weights > 0, total / weights, np.nan)
        mean[suppressed_mask] = np.nan
        result[measure] = (mean - low) / (high - low)
    suppressed = [team_names[t] for t in np.flatnonzero(suppressed_mask)]
    return Survey(result, respondents, suppressed, int(threshold), scale), []


def _counts(table: Table, column: str, minimum: int, may_be_empty: bool = False) -> tuple[np.ndarray, list[Problem]]:
    values, empty, bad = numbers(table.columns[column])
    problems = []
    if empty.any() and not may_be_empty:
        problems.append(problem_at(table.file, column, table.rows(empty), "empty; give a whole number"))
    if bad.any():
        problems.append(problem_at(table.file, column, table.rows(bad), "not a number"))
    wrong = ~(empty | bad) & ~((values >= minimum) & (values == np.floor(values)))
    if wrong.any():
        problems.append(
            problem_at(table.file, column, table.rows(wrong), f"must be a whole number of at least {minimum}")
        )
    return np.where(empty | bad | wrong, 0.0, values), problems


def _threshold(table: Table, given: int | None) -> tuple[int | None, list[Problem]]:
    """The one threshold a ``min_respondents`` column holds (empty cells allowed), checked against the argument."""
    values, problems = _counts(table, "min_respondents", minimum=1, may_be_empty=True)
    text = table.columns["min_respondents"]
    filled = ~pc.equal(text, "").to_numpy(zero_copy_only=False)
    found = np.unique(values[filled])
    if problems:
        return None, problems
    if len(found) > 1:
        return None, [
            Problem(
                table.file,
                f"holds {len(found)} different thresholds ({quote_values([f'{v:g}' for v in found])}); "
                "give one for the whole survey",
                "min_respondents",
            )
        ]
    if not len(found):
        return given, []
    if given is not None and given != int(found[0]):
        return None, [
            Problem(
                table.file,
                f"says {int(found[0])}, but min_respondents={given} was also given; give one of them",
                "min_respondents",
            )
        ]
    return int(found[0]), []
