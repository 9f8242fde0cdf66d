"""The regular employee, and the array-backed view every agent type shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.mechanism import EMPLOYEE_PROFILE, Profile
from sim.scenario import LEVELS
from sim.state import NEVER, STRATEGIES

if TYPE_CHECKING:
    from sim.model import KnowledgeSharingModel


def _view(name: str, doc: str) -> property:
    """A read-write attribute that lives in ``model.state.<name>[index]``."""

    def get(self):
        return float(getattr(self.model.state, name)[self.index])

    def put(self, value):
        getattr(self.model.state, name)[self.index] = value

    return property(get, put, doc=doc)


class Employee(mesa.Agent):
    """An employee deciding each week whether to keep sharing what they know.

    The agent holds only its row number; its state lives in the model's
    arrays so that the weekly rules can update everyone at once. Reading or
    writing an attribute here reads or writes that row.
    """

    #: Multipliers on the behaviour parameters of the same name (``sim.mechanism``).
    PROFILE = EMPLOYEE_PROFILE

    def __init__(self, model: KnowledgeSharingModel, index: int):
        super().__init__(model)
        self.index = index

    recognition = _view("recognition", "believed chance that sharing is recognised")
    reciprocation = _view("reciprocation", "believed readiness of colleagues to share back")
    ease = _view("ease", "experienced ease of the sharing process")
    self_efficacy = _view("self_efficacy", "belief that one's knowledge makes a difference")
    expectation = _view("expectation", "what sharing is expected to bring")
    satisfaction = _view("satisfaction", "satisfaction with sharing so far")
    intention = _view("intention", "intention to continue sharing")
    psychological_safety = _view("safety", "perceived psychological safety this week")

    @property
    def employee_id(self) -> str | int:
        """Who this is in the organisation: the chart's id, or for a generated organisation the row number."""
        return self.model.org.employee_label(self.index)

    @property
    def level(self) -> str:
        return LEVELS[self.model.org.level[self.index]]

    @property
    def strategy(self) -> str:
        """'cooperator', 'pragmatist' or 'defector': the disposition group drawn at the start (Cress et al. 2005)."""
        return STRATEGIES[self.model.state.strategy[self.index]]

    @property
    def department(self) -> int:
        return int(self.model.org.department[self.index])

    @property
    def team(self) -> int:
        return int(self.model.org.team[self.index])

    @property
    def tenure_weeks(self) -> int:
        return int(self.model.org.tenure[self.index])

    @property
    def knowledge(self) -> np.ndarray:
        return self.model.state.knowledge[self.index].copy()

    @property
    def shares(self) -> int:
        return int(self.model.state.share_count[self.index])

    @property
    def shared_this_week(self) -> bool:
        return bool(self.model.state.shared[self.index])

    @property
    def status(self) -> str:
        """'active', 'lapsed' or 'never', as the outputs count them."""
        last = self.model.state.last_shared[self.index]
        if last == NEVER:
            return "never"
        window = self.model.params.behaviour.active_window
        return "active" if self.model.week - last < window else "lapsed"

    def drivers(self) -> dict[str, float]:
        """Why this person shares or not: each driver's push on the intention, in logits.

        Raises ``sim.rule.NoDecision`` under a rule where nobody decides (the barter).
        """
        return {key: float(values[self.index]) for key, values in self.model.rule.drivers_table().items()}

    # -- per-type parameters and behaviour, called on all members at once ---
    @classmethod
    def profile(cls, model: KnowledgeSharingModel) -> Profile:
        """Constant parameters of this type."""
        return cls.PROFILE

    @classmethod
    def intention_bonus(cls, model: KnowledgeSharingModel, idx: np.ndarray) -> np.ndarray | None:
        """Type-specific push on the intention of members ``idx``, in logits (None: no push)."""
        return None

    @classmethod
    def climate_push(cls, model: KnowledgeSharingModel, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Teams whose climate members ``idx`` lift this week, and by how much (None: they lift none)."""
        return None
