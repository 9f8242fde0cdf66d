"""Emergent statistics of a run: what people did, recorded week by week, never an input read back.

A run is recorded into a ``RunRecord`` (``record_run``): per person, how many of the last ``window`` weeks
(52, or the whole run if shorter) they shared in, their mean beliefs, satisfaction and perceived safety over
those weeks, their team, the contacts their shares reached over the whole recorded run, and whether they
were *lapsed* when the window began. Every statistic in ``STATISTICS`` is a function of that record alone,
so a test can build a record by hand and know what each statistic must give.

The strategy a person was drawn with (``state.strategy``) is kept in the record for comparison only; no
statistic reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from sim.metrics import top_shares
from sim.state import NEVER

Level = Literal["person", "team", "organisation"]

#: Weeks at the end of a run over which behaviour and beliefs are recorded (the last year).
WINDOW = 52
#: Share of the window's weeks in which someone must have shared to count as a cooperator by behaviour.
COOPERATOR_WEEKS = 0.5
#: The beliefs (state arrays) whose association with sharing is a pattern, in the order of the outputs.
BELIEFS = ("recognition", "reciprocation", "ease", "self_efficacy", "satisfaction")


@dataclass
class SeekingRecord:
    """Seeking over the window (sim/seeking.py), per person."""

    need_weeks: np.ndarray  # int: weeks with an open need
    asked_weeks: np.ndarray  # int: weeks in which the person asked
    answered: np.ndarray  # int: requests of theirs that were answered
    awareness: np.ndarray  # mean awareness of who knows what

    @property
    def asking(self) -> np.ndarray:
        """Of each person's weeks with a need, the share in which they asked (NaN without a need)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.need_weeks > 0, self.asked_weeks / self.need_weeks, np.nan)


@dataclass
class RunRecord:
    """What one run produced, per person; every array has one entry per employee."""

    window: int  # weeks recorded at the end of the run
    shared_weeks: np.ndarray  # int: weeks of the window in which the person shared
    safety: np.ndarray  # mean perceived safety over the window
    recognition: np.ndarray  # mean beliefs over the window ...
    reciprocation: np.ndarray
    ease: np.ndarray
    self_efficacy: np.ndarray
    satisfaction: np.ndarray  # ... and mean satisfaction with sharing
    team: np.ndarray  # int: team at the end of the run
    contributions: np.ndarray  # contacts reached by the person's shares over the whole recorded run
    lapsed_at_start: np.ndarray  # bool: had shared once, but not for ``active_window`` weeks, when the window began
    strategy: np.ndarray | None = None  # the disposition group drawn at the start: for comparison, never a statistic
    seeking: SeekingRecord | None = None  # what people asked and were answered, in a run with seeking

    @property
    def frequency(self) -> np.ndarray:
        """Share of the window's weeks in which each person shared."""
        return self.shared_weeks / self.window


@dataclass(frozen=True)
class Statistic:
    name: str
    level: Level
    description: str
    function: Callable[[RunRecord], float]

    def __call__(self, record: RunRecord) -> float:
        return float(self.function(record))


#: Every statistic a pattern may name, by name.
STATISTICS: dict[str, Statistic] = {}


def _statistic(name: str, level: Level, description: str):
    def register(function: Callable[[RunRecord], float]) -> Callable[[RunRecord], float]:
        STATISTICS[name] = Statistic(name, level, description, function)
        return function

    return register


def correlation(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson's r, or NaN when either side does not vary (or fewer than three values)."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if len(x) < 3:
        return float("nan")
    dx, dy = x - x.mean(), y - y.mean()
    # Sums of products, not BLAS dot products, whose last digit depends on the CPU's kernel.
    scale = np.sqrt((dx * dx).sum() * (dy * dy).sum())
    return float((dx * dy).sum() / scale) if scale > 0 else float("nan")


# --------------------------------------------------------------- participation inequality
@_statistic("top1_share", "organisation", "share of all contributions made by the most active 1 % of employees")
def _top1(record: RunRecord) -> float:
    return top_shares(record.contributions.astype(np.int32), (0.01,))[0]


@_statistic("top10_share", "organisation", "share of all contributions made by the most active 10 % of employees")
def _top10(record: RunRecord) -> float:
    return top_shares(record.contributions.astype(np.int32), (0.10,))[0]


# --------------------------------------------------------------------- safety and sharing
@_statistic(
    "safety_sharing_r",
    "person",
    "correlation across people of mean perceived safety with the share of weeks shared (last year)",
)
def _safety_r(record: RunRecord) -> float:
    return correlation(record.safety, record.frequency)


@_statistic(
    "team_safety_sharing_r",
    "team",
    "correlation across teams of the team's mean perceived safety with the share of weeks its members shared",
)
def _team_safety_r(record: RunRecord) -> float:
    team = record.team
    size = np.bincount(team)
    kept = size > 0
    safety = np.bincount(team, record.safety)[kept] / size[kept]
    sharing = np.bincount(team, record.frequency)[kept] / size[kept]
    return correlation(safety, sharing)


# ------------------------------------------------------------------- beliefs and sharing
def _belief_statistic(belief: str, wording: str) -> None:
    def function(record: RunRecord) -> float:
        return correlation(getattr(record, belief), record.frequency)

    _statistic(
        f"{belief}_sharing_r",
        "person",
        f"correlation across people of {wording} (mean over the last year) with the share of weeks shared",
    )(function)


for _belief, _wording in zip(
    BELIEFS,
    (
        "experienced recognition",
        "experienced reciprocation",
        "experienced ease of sharing",
        "knowledge self-efficacy",
        "satisfaction with sharing",
    ),
):
    _belief_statistic(_belief, _wording)


# -------------------------------------------------------------------- lapse and return
@_statistic(
    "lapse_return",
    "person",
    "of the people lapsed when the last year began (shared once, not for active_window weeks), "
    "the share who shared again within it",
)
def _lapse_return(record: RunRecord) -> float:
    lapsed = record.lapsed_at_start
    if not lapsed.any():
        return float("nan")
    return float((record.shared_weeks[lapsed] > 0).mean())


# ------------------------------------------------------------- strategies, from behaviour
@_statistic(
    "cooperator_share_emergent",
    "organisation",
    "share of people who shared in at least half of the last year's weeks (cooperators by behaviour)",
)
def _cooperators(record: RunRecord) -> float:
    return float((record.shared_weeks >= COOPERATOR_WEEKS * record.window).mean())


@_statistic(
    "defector_share_emergent",
    "organisation",
    "share of people who did not share in any week of the last year (defectors by behaviour)",
)
def _defectors(record: RunRecord) -> float:
    return float((record.shared_weeks == 0).mean())


# ---------------------------------------------------------------------------------- seeking
def _with_a_need(record: RunRecord, values: str) -> float:
    """Across people who met a need in the window: r of ``values`` (a record or seeking array) with how often
    they asked when they had one. NaN in a run without seeking."""
    seeking = record.seeking
    if seeking is None:
        return float("nan")
    had = seeking.need_weeks > 0
    x = getattr(seeking, values) if hasattr(seeking, values) else getattr(record, values)
    return correlation(x[had], seeking.asking[had])


@_statistic(
    "safety_asking_r",
    "person",
    "correlation across people who met a need of mean perceived safety with the share of their weeks with a "
    "need in which they asked (seeking)",
)
def _safety_asking(record: RunRecord) -> float:
    return _with_a_need(record, "safety")


@_statistic(
    "awareness_asking_r",
    "person",
    "correlation across people who met a need of their awareness of who knows what with how often they asked "
    "(Borgatti & Cross's 'knowing'; seeking)",
)
def _awareness_asking(record: RunRecord) -> float:
    return _with_a_need(record, "awareness")


@_statistic("answer_share", "organisation", "share of the last year's requests that were answered (seeking)")
def _answer_share(record: RunRecord) -> float:
    seeking = record.seeking
    if seeking is None or not seeking.asked_weeks.sum():
        return float("nan")
    return float(seeking.answered.sum() / seeking.asked_weeks.sum())


def compute(record: RunRecord, names: list[str] | tuple[str, ...] | None = None) -> dict[str, float]:
    """The named statistics (default: all) of one recorded run."""
    return {name: STATISTICS[name](record) for name in (names or list(STATISTICS))}


# --------------------------------------------------------------------------- recording
def record_run(model: Any, window: int = WINDOW) -> RunRecord:
    """Run ``model`` (a fresh ``KnowledgeSharingModel``) to its last week and record the last ``window`` weeks.

    The weeks are advanced without the weekly table (the model's ``advance``; the state is the same as with
    ``step``, which only adds the measurements), so recording a run costs about half of running it for output.
    """
    weeks = model.params.weeks - model.week
    window = min(window, weeks)
    n = model.org.n
    state = model.state
    sums = {name: np.zeros(n) for name in ("safety", *BELIEFS)}
    shared_weeks = np.zeros(n, dtype=np.int64)
    active_window = model.params.behaviour.active_window
    lapsed = np.zeros(n, dtype=bool)
    seeking = getattr(model.rule, "seeking", None)
    asks = {name: np.zeros(n, dtype=np.int64) for name in ("need_weeks", "asked_weeks", "answered")}
    awareness = np.zeros(n)
    for done in range(weeks):
        if done == weeks - window:
            last = state.last_shared
            lapsed = (last != NEVER) & (model.week - last >= active_window)
        model.advance()
        if done >= weeks - window:
            shared_weeks += state.shared
            for name, total in sums.items():
                total += getattr(state, name)
            if seeking is not None:
                asks["need_weeks"] += seeking.last.needing
                asks["asked_weeks"] += seeking.last.asked
                asks["answered"] += seeking.last.answered
                awareness += state.awareness
    return RunRecord(
        window=window,
        shared_weeks=shared_weeks,
        safety=sums["safety"] / window,
        recognition=sums["recognition"] / window,
        reciprocation=sums["reciprocation"] / window,
        ease=sums["ease"] / window,
        self_efficacy=sums["self_efficacy"] / window,
        satisfaction=sums["satisfaction"] / window,
        team=model.org.team.copy(),
        contributions=state.share_count.copy(),
        lapsed_at_start=lapsed,
        strategy=state.strategy.copy(),
        seeking=None if seeking is None else SeekingRecord(**asks, awareness=awareness / window),
    )


def simulate(
    parameters: Mapping[str, float],
    *,
    seed: int,
    employees: int | None = None,
    weeks: int | None = None,
    scenario: str = "baseline",
    window: int = WINDOW,
) -> RunRecord:
    """Run ``scenario`` with ``parameters`` (bare names) at a size, and record it."""
    from sim.model import KnowledgeSharingModel

    overrides: dict[str, Any] = dict(parameters)
    if employees is not None:
        overrides["employees"] = employees
    if weeks is not None:
        overrides["weeks"] = weeks
    model = KnowledgeSharingModel(scenario, rng=seed, **overrides)
    return record_run(model, window)
