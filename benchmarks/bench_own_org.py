"""How fast kshare builds a model from an organisation's own files, and how fast that model then runs.

``benchmarks/bench_orgdata.py`` times reading the files alone; this times what a ``kshare run`` on a scenario
that names a chart and ties actually waits for, against issue 13's targets:

* reading the files and building the model (``KnowledgeSharingModel`` on a scenario file naming the chart and
  ties, with its default 104-week warm-up) for a chart of 100,000 employees with 1,000,000 ties: under 5 s;
* the same for a chart of 1,000,000 employees (with 1,000,000 ties, 1 per employee): under 30 s, and at most
  4 GB of peak memory above the peak of the same-size generated model's construction;
* a week of an imported organisation within 20 % of a week of a generated one of the same size and parameters,
  at 10,000 and 100,000 employees.

The files are ``bench_orgdata.generate_files``'s: a generated organisation (departments ``max(8, n // 20,000)``)
written out as a strategist's chart, ties and team survey (safety and recognition, on 1-5), all three named by
the scenario. The ties are 10 per employee up to 100,000 employees, as in the 100,000-employee case. Charts of
up to 20,000 people settle themselves in the warm-up (``CHART_SETTLES_ITSELF``), so the 10,000-employee model
builds more slowly than a generated one of its size; its weeks are what the weekly comparison times.

Every construction runs in a fresh Python process, which prints one JSON line: validating the scenario reads
the files and ``sim.own_org`` keeps what it read for the model, so only a fresh process times a cold read; and
peak resident memory (``ru_maxrss``) is a high-water mark for the whole process, so only a process that built
one model alone says what that model needs. The construction's time is split by wrapping, in that process,
``read_org`` (reading and checking the files), ``from_chart`` (the structure: who is where, acquaintances from
the ties), ``create_population`` (one Mesa agent per employee) and ``settle`` (the warm-up); the rest is
validating the scenario, the starting state and the first week's outputs. The model's modules (and pandas,
which they import) are imported before the clock starts, as ``bench_orgdata`` does.

The weekly speed is measured in one process per size, alternating imported and generated models so that both
see the same machine (this one is shared): each repeat builds a model and times ``model.run(52)``; the figure is
the median repeat's time per week. The generated model is the baseline preset with the same headcount and
departments, seed 1, as is the imported one.

The first run on a new machine compiles the model's numba loops (about 15 s, cached next to the source), which
the first process to need them pays inside its timings: run the benchmark twice, and keep the second.

Targets are reported as PASS or FAIL, never as a non-zero exit code. Results go to
``benchmarks/results/own_org.json``.

Usage, from the repository root::

    python benchmarks/bench_own_org.py            # every case (several minutes, a good part writing files)
    python benchmarks/bench_own_org.py --quick    # the 100,000-employee build and the 10,000-employee weeks
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root: benchmarks is no package
from benchmarks.bench_orgdata import generate_files

RESULTS = Path(__file__).resolve().parent / "results" / "own_org.json"
BUILDS = {"100k": (100_000, 1_000_000, 5.0), "1M": (1_000_000, 1_000_000, 30.0)}
MEMORY_ABOVE_GENERATED_MB = 4 * 1024.0
WEEKLY = {10_000: 100_000, 100_000: 1_000_000}  # employees: ties
WEEKS = 52
REPEATS = 5
WEEKLY_RATIO = 1.2
SEED = 1


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KB on Linux


def departments(employees: int) -> int:
    """The departments ``generate_files`` gives a chart of this size, and so the generated model too."""
    return max(8, employees // 20_000)


def write_scenario(folder: Path, employees: int, ties: int) -> Path:
    """A chart, ties and survey in ``folder``, and a scenario file naming all three."""
    generate_files(folder, employees, ties)
    scenario = folder / "scenario.toml"
    scenario.write_text(
        'name = "own_org_bench"\n\n[organisation]\nchart = "chart.csv"\nties = "ties.csv"\n\n'
        '[culture]\nsurvey = "survey.csv"\n'
    )
    return scenario


# ------------------------------------------------------------ one measurement (in a subprocess)
def _timed(module: Any, name: str, spent: dict[str, float]) -> None:
    """Replace ``module.name`` by a wrapper that adds its time to ``spent[name]``."""
    original: Callable = getattr(module, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

    setattr(module, name, wrapper)


def measure_build(scenario: str, employees: int) -> dict:
    """Build one model in this process, which has done nothing else: from the scenario file if ``scenario`` is
    a path, else a generated one of ``employees`` (for the memory baseline)."""
    import pandas  # noqa: F401  (see the module docstring)

    import sim.model
    import sim.org_chart
    import sim.orgdata

    spent: dict[str, float] = {}
    _timed(sim.orgdata, "read_org", spent)
    _timed(sim.org_chart, "from_chart", spent)
    _timed(sim.model, "create_population", spent)
    _timed(sim.model, "settle", spent)
    if scenario == "generated":
        _timed(sim.model, "generate", spent)
        args: tuple = ("baseline",)
        extra: dict[str, Any] = {"employees": employees, "departments": departments(employees)}
    else:
        args, extra = (scenario,), {}
    started = time.perf_counter()
    model = sim.model.KnowledgeSharingModel(*args, rng=SEED, **extra)
    seconds = time.perf_counter() - started
    assert model.org.n == employees, (model.org.n, employees)
    parts = {
        "read_s": spent.get("read_org", 0.0),
        "structure_s": spent.get("from_chart", spent.get("generate", 0.0)),
        "agents_s": spent["create_population"],
        "warmup_s": spent["settle"],
    }
    parts["other_s"] = seconds - sum(parts.values())
    return {
        "employees": employees,
        "build_s": round(seconds, 3),
        **{name: round(value, 3) for name, value in parts.items()},
        "peak_mb": round(_peak_mb()),
    }


def measure_weekly(folder: str, employees: int, repeats: int) -> dict:
    """Per repeat, an imported and a generated model of ``employees`` built and run for ``WEEKS`` weeks."""
    from sim.model import KnowledgeSharingModel

    scenario = Path(folder) / "scenario.toml"
    made = {
        "imported": lambda: KnowledgeSharingModel(scenario, rng=SEED, weeks=WEEKS),
        "generated": lambda: KnowledgeSharingModel(
            "baseline", rng=SEED, weeks=WEEKS, employees=employees, departments=departments(employees)
        ),
    }
    times: dict[str, list[float]] = {kind: [] for kind in made}
    for _ in range(repeats):
        for kind, make in made.items():
            model = make()
            assert model.org.n == employees
            started = time.perf_counter()
            model.run(WEEKS)
            times[kind].append((time.perf_counter() - started) / WEEKS)
            assert model.week == WEEKS
            del model
    return {
        "employees": employees,
        "ties": WEEKLY[employees],
        "weeks": WEEKS,
        "repeats": repeats,
        **{f"{kind}_week_ms": [round(t * 1000, 2) for t in found] for kind, found in times.items()},
        **{f"{kind}_median_ms": round(statistics.median(found) * 1000, 2) for kind, found in times.items()},
    }


def in_subprocess(*args: str) -> dict:
    """One measurement in a fresh interpreter: its JSON line, or the error."""
    done = subprocess.run([sys.executable, __file__, "--one", *args], capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        return {"error": (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]}
    return json.loads(lines[-1])


# ------------------------------------------------------------------------------- the cases
def build_case(case: str) -> dict:
    employees, ties, target = BUILDS[case]
    print(f"build {case}: {employees:,} employees, {ties:,} ties ...", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        scenario = write_scenario(Path(folder), employees, ties)
        imported = in_subprocess("build", str(scenario), str(employees))
    result: dict = {"case": case, "employees": employees, "ties": ties, "target_s": target, **imported}
    if case == "1M":
        print("  the generated model of the same size, for its peak memory ...", flush=True)
        result["generated"] = in_subprocess("build", "generated", str(employees))
    return result


def weekly_case(employees: int, repeats: int) -> dict:
    print(f"weekly speed at {employees:,} employees ({WEEKLY[employees]:,} ties), {repeats} repeats ...", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        write_scenario(Path(folder), employees, WEEKLY[employees])
        result = in_subprocess("weekly", folder, str(employees), str(repeats))
    if "error" not in result:
        result["ratio"] = round(result["imported_median_ms"] / result["generated_median_ms"], 3)
    return result


def verdicts(builds: dict[str, dict], weekly: dict[int, dict]) -> list[dict]:
    """Each target as {target, measured, verdict}: PASS, FAIL or ERROR (the run failed)."""

    def row(name: str, found: dict, measure: Callable[[dict], tuple[str, bool]]) -> dict:
        if "error" in found:
            return {"target": name, "measured": f"run failed: {found['error']}", "verdict": "ERROR"}
        measured, passed = measure(found)
        return {"target": name, "measured": measured, "verdict": "PASS" if passed else "FAIL"}

    def split(r: dict) -> str:
        return (
            f"{r['build_s']:.2f} s: read {r['read_s']:.2f}, structure {r['structure_s']:.2f}, agents "
            f"{r['agents_s']:.2f}, warm-up {r['warmup_s']:.2f}, other {r['other_s']:.2f}"
        )

    rows = []
    for case, r in builds.items():
        rows.append(
            row(
                f"{r['employees']:,} employees + {r['ties']:,} ties read and built < {r['target_s']:.0f} s",
                r,
                lambda r: (split(r), r["build_s"] < r["target_s"]),
            )
        )
        if case == "1M":
            # The imported model's peak above the generated one's; an error in either is the row's error.
            both = {**r, "error": r["generated"]["error"]} if "error" in r.get("generated", {}) else r
            rows.append(
                row(
                    "1,000,000 employees built in <= 4 GB above a generated one",
                    both,
                    lambda r: (
                        (
                            f"peak {r['peak_mb']:,.0f} MB, {r['peak_mb'] - r['generated']['peak_mb']:,.0f} MB above "
                            f"the generated model's {r['generated']['peak_mb']:,.0f} MB"
                        ),
                        r["peak_mb"] - r["generated"]["peak_mb"] <= MEMORY_ABOVE_GENERATED_MB,
                    ),
                )
            )
    for employees, r in weekly.items():
        rows.append(
            row(
                f"a week at {employees:,} employees imported within 20 % of generated",
                r,
                lambda r: (
                    f"{r['ratio']:.2f}x ({r['imported_median_ms']:.1f} vs {r['generated_median_ms']:.1f} ms a week)",
                    r["ratio"] <= WEEKLY_RATIO,
                ),
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the 100,000-employee build and 10,000-employee weeks")
    parser.add_argument("--repeats", type=int, default=REPEATS, help=f"weekly-speed repeats (default {REPEATS})")
    parser.add_argument("--one", nargs="+", help=argparse.SUPPRESS)  # internal: one measurement in this process
    args = parser.parse_args()
    if args.one:
        kind, *rest = args.one
        if kind == "build":
            print(json.dumps(measure_build(rest[0], int(rest[1]))))
        else:
            print(json.dumps(measure_weekly(rest[0], int(rest[1]), int(rest[2]))))
        return

    builds = {case: build_case(case) for case in (["100k"] if args.quick else BUILDS)}
    weekly = {n: weekly_case(n, args.repeats) for n in ([10_000] if args.quick else WEEKLY)}
    targets = verdicts(builds, weekly)
    print()
    width = max(len(t["target"]) for t in targets)
    for t in targets:
        print(f"{t['verdict']:5}  {t['target']:<{width}}  {t['measured']}")

    from sim.versions import write_measurement

    write_measurement(RESULTS, builds=list(builds.values()), weekly=list(weekly.values()), targets=targets)
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    main()
