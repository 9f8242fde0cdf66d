"""Whom a share reaches: the channel, then the colleague.

Both weekly rules draw contacts the same way (the barter rule draws one a
week), so the channels, their codes and the draw live here, apart from either.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from sim import compiled
from sim.arrays import F
from sim.channels import PAIR_KINDS
from sim.compiled import Teams
from sim.mechanism import (
    CHANNEL_CRITIQUE,
    CHANNEL_FEEDBACK,
    CHANNEL_RECIPROCITY,
    CHANNEL_RECOGNITION,
    CHANNEL_WEIGHT,
    MAX_BREADTH,
)

if TYPE_CHECKING:
    from sim.model import KnowledgeSharingModel

#: Every channel, by its code in the week's contacts.
CHANNELS = ("team", "weak", "reporting", *PAIR_KINDS, "community", "platform")
PLATFORM = CHANNELS.index("platform")
assert (CHANNELS.index("team"), CHANNELS.index("weak"), CHANNELS.index("reporting")) == (
    compiled.TEAM,
    compiled.WEAK,
    compiled.REPORTING,
)


def by_code(multipliers: dict[str, float]) -> np.ndarray:
    """A channel multiplier by channel code, 1 where it names none."""
    return np.array([multipliers.get(kind, 1.0) for kind in CHANNELS], dtype=F)


RECIPROCITY_BY_CODE = by_code(CHANNEL_RECIPROCITY)
RECOGNITION_BY_CODE = by_code(CHANNEL_RECOGNITION)
FEEDBACK_BY_CODE = by_code(CHANNEL_FEEDBACK)
CRITIQUE_BY_CODE = by_code(CHANNEL_CRITIQUE)


def teams(m: KnowledgeSharingModel) -> Teams:
    """Who is in which team, as the compiled loops take it (rebuilt each time: restructuring moves people)."""
    org = m.org
    assert org.members is not None and org.team_start is not None and org.team_size is not None
    return Teams(org.team, org.members, org.team_start, org.team_size)


def breadth(m: KnowledgeSharingModel) -> int | np.ndarray:
    """Colleagues each person's share reaches: ``recipients_per_share`` for all, or spread around it.

    Communication networks at work are heavy-tailed (a few people are in touch
    with very many), so with ``reach_spread`` > 0 each person's reach is the
    mean times a fixed lognormal factor of mean 1, rounded, at least one.
    """
    b = m.params.behaviour
    if not b.reach_spread:
        return b.recipients_per_share
    factor = m.rng.lognormal(-(b.reach_spread**2) / 2, b.reach_spread, m.org.n)
    return np.clip(np.rint(b.recipients_per_share * factor), 1, MAX_BREADTH).astype(np.int64)


@lru_cache(maxsize=64)
def _channel_table(weak: bool, built: tuple[str, ...]) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """The channels open this week, their cumulative weights and their codes."""
    kinds = ("team", "reporting", *(["weak"] if weak else []), *built)
    fixed = np.cumsum([CHANNEL_WEIGHT[kind] for kind in kinds], dtype=F)
    return kinds, fixed, np.array([CHANNELS.index(kind) for kind in kinds], dtype=np.int8)


def draw_contacts(m: KnowledgeSharingModel, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One contact for each entry of ``s`` (a sharer's number, once per draw): the colleague, and the channel.

    Team, acquaintances and the reporting line are open to everyone (the head
    of the organisation, who reports to no one, loses that contact: -1); pairs
    and communities only to their members.
    """
    org, rng = m.org, m.rng
    built = (*PAIR_KINDS, "community") if m.channels.built else ()
    member_of = {kind: m.channels.has(kind, s) for kind in built if m.channels.count(kind)}
    kinds, fixed, code = _channel_table(bool(org.weak_ties.shape[1]), tuple(member_of))
    u = rng.random(len(s), dtype=F)
    # One draw per contact then picks the colleague: channel by channel in the order of ``kinds``, so the
    # draws of channel j start after those of the channels before it.
    if not member_of:
        pick = compiled.choose_channels(fixed, u)
    else:
        weights = np.empty((len(s), len(kinds)), dtype=F)
        for j, kind in enumerate(kinds):
            weights[:, j] = CHANNEL_WEIGHT[kind] * member_of[kind] if kind in member_of else CHANNEL_WEIGHT[kind]
        np.cumsum(weights, axis=1, out=weights)
        pick = (weights <= (u * weights[:, -1])[:, None]).sum(axis=1)
    draw_start = compiled.draw_starts(pick, len(kinds))
    draw = rng.random(len(s))
    r = compiled.contacts(s, pick, code, draw_start, draw, teams(m), org.weak_ties, org.manager_of)
    for j, kind in enumerate(member_of):
        j += len(kinds) - len(member_of)
        sel = np.flatnonzero(pick == j)
        r[sel] = m.channels.recipient(kind, s[sel], draw[draw_start[j] : draw_start[j] + len(sel)])
    channel = code[pick]
    return r, channel
