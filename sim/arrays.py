"""Array conventions every part of the model shares.

State is float32: half the memory of float64, which is what lets a million
employees fit, and every number of a run depends on it, so it is named once.
Groups laid out one after another (teams in ``members``, a sharer's
contacts, a department's people) are found by where each group starts.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: The precision of every per-person and per-team quantity.
F = np.float32


def offsets(sizes: ArrayLike) -> NDArray:
    """Where each group starts, then where the last one ends: 0, s0, s0 + s1, ... (n + 1 entries).

    Integer sizes give int64 offsets whatever their own width, so the offsets of
    a large organisation cannot overflow.
    """
    sizes = np.asarray(sizes)
    return np.concatenate(([0], np.cumsum(sizes)))


def starts(sizes: ArrayLike) -> NDArray:
    """Where each group starts when groups of these sizes lie one after another (an exclusive prefix sum)."""
    return offsets(sizes)[:-1]
