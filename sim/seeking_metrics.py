"""The weekly outputs of seeking (sim/seeking.py), organisation-wide and by level and department.

Only a run with ``behaviour.seeking`` has them: without it the weekly table is what it always was, and so are
its golden hashes.
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

import numpy as np

from sim.compiled import group_ratios

if TYPE_CHECKING:
    from sim.metrics import GroupIndex
    from sim.model import KnowledgeSharingModel

#: Organisation-wide: the share of people who asked this week; the share of this week's requests answered; of
#: the needs closed this week, the share closed unanswered (given up); the median weeks from need to answer
#: of this week's answers; and of this week's sharers, the share who shared only by answering.
COLUMNS = ("asking_rate", "answer_rate", "unanswered_share", "median_weeks_to_answer", "answers_share")
#: By level and by department.
GROUPED = ("asking_rate", "answer_rate", "unanswered_share", "median_weeks_to_answer")


def headline(columns) -> tuple[str, ...]:
    """The organisation-wide outputs a run's summaries report: ``metrics.HEADLINE``, and seeking's when the run's
    table has them (``columns``: the weekly table's columns)."""
    from sim.metrics import HEADLINE

    return HEADLINE + (COLUMNS if COLUMNS[0] in columns else ())


NAN = float("nan")


def _ratio(top: float, bottom: float) -> float:
    return top / bottom if bottom else NAN


def measure(model: KnowledgeSharingModel) -> dict[str, float]:
    """This week's seeking; at week 0, before any week has been lived, none (NaN), not zero."""
    if model.week == 0:
        return dict.fromkeys(COLUMNS, NAN)
    week = model.rule.seeking.last  # type: ignore[attr-defined]
    n = model.org.n

    def count(flags: np.ndarray) -> int:
        return int(np.count_nonzero(flags))

    asked, answered, gave_up = count(week.asked), count(week.answered), count(week.gave_up)
    unsolicited = model.rule.unsolicited  # type: ignore[attr-defined]
    sharers = count(unsolicited | week.answerer)
    only_answering = count(week.answerer & ~unsolicited)
    return {
        "asking_rate": asked / n,
        "answer_rate": _ratio(answered, asked),
        "unanswered_share": _ratio(gave_up, gave_up + answered),
        # The middle of a handful of waits: statistics.median gives np.median's value without its overhead.
        "median_weeks_to_answer": float(statistics.median(week.waited.tolist())) if len(week.waited) else NAN,
        "answers_share": _ratio(only_answering, sharers),
    }


def group_columns(indexes: list[GroupIndex]) -> list[str]:
    return [column for index in indexes for column in index.columns(GROUPED)]


def group_values(model: KnowledgeSharingModel, indexes: list[GroupIndex]) -> list[float]:
    """Per group, the share who asked, the ratios of the counts the organisation-wide ratios take, and the
    median wait of those answered (``waited`` follows the answered askers in ascending order, as
    ``answer_requests`` takes the askers)."""
    if model.week == 0:
        return [NAN] * len(group_columns(indexes))
    week = model.rule.seeking.last  # type: ignore[attr-defined]
    # Few people ask in a week: counting them by group is cheaper than a mean over everyone.
    asked, answered, gave_up = (np.flatnonzero(flags) for flags in (week.asked, week.answered, week.gave_up))
    waited = week.waited.astype(np.int64)
    out: list[float] = []
    for index in indexes:
        out += group_ratios(index.group, index.size, asked, answered, gave_up, waited).tolist()
    return out
