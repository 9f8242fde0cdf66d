"""The chart a person reads at a glance: sharing over time, with the intervention windows shaded."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from sim.scenario import Scenario

# Okabe-Ito: distinguishable with the common forms of colour blindness.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
ACTIVE, LAPSED, NEVER = "#0072B2", "#E69F00", "#BBBBBB"


def windows(scenario: Scenario, weeks: int) -> list[tuple[int, int, str]]:
    """Distinct intervention windows, each with the names of everything running in it."""
    grouped: dict[tuple[int, int], list[str]] = {}
    for item in scenario.interventions:
        end = weeks if item.end is None else min(item.end, weeks)
        grouped.setdefault((item.start, end), []).append(item.display_name())
    return [(start, end, " + ".join(names)) for (start, end), names in sorted(grouped.items())]


def shade_interventions(ax, scenario: Scenario, weeks: int) -> None:
    """Shade each distinct window once and label it, stacking labels so they never overlap."""
    for number, (start, end, names) in enumerate(windows(scenario, weeks)):
        colour = OKABE_ITO[number % len(OKABE_ITO)]
        ax.axvspan(start, end, color=colour, alpha=0.15, lw=0)
        ax.axvline(start, color=colour, lw=1, ls="--")
        ax.text(
            start + 0.5,
            0.98 - 0.08 * number,
            names,
            transform=ax.get_xaxis_transform(),
            va="top",
            ha="left",
            fontsize=9,
            color="#222222",
            bbox={"facecolor": "white", "edgecolor": colour, "alpha": 0.85, "pad": 2},
        )


def sharing_chart(
    frame: pd.DataFrame,
    scenario: Scenario,
    path: Path,
    seed: int | None,
    runs: int | None = None,
    reference: pd.Series | None = None,
    top_percent: float | None = None,
    band: str = "ensemble",
) -> None:
    """One run's sharing over time; or, with ``runs``, a mean over runs with a band (``sharing_rate_low`` and
    ``sharing_rate_high``): for an ensemble (``band="ensemble"``) the middle 95 % of its runs, for replications
    on consecutive seeds from ``seed`` (``band="replications"``) the 95 % interval of their mean.
    ``reference``, the same organisation and seed without interventions, is drawn beside the run's, as a 4-week
    average for one run and as the mean over the same seeds for replications. ``top_percent`` fixes the sharing
    axis's top, so that charts set side by side compare. A run with seeking (``behaviour.seeking``, its frame has
    ``asking_rate``) has a panel of the weekly asking and answer rates, and its sharing panel splits off the
    sharing done only by answering a request. A barter run draws knowledge instead (``knowledge_chart``)."""
    spread = f"middle 95 % of {runs} runs" if band == "ensemble" else "95 % interval of the mean"
    if scenario.behaviour.decision == "barter":
        knowledge_chart(frame, scenario, path, _who(seed, runs, band), spread if runs is not None else None)
        return
    seeking = "asking_rate" in frame  # a run with seeking (behaviour.seeking): a panel of asking between
    weeks = int(frame["week"].iloc[-1])
    if seeking:
        fig, (top, middle, bottom) = plt.subplots(
            3, 1, figsize=(10, 9.5), sharex=True, height_ratios=[3, 2, 2], layout="constrained"
        )
    else:
        fig, (top, bottom) = plt.subplots(
            2, 1, figsize=(10, 7), sharex=True, height_ratios=[3, 2], layout="constrained"
        )
    highest = _sharing_lines(top, frame, runs, reference, spread)
    if seeking:
        _answers_line(top, frame)
    _sharing_axes(top, frame, scenario, seed, runs, band, top_percent, highest)
    if seeking:  # every legend under its panel, off the lines
        top.legend(loc="upper center", bbox_to_anchor=(0.5, -0.02), ncols=2, frameon=False)
        _asking_panel(middle, frame, scenario, runs)
    else:
        top.legend(loc="upper right", frameon=False)
    _status_panel(bottom, frame, scenario, weeks)
    bottom.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncols=3, frameon=False)
    fig.savefig(path, dpi=120, format="png")
    plt.close(fig)


def _sharing_lines(top, frame: pd.DataFrame, runs: int | None, reference: pd.Series | None, spread: str) -> float:
    """The sharing panel's lines (one run's each week and 4-week average, or the mean over runs and its band, and
    the reference); returns the highest value drawn, as a rate."""
    if runs is None:
        top.plot(frame["week"], 100 * frame["sharing_rate"], color="#000000", lw=1.0, alpha=0.35, label="each week")
        smooth = frame["sharing_rate"].rolling(4, min_periods=1).mean()
        top.plot(frame["week"], 100 * smooth, color=ACTIVE, lw=2.5, label="4-week average")
        if reference is not None:
            alone = 100 * reference.rolling(4, min_periods=1).mean()
            top.plot(frame["week"], alone.to_numpy()[: len(frame)], color="#555555", lw=1.8, ls="--",
                     label="same organisation and seed, no intervention")  # fmt: skip
        return float(frame["sharing_rate"].max())
    low, high = 100 * frame["sharing_rate_low"], 100 * frame["sharing_rate_high"]
    top.fill_between(frame["week"], low, high, color=ACTIVE, alpha=0.25, lw=0, label=spread)
    top.plot(frame["week"], 100 * frame["sharing_rate"], color=ACTIVE, lw=2.5, label=f"mean of {runs} runs")
    if reference is not None:
        top.plot(frame["week"], 100 * reference.to_numpy()[: len(frame)], color="#555555", lw=1.8, ls="--",
                 label="same organisations and seeds, no intervention (mean)")  # fmt: skip
    return float(frame["sharing_rate_high"].max())


def _sharing_axes(
    top, frame, scenario: Scenario, seed, runs, band: str, top_percent: float | None, highest: float
) -> None:
    """The sharing panel's windows, axis, grid and title."""
    weeks = int(frame["week"].iloc[-1])
    who = _who(seed, runs, band)
    shade_interventions(top, scenario, weeks)
    top.set_ylabel("employees sharing this week (%)")
    top.set_ylim(0, top_percent or max(5.0, 100 * highest * 1.25))
    top.grid(alpha=0.3)
    top.set_title(
        f"{scenario.name}: knowledge sharing over {weeks} weeks ({scenario.organisation.employees:,} employees, {who})",
        loc="left",
    )


def _status_panel(bottom, frame: pd.DataFrame, scenario: Scenario, weeks: int) -> None:
    """Who is active, lapsed or has never shared, stacked, with the windows as lines."""
    n = frame[["active", "lapsed", "never_shared"]].sum(axis=1)
    bottom.stackplot(
        frame["week"],
        100 * frame["active"] / n,
        100 * frame["lapsed"] / n,
        100 * frame["never_shared"] / n,
        colors=[ACTIVE, LAPSED, NEVER],
        labels=["active (shared in the last weeks)", "lapsed", "never shared"],
    )
    shade_interventions_lines(bottom, scenario, weeks)
    bottom.set_ylabel("employees (%)")
    bottom.set_xlabel("week")
    bottom.set_ylim(0, 100)
    bottom.set_xlim(0, weeks)


#: The seeking panel's lines: column, label, colour, dash (4-week averages, in %).
SEEKING_LINES = (
    ("asking_rate", "asked a colleague for help (% of employees)", "#009E73", "-"),
    ("answer_rate", "requests answered (% of requests)", "#D55E00", "--"),
)
ANSWERS_COLOUR = "#CC79A7"


def _answers_line(top, frame: pd.DataFrame) -> None:
    """Answers are part of sharing: the part of it done only by answering a request, as a 4-week average."""
    answering = (frame["sharing_rate"] * frame["answers_share"].fillna(0)).rolling(4, min_periods=1).mean()
    top.plot(frame["week"], 100 * answering, color=ANSWERS_COLOUR, lw=2.0, ls=":",
             label="of whom shared only by answering a request (4-week average)")  # fmt: skip


def _asking_panel(ax, frame: pd.DataFrame, scenario: Scenario, runs: int | None) -> None:
    """The weekly asking rate and answer rate, each a 4-week average in %, its legend under it."""
    weeks = int(frame["week"].iloc[-1])
    peak = 0.0
    for column, label, colour, dash in SEEKING_LINES:
        values = 100 * frame[column].rolling(4, min_periods=1).mean()
        ax.plot(frame["week"], values, color=colour, lw=2.2, ls=dash, label=label)
        peak = max(peak, float(values.max()) if values.notna().any() else 0.0)
    shade_interventions_lines(ax, scenario, weeks)
    ax.set_ylabel("asking and answers (%)")
    ax.set_ylim(0, min(100.0, max(5.0, peak * 1.15)))
    ax.grid(alpha=0.3)
    ax.set_title("People asking colleagues for help, 4-week averages" + (" of the mean" if runs else ""),
                 loc="left", fontsize=10)  # fmt: skip
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.02), ncols=2, frameon=False)


def shade_interventions_lines(ax, scenario: Scenario, weeks: int) -> None:
    """Window starts and ends as thin lines, where a shaded band would hide the data."""
    for number, (start, end, _) in enumerate(windows(scenario, weeks)):
        colour = OKABE_ITO[number % len(OKABE_ITO)]
        ax.axvline(start, color=colour, lw=1, ls="--")
        if end < weeks:
            ax.axvline(end, color=colour, lw=1, ls=":")


def _who(seed: int | None, runs: int | None, band: str) -> str:
    """Which runs a chart draws, for its title: a reader must be able to make the same chart again."""
    if runs is None:
        return f"seed {seed}"
    if band == "ensemble":
        return f"{runs} posterior draws"
    if runs == 1 or seed is None:
        return f"seed {seed}" if runs == 1 else f"{runs} replications"
    return f"{runs} replications, seeds {seed}–{seed + runs - 1}"


def knowledge_chart(frame: pd.DataFrame, scenario: Scenario, path: Path, who: str, spread: str | None = None) -> None:
    """A barter run's result is knowledge, not sharing (Cowan & Jonard 2004): its mean and its spread over time.

    Every agent trades whenever a pair can, so a "sharing rate" there is a share of traders, not of people who
    chose to share; the chart draws what the paper reports instead. Over runs, ``spread`` names the band.
    """
    weeks = int(frame["week"].iloc[-1])
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), sharex=True, layout="constrained")
    for ax, column, colour in ((top, "knowledge_mean", ACTIVE), (bottom, "knowledge_cv", LAPSED)):
        if spread is not None:  # over runs: the band as well
            low, high = frame[f"{column}_low"], frame[f"{column}_high"]
            ax.fill_between(frame["week"], low, high, color=colour, alpha=0.25, lw=0, label=spread)
        ax.plot(frame["week"], frame[column], color=colour, lw=2.5, label="mean of the runs")
        if spread is not None:
            ax.legend(loc="best", frameon=False)
    top.set_ylabel("mean knowledge")
    top.grid(alpha=0.3)
    top.set_title(
        f"{scenario.name}: knowledge over {weeks} weeks of barter ({scenario.organisation.employees:,} agents, {who})",
        loc="left",
    )
    bottom.set_ylabel("coefficient of variation")
    bottom.set_xlabel("week")
    bottom.set_xlim(0, weeks)
    bottom.grid(alpha=0.3)
    fig.savefig(path, dpi=120, format="png")
    plt.close(fig)
