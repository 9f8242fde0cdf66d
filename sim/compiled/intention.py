"""The intention to share: its drivers, their sum, and how it follows them."""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.compiled.common import HALF, ONE, F


@njit(cache=True)
def intention_terms(bias, disposition, weights, inputs, bonus):
    """Each driver's push on the intention, in logits (one row per driver, in the order of
    ``sim.dynamics.DRIVERS``), and their sum, added up in that order.

    ``inputs`` are the weighted drivers, each pushing by ``weight x (value - 1/2)``.
    """
    n = len(disposition)
    terms = np.empty((len(inputs) + 3, n), dtype=F)
    z = np.empty(n, dtype=F)
    for i in range(n):
        terms[0, i] = bias
        terms[1, i] = disposition[i]
        total = bias + disposition[i]
        for k in range(len(inputs)):
            push = weights[k] * (inputs[k][i] - HALF)
            terms[k + 2, i] = push
            total += push
        terms[len(inputs) + 2, i] = bonus[i]
        z[i] = total + bonus[i]
    return terms, z


@njit(cache=True)
def follow_intention(intention, exp_minus_z, rate):
    """Intention moves toward the logistic of its drivers; ``exp_minus_z`` is exp(-logit), taken in numpy."""
    for i in range(len(intention)):
        intention[i] += rate * (ONE / (ONE + exp_minus_z[i]) - intention[i])


@njit(cache=True)
def colleagues_example(team, n_teams, visibility, shared, team_visibility):
    """How much of their team each person saw sharing last week, weighted by visibility (managers count more)."""
    seen = np.zeros(n_teams, dtype=np.float64)
    for i in range(len(team)):
        seen[team[i]] += visibility[i] * F(shared[i])
    out = np.empty(len(team), dtype=F)
    for i in range(len(team)):
        out[i] = F(seen[team[i]] / team_visibility[team[i]])
    return out


@njit(cache=True)
def chance_to_share(intention, opportunity, friction, friction_weight):
    """Intention times opportunity, less the part of friction that stops people."""
    out = np.empty(len(intention), dtype=F)
    for i in range(len(intention)):
        out[i] = intention[i] * opportunity[i] * (ONE - friction_weight * friction[i])
    return out
