"""Start an organisation from where its own culture leads, not from a guess.

The starting beliefs of ``EmployeeState.initial`` are an educated guess at
what the culture delivers; left alone, a run spends its first months
drifting from that guess to the culture's own level, and that drift would be
read as an effect (sharing in ``blame_culture`` fell before its incident).
So before week 0 an organisation of at most a thousand people with the same
parameters and no interventions runs for ``warmup`` weeks, and the real one
takes over its end state: each team the climate, resting climate and recent
critique of one of its teams, each person the beliefs, satisfaction,
expectation, intention, disposition, safety offset, critique memory and
sharing history of someone with the same strategy (cooperator, pragmatist or
defector) and role (manager or not). Knowledge is not copied, as it belongs
to a person's specialty and tenure.

A donor rather than the organisation itself keeps the cost fixed: a million
employees settle in the time a thousand take, which a warm-up of the whole
organisation could not (52 weeks would more than double a one-year run).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

import numpy as np

from sim.arrays import F, starts
from sim.compiled import perceived_safety
from sim.mechanism import CHART_SETTLES_ITSELF, CRITIQUE_ON_SAFETY, DONOR_SIZE
from sim.organisation import MANAGER
from sim.state import NEVER

if TYPE_CHECKING:
    from sim.model import KnowledgeSharingModel

#: Per-person state taken over from the settled organisation.
CARRIED = (
    "recognition",
    "reciprocation",
    "ease",
    "self_efficacy",
    "expectation",
    "satisfaction",
    "intention",
    "disposition",
    "strategy",
    "safety_offset",
    "critique_memory",
    "shared",
    "knowledge",
    "awareness",
    "ask_readiness",
)


def settle(model: KnowledgeSharingModel, seed: int) -> None:
    """Replace the guessed starting state of ``model`` by a settled one (a no-op when ``warmup`` is 0).

    ``seed`` drives the settling organisation and who takes over whose state. It is drawn before
    anything else, so runs that differ only in a parameter share their donor and their matching.
    """
    params = model.params
    weeks = params.warmup
    if not weeks:
        return
    org = params.organisation
    # Neither labels nor the scenario's own seed (the donor is given its seed) may split the cache: presets
    # differ in both, and a sweep's scenarios run on common seeds.
    labels = {"name": "warm-up", "description": "", "notice": "", "seed": 0}
    settling = labels | {"warmup": 0, "interventions": [], "weeks": weeks}
    itself = DONOR_SIZE if org.chart is None else CHART_SETTLES_ITSELF
    if org.employees <= itself and model.seed is not None:
        # Small enough to settle itself: the same parameters and seed make the same organisation.
        _copy_settled(model, _settled(params.model_copy(update=settling), model.seed, seed))
        _keep_survey_climate(model)
        return
    size = DONOR_SIZE
    # A generated donor, also for an organisation read from a chart: it settles the culture, not the chart.
    donor_org = org.model_copy(
        update={"employees": size, "departments": max(1, min(org.departments, size // 3)), "chart": None, "ties": None}
    )
    donor_culture = params.culture.model_copy(update={"survey": None})
    donor_params = params.model_copy(update=settling | {"organisation": donor_org, "culture": donor_culture})
    _take_over(model, _settled(donor_params, seed, seed), np.random.default_rng([seed, 1]))
    _shift_to_survey(model)
    _keep_survey_climate(model)


def _keep_survey_climate(model: KnowledgeSharingModel) -> None:
    """Each surveyed team starts at the climate its survey measured, which describes it at week 0.

    Settling moves a climate (critique pulls it down, managers' example lifts it); the survey was taken of
    the organisation as it is now, so each surveyed team's climate is set back to its value, and its resting
    level is moved by the same amount: the gap between the two, which settling built, is kept.
    """
    teams = model.team_culture
    if teams is None:
        return
    st = model.state
    measured = teams.surveyed["psychological_safety"]
    gap = np.where(measured, teams.values["psychological_safety"] - st.climate, 0.0)
    st.climate = np.clip(st.climate + gap, 0, 1).astype(F)
    st.climate_base = np.clip(st.climate_base + gap, 0, 1).astype(F)
    st.safety = perceived_safety(
        st.climate, model.org.team, st.safety_offset, st.critique_memory, F(CRITIQUE_ON_SAFETY)
    )


def _shift_to_survey(model: KnowledgeSharingModel) -> None:
    """People who took the state of someone settled in the generic culture believe what their own team's
    culture would have led them to: each belief moves by the difference the starting guess
    (``EmployeeState.initial``) makes between their team's values and the ``[culture]`` values.

    Only an organisation too large to settle itself needs this; one that settles itself does so with its
    teams' own values.
    """
    teams = model.team_culture
    if teams is None:
        return
    st, c, team = model.state, model.params.culture, model.org.team
    critique = model.params.behaviour.critique_base

    def gap(key: str) -> np.ndarray:
        return teams.per_person(key, team) - getattr(c, key)

    shifts = {
        "recognition": 0.85 * gap("recognition"),
        "reciprocation": 0.8 * gap("reciprocation"),
        "ease": gap("ease") + 0.5 * critique * gap("psychological_safety"),
        "self_efficacy": 0.8 * gap("feedback"),
    }
    for name, shift in shifts.items():
        setattr(st, name, np.clip(getattr(st, name) + shift, 0, 1).astype(F))


#: Settled organisations kept for reuse, most recent last.
_SETTLED: OrderedDict[tuple[str, int], KnowledgeSharingModel] = OrderedDict()
#: How many are kept: enough for every scenario of one replication in a sweep batch.
SETTLED_KEPT = 4


def _settled(donor_params, seed: int, weeks_seed: int) -> KnowledgeSharingModel:
    """The organisation made from these parameters and ``seed``, settled for its ``weeks`` on draws from
    ``weeks_seed``, made once and reused.

    Scenarios that differ only in their interventions, run with the same seed
    (a sweep's common random numbers), settle identically: the settling
    organisation has no interventions, and taking over its state reads it
    without changing it. Reusing it changes no number, and spares a sweep the
    warm-up of every scenario but the first.
    """
    from sim.model import KnowledgeSharingModel

    key = (donor_params.model_dump_json(), int(seed))
    donor = _SETTLED.get(key)
    if donor is None:
        donor = KnowledgeSharingModel(donor_params, rng=seed)
        # The settling weeks draw from a stream of their own: an organisation that settles itself would
        # otherwise live its warm-up on the very draws its run then makes.
        donor.rng = np.random.default_rng([weeks_seed, 2])
        for _ in range(donor_params.weeks):
            donor.advance()
        _SETTLED[key] = donor
        while len(_SETTLED) > SETTLED_KEPT:
            _SETTLED.popitem(last=False)
    _SETTLED.move_to_end(key)
    return donor


def _places(
    team: np.ndarray, manages: np.ndarray, n_teams: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Group people by team and role (manager or not): the people in group order, where each group starts and
    how big it is, and each person's rank within their group."""
    group = team.astype(np.int64) * 2 + manages
    order = np.argsort(group, kind="stable")
    size = np.bincount(group, minlength=2 * n_teams)
    start = starts(size)
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = np.arange(len(group)) - start[group[order]]
    return order, start, size, rank


def _take_over(model: KnowledgeSharingModel, donor: KnowledgeSharingModel, rng: np.random.Generator) -> None:
    """Each team takes the settled state of a donor team: its climate and recent critique, and for each member
    the whole state of a donor teammate in the same role (the manager's for the manager), taken in turn.

    Taking people from one team keeps what they have lived together together: what they know of each other's
    fields, the critique they met and the example they set. Matched one by one from anywhere, a team's sharers
    would carry knowledge their teammates had never been offered, and a run would start by spreading it.
    """
    org, st, ds, dorg = model.org, model.state, donor.state, donor.org
    team = rng.integers(0, dorg.n_teams, org.n_teams)
    manages = (org.level >= MANAGER).astype(np.int64)
    *_, rank = _places(org.team, manages, org.n_teams)
    order, start, size, _ = _places(dorg.team, (dorg.level >= MANAGER).astype(np.int64), dorg.n_teams)
    want = team[org.team] * 2 + manages
    want = np.where(size[want] > 0, want, want ^ 1)  # a donor team without that role: the other role
    source = order[start[want] + rank % size[want]]

    for name in CARRIED:
        setattr(st, name, getattr(ds, name)[source].copy())
    last = ds.last_shared[source]
    st.last_shared = np.where(last == NEVER, NEVER, last - donor.week).astype(np.int32)
    org.specialty = dorg.specialty[source].copy()
    st.climate = ds.climate[team].copy()
    st.climate_base = ds.climate_base[team].copy()
    model.rule.take_over(donor.rule, team)
    _take_needs(model, donor, source)
    st.safety = perceived_safety(st.climate, org.team, st.safety_offset, st.critique_memory, F(CRITIQUE_ON_SAFETY))


def _copy_settled(model: KnowledgeSharingModel, settled: KnowledgeSharingModel) -> None:
    """Take over the state an organisation reached when it settled itself: everyone their own, one to one."""
    st, ds = model.state, settled.state
    assert settled.org.n == model.org.n and (settled.org.team == model.org.team).all()  # the same organisation
    for name in CARRIED:
        setattr(st, name, getattr(ds, name).copy())
    st.last_shared = np.where(ds.last_shared == NEVER, NEVER, ds.last_shared - settled.week).astype(np.int32)
    st.climate = ds.climate.copy()
    st.climate_base = ds.climate_base.copy()
    model.rule.take_over(settled.rule, np.arange(model.org.n_teams))
    _take_needs(model, settled, np.arange(model.org.n))
    st.safety = ds.safety.copy()


def _take_needs(model: KnowledgeSharingModel, settled: KnowledgeSharingModel, source: np.ndarray) -> None:
    """With seeking, each person also takes the open need (and how long it has been open) of the settled
    person whose state they took: an organisation that starts with no open needs would spend its first weeks
    building them up, and that rise would be read as an effect."""
    mine, theirs = getattr(model.rule, "seeking", None), getattr(settled.rule, "seeking", None)
    if mine is None or theirs is None:
        return
    mine.need = theirs.need[source].copy()
    mine.need_since = (theirs.need_since[source] - settled.week).astype(np.int32)
