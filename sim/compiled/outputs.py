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


@njit(cache=True)
def top_shares(counts, people):
    """The share of all contacts made by the ``people[j]`` most active employees, for each j (exact counts)."""
    total = 0
    for c in counts:
        total += c
    out = np.zeros(len(people), dtype=np.float64)
    if total == 0:
        return out
    ordered = np.sort(counts)
    n = len(counts)
    for j in range(len(people)):
        top = 0
        for k in range(n - people[j], n):
            top += ordered[k]
        out[j] = top / total
    return out
