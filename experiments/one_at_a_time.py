"""One-at-a-time ranges beside the Sobol indices: how far each factor alone moves the outcomes.

Each factor of the sensitivity experiment (``experiments/sensitivity.toml``) is set to the low and then the
high end of its range, every other parameter at its default, on the same seeds; the difference is the
factor's one-at-a-time range. Sobol indices say how much of the variance over the whole design a factor
carries; the range says how much it moves the answer on its own from the defaults, in the outcome's units.

    python experiments/one_at_a_time.py                # 17 factors x 2 ends x 5 seeds, about 3 minutes
    python experiments/one_at_a_time.py --seeds 3
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

from sim.model import KnowledgeSharingModel
from sim.runner.outcomes import compute

ROOT = Path(__file__).resolve().parent.parent
EXPERIMENT = ROOT / "experiments" / "sensitivity.toml"
OUTCOMES = ("late_sharing_rate", "after_sharing_rate")


def outcomes(scenario: str, seed: int, **overrides) -> dict[str, float]:
    model = KnowledgeSharingModel(scenario, rng=seed, **overrides)
    model.run()
    return compute(model.timeseries(), model.params, OUTCOMES)


def ranges(seeds: range, path: Path = EXPERIMENT) -> pd.DataFrame:
    """Per factor and outcome: the mean at the low and high ends over the seeds, and the paired difference."""
    spec = tomllib.loads(path.read_text())
    fixed = spec.get("set", {}) | {"weeks": spec["weeks"]}
    scenario = spec["scenarios"][0]
    rows = []
    for factor, span in spec["vary"].items():
        ends = {}
        for end in ("low", "high"):
            value = span[end]
            ends[end] = [outcomes(scenario, seed, **fixed, **{factor: value}) for seed in seeds]
        for outcome in OUTCOMES:
            low = np.array([run[outcome] for run in ends["low"]])
            high = np.array([run[outcome] for run in ends["high"]])
            diff = high - low
            rows.append(
                {
                    "factor": factor,
                    "outcome": outcome,
                    "low": span["low"],
                    "high": span["high"],
                    "at_low": low.mean(),
                    "at_high": high.mean(),
                    "range": diff.mean(),
                    "se": diff.std(ddof=1) / np.sqrt(len(diff)),
                }
            )
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="folder for the table")
    args = parser.parse_args()
    table = ranges(range(args.seeds))
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "one_at_a_time.csv", index=False, float_format="%.4f")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))


if __name__ == "__main__":
    main()
