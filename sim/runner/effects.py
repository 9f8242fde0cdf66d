"""What each scenario changes against the baseline, measured run by run.

A sweep keeps weekly rows (perhaps only every k-th week) and one row of
outcomes per run. Effects need one number per run: an output at a week the
runs kept, or an outcome. This module picks those weeks, builds that per-run
table, compares every scenario with the baseline (``sim.runner.statistics``
says how) and says in words why an effect is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.runner.statistics import compare, pair
from sim.runner.wording import noun, sentence

RUN_KEYS = ["run_id", "scenario", "point", "replication", "seed"]
#: Outcomes measured over a scenario's programme window, and which side of its end they take.
WINDOWED = {"during_sharing_rate": "during", "after_sharing_rate": "after"}


# ------------------------------------------------------------------ weeks
@dataclass(frozen=True)
class Week:
    """A week effects are reported at: the one asked for, and the nearest one the runs kept."""

    asked: int
    used: int

    def note(self, every, kept) -> str | None:
        """Why the week asked for is not the week used, and which weeks could be asked for instead."""
        if self.asked == self.used:
            return None
        weeks = sorted({int(w) for w in kept})
        choices = f"choose from the kept weeks: {listed(weeks)}"
        if not 0 <= self.asked <= weeks[-1]:  # every sweep keeps its last week
            return (
                f"week {self.asked} is outside the sweep, whose runs went from week 0 to week {weeks[-1]}; "
                f"week {self.used}, the nearest, is used instead ({choices})"
            )
        why = "only the final week is kept" if every == "final" else f"outputs.every = {every}"
        return (
            f"week {self.asked} was not kept ({why}); week {self.used}, the nearest kept week, is used instead "
            f"({choices})"
        )


def listed(weeks: list[int]) -> str:
    """Weeks in a line a person reads: all of a few, else the first three and the last two."""
    if len(weeks) <= 8:
        return ", ".join(map(str, weeks))
    return f"{', '.join(map(str, weeks[:3]))}, …, {', '.join(map(str, weeks[-2:]))}"


def choose_weeks(asked: list[int], kept) -> list[Week]:
    """The weeks to report, each moved to the nearest kept week (the earlier one on a tie); by default
    the middle and the last week, where a programme is usually running and where its trace is left."""
    kept = np.array(sorted({int(w) for w in kept}))
    if not len(kept):
        return []
    last = int(kept[-1])
    chosen, seen = [], set()
    for week in asked or ([round(last / 2), last] if len(kept) > 1 else [last]):
        used = int(kept[np.argmin(np.abs(kept - week))])
        if used not in seen:
            seen.add(used)
            chosen.append(Week(int(week), used))
    return chosen


# --------------------------------------------------------------- measures
@dataclass(frozen=True)
class Measure:
    """One number per run that effects are computed on: an output at a week, or a scalar outcome."""

    column: str
    name: str
    week: int | None = None

    @property
    def label(self) -> str:
        return f"{noun(self.name)} at week {self.week}" if self.week is not None else noun(self.name)


def per_run(
    runs: pd.DataFrame, weekly: pd.DataFrame, outputs: list[str], weeks: list[int], outcomes: list[str]
) -> tuple[pd.DataFrame, list[Measure]]:
    """One row per finished run: its place in the design, the outputs at each week, and its outcomes."""
    done = runs[runs["status"] == "done"].reindex(columns=[*RUN_KEYS, *outcomes])
    table, measures = done.copy(), []
    for week in weeks:
        at = weekly[weekly["week"] == week].set_index("run_id")
        for output in outputs:
            column = f"{output}@{week}"
            table[column] = table["run_id"].map(at[output])
            measures.append(Measure(column, output, week))
    return table, measures + [Measure(name, name) for name in outcomes]


def point_labels(runs: pd.DataFrame, factors: list[str]) -> dict[int, str]:
    """A design point by its parameter values, e.g. 'ease=0.3, team_size=8': what a reader knows it by."""
    first = runs.drop_duplicates("point")[["point", *factors]]
    return {
        int(point): ", ".join(f"{f}={v:g}" for f, v in zip(factors, values)) or f"point {point}"
        for point, *values in first.itertuples(index=False)
    }


# ---------------------------------------------------------------- effects
def matched_windows(
    table: pd.DataFrame, weekly: pd.DataFrame, baseline: str, windows: dict[str, tuple[int, int]]
) -> dict[tuple[str, str], pd.Series]:
    """The baseline's sharing over each scenario's own programme window, run by run.

    The baseline has no programme, so "sharing while the programme ran" is
    undefined for it; the fair comparison is the baseline over the same weeks.
    Taken from the weekly rows kept (every k-th week if the sweep thinned them).
    """
    rows = weekly[weekly["scenario"] == baseline]
    if not len(rows) or "sharing_rate" not in rows:
        return {}
    matched = {}
    for scenario, (start, end) in windows.items():
        for column, side in WINDOWED.items():
            if column not in table:
                continue
            inside = (rows["week"] > start) & (rows["week"] <= end) if side == "during" else rows["week"] > end
            if inside.any():
                matched[(scenario, column)] = rows[inside].groupby("run_id")["sharing_rate"].mean()
    return matched


def effects(
    table: pd.DataFrame,
    measures: list[Measure],
    baseline: str,
    by_point: bool,
    labels: dict[int, str] | None = None,
    matched: dict[tuple[str, str], pd.Series] | None = None,
) -> pd.DataFrame:
    """Every other scenario against the baseline, for every measure; per design point when ``by_point``
    (``labels`` names the points in the sentences). ``matched`` gives the baseline's values of windowed
    outcomes over each scenario's own window (``matched_windows``)."""
    keys = ["scenario", "point"] if by_point else ["scenario"]
    base, matched = table[table["scenario"] == baseline], matched or {}
    rows = []
    for key, group in table[table["scenario"] != baseline].groupby(keys, observed=True, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        reference = base[base["point"] == key[1]] if by_point else base
        for column in WINDOWED:
            if (scenario := str(key[0]), column) in matched:
                reference = reference.assign(**{column: reference["run_id"].map(matched[(scenario, column)])})
        pairs = pair(group, reference)
        for measure in measures:
            if group[measure.column].notna().any() and reference[measure.column].notna().any():
                rows.append(
                    {
                        **dict(zip(keys, key)),
                        "measure": measure.column,
                        "output": measure.name,
                        "week": measure.week,
                        "label": measure.label,
                        "baseline": baseline,
                        **compare(group, reference, measure.column, pairs),
                    }
                )
    frame = pd.DataFrame(rows)
    if len(frame) and by_point:
        frame.insert(2, "point_label", [(labels or {}).get(p, f"point {p}") for p in frame["point"]])
    if len(frame):
        frame["week"] = frame["week"].astype("Int64")
        frame["sentence"] = [sentence(row) for row in frame.itertuples()]
    return frame


def undefined(
    table: pd.DataFrame, measures: list[Measure], baseline: str, matched: dict[tuple[str, str], pd.Series] | None = None
) -> list[str]:
    """Why some effects are missing: a measure with no value for the baseline, or for some scenarios."""
    notes = []
    windowed = {column for _, column in (matched or {})}
    for column in sorted(windowed):
        notes.append(
            f"{noun(column)} ({column}) is compared with the baseline's sharing over the same weeks "
            "as each scenario's programme window, taken from the weekly rows kept."
        )
    for measure in measures:
        if measure.column in windowed:
            continue
        has = table.groupby("scenario", observed=True)[measure.column].apply(lambda v: v.notna().any())
        if baseline in has and not has[baseline]:
            notes.append(
                f"{measure.label} ({measure.column}) is undefined for the baseline '{baseline}', so it has "
                "no effect against it (e.g. a programme window the baseline does not have)."
            )
        elif not has.all():
            notes.append(f"{measure.label} ({measure.column}) is undefined for {', '.join(has.index[~has])}.")
    return notes
