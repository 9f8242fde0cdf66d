"""The experience rule: who shares, with whom, what comes back, and what people learn from it.

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

Knowledge drift and the bookkeeping of who shared follow in the model's step,
the same for either rule (``sim.rule``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np

from sim import compiled
from sim.arrays import F
from sim.compiled import Absorption, AnswerChances, Answers, Beliefs, Exchanges, Learning, Watching
from sim.contacts import (
    CRITIQUE_BY_CODE,
    FEEDBACK_BY_CODE,
    PLATFORM,
    RECIPROCITY_BY_CODE,
    RECOGNITION_BY_CODE,
    breadth,
    draw_contacts,
    teams,
)
from sim.mechanism import (
    CRITIQUE_MEMORY,
    CRITIQUE_ON_CLIMATE,
    CRITIQUE_ON_EASE,
    CRITIQUE_ON_SAFETY,
    CRITIQUE_PENALTY,
    PLATFORM_ABSORPTION,
    RECOGNISED_BASE,
    RECOGNISED_USED,
    SEEN_CRITIQUE,
    SEEN_EFFICACY,
    Profile,
)
from sim.seeking import Seeking

if TYPE_CHECKING:
    from sim.agents import Employee
    from sim.model import KnowledgeSharingModel
    from sim.rule import WeeklyRule


@dataclass(frozen=True)
class Driver:
    """A belief that pushes the intention by ``weight x (value - 1/2)`` logits."""

    name: str  # as the per-person explanation and the dashboard call it
    weight: str  # the behaviour parameter that weighs it
    value: str  # the per-person array it reads, a field of ``EmployeeState``


#: The weighed drivers of the intention, in the order their pushes are added.
WEIGHED = (
    Driver("satisfaction", "w_satisfaction", "satisfaction"),
    Driver("self_efficacy", "w_self_efficacy", "self_efficacy"),
    Driver("recognition", "w_recognition", "recognition"),
    Driver("reciprocation", "w_reciprocation", "reciprocation"),
    Driver("ease", "w_ease", "ease"),
    Driver("psychological_safety", "w_safety", "safety"),
    Driver("colleagues_example", "w_social", "colleagues_example"),
)
#: Every push on the intention, in the order they are added (``sim.compiled.intention_terms``): the bias, the
#: person's disposition, the weighed drivers, and what their role adds.
DRIVERS = ("baseline", "disposition", *(driver.name for driver in WEIGHED), "role")


class Dynamics:
    """The weekly rules, with the per-type parameter arrays they need."""

    decides = True
    at_steady_state = False  # beliefs keep moving as long as people meet

    def __init__(self, model: KnowledgeSharingModel, members: dict[type[Employee], np.ndarray]):
        self.model = model
        n = model.org.n
        self.members = members
        profile = {field.name: np.ones(n, dtype=F) for field in fields(Profile)}
        for cls, idx in members.items():
            own = cls.profile(model)
            for key, values in profile.items():
                values[idx] = getattr(own, key)
        self.visibility = profile["visibility"]
        self.absorptive = profile["absorptive"]
        self.vicarious = profile["vicarious"]
        self.experience = profile["experience"]
        self.breadth = breadth(model)
        b = model.params.behaviour
        #: The weights of ``WEIGHED``, in its order.
        self.driver_weights = np.array([getattr(b, driver.weight) for driver in WEIGHED], dtype=F)
        self.recount_teams()
        self.bonus = np.zeros(n, dtype=F)
        self.team_critique = np.zeros(model.org.n_teams, dtype=F)
        self.exchanges = Exchanges(*(np.empty(0, dtype=np.int32) for _ in range(3)))
        #: What the rule used this week, for the per-person "why": each driver's push, their sum, the chance.
        self._used: dict[str, np.ndarray] | None = None
        self.use_share = float("nan")
        #: Requests and answers (``behaviour.seeking``), or None when people only push what they know.
        self.seeking = Seeking(model) if model.params.behaviour.seeking else None
        #: Who shared this week of their own accord (an answer to a request is a share too, but not this).
        self.unsolicited = np.zeros(n, dtype=bool)

    def recount_teams(self) -> None:
        """Total visibility per team, the denominator of colleagues' example; redo after people move."""
        org = self.model.org
        self.team_visibility = np.bincount(org.team, weights=self.visibility, minlength=org.n_teams)

    def take_over(self, donor: WeeklyRule, teams: np.ndarray) -> None:
        """Each team remembers the critique its donor team met last week."""
        assert isinstance(donor, Dynamics)
        self.team_critique = donor.team_critique[teams].copy()

    # ------------------------------------------------------------------ week
    def step(self) -> np.ndarray:
        self._climate()
        self._intention()
        shared = self._decide()
        self.unsolicited = shared
        answering = None
        if self.seeking is not None:  # requests are answered by the same rule that decides a share
            assert self._used is not None
            answering = self.seeking.week(self._used["chance_to_share"]).answerer
        ex = self._reach(np.flatnonzero(shared))
        self._exchange(ex, shared)
        self.exchanges = ex
        return shared if answering is None else shared | answering

    # ------------------------------------------------------------ 1. climate
    def _climate(self) -> None:
        m, st, org, b = self.model, self.model.state, self.model.org, self.model.params.behaviour
        push = m.levers.team_safety - CRITIQUE_ON_CLIMATE * self.team_critique
        for cls, idx in self.members.items():
            lifted = cls.climate_push(m, idx)
            if lifted is not None:
                teams, lift = lifted
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
        st.colleagues_example = compiled.colleagues_example(
            org.team, org.n_teams, self.visibility, st.shared, self.team_visibility
        )
        self.bonus[:] = 0.0
        for cls, idx in self.members.items():
            bonus = cls.intention_bonus(m, idx)
            if bonus is not None:
                self.bonus[idx] += bonus
        terms, z = self._intention_terms()
        compiled.follow_intention(st.intention, np.exp(-z), F(m.params.behaviour.intention_rate))
        self._used = dict(zip(DRIVERS, terms)) | {"logit": z}

    def _intention_terms(self) -> tuple[np.ndarray, np.ndarray]:
        st, b = self.model.state, self.model.params.behaviour
        inputs = tuple(getattr(st, driver.value) for driver in WEIGHED)
        return compiled.intention_terms(F(b.intention_bias), st.disposition, self.driver_weights, inputs, self.bonus)

    def drivers_table(self) -> dict[str, np.ndarray]:
        """Why each employee shared or not this week, exactly as the rule decided it: every driver's push on the
        intention (in logits) and their sum, the intention that sum moved, and what turned it into the chance
        to share. One array per item, for everyone at once.

        Before the first week there is no decision to explain yet; the table then shows what the rule would
        start from (the pushes of the current beliefs, the current intention and its chance).
        """
        levers, b, st = self.model.levers, self.model.params.behaviour, self.model.state
        if self._used is None:
            terms, z = self._intention_terms()
            self._used = dict(zip(DRIVERS, terms)) | {"logit": z, "chance_to_share": self._chance()}
        return self._used | {
            "intention": st.intention,
            "opportunity": levers["opportunity"],
            "friction_holds_back": b.friction_weight * levers["friction"],
        }

    # ------------------------------------------------------------- 3. decide
    def _chance(self) -> np.ndarray:
        levers, b = self.model.levers, self.model.params.behaviour
        return compiled.chance_to_share(
            self.model.state.intention, levers["opportunity"], levers["friction"], F(b.friction_weight)
        )

    def _decide(self) -> np.ndarray:
        chance = self._chance()
        assert self._used is not None  # set by this week's intention
        self._used["chance_to_share"] = chance
        return self.model.rng.random(self.model.org.n, dtype=F) < chance

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
        m = self.model
        st, b, rng, levers = m.state, m.params.behaviour, m.rng, m.levers

        # What flows: the sharer's strongest domain, absorbed in part (less of a broadcast).
        K = st.knowledge
        tanh_k = np.tanh(K)  # absorptive capacity grows with related knowledge (numpy's float32 tanh: see sim.compiled)
        capacity = Absorption(F(b.absorptive_capacity), self.absorptive, levers["absorption"])
        best, d, source, gain = compiled.offers(K, tanh_k, ex, PLATFORM, F(PLATFORM_ABSORPTION), capacity)
        chance = rng.random((5, len(ex.sharer)), dtype=F)  # one draw each: use, recognition, feedback, return, critique
        used = chance[0] < -np.expm1(-gain / F(b.use_scale))
        # A diagnostic: is use stationary? (A count over the length is ``used.mean()`` to the last digit, at a
        # tenth of its cost.)
        self.use_share = np.count_nonzero(used) / len(used) if len(used) else float("nan")

        # How recipients answer, and the knowledge that flows both ways.
        chances = AnswerChances(
            levers["recognition"],
            levers["feedback"],
            levers["reciprocity"],
            levers["critique"],
            levers.readiness,
            F(b.critique_base),
            F(RECOGNISED_BASE),
            F(RECOGNISED_USED),
            RECIPROCITY_BY_CODE,
            RECOGNITION_BY_CODE,
            FEEDBACK_BY_CODE,
            CRITIQUE_BY_CODE,
        )
        answers = Answers(*compiled.answers(ex, used, chance, chances, st.intention, st.safety))
        compiled.flows(K, tanh_k, best, ex, d, source, gain, answers.returned, capacity)

        beliefs = Beliefs(
            st.recognition, st.reciprocation, st.ease, st.self_efficacy, st.satisfaction, st.expectation,
            st.critique_memory,
        )  # fmt: skip
        learning = Learning(
            self.experience,
            F(b.experience_rate),
            F(CRITIQUE_PENALTY),
            F(CRITIQUE_ON_EASE),
            F(b.disconfirmation_weight),
            F(b.satisfaction_rate),
            F(b.expectation_rate),
            F(1 - CRITIQUE_MEMORY),
        )
        sharers = compiled.learn_from_answers(ex.sharer, answers, levers["friction"], learning, beliefs, st.share_count)
        watching = Watching(
            self.vicarious,
            F(b.vicarious_rate),
            F(CRITIQUE_ON_EASE),
            F((1 - CRITIQUE_MEMORY) * SEEN_CRITIQUE),
            F(SEEN_EFFICACY),
        )
        compiled.learn_by_watching(teams(m), ex, answers, sharers, watching, levers["friction"], beliefs)
        org = m.org
        self.team_critique = compiled.critique_rates(org.team, ex.recipient, answers.critiqued, org.n_teams)
