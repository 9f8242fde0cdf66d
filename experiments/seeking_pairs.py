"""Borgatti & Cross's (2003) relational factors, measured on the requests of the baseline (docs/validation.md,
"Seeking"): who asked whom, over the second year of runs of ``--seeds`` seeds, one row per seed and a mean with
its 95 % interval.

    uv run python -m experiments.seeking_pairs                # 10 seeds, 500 employees
    uv run python -m experiments.seeking_pairs --out docs/img/seeking_pairs.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from experiments.seed_tables import mean_and_interval, report
from sim import KnowledgeSharingModel, __version__
from sim.seeking_pairs import RequestLog, relational_factors


def one_run(seed: int, employees: int, weeks: int) -> dict[str, float]:
    model = KnowledgeSharingModel("baseline", rng=seed, employees=employees, weeks=weeks)
    log = RequestLog()
    for _ in range(weeks):
        model.step()
        if model.week > weeks - 52:  # the second year: beliefs and awareness have settled
            log.record(model)
    requests = log.frame()
    return {"seed": seed, "requests": len(requests), **relational_factors(requests)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--employees", type=int, default=500)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--out", type=Path, default=None, help="write the per-seed table and the mean as CSV")
    args = parser.parse_args()
    rows = pd.DataFrame([one_run(seed, args.employees, args.weeks) for seed in range(1, args.seeds + 1)])
    factors = [column for column in rows.columns if column not in ("seed", "requests")]
    heading = (
        f"kshare {__version__}: baseline, {args.employees} employees, weeks {args.weeks - 51}-{args.weeks}, "
        f"seeds 1-{args.seeds}, {rows['requests'].mean():.0f} requests a run"
    )
    report(heading, mean_and_interval(rows[factors]), rows, args.out, 3)


if __name__ == "__main__":
    main()
