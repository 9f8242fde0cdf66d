"""Compare two to four scenarios over several replications, and say the difference in words.

One run shows one possible history; an L&D strategist deciding on a
programme needs to know whether a difference is larger than chance. Each
scenario runs ``replications`` times with seeds ``seed, seed + 1, ...``; the
same seed gives every scenario the same organisation and the same starting
people (common random numbers), so differences are paired and their
confidence intervals narrow. Every series is first smoothed to a 4-week
trailing average, the figure a reader sees on the live chart.

Given a calibration's posterior, replication r also runs with the r-th draw
from it (``sim.ensemble.draws_and_seeds``), the same draw in every scenario,
as an experiment's ``[posterior]`` section does: the differences and their
bands then carry parameter uncertainty as well as chance. The employees and
weeks chosen for the comparison win over drawn parameters.

The words compare each scenario with the first one: "+18 points of sharing at
week 52, still +9 one year after the programme ended".
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.calibration.posterior import Posterior, PosteriorError, load_posterior
from sim.dashboard.charts import smooth
from sim.dashboard.choices import EVENTS
from sim.dashboard.messages import in_words
from sim.ensemble import draws_and_seeds
from sim.files import clean_stem
from sim.model import KnowledgeSharingModel
from sim.runner.statistics import half_width
from sim.scenario import Scenario
from sim.scenario_files import with_overrides

MAX_SCENARIOS = 4
YEAR = 52


@dataclass(eq=False)  # one computation: the same only if the same object (arrays have no single truth value)
class Item:
    label: str
    scenario: Scenario
    runs: np.ndarray  # (replications, weeks + 1) 4-week average sharing rate, 0..1

    @property
    def replications(self) -> int:
        return self.runs.shape[0]

    @property
    def mean(self) -> np.ndarray:
        return self.runs.mean(axis=0)

    @property
    def low(self) -> np.ndarray:
        return self.mean - half_width(self.runs)

    @property
    def high(self) -> np.ndarray:
        return self.mean + half_width(self.runs)


@dataclass(eq=False)  # as Item: Solara compares a reactive's old and new values, and == on arrays is not a bool
class Result:
    items: list[Item]
    weeks: np.ndarray
    replications: int
    employees: int
    seeds: list[int]
    chosen_weeks: list[int]
    sentences: list[str] = field(default_factory=list)
    #: The parameter set of each replication, drawn from ``posterior``; empty when only the seeds vary.
    draws: list[dict[str, float]] = field(default_factory=list)
    posterior: str = ""

    @property
    def labels(self) -> list[str]:
        return [item.label for item in self.items]

    @property
    def last_week(self) -> int:
        return int(self.weeks[-1])

    @property
    def size(self) -> str:
        """The organisation every run had, from the settings used: "at 5,000 employees for 104 weeks"."""
        return f"at {self.employees:,} employees for {self.last_week} weeks"

    @property
    def settings(self) -> str:
        """What this comparison was run with, for its caption: the form may since say otherwise."""
        seeds = f"seed {self.seeds[0]}" if len(self.seeds) == 1 else f"seeds {self.seeds[0]}–{self.seeds[-1]}"
        runs = f"{self.replications} run{'s' if self.replications != 1 else ''} each"
        return f"{in_words(self.labels)}, {runs} {self.size}, {seeds}"

    def file_stem(self) -> str:
        """A file name saying what was compared, so that a saved chart is not taken for the live run's."""
        runs = f"{self.replications}{'draws' if self.draws else 'runs'}"
        return f"{clean_stem('comparison_' + '_vs_'.join(self.labels))}_{runs}_seed{self.seeds[0]}"

    @property
    def runs_over(self) -> str:
        """What the replications differ by: "5 posterior draws" or "5 seeds"."""
        return f"{self.replications} {'posterior draws' if self.draws else 'seeds'}"

    @property
    def uncertainty(self) -> str:
        """What the bands carry: "parameter uncertainty and chance" or "chance only"."""
        return "parameter uncertainty and chance" if self.draws else "chance only"

    @property
    def basis(self) -> str:
        """For captions: "over 5 posterior draws (parameter uncertainty and chance)"."""
        return f"over {self.runs_over} ({self.uncertainty})"

    def table(self):
        """Mean and 95 % band of each scenario by week, for CSV export."""
        import pandas as pd

        columns = {"week": self.weeks}
        for item in self.items:
            columns[f"{item.label} mean"] = item.mean
            columns[f"{item.label} low95"] = item.low
            columns[f"{item.label} high95"] = item.high
        return pd.DataFrame(columns)


def one_run(scenario: Scenario, seed: int) -> np.ndarray:
    """The 4-week average sharing rate of one run, week 0 to the end."""
    model = KnowledgeSharingModel(scenario, rng=seed)
    model.run()
    return smooth(np.asarray(model.datacollector.model_vars["sharing_rate"], dtype=float))


def programme_end(scenario: Scenario) -> int | None:
    """The week the last intervention ends, or None if one never ends or there is none."""
    ends = [item.end for item in scenario.interventions if item.end is not None]
    if not ends or len(ends) < len(scenario.interventions):
        return None
    return max(ends)


def _points(value: float) -> str:
    rounded = round(value)
    return f"{'+' if rounded > 0 else '−' if rounded < 0 else '±'}{abs(rounded)}"


def describe(reference: Item, other: Item, chosen_weeks: list[int], weeks: int, noise: str = "chance") -> str:
    """The difference between two scenarios in words, in percentage points of the share of employees sharing.

    The unit goes with the first figure, whichever weeks are kept: a sentence that
    starts "+9 one year after ..." would leave the reader guessing what +9 counts.
    ``noise`` names what the interval covers: "chance" over seeds, "the uncertainty" over posterior draws.
    """
    diff = 100 * (other.runs - reference.runs)
    half = half_width(diff)
    mean = diff.mean(axis=0)
    parts: list[tuple[str, str]] = []  # (the signed figure, the words after it)
    kept = [week for week in chosen_weeks if 0 <= week <= weeks]
    for week in kept:
        rest = f" at week {week}"
        if not abs(mean[week]) > half[week]:
            rest += f" (within {noise})"
        parts.append((_points(mean[week]), rest))
    end = programme_end(other.scenario)
    if end is not None and end + YEAR <= weeks and end + YEAR not in kept:
        later = mean[end + YEAR]
        first = mean[kept[0]] if kept else None
        still = "still " if first is not None and np.sign(first) == np.sign(round(later)) != 0 else ""
        # A blame incident or a workload spike is not a programme: say what ended.
        events = all(item.type in EVENTS for item in other.scenario.interventions)
        what = "the event" if events else "the programme"
        rest = f" one year after {what} ended (week {end + YEAR})"
        if abs(later) <= half[end + YEAR]:
            rest += f", within {noise}"
        parts.append((f"{still}{_points(later)}", rest))
    if not parts:
        return f"{other.label} against {reference.label}: no week chosen within the {weeks} weeks."
    said = [figure + (" points of sharing" if n == 0 else "") + rest for n, (figure, rest) in enumerate(parts)]
    return f"{other.label} against {reference.label}: " + ", ".join(said) + "."


def compare(
    choices: list[tuple[str, Scenario]],
    replications: int = 5,
    employees: int | None = None,
    weeks: int | None = None,
    seed: int = 1,
    chosen_weeks: Sequence[int] | None = None,
    progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
    posterior: Posterior | None = None,
) -> Result | None:
    """Run every scenario ``replications`` times; None if cancelled.

    ``employees`` and ``weeks``, when given, apply to every scenario so that
    they are comparable; otherwise each keeps its own and the shortest sets
    the weeks compared. With ``posterior``, replication r of every scenario
    runs with the r-th draw from it as well as seed ``seed + r`` (PosteriorError
    if it holds fewer particles than ``replications``).
    """
    if not 2 <= len(choices) <= MAX_SCENARIOS:
        raise ValueError(f"compare two to {MAX_SCENARIOS} scenarios, not {len(choices)}")
    overrides = {key: int(value) for key, value in (("weeks", weeks), ("employees", employees)) if value is not None}
    prepared = [
        (label, with_overrides(scenario, overrides, source=label) if overrides else scenario)
        for label, scenario in choices
    ]
    horizon = min(scenario.weeks for _, scenario in prepared)
    seeds = [seed + r for r in range(replications)]
    # The draws only: the seeds stay seed, seed + 1, ..., as an experiment keeps its own seeds under [posterior].
    draws = draws_and_seeds(posterior, replications, seed)[0] if posterior is not None else []
    own = [{k: v for k, v in drawn.items() if k not in overrides} for drawn in draws]
    total, done = len(prepared) * replications, 0
    items = []
    for label, scenario in prepared:
        runs = []
        for r, run_seed in enumerate(seeds):
            if cancel is not None and cancel.is_set():
                return None
            drawn = with_overrides(scenario, own[r], source=f"{label}, draw {r + 1}") if own and own[r] else scenario
            runs.append(one_run(drawn, run_seed)[: horizon + 1])
            done += 1
            if progress is not None:
                progress(done / total)
        items.append(Item(label, scenario, np.array(runs)))
    chosen = sorted({w for w in (chosen_weeks or default_weeks(prepared[-1][1], horizon)) if 0 <= w <= horizon})
    result = Result(items, np.arange(horizon + 1), replications, prepared[0][1].organisation.employees, seeds, chosen)
    if posterior is not None:
        result.draws, result.posterior = draws, posterior.source
    noise = "the uncertainty" if posterior is not None else "chance"
    result.sentences = [describe(items[0], item, chosen, horizon, noise) for item in items[1:]]
    return result


def installed_posterior() -> tuple[Posterior | None, str]:
    """The posterior shipped with kshare, or None and the one line saying why there is none."""
    try:
        return load_posterior(), ""
    except PosteriorError as error:
        return None, str(error)


def default_weeks(scenario: Scenario, weeks: int) -> list[int]:
    """Weeks worth comparing at: a year in, and the end of the programme if there is one."""
    chosen = [min(YEAR, weeks)]
    end = programme_end(scenario)
    if end is not None and end <= weeks and end != chosen[0]:
        chosen.append(end)
    return sorted(chosen)


def parse_weeks(text: str, weeks: int) -> list[int]:
    """'52, 104' -> [52, 104], for a run of ``weeks`` weeks; blank -> [] (the default weeks).

    ValueError naming every entry that is not a week of the run and the range
    allowed: a week silently dropped would leave the user reading a sentence
    about weeks other than those they asked for.
    """
    parts = [part for part in re.split(r"[,;\s]+", text.strip()) if part]
    chosen, bad = set(), []
    for part in parts:
        if not re.fullmatch(r"[+-]?\d+", part):
            bad.append(f"'{part}' is not a whole number")
        elif int(part) < 0:
            bad.append(f"'{part}' is before week 0")
        elif int(part) > weeks:
            bad.append(f"'{part}' is after the last week ({weeks})")
        else:
            chosen.add(int(part))
    if bad:
        raise ValueError(
            f"Weeks to compare at: {', '.join(bad)}. Enter weeks from 0 to {weeks}, separated by commas, "
            "or leave it blank for the default weeks."
        )
    return sorted(chosen)
