"""Team climate, perceived safety, and knowledge drifting with time."""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.compiled.common import F, clamp01


@njit(cache=True)
def settle_climate(climate, climate_base, push, rate, memory_rate):
    """Each team's climate moves toward its resting level plus this week's push; a climate lived long
    enough becomes the resting level. The push may be float64, and the target is taken in its precision."""
    for t in range(len(climate)):
        target = clamp01(climate_base[t] + push[t])
        climate[t] += rate * F(target - climate[t])
        climate_base[t] += memory_rate * (climate[t] - climate_base[t])


@njit(cache=True)
def perceived_safety(climate, team, offset, critique_memory, critique_weight):
    """Each person's safety: their team's climate, their own offset, less what recent critique took away."""
    out = np.empty(len(team), dtype=F)
    for i in range(len(team)):
        out[i] = clamp01(climate[team[i]] + offset[i] - critique_weight * critique_memory[i])
    return out


@njit(cache=True)
def drift_knowledge(knowledge, specialty, kept, learned):
    """Everything one knows keeps ``kept`` of its value; one's specialty then grows by ``learned``."""
    for i in range(knowledge.shape[0]):
        for k in range(knowledge.shape[1]):
            knowledge[i, k] *= kept
        knowledge[i, specialty[i]] += learned
