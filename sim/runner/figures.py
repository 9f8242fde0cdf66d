"""The charts of a sweep's report, drawn with matplotlib.

Each chart answers one question a reader brings to a sweep: how do the
scenarios move over time, how large is each effect against the baseline and
how sure, which parameters matter. Colours are Okabe-Ito, readable with any
colour vision; every figure is laid out once and saved in the formats asked.
"""

from __future__ import annotations

import io
import math
import textwrap
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.typing import RcKeyType

from sim.plot import OKABE_ITO, shade_interventions, windows  # importing sim.plot selects the Agg backend
from sim.runner.analysis import Analysis
from sim.runner.effects import point_labels
from sim.runner.wording import PERCENT, axis_label, noun, per_range, scale_of
from sim.scenario import Scenario

#: Okabe-Ito, strongest first and without yellow (too pale for a line on white); the baseline is drawn in black.
LINES = [OKABE_ITO[i] for i in (4, 5, 2, 6, 0, 1)]
BASE, SCENARIO, WINDOW = "#000000", "#0072B2", "#E69F00"
UP, DOWN, UNCLEAR = "#0072B2", "#D55E00", "#888888"
STYLE: dict[RcKeyType, Any] = {
    "font.size": 9,
    "axes.titlesize": 10,
    "svg.fonttype": "none",
    "axes.spines.top": False,
    "axes.spines.right": False,
}
MAX_PANELS = 30
MAX_OVER_TIME = 8
DPI = 120


#: What an over-time chart's caption says of the intervention weeks, by what the chart drew.
SHADED = "Shaded: the weeks the scenario's interventions run."
SHADED_PANELS = "Shaded: the weeks each panel's scenario runs its interventions."
BARS = "Bars along the top: the weeks each scenario's interventions run, in the colour of its line."


def draw(analysis: Analysis, parameters: dict[tuple, Scenario]) -> tuple[dict[str, plt.Figure], dict[str, str]]:
    """Every chart the analysis has data for, by file name, and what each over-time chart shows of the
    intervention weeks, for its caption (a caption must not promise shading the chart does not draw).
    ``parameters`` holds each group's scenario as it ran, for the weeks its interventions run (none: no
    shading)."""
    figures, shading = {}, {}
    with plt.rc_context(STYLE):
        if analysis.summary["week"].nunique() > 1:
            for output in over_time_outputs(analysis):
                name = over_time_name(output)
                figures[name], shading[name] = _over_time(analysis, output, parameters)
        if len(analysis.lead):
            figures["effects"] = _effects_chart(analysis)
        if analysis.indices is not None and len(analysis.indices.table):
            chart = _sobol_chart if analysis.indices.method == "sobol" else _morris_chart
            figures[analysis.indices.method] = chart(analysis.indices.table)
    return figures, shading


def over_time_outputs(analysis: Analysis) -> list[str]:
    """The headline, the outputs the outcomes are taken from, then the rest as listed, up to MAX_OVER_TIME:
    a many-panel figure takes seconds to draw, and every output's numbers are in weekly_summary.csv anyway."""
    behind = [o.removeprefix("final_") for o in analysis.outcomes if o.startswith("final_")]
    ordered = dict.fromkeys([analysis.headline, *behind, *analysis.outputs])
    return [o for o in ordered if o in analysis.outputs][:MAX_OVER_TIME]


def over_time_name(output: str) -> str:
    """The file name (without suffix) of an output's chart over time."""
    safe = "".join(c if c.isalnum() or c in "_-" else "_" for c in output).strip("_")
    return f"over_time_{safe}"


def _label(analysis: Analysis, key: tuple) -> str:
    """A group's name: the scenario, and for a grid point its parameter values."""
    if len(key) == 1:
        return str(key[0])
    return f"{key[0]} ({point_labels(analysis.runs, analysis.factors)[key[1]]})"


def _band(ax, frame: pd.DataFrame, factor: float, colour: str, label: str | None, lw: float = 1.6) -> None:
    ax.fill_between(frame["week"], factor * frame["ci_low"], factor * frame["ci_high"], color=colour, alpha=0.22, lw=0)
    ax.plot(frame["week"], factor * frame["mean"], color=colour, lw=lw, label=label)


def _mark_windows(ax, groups, colours: dict[tuple, str], params: dict[tuple, Scenario], weeks: int) -> str:
    """Show when the interventions of the scenarios on one axes run, and say how, for the caption: shaded
    when they all run in the same weeks, else a bar per scenario along the top in its line's colour (one
    shading per scenario would pile up where their weeks overlap)."""
    shown = [key for key in groups if key in params and windows(params[key], weeks)]
    if not shown:
        return ""
    spans = {tuple((start, end) for start, end, _ in windows(params[key], weeks)) for key in shown}
    if len(spans) == 1:
        shade_interventions(ax, params[shown[0]], weeks)
        return SHADED
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + (high - low) * 0.05 * len(shown))  # room for the bars above the lines
    for row, key in enumerate(shown):
        for start, end, _ in windows(params[key], weeks):
            top = 1 - 0.045 * row
            ax.axvspan(start, end, ymin=top - 0.03, ymax=top, color=colours[key], alpha=0.75, lw=0)
    return BARS


def _over_time(analysis: Analysis, output: str, params: dict[tuple, Scenario]) -> tuple[plt.Figure, str]:
    """Mean and 95 % interval of the mean over time: one axes for a few scenarios, else one panel per
    scenario (and grid point) against the baseline, where fifteen overlapping bands would hide each other.
    Also returns what the chart shows of the intervention weeks, for its caption."""
    data = analysis.summary[analysis.summary["output"] == output]
    groups = {k if isinstance(k, tuple) else (k,): g for k, g in data.groupby(analysis.keys, observed=True, sort=True)}
    factor, weeks = scale_of(output).factor, int(data["week"].max())
    if len(groups) <= 4 and "point" not in analysis.keys:
        fig, ax = plt.subplots(figsize=(9, 4.2), layout="constrained")
        colours = {
            key: BASE if key[0] == analysis.baseline else LINES[number % len(LINES)]
            for number, key in enumerate(groups)
        }
        for key, frame in groups.items():
            _band(ax, frame, factor, colours[key], _label(analysis, key))
        shading = _mark_windows(ax, groups, colours, params, weeks)
        # Outside the axes: lines end wherever the runs take them, and a legend inside would cover some.
        fig.legend(loc="outside upper right", ncols=len(groups), frameon=False)
        _axes(ax, weeks)
        ax.set_xlabel("week")
        ax.set_ylabel(axis_label(output))
        ax.set_title(f"{noun(output)} over time: mean of the runs with its 95 % interval", loc="left")
        return fig, shading
    others = ([k for k in groups if k[0] != analysis.baseline] or list(groups))[:MAX_PANELS]
    cols = min(len(others), 3 if len(others) <= 9 else 4)
    rows = math.ceil(len(others) / cols)
    fig, axes = plt.subplots(
        rows,
        cols,
        figsize=(3.2 * cols, 2.3 * rows + 0.9),
        sharex=True,
        sharey=True,
        layout="constrained",
        squeeze=False,
    )
    shaded = False
    for ax, key in zip(axes.flat, others):
        reference = groups.get((analysis.baseline, *key[1:])) if key[0] != analysis.baseline else None
        for start, end, _ in windows(params[key], weeks) if key in params else []:
            ax.axvspan(start, end, color=WINDOW, alpha=0.13, lw=0)
            shaded = True
        if reference is not None:
            _band(ax, reference, factor, BASE, None, lw=1.1)
        _band(ax, groups[key], factor, SCENARIO, None)
        ax.set_title(textwrap.shorten(_label(analysis, key), 48), loc="left")
        _axes(ax, weeks)
    for ax in axes.flat[len(others) :]:
        ax.set_visible(False)
    fig.supxlabel("week")
    fig.supylabel(axis_label(output))
    handles: list[Artist] = [plt.Line2D([], [], color=BASE, lw=1.1), plt.Line2D([], [], color=SCENARIO, lw=1.6)]
    labels = [f"{analysis.baseline} (mean, 95 % interval)", "scenario (mean, 95 % interval)"]
    if shaded:
        handles.append(plt.Rectangle((0, 0), 1, 1, color=WINDOW, alpha=0.25, lw=0))
        labels.append("weeks its interventions run")
    fig.legend(handles, labels, loc="outside upper center", ncols=len(labels), frameon=False)
    return fig, SHADED_PANELS if shaded else ""


def _axes(ax, weeks: int) -> None:
    ax.set_xlim(0, weeks)
    ax.grid(alpha=0.3, lw=0.5)


def _effects_chart(analysis: Analysis):
    """Dot and 95 % interval per scenario, one panel per measure, scenarios ordered by the first measure."""
    lead = analysis.lead.copy()
    lead["row"] = lead["scenario"].astype(str) + (" (" + lead["point_label"] + ")" if "point_label" in lead else "")
    measures = list(dict.fromkeys(lead["measure"]))
    first = lead[lead["measure"] == measures[0]].sort_values("difference")
    order = list(first["row"]) + [r for r in dict.fromkeys(lead["row"]) if r not in set(first["row"])]
    fig, axes = plt.subplots(
        1,
        len(measures),
        figsize=(1.2 + 2.9 * len(measures), 1.4 + 0.3 * len(order)),
        sharey=True,
        layout="constrained",
        squeeze=False,
    )
    positions = {row: number for number, row in enumerate(order)}
    for ax, measure in zip(axes.flat, measures):
        rows = lead[lead["measure"] == measure]
        scale = scale_of(rows["output"].iloc[0])
        for row in rows.itertuples():
            low, mid, high = (scale.factor * v for v in (row.ci_low, row.difference, row.ci_high))
            colour, marker = (UP, "o") if low > 0 else (DOWN, "s") if high < 0 else (UNCLEAR, "D")
            ax.errorbar(
                mid,
                positions[row.row],
                xerr=[[mid - low], [high - mid]],
                fmt=marker,
                color=colour,
                ms=4.5,
                lw=1.4,
                capsize=2,
            )
        ax.axvline(0, color="#444444", lw=0.8)
        ax.set_title("\n".join(textwrap.wrap(rows["label"].iloc[0], 30)), loc="left")
        ax.set_xlabel(
            f"difference from {analysis.baseline}\n({'percentage points' if scale is PERCENT else scale.axis})"
        )
        ax.grid(axis="x", alpha=0.3, lw=0.5)
    axes.flat[0].set_yticks(range(len(order)), order)
    axes.flat[0].set_ylim(-0.7, len(order) - 0.3)
    return fig


def _panels(table: pd.DataFrame, width: float, height: float):
    keys = list(dict.fromkeys(zip(table["scenario"], table["outcome"])))
    scenarios = list(dict.fromkeys(table["scenario"]))
    cols = len(keys) // len(scenarios)
    fig, axes = plt.subplots(
        len(scenarios), cols, figsize=(width * cols, height * len(scenarios)), layout="constrained", squeeze=False
    )
    return fig, list(zip(axes.flat, keys))


def _sobol_chart(table: pd.DataFrame):
    """First-order (alone) and total (with interactions) indices side by side, with bootstrap intervals."""
    names = list(dict.fromkeys(table["parameter"]))
    fig, panels = _panels(table, 4.2, max(2.6, 0.9 + 0.36 * len(names)))
    for ax, (scenario, outcome) in panels:
        rows = table[(table["scenario"] == scenario) & (table["outcome"] == outcome)].set_index("parameter")
        rows = rows.reindex(names[::-1])
        y = np.arange(len(names))
        for shift, kind, colour in ((0.19, "S1", OKABE_ITO[0]), (-0.19, "ST", OKABE_ITO[4])):
            ax.barh(
                y + shift,
                rows[kind],
                height=0.36,
                xerr=rows[f"{kind}_conf"],
                color=colour,
                error_kw={"lw": 0.9, "capsize": 1.5},
                label={"S1": "first order (S1)", "ST": "total (ST)"}[kind],
            )
        ax.set_yticks(y, rows.index)
        ax.axvline(0, color="#444444", lw=0.8)
        low = float((rows["S1"] - rows["S1_conf"]).min())
        high = float(np.nanmax([(rows[k] + rows[f"{k}_conf"]).max() for k in ("S1", "ST")]))
        ax.set_xlim(min(0.0, low) - 0.02, min(max(1.0, high) + 0.02, 1.5))
        ax.set_xlabel("Sobol index\n(share of the outcome's variance)")
        ax.set_title(f"{noun(outcome)}" + (f"\n{scenario}" if table["scenario"].nunique() > 1 else ""), loc="left")
        ax.grid(axis="x", alpha=0.3, lw=0.5)
    fig.legend(*panels[0][0].get_legend_handles_labels(), loc="outside upper right", ncols=2, frameon=False)
    return fig


def _morris_chart(table: pd.DataFrame):
    """μ* (how much) with its interval, and σ (how unevenly: interactions, non-linearity), one row per parameter
    ordered by μ*, so that every parameter is named: a scatter of μ* against σ left half its points unlabelled
    where they crowded near the origin."""
    names = list(dict.fromkeys(table["parameter"]))
    fig, panels = _panels(table, 4.6, max(2.6, 1.1 + 0.3 * len(names)))
    for ax, (scenario, outcome) in panels:
        rows = table[(table["scenario"] == scenario) & (table["outcome"] == outcome)].sort_values("mu_star")
        factor = scale_of(outcome).factor
        mu, sigma, err = (factor * rows[c].to_numpy(float) for c in ("mu_star", "sigma", "mu_star_conf"))
        y = np.arange(len(rows))
        ax.errorbar(mu, y, xerr=err, fmt="o", color=OKABE_ITO[4], ecolor="#88A9C9", ms=5, lw=1.2, capsize=2,
                    label="μ*: mean |elementary effect|, 95 % interval")  # fmt: skip
        ax.plot(sigma, y, "D", mfc="none", mec=OKABE_ITO[5], ms=5, mew=1.2, ls="none", label="σ of the effects")
        ax.set_yticks(y, rows["parameter"])
        ax.set_ylim(-0.6, len(rows) - 0.4)
        right = float(np.nanmax(np.concatenate([mu + err, sigma]))) * 1.08 or 1.0
        ax.set_xlim(-0.02 * right, right)  # a point at zero is drawn whole
        ax.set_xlabel(f"effect ({per_range(outcome)})")  # the title names the outcome
        ax.set_title(f"{noun(outcome)}" + (f"\n{scenario}" if table["scenario"].nunique() > 1 else ""), loc="left")
        ax.grid(axis="x", alpha=0.3, lw=0.5)
    columns = len({outcome for _, (_, outcome) in panels})
    fig.legend(
        *panels[0][0].get_legend_handles_labels(), loc="outside upper left", ncols=min(2, columns), frameon=False
    )
    return fig


def save(fig: plt.Figure, stem: Path, formats) -> bytes:
    """Write the figure in each format; return it as PNG bytes for embedding (the PNG file's, when written)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, dpi=DPI, format="png")
    fig.set_layout_engine("none")  # laid out once: the other formats reuse it (half the time of a many-panel figure)
    png = buffer.getvalue()
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        if fmt == "png":
            path.write_bytes(png)
        else:
            fig.savefig(path, dpi=DPI, format=fmt)
    plt.close(fig)
    return png
