"""Managers and leaders: people whose sharing others watch and copy."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from sim.agents.employee import Employee
from sim.arrays import F
from sim.mechanism import MANAGER_CLIMATE_PUSH, MANAGER_PROFILE, Profile

if TYPE_CHECKING:
    from sim.model import KnowledgeSharingModel


class Manager(Employee):
    """A team manager or a department leader.

    Their example weighs more in their team's sense of what is normal
    (``leader_visibility``), leader-modelling programmes raise their own
    intention, and when they share visibly their team's climate of
    psychological safety drifts up, as Edmondson found for leader coaching
    and openness.
    """

    PROFILE = MANAGER_PROFILE

    @classmethod
    def profile(cls, model: KnowledgeSharingModel) -> Profile:
        return replace(cls.PROFILE, visibility=model.params.behaviour.leader_visibility)

    @classmethod
    def intention_bonus(cls, model: KnowledgeSharingModel, idx: np.ndarray) -> np.ndarray:
        return model.levers["modelling"][idx]

    @classmethod
    def climate_push(cls, model: KnowledgeSharingModel, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Teams whose manager has shared recently, and how far that lifts their climate."""
        recent = model.week - model.state.last_shared[idx] < model.params.behaviour.active_window
        return model.org.team[idx[recent]], np.full(recent.sum(), MANAGER_CLIMATE_PUSH, dtype=F)
