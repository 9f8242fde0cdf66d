"""What seeking (``behaviour.seeking``, sim/seeking.py) costs a week, against issue 14's limit of 30 %.

At each size one process builds the baseline preset twice, with seeking off and on (no warm-up, seed 1: the
warm-up's cost is not the week's), and times ``model.run(weeks)`` on each, alternating the two so that both see
the same machine (this one is shared), ``--repeats`` times; the figure is each arm's median time per week,
and the overhead is on / off - 1. The first repeat also compiles numba's loops, so it is not kept.

Targets are reported as PASS or FAIL, never as a non-zero exit code. Results go to
``benchmarks/results/seeking.json``.

Usage, from the repository root::

    python benchmarks/bench_seeking.py              # 10,000 and 100,000 employees
    python benchmarks/bench_seeking.py --quick      # 10,000 employees only
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root: benchmarks is no package

RESULTS = Path(__file__).resolve().parent / "results" / "seeking.json"
LIMIT = 0.30  # issue 14: seeking may cost at most 30 % of a week
WEEKS = {10_000: 52, 100_000: 20}


def measure(employees: int, weeks: int, repeats: int) -> dict:
    """Both arms' times per week at one size, in this process."""
    from sim.model import KnowledgeSharingModel

    times: dict[str, list[float]] = {"off": [], "on": []}
    for repeat in range(repeats + 1):
        for arm in ("off", "on"):
            model = KnowledgeSharingModel(
                "baseline", rng=1, employees=employees, warmup=0, weeks=weeks, seeking=arm == "on"
            )
            start = time.perf_counter()
            model.run(weeks)
            if repeat:  # the first repeat compiles
                times[arm].append((time.perf_counter() - start) / weeks * 1000)
    off, on = statistics.median(times["off"]), statistics.median(times["on"])
    return {
        "employees": employees,
        "weeks": weeks,
        "off_week_ms": round(off, 2),
        "on_week_ms": round(on, 2),
        "overhead": round(on / off - 1, 3),
        "off_ms": [round(t, 2) for t in times["off"]],
        "on_ms": [round(t, 2) for t in times["on"]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 employees only")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--one", nargs=3, type=int, help=argparse.SUPPRESS)  # internal: one size, this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(*args.one)))
        return
    from sim.versions import write_measurement

    sizes = [10_000] if args.quick else list(WEEKS)
    rows = []
    for employees in sizes:
        print(f"{employees:,} employees, {WEEKS[employees]} weeks, {args.repeats} repeats ...", flush=True)
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(employees), str(WEEKS[employees]), str(args.repeats)],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print()
    for row in rows:
        verdict = "PASS" if row["overhead"] <= LIMIT else "FAIL"
        print(
            f"{verdict}   seeking at {row['employees']:,} employees costs <= 30 % of a week   "
            f"{row['overhead']:+.0%} ({row['on_week_ms']} vs {row['off_week_ms']} ms a week)"
        )
    write_measurement(RESULTS, limit=LIMIT, sizes=rows)
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    main()
