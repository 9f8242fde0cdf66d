"""How fast kshare runs, and how much memory it needs, from 1,000 to 1,000,000 employees.

For each organisation size this measures the set-up time (constructing
``KnowledgeSharingModel``), the run time (all the scenario's weeks), agent-steps
per second (employees x weeks / time, on the run alone and including set-up) and
the peak resident memory.

Every measurement runs in a fresh Python subprocess, which prints one JSON line.
Peak RSS (``ru_maxrss``) is a high-water mark for the whole process, so only a
process that built and ran one size alone can say how much memory that size
needs; a fresh process also keeps one size's garbage and caches out of the next
one's timings. Peak RSS includes the interpreter and its imports (about 150 MB of
numpy, scipy, networkx and Mesa), which dominates at 1k and hardly counts at 1M.

Agent-steps per second mean little on their own, so the same run times a
reference on the same machine: Mesa's bundled ``VirusOnNetwork`` example, a
plain one-Python-object-per-agent Mesa model, at 10,000 nodes. kshare is meant to
be many times faster per agent-step than that, because its weekly dynamics are
vectorised over the whole organisation. Only the reference's step time enters
the comparison. Its set-up would take about five minutes, nearly all of it in
the ``nx.spring_layout`` that Mesa's ``Network`` space computes for drawing, so
the benchmark builds its network without positions (``layout=None``): node
positions are never read by its steps, so its step time is unchanged. Its graph
is an Erdos-Renyi graph drawn without the model's seed, so its speed varies a
little from run to run.

Each case is measured ``--repeat`` times (3 by default), each time in a fresh
interpreter, and the fastest trial counts, as ``timeit`` does: the machine is
shared, and a slow trial measures its neighbours, not the model. Peak memory
is the highest of any trial. Every trial is kept in the results.

Targets (a FAIL is reported, never turned into a non-zero exit code):

* 10,000 employees x 520 weeks run in under 2 s;
* 1,000,000 employees x 52 weeks in under 30 s including set-up, in under 6 GB;
* kshare's agent-steps/s at 10,000 employees at least 5x the reference's.

Usage, from the repository root::

    python benchmarks/bench_model.py                 # all four sizes, 3 trials each (about 4 minutes)
    python benchmarks/bench_model.py --repeat 1      # one trial each
    python benchmarks/bench_model.py --sizes 1000,10000
    python benchmarks/bench_model.py --quick         # 1k and 10k, a shorter reference run

Results are also written to ``benchmarks/results/model.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

WEEKS = {1_000: 520, 10_000: 520, 100_000: 52, 1_000_000: 52}
DEPARTMENTS = {1_000_000: 50}  # other sizes keep the preset's default
REFERENCE_NODES = 10_000
REFERENCE_STEPS = 50
RESULTS = Path(__file__).resolve().parent / "results" / "model.json"
GB = 1024.0  # MB per GB


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KB on Linux


# ------------------------------------------------------------ one measurement (in a subprocess)
def measure_kshare(employees: int, weeks: int) -> dict:
    from sim import KnowledgeSharingModel

    extra = {"departments": DEPARTMENTS[employees]} if employees in DEPARTMENTS else {}
    t0 = time.perf_counter()
    model = KnowledgeSharingModel("baseline", rng=1, employees=employees, weeks=weeks, **extra)
    t1 = time.perf_counter()
    model.run()
    t2 = time.perf_counter()
    assert model.week == weeks, (model.week, weeks)
    return {
        "case": f"kshare {employees:,}",
        "agents": employees,
        "steps": weeks,
        "setup_s": t1 - t0,
        "run_s": t2 - t1,
        **extra,
    }


def measure_reference(steps: int) -> dict:
    import functools

    import mesa.examples.basic.virus_on_network.model as reference
    from mesa.examples import VirusOnNetwork

    # Positions are for drawing only (see the module docstring): build a purely topological network.
    reference.Network = functools.partial(reference.Network, layout=None)
    t0 = time.perf_counter()
    model = VirusOnNetwork(num_nodes=REFERENCE_NODES, rng=1)
    t1 = time.perf_counter()
    for _ in range(steps):
        model.step()
    t2 = time.perf_counter()
    return {
        "case": f"VirusOnNetwork {REFERENCE_NODES:,}",
        "agents": REFERENCE_NODES,
        "steps": steps,
        "setup_s": t1 - t0,
        "run_s": t2 - t1,
    }


def in_subprocess(*args: str) -> dict:
    """Run one measurement in a fresh interpreter and return its JSON line (or the error)."""
    done = subprocess.run([sys.executable, __file__, "--one", *args], capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        sys.stderr.write(done.stderr)
        n, s = (REFERENCE_NODES, int(args[1])) if args[0] == "reference" else (int(args[1]), int(args[2]))
        case = f"VirusOnNetwork {n:,}" if args[0] == "reference" else f"kshare {n:,}"
        return {"case": case, "agents": n, "steps": s, "error": f"exit code {done.returncode}"}
    result = json.loads(lines[-1])
    n, s = result["agents"], result["steps"]
    result["total_s"] = result["setup_s"] + result["run_s"]
    result["agent_steps_per_s"] = n * s / result["run_s"]
    result["agent_steps_per_s_with_setup"] = n * s / result["total_s"]
    return result


def fastest(*args: str, repeat: int) -> dict:
    """The fastest of ``repeat`` trials of one measurement (by run time), with the highest peak memory of any,
    and every trial."""
    trials = [in_subprocess(*args) for _ in range(repeat)]
    done = [t for t in trials if "error" not in t]
    if not done:
        return trials[0]
    best = dict(min(done, key=lambda t: t["run_s"]))
    best["peak_rss_mb"] = max(t["peak_rss_mb"] for t in done)
    best["trials"] = [{k: t.get(k) for k in ("setup_s", "run_s", "peak_rss_mb", "error")} for t in trials]
    return best


# ------------------------------------------------------------------------------- reporting
def table(rows: list[dict]) -> str:
    head = ("case", "agents", "steps", "setup s", "run s", "total s", "agent-steps/s", "incl. setup", "peak MB")
    body: list[tuple[str, ...]] = []
    failed: dict[int, dict] = {}
    for r in rows:
        if "error" in r:
            failed[len(body)] = r
            body.append((r["case"], f"{r['agents']:,}", f"{r['steps']:,}", *[""] * 6))
            continue
        body.append(
            (
                r["case"],
                f"{r['agents']:,}",
                f"{r['steps']:,}",
                f"{r['setup_s']:.2f}",
                f"{r['run_s']:.2f}",
                f"{r['total_s']:.2f}",
                f"{r['agent_steps_per_s']:,.0f}",
                f"{r['agent_steps_per_s_with_setup']:,.0f}",
                f"{r['peak_rss_mb']:,.0f}",
            )
        )
    widths = [max(len(str(row[i])) for row in (head, *body)) for i in range(len(head))]
    fmt = lambda row: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))  # noqa: E731
    lines = [
        fmt(row) if i not in failed else fmt(row[:3] + ("",) * 6).rstrip() + "  FAILED: " + failed[i]["error"]
        for i, row in enumerate(body)
    ]
    return "\n".join([fmt(head), "  ".join("-" * w for w in widths), *lines])


def check_targets(by_size: dict[int, dict], reference: dict) -> list[dict]:
    """Each target as {target, measured, verdict}: PASS, FAIL, SKIP (size not run) or ERROR (run crashed)."""

    def target(name: str, runs: list[dict | None], measure) -> dict:
        done = [r for r in runs if r is not None]
        if len(done) < len(runs):
            return {"target": name, "measured": "not run", "verdict": "SKIP"}
        if any("error" in r for r in done):
            return {"target": name, "measured": "run failed", "verdict": "ERROR"}
        measured, passed = measure(*done)
        return {"target": name, "measured": measured, "verdict": "PASS" if passed else "FAIL"}

    k10, m1 = by_size.get(10_000), by_size.get(1_000_000)
    return [
        target(
            "10,000 x 520 weeks run < 2 s",
            [k10],
            lambda r: (f"{r['run_s']:.2f} s run, {r['total_s']:.2f} s incl. set-up", r["run_s"] < 2),
        ),
        target(
            "1,000,000 x 52 weeks < 30 s incl. set-up",
            [m1],
            lambda r: (f"{r['total_s']:.2f} s ({r['setup_s']:.2f} set-up + {r['run_s']:.2f} run)", r["total_s"] < 30),
        ),
        target(
            "1,000,000 x 52 weeks peak < 6 GB",
            [m1],
            lambda r: (f"{r['peak_rss_mb'] / GB:.2f} GB", r["peak_rss_mb"] < 6 * GB),
        ),
        target(
            "kshare 10k agent-steps/s >= 5x VirusOnNetwork",
            [k10, reference],
            lambda r, ref: (
                (
                    f"{r['agent_steps_per_s'] / ref['agent_steps_per_s']:.1f}x "
                    f"({r['agent_steps_per_s']:,.0f} vs {ref['agent_steps_per_s']:,.0f})"
                ),
                r["agent_steps_per_s"] >= 5 * ref["agent_steps_per_s"],
            ),
        ),
    ]


def versions() -> dict:
    import mesa
    import numpy

    import sim

    return {
        "python": sys.version.split()[0],
        "mesa": mesa.__version__,
        "numpy": numpy.__version__,
        "kshare": sim.__version__,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated employee counts, from " + ",".join(map(str, WEEKS)))
    parser.add_argument(
        "--quick", action="store_true", help=f"1k and 10k only, and a {REFERENCE_STEPS // 5}-step reference"
    )
    parser.add_argument("--repeat", type=int, default=3, help="trials per case; the fastest counts (default 3)")
    parser.add_argument("--one", nargs="+", help=argparse.SUPPRESS)  # internal: one measurement in this process
    args = parser.parse_args()

    if args.one:
        kind, *rest = args.one
        result = measure_reference(int(rest[0])) if kind == "reference" else measure_kshare(int(rest[0]), int(rest[1]))
        result["peak_rss_mb"] = _peak_mb()
        print(json.dumps(result))
        return

    default = "1000,10000" if args.quick else ",".join(map(str, WEEKS))
    sizes = [int(s.replace("_", "")) for s in (args.sizes or default).split(",")]
    unknown = [s for s in sizes if s not in WEEKS]
    if unknown:
        parser.error(f"unknown sizes {unknown}; choose from {list(WEEKS)}")
    ref_steps = REFERENCE_STEPS // 5 if args.quick else REFERENCE_STEPS

    rows, by_size = [], {}
    for n in sizes:
        print(f"kshare {n:,} employees x {WEEKS[n]} weeks ...", flush=True)
        by_size[n] = fastest("kshare", str(n), str(WEEKS[n]), repeat=args.repeat)
        rows.append(by_size[n])
    print(f"reference VirusOnNetwork {REFERENCE_NODES:,} nodes x {ref_steps} steps ...", flush=True)
    reference = fastest("reference", str(ref_steps), repeat=args.repeat)
    rows.append(reference)

    print()
    print(table(rows))
    print()
    targets = check_targets(by_size, reference)
    width = max(len(t["target"]) for t in targets)
    for t in targets:
        print(f"{t['verdict']:5}  {t['target']:<{width}}  {t['measured']}")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "repeat": args.repeat,
        "versions": versions(),
        "kshare": [by_size[n] for n in sizes],
        "reference": reference,
        "targets": targets,
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")


if __name__ == "__main__":
    main()
