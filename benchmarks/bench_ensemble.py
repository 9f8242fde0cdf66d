"""How long an ensemble over posterior draws takes: 100 draws at 500 employees x 156 weeks, on all cores.

kshare ships no posterior yet, so the benchmark makes a stand-in: 100 particles drawn uniformly from the
packaged priors, equally weighted. It measures speed only; each run does the same work whatever its
parameters (a warm-up of its own, then its weeks). The time is wall-clock for the whole ensemble, including
starting the worker processes, as `kshare run SCENARIO --ensemble 100` spends it.

Target (the issue's): at most 10 s on 2 cores. A FAIL is reported, never turned into a non-zero exit code.

Usage, from the repository root::

    python benchmarks/bench_ensemble.py
    python benchmarks/bench_ensemble.py --draws 20 --repeat 1

Results are also written to ``benchmarks/results/ensemble.json``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration.posterior import write_posterior
from sim.calibration.priors import load_priors
from sim.ensemble import run_ensemble
from sim.versions import versions

TARGET_S = 10.0
RESULTS = Path(__file__).parent / "results" / "ensemble.json"


def stand_in_posterior(path: Path, particles: int, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    priors = load_priors()
    parameters = pd.DataFrame({p.name: rng.uniform(p.low, p.high, particles) for p in priors})
    write_posterior(path, parameters, np.ones(particles), {"stand_in": "uniform over the packaged priors"})
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--draws", type=int, default=100)
    parser.add_argument("--employees", type=int, default=500)
    parser.add_argument("--weeks", type=int, default=156)
    parser.add_argument("--repeat", type=int, default=2, help="trials; the fastest counts (the machine is shared)")
    args = parser.parse_args()
    trials = []
    with tempfile.TemporaryDirectory() as folder:
        posterior = stand_in_posterior(Path(folder) / "posterior.parquet", args.draws)
        for trial in range(args.repeat):
            started = time.perf_counter()
            run_ensemble("baseline", args.draws, posterior=posterior, seed=trial, employees=args.employees,
                         weeks=args.weeks)  # fmt: skip
            trials.append(time.perf_counter() - started)
            print(f"trial {trial + 1}: {args.draws} draws x {args.employees} employees x {args.weeks} weeks "
                  f"in {trials[-1]:.2f} s")  # fmt: skip
    best = min(trials)
    verdict = "PASS" if best <= TARGET_S else "FAIL"
    print(f"{verdict}   ensemble of {args.draws} at {args.employees} x {args.weeks} <= {TARGET_S:g} s: {best:.2f} s")
    RESULTS.write_text(
        json.dumps(
            {
                "versions": versions(),
                "cores": multiprocessing.cpu_count(),
                "draws": args.draws,
                "employees": args.employees,
                "weeks": args.weeks,
                "trials_s": trials,
                "best_s": best,
                "target_s": TARGET_S,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
