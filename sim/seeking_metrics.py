"""The weekly outputs of seeking (sim/seeking.py), organisation-wide and by level and department.

Only a run with ``behaviour.seeking`` has them: without it the weekly table is what it always was, and so are
its golden hashes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.metrics import GroupIndex
    from sim.model import KnowledgeSharingModel

#: Organisation-wide: the share of people who asked this week; the share of this week's requests answered; of
#: the needs closed this week, the share closed unanswered (given up); the median weeks from need to answer
#: of this week's answers; and of this week's sharers, the share who shared only by answering.
COLUMNS = ("asking_rate", "answer_rate", "unanswered_share", "median_weeks_to_answer", "answers_share")
#: By level and by department.
GROUPED = ("asking_rate", "answer_rate", "unanswered_share")


def headline(columns) -> tuple[str, ...]:
    """The organisation-wide outputs a run's summaries report: ``metrics.HEADLINE``, and seeking's when the run's
    table has them (``columns``: the weekly table's columns)."""
    from sim.metrics import HEADLINE

    return HEADLINE + (COLUMNS if COLUMNS[0] in columns else ())


def _ratio(top: float, bottom: float) -> float:
    return top / bottom if bottom else float("nan")


def measure(model: KnowledgeSharingModel) -> dict[str, float]:
    """This week's seeking; at week 0, before any week has been lived, none (NaN), not zero."""
    if model.week == 0:
        return dict.fromkeys(COLUMNS, float("nan"))
    week = model.rule.seeking.last  # type: ignore[attr-defined]
    n = model.org.n
    asked, answered, gave_up = int(week.asked.sum()), int(week.answered.sum()), int(week.gave_up.sum())
    unsolicited = model.rule.unsolicited  # type: ignore[attr-defined]
    sharers = int((unsolicited | week.answerer).sum())
    only_answering = int((week.answerer & ~unsolicited).sum())
    return {
        "asking_rate": asked / n,
        "answer_rate": _ratio(answered, asked),
        "unanswered_share": _ratio(gave_up, gave_up + answered),
        "median_weeks_to_answer": float(np.median(week.waited)) if len(week.waited) else float("nan"),
        "answers_share": _ratio(only_answering, sharers),
    }


def group_columns(indexes: list[GroupIndex]) -> list[str]:
    return [column for index in indexes for column in index.columns(GROUPED)]


def group_values(model: KnowledgeSharingModel, indexes: list[GroupIndex]) -> list[float]:
    """Per group, the share who asked, and the ratios of the counts the organisation-wide ratios take."""
    if model.week == 0:
        return [float("nan")] * len(group_columns(indexes))
    week = model.rule.seeking.last  # type: ignore[attr-defined]
    # Few people ask in a week: counting them by group is cheaper than a mean over everyone.
    who = [np.flatnonzero(flags) for flags in (week.asked, week.answered, week.gave_up)]
    out: list[float] = []
    for index in indexes:
        groups = len(index.size)
        asked, answered, gave_up = (np.bincount(index.group[w], minlength=groups).astype(np.float64) for w in who)
        with np.errstate(invalid="ignore", divide="ignore"):
            out += [*(asked / index.size).tolist(), *(answered / asked).tolist()]
            out += (gave_up / (gave_up + answered)).tolist()
    return out
