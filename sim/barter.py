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
        #: Whether no pair that can meet would trade any more: knowledge has stopped moving for good.
        self.at_steady_state = False
        self._pairs: tuple[np.ndarray, np.ndarray] | None = None

    def recount_teams(self) -> None:
        """Teams changed: the pairs that can meet are found anew."""
        self._pairs = None

    def take_over(self, donor: WeeklyRule, teams: np.ndarray) -> None:
        """Nothing to take over: the barter rule remembers nothing per team (and runs without a warm-up)."""

    def drivers_table(self) -> dict[str, np.ndarray]:
        raise NoDecision(
            "the barter rule has no decision drivers: two neighbours trade whenever each knows more "
            "than the other in some domain"
        )

    def step(self) -> np.ndarray:
        a, b, channel = self._meetings()
        trade = self._worth_trading(a, b)
        a, b, channel = a[trade], b[trade], channel[trade]
        self._trade(a, b)
        traded = np.bincount(np.concatenate((a, b)), minlength=self.model.org.n)
        self.model.state.share_count += traded.astype(np.int32)
        self.trades = len(a)
        # Each trade is two contacts, one in each direction.
        self.exchanges = Exchanges(np.concatenate((a, b)), np.concatenate((b, a)), np.concatenate((channel, channel)))
        self.at_steady_state = self._can_settle() and not self._worth_trading(*self._ties()).any()
        return traded > 0

    def _alpha(self) -> np.ndarray:
        """Each person's absorptive capacity: the fraction of a gap they take in."""
        return np.minimum(F(self.model.params.behaviour.absorptive_capacity) * (1 + self.model.levers["absorption"]), 1)

    def _worth_trading(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether each pair (a, b) would trade: each side must gain more than ``trade_threshold``.

        A side's gain is what it would take in, summed over the domains where
        the other is ahead. With a threshold of 0 this is the double
        coincidence of wants: each must be ahead of the other somewhere.
        """
        K, alpha = self.model.state.knowledge, self._alpha()
        ahead_of_a = K[b] - K[a]
        gain_a = alpha[a] * np.maximum(ahead_of_a, 0).sum(axis=1)
        gain_b = alpha[b] * np.maximum(-ahead_of_a, 0).sum(axis=1)
        threshold = self.model.params.behaviour.trade_threshold
        return (gain_a > threshold) & (gain_b > threshold)

    def _can_settle(self) -> bool:
        """Whether a week without any possible trade is final: nothing else moves knowledge or who meets whom
        (no learning, no obsolescence, no programme running or still to come)."""
        m = self.model
        b = m.params.behaviour
        return not (b.learning_rate or b.depreciation) and all(
            item.end is not None and item.end <= m.week for item in m.params.interventions
        )

    def _ties(self) -> tuple[np.ndarray, np.ndarray]:
        """Every pair that can meet: the ring's ties, or teammates, acquaintances and reporting lines."""
        if self._pairs is None:
            org = self.model.org
            if org.ring is not None and org.ring_start is not None:
                a, b = np.repeat(np.arange(org.n), np.diff(org.ring_start)), org.ring
            else:
                kinds = org.edges().values()
                a, b = (np.concatenate([kind[side] for kind in kinds]) for side in (0, 1))
            self._pairs = (a.astype(np.int64), b.astype(np.int64))
        return self._pairs

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
        st = self.model.state
        K = st.knowledge
        alpha = self._alpha()
        receiver = np.concatenate((a, b))
        giver = np.concatenate((b, a))
        source = K[giver]
        gain = alpha[receiver, None] * np.maximum(source - K[receiver], 0)
        domains = K.shape[1]
        cell = (receiver[:, None] * domains + np.arange(domains)).ravel()
        absorb(K, cell, gain.ravel(), source.ravel())
