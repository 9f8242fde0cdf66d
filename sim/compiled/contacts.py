"""Whom a share reaches: the channel, then the colleague."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, inline="always")
def _teammate(members, team_start, team_size, team, who, u):
    """A uniformly chosen teammate of ``who`` (never themselves): on landing on oneself, the next member round."""
    t = team[who]
    size = team_size[t]
    pick = team_start[t] + np.int64(u * size)
    mate = members[pick]
    if mate == who:
        mate = members[team_start[t] + (pick - team_start[t] + 1) % size]
    return mate


@njit(cache=True)
def teammates(members, team_start, team_size, team, who, u):
    out = np.empty(len(who), dtype=members.dtype)
    for i in range(len(who)):
        out[i] = _teammate(members, team_start, team_size, team, who[i], u[i])
    return out


#: Channel codes of the contacts ``contacts`` itself resolves; the others are left to ``sim.channels``.
TEAM, WEAK, REPORTING = 0, 1, 2


@njit(cache=True)
def contacts(s, pick, kind, draw_start, draw, teams, weak_ties, manager_of):
    """The colleague each contact reaches through its channel: ``pick`` is the channel's place in ``kind``
    (its code), and a contact of place j uses the next unused of the draws starting at ``draw_start[j]``.

    Contacts through pairs and communities are left at -1 for the caller.
    """
    e = len(s)
    r = np.full(e, -1, dtype=np.int64)
    used = np.zeros(len(kind), dtype=np.int64)
    width = weak_ties.shape[1]
    for i in range(e):
        j = pick[i]
        u = draw[draw_start[j] + used[j]]
        used[j] += 1
        who = s[i]
        if kind[j] == TEAM:
            r[i] = _teammate(teams.members, teams.start, teams.size, teams.team, who, u)
        elif kind[j] == WEAK:
            r[i] = weak_ties[who, np.int64(u * width)]
        elif kind[j] == REPORTING:
            r[i] = manager_of[who]
    return r


@njit(cache=True)
def choose_channels(fixed, u):
    """For each draw in ``u``, the first channel whose cumulative weight ``fixed`` exceeds it (scaled to the
    total), as ``np.searchsorted(fixed, u * fixed[-1], side="right")``."""
    total = fixed[len(fixed) - 1]
    pick = np.empty(len(u), dtype=np.int64)
    for i in range(len(u)):
        x = u[i] * total
        j = 0
        while j < len(fixed) and fixed[j] <= x:
            j += 1
        pick[i] = j
    return pick


@njit(cache=True)
def draw_starts(pick, channels):
    """Where each channel's draws start when the colleagues are drawn channel by channel."""
    counts = np.zeros(channels, dtype=np.int64)
    for j in pick:
        counts[j] += 1
    start = np.zeros(channels, dtype=np.int64)
    for j in range(1, channels):
        start[j] = start[j - 1] + counts[j - 1]
    return start


@njit(cache=True)
def real_contacts(s, r, channel):
    """The contacts that reached someone: not nobody (-1), not oneself."""
    keep = 0
    for i in range(len(s)):
        keep += r[i] >= 0 and r[i] != s[i]
    out_s, out_r = np.empty(keep, dtype=s.dtype), np.empty(keep, dtype=r.dtype)
    out_c = np.empty(keep, dtype=channel.dtype)
    k = 0
    for i in range(len(s)):
        if r[i] >= 0 and r[i] != s[i]:
            out_s[k], out_r[k], out_c[k] = s[i], r[i], channel[i]
            k += 1
    return out_s, out_r, out_c
