"""How long one week of the dashboard takes on the server, from 500 to 100,000 employees.

One week's update is what happens between two frames while the dashboard plays:
the run and its baseline step, the selected employee's drivers are recorded,
and the live view is drawn again: the Solara components that show the week
(controls, sharing chart, network, employee panel) re-render, the charts are
redrawn and encoded as PNG. That is measured two ways:

* ``page``: the whole page rendered with ``solara.render`` (Solara's own
  server-side renderer, no browser), timing ``Dashboard.step()``; the page
  redraws inside that call, so this is what the server spends per frame;
* ``pictures``: the step and the three live pictures alone, without Solara.

Both wall-clock and CPU time of this process are reported: on a shared machine
wall time includes waiting for a core, CPU time does not. The time the browser
needs to receive and show a frame is not included; play waits for the browser
(see ``Dashboard.wait_until_shown``), so a slow browser slows play instead of
falling behind it.

Target (the issue's): at 500 employees, a week's update including the network
view within 200 ms, so that play looks like an animation. A FAIL is reported,
never turned into a non-zero exit code.

Usage, from the repository root::

    python benchmarks/bench_dashboard.py                 # 500, 2,000, 10,000 and 100,000 employees
    python benchmarks/bench_dashboard.py --sizes 500 --weeks 60

Results are also written to ``benchmarks/results/dashboard.json``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from sim.versions import write_measurement

TARGET_MS = 200.0
RESULTS = Path(__file__).parent / "results" / "dashboard.json"


def _timed(action, weeks: int) -> dict[str, float]:
    wall, cpu = [], []
    for _ in range(weeks):
        c, t = time.process_time(), time.perf_counter()
        action()
        wall.append(1000 * (time.perf_counter() - t))
        cpu.append(1000 * (time.process_time() - c))
    wall.sort()
    return {
        "wall_median_ms": statistics.median(wall),
        "wall_p90_ms": wall[int(0.9 * (len(wall) - 1))],
        "cpu_median_ms": statistics.median(cpu),
    }


def measure(employees: int, weeks: int, preset: str) -> dict:
    import solara

    from sim.dashboard.app import DashboardPage
    from sim.dashboard.state import Dashboard

    departments = max(5, employees // 2000)
    started = time.perf_counter()
    dash = Dashboard(preset)
    assert dash.apply(employees=employees, departments=departments), dash.error.value
    _box, context = solara.render(DashboardPage(dash), handle_error=False)
    dash.render_context = context
    dash.select(3)
    set_up = time.perf_counter() - started
    page = _timed(dash.step, weeks)

    def pictures():
        dash.run.step()
        dash.sharing_frame(), dash.network_frame(), dash.drivers_frame(3)

    alone = _timed(pictures, weeks)
    context.close()
    return {
        "employees": employees,
        "weeks": weeks,
        "preset": preset,
        "set_up_s": set_up,
        "per_person_network": dash.run.model.org.n <= 2000,
        "page": page,
        "pictures": alone,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,2000,10000,100000", help="employees, comma-separated")
    parser.add_argument("--weeks", type=int, default=40, help="weeks timed per size")
    parser.add_argument("--preset", default="combined_programme")
    args = parser.parse_args()

    rows = []
    print(
        f"{'employees':>10} {'network':>8} {'page median':>12} {'p90':>8} {'cpu':>8}   {'pictures only':>13} {'cpu':>8}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        row = measure(size, args.weeks, args.preset)
        rows.append(row)
        page, alone = row["page"], row["pictures"]
        print(
            f"{size:>10,} {'people' if row['per_person_network'] else 'teams':>8} "
            f"{page['wall_median_ms']:>9.0f} ms {page['wall_p90_ms']:>5.0f} ms {page['cpu_median_ms']:>5.0f} ms   "
            f"{alone['wall_median_ms']:>10.0f} ms {alone['cpu_median_ms']:>5.0f} ms"
        )
    at_500 = next((row for row in rows if row["employees"] == 500), None)
    if at_500 is not None:
        verdict = "ok" if at_500["page"]["wall_median_ms"] < TARGET_MS else "FAIL"
        print(
            f"\ntarget: a week's update at 500 employees < {TARGET_MS:.0f} ms "
            f"(median {at_500['page']['wall_median_ms']:.0f} ms): {verdict}"
        )
    write_measurement(RESULTS, results=rows)


if __name__ == "__main__":
    main()
