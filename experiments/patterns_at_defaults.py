"""Every pattern of the shipped fit at the defaults (the posterior's weighted mean, which every preset inherits):
its mean over 20 seeds at 1,000 employees, the fit's own size, beside its band. The table behind validation.md's
"at the defaults" column.

    uv run python -m experiments.patterns_at_defaults --out docs/img/calibration_defaults.csv

``--warmup`` runs the same table after a warm-up of another length than the fit's 104 weeks: the fit was made
on a baseline that is still drifting (``experiments/settling.py``), and this says how much its patterns owe to
when they were read.

    uv run python -m experiments.patterns_at_defaults --warmup 520 --out docs/img/calibration_warmup520.csv
"""

from __future__ import annotations

import pandas as pd

from experiments.seed_tables import mean_and_interval, report, seed_arguments
from sim import __version__
from sim.calibration.patterns import load_patterns
from sim.calibration.statistics import compute, simulate


def main() -> None:
    parser = seed_arguments(__doc__, seeds=20, employees=1000, out="the per-seed statistics")
    parser.add_argument("--warmup", type=int, default=None, help="weeks of warm-up (default: the scenario's)")
    args = parser.parse_args()
    changed = {} if args.warmup is None else {"warmup": args.warmup}
    patterns = load_patterns().patterns
    statistics = [pattern.statistic for pattern in patterns]
    rows = pd.DataFrame(
        [{"seed": seed, **compute(simulate(changed, seed=seed, employees=args.employees), statistics)}
         for seed in range(1000, 1000 + args.seeds)]
    )  # fmt: skip
    table = mean_and_interval(rows[statistics])
    table["band"] = [f"{p.low:.2f}-{p.high:.2f}" for p in patterns]
    means = table["mean"].to_dict()
    table["inside"] = [p.low <= means[p.statistic] <= p.high for p in patterns]
    warmup = "" if args.warmup is None else f", after a {args.warmup}-week warm-up"
    heading = (
        f"kshare {__version__}: the baseline at the defaults{warmup}, {args.employees} employees, {args.seeds} seeds"
    )
    report(heading, table, rows, args.out, 3)


if __name__ == "__main__":
    main()
