"""How settled the baseline is after its warm-up: sharing, asking and answering year by year over ten years,
and the slow parts of the state at week 0 after warm-ups of two, five and ten years. The tables behind
validation.md's "Not settled" paragraph and ODD §8.

The warm-up (ODD 5.4) is meant to remove the drift from the guessed starting state. Some of the state moves
on a time scale of years (knowledge, awareness of who knows what, who has sorted into sharing; the climates
are measured to show that they barely do), so a run that starts after two years can still drift, and the
drift would be read as an effect in a run that is not paired with its own baseline.

    uv run python -m experiments.settling --out docs/img/settling.csv
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.seed_tables import mean_and_interval, report, seed_arguments
from sim import __version__
from sim.model import KnowledgeSharingModel

YEARS = 10
RATES = ("sharing_rate", "asking_rate", "answer_rate")
WARMUPS = (104, 260, 520)
#: The slow parts of the state, as means over people (or teams, for the climates).
SLOW = ("shared", "intention", "knowledge", "awareness", "ask_readiness", "climate", "climate_base")


def by_year(seed: int, employees: int) -> dict[str, float]:
    """The baseline's yearly means of ``RATES`` over ``YEARS`` years, at the default warm-up."""
    model = KnowledgeSharingModel("baseline", rng=seed, employees=employees, weeks=52 * YEARS)
    model.run()
    weekly = model.timeseries().iloc[1:]  # week 0 is the warm-up's end, not a week of the run
    year = np.arange(len(weekly)) // 52 + 1
    means = weekly.groupby(year)[list(RATES)].mean()
    return {f"{rate} year {y}": means.at[y, rate] for rate in RATES for y in means.index}


def at_week_zero(seed: int, employees: int, warmup: int) -> dict[str, float]:
    """The means of ``SLOW`` when the run takes over from a warm-up of ``warmup`` weeks."""
    state = KnowledgeSharingModel("baseline", rng=seed, employees=employees, warmup=warmup, weeks=1).state
    return {f"{name} after {warmup}": float(np.mean(getattr(state, name))) for name in SLOW}


def main() -> None:
    parser = seed_arguments(__doc__, seeds=8, employees=1000, out="the per-seed rows")
    args = parser.parse_args()
    seeds = range(2000, 2000 + args.seeds)
    rows = pd.DataFrame(
        [{"seed": seed, **by_year(seed, args.employees),
          **{k: v for w in WARMUPS for k, v in at_week_zero(seed, args.employees, w).items()}} for seed in seeds]
    )  # fmt: skip
    for rate in ("sharing_rate", "asking_rate"):
        rows[f"{rate} year {YEARS} - year 1"] = rows[f"{rate} year {YEARS}"] - rows[f"{rate} year 1"]
    table = mean_and_interval(rows.drop(columns="seed"))
    heading = (
        f"kshare {__version__}: the baseline over {YEARS} years at the default warm-up, and its state at week 0 "
        f"after warm-ups of {', '.join(map(str, WARMUPS))} weeks; {args.employees} employees, {args.seeds} seeds"
    )
    report(heading, table, rows, args.out, 4)


if __name__ == "__main__":
    main()
