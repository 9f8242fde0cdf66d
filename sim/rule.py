"""The contract between the model and its weekly rule.

The model runs one of two rules each week: the experience rule
(``sim.dynamics.Dynamics``), where people decide to share from what sharing
has brought them, and Cowan & Jonard's barter (``sim.barter.Barter``), where
neighbours trade whenever both gain. Everything around the rule (the week
count, interventions, knowledge drift, the bookkeeping of who shared, the
outputs, the warm-up) is the model's and is the same for both; this Protocol
is what the model may ask of either, so neither needs a runtime guard.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from sim.compiled import Exchanges


class NoDecision(RuntimeError):
    """Asked why someone shares under a rule where nobody decides to."""


class WeeklyRule(Protocol):
    #: Whether people decide to share (and so have drivers that explain it).
    decides: bool
    #: This week's contacts, for the outputs (contacts, flows across teams and departments).
    exchanges: Exchanges
    #: Whether the rule has reached a state it can never leave (the barter once no pair would trade): the run
    #: then stops by itself.
    at_steady_state: bool

    def step(self) -> np.ndarray:
        """Run the rule's part of one week and return who shared (one flag per employee)."""
        ...

    def recount_teams(self) -> None:
        """Refresh whatever the rule keeps per team, after people moved between teams."""
        ...

    def drivers_table(self) -> dict[str, np.ndarray]:
        """Why everyone shares or not this week, one array per driver; raises ``NoDecision`` if nobody decides."""
        ...

    def take_over(self, donor: WeeklyRule, teams: np.ndarray) -> None:
        """Adopt what the rule remembers per team from a settled organisation (the warm-up): team t takes
        the memory of the donor's team ``teams[t]``."""
        ...
