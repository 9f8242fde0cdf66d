"""Seeking's passes over everyone (sim/seeking.py): needs, the choice to ask, and awareness of who knows what.

Written as numpy, each was a dozen passes over the organisation for a few hundred requests; one loop does it.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sim.compiled.common import F, clamp01

NO_NEED = -1


@njit(cache=True)
def needs_and_asking(need, need_since, week, u, v, knowledge, median, c, person, team_asking, team):
    """Open and close needs, then decide who asks this week.

    A person without a need whose draw ``u`` falls below ``c.need_rate`` meets a task in the domain where in
    [0, need_rate) it fell, which is a need if they know less of it than ``median``; a need open for
    ``c.patience`` weeks is given up. Someone with a need asks if ``v`` falls below the logistic chance of
    asking times what friction lets through. Returns (needing, gave_up, chance, asked), one per person.
    """
    n, domains = knowledge.shape
    needing = np.zeros(n, dtype=np.bool_)
    gave_up = np.zeros(n, dtype=np.bool_)
    asked = np.zeros(n, dtype=np.bool_)
    chance = np.zeros(n, dtype=F)
    for i in range(n):
        if need[i] == NO_NEED:
            if u[i] < c.need_rate:
                d = min(int(u[i] / c.need_rate * domains), domains - 1)
                if knowledge[i, d] < median[d]:
                    need[i] = d
                    need_since[i] = week
        elif week - need_since[i] >= c.patience:
            need[i] = NO_NEED
            gave_up[i] = True
        if need[i] == NO_NEED:
            continue
        needing[i] = True
        z = (
            c.bias
            + c.w_safety * (person.safety[i] - 0.5)
            + c.w_awareness * (person.awareness[i] - 0.5)
            + c.w_reciprocation * (person.reciprocation[i] - 0.5)
            + c.w_ease * (person.ease[i] - 0.5)
            + c.w_readiness * (person.readiness[i] - 0.5)
            - c.image_critique * person.critique_memory[i]
            + c.asking_example * team_asking[team[i]]
        )
        through = 1.0 - c.friction_weight * person.friction[i]
        chance[i] = F(through / (1.0 + math.exp(-z)))
        asked[i] = v[i] < chance[i]
    return needing, gave_up, chance, asked


@njit(cache=True)
def learn_who_knows(awareness, learnt, expertise, showing, growth, kept):
    """Awareness fades to ``kept`` of itself; visible expertise and every request made or answered (``learnt``)
    each move it ``growth`` (times the lever) of the way to 1."""
    for i in range(len(awareness)):
        a = awareness[i] * kept
        if showing:
            a += growth * expertise[i] * (F(1) - a)
        if learnt[i]:
            a += growth * (F(1) - a)
        awareness[i] = clamp01(a)
