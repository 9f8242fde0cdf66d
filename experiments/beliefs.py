"""Do the four experiences go with sharing the way survey studies find? The belief-sharing correlations.

Across people, each belief (averaged over the last year) against the share of
that year's weeks the person shared. Survey studies of knowledge sharing find
every one of these positive (docs/validation.md, "Beliefs and sharing").

    python experiments/beliefs.py                 # baseline, 1,000 employees, 5 seeds
    python experiments/beliefs.py --seeds 3 --scenario blame_culture
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from sim import KnowledgeSharingModel
from sim.calibration.statistics import correlation, record_run

#: The beliefs, as ``EmployeeState`` holds them, and the names the outputs give them.
BELIEFS = {
    "recognition": "experienced_recognition",
    "reciprocation": "experienced_reciprocation",
    "ease": "experienced_ease",
    "self_efficacy": "self_efficacy",
    "satisfaction": "satisfaction",
    "safety": "perceived_safety",
}
ROOT = Path(__file__).resolve().parent.parent


def correlations(scenario: str = "baseline", seed: int = 0, employees: int = 1000, last: int = 52) -> dict:
    """Pearson r across people between each belief's mean over the ``last`` weeks and how often they shared.

    The run is recorded as ``kshare calibrate`` records it (``sim.calibration.statistics``), so this table and
    the calibration's belief patterns are one computation.
    """
    record = record_run(KnowledgeSharingModel(scenario, rng=seed, employees=employees), last)
    return {output: correlation(getattr(record, name), record.shared_weeks) for name, output in BELIEFS.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--employees", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="folder for the table")
    args = parser.parse_args()
    rows = pd.DataFrame([correlations(args.scenario, seed, args.employees) for seed in range(args.seeds)])
    table = pd.DataFrame({"r": rows.mean(), "sd_over_seeds": rows.std(ddof=1)})
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / f"beliefs_{args.scenario}.csv", float_format="%.3f")
    print(table.to_string(float_format=lambda v: f"{v:+.3f}"))


if __name__ == "__main__":
    main()
