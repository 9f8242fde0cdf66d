"""One week of the organisation: who shares, with whom, what comes back, and what people learn from it.

The rules act on whole arrays; their loops over contacts and employees are
compiled (``sim.compiled``). Their order within a week:

1. Team climate moves toward its target (culture, interventions, managers
   who share, critique seen last week); each person's perceived safety
   follows their team's climate and their own recent critique.
2. Intention to continue sharing moves toward what satisfaction,
   self-efficacy, the expected recognition and reciprocation, safety and
   the visible example of teammates (managers weighted more) imply.
3. Each person shares with probability intention x opportunity x (1 - the
   part of friction that stops them).
4. Each sharer reaches colleagues through the channels that exist; recipients
   absorb part of what they lack, may use it, and answer with recognition,
   feedback on its use, knowledge in return, or critique.
5. Sharers update their four experiences from what happened; satisfaction
   moves with the confirmation (experience minus expectation); expectations
   adapt. Those who did not share learn, more slowly, from what they saw.
6. Knowledge grows in one's specialty and slowly goes out of date.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from sim import compiled
from sim.channels import PAIR_KINDS

if TYPE_CHECKING:
    from sim.model import KnowledgeSharingModel

F = np.float32
CHANNELS = ("team", "weak", "reporting", *PAIR_KINDS, "community", "platform")
PLATFORM = CHANNELS.index("platform")
assert (CHANNELS.index("team"), CHANNELS.index("weak"), CHANNELS.index("reporting")) == (
    compiled.TEAM,
    compiled.WEAK,
    compiled.REPORTING,
)
#: How readily a sharer turns to each channel when it is open to them.
CHANNEL_WEIGHT = {"team": 1.0, "weak": 0.5, "reporting": 0.2, "community": 0.8} | dict.fromkeys(PAIR_KINDS, 0.8)
#: Knowledge received from a broadcast is codified, so less of it sticks.
PLATFORM_ABSORPTION = 0.5
#: How readily a contact answers with knowledge of their own, by channel: strangers
#: reading a post rarely do; mentors, project partners and community members,
#: who share an identity and an ongoing relationship, do more often.
CHANNEL_RECIPROCITY = np.array(
    [
        {"platform": 0.3, "project": 1.3}.get(kind, 1.5 if kind in (*PAIR_KINDS, "community") else 1.0)
        for kind in CHANNELS
    ],
    dtype=F,
)
#: Satisfaction lost per unit share of critiqued contacts.
CRITIQUE_PENALTY = 0.5
#: Fraction of the critique memory kept from one week to the next: the memory is a
#: running average of the share of one's contacts that answered with critique.
CRITIQUE_MEMORY = 0.85
#: How far perceived safety falls per unit of critique memory.
CRITIQUE_ON_SAFETY = 0.5
#: How far a team's climate target falls per unit of critique rate last week.
CRITIQUE_ON_CLIMATE = 0.3


#: What moves the intention to share, in the order their pushes are added up (``sim.compiled.intention_terms``).
DRIVERS = (
    "baseline",
    "disposition",
    "satisfaction",
    "self_efficacy",
    "recognition",
    "reciprocation",
    "ease",
    "psychological_safety",
    "colleagues_example",
    "role",
)

#: Most colleagues one share can reach, however broad a sharer's reach.
MAX_BREADTH = 100


def _breadth(m: KnowledgeSharingModel) -> int | np.ndarray:
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
    """One contact for each entry of ``s`` (a sharer's number, once per draw): the channel, then the colleague.

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
    r = compiled.contacts(
        s,
        pick,
        code,
        draw_start,
        draw,
        org.members,
        org.team_start,
        org.team_size,
        org.team,
        org.weak_ties,
        org.manager_of,
    )
    for j, kind in enumerate(member_of):
        j += len(kinds) - len(member_of)
        sel = np.flatnonzero(pick == j)
        r[sel] = m.channels.recipient(kind, s[sel], draw[draw_start[j] : draw_start[j] + len(sel)])
    channel = code[pick]
    return r, channel


def drift_knowledge(m: KnowledgeSharingModel) -> None:
    """Own learning in one's specialty, and obsolescence everywhere."""
    b = m.params.behaviour
    if b.depreciation or b.learning_rate:
        compiled.drift_knowledge(m.state.knowledge, m.org.specialty, F(1 - b.depreciation), F(b.learning_rate))


@dataclass
class Exchanges:
    """This week's contacts, one row per (sharer, recipient) pair."""

    sharer: np.ndarray
    recipient: np.ndarray
    channel: np.ndarray


class Dynamics:
    """The weekly rules, with the per-type parameter arrays they need."""

    def __init__(self, model: KnowledgeSharingModel, members: dict[type, np.ndarray]):
        self.model = model
        n = model.org.n
        self.members = members
        profile = {key: np.ones(n, dtype=F) for key in ("visibility", "absorptive", "vicarious", "experience")}
        for cls, idx in members.items():
            for key, value in cls.profile(model).items():
                profile[key][idx] = value
        self.visibility = profile["visibility"]
        self.absorptive = profile["absorptive"]
        self.vicarious = profile["vicarious"]
        self.experience = profile["experience"]
        self.breadth = _breadth(model)
        b = model.params.behaviour
        #: The weights of the drivers that push by ``weight x (value - 1/2)``, in the order of ``DRIVERS``.
        self.driver_weights = np.array(
            [b.w_satisfaction, b.w_self_efficacy, b.w_recognition, b.w_reciprocation, b.w_ease, b.w_safety, b.w_social],
            dtype=F,
        )
        self.recount_teams()
        self.social = np.zeros(n, dtype=F)
        self.bonus = np.zeros(n, dtype=F)
        self.team_critique = np.zeros(model.org.n_teams, dtype=F)
        self.exchanges = Exchanges(*(np.empty(0, dtype=np.int32) for _ in range(3)))

    def recount_teams(self) -> None:
        """Total visibility per team, the denominator of colleagues' example; redo after people move."""
        org = self.model.org
        self.team_visibility = np.bincount(org.team, weights=self.visibility, minlength=org.n_teams)

    # ------------------------------------------------------------------ week
    def step(self) -> None:
        self._climate()
        self._intention()
        shared = self._decide()
        sharers = np.flatnonzero(shared)
        ex = self._reach(sharers)
        self._exchange(ex, shared)
        drift_knowledge(self.model)
        st = self.model.state
        st.shared = shared
        st.last_shared[shared] = self.model.week
        self.model.org.tenure += 1
        self.exchanges = ex

    # ------------------------------------------------------------ 1. climate
    def _climate(self) -> None:
        m, st, org, b = self.model, self.model.state, self.model.org, self.model.params.behaviour
        push = m.levers.team_safety - CRITIQUE_ON_CLIMATE * self.team_critique
        for cls, idx in self.members.items():
            if hasattr(cls, "climate_push"):
                teams, lift = cls.climate_push(m, idx)
                push = push + np.bincount(teams, weights=lift, minlength=org.n_teams)
        # A climate lived long enough becomes the team's new normal.
        compiled.settle_climate(
            st.climate, st.climate_base, push, F(b.safety_rate), F(b.safety_rate * b.climate_memory)
        )
        st.critique_memory *= F(CRITIQUE_MEMORY)
        st.safety = compiled.perceived_safety(
            st.climate, org.team, st.safety_offset, st.critique_memory, F(CRITIQUE_ON_SAFETY)
        )

    # ---------------------------------------------------------- 2. intention
    def _intention(self) -> None:
        m, st, org = self.model, self.model.state, self.model.org
        self.social = compiled.colleagues_example(
            org.team, org.n_teams, self.visibility, st.shared, self.team_visibility
        )
        self.bonus[:] = 0.0
        for cls, idx in self.members.items():
            bonus = cls.intention_bonus(m, idx)
            if bonus is not None:
                self.bonus[idx] += bonus
        z = self._intention_terms()[1]
        compiled.follow_intention(st.intention, np.exp(-z), F(m.params.behaviour.intention_rate))

    def _intention_terms(self) -> tuple[np.ndarray, np.ndarray]:
        st, b = self.model.state, self.model.params.behaviour
        weights = self.driver_weights
        inputs = (st.satisfaction, st.self_efficacy, st.recognition, st.reciprocation, st.ease, st.safety, self.social)
        return compiled.intention_terms(F(b.intention_bias), st.disposition, weights, inputs, self.bonus)

    def drivers_table(self) -> dict[str, np.ndarray]:
        """Why each employee shares or not this week: every driver's push on the intention (in logits), the
        intention, and what turns it into a chance to share. One array per item, computed for everyone at once."""
        levers, b, st = self.model.levers, self.model.params.behaviour, self.model.state
        terms, _ = self._intention_terms()
        return dict(zip(DRIVERS, terms)) | {
            "intention": st.intention,
            "opportunity": levers["opportunity"],
            "friction_holds_back": b.friction_weight * levers["friction"],
            "chance_to_share": self._chance(),
        }

    def drivers(self, i: int) -> dict[str, float]:
        """Why employee ``i`` shares or not this week."""
        return {key: float(values[i]) for key, values in self.drivers_table().items()}

    # ------------------------------------------------------------- 3. decide
    def _chance(self) -> np.ndarray:
        levers, b = self.model.levers, self.model.params.behaviour
        return compiled.chance_to_share(
            self.model.state.intention, levers["opportunity"], levers["friction"], F(b.friction_weight)
        )

    def _decide(self) -> np.ndarray:
        return self.model.rng.random(self.model.org.n, dtype=F) < self._chance()

    # -------------------------------------------------------------- 4. reach
    def _reach(self, sharers: np.ndarray) -> Exchanges:
        m, org, rng = self.model, self.model.org, self.model.rng
        # Most people reach a few colleagues per share; a few reach many (``reach_spread``).
        k = self.breadth if isinstance(self.breadth, int) else self.breadth[sharers]
        s = np.repeat(sharers, k).astype(np.int64, copy=False)
        r, channel = draw_contacts(m, s)
        if m.levers.reaching:
            reach = m.levers["reach"][sharers]
            readers = rng.poisson(reach)
            s = np.concatenate((s, np.repeat(sharers, readers)))
            r = np.concatenate((r, rng.integers(0, org.n, readers.sum())))
            channel = np.concatenate((channel, np.full(readers.sum(), PLATFORM, dtype=np.int8)))
            by_sharer = np.argsort(s, kind="stable")  # keep each sharer's contacts together
            s, r, channel = s[by_sharer], r[by_sharer], channel[by_sharer]
        return Exchanges(*compiled.real_contacts(s, r, channel))

    # ----------------------------------------------------------- 5. exchange
    def _exchange(self, ex: Exchanges, shared: np.ndarray) -> None:
        """Knowledge flows to recipients and back; sharers learn from the answers, everyone else by watching.

        The per-contact loops are compiled (``sim.compiled``); the draws, and
        the float32 ``tanh`` and ``expm1``, stay here in numpy.
        """
        m, st, b, rng, levers = (
            self.model,
            self.model.state,
            self.model.params.behaviour,
            self.model.rng,
            self.model.levers,
        )
        s, r = ex.sharer, ex.recipient

        # What flows: the sharer's strongest domain, absorbed in part (less of a broadcast).
        K = st.knowledge
        tanh_k = np.tanh(K)  # absorptive capacity grows with related knowledge (numpy's float32 tanh: see sim.compiled)
        capacity = (F(b.absorptive_capacity), self.absorptive, levers["absorption"])
        best, d, source, gain = compiled.offers(
            K, tanh_k, s, r, ex.channel, PLATFORM, F(PLATFORM_ABSORPTION), *capacity
        )
        chance = rng.random((5, len(s)), dtype=F)  # one draw each: use, recognition, feedback, return, critique
        used = chance[0] < -np.expm1(-gain / F(b.use_scale))

        # How recipients answer, and the knowledge that flows both ways.
        recognised, fed_back, returned, critiqued = compiled.answers(
            s,
            r,
            ex.channel,
            used,
            chance,
            levers["recognition"],
            levers["feedback"],
            levers["reciprocity"],
            levers["critique"],
            F(m.params.culture.reciprocation),
            F(b.critique_base),
            CHANNEL_RECIPROCITY,
            st.intention,
            st.safety,
        )
        compiled.flows(K, tanh_k, best, s, r, d, source, gain, returned, *capacity)

        sharers = compiled.learn_from_answers(
            s,
            recognised,
            returned,
            fed_back,
            critiqued,
            levers["friction"],
            self.experience,
            F(b.experience_rate),
            F(CRITIQUE_PENALTY),
            F(b.disconfirmation_weight),
            F(b.satisfaction_rate),
            F(b.expectation_rate),
            F(1 - CRITIQUE_MEMORY),
            st.recognition,
            st.reciprocation,
            st.ease,
            st.self_efficacy,
            st.satisfaction,
            st.expectation,
            st.critique_memory,
            st.share_count,
        )
        org = m.org
        compiled.learn_by_watching(
            org.team,
            org.n_teams,
            org.team_size,
            shared,
            s,
            r,
            recognised,
            sharers,
            self.vicarious,
            F(b.vicarious_rate),
            levers["friction"],
            st.recognition,
            st.reciprocation,
            st.ease,
        )
        self.team_critique = compiled.critique_rates(org.team, r, critiqued, org.n_teams)
