"""Replication of Cowan & Jonard (2004) at the steady state: long-run knowledge against the share of rewired ties.

Each run trades until no tie anywhere would trade any more (the preset's
``trade_threshold``), so what is compared is the steady state the paper
reports, not a snapshot. The sweep covers 4, 6 and 10 neighbours.

Regenerate the figure and tables of docs/validation.md with::

    python experiments/cowan_jonard.py                        # 20 seeds x 10 levels x 3 neighbourhoods, ~5 minutes
    python experiments/cowan_jonard.py --seeds 5 --out /tmp    # a quick look
    # the same runs through the experiment runner:
    kshare sweep cowan_jonard && python experiments/cowan_jonard.py --sweep results/cowan_jonard

``summarise``, ``verdicts`` and ``figure`` read only a DataFrame with one row
per run (columns ``neighbours``, ``rewiring``, ``seed``, ``knowledge_mean``,
``knowledge_cv`` and, where known, ``weeks``), so the final-week rows of a
``kshare sweep`` can be fed to them unchanged.
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
REWIRING = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 1.0)
#: The levels named on the figure's axis (the others would overlap on a log scale).
LABELLED = (0.001, 0.01, 0.1, 0.3, 1.0)
#: Ties per person before rewiring.
NEIGHBOURS = (4, 6, 10)
#: The small-world region: most ties local, a few per cent to about a tenth long-range.
SMALL_WORLD = (0.003, 0.1)
MEASURES = {"knowledge_mean": "mean knowledge per person", "knowledge_cv": "coefficient of variation across people"}
#: Upper bound on a run's length; every run reaches its steady state long before (docs/validation.md).
MAX_WEEKS = 5000
ROOT = Path(__file__).resolve().parent.parent


def run(rewiring=REWIRING, neighbours=NEIGHBOURS, seeds=range(20), scenario: str = "cowan_jonard", **overrides):
    """One row per run: the knowledge and its spread at the steady state, and the week it was reached."""
    rows = []
    for n in neighbours:
        for p in rewiring:
            for seed in seeds:
                out = simulate(scenario, seed=seed, rewiring=p, neighbours=n, weeks=MAX_WEEKS, **overrides)
                rows.append(
                    {
                        "neighbours": n,
                        "rewiring": p,
                        "seed": seed,
                        "weeks": out["weeks"],
                        "steady": out["weeks"] < MAX_WEEKS,
                        "knowledge_mean": out["final_knowledge_mean"],
                        "knowledge_cv": out["final_knowledge_cv"],
                    }
                )
    return pd.DataFrame(rows)


def from_sweep(folder: Path) -> pd.DataFrame:
    """The final (steady-state) week of every run of a sweep over ``neighbours`` and ``rewiring``, as ``run``
    returns it."""
    from sim.runner.results import weekly

    rows = weekly(folder, columns=["seed", "neighbours", "rewiring", "knowledge_mean", "knowledge_cv"])
    last = rows.loc[rows.groupby("run_id")["week"].idxmax()].rename(columns={"week": "weeks"})
    last["steady"] = last["weeks"] < MAX_WEEKS
    return last[["neighbours", "rewiring", "seed", "weeks", "steady", "knowledge_mean", "knowledge_cv"]].reset_index(
        drop=True
    )


def summarise(runs: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Mean and a t-interval per (neighbours, rewiring), for each measure, and the weeks to the steady state."""
    rows = []
    for (n, p), group in runs.groupby(["neighbours", "rewiring"]):
        row = {"neighbours": n, "rewiring": p, "runs": len(group)}
        for name in MEASURES:
            values = group[name].to_numpy(dtype=float)
            low, high = interval(values.mean(), values.std(ddof=1), len(values), level)
            row |= {name: values.mean(), f"{name}_low": low, f"{name}_high": high}
        row |= {"steady_runs": int(group["steady"].sum()), "weeks_mean": group["weeks"].mean()}
        row |= {"weeks_max": int(group["weeks"].max())}
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


def verdicts(runs: pd.DataFrame) -> pd.DataFrame:
    """For each number of neighbours: where mean knowledge peaks and the CV bottoms out, and whether each is an
    interior extreme that beats both the regular ring and the random graph by more than two paired standard
    errors (the paper's claim is an interior peak of the mean and an interior minimum of the CV at that p)."""
    rows = []
    for n, group in runs.groupby("neighbours"):
        table = group.groupby("rewiring")[list(MEASURES)].mean()
        ends = (float(table.index.min()), float(table.index.max()))
        row: dict[str, object] = {"neighbours": n}
        for short, name, sign in (("mean", "knowledge_mean", 1), ("cv", "knowledge_cv", -1)):
            best = float(table.index.to_numpy(dtype=float)[np.argmax(sign * table[name].to_numpy())])
            gaps = [paired_gap(group, best, end, name) for end in ends]
            interior = best not in ends and all(sign * gap > 2 * se for gap, se in gaps)
            row |= {f"{short}_best_p": best, f"{short}_interior": interior}
            for label, (gap, se) in zip(("regular", "random"), gaps):
                row[f"{short}_vs_{label}"] = f"{sign * gap:+.4f} ({se:.4f})"
        row["same_p"] = row["mean_best_p"] == row["cv_best_p"]
        rows.append(row)
    return pd.DataFrame(rows)


def figure(runs: pd.DataFrame, path: Path) -> None:
    """Both measures against rewiring on a log axis, one line per number of neighbours, the regular ring drawn at
    the left edge, with 95 % intervals."""
    table = summarise(runs)
    positive = np.sort(table["rewiring"][table["rewiring"] > 0].unique())
    zero_at = positive.min() / 3 if len(positive) else 1e-4
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), layout="constrained")
    colours = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
    for ax, (name, label) in zip(axes, MEASURES.items()):
        ax.axvspan(*SMALL_WORLD, color="#56B4E9", alpha=0.15, lw=0, label="small-world region")
        for colour, (n, rows) in zip(colours, table.groupby("neighbours")):
            x = rows["rewiring"].where(rows["rewiring"] > 0, zero_at)
            ax.fill_between(x, rows[f"{name}_low"], rows[f"{name}_high"], color=colour, alpha=0.2, lw=0)
            ax.plot(x, rows[name], "o-", color=colour, lw=2, ms=4, label=f"{n} neighbours")
        ax.set_xscale("log")
        labelled = [p for p in positive if p in LABELLED]  # every level is a point; some are named
        ax.set_xticks([zero_at, *labelled], ["0", *(f"{p:g}" for p in labelled)])
        ax.minorticks_off()
        ax.set_xlabel("share of ties rewired at random (p)")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    axes[0].legend(loc="lower right", frameon=False, fontsize=9)
    fig.suptitle(
        f"Knowledge barter on a ring (Cowan & Jonard 2004), at the steady state: mean of "
        f"{int(table['runs'].min())} runs per point, 95 % intervals",
        x=0.01,
        ha="left",
    )
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="replications per point")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="folder for the figure and the tables")
    parser.add_argument(
        "--sweep",
        type=Path,
        default=None,
        help="read the runs from a `kshare sweep cowan_jonard` folder instead of running them here",
    )
    parser.add_argument(
        "--thresholds",
        type=float,
        nargs="*",
        default=[1e-4, 1e-2],
        help="also run 10 neighbours at these trade thresholds (the sensitivity of the result to the threshold)",
    )
    args = parser.parse_args()
    runs = from_sweep(args.sweep) if args.sweep else run(seeds=range(args.seeds))
    args.out.mkdir(parents=True, exist_ok=True)
    runs.to_csv(args.out / "cowan_jonard_runs.csv", index=False, float_format="%.6f")
    figure(runs, args.out / "cowan_jonard.png")
    table = summarise(runs)
    table.to_csv(args.out / "cowan_jonard.csv", index=False, float_format="%.5f")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    found = verdicts(runs)
    found.to_csv(args.out / "cowan_jonard_verdicts.csv", index=False)
    print(found.to_string(index=False))
    if args.thresholds and not args.sweep:
        sensitivity = []
        for threshold in args.thresholds:
            more = run(neighbours=(10,), seeds=range(args.seeds), trade_threshold=threshold)
            sensitivity.append(verdicts(more).assign(trade_threshold=threshold))
        pd.concat(sensitivity).to_csv(args.out / "cowan_jonard_thresholds.csv", index=False)
        print(pd.concat(sensitivity).to_string(index=False))


if __name__ == "__main__":
    main()
