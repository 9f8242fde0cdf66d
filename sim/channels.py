"""The channels through which a sharer reaches colleagues, beyond their own team.

Teams, acquaintances and reporting lines come with the organisation. Mentoring
pairs, reverse-mentoring pairs, cross-functional project ties and communities
of practice are built by interventions: they exist while their programme runs
and afterwards dissolve a little every week (``tie_retention``), which is how
a programme's structural effect can outlast it.
"""

from __future__ import annotations

import numpy as np

from sim.arrays import starts
from sim.organisation import MANAGER, SENIOR, STAFF, Structure

PAIR_KINDS = ("mentoring", "reverse_mentoring", "project")


def _pick_in_groups(groups: np.ndarray, pool: np.ndarray, pool_group: np.ndarray, want: np.ndarray, rng) -> np.ndarray:
    """For each index in ``want``, a random member of ``pool`` in the same group (-1 if none)."""
    order = np.argsort(pool_group, kind="stable")
    pool, pool_group = pool[order], pool_group[order]
    size = np.bincount(pool_group, minlength=groups)
    start = starts(size)
    g = want.astype(np.int64)
    chosen = np.full(len(want), -1, dtype=np.int64)
    has = size[g] > 0
    chosen[has] = pool[start[g[has]] + (rng.random(has.sum()) * size[g[has]]).astype(np.int64)]
    return chosen


class Channels:
    """Pairs and communities created by interventions, with the intervention that sponsors each."""

    def __init__(self, n: int):
        self.partner = {kind: np.full(n, -1, dtype=np.int32) for kind in PAIR_KINDS}
        self.pair_sponsor = {kind: np.full(n, -1, dtype=np.int16) for kind in PAIR_KINDS}
        self.community = np.full(n, -1, dtype=np.int16)
        self.community_sponsor = np.full(n, -1, dtype=np.int16)
        self._members = np.empty(0, dtype=np.int32)
        self._start = np.zeros(1, dtype=np.int64)
        self._size = np.zeros(1, dtype=np.int64)
        self.built = False  # nothing to dissolve until a programme builds something

    # -- building -----------------------------------------------------------
    def build(self, kind: str, eligible: np.ndarray, intensity: float, sponsor: int, org: Structure, rng) -> None:
        """Form the ties of one programme among the ``eligible`` employees."""
        self.built = True
        joins = eligible & (rng.random(org.n) < intensity)
        if kind == "community":
            self.community[joins] = org.specialty[joins]
            self.community_sponsor[joins] = sponsor
            self._index_communities()
            return
        if kind == "mentoring":
            juniors = np.flatnonzero(joins & (org.level == STAFF))
            seniors = np.flatnonzero(org.level == SENIOR)
            other = _pick_in_groups(
                org.department.max() + 1, seniors, org.department[seniors], org.department[juniors], rng
            )
        elif kind == "reverse_mentoring":
            juniors = np.flatnonzero(joins & (org.level >= MANAGER))
            staff = np.flatnonzero(org.level == STAFF)
            other = _pick_in_groups(
                org.department.max() + 1, staff, org.department[staff], org.department[juniors], rng
            )
        else:  # project: a partner in another department
            juniors = np.flatnonzero(joins)
            other = rng.integers(0, org.n, len(juniors))
            same = org.department[other] == org.department[juniors]
            other[same] = rng.integers(0, org.n, same.sum())
        keep = (other >= 0) & (other != juniors)
        a, b = juniors[keep], other[keep]
        partner, sponsor_of = self.partner[kind], self.pair_sponsor[kind]
        partner[a], partner[b] = b, a
        sponsor_of[a] = sponsor_of[b] = sponsor

    def _index_communities(self) -> None:
        members = np.flatnonzero(self.community >= 0).astype(np.int32)
        groups = self.community[members]
        order = np.argsort(groups, kind="stable")
        self._members = members[order]
        self._size = np.bincount(groups, minlength=int(groups.max(initial=0)) + 1).astype(np.int64)
        self._start = starts(self._size)

    # -- dissolving ---------------------------------------------------------
    def dissolve(self, running: np.ndarray, retention: float, rng) -> None:
        """Ties whose programme has ended each survive the week with probability ``retention``."""
        if not self.built:
            return

        def fading(sponsor: np.ndarray) -> np.ndarray:
            linked = sponsor >= 0
            ended = linked.copy()
            ended[linked] = ~running[sponsor[linked]]
            return np.flatnonzero(ended)

        for kind in PAIR_KINDS:
            who = fading(self.pair_sponsor[kind])
            if who.size:
                gone = who[rng.random(who.size) > retention]
                self.partner[kind][gone] = -1
                self.pair_sponsor[kind][gone] = -1
        who = fading(self.community_sponsor)
        if who.size:
            gone = who[rng.random(who.size) > retention]
            self.community[gone] = -1
            self.community_sponsor[gone] = -1

    # -- using --------------------------------------------------------------
    def has(self, kind: str, who: np.ndarray) -> np.ndarray:
        if kind == "community":
            return self.community[who] >= 0
        return self.partner[kind][who] >= 0

    def recipient(self, kind: str, who: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Whom each sharer in ``who`` reaches through ``kind`` (-1 where the tie is gone)."""
        if kind != "community":
            return self.partner[kind][who]
        group = self.community[who].astype(np.int64)
        size = self._size[group]
        mate = self._members[self._start[group] + (u * size).astype(np.int64)]
        # Members who have since left their community no longer answer.
        return np.where(self.community[mate] == group, mate, -1)

    def count(self, kind: str) -> int:
        if kind == "community":
            return int((self.community >= 0).sum())
        return int((self.partner[kind] >= 0).sum())
