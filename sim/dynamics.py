"""One week of the organisation: who shares, with whom, what comes back, and what people learn from it.

The rules act on whole arrays. Their order within a week:

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
from typing import TYPE_CHECKING

import numpy as np

from sim.channels import PAIR_KINDS

if TYPE_CHECKING:
    from sim.model import KnowledgeSharingModel

F = np.float32
CHANNELS = ("team", "weak", "reporting", *PAIR_KINDS, "community", "platform")
PLATFORM = CHANNELS.index("platform")
#: How readily a sharer turns to each channel when it is open to them.
CHANNEL_WEIGHT = {"team": 1.0, "weak": 0.5, "reporting": 0.2, "community": 0.8} | dict.fromkeys(PAIR_KINDS, 0.8)
#: Knowledge received from a broadcast is codified, so less of it sticks.
PLATFORM_ABSORPTION = 0.5
#: How readily a contact answers with knowledge of their own, by channel: strangers
#: reading a post rarely do; mentors, project partners and community members,
#: who share an identity and an ongoing relationship, do more often.
CHANNEL_RECIPROCITY = np.array(
    [{"platform": 0.3, "project": 1.3}.get(kind, 1.5 if kind in (*PAIR_KINDS, "community") else 1.0) for kind in CHANNELS],
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
    factor = m.rng.lognormal(-b.reach_spread**2 / 2, b.reach_spread, m.org.n)
    return np.clip(np.rint(b.recipients_per_share * factor), 1, MAX_BREADTH).astype(np.int64)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def draw_contacts(m: KnowledgeSharingModel, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One contact for each entry of ``s`` (a sharer's number, once per draw): the channel, then the colleague.

    Team, acquaintances and the reporting line are open to everyone (the head
    of the organisation, who reports to no one, loses that contact: -1); pairs
    and communities only to their members.
    """
    org, rng = m.org, m.rng
    kinds = ["team", "reporting"] + (["weak"] if org.weak_ties.shape[1] else [])
    member_of = {kind: m.channels.has(kind, s) for kind in (*PAIR_KINDS, "community") if m.channels.count(kind)}
    kinds += list(member_of)
    fixed = np.cumsum([CHANNEL_WEIGHT[kind] for kind in kinds], dtype=F)
    u = rng.random(len(s), dtype=F)
    if not member_of:
        pick = np.searchsorted(fixed, u * fixed[-1], side="right")
    else:
        weights = np.empty((len(s), len(kinds)), dtype=F)
        for j, kind in enumerate(kinds):
            weights[:, j] = CHANNEL_WEIGHT[kind] * member_of[kind] if kind in member_of else CHANNEL_WEIGHT[kind]
        np.cumsum(weights, axis=1, out=weights)
        pick = (weights <= (u * weights[:, -1])[:, None]).sum(axis=1)
    r = np.full(len(s), -1, dtype=np.int64)
    channel = np.empty(len(s), dtype=np.int8)
    for j, kind in enumerate(kinds):
        sel = np.flatnonzero(pick == j)
        channel[sel] = CHANNELS.index(kind)
        who, draw = s[sel], rng.random(len(sel))
        if kind == "team":
            r[sel] = org.teammate(who, draw)
        elif kind == "weak":
            r[sel] = org.weak_ties[who, (draw * org.weak_ties.shape[1]).astype(np.int64)]
        elif kind == "reporting":
            r[sel] = org.manager_of[who]
        else:
            r[sel] = m.channels.recipient(kind, who, draw)
    return r, channel


def drift_knowledge(m: KnowledgeSharingModel) -> None:
    """Own learning in one's specialty, and obsolescence everywhere."""
    st, b = m.state, m.params.behaviour
    if b.depreciation:
        st.knowledge *= F(1 - b.depreciation)
    if b.learning_rate:
        st.knowledge[np.arange(m.org.n), m.org.specialty] += F(b.learning_rate)


def absorb(knowledge: np.ndarray, cell: np.ndarray, gain: np.ndarray, source: np.ndarray) -> None:
    """Add this week's gains to knowledge (``cell`` indexes it flattened); no one ends up knowing more than
    their best source this week, however many sources taught them the same thing."""
    flat = knowledge.reshape(-1)
    ceiling = flat.copy()
    np.maximum.at(ceiling, cell, source)
    np.add.at(flat, cell, gain)
    np.minimum(flat, ceiling, out=flat)


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
        self.recount_teams()
        self.social = np.zeros(n, dtype=F)
        self.bonus = np.zeros(n, dtype=F)
        self.team_critique = np.zeros(model.org.n_teams, dtype=F)
        self.exchanges = Exchanges(*(np.empty(0, dtype=np.int32) for _ in range(3)))
        self.recognised = np.empty(0, dtype=bool)

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
        st.share_count += np.bincount(ex.sharer, minlength=len(shared)).astype(np.int32)
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
        target = np.clip(st.climate_base + push, 0.0, 1.0)
        st.climate += F(b.safety_rate) * (target - st.climate).astype(F)
        # A climate lived long enough becomes the team's new normal.
        st.climate_base += F(b.safety_rate * b.climate_memory) * (st.climate - st.climate_base)
        st.critique_memory *= F(CRITIQUE_MEMORY)
        st.safety = np.clip(st.climate[org.team] + st.safety_offset - F(CRITIQUE_ON_SAFETY) * st.critique_memory, 0.0, 1.0)

    # ---------------------------------------------------------- 2. intention
    def _intention(self) -> None:
        m, st, org = self.model, self.model.state, self.model.org
        seen = np.bincount(org.team, weights=self.visibility * st.shared, minlength=org.n_teams)
        self.social = (seen / self.team_visibility).astype(F)[org.team]
        self.bonus[:] = 0.0
        for cls, idx in self.members.items():
            bonus = cls.intention_bonus(m, idx)
            if bonus is not None:
                self.bonus[idx] += bonus
        z = self._logit(slice(None))
        st.intention += F(m.params.behaviour.intention_rate) * (_sigmoid(z) - st.intention)

    def _logit(self, who) -> np.ndarray:
        return sum(self._terms(who).values())

    def _terms(self, who) -> dict[str, np.ndarray]:
        """Each driver's push on the intention, in logits, for the employees ``who``."""
        st, b = self.model.state, self.model.params.behaviour
        h = F(0.5)
        return {
            "baseline": F(b.intention_bias),
            "disposition": st.disposition[who],
            "satisfaction": F(b.w_satisfaction) * (st.satisfaction[who] - h),
            "self_efficacy": F(b.w_self_efficacy) * (st.self_efficacy[who] - h),
            "recognition": F(b.w_recognition) * (st.recognition[who] - h),
            "reciprocation": F(b.w_reciprocation) * (st.reciprocation[who] - h),
            "ease": F(b.w_ease) * (st.ease[who] - h),
            "psychological_safety": F(b.w_safety) * (st.safety[who] - h),
            "colleagues_example": F(b.w_social) * (self.social[who] - h),
            "role": self.bonus[who],
        }

    def drivers(self, i: int) -> dict[str, float]:
        """Why employee ``i`` shares or not this week."""
        levers, b, st = self.model.levers, self.model.params.behaviour, self.model.state
        out = {key: float(value) for key, value in self._terms(i).items()}
        out["intention"] = float(st.intention[i])
        out["opportunity"] = float(levers["opportunity"][i])
        out["friction_holds_back"] = float(b.friction_weight * levers["friction"][i])
        out["chance_to_share"] = float(self._chance(i))
        return out

    # ------------------------------------------------------------- 3. decide
    def _chance(self, who) -> np.ndarray:
        levers, b = self.model.levers, self.model.params.behaviour
        return self.model.state.intention[who] * levers["opportunity"][who] * (1 - F(b.friction_weight) * levers["friction"][who])

    def _decide(self) -> np.ndarray:
        return self.model.rng.random(self.model.org.n, dtype=F) < self._chance(slice(None))

    # -------------------------------------------------------------- 4. reach
    def _reach(self, sharers: np.ndarray) -> Exchanges:
        m, org, rng = self.model, self.model.org, self.model.rng
        # Most people reach a few colleagues per share; a few reach many (``reach_spread``).
        k = self.breadth if isinstance(self.breadth, int) else self.breadth[sharers]
        s = np.repeat(sharers, k).astype(np.int64)
        r, channel = draw_contacts(m, s)
        reach = m.levers["reach"][sharers]
        if reach.any():
            readers = rng.poisson(reach)
            s = np.concatenate((s, np.repeat(sharers, readers)))
            r = np.concatenate((r, rng.integers(0, org.n, readers.sum())))
            channel = np.concatenate((channel, np.full(readers.sum(), PLATFORM, dtype=np.int8)))
            by_sharer = np.argsort(s, kind="stable")  # keep each sharer's contacts together
            s, r, channel = s[by_sharer], r[by_sharer], channel[by_sharer]
        valid = (r >= 0) & (r != s)
        return Exchanges(s[valid], r[valid], channel[valid])

    # ----------------------------------------------------------- 5. exchange
    def _exchange(self, ex: Exchanges, shared: np.ndarray) -> None:
        m, st, b, rng, levers = self.model, self.model.state, self.model.params.behaviour, self.model.rng, self.model.levers
        n = m.org.n
        s, r = ex.sharer, ex.recipient
        e = len(s)
        platform = ex.channel == PLATFORM
        K = st.knowledge
        domains = K.shape[1]

        # What flows: the sharer's strongest domain, absorbed in part.
        best = K.argmax(axis=1)
        d = best[s]
        source = K[s, d]
        gain = self._absorbable(r, d, source) * np.where(platform, F(PLATFORM_ABSORPTION), F(1))
        chance = rng.random((5, e), dtype=F)  # one draw each: use, recognition, feedback, return, critique
        used = chance[0] < -np.expm1(-gain / F(b.use_scale))

        # How recipients answer.
        recognised = chance[1] < levers["recognition"][s] * (F(0.4) + F(0.6) * used)
        fed_back = used & (chance[2] < levers["feedback"][s])
        p_back = np.clip(F(m.params.culture.reciprocation) * (F(0.5) + st.intention[r]) + levers["reciprocity"][r], 0, 1)
        returned = chance[3] < p_back * CHANNEL_RECIPROCITY[ex.channel]
        critiqued = chance[4] < np.clip(F(b.critique_base) * (1 - st.safety[r]) + levers["critique"][r], 0, 1)

        # Knowledge in return flows from the recipient's strongest domain.
        rs, rr = r[returned], s[returned]
        d_back = best[rs]
        source_back = K[rs, d_back]
        gain_back = self._absorbable(rr, d_back, source_back)
        absorb(K, np.concatenate((r * domains + d, rr * domains + d_back)),
               np.concatenate((gain, gain_back)), np.concatenate((source, source_back)))

        # Sharers learn from what came back. Contacts are sorted by sharer, so
        # each sharer's contacts form one segment of the arrays.
        starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]]) if e else np.empty(0, dtype=np.int64)
        who = s[starts]
        per = np.diff(np.r_[starts, e]).astype(F)

        def share_of(flag: np.ndarray) -> np.ndarray:
            return (np.add.reduceat(flag.astype(F), starts) / per) if e else np.empty(0, dtype=F)

        rec_obs, back_obs, eff_obs, crit = share_of(recognised), share_of(returned), share_of(fed_back), share_of(critiqued)
        ease_obs = np.clip(1 - levers["friction"][who] - F(0.5) * crit, 0, 1)
        rate = np.minimum(F(b.experience_rate) * self.experience[who], 1)
        for name, seen in (("recognition", rec_obs), ("reciprocation", back_obs), ("ease", ease_obs), ("self_efficacy", eff_obs)):
            belief = getattr(st, name)
            belief[who] += rate * (seen - belief[who])
        performance = np.clip((rec_obs + back_obs + ease_obs + eff_obs) / 4 - F(CRITIQUE_PENALTY) * crit, 0, 1)
        confirmation = performance - st.expectation[who]
        target = np.clip(performance + F(b.disconfirmation_weight) * confirmation, 0, 1)
        st.satisfaction[who] += F(b.satisfaction_rate) * (target - st.satisfaction[who])
        st.expectation[who] += F(b.expectation_rate) * confirmation
        st.critique_memory[who] += F(1 - CRITIQUE_MEMORY) * crit

        self._learn_by_watching(ex, shared, who, recognised)
        teams = m.org.team
        team_events = np.bincount(teams[r], minlength=m.org.n_teams)
        self.team_critique = (np.bincount(teams[r], weights=critiqued, minlength=m.org.n_teams)
                              / np.maximum(team_events, 1)).astype(F)
        self.recognised = recognised

    def _absorbable(self, r: np.ndarray, d: np.ndarray, source: np.ndarray) -> np.ndarray:
        """The part of the gap a recipient takes in: absorptive capacity grows with related knowledge."""
        levers, b = self.model.levers, self.model.params.behaviour
        own = self.model.state.knowledge[r, d]
        capacity = F(b.absorptive_capacity) * self.absorptive[r] * (1 + levers["absorption"][r]) * (F(0.5) + F(0.5) * np.tanh(own))
        return np.minimum(capacity, 1) * np.maximum(source - own, 0)

    def _learn_by_watching(self, ex: Exchanges, shared: np.ndarray, sharers: np.ndarray, recognised: np.ndarray) -> None:
        """People who did not share update, more slowly, from what they saw around them.

        Written as whole-array updates with a rate of zero for sharers, which
        is faster than gathering and scattering the watchers.
        """
        m, st, org = self.model, self.model.state, self.model.org
        rate = np.minimum(F(m.params.behaviour.vicarious_rate) * self.vicarious, 1)
        rate[sharers] = 0
        team_rate = (np.bincount(org.team, weights=shared, minlength=org.n_teams) / org.team_size).astype(F)
        received = np.bincount(ex.recipient, minlength=org.n) > 0
        seen_back = F(0.5) * team_rate[org.team] + F(0.5) * received
        st.reciprocation += rate * (seen_back - st.reciprocation)
        sharer_team = org.team[ex.sharer]
        team_shares = np.bincount(sharer_team, minlength=org.n_teams)
        team_recognised = np.bincount(sharer_team, weights=recognised, minlength=org.n_teams)
        seen_rec = (team_recognised / np.maximum(team_shares, 1)).astype(F)[org.team]
        saw = (team_shares > 0)[org.team]
        st.recognition += np.where(saw, rate, F(0)) * (seen_rec - st.recognition)
        st.ease += rate * ((1 - m.levers["friction"]) - st.ease)
