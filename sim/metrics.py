"""The weekly outputs, computed in one pass over the state arrays.

All of them are O(n): group means by ``bincount``, participation inequality
from the histogram of share counts. Only the knowledge Gini sorts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.params import LEVELS
from sim.state import NEVER

if TYPE_CHECKING:
    from sim.model import KnowledgeSharingModel

#: Means reported for the whole organisation and for each level and department.
GROUPED = ("sharing_rate", "experienced_recognition", "experienced_reciprocation", "experienced_ease", "self_efficacy",
           "satisfaction", "perceived_safety")
#: The organisation-wide outputs that summaries and ``simulate`` report.
HEADLINE = (
    "sharing_rate", "active", "lapsed", "never_shared", *GROUPED[1:], "knowledge_mean", "knowledge_gini",
    "cross_team_flows", "cross_department_flows", "top1_share", "top10_share",
)
#: Above this many departments, per-department columns are left out (they would swamp the table).
MAX_DEPARTMENT_COLUMNS = 50


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = equal, 1 = one holds everything)."""
    x = np.sort(values.astype(np.float64))
    total = x.sum()
    if total <= 0:
        return 0.0
    n = len(x)
    ranks = np.arange(1, n + 1)
    return float(2.0 * np.dot(ranks, x) / (n * total) - (n + 1) / n)


def top_share(counts: np.ndarray, fraction: float) -> float:
    """Share of all sharing done by the most active ``fraction`` of employees."""
    total = counts.sum()
    if total == 0:
        return 0.0
    people = max(1, int(round(fraction * len(counts))))
    histogram = np.bincount(counts)[::-1]  # people per count, highest count first
    values = np.arange(len(histogram))[::-1]
    taken = np.minimum(np.cumsum(histogram), people)
    per_value = np.diff(np.concatenate(([0], taken)))
    return float((per_value * values).sum() / total)


def metric_names(model: KnowledgeSharingModel) -> list[str]:
    names = [
        "week", "sharing_rate", "active", "lapsed", "never_shared", "intention", *GROUPED[1:],
        "knowledge_mean", "knowledge_gini", "cross_team_flows", "cross_department_flows",
        "top1_share", "top10_share", "contacts",
    ]
    for level in LEVELS:
        names += [f"{metric}[{level}]" for metric in GROUPED]
    for dept in _departments(model):
        names += [f"{metric}[dept {dept}]" for metric in GROUPED]
    return names


def _departments(model: KnowledgeSharingModel) -> range:
    d = model.params.organisation.departments
    return range(d) if d <= MAX_DEPARTMENT_COLUMNS else range(0)


def measure(model: KnowledgeSharingModel) -> dict[str, float]:
    st, org = model.state, model.org
    n = org.n
    week = model.week
    ever = st.last_shared != NEVER
    active = ever & (week - st.last_shared < model.params.behaviour.active_window)
    values = {
        "sharing_rate": st.shared,
        "experienced_recognition": st.recognition,
        "experienced_reciprocation": st.reciprocation,
        "experienced_ease": st.ease,
        "self_efficacy": st.self_efficacy,
        "satisfaction": st.satisfaction,
        "perceived_safety": st.safety,
    }
    out: dict[str, float] = {"week": week}
    out["sharing_rate"] = float(st.shared.mean())
    out["active"] = int(active.sum())
    out["lapsed"] = int((ever & ~active).sum())
    out["never_shared"] = int(n - ever.sum())
    out["intention"] = float(st.intention.mean())
    for name in GROUPED[1:]:
        out[name] = float(values[name].mean(dtype=np.float64))
    per_person = st.knowledge.mean(axis=1)
    out["knowledge_mean"] = float(per_person.mean(dtype=np.float64))
    out["knowledge_gini"] = gini(per_person)
    ex = model.dynamics.exchanges
    contacts = len(ex.sharer)
    out["contacts"] = contacts
    if contacts:
        out["cross_team_flows"] = float((org.team[ex.sharer] != org.team[ex.recipient]).mean())
        out["cross_department_flows"] = float((org.department[ex.sharer] != org.department[ex.recipient]).mean())
    else:
        out["cross_team_flows"] = out["cross_department_flows"] = 0.0
    out["top1_share"] = top_share(st.share_count, 0.01)
    out["top10_share"] = top_share(st.share_count, 0.10)
    _group_means(out, values, org.level, [f"[{level}]" for level in LEVELS])
    departments = _departments(model)
    if len(departments):
        _group_means(out, values, org.department, [f"[dept {d}]" for d in departments])
    return out


def _group_means(out: dict, values: dict[str, np.ndarray], group: np.ndarray, suffixes: list[str]) -> None:
    size = np.bincount(group, minlength=len(suffixes)).astype(np.float64)
    safe = np.maximum(size, 1)
    for name, array in values.items():
        means = np.bincount(group, weights=array, minlength=len(suffixes)) / safe
        for suffix, mean, count in zip(suffixes, means, size):
            out[name + suffix] = float(mean) if count else float("nan")
