"""The weekly outputs, computed in one pass over the state arrays.

All of them are O(n) apart from two sorts of n numbers: the knowledge Gini, and
participation inequality from the share counts (compiled, ``sim.compiled.outputs``).
"""

from __future__ import annotations

from contextlib import nullcontext
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from sim.arrays import starts
from sim.compiled import activity, group_sums, row_means, share_crossing
from sim.compiled import top_shares as compiled_top_shares
from sim.scenario import LEVELS
from sim.state import NEVER

if TYPE_CHECKING:
    from sim.model import KnowledgeSharingModel

#: Means reported for the whole organisation and for each level and department.
GROUPED = (
    "sharing_rate",
    "experienced_recognition",
    "experienced_reciprocation",
    "experienced_ease",
    "self_efficacy",
    "satisfaction",
    "perceived_safety",
)
#: The organisation-wide outputs that summaries and ``simulate`` report.
HEADLINE = (
    "sharing_rate",
    "active",
    "lapsed",
    "never_shared",
    *GROUPED[1:],
    "knowledge_mean",
    "knowledge_gini",
    "knowledge_cv",
    "cross_team_flows",
    "cross_department_flows",
    "top1_share",
    "top10_share",
)
#: Above this many departments, per-department columns are left out (they would swamp the table).
MAX_DEPARTMENT_COLUMNS = 50


def _mean(values: np.ndarray) -> float:
    """Mean accumulated in float64, without ``ndarray.mean``'s per-call overhead (it adds up weekly)."""
    return float(np.add.reduce(values, dtype=np.float64) / len(values))


def gini(values: np.ndarray, ranking: Ranking | None = None) -> float:
    """Gini coefficient of non-negative values (0 = equal, 1 = one holds everything); ``ranking`` sorts them
    faster where they are measured week after week."""
    x = np.sort(values.astype(np.float64)) if ranking is None else ranking.sort(values.astype(np.float64))
    total = x.sum()
    if total <= 0:
        return 0.0
    n = len(x)
    ranks = np.arange(1, n + 1)
    # A sum of products, not np.dot: BLAS picks its kernel by CPU, and the last digit would follow it.
    # At equality rounding can leave -4e-16; the coefficient is never below 0.
    return max(0.0, float(2.0 * (ranks * x).sum() / (n * total) - (n + 1) / n))


class Ranking:
    """Who stood where last week, for sorting a quantity that changes little from one week to the next.

    Knowledge moves slowly, so last week's order is nearly this week's, and a stable sort (numpy's timsort)
    of values already nearly in order takes a third of the time of sorting them afresh. Sorted values are the
    same however they were sorted, so every output is too.
    """

    def __init__(self) -> None:
        self.order: np.ndarray | None = None

    def sort(self, values: np.ndarray) -> np.ndarray:
        if self.order is None or len(self.order) != len(values):
            self.order = np.argsort(values, kind="stable")
        else:
            self.order = self.order[np.argsort(values[self.order], kind="stable")]
        return values[self.order]


def coefficient_of_variation(values: np.ndarray, mean: float) -> float:
    """Standard deviation over mean (0 when the mean is 0).

    Cowan & Jonard's measure of how evenly knowledge is spread.
    """
    if mean <= 0:
        return 0.0
    spread = np.add.reduce((values - np.float32(mean)) ** 2, dtype=np.float64) / len(values)
    return float(np.sqrt(spread) / mean)


def top_shares(counts: np.ndarray, fractions: tuple[float, ...]) -> tuple[float, ...]:
    """Share of all sharing done by the most active ``fraction`` of employees, for each fraction."""
    return tuple(compiled_top_shares(counts, _people(len(counts), fractions)).tolist())


@lru_cache(maxsize=16)
def _people(n: int, fractions: tuple[float, ...]) -> np.ndarray:
    return np.array([max(1, round(fraction * n)) for fraction in fractions], dtype=np.int64)


def top_share(counts: np.ndarray, fraction: float) -> float:
    return top_shares(counts, (fraction,))[0]


#: Columns of the weekly table that DataCollector's model reporters fill (and ``mesa.batch_run`` returns).
COLUMNS = (
    "week",
    "sharing_rate",
    "active",
    "lapsed",
    "never_shared",
    "intention",
    *GROUPED[1:],
    "knowledge_mean",
    "knowledge_gini",
    "knowledge_cv",
    "cross_team_flows",
    "cross_department_flows",
    "top1_share",
    "top10_share",
    "contacts",
)


def _departments(model: KnowledgeSharingModel) -> range:
    d = model.params.organisation.departments
    return range(d) if d <= MAX_DEPARTMENT_COLUMNS else range(0)


def measure(model: KnowledgeSharingModel, stacked: np.ndarray) -> dict[str, float]:
    """The headline outputs; ``stacked`` is ``stack(model.state)``, shared with ``group_means``."""
    st, org = model.state, model.org
    n = org.n
    week = model.week
    out: dict[str, float] = {"week": week}
    totals = stacked.sum(axis=1) / n
    out["sharing_rate"] = float(totals[0])
    out["active"], out["lapsed"], out["never_shared"] = activity(
        st.last_shared, week, model.params.behaviour.active_window, NEVER
    )
    out["intention"] = _mean(st.intention)
    for name, total in zip(GROUPED[1:], totals[1:].tolist()):
        out[name] = total
    # Not a BLAS product (faster, but its kernel, and so the last digit, depends on the CPU).
    per_person = row_means(st.knowledge)
    out["knowledge_mean"] = _mean(per_person)
    out["knowledge_gini"] = gini(per_person, model.knowledge_ranking)
    out["knowledge_cv"] = coefficient_of_variation(per_person, out["knowledge_mean"])
    ex = model.rule.exchanges
    contacts = len(ex.sharer)
    out["contacts"] = contacts
    if contacts:
        out["cross_team_flows"] = share_crossing(org.team, ex.sharer, ex.recipient)
        out["cross_department_flows"] = share_crossing(org.department, ex.sharer, ex.recipient)
    else:
        out["cross_team_flows"] = out["cross_department_flows"] = 0.0
    out["top1_share"], out["top10_share"] = top_shares(st.share_count, (0.01, 0.10))
    return out


def stack(st) -> np.ndarray:
    """The GROUPED quantities as one float64 matrix, one row each: every weekly mean is taken from it."""
    rows = (st.shared, st.recognition, st.reciprocation, st.ease, st.self_efficacy, st.satisfaction, st.safety)
    stacked = np.empty((len(rows), len(st.shared)), dtype=np.float64)
    for row, values in zip(stacked, rows):
        row[:] = values
    return stacked


def group_columns(model: KnowledgeSharingModel) -> list[str]:
    """Columns of the by-level and by-department means, e.g. 'satisfaction[manager]'."""
    return [column for index in model.group_indexes for column in index.columns(GROUPED)]


def group_means(model: KnowledgeSharingModel, stacked: np.ndarray) -> list[float]:
    return [mean for index in model.group_indexes for mean in index.means(stacked)]


class GroupIndex:
    """A fixed grouping of employees (level, department) and the fastest way to take means within it.

    Departments are contiguous blocks of employees, so their sums are one
    ``reduceat`` along the rows of the stacked values; levels are interleaved,
    so their sums are one product with a 0/1 membership matrix.
    """

    def __init__(self, group: np.ndarray, suffixes: list[str]):
        self.suffixes = suffixes
        self.size = np.bincount(group, minlength=len(suffixes))
        self.complete = bool((self.size > 0).all())
        self.contiguous = bool((np.diff(group) >= 0).all()) and self.complete
        self.starts = starts(self.size)
        self.group = group

    def _sums(self, stacked: np.ndarray) -> np.ndarray:
        """Each row's sum within each group, added in the people's order (a BLAS product's order follows the CPU)."""
        return group_sums(self.group, stacked, len(self.size))

    def columns(self, names) -> list[str]:
        return [name + suffix for name in names for suffix in self.suffixes]

    def means(self, stacked: np.ndarray) -> list[float]:
        """Every row's mean in every group, in the order of ``columns``; NaN for an empty group."""
        sums = np.add.reduceat(stacked, self.starts, axis=1) if self.contiguous else self._sums(stacked)
        # An empty group's mean is NaN, quietly; errstate is slow to enter, so only then.
        with nullcontext() if self.complete else np.errstate(invalid="ignore", divide="ignore"):
            return (sums / self.size).ravel().tolist()


def group_indexes(model: KnowledgeSharingModel) -> list[GroupIndex]:
    """Level and department groupings; neither changes during a run (restructuring moves teams only)."""
    org = model.org
    indexes = [GroupIndex(org.level, [f"[{level}]" for level in LEVELS])]
    departments = _departments(model)
    if len(departments):
        indexes.append(GroupIndex(org.department, [f"[dept {org.department_label(d)}]" for d in departments]))
    return indexes
