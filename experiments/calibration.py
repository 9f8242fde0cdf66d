"""Calibration of the baseline: each target, what the model gives, and the figure of docs/validation.md.

Regenerate the table and figure with::

    python experiments/calibration.py              # 10 seeds at 1,000 employees, about half a minute
    python experiments/calibration.py --seeds 3    # the size tests/test_calibration.py checks

``TARGETS`` holds every target with its tolerance; the tests and the docs use
the same numbers.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim import KnowledgeSharingModel
from sim.metrics import top_shares
from sim.runner.statistics import interval

#: Target ranges (low, high) for the mean over seeds, and the source each comes from.
TARGETS = {
    "top1": ((0.20, 0.40), "share of contributions by the most active 1 % (van Mierlo 2014: 74.7 % online)"),
    "next9": ((0.25, 0.45), "share by the next 9 % (van Mierlo 2014: 24.0 % online)"),
    "bottom90": ((0.25, 0.45), "share by the other 90 % (van Mierlo 2014: 1.3 % online)"),
    "safety_sharing_r": (
        (0.30, 0.60),
        "correlation of perceived safety with sharing, per person (Frazier et al. 2017: about 0.4-0.5)",
    ),
    "team_r": ((0.30, 0.90), "the same across teams (direction: Edmondson 1999)"),
}
EMPLOYEES = 1000
ROOT = Path(__file__).resolve().parent.parent


def baseline_run(seed: int, employees: int = EMPLOYEES) -> dict:
    """The baseline's two recorded years: contributions over both, safety and sharing over the second."""
    model = KnowledgeSharingModel("baseline", rng=seed, employees=employees)
    n = model.org.n
    shared, safety, rate = np.zeros(n), np.zeros(n), [model.metrics["sharing_rate"]]
    for week in range(1, model.params.weeks + 1):
        model.step()
        rate.append(model.metrics["sharing_rate"])
        if week > model.params.weeks - 52:
            shared += model.state.shared
            safety += model.state.safety
    top1, top10 = top_shares(model.state.share_count, (0.01, 0.10))
    team = model.org.team
    size = np.bincount(team)
    return {
        "top1": top1,
        "next9": top10 - top1,
        "bottom90": 1 - top10,
        "safety_sharing_r": float(np.corrcoef(safety, shared)[0, 1]),
        "team_r": float(np.corrcoef(np.bincount(team, safety) / size, np.bincount(team, shared) / size)[0, 1]),
        "rate": np.array(rate),
        "strategy": model.state.strategy,
        "frequency": shared / 52,
        "team_safety": np.bincount(team, safety) / size / 52,
        "team_sharing": np.bincount(team, shared) / size / 52,
    }


def cress_rates(scenario: str, seed: int, employees: int = EMPLOYEES, **overrides) -> np.ndarray:
    """Weekly sharing in a setting like Cress et al.'s: a new shared database, everyone contributing in round one."""
    model = KnowledgeSharingModel(
        scenario,
        rng=seed,
        employees=employees,
        weeks=52,
        warmup=0,
        initial_sharers=1.0,
        initial_lapsed=0.0,
        **overrides,
    )
    model.run()
    return model.timeseries()["sharing_rate"].to_numpy()


BONUS = {"interventions.0.start": 0, "interventions.0.end": 52}


def table(runs: list[dict], level: float = 0.95) -> pd.DataFrame:
    rows = []
    for key, ((low, high), source) in TARGETS.items():
        values = np.array([run[key] for run in runs])
        model_low, model_high = interval(values.mean(), values.std(ddof=1), len(values), level)
        rows.append(
            {
                "target": key,
                "source": source,
                "low": low,
                "high": high,
                "model": values.mean(),
                "model_low": model_low,
                "model_high": model_high,
                "within": bool(low <= values.mean() <= high),
            }
        )
    return pd.DataFrame(rows)


def figure(runs: list[dict], plain: np.ndarray, rewarded: np.ndarray, path: Path) -> None:
    fig, (share, cress, safety) = plt.subplots(1, 3, figsize=(14, 4.2), layout="constrained")
    groups = ["top 1 %", "next 9 %", "other 90 %"]
    model = [np.mean([run[key] for run in runs]) for key in ("top1", "next9", "bottom90")]
    x = np.arange(3)
    share.bar(x - 0.2, [0.747, 0.240, 0.013], 0.4, color="#BBBBBB", label="online health communities (van Mierlo 2014)")
    share.bar(x + 0.2, model, 0.4, color="#0072B2", label="baseline, contacts over two years")
    for i, key in enumerate(("top1", "next9", "bottom90")):
        (low, high), _ = TARGETS[key]
        share.plot([i + 0.0, i + 0.4], [low, low], color="#D55E00", lw=1)
        share.plot([i + 0.0, i + 0.4], [high, high], color="#D55E00", lw=1, label="target band" if i == 0 else None)
    share.set_xticks(x, groups)
    share.set_ylabel("share of all contributions")
    share.legend(frameon=False, fontsize=8, loc="upper right")
    share.set_title("Participation inequality", loc="left")

    weeks = np.arange(plain.shape[1])
    for rates, colour, label in (
        (plain, "#000000", "no incentive"),
        (rewarded, "#E69F00", "recognition bonus from week 0"),
    ):
        cress.plot(weeks[1:], 100 * rates[:, 1:].mean(axis=0), color=colour, lw=2, label=label)
    cress.set_xlabel("week (round)")
    cress.set_ylabel("employees contributing (%)")
    cress.legend(frameon=False, fontsize=9)
    cress.set_title("A new shared database (as in Cress et al. 2005)", loc="left")
    cress.grid(alpha=0.3)

    run = runs[0]
    safety.scatter(run["team_safety"], 100 * run["team_sharing"], s=8, color="#0072B2", alpha=0.6)
    safety.set_xlabel("team's mean perceived safety (second year)")
    safety.set_ylabel("team members sharing in a week (%)")
    r = np.mean([run["safety_sharing_r"] for run in runs])
    safety.set_title(f"Safety and sharing: r = {r:.2f} per person", loc="left")
    safety.grid(alpha=0.3)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    seeds = range(args.seeds)
    runs = [baseline_run(seed) for seed in seeds]
    plain = np.array([cress_rates("baseline", seed) for seed in seeds])
    rewarded = np.array([cress_rates("recognition_programme", seed, **BONUS) for seed in seeds])
    args.out.mkdir(parents=True, exist_ok=True)
    result = table(runs)
    result.to_csv(args.out / "calibration.csv", index=False, float_format="%.4f")
    figure(runs, plain, rewarded, args.out / "calibration.png")
    print(result.drop(columns="source").to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    strategy = np.concatenate([run["strategy"] for run in runs])
    frequency = np.concatenate([run["frequency"] for run in runs])
    for code, name in enumerate(("pragmatist", "cooperator", "defector")):
        print(
            f"{name:<11} share {np.mean(strategy == code):.3f}  weeks shared {frequency[strategy == code].mean():.3f}"
        )
    first, last = slice(1, 5), slice(40, 53)
    print(
        f"new database, no incentive: weeks 1-4 {plain[:, first].mean():.3f} -> weeks 40-52 "
        f"{plain[:, last].mean():.3f}; "
        f"with a bonus {rewarded[:, first].mean():.3f} -> {rewarded[:, last].mean():.3f}"
    )
    rate = np.mean([run["rate"] for run in runs], axis=0)
    print(f"baseline sharing, weeks 1-13 {rate[1:14].mean():.3f}, weeks 92-104 {rate[-13:].mean():.3f}")


if __name__ == "__main__":
    main()
