"""Newcomers: in their first year, unsure of the norms and watching closely."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents.employee import Employee
from sim.arrays import F
from sim.mechanism import NEWCOMER_HESITATION, NEWCOMER_PROFILE, ONBOARDING_WEEKS

if TYPE_CHECKING:
    from sim.model import KnowledgeSharingModel


class Newcomer(Employee):
    """Someone who joined within the last year.

    Newcomers absorb more of what they are told, learn the local norms by
    watching (a higher vicarious rate), and hold back from sharing until they
    feel they know enough to contribute; that hesitation fades over their
    first six months.
    """

    PROFILE = NEWCOMER_PROFILE

    @classmethod
    def intention_bonus(cls, model: KnowledgeSharingModel, idx: np.ndarray) -> np.ndarray:
        settling = np.maximum(0.0, 1.0 - model.org.tenure[idx] / ONBOARDING_WEEKS)
        return (NEWCOMER_HESITATION * settling).astype(F)
