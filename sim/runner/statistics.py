"""Means with their uncertainty, and differences of means, for stochastic runs.

Runs are stochastic, so every mean comes with a 95 % t-interval. With common
random numbers replication r has the same seed, hence the same organisation,
in every scenario: differences are then taken within pairs, which removes the
luck the two runs share and narrows the interval. That pairing is read off the
seeds, not the experiment's flag, so a sweep whose seeds do not match is never
analysed as if they did. The tests are scipy's; this module chooses between
them and keeps the answers defined (NaN) where there are too few runs.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats

LEVEL = 0.95


def interval(mean, sd, n, level: float = LEVEL):
    """Student-t interval of a mean; NaN where fewer than two values, zero-width where they are all equal."""
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + level / 2, n - 1) * np.asarray(sd, dtype=float) / np.sqrt(n)
    return mean - half, mean + half


def half_width(samples, level: float = LEVEL) -> np.ndarray:
    """Half the Student-t interval of the mean over the first axis (replications), elementwise over the rest.

    The interval says how well the replications pin the mean down, so it narrows as they grow, unlike the
    spread of the runs themselves. With one replication there is nothing to estimate it from and it has no
    width, so that a chart still draws the mean.
    """
    samples = np.asarray(samples, dtype=float)
    n = samples.shape[0]
    if n < 2:
        return np.zeros(samples.shape[1:])
    _, high = interval(0.0, samples.std(axis=0, ddof=1), n, level)
    return high


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


def _difference_interval(test, *samples, **options) -> tuple[float, float]:
    """The interval of the difference a scipy t-test gives, quiet about samples that are all equal:
    their interval has zero width, as it should (e.g. paired runs before a programme starts)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # scipy's "precision loss" on (nearly) identical values
        found = test(*samples, **options).confidence_interval(LEVEL)
    return float(found.low), float(found.high)


def paired(x: np.ndarray, base: np.ndarray) -> dict:
    """Mean within-pair difference with its t-interval, and d_z (mean difference over its sd)."""
    d = x - base
    n, mean, sd = len(d), d.mean(), d.std(ddof=1) if len(d) > 1 else math.nan
    low, high = _difference_interval(stats.ttest_rel, x, base) if n > 1 else (math.nan, math.nan)
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
    diff = x.mean() - base.mean() if nx and nb else math.nan
    if nx > 1 and nb > 1:
        low, high = _difference_interval(stats.ttest_ind, x, base, equal_var=False)
        pooled = math.sqrt(((nx - 1) * x.var(ddof=1) + (nb - 1) * base.var(ddof=1)) / (nx + nb - 2))
    else:
        low = high = pooled = math.nan
    return {
        "method": "Welch",
        "n": nx,
        "n_baseline": nb,
        "mean": x.mean() if nx else math.nan,
        "mean_baseline": base.mean() if nb else math.nan,
        "difference": diff,
        "ci_low": low,
        "ci_high": high,
        "effect_size": diff / pooled if pooled > 0 else math.nan,
        "effect_size_kind": "Cohen's d",
    }


def pair(runs: pd.DataFrame, base: pd.DataFrame) -> pd.DataFrame:
    """Runs side by side with the baseline run at the same point and replication."""
    pairs = runs.merge(base, on=["point", "replication"], suffixes=("", "_base"))
    pairs.attrs["same_seeds"] = bool((pairs["seed"] == pairs["seed_base"]).all())
    return pairs


def compare(runs: pd.DataFrame, base: pd.DataFrame, column: str, pairs: pd.DataFrame | None = None) -> dict:
    """Paired when runs and baseline runs at the same point and replication share their seeds; runs
    without a partner (a sweep still running) are then left out rather than forcing Welch on the rest.
    ``pairs`` is ``pair(runs, base)``, when it is already made for other columns."""
    pairs = pair(runs, base) if pairs is None else pairs
    both = pairs[[column, f"{column}_base"]].dropna()
    if len(both) >= 2 and pairs.attrs["same_seeds"]:
        return paired(both[column].to_numpy(float), both[f"{column}_base"].to_numpy(float))
    return welch(runs[column].dropna().to_numpy(float), base[column].dropna().to_numpy(float))
