"""One sweep analysed: the numbers its report shows, computed from its manifest, runs and weekly rows.

This module only puts the pieces together, so that a caller asks for an
analysis in one call: ``sim.runner.statistics`` makes the intervals and
comparisons, ``sim.runner.effects`` the effects against the baseline,
``sim.runner.sensitivity`` the Sobol or Morris indices and
``sim.runner.wording`` the words. ``sim.runner.report`` reads a sweep's
folder into it and writes the report.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sim.runner.effects import (
    Measure,
    Week,
    choose_weeks,
    effects,
    matched_windows,
    per_run,
    point_labels,
    undefined,
)
from sim.runner.sensitivity import Indices, indices
from sim.runner.statistics import describe


@dataclass
class Analysis:
    """Everything the report shows, computed from a sweep's manifest, runs table and weekly rows."""

    info: dict
    runs: pd.DataFrame
    keys: list[str]
    outputs: list[str]
    outcomes: list[str]
    factors: list[str]
    baseline: str
    weeks: list[Week]
    summary: pd.DataFrame
    outcome_summary: pd.DataFrame
    effects: pd.DataFrame
    measures: list[Measure]
    indices: Indices | None
    notes: list[str]

    @property
    def headline(self) -> str:
        """The output the figures and sentences lead with: sharing, if it was kept."""
        return "sharing_rate" if "sharing_rate" in self.outputs else self.outputs[0]

    @property
    def method(self) -> str:
        return self.info["experiment"]["design"]["method"]

    @property
    def lead(self) -> pd.DataFrame:
        """The effects a reader wants first: the headline output at the analysis weeks, and the outcomes."""
        if not len(self.effects):
            return self.effects
        weekly = (self.effects["output"] == self.headline) & self.effects["week"].notna()
        return self.effects[weekly | self.effects["week"].isna()]


def keys(info: dict) -> list[str]:
    """Summaries are per scenario, and per design point only for a grid: the points of a sampled design
    are draws over a range, pooled into the spread they give."""
    points = {run["point"] for run in info["runs"]}
    return (
        ["scenario", "point"] if info["experiment"]["design"]["method"] == "grid" and len(points) > 1 else ["scenario"]
    )


def baseline_of(info: dict) -> str:
    """As the experiment names it, else 'baseline' if it ran, else the first scenario."""
    labels = list(info["scenarios"])
    wanted = info["experiment"]["analysis"]["baseline"]
    return wanted or ("baseline" if "baseline" in labels else labels[0])


def analyse_sweep(
    info: dict,
    runs: pd.DataFrame,
    weekly: pd.DataFrame,
    weeks: list[int] | None = None,
    windows: dict[str, tuple[int, int]] | None = None,
) -> Analysis:
    """The whole analysis of the runs done so far (indices only once every run is done).

    ``windows`` gives each scenario's programme window (first start, last end), so that windowed outcomes
    can be compared with the baseline over the same weeks."""
    spec = info["experiment"]
    order = list(info["scenarios"])
    runs, weekly = runs.copy(), weekly.copy()
    for frame in (runs, weekly):
        frame["scenario"] = pd.Categorical(frame["scenario"], categories=order)
    outputs = [c for c in spec["outputs"]["columns"] if c in weekly.columns]
    outcomes = list(spec["analysis"]["outcomes"])
    by, baseline = keys(info), baseline_of(info)
    notes = _progress(info, runs)
    kept = weekly["week"].unique()
    chosen = choose_weeks(weeks if weeks is not None else spec["analysis"]["weeks"], kept)
    notes += [note for week in chosen if (note := week.note(spec["outputs"]["every"], kept))]
    table, measures = per_run(runs, weekly, outputs, [w.used for w in chosen], outcomes)
    factors = list(spec["vary"])
    effect_table = pd.DataFrame()
    if len(order) > 1:
        matched = matched_windows(table, weekly, baseline, windows or {})
        effect_table = effects(table, measures, baseline, "point" in by, point_labels(runs, factors), matched)
        notes += _pairing(effect_table, spec) + undefined(table, measures, baseline, matched)
    per_point = bool(factors) and spec["design"]["method"] in ("grid", "latin_hypercube")
    outcome_by = ["scenario", "point", *factors] if per_point else by
    return Analysis(
        info=info,
        runs=runs,
        keys=by,
        outputs=outputs,
        outcomes=outcomes,
        factors=factors,
        baseline=baseline,
        weeks=chosen,
        summary=describe(weekly, [*by, "week"], outputs),
        outcome_summary=describe(
            table.merge(runs[["run_id", *factors]], on="run_id") if factors else table,
            outcome_by,
            outcomes,
            name="outcome",
        ),
        effects=effect_table,
        measures=measures,
        indices=indices(runs, spec, outcomes) if spec["design"]["method"] in ("sobol", "morris") else None,
        notes=notes,
    )


def _progress(info: dict, runs: pd.DataFrame) -> list[str]:
    done, planned = int((runs["status"] == "done").sum()), len(runs)
    failed = runs.loc[runs["status"] == "failed", "run_id"].tolist()
    notes = []
    if done < planned:
        notes.append(
            f"Incomplete sweep ({info.get('status', 'unknown')}): {done} of {planned} runs done"
            f"{f', {len(failed)} failed' if failed else ''}. Everything below uses the runs done so far; "
            "paired comparisons use the replications done in both scenarios."
        )
    return notes


def _pairing(effect_table: pd.DataFrame, spec: dict) -> list[str]:
    """Say when comparisons the experiment meant to pair could not be, so nobody reads Welch as paired."""
    if not len(effect_table) or not spec["common_random_numbers"]:
        return []
    welch_rows = effect_table[effect_table["method"] == "Welch"]
    if not len(welch_rows):
        return []
    return [
        (
            f"{len(welch_rows)} of {len(effect_table)} comparisons could not be paired (fewer than two "
            "replications done in both scenarios, or seeds that differ) and use Welch's interval instead."
        )
    ]
