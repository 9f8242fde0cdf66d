"""The named groups of arrays and numbers the compiled loops take.

A loop over contacts needs a score of arrays; passed one by one they line up
only by position, which is how a swapped argument slips through. numba
accepts named tuples, typed field by field, so each group travels under its
names and the loops read ``beliefs.ease`` rather than their twelfth argument.
Numbers are float32 (``sim.arrays.F``), so the loops keep float32 arithmetic.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Exchanges(NamedTuple):
    """A week's contacts, one entry per (sharer, recipient) pair, each sharer's contacts together."""

    sharer: np.ndarray  # int64
    recipient: np.ndarray  # int64
    channel: np.ndarray  # int8 channel code (``sim.contacts.CHANNELS``)


class Teams(NamedTuple):
    """Who is in which team: ``members`` lists everyone team by team, from ``start`` for ``size`` people."""

    team: np.ndarray  # int32 per employee
    members: np.ndarray  # int32 employees, team by team
    start: np.ndarray  # int64 per team
    size: np.ndarray  # int64 per team


class Absorption(NamedTuple):
    """How much of a gap a recipient takes in: ``scale`` x their type's ``absorptive`` x (1 + the lever)."""

    scale: np.float32
    absorptive: np.ndarray  # per employee, by agent type
    lever: np.ndarray  # per employee, the absorption lever this week


class AnswerChances(NamedTuple):
    """What makes a recipient answer a share: the week's levers per employee, and the rule's constants."""

    recognition: np.ndarray  # lever, by sharer
    feedback: np.ndarray  # lever, by sharer
    reciprocity: np.ndarray  # lever, by recipient
    critique: np.ndarray  # lever, by recipient
    reciprocation: np.ndarray  # readiness to share back, by recipient (the culture's, or their team's)
    critique_base: np.float32
    recognised_base: np.float32
    recognised_used: np.float32
    channel_reciprocity: np.ndarray  # float32 multiplier by channel code
    channel_recognition: np.ndarray  # float32 multiplier by channel code
    channel_feedback: np.ndarray  # float32 multiplier by channel code
    channel_critique: np.ndarray  # float32 multiplier by channel code


class Answers(NamedTuple):
    """How each contact was answered, one flag per contact."""

    recognised: np.ndarray
    fed_back: np.ndarray
    returned: np.ndarray
    critiqued: np.ndarray


class Beliefs(NamedTuple):
    """The per-person quantities a sharer's answers move, updated in place (all float32)."""

    recognition: np.ndarray
    reciprocation: np.ndarray
    ease: np.ndarray
    self_efficacy: np.ndarray
    satisfaction: np.ndarray
    expectation: np.ndarray
    critique_memory: np.ndarray


class Learning(NamedTuple):
    """How fast and how far sharers learn from the answers to their shares."""

    experience: np.ndarray  # per employee, by agent type, times ``rate``
    rate: np.float32  # experience_rate
    critique_penalty: np.float32
    critique_on_ease: np.float32
    disconfirmation: np.float32
    satisfaction_rate: np.float32
    expectation_rate: np.float32
    critique_added: np.float32  # 1 - CRITIQUE_MEMORY: the weight of this week's critique in the memory


class Watching(NamedTuple):
    """How fast and from what non-sharers learn by watching."""

    vicarious: np.ndarray  # per employee, by agent type, times ``rate``
    rate: np.float32  # vicarious_rate
    critique_on_ease: np.float32  # as for sharers
    critique_added: np.float32  # (1 - CRITIQUE_MEMORY) x SEEN_CRITIQUE: the weight of critique seen in the memory
    efficacy_seen: np.float32  # SEEN_EFFICACY: how much a colleague's knowledge being used says about one's own


class AskingChoice(NamedTuple):
    """The constants of the choice to ask (sim/seeking.py): ``behaviour``'s weights and the mechanism's."""

    need_rate: float
    patience: int
    bias: float
    w_safety: float
    w_awareness: float
    w_reciprocation: float
    w_ease: float
    w_readiness: float
    image_critique: float
    asking_example: float
    friction_weight: float


class Asker(NamedTuple):
    """What each person brings to the choice to ask, one array each (float32)."""

    safety: np.ndarray
    awareness: np.ndarray
    reciprocation: np.ndarray
    ease: np.ndarray
    readiness: np.ndarray
    critique_memory: np.ndarray
    friction: np.ndarray  # lever


class Answering(NamedTuple):
    """The constants of answering a request (sim/seeking.py): ``behaviour``'s and the mechanism's, float32."""

    answer_readiness: np.float32
    absorptive_capacity: np.float32
    use_scale: np.float32
    answer_use: np.float32
    answer_thanks: np.float32
    answer_feedback: np.float32
    experience_rate: np.float32
    ask_rate: np.float32


class Asked(NamedTuple):
    """What answering reads and changes of each person (float32 except ``share_count``, int32)."""

    awareness: np.ndarray
    recognition: np.ndarray
    self_efficacy: np.ndarray
    reciprocation: np.ndarray
    ask_readiness: np.ndarray
    share_count: np.ndarray


class RequestRecord(NamedTuple):
    """Where ``answer_requests`` writes each request, pair by pair (one entry per asker; ``sim.seeking.Requests``)."""

    asked: np.ndarray  # int64: whom (-1: nobody)
    channel: np.ndarray  # int8: the channel that reached them (-1: none)
    chosen: np.ndarray  # int8: which candidate (-1: none)
    asker_knows: np.ndarray  # float32
    asked_knows: np.ndarray  # float32 (NaN: nobody)
    candidates_know: np.ndarray  # float32, one row of candidates per asker (NaN: none drawn)


class AnswerLevers(NamedTuple):
    """The levers of the person asked: how often their answer is thanked, and reported back."""

    recognition: np.ndarray
    feedback: np.ndarray
