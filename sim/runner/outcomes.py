"""One number per run, for comparing runs: effect sizes, sensitivity indices, the runs table.

They are computed from every week of a run, whatever the experiment keeps
on disk, so that a sweep that keeps only the final week can still be
analysed for sustainability after a programme ends.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from sim.metrics import HEADLINE
from sim.scenario import Scenario


def _rate(frame: pd.DataFrame) -> np.ndarray:
    """Weekly sharing rate after week 0 (week 0 is the starting state, not a week of sharing)."""
    return frame["sharing_rate"].to_numpy(dtype=float)[1:]


def mean_sharing(frame: pd.DataFrame, scenario: Scenario) -> float:
    rate = _rate(frame)
    return float(rate.mean()) if len(rate) else float("nan")


def late_sharing(frame: pd.DataFrame, scenario: Scenario) -> float:
    """Long-run sharing: the mean over the last quarter of the run."""
    rate = _rate(frame)
    return float(rate[-max(1, len(rate) // 4) :].mean()) if len(rate) else float("nan")


def programme_weeks(scenario: Scenario, weeks: int) -> tuple[int, int] | None:
    """From the first intervention's start to the last one's end (or the run's end), if there are any."""
    if not scenario.interventions:
        return None
    start = min(item.start for item in scenario.interventions)
    ends = [item.end for item in scenario.interventions if item.end is not None]
    open_ended = len(ends) < len(scenario.interventions)
    end = weeks if open_ended else min(max(ends), weeks)
    return start, end


def during_sharing(frame: pd.DataFrame, scenario: Scenario) -> float:
    """Mean sharing from the first intervention's start to the last one's end; NaN with no interventions."""
    rate = frame["sharing_rate"].to_numpy(dtype=float)
    window = programme_weeks(scenario, len(rate) - 1)
    if window is None or window[1] <= window[0]:
        return float("nan")
    return float(rate[window[0] + 1 : window[1] + 1].mean())


def after_sharing(frame: pd.DataFrame, scenario: Scenario) -> float:
    """Mean sharing after everything has ended: what a programme leaves behind. NaN if nothing ends."""
    rate = frame["sharing_rate"].to_numpy(dtype=float)
    window = programme_weeks(scenario, len(rate) - 1)
    if window is None or window[1] >= len(rate) - 1:
        return float("nan")
    return float(rate[window[1] + 1 :].mean())


def _final(name: str) -> Callable[[pd.DataFrame, Scenario], float]:
    return lambda frame, scenario: float(frame[name].iloc[-1])


OUTCOMES: dict[str, Callable[[pd.DataFrame, Scenario], float]] = {
    "mean_sharing_rate": mean_sharing,
    "late_sharing_rate": late_sharing,
    "during_sharing_rate": during_sharing,
    "after_sharing_rate": after_sharing,
    "peak_sharing_rate": lambda frame, scenario: float(_rate(frame).max()) if len(frame) > 1 else float("nan"),
    **{f"final_{name}": _final(name) for name in HEADLINE},
}


def compute(frame: pd.DataFrame, scenario: Scenario, names=None) -> dict[str, float]:
    return {name: OUTCOMES[name](frame, scenario) for name in (names or OUTCOMES)}
