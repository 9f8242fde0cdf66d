"""Diagnostics of a fit: the generations, each pattern's fit, and a figure (needs pyabc only for the history).

Written to the output folder:

- ``generations.csv``: per generation the threshold epsilon, the effective sample size of the weights, the
  model evaluations it took, the particles accepted and the acceptance rate;
- ``fit.csv``: per pattern its band, the posterior predictive mean and 95 % interval (over runs with
  parameter sets drawn from the posterior), the share of those runs inside the band, and the same statistic
  at the scenario's own parameters; fitted and held-out patterns are marked;
- ``predictive.csv``: every posterior predictive run: its parameters, seed and statistics;
- ``posterior_summary.csv``: each parameter's weighted mean, s.d. and quantiles, with its prior;
- ``diagnostics.md``: all of it as Markdown tables, ready to paste into docs/validation.md;
- ``fit.png``: one small panel per pattern: the band, the target, the posterior predictive interval and runs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.calibration.patterns import PatternSet
from sim.calibration.posterior import Posterior
from sim.files import atomic_write

if TYPE_CHECKING:
    from sim.calibration.abc import Settings


NORM_WORDS = {"rms": "root mean square", "max": "largest"}


# ------------------------------------------------------------------------------ generations
def _ess(weights: np.ndarray) -> float:
    w = np.asarray(weights, dtype=np.float64)
    return float(w.sum() ** 2 / np.sum(w**2))


def generation_row(history: Any, t: int) -> dict[str, Any]:
    populations = history.get_all_populations().set_index("t")
    _, weights = history.get_distribution(m=0, t=t)
    row = populations.loc[t]
    evaluations, accepted = int(row["samples"]), len(weights)
    return {
        "generation": t,
        "epsilon": float(row["epsilon"]),
        "ess": _ess(weights),
        "evaluations": evaluations,
        "accepted": accepted,
        "acceptance_rate": accepted / evaluations if evaluations else float("nan"),
        "seconds": float(row["wall_time"]) if pd.notna(row.get("wall_time")) else float("nan"),
    }


def generation_line(history: Any, t: int) -> str:
    row = generation_row(history, t)
    return (
        f"generation {t}: epsilon {row['epsilon']:.3f}, ESS {row['ess']:.1f} of {row['accepted']}, "
        f"{row['evaluations']:,} evaluations, acceptance {row['acceptance_rate']:.1%}"
    )


def generations_table(history: Any) -> pd.DataFrame:
    ts = sorted(int(t) for t in history.get_all_populations()["t"] if t >= 0)
    return pd.DataFrame([generation_row(history, t) for t in ts])


# ------------------------------------------------------------------------------------ fit
def fit_table(patterns: PatternSet, predictive: pd.DataFrame, defaults: pd.DataFrame) -> pd.DataFrame:
    """One row per pattern: band, posterior predictive mean and 95 % interval, share of runs in the band,
    and the mean at the scenario's own parameters."""
    rows = []
    for p in patterns:
        values = predictive[p.name].to_numpy(dtype=np.float64)
        values = values[np.isfinite(values)]
        base = defaults[p.name].to_numpy(dtype=np.float64)
        base = base[np.isfinite(base)]
        mean = float(values.mean()) if len(values) else float("nan")
        low, high = np.quantile(values, [0.025, 0.975]).tolist() if len(values) else [float("nan")] * 2
        rows.append(
            {
                "pattern": p.name,
                "level": p.level,
                "held_out": p.held_out,
                "target": p.target,
                "low": p.low,
                "high": p.high,
                "mean": mean,
                "interval_low": low,
                "interval_high": high,
                "runs_within": float(np.mean([p.within(v) for v in values])) if len(values) else float("nan"),
                "mean_within": bool(p.within(mean)) if len(values) else False,
                "default_mean": float(base.mean()) if len(base) else float("nan"),
                "runs": len(values),
                "source": p.source,
            }
        )
    return pd.DataFrame(rows)


def _fit_markdown(fit: pd.DataFrame) -> str:
    table = pd.DataFrame(
        {
            "pattern": fit["pattern"],
            "level": fit["level"],
            "target (band)": [
                f"{t:.2f} ({lo:.2f}–{hi:.2f})" for t, lo, hi in zip(fit["target"], fit["low"], fit["high"])
            ],
            "posterior predictive mean (95 % interval)": [
                f"**{m:.3f}** ({lo:.3f}–{hi:.3f})" if within else f"{m:.3f} ({lo:.3f}–{hi:.3f})"
                for m, lo, hi, within in zip(fit["mean"], fit["interval_low"], fit["interval_high"], fit["mean_within"])
            ],
            "runs in band": [f"{v:.0%}" for v in fit["runs_within"]],
            "at the defaults": [f"{v:.3f}" for v in fit["default_mean"]],
            "source": fit["source"],
        }
    )
    return table.to_markdown(index=False)


def posterior_summary(posterior: Posterior, priors: list[dict[str, Any]]) -> pd.DataFrame:
    summary = posterior.summary()
    bounds = {p["name"]: (p["low"], p["high"]) for p in priors}
    summary["prior_low"] = [bounds.get(name, (np.nan, np.nan))[0] for name in summary["parameter"]]
    summary["prior_high"] = [bounds.get(name, (np.nan, np.nan))[1] for name in summary["parameter"]]
    return summary


def markdown(generations: pd.DataFrame, fit: pd.DataFrame, summary: pd.DataFrame, metadata: dict[str, Any]) -> str:
    settings = metadata.get("settings", {})
    gens = generations.assign(
        acceptance_rate=[f"{v:.2%}" for v in generations["acceptance_rate"]],
        epsilon=[f"{v:.3f}" for v in generations["epsilon"]],
        ess=[f"{v:.1f}" for v in generations["ess"]],
        seconds=[f"{v:.0f}" for v in generations["seconds"]],
    )
    params = summary.copy()
    for column in ("mean", "sd", "q2.5", "median", "q97.5", "prior_low", "prior_high"):
        params[column] = [f"{v:.3g}" for v in params[column]]
    header = (
        f"*`{metadata.get('command', '')}`*: {metadata.get('scenario')} scenario at "
        f"{metadata.get('employees')} employees, population {settings.get('population')}, "
        f"{metadata.get('generations_run')} generation(s), {metadata.get('evaluations'):,} model evaluations, "
        f"seed {metadata.get('seed')}; kshare {metadata.get('kshare_version')}, pyabc {metadata.get('pyabc_version')}."
    )
    legend = (
        f"**Generations.** epsilon: the acceptance threshold, the {NORM_WORDS.get(settings.get('norm', ''), '')} "
        "of the fitted patterns' distances from their targets in half-widths of their bands (1 = the band's "
        "edge); ESS: effective sample size of the weights; acceptance: accepted particles over model evaluations."
    )
    runs = int(fit["runs"].max()) if len(fit) else 0
    fitted = (
        f"**Fitted patterns.** Posterior predictive: {runs} runs, each with a parameter set drawn from the "
        "posterior and its own seed; bold: the mean is within the band. 'At the defaults': the scenario's own "
        "parameters, same number of runs."
    )
    lines = [
        header,
        "",
        legend,
        "",
        gens.to_markdown(index=False),
        "",
        fitted,
        "",
        _fit_markdown(fit[~fit["held_out"]]),
        "",
        "**Held-out patterns** (not fitted: validation).",
        "",
        _fit_markdown(fit[fit["held_out"]]) if fit["held_out"].any() else "(none)",
        "",
        "**Posterior** (weighted, last generation).",
        "",
        params.to_markdown(index=False),
        "",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------- figure
def figure(fit: pd.DataFrame, predictive: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    count = len(fit)
    columns = 4
    rows = max(1, -(-count // columns))
    fig, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 1.55 * rows + 0.5), layout="constrained")
    axes = np.atleast_1d(axes).ravel()
    rng = np.random.default_rng(0)
    for ax, (_, row) in zip(axes, fit.iterrows()):
        colour = "#CC79A7" if row["held_out"] else "#0072B2"
        ax.axvspan(row["low"], row["high"], color="#DDDDDD", zorder=0, label="target band")
        ax.axvline(row["target"], color="#777777", lw=1, zorder=1)
        values = predictive[row["pattern"]].to_numpy(dtype=np.float64)
        values = values[np.isfinite(values)]
        ax.scatter(values, 0.35 + 0.15 * rng.random(len(values)), s=6, color=colour, alpha=0.5, lw=0)
        ax.plot([row["interval_low"], row["interval_high"]], [0.0, 0.0], color=colour, lw=3, solid_capstyle="butt")
        ax.plot([row["mean"]], [0.0], "o", color=colour, ms=6)
        ax.plot([row["default_mean"]], [-0.35], "D", mfc="white", mec="#333333", ms=5)
        values_all = [row["low"], row["high"], row["interval_low"], row["interval_high"], row["default_mean"], *values]
        lo, hi = np.nanmin(values_all), np.nanmax(values_all)
        pad = 0.08 * (hi - lo or 1.0)
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_ylim(-0.7, 0.7)
        ax.set_yticks([])
        ax.tick_params(axis="x", labelsize=7)
        title = f"{row['pattern']}" + (" (held out)" if row["held_out"] else "")
        ax.set_title(title, fontsize=8, loc="left", color=colour if row["held_out"] else "black")
    for ax in axes[count:]:
        ax.axis("off")
    fig.suptitle(
        "Patterns: target band (grey), posterior predictive mean and 95 % interval (bar), runs (dots), "
        "the scenario's defaults (white diamond); pink = held out",
        fontsize=8,
    )
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=120, format="png"))
    plt.close(fig)


# ---------------------------------------------------------------------------------- writing
def _csv(frame: pd.DataFrame, path: Path) -> None:
    atomic_write(path, lambda tmp: frame.to_csv(tmp, index=False, float_format="%.6g"))


def write_all(
    out: Path,
    posterior: Posterior,
    generations: pd.DataFrame,
    fit: pd.DataFrame,
    predictive: pd.DataFrame,
    patterns: PatternSet,
    settings: Settings,
    metadata: dict[str, Any],
) -> dict[str, Path]:
    summary = posterior_summary(posterior, metadata.get("priors", []))
    paths = {
        "generations": out / "generations.csv",
        "fit": out / "fit.csv",
        "predictive": out / "predictive.csv",
        "summary": out / "posterior_summary.csv",
        "markdown": out / "diagnostics.md",
        "figure": out / "fit.png",
        "run": out / "run.json",
    }
    _csv(generations, paths["generations"])
    _csv(fit, paths["fit"])
    _csv(predictive, paths["predictive"])
    _csv(summary, paths["summary"])
    text = markdown(generations, fit, summary, metadata)
    atomic_write(paths["markdown"], lambda tmp: tmp.write_text(text, encoding="utf-8"))
    figure(fit, predictive, paths["figure"])
    blob = json.dumps(metadata, indent=2, default=str)
    atomic_write(paths["run"], lambda tmp: tmp.write_text(blob, encoding="utf-8"))
    return paths
