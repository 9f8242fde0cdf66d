"""Replication of Cowan & Jonard (2004): long-run knowledge against the share of rewired ties.

Regenerate the figure and table of docs/validation.md with::

    python experiments/cowan_jonard.py                       # 20 seeds x 8 rewiring levels, about 4 minutes
    python experiments/cowan_jonard.py --seeds 5 --out /tmp   # a quick look
    # the same runs through the experiment runner:
    kshare sweep cowan_jonard && python experiments/cowan_jonard.py --sweep results/cowan_jonard

The runs go through ``sim.simulate`` on the ``cowan_jonard`` preset, one per
(rewiring, seed); ``summarise`` and ``figure`` read only a DataFrame with one
row per run (columns ``rewiring``, ``seed``, ``knowledge_mean``,
``knowledge_cv``), so the final-week rows of a ``kshare sweep`` over
``rewiring`` can be fed to them unchanged.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim import simulate
from sim.runner.statistics import interval

#: Rewiring probabilities on a log scale, from the regular ring (0) to a random graph (1).
REWIRING = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
#: The small-world region: most ties local, a few per cent to about a tenth long-range.
SMALL_WORLD = (0.003, 0.1)
MEASURES = {"knowledge_mean": "mean knowledge per person", "knowledge_cv": "coefficient of variation across people"}
ROOT = Path(__file__).resolve().parent.parent


def run(rewiring=REWIRING, seeds=range(20), scenario: str = "cowan_jonard", **overrides) -> pd.DataFrame:
    """One row per run: the final week's knowledge and its spread, and how many trades that week still saw."""
    rows = []
    for p in rewiring:
        for seed in seeds:
            out = simulate(scenario, seed=seed, rewiring=p, **overrides)
            rows.append(
                {
                    "rewiring": p,
                    "seed": seed,
                    "weeks": out["weeks"],
                    "knowledge_mean": out["final_knowledge_mean"],
                    "knowledge_cv": out["final_knowledge_cv"],
                    "knowledge_gini": out["final_knowledge_gini"],
                    "trading": out["final_sharing_rate"],
                }
            )
    return pd.DataFrame(rows)


def from_sweep(folder: Path) -> pd.DataFrame:
    """The final week of every run of a sweep over ``rewiring``, in the shape ``run`` returns."""
    from sim.runner.results import weekly

    rows = weekly(folder, columns=["seed", "rewiring", "knowledge_mean", "knowledge_cv"])
    last = rows.loc[rows.groupby("run_id")["week"].idxmax()]
    return last[["rewiring", "seed", "knowledge_mean", "knowledge_cv"]].reset_index(drop=True)


def summarise(runs: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Mean and a t-interval per rewiring level, for each measure present in ``runs``."""
    rows = []
    for p, group in runs.groupby("rewiring"):
        row = {"rewiring": p, "runs": len(group)}
        for name in MEASURES:
            if name not in group:
                continue
            values = group[name].to_numpy(dtype=float)
            low, high = interval(values.mean(), values.std(ddof=1), len(values), level)
            row |= {name: values.mean(), f"{name}_low": low, f"{name}_high": high}
        rows.append(row)
    return pd.DataFrame(rows)


def paired_gap(runs: pd.DataFrame, p: float, reference: float, measure: str = "knowledge_mean") -> tuple[float, float]:
    """Mean difference between level ``p`` and ``reference`` over the seeds both have, and its standard error.

    The ring is drawn from its own random stream, so a seed gives the same
    people and endowments at every rewiring level and the pairs share them.
    """
    wide = runs.pivot_table(index="seed", columns="rewiring", values=measure).dropna(subset=[p, reference])
    diff = (wide[p] - wide[reference]).to_numpy()
    return float(diff.mean()), float(diff.std(ddof=1) / np.sqrt(len(diff)))


def figure(runs: pd.DataFrame, path: Path) -> None:
    """Both measures against rewiring on a log axis, the regular ring drawn at the left edge, with 95 % intervals."""
    table = summarise(runs)
    positive = table["rewiring"][table["rewiring"] > 0]
    zero_at = positive.min() / 3 if len(positive) else 1e-4
    x = table["rewiring"].where(table["rewiring"] > 0, zero_at)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    for ax, (name, label) in zip(axes, MEASURES.items()):
        ax.axvspan(*SMALL_WORLD, color="#56B4E9", alpha=0.15, lw=0, label="small-world region")
        ax.fill_between(
            x,
            table[f"{name}_low"],
            table[f"{name}_high"],
            color="#0072B2",
            alpha=0.25,
            lw=0,
            label="95 % interval of the mean",
        )
        ax.plot(x, table[name], "o-", color="#0072B2", lw=2, label=f"mean over {int(table['runs'].min())} runs")
        ax.set_xscale("log")
        ticks = [zero_at, *positive]
        ax.set_xticks(ticks, ["0", *(f"{p:g}" for p in positive)])
        ax.minorticks_off()
        ax.set_xlabel("share of ties rewired at random (p)")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    axes[0].legend(loc="lower center", frameon=False, fontsize=9)
    weeks = int(runs["weeks"].max()) if "weeks" in runs else None
    fig.suptitle(
        "Knowledge barter on a ring with rewired ties (Cowan & Jonard 2004)"
        + (f": state after {weeks} weeks" if weeks else ""),
        x=0.01,
        ha="left",
    )
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="replications per rewiring level")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="folder for the figure and the table")
    parser.add_argument(
        "--sweep",
        type=Path,
        default=None,
        help="read the runs from a `kshare sweep cowan_jonard` folder instead of running them here",
    )
    args = parser.parse_args()
    runs = from_sweep(args.sweep) if args.sweep else run(seeds=range(args.seeds))
    args.out.mkdir(parents=True, exist_ok=True)
    figure(runs, args.out / "cowan_jonard.png")
    table = summarise(runs)
    table.to_csv(args.out / "cowan_jonard.csv", index=False, float_format="%.5f")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    for p in (*SMALL_WORLD[:1], 0.01, 0.03):
        for reference in (0.0, 1.0):
            gap, se = paired_gap(runs, p, reference)
            print(f"p={p:g} minus p={reference:g}: {gap:+.4f} (se {se:.4f})")


if __name__ == "__main__":
    main()
