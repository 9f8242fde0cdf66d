"""What every compiled loop shares: float32 constants and the clamp to [0, 1]."""

from __future__ import annotations

from numba import njit

from sim.arrays import F

ZERO, HALF, ONE, FOUR = F(0), F(0.5), F(1), F(4)


@njit(cache=True, inline="always")
def clamp01(x):
    """Clamp to [0, 1], as ``np.clip(x, 0, 1)`` does (max first, then min)."""
    if x < ZERO:
        x = ZERO
    if x > ONE:
        x = ONE
    return x
