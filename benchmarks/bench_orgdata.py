"""How fast kshare reads and checks an organisation's own files, and how much memory that takes.

Two cases, each generated into a temporary folder and read in a fresh Python process (so that its peak
resident memory, a high-water mark for the whole process, belongs to that case alone):

* a chart of 100,000 employees with 1,000,000 collaboration ties and a team survey: target under 5 s;
* a chart of 1,000,000 employees (with ties of its own, 1 per employee, and a survey): target under 30 s.

The organisations are the model's own generated ones (``sim.organisation.generate``), written out as a
strategist's files would be: string ids, department and team names, tenure, and two columns kshare ignores
(name and e-mail). The time is ``read_org`` alone: reading, hashing, checking every rule and building the
arrays (``anonymise`` is timed separately); the files are written beforehand by the parent process. Peak
memory (``ru_maxrss``, a high-water mark) is reported whole and above the reading process's resident memory
once numpy, pyarrow, pandas and kshare were imported. pandas is imported before the clock starts because the
model imports it anyway (``sim.model``), and pyarrow imports it on its first conversion to numpy: from a cold
start that import alone takes about a second on this machine, which a ``kshare run`` pays whether or not it
reads files.

Targets are reported as PASS or FAIL, never as a non-zero exit code.

Usage, from the repository root::

    python benchmarks/bench_orgdata.py            # both cases (a minute or two, most of it writing files)
    python benchmarks/bench_orgdata.py --quick    # the 100,000-employee case only
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = {"100k": (100_000, 1_000_000, 5.0), "1M": (1_000_000, 1_000_000, 30.0)}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KB on Linux


def _rss_mb() -> float:
    """Resident memory now (Linux), the baseline the reading's peak is measured from."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return 0.0


def generate_files(folder: Path, employees: int, ties: int) -> dict[str, Path]:
    """A chart, ties and survey of a generated organisation, as CSV files in ``folder``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pcsv

    from sim.organisation import generate
    from sim.scenario import Organisation

    rng = np.random.default_rng(1)
    org = generate(Organisation(employees=employees, departments=max(8, employees // 20_000)), rng)
    number = np.char.zfill(np.arange(org.n).astype(str), 7)
    ids = np.char.add("E", number)
    manager = np.where(org.manager_of >= 0, ids[np.maximum(org.manager_of, 0)], "")
    team_names = np.char.add("Team ", np.arange(org.n_teams).astype(str))
    dept_names = np.char.add("Department ", np.arange(org.team_department.max() + 1).astype(str))
    chart = pa.table(
        {
            "id": ids,
            "manager_id": manager,
            "department": dept_names[org.department],
            "team": team_names[org.team],
            "tenure_weeks": org.tenure,
            "name": np.char.add("Person ", number),
            "email": np.char.add(np.char.lower(ids), "@example.com"),
        }
    )
    paths = {"chart": folder / "chart.csv", "ties": folder / "ties.csv", "survey": folder / "survey.csv"}
    pcsv.write_csv(chart, paths["chart"])
    source = rng.integers(0, org.n, ties)
    target = (source + rng.integers(1, org.n, ties)) % org.n  # never oneself
    pcsv.write_csv(
        pa.table({"source": ids[source], "target": ids[target], "weight": rng.integers(1, 10, ties)}),
        paths["ties"],
    )
    survey = pa.table(
        {
            "team": team_names,
            "respondents": rng.integers(1, 15, org.n_teams),
            "psychological_safety": np.round(rng.uniform(1, 5, org.n_teams), 2),
            "recognition": np.round(rng.uniform(1, 5, org.n_teams), 2),
        }
    )
    pcsv.write_csv(survey, paths["survey"])
    return paths


def measure(case: str, folder: Path) -> dict:
    """Read the case's files (already in ``folder``) in this process, which has done nothing else."""
    employees, ties, target = CASES[case]
    import pandas  # noqa: F401  (see the module docstring)

    from sim.orgdata import anonymise, read_org

    paths = {role: folder / f"{role}.csv" for role in ("chart", "ties", "survey")}
    sizes = {role: path.stat().st_size for role, path in paths.items()}
    before = _rss_mb()
    started = time.perf_counter()
    org = read_org(paths["chart"], paths["ties"], paths["survey"])
    seconds = time.perf_counter() - started
    assert org.n == employees and org.ties is not None and len(org.ties) == ties
    started = time.perf_counter()
    anonymise(org)
    anonymise_s = time.perf_counter() - started
    return {
        "case": case,
        "employees": employees,
        "ties": ties,
        "teams": len(org.team_names),
        "file_mb": {role: round(size / 1e6, 1) for role, size in sizes.items()},
        "read_s": round(seconds, 2),
        "target_s": target,
        "anonymise_s": round(anonymise_s, 2),
        "peak_mb": round(_peak_mb()),
        "peak_above_imports_mb": round(_peak_mb() - before),
        "result": "PASS" if seconds < target else "FAIL",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the 100,000-employee case")
    parser.add_argument("--one", nargs=2, metavar=("CASE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one[0], Path(args.one[1]))))
        return
    for case in ["100k"] if args.quick else list(CASES):
        with tempfile.TemporaryDirectory() as folder:
            generate_files(Path(folder), *CASES[case][:2])
            done = subprocess.run(
                [sys.executable, __file__, "--one", case, folder], capture_output=True, text=True, check=False
            )
        lines = done.stdout.strip().splitlines()
        if done.returncode or not lines:
            print(json.dumps({"case": case, "error": done.stderr.strip().splitlines()[-1:] or done.returncode}))
            continue
        result = json.loads(lines[-1])
        print(
            f"{case:>5}: {result['employees']:>9,} employees, {result['ties']:>9,} ties: read and checked in "
            f"{result['read_s']:.2f} s (target {result['target_s']:.0f} s: {result['result']}), "
            f"anonymised in {result['anonymise_s']:.2f} s, peak memory {result['peak_mb']:,} MB "
            f"({result['peak_above_imports_mb']:,} MB above the imports)"
        )
        print(f"       {json.dumps(result)}")


if __name__ == "__main__":
    main()
