"""The statistics of a sweep: intervals, effects against the baseline, sensitivity indices.

Pure computations on the frames ``sim.runner.results`` reads (the
manifest, one row per run, the weekly rows); ``sim.runner.report`` draws
and writes them. Runs are stochastic, so every mean comes with a 95 %
t-interval. With common random numbers replication r has the same seed, hence
the same organisation, in every scenario: differences are then taken within
pairs, which removes the luck the two runs share and narrows the interval.
That pairing is read off the seeds, not the experiment's flag, so a sweep
whose seeds do not match is never analysed as if they did.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from sim.metrics import GROUPED
from sim.runner.definition import Experiment, LoadedExperiment, _factors
from sim.runner.design import DesignPoints, build

LEVEL = 0.95
RUN_KEYS = ["run_id", "scenario", "point", "replication", "seed"]


# ------------------------------------------------------------------ units
@dataclass(frozen=True)
class Unit:
    """How a stored value is shown: scaled (fractions as %), with the unit an axis and a difference need."""

    scale: float
    axis: str
    word: str


PERCENT = Unit(100.0, "%", "points")
EMPLOYEES = Unit(1.0, "employees", "employees")
SCALE01 = Unit(1.0, "0-1 scale", "on the 0-1 scale")
KNOWLEDGE = Unit(1.0, "arbitrary units", "units")
INDEX = Unit(1.0, "0-1", "")

_UNITS = {
    "sharing_rate": PERCENT,
    "cross_team_flows": PERCENT,
    "cross_department_flows": PERCENT,
    "top1_share": PERCENT,
    "top10_share": PERCENT,
    "active": EMPLOYEES,
    "lapsed": EMPLOYEES,
    "never_shared": EMPLOYEES,
    "knowledge_mean": KNOWLEDGE,
    "contacts": Unit(1.0, "contacts", "contacts"),
    "knowledge_cv": Unit(1.0, "sd / mean", ""),
}
_NOUNS = {
    "sharing_rate": "sharing",
    "active": "active employees",
    "lapsed": "lapsed employees",
    "never_shared": "employees who never shared",
    "knowledge_mean": "mean knowledge",
    "knowledge_gini": "knowledge Gini",
    "knowledge_cv": "knowledge CV",
    "top1_share": "contacts by the top 1 %",
    "top10_share": "contacts by the top 10 %",
    "cross_team_flows": "contacts across teams",
    "cross_department_flows": "contacts across departments",
}
#: Scalar outcomes that are sharing rates over a stretch of the run (``final_*`` take their column's unit).
_OUTCOME_NOUNS = {
    "mean_sharing_rate": "sharing over the run",
    "late_sharing_rate": "late sharing (last quarter)",
    "during_sharing_rate": "sharing while the programme ran",
    "after_sharing_rate": "sharing after the programme ended",
    "peak_sharing_rate": "peak weekly sharing",
}
_AXES = {"sharing_rate": "employees sharing that week"}
_GROUP = re.compile(r"^(?P<core>.+)\[(?P<group>[^\]]+)\]$")


def _split(name: str) -> tuple[str, str | None]:
    match = _GROUP.match(name)
    return (match["core"], match["group"]) if match else (name, None)


def unit(name: str) -> Unit:
    core, _ = _split(name)
    if core in _OUTCOME_NOUNS:
        return PERCENT
    core = core.removeprefix("final_")
    return _UNITS.get(core, SCALE01 if core in GROUPED or core == "intention" else INDEX)


def noun(name: str) -> str:
    core, group = _split(name)
    if core in _OUTCOME_NOUNS:
        text = _OUTCOME_NOUNS[core]
    elif core.startswith("final_"):
        text = f"{noun(core.removeprefix('final_'))} in the final week"
    else:
        text = _NOUNS.get(core, core.replace("_", " "))
    return f"{text} ({group})" if group else text


def axis_label(name: str) -> str:
    """A y-axis label with its unit, e.g. 'employees sharing that week (%)'."""
    core, group = _split(name)
    text = _AXES.get(core, noun(core)) + (f" ({group})" if group else "")
    return f"{text} ({unit(name).axis})"


# -------------------------------------------------------------- intervals
def interval(mean, sd, n, level: float = LEVEL):
    """Student-t interval of a mean; NaN where fewer than two values."""
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + level / 2, n - 1) * np.asarray(sd, dtype=float) / np.sqrt(n)
    return mean - half, mean + half


def describe(frame: pd.DataFrame, by: list[str], values: list[str], name: str = "output") -> pd.DataFrame:
    """n, mean, sd and 95 % interval of each value column within each group, one row per group and column."""
    long = frame.melt(id_vars=by, value_vars=values, var_name=name).dropna(subset=["value"])
    long[name] = pd.Categorical(long[name], categories=values)
    table = (
        long.groupby([*by, name], observed=True, sort=True)["value"].agg(n="count", mean="mean", sd="std").reset_index()
    )
    table[name] = table[name].astype(str)
    table["ci_low"], table["ci_high"] = interval(table["mean"], table["sd"], table["n"])
    return table


# ------------------------------------------------------------------ weeks
@dataclass(frozen=True)
class Week:
    """A week effects are reported at: the one asked for, and the nearest one the runs kept."""

    asked: int
    used: int

    def note(self, every) -> str | None:
        if self.asked == self.used:
            return None
        kept = "only the final week is kept" if every == "final" else f"outputs.every = {every}"
        return f"week {self.asked} was not kept ({kept}); week {self.used}, the nearest kept week, is used instead"


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


# ---------------------------------------------------------------- effects
def paired(x: np.ndarray, base: np.ndarray) -> dict:
    """Mean within-pair difference with its t-interval, and d_z (mean difference over its sd)."""
    d = x - base
    n, mean, sd = len(d), d.mean(), d.std(ddof=1) if len(d) > 1 else math.nan
    low, high = interval(mean, sd, n)
    return {
        "method": "paired",
        "n": n,
        "n_baseline": n,
        "mean": x.mean(),
        "mean_baseline": base.mean(),
        "difference": mean,
        "ci_low": low,
        "ci_high": high,
        "effect_size": mean / sd if sd > 0 else math.nan,
        "effect_size_kind": "d_z",
    }


def welch(x: np.ndarray, base: np.ndarray) -> dict:
    """Difference of means with Welch's interval, and Cohen's d on the pooled sd."""
    nx, nb = len(x), len(base)
    vx, vb = (x.var(ddof=1) if nx > 1 else math.nan), (base.var(ddof=1) if nb > 1 else math.nan)
    diff = x.mean() - base.mean() if nx and nb else math.nan
    se2 = vx / nx + vb / nb if nx and nb else math.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        df = se2**2 / ((vx / nx) ** 2 / (nx - 1) + (vb / nb) ** 2 / (nb - 1)) if nx > 1 and nb > 1 else math.nan
        half = stats.t.ppf(0.5 + LEVEL / 2, df) * math.sqrt(se2) if se2 > 0 else (0.0 if se2 == 0 else math.nan)
        pooled = math.sqrt(((nx - 1) * vx + (nb - 1) * vb) / (nx + nb - 2)) if nx > 1 and nb > 1 else math.nan
    return {
        "method": "Welch",
        "n": nx,
        "n_baseline": nb,
        "mean": x.mean() if nx else math.nan,
        "mean_baseline": base.mean() if nb else math.nan,
        "difference": diff,
        "ci_low": diff - half,
        "ci_high": diff + half,
        "effect_size": diff / pooled if pooled > 0 else math.nan,
        "effect_size_kind": "Cohen's d",
    }


def compare(runs: pd.DataFrame, base: pd.DataFrame, column: str, pairs: pd.DataFrame | None = None) -> dict:
    """Paired when runs and baseline runs at the same point and replication share their seeds; runs
    without a partner (a sweep still running) are then left out rather than forcing Welch on the rest.
    ``pairs`` is ``pair(runs, base)``, when it is already made for other columns."""
    pairs = pair(runs, base) if pairs is None else pairs
    both = pairs[[column, f"{column}_base"]].dropna()
    if len(both) >= 2 and pairs.attrs["same_seeds"]:
        return paired(both[column].to_numpy(float), both[f"{column}_base"].to_numpy(float))
    return welch(runs[column].dropna().to_numpy(float), base[column].dropna().to_numpy(float))


def pair(runs: pd.DataFrame, base: pd.DataFrame) -> pd.DataFrame:
    """Runs side by side with the baseline run at the same point and replication."""
    pairs = runs.merge(base, on=["point", "replication"], suffixes=("", "_base"))
    pairs.attrs["same_seeds"] = bool((pairs["seed"] == pairs["seed_base"]).all())
    return pairs


def point_labels(runs: pd.DataFrame, factors: list[str]) -> dict[int, str]:
    """A design point by its parameter values, e.g. 'ease=0.3, team_size=8': what a reader knows it by."""
    first = runs.drop_duplicates("point").set_index("point")
    return {int(p): ", ".join(f"{f}={row[f]:g}" for f in factors) or f"point {p}" for p, row in first.iterrows()}


#: Outcomes measured over a scenario's programme window, and which side of its end they take.
WINDOWED = {"during_sharing_rate": "during", "after_sharing_rate": "after"}


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
    base = table[table["scenario"] == baseline]
    rows = []
    for key, group in table[table["scenario"] != baseline].groupby(keys, observed=True, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        reference = base[base["point"] == key[1]] if by_point else base
        for column in WINDOWED:
            if (key[0], column) in (matched or {}):
                reference = reference.assign(**{column: reference["run_id"].map(matched[(key[0], column)])})
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


def decimals(half_width: float) -> int:
    """One significant figure of the interval's half-width: as precise as the estimate is."""
    if not half_width or not math.isfinite(half_width):
        return 1
    return max(0, -math.floor(math.log10(abs(half_width))))


def signed(value: float, places: int) -> str:
    """Signed to ``places`` decimals, without the '-0.0' that rounding a small negative number leaves."""
    text = f"{value:+.{places}f}"
    return text if float(text) != 0 else f"{0:.{places}f}"


def sentence(row) -> str:
    """e.g. 'recognition_programme: +18.2 points of sharing at week 52 vs baseline (95 % CI +16.9 to +19.5)'."""
    u = unit(row.output)
    diff, low, high = (u.scale * v for v in (row.difference, row.ci_low, row.ci_high))
    places = max(decimals((high - low) / 2), 1 if u is PERCENT else 0)  # points of sharing: always one decimal
    text = signed(diff, places)
    if u is PERCENT:
        what = f"{text} points of {noun(row.output)}"
    elif u is EMPLOYEES:
        what = f"{text} {noun(row.output)}"
    else:
        what = f"{noun(row.output)} {text} {u.word}".rstrip()
    when = f" at week {row.week}" if not pd.isna(row.week) else ""
    where = f" ({row.point_label})" if "point_label" in row._fields else ""
    if low == high:  # e.g. before a programme starts, paired runs are the same run
        ci = (
            ("identical in every pair" if diff == 0 else "the same difference in every pair")
            if row.method == "paired"
            else "no spread in either scenario"
        )
    elif math.isfinite(low) and math.isfinite(high):
        clear = "" if low > 0 or high < 0 else "; no clear difference"
        ci = f"95 % CI {signed(low, places)} to {signed(high, places)}{clear}"
    else:
        ci = "no interval: too few runs"
    return f"{row.scenario}{where}: {what}{when} vs {row.baseline} ({ci})"


# ---------------------------------------------------------- sensitivity
@dataclass
class Indices:
    """Sobol or Morris indices of each outcome, or the reason there are none."""

    method: str
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    second_order: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)


def rebuild(experiment: dict) -> DesignPoints:
    """The sweep's design, rebuilt from its definition in SALib's own order.

    Scenarios are not reloaded (a scenario file may have moved since the
    sweep): the factors, the design settings and the seed are all a design
    depends on.
    """
    definition = Experiment.model_validate(experiment)
    loaded = LoadedExperiment(definition, "manifest.json", experiment)
    problems = _factors(loaded)
    if problems:
        raise ValueError("; ".join(str(p) for p in problems))
    return build(loaded)


def design_matches(design: DesignPoints, runs: pd.DataFrame) -> bool:
    """Whether the rebuilt design has the planned points: a newer SALib could sample differently."""
    names = list(design.points[0])
    planned = runs.drop_duplicates("point").set_index("point").sort_index()
    if list(planned.index) != list(range(len(design.points))):
        return False
    rebuilt = pd.DataFrame(design.points)[names].to_numpy(float)
    return bool(np.allclose(planned[names].to_numpy(float), rebuilt, rtol=1e-9, atol=1e-12))


def indices(runs: pd.DataFrame, experiment: dict, outcomes: list[str]) -> Indices:
    """Sobol or Morris indices per scenario and outcome, only from a complete sweep.

    Both estimators read the sample in a fixed structure (Saltelli blocks,
    Morris trajectories), so one missing run breaks them: a partial design is
    never analysed. Replications at a point are averaged.
    """
    method = experiment["design"]["method"]
    result = Indices(method)
    missing = runs.loc[runs["status"] != "done", "run_id"].tolist()
    if missing:
        shown = ", ".join(missing[:8]) + (" ..." if len(missing) > 8 else "")
        result.notes.append(
            f"{method.capitalize()} indices need a complete sweep: {len(missing)} of {len(runs)} "
            f"runs are not done ({shown}). Finish it with `kshare sweep EXPERIMENT --out DIR "
            "--resume`."
        )
        return result
    try:
        design = rebuild(experiment)
    except ValueError as error:  # e.g. a parameter renamed since the sweep was made
        result.notes.append(f"The design cannot be rebuilt from the experiment ({error}), so no indices were computed.")
        return result
    if not design_matches(design, runs):
        result.notes.append(
            "The design rebuilt from the definition differs from the sweep's planned points "
            "(a different SALib version?), so no indices were computed."
        )
        return result
    seed = experiment["seed"] % 2**32
    tables, seconds = [], []
    for scenario, group in runs.groupby("scenario", observed=True, sort=False):
        means = group.groupby("point")[outcomes].mean().sort_index()
        for outcome in outcomes:
            y = means[outcome].to_numpy(float)
            if not np.isfinite(y).all():
                result.notes.append(
                    f"{noun(outcome)} ({outcome}) is undefined at some points of '{scenario}'; no indices for it."
                )
                continue
            table, second = (
                _sobol(design, experiment, y, seed)
                if method == "sobol"
                else (_morris(design, experiment, y, seed), None)
            )
            tables.append(table.assign(scenario=scenario, outcome=outcome))
            if second is not None:
                seconds.append(second.assign(scenario=scenario, outcome=outcome))
    if tables:
        result.table = _front(pd.concat(tables, ignore_index=True), ["scenario", "outcome", "parameter"])
    if seconds:
        result.second_order = _front(pd.concat(seconds, ignore_index=True), ["scenario", "outcome"])
    return result


def ranking(found: Indices, top: int = 3) -> list[str]:
    """One line per outcome naming the parameters that matter most (by ST, or by mu*), for a quick read."""
    key, name = ("ST", "ST") if found.method == "sobol" else ("mu_star", "mu*")
    lines = []
    for (scenario, outcome), rows in found.table.groupby(["scenario", "outcome"], sort=False):
        best = rows.sort_values(key, ascending=False).head(top)
        scale = 1.0 if found.method == "sobol" else unit(outcome).scale
        listed = ", ".join(f"{r.parameter} ({name} {scale * getattr(r, key):.3g})" for r in best.itertuples())
        where = f" in {scenario}" if found.table["scenario"].nunique() > 1 else ""
        lines.append(f"{noun(outcome)}{where}: most influential {listed}")
    return lines


def _front(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame[[*columns, *(c for c in frame.columns if c not in columns)]]


def _sobol(design: DesignPoints, experiment: dict, y: np.ndarray, seed: int):
    from SALib.analyze import sobol

    second = experiment["design"]["second_order"]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        found = sobol.analyze(design.problem, y, calc_second_order=second, conf_level=LEVEL, seed=seed)
    names = design.problem["names"]
    table = pd.DataFrame({"parameter": names, **{k: found[k] for k in ("S1", "S1_conf", "ST", "ST_conf")}})
    if not second:
        return table, None
    pairs = [(i, j) for i in range(len(names)) for j in range(i + 1, len(names))]
    return table, pd.DataFrame(
        {
            "parameter": [names[i] for i, _ in pairs],
            "with": [names[j] for _, j in pairs],
            "S2": [found["S2"][i, j] for i, j in pairs],
            "S2_conf": [found["S2_conf"][i, j] for i, j in pairs],
        }
    )


def _morris(design: DesignPoints, experiment: dict, y: np.ndarray, seed: int) -> pd.DataFrame:
    from SALib.analyze import morris

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        found = morris.analyze(
            design.problem, design.matrix, y, conf_level=LEVEL, num_levels=experiment["design"]["levels"], seed=seed
        )
    return pd.DataFrame(
        {
            "parameter": design.problem["names"],
            "mu_star": found["mu_star"],
            "mu_star_conf": found["mu_star_conf"],
            "sigma": found["sigma"],
            "mu": found["mu"],
        }
    )


# ------------------------------------------------------------- the whole
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
    chosen = choose_weeks(weeks if weeks is not None else spec["analysis"]["weeks"], weekly["week"].unique())
    notes += [note for week in chosen if (note := week.note(spec["outputs"]["every"]))]
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
