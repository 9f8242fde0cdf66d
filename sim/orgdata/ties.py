"""Collaboration ties between employees: who works with whom, and how strongly.

Each row is one tie from ``source`` to ``target``, both ids from the chart. ``weight`` is the collaboration's
strength, any positive number (an empty cell means 1). Ties are kept in the file's order, as many times as they
are given: a repeated pair is not an error, since some exports list a pair once per project or channel.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sim.orgdata.problems import Problem, problem_at, quote_values
from sim.orgdata.table import Table, numbers

REQUIRED = ("source", "target")
OPTIONAL = ("weight",)
#: Weights are kept as float32; anything larger is surely a mistake (and would become infinite).
MAX_WEIGHT = 1e30


def build_ties(table: Table, ids: pa.Array | None) -> tuple[tuple[np.ndarray, np.ndarray] | None, list[Problem]]:
    """(int32 (m, 2) rows of the chart, float32 weights), or None and every problem.

    ``ids`` is the chart's id column (None if the chart could not be read, when only the ties' own problems are
    found).
    """
    file = table.file
    problems: list[Problem] = []
    ends = []
    for column in REQUIRED:
        text = table.columns[column]
        empty = pc.equal(text, "").to_numpy(zero_copy_only=False)
        if empty.any():
            problems.append(problem_at(file, column, table.rows(empty), "the id is empty"))
        if ids is None:
            continue
        row = pc.index_in(text, value_set=ids).fill_null(-1).to_numpy().astype(np.int32)
        unknown = (row < 0) & ~empty
        if unknown.any():
            values = pc.unique(text.filter(pa.array(unknown))).to_pylist()
            problems.append(
                problem_at(
                    file, column, table.rows(unknown), f"not the id of anyone in the chart: {quote_values(values)}"
                )
            )
        ends.append(row)
    if ids is not None:
        own = (ends[0] == ends[1]) & (ends[0] >= 0)
        if own.any():
            problems.append(
                problem_at(file, "target", table.rows(own), "a tie from a person to themselves (source = target)")
            )
    weight = np.ones(table.n_rows, dtype=np.float32)
    if "weight" in table.columns:
        values, empty, bad = numbers(table.columns["weight"])
        if bad.any():
            problems.append(problem_at(file, "weight", table.rows(bad), "not a number"))
        outside = ~(empty | bad) & ~((values > 0) & (values <= MAX_WEIGHT))
        if outside.any():
            problems.append(
                problem_at(
                    file,
                    "weight",
                    table.rows(outside),
                    f"a weight must be a positive number up to {MAX_WEIGHT:.0e} (or empty for 1)",
                )
            )
        weight = np.where(empty | bad | outside, 1.0, values).astype(np.float32)
    if problems or ids is None:
        return None, problems
    return (np.column_stack(ends).astype(np.int32), weight), []
