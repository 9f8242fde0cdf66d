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
from sim.mechanism import CRITIQUE_ON_SAFETY, DONOR_SIZE
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
    "safety_offset",
    "critique_memory",
    "shared",
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
    size = min(org.employees, DONOR_SIZE)
    donor_params = params.model_copy(
        update={
            "name": "warm-up",
            "description": "",
            "notice": "",  # labels: they must not split the cache
            "warmup": 0,
            "interventions": [],
            "weeks": weeks,
            "organisation": org.model_copy(
                update={"employees": size, "departments": max(1, min(org.departments, size // 3))}
            ),
        }
    )
    _take_over(model, _settled(donor_params, seed), np.random.default_rng([seed, 1]))


#: Settled organisations kept for reuse, most recent last.
_SETTLED: OrderedDict[tuple[str, int], KnowledgeSharingModel] = OrderedDict()
#: How many are kept: enough for every scenario of one replication in a sweep batch.
SETTLED_KEPT = 4


def _settled(donor_params, seed: int) -> KnowledgeSharingModel:
    """The organisation settled from these parameters and seed, made once and reused.

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
        for _ in range(donor_params.weeks):
            donor.advance()
        _SETTLED[key] = donor
        while len(_SETTLED) > SETTLED_KEPT:
            _SETTLED.popitem(last=False)
    _SETTLED.move_to_end(key)
    return donor


def _groups(strategy: np.ndarray, manages: np.ndarray) -> np.ndarray:
    return strategy.astype(np.int64) * 2 + manages


def _take_over(model: KnowledgeSharingModel, donor: KnowledgeSharingModel, rng: np.random.Generator) -> None:
    """Each person takes the settled state of someone with the same strategy and role; each team that of a team."""
    org, st, ds = model.org, model.state, donor.state
    wanted = _groups(st.strategy, org.level >= MANAGER)
    offered = _groups(ds.strategy, donor.org.level >= MANAGER)
    by_group = np.argsort(offered, kind="stable")
    size = np.bincount(offered, minlength=6)
    start = starts(size)
    # Where the donor has no one of that strategy and role (a small donor may lack defecting managers), the other role.
    other = wanted ^ 1
    use = np.where(size[wanted] > 0, wanted, other)
    u = rng.random(org.n)
    pick = by_group[np.minimum(start[use] + (u * size[use]).astype(np.int64), donor.org.n - 1)]
    source = np.where(size[use] > 0, pick, (u * donor.org.n).astype(np.int64))

    for name in CARRIED:
        setattr(st, name, getattr(ds, name)[source].copy())
    last = ds.last_shared[source]
    st.last_shared = np.where(last == NEVER, NEVER, last - donor.week).astype(np.int32)
    team = rng.integers(0, donor.org.n_teams, org.n_teams)
    st.climate = ds.climate[team].copy()
    st.climate_base = ds.climate_base[team].copy()
    model.rule.take_over(donor.rule, team)
    st.safety = perceived_safety(st.climate, org.team, st.safety_offset, st.critique_memory, F(CRITIQUE_ON_SAFETY))
