"""The ``leaders_asking`` preset's effect, with its interval: the pilot (department 1's managers and leaders ask in
public, weeks 10 to 60) against the same organisations without it (common random numbers: each seed runs with
and without the pilot), for asking in department 1, asking in the other departments, the share of requests
answered and weekly sharing, while the pilot runs (weeks 11-60) and after it (weeks 61-130).

    uv run python -m experiments.leaders_asking                 # 20 paired seeds, 500 employees
    uv run python -m experiments.leaders_asking --out docs/img/leaders_asking_effect.csv
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.seed_tables import mean_and_interval, report, seed_arguments
from sim import KnowledgeSharingModel, __version__
from sim.scenario_files import load_scenario

#: Weekly rows (week 0 is the start) of each window.
WINDOWS = {"while it runs": slice(11, 61), "after it": slice(61, 131)}


def measures(model: KnowledgeSharingModel) -> dict[str, np.ndarray]:
    frame = model.timeseries()
    size = np.bincount(model.org.department).astype(float)
    pilot = 1
    others = [d for d in range(len(size)) if d != pilot]
    elsewhere = sum(frame[f"asking_rate[dept {d}]"] * size[d] for d in others) / size[others].sum()
    return {
        "asking, department 1": frame[f"asking_rate[dept {pilot}]"].to_numpy(),
        "asking, other departments": elsewhere.to_numpy(),
        "asking, everyone": frame["asking_rate"].to_numpy(),
        "requests answered": frame["answer_rate"].to_numpy(),
        "sharing": frame["sharing_rate"].to_numpy(),
    }


def paired(seed: int, employees: int) -> list[dict]:
    scenario = load_scenario("leaders_asking", employees=employees)
    without = scenario.model_copy(update={"interventions": []})
    runs = []
    for s in (scenario, without):
        model = KnowledgeSharingModel(s, rng=seed)
        model.run()
        runs.append(measures(model))
    rows = []
    for name in runs[0]:
        for window, weeks in WINDOWS.items():
            with_it, without_it = (float(np.nanmean(run[name][weeks])) for run in runs)
            rows.append({"seed": seed, "measure": name, "window": window, "difference": 100 * (with_it - without_it)})
    return rows


def main() -> None:
    parser = seed_arguments(__doc__, seeds=20, employees=500, out="the per-seed differences")
    args = parser.parse_args()
    rows = pd.DataFrame([row for seed in range(1, args.seeds + 1) for row in paired(seed, args.employees)])
    table = mean_and_interval(rows.groupby(["measure", "window"], sort=False)["difference"])
    heading = (
        f"kshare {__version__}: leaders_asking against itself without the pilot, {args.seeds} paired seeds, "
        f"{args.employees} employees; differences in percentage points, 95 % intervals"
    )
    report(heading, table, rows, args.out, 2)


if __name__ == "__main__":
    main()
