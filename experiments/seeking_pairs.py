"""Borgatti & Cross's (2003) relational factors, measured on the requests of the baseline (docs/validation.md,
"Seeking"): who asked whom, over the second year of runs of ``--seeds`` seeds, one row per seed and a mean with
its 95 % interval.

    uv run python -m experiments.seeking_pairs                # 10 seeds, 500 employees
    uv run python -m experiments.seeking_pairs --out docs/img/seeking_pairs.csv
"""

from __future__ import annotations

import pandas as pd

from experiments.seed_tables import mean_and_interval, report, seed_arguments
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
    parser = seed_arguments(__doc__, seeds=10, employees=500, out="the per-seed table and the mean")
    parser.add_argument("--weeks", type=int, default=104)
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
