"""The Compare view's form and its work, held by the session's ``Dashboard`` rather than by the view.

The page draws only the chosen tab, so a component's own state (``use_reactive``)
and its threads (``use_thread`` sets its cancel event on unmount) die when the
user looks at another tab. A comparison takes minutes: the choices, the
progress and the thread running it live here, one per session, so that leaving
the Compare tab and coming back shows the form as it was and the work still going.

The result shown is kept when the form changes afterwards, not cleared: it
took minutes to compute, and a user often edits the form to plan the next
comparison while still reading this one. Its caption then says what it was run
with and that it is from the previous settings (``Request`` records them).
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import solara

from sim.dashboard.compare import MAX_SCENARIOS, compare, default_weeks, parse_weeks
from sim.scenario import Scenario
from sim.scenario_files import load_scenario

if TYPE_CHECKING:
    from sim.calibration.posterior import Posterior
    from sim.dashboard.compare import Result

CURRENT = "current settings"
MAX_REPLICATIONS = 100


@dataclass(frozen=True)
class Request:
    """Everything a comparison depends on: two requests that are equal give the same result."""

    labels: tuple[str, ...]
    replications: int
    weeks: tuple[int, ...]  # empty: the default weeks
    draws: bool
    employees: int
    length: int  # weeks run
    seed: int
    current: Scenario | None  # the dashboard's settings, when they are one of the scenarios

    @property
    def runs(self) -> int:
        return len(self.labels) * self.replications


class ComparisonForm:
    """One session's comparison: what the form says, and the work it started."""

    def __init__(
        self,
        scenario: solara.Reactive[Scenario],
        result: solara.Reactive[Result | None],
        batch: Callable[[], AbstractContextManager] = contextlib.nullcontext,
    ):
        self.scenario = scenario  # the dashboard's: "current settings", and the size every scenario runs at
        self.result = result  # the dashboard's, which its PNG export draws
        # The dashboard's: values changed together by the worker are drawn in one pass, so the page never
        # shows a new result beside a Cancel button still offered for the work that made it.
        self.batch = batch
        self.picked = solara.reactive(["baseline", CURRENT])  # the reference first: differences are against it
        self.replications_text = solara.reactive("5")
        self.weeks_text: solara.Reactive[str | None] = solara.reactive(None)  # None: the scenario's default weeks
        self.draws = solara.reactive(False)
        # The latest result this form computed and what it was run with, set before ``result`` so that the
        # page never pairs a new result with the old request.
        self.ran_with: solara.Reactive[tuple[Result, Request] | None] = solara.reactive(None)
        self.running = solara.reactive(False)
        self.cancelling = solara.reactive(False)
        self.done = solara.reactive(0)
        self.total = solara.reactive(0)
        self.started = solara.reactive(0.0)  # time.monotonic() when the work began
        self.last_run = solara.reactive(0.0)  # time.monotonic() when the latest run ended
        self.status = solara.reactive("")  # how the last work ended, when not with a result
        self.error = solara.reactive("")
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------- the form
    def weeks_shown(self) -> str:
        """The weeks text as typed, or the current scenario's default weeks until the user types."""
        if self.weeks_text.value is not None:
            return self.weeks_text.value
        scenario = self.scenario.value
        return ", ".join(map(str, default_weeks(scenario, scenario.weeks)))

    def problems(self, posterior: Posterior | None = None) -> list[str]:
        """Why the form cannot run as it is, one message for each field that is wrong; empty if it can.
        ``posterior``: the one parameter uncertainty would draw from, which limits the replications."""
        found = []
        count = len(self.picked.value)
        if not 2 <= count <= MAX_SCENARIOS:
            found.append(f"Scenarios: choose 2 to {MAX_SCENARIOS}, not {count}.")
        text = self.replications_text.value.strip()
        if not re.fullmatch(r"\d+", text) or not 1 <= int(text) <= MAX_REPLICATIONS:
            found.append(f"Replications: '{text}' is not a whole number from 1 to {MAX_REPLICATIONS}.")
        elif self.draws.value and posterior is not None and int(text) > posterior.particles:
            found.append(
                f"Replications: at most {posterior.particles} with parameter uncertainty, not {int(text)}: "
                f"the posterior holds {posterior.particles} parameter sets, and each replication draws its own."
            )
        try:
            parse_weeks(self.weeks_shown(), self.scenario.value.weeks)
        except ValueError as error:
            found.append(str(error))
        return found

    def request(self, posterior: Posterior | None = None) -> Request | None:
        """What Run would compare now; None while the form has a problem."""
        if self.problems(posterior):
            return None
        scenario = self.scenario.value
        labels = tuple(self.picked.value)
        return Request(
            labels=labels,
            replications=int(self.replications_text.value),
            weeks=tuple(parse_weeks(self.weeks_shown(), scenario.weeks)),
            draws=self.draws.value and posterior is not None,
            employees=scenario.organisation.employees,
            length=scenario.weeks,
            seed=scenario.seed,
            current=scenario if CURRENT in labels else None,
        )

    def stale(self, posterior: Posterior | None = None) -> bool:
        """The result shown was run with other settings than the form and the dashboard's now say
        (False for a result this form did not compute: what it was run with is not known)."""
        shown = self.ran_with.value
        if shown is None or shown[0] is not self.result.value:
            return False
        return shown[1] != self.request(posterior)

    # -------------------------------------------------------------- the work
    def start(self, posterior: Posterior | None = None) -> bool:
        """Run the comparison the form asks for on this session's thread; False (and nothing starts) if it
        cannot: a problem in the form, or a comparison already running."""
        request = self.request(posterior)
        if request is None or self.running.value:
            return False
        self._cancel = threading.Event()
        self.started.value = self.last_run.value = time.monotonic()
        self.done.value, self.total.value = 0, request.runs
        self.status.value = self.error.value = ""
        self.cancelling.value = False
        self.running.value = True
        # A thread of the form's, not the view's: it goes on while another tab is shown.
        self._thread = threading.Thread(
            target=self._work, args=(request, posterior if request.draws else None, self._cancel), daemon=True
        )
        self._thread.start()
        return True

    def cancel(self) -> None:
        """Stop after the run in progress (a run cannot be cut short); the result shown stays."""
        if self.running.value:
            self._cancel.set()
            self.cancelling.value = True

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the work to end (for tests and scripts); True if none is running."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.running.value

    def _progress(self, fraction: float) -> None:
        with self.batch():
            self.last_run.value = time.monotonic()
            self.done.value = round(fraction * self.total.value)

    def _work(self, request: Request, posterior: Posterior | None, cancel: threading.Event) -> None:
        result = None
        try:
            current = request.current
            scenarios = [
                (label, current if label == CURRENT and current is not None else load_scenario(label))
                for label in request.labels
            ]
            result = compare(
                scenarios,
                replications=request.replications,
                employees=request.employees,
                weeks=request.length,
                seed=request.seed,
                chosen_weeks=list(request.weeks) or None,
                progress=self._progress,
                cancel=cancel,
                posterior=posterior,
            )
        except Exception as error:  # shown on the page: the thread has no one else to tell
            self.error.value = str(error) or type(error).__name__
        finally:
            with self.batch():
                if result is not None:
                    self.ran_with.value = (result, request)
                    self.result.value = result
                elif cancel.is_set():
                    self.status.value = f"Cancelled after {self.done.value} of {self.total.value} runs."
                self.cancelling.value = False
                self.running.value = False

    # ----------------------------------------------------------------- words
    def progress_text(self, now: float | None = None) -> str:
        """Runs done, time elapsed and an estimate of the time left, from the mean time of a run so far."""
        now = time.monotonic() if now is None else now
        return progress_text(self.done.value, self.total.value, now - self.started.value, now - self.last_run.value)

    def file_stem(self) -> str:
        result = self.result.value
        return result.file_stem() if result is not None else "comparison"


def progress_text(done: int, total: int, elapsed: float, since_last: float) -> str:
    """ "3 of 10 runs done, 12 s elapsed, about 28 s left". ``since_last``: time spent on the run in progress."""
    text = f"{done} of {total} runs done, {duration(elapsed)} elapsed"
    if done == 0:
        return text + ", time left known after the first run"
    per_run = (elapsed - since_last) / done
    left = max(0.0, per_run * (total - done) - since_last)
    return text + f", about {duration(left)} left"


def duration(seconds: float) -> str:
    """ "45 s", "3 min 05 s", "1 h 02 min"."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole // 60 % 60:02d} min"
