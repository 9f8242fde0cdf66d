"""Cowan & Jonard's (2004) knowledge barter, as an alternative to the experience rule.

Knowledge here is traded, not given: two colleagues exchange only when each
knows more than the other in some domain (a double coincidence of wants), and
then each takes in a fraction ``absorptive_capacity`` of the gap in every
domain where the other is ahead. Nothing else decides: no intention, beliefs,
recognition or safety. Cowan & Jonard used this rule to show that how much a
population ends up knowing depends on the shape of its network, and that it
is highest in a small world.

Their model picks one agent at a time; here every employee meets one
randomly chosen neighbour each week, all at once, which makes a week about
as many meetings as there are people. Gains from the week's meetings are
added and capped, as in the experience rule, so no one ends up knowing more
than their best partner of the week.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.arrays import F
from sim.compiled import Exchanges, absorb
from sim.contacts import CHANNELS, draw_contacts
from sim.rule import NoDecision

if TYPE_CHECKING:
    from sim.model import KnowledgeSharingModel
    from sim.rule import WeeklyRule

RING = CHANNELS.index("weak")  # ring ties are acquaintances of a kind; only the cross-team counts read it


class Barter:
    """The weekly rule when ``behaviour.decision = "barter"``: meet a neighbour, trade if both gain."""

    decides = False

    def __init__(self, model: KnowledgeSharingModel):
        self.model = model
        self.exchanges = Exchanges(*(np.empty(0, dtype=np.int32) for _ in range(3)))
        self.trades = 0

    def recount_teams(self) -> None:
        """Nothing to recount: the barter rule keeps no team totals."""

    def take_over(self, donor: WeeklyRule, teams: np.ndarray) -> None:
        """Nothing to take over: the barter rule remembers nothing per team (and runs without a warm-up)."""

    def drivers_table(self) -> dict[str, np.ndarray]:
        raise NoDecision(
            "the barter rule has no decision drivers: two neighbours trade whenever each knows more "
            "than the other in some domain"
        )

    def step(self) -> np.ndarray:
        a, b, channel = self._meetings()
        K = self.model.state.knowledge
        ahead = K[a] > K[b]
        behind = K[b] > K[a]
        trade = ahead.any(axis=1) & behind.any(axis=1)
        a, b, channel = a[trade], b[trade], channel[trade]
        self._trade(a, b)
        traded = np.bincount(np.concatenate((a, b)), minlength=self.model.org.n)
        self.model.state.share_count += traded.astype(np.int32)
        self.trades = len(a)
        # Each trade is two contacts, one in each direction.
        self.exchanges = Exchanges(np.concatenate((a, b)), np.concatenate((b, a)), np.concatenate((channel, channel)))
        return traded > 0

    def _meetings(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each employee and the neighbour they meet this week (pairs without a neighbour are dropped)."""
        m, org = self.model, self.model.org
        n = org.n
        me = np.arange(n, dtype=np.int64)
        if org.ring is not None and org.ring_start is not None:
            degree = np.diff(org.ring_start)
            pick = org.ring_start[:-1] + (m.rng.random(n) * degree).astype(np.int64)
            other = np.where(degree > 0, org.ring[np.minimum(pick, len(org.ring) - 1)], -1).astype(np.int64)
            channel = np.full(n, RING, dtype=np.int8)
        else:
            other, channel = draw_contacts(m, me)
        valid = (other >= 0) & (other != me)
        return me[valid], other[valid], channel[valid]

    def _trade(self, a: np.ndarray, b: np.ndarray) -> None:
        """Both sides take in part of every gap where the other is ahead, from this week's starting knowledge."""
        st, levers = self.model.state, self.model.levers
        K = st.knowledge
        alpha = np.minimum(F(self.model.params.behaviour.absorptive_capacity) * (1 + levers["absorption"]), 1)
        receiver = np.concatenate((a, b))
        giver = np.concatenate((b, a))
        source = K[giver]
        gain = alpha[receiver, None] * np.maximum(source - K[receiver], 0)
        domains = K.shape[1]
        cell = (receiver[:, None] * domains + np.arange(domains)).ravel()
        absorb(K, cell, gain.ravel(), source.ravel())
