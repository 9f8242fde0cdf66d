"""Every employee's state, held as one numpy array per quantity.

The Mesa agents in ``sim/agents`` read and write these arrays through
properties; the weekly rules in ``sim/dynamics.py`` update them for all
employees at once. Keeping state in arrays is what lets one model serve ten
employees in a classroom and a million in a study.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.arrays import F
from sim.organisation import LEADER, MANAGER, Structure
from sim.scenario import Scenario
from sim.team_culture import TeamCulture

NEVER = np.iinfo(np.int32).min // 2  # "last shared" of someone who never shared


def _around(rng: np.random.Generator, mean: float | np.ndarray, n: int, spread: float = 12.0) -> np.ndarray:
    """Beta draws with the given mean (one, or each person's): people differ, but around what their culture
    delivers."""
    m = np.clip(mean, 1e-3, 1 - 1e-3)
    return rng.beta(m * spread, (1 - m) * spread, n).astype(F)


#: The strategies Cress et al. (2005) found in shared-database dilemmas, by their code in ``strategy``.
STRATEGIES = ("pragmatist", "cooperator", "defector")


def _dispositions(scenario: Scenario, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Personal readiness to share, and the strategy it comes from: cooperators, pragmatists and defectors."""
    b = scenario.behaviour
    draw = rng.random(n)
    strategy = np.where(draw < b.cooperator_share, 1, 0)
    strategy = np.where(draw > 1 - b.defector_share, 2, strategy).astype(np.int8)
    offset = np.array([0.0, b.cooperator_bonus, -b.defector_penalty])[strategy]
    return (offset + rng.normal(0.0, b.disposition_spread, n)).astype(F), strategy


def _knowledge(scenario: Scenario, org: Structure, rng: np.random.Generator, n: int, domains: int) -> np.ndarray:
    """Starting knowledge per domain: expertise that grows with tenure, or Cowan & Jonard's uniform endowments."""
    if scenario.organisation.initial_knowledge == "uniform":
        return rng.random((n, domains), dtype=F)
    # Expertise grows with seniority and tenure; a specialty stands out.
    years = org.tenure / 52.0
    depth = (0.6 + 0.15 * np.minimum(years, 10) + 0.3 * (org.level >= MANAGER)).astype(F)
    knowledge = (0.15 * rng.lognormal(0.0, 0.4, (n, domains))).astype(F)
    knowledge[np.arange(n), org.specialty] += depth * rng.lognormal(0.0, 0.3, n).astype(F)
    knowledge[org.newcomer] *= 0.5
    return knowledge


@dataclass
class EmployeeState:
    # The handbook's four experiences, as each person currently believes them.
    recognition: np.ndarray
    reciprocation: np.ndarray
    ease: np.ndarray
    self_efficacy: np.ndarray
    # Expectation-confirmation: what sharing is expected to bring, and the
    # satisfaction left by comparing it with what it brought.
    expectation: np.ndarray
    satisfaction: np.ndarray
    intention: np.ndarray
    # Psychological safety: the person's offset from the team climate, and the
    # memory of recent critique, which fades.
    disposition: np.ndarray  # personal readiness to share, in logits (traits, habits)
    strategy: np.ndarray  # int8 index into STRATEGIES: the group the disposition was drawn from
    safety_offset: np.ndarray
    critique_memory: np.ndarray
    safety: np.ndarray  # perceived safety this week
    colleagues_example: np.ndarray  # the visibility-weighted share of one's team seen sharing last week
    knowledge: np.ndarray  # (n, domains)
    shared: np.ndarray  # bool: shared this week
    last_shared: np.ndarray  # int32 week, NEVER if never
    share_count: np.ndarray  # int32 contacts shared with since week 0
    # Team-level climate of psychological safety and where it rests.
    climate: np.ndarray
    climate_base: np.ndarray
    # Seeking (sim/seeking.py): knowing who knows what, and the readiness to ask that being answered builds.
    awareness: np.ndarray
    ask_readiness: np.ndarray

    @classmethod
    def initial(
        cls, scenario: Scenario, org: Structure, rng: np.random.Generator, teams: TeamCulture | None = None
    ) -> EmployeeState:
        """A guess at everyone's state, from the culture (each team's own, where a survey gives it: ``teams``)."""
        n, c = org.n, scenario.culture

        def culture(key: str) -> float | np.ndarray:
            return getattr(c, key) if teams is None else teams.per_person(key, org.team)

        domains = scenario.organisation.knowledge_domains

        status = rng.random(n)
        active = status < c.initial_sharers
        lapsed = (status >= c.initial_sharers) & (status < c.initial_sharers + c.initial_lapsed)
        window = scenario.behaviour.active_window
        last = np.full(n, NEVER, dtype=np.int32)
        # Most active sharers shared in the week before the start; with a
        # one-week window, being active means exactly that.
        shared = active & ((rng.random(n) < 0.5) | (window == 1))
        if window > 1:
            last[active] = -rng.integers(1, window, active.sum())
        last[shared] = 0
        last[lapsed] = -rng.integers(window, window + 4 * 52, lapsed.sum())

        # Beliefs start near what the culture delivers to a sharer (about four
        # in five contacts put the knowledge to use; critique takes its toll),
        # so that week 0 is not a honeymoon; those who lapsed remember it as
        # worse, which is why they stopped.
        critique = scenario.behaviour.critique_base * (1 - culture("psychological_safety"))
        mood = np.where(lapsed, -0.1, np.where(active, 0.05, 0.0)).astype(F)
        recognition = np.clip(_around(rng, 0.85 * culture("recognition"), n) + mood, 0, 1)
        reciprocation = np.clip(_around(rng, 0.8 * culture("reciprocation"), n) + mood, 0, 1)
        ease = np.clip(_around(rng, culture("ease") - 0.5 * critique, n) + mood, 0, 1)
        self_efficacy = np.clip(_around(rng, 0.8 * culture("feedback"), n) + mood, 0, 1)
        performance = np.clip((recognition + reciprocation + ease + self_efficacy) / 4 - 0.5 * critique, 0, 1)
        satisfaction = np.clip(performance + mood, 0, 1).astype(F)

        knowledge = _knowledge(scenario, org, rng, n, domains)

        climate_base = np.clip(c.psychological_safety + rng.normal(0, c.climate_spread, org.n_teams), 0, 1)
        if teams is not None:  # a surveyed team's climate was measured: it does not vary around the culture's
            measured = teams.surveyed["psychological_safety"]
            climate_base = np.where(measured, teams.values["psychological_safety"], climate_base)
        climate_base = climate_base.astype(F)
        climate = climate_base.copy()
        offset = rng.normal(0, c.safety_spread, n).astype(F)
        offset[org.level == LEADER] += 0.1  # those at the top feel safer to speak
        safety = np.clip(climate[org.team] + offset, 0, 1).astype(F)

        disposition, strategy = _dispositions(scenario, rng, n)
        return cls(
            recognition=recognition.astype(F),
            reciprocation=reciprocation.astype(F),
            ease=ease.astype(F),
            self_efficacy=self_efficacy.astype(F),
            expectation=performance.astype(F),
            satisfaction=satisfaction,
            intention=np.where(active, 0.6, np.where(lapsed, 0.2, 0.3)).astype(F),
            disposition=disposition,
            strategy=strategy,
            safety_offset=offset,
            critique_memory=np.zeros(n, dtype=F),
            safety=safety,
            colleagues_example=np.zeros(n, dtype=F),
            knowledge=knowledge,
            shared=shared,
            last_shared=last,
            share_count=np.zeros(n, dtype=np.int32),
            climate=climate,
            climate_base=climate_base,
            # Who knows what is learnt at work: a newcomer knows little of it, five years in one knows most
            # of what one will (an assumption; no draw, so a run without seeking draws what it always did).
            awareness=(0.2 + 0.1 * np.minimum(org.tenure / 52.0, 5.0)).astype(F),
            ask_readiness=np.full(n, 0.5, dtype=F),
        )
