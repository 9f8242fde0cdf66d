"""Counting outputs of the week, exact in integers."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def activity(last_shared, week, window, never):
    """How many have shared within ``window`` weeks (active), shared before that (lapsed), or never shared."""
    active = lapsed = none = 0
    for last in last_shared:
        if last == never:
            none += 1
        elif week - last < window:
            active += 1
        else:
            lapsed += 1
    return active, lapsed, none


@njit(cache=True)
def share_crossing(group, s, r):
    """The share of contacts whose sharer and recipient are in different groups (teams, departments)."""
    crossing = 0
    for i in range(len(s)):
        crossing += group[s[i]] != group[r[i]]
    return crossing / len(s)


#: Above this many times the number of people, the largest count makes a tally of counts dearer than a sort.
TALLY_LIMIT = 4


@njit(cache=True)
def top_shares(counts, people):
    """The share of all contacts made by the ``people[j]`` most active employees, for each j (exact counts).

    The counts are small whole numbers, so the top ones are read off a tally of how many people made each
    count, from the highest down, rather than off a sort: the sums are the same integers either way."""
    total = 0
    most = 0
    for c in counts:
        total += c
        most = max(most, c)
    out = np.zeros(len(people), dtype=np.float64)
    if total == 0:
        return out
    n = len(counts)
    if most > TALLY_LIMIT * n:
        ordered = np.sort(counts)
        for j in range(len(people)):
            top = 0
            for k in range(n - people[j], n):
                top += ordered[k]
            out[j] = top / total
        return out
    tally = np.zeros(most + 1, dtype=np.int64)
    for c in counts:
        tally[c] += 1
    for j in range(len(people)):
        left, top, value = people[j], 0, most
        while left > 0:
            taken = min(left, tally[value])
            top += taken * value
            left -= taken
            value -= 1
        out[j] = top / total
    return out


#: The longest row ``row_means`` sums as numpy does: numpy sums in blocks of this many, and the halves of
#: longer rows recursively, which compiled code cannot cache. A scenario has at most 32 knowledge domains.
PAIRWISE_BLOCK = 128


@njit(cache=True)
def _pairwise_sum(row):
    """A row of up to ``PAIRWISE_BLOCK`` values summed in float64 in numpy's order (its pairwise summation:
    eight running sums, then added in pairs), so that the result is numpy's to the last digit."""
    n = len(row)
    if n < 8:
        res = 0.0
        for i in range(n):
            res += np.float64(row[i])
        return res
    r = np.empty(8, dtype=np.float64)
    for k in range(8):
        r[k] = row[k]
    i = 8
    while i < n - (n % 8):
        for k in range(8):
            r[k] += row[i + k]
        i += 8
    res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
    while i < n:
        res += row[i]
        i += 1
    return res


@njit(cache=True)
def row_means(values):
    """Each row's mean in float64: ``values.sum(axis=1, dtype=np.float64) / columns`` to the last digit, at a
    tenth of its cost (numpy's sum along a short axis of float32 goes through a casting buffer)."""
    n, columns = values.shape
    if columns > PAIRWISE_BLOCK:
        raise ValueError("row_means sums rows of at most 128 values as numpy does")
    out = np.empty(n, dtype=np.float64)
    for i in range(n):
        out[i] = (0.0 + _pairwise_sum(values[i])) / columns
    return out


@njit(cache=True)
def group_sums(group, stacked, groups):
    """Each row's sum within each group, added in the people's order from zero: what ``np.bincount(group,
    weights=row)`` gives for every row, in one pass."""
    rows, n = stacked.shape
    out = np.zeros((groups, rows), dtype=np.float64)
    for i in range(n):  # person by person, so that the rows' additions do not wait on one another
        g = group[i]
        for r in range(rows):
            out[g, r] += stacked[r, i]
    return out.T.copy()
