"""Problems found in an organisation's files, collected so that all of them are reported at once.

A person fixing a spreadsheet wants every mistake in one pass, each with the file, the rows as the
spreadsheet numbers them (the header is row 1, the first employee row 2) and the column. A check that fails on
many rows gives one problem listing the first few rows and how many more there are, so that a million bad rows
make one line, not a million.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.scenario_files import MAX_LISTED, shorten

#: How many rows (or values) one problem names before saying how many more there are.
ROWS_SHOWN = 5
#: Where the row numbers count from, said once in every error.
ROW_NOTE = "rows are numbered as a spreadsheet shows them: the header is row 1"


@dataclass(frozen=True)
class Problem:
    file: str  # the file's role and name, as the person gave it
    message: str
    column: str = ""
    rows: tuple[int, ...] = field(default=())  # spreadsheet row numbers, at most ROWS_SHOWN of them
    more_rows: int = 0  # how many further rows have the same problem

    def __str__(self) -> str:
        where = []
        if self.column:
            where.append(f"column '{shorten(self.column)}'")
        if self.rows:
            where.append(describe_rows(self.rows, self.more_rows))
        return f"{', '.join(where)}: {self.message}" if where else self.message


def describe_rows(rows: Sequence[int], more: int = 0) -> str:
    listed = ", ".join(str(r) for r in rows)
    extra = f" and {more:,} more" if more else ""
    return f"row{'s' * (len(rows) + more > 1)} {listed}{extra}"


def problem_at(file: str, column: str, row_numbers: np.ndarray, message: str) -> Problem:
    """One problem for every row in ``row_numbers`` (already spreadsheet numbers), naming the first few."""
    shown = tuple(int(r) for r in row_numbers[:ROWS_SHOWN])
    return Problem(file, message, column, shown, max(0, len(row_numbers) - ROWS_SHOWN))


def quote_values(values: Sequence[str], total: int | None = None) -> str:
    """A few offending values as a message shows them: quoted, shortened, and how many more."""
    total = len(values) if total is None else total
    shown = ", ".join(f"'{shorten(str(v), 40)}'" for v in values[:ROWS_SHOWN])
    return shown + (f" and {total - ROWS_SHOWN:,} more" if total > ROWS_SHOWN else "")


class OrgDataError(ValueError):
    """An organisation that cannot be used, with every problem found in every file; nothing runs on it."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        by_file: dict[str, list[Problem]] = {}
        for problem in problems:
            by_file.setdefault(problem.file, []).append(problem)
        lines = []
        if len(problems) == 1:  # one problem, one line, as ScenarioError does
            lines.append(f"{problems[0].file}: {problems[0]}")
            by_file = {}
        for file, found in by_file.items():
            lines.append(f"{file}: {len(found)} problem{'s' * (len(found) != 1)}")
            lines += [f"  - {problem}" for problem in found[:MAX_LISTED]]
            if len(found) > MAX_LISTED:
                lines.append(f"  ... and {len(found) - MAX_LISTED} more")
        if any(problem.rows for problem in problems):
            lines.append(f"({ROW_NOTE})")
        super().__init__("\n".join(lines))
