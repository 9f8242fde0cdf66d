"""A sweep made readable: tables (CSV, Markdown), figures (PNG, SVG) and one self-contained HTML report.

The HTML file embeds its figures and styles and refers to nothing outside
itself, so it can be mailed, archived or opened offline years later and still
show what the sweep found. The numbers come from ``sim.runner.analysis``;
this module only reads the folder, draws and writes.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from sim.plot import OKABE_ITO, shade_interventions, windows  # importing sim.plot selects the Agg backend
from sim.runner import results
from sim.runner.analysis import (
    PERCENT,
    Analysis,
    analyse_sweep,
    axis_label,
    decimals,
    noun,
    point_labels,
    ranking,
    signed,
    unit,
)
from sim.runner.outcomes import programme_weeks
from sim.runner.sweep import RUNS
from sim.scenario import Scenario

FORMATS = ("png", "svg", "pdf")
#: Okabe-Ito, strongest first and without yellow (too pale for a line on white); the baseline is drawn in black.
LINES = [OKABE_ITO[i] for i in (4, 5, 2, 6, 0, 1)]
BASE, SCENARIO, WINDOW = "#000000", "#0072B2", "#E69F00"
UP, DOWN, UNCLEAR = "#0072B2", "#D55E00", "#888888"
STYLE = {
    "font.size": 9,
    "axes.titlesize": 10,
    "svg.fonttype": "none",
    "axes.spines.top": False,
    "axes.spines.right": False,
}
MAX_PANELS = 30
MAX_OVER_TIME = 8
DPI = 120
MAX_HTML_ROWS = 60


class AnalysisError(Exception):
    """A folder that cannot be analysed, and what is missing from it."""


# ---------------------------------------------------------------- reading
def load(out: str | Path) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """The manifest, one row per planned run, and the weekly rows of the finished runs."""
    out = Path(out)
    if not out.is_dir():
        raise AnalysisError(f"{out}: no such folder")
    try:
        info = results.manifest(out)
    except FileNotFoundError as error:
        raise AnalysisError(f"{error}; point kshare analyse at the folder given to kshare sweep --out") from None
    except json.JSONDecodeError as error:
        raise AnalysisError(f"{out}/manifest.json is not valid JSON ({error}); was it cut short?") from None
    runs = results.runs(out)
    done = runs.loc[runs["status"] == "done", "run_id"]
    if done.empty:
        raise AnalysisError(
            f"{out}: none of the {len(runs)} planned runs has finished yet "
            f"(no files in {out / RUNS}); nothing to analyse"
        )
    weekly = results.weekly(out, columns=info["experiment"]["outputs"]["columns"])
    return info, runs, weekly[weekly["run_id"].isin(set(done))]


def build(out: str | Path, weeks: list[int] | None = None) -> Analysis:
    info, runs, weekly = load(out)
    return analyse_sweep(info, runs, weekly, weeks, _windows(Path(out), runs))


def _first_parameters(out: Path, runs: pd.DataFrame, keys: list[str]) -> dict[tuple, Scenario]:
    """Each group's scenario as it ran, from the provenance in its first finished run's file."""
    found = {}
    done = runs[runs["status"] == "done"]
    for key, group in done.groupby(keys, observed=True, sort=False):
        meta = pq.read_schema(out / RUNS / f"{group['run_id'].iloc[0]}.parquet").metadata[b"kshare"]
        found[key if isinstance(key, tuple) else (key,)] = Scenario.model_validate(json.loads(meta)["parameters"])
    return found


def _windows(out: Path, runs: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Each scenario's programme window (first start to last end), where it has one."""
    windows = {}
    for (label,), scenario in _first_parameters(out, runs, ["scenario"]).items():
        window = programme_weeks(scenario, scenario.weeks)
        if window is not None:
            windows[label] = window
    return windows


def _parameters(out: Path, analysis: Analysis) -> dict[tuple, Scenario]:
    """Each group's scenario as it ran (from its first run's file), for its intervention windows."""
    vary = analysis.info["experiment"]["vary"]
    if "point" not in analysis.keys and any(name.startswith("interventions.") for name in vary):
        return {}  # the windows differ from point to point: no one window to show
    return _first_parameters(out, analysis.runs, analysis.keys)


# ---------------------------------------------------------------- writing
def analyse(
    out: str | Path, report_dir: str | Path | None = None, formats=("png", "svg"), weeks: list[int] | None = None
) -> Path:
    """Analyse the sweep in ``out`` and write the report; returns the path of ``report.html``."""
    return write(build(out, weeks), out, report_dir, formats)


def write(analysis: Analysis, out: str | Path, report_dir: str | Path | None = None, formats=("png", "svg")) -> Path:
    out = Path(out)
    folder = Path(report_dir) if report_dir else out / "report"
    folder.mkdir(parents=True, exist_ok=True)
    check_formats(formats)
    tables = _tables(analysis)
    written = []
    for name, (full, shown) in tables.items():
        full.to_csv(folder / f"{name}.csv", index=False)
        written.append(f"{name}.csv")
        if shown is not None:
            (folder / f"{name}.md").write_text(shown.to_markdown(index=False) + "\n", encoding="utf-8")
            written.append(f"{name}.md")
    figures = {name: _save(fig, folder / name, formats) for name, fig in _figures(analysis, out).items()}
    written += [f"{name}.{fmt}" for name in figures for fmt in formats]
    page = folder / "report.html"
    page.write_text(_html(analysis, out, folder, tables, figures, sorted(written)), encoding="utf-8")
    return page


def check_formats(formats) -> None:
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise AnalysisError(f"unknown figure format(s) {', '.join(sorted(unknown))}; choose from {', '.join(FORMATS)}")


def _save(fig, stem: Path, formats) -> bytes:
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


# ----------------------------------------------------------------- tables
def _tables(analysis: Analysis) -> dict[str, tuple[pd.DataFrame, pd.DataFrame | None]]:
    """Each table twice: full precision for CSV, rounded with units for people (Markdown, HTML).
    The weekly summary is CSV only: one row per week is for programs, not for reading."""
    weeks = [w.used for w in analysis.weeks]
    at = analysis.summary[analysis.summary["week"].isin(weeks)]
    tables = {
        "weekly_summary": (analysis.summary, None),
        "at_weeks": (at, _shown_summary(at, "output", ["week"])),
        "outcomes": (
            analysis.outcome_summary,
            _wide(analysis.outcome_summary, "outcome", lambda r: f"{noun(r.outcome)} ({unit(r.outcome).axis})"),
        ),
        "runs": (analysis.runs, None),
    }
    if len(analysis.effects):
        tables["effects"] = (analysis.effects, _shown_effects(analysis.effects))
    if analysis.indices is not None and len(analysis.indices.table):
        shown = _shown_sobol if analysis.indices.method == "sobol" else _shown_morris
        tables[analysis.indices.method] = (analysis.indices.table, shown(analysis.indices.table))
        if analysis.indices.second_order is not None:
            second = analysis.indices.second_order
            tables["sobol_second_order"] = (second, second.round(3))
    return tables


def _estimate(name: str, mean: float, low: float = math.nan, high: float = math.nan, sign: bool = False) -> str:
    """'24.6 (23.9 to 25.4)', in the measure's display unit and as precise as its interval."""
    u = unit(name)
    if not np.isfinite(mean):
        return ""
    if not np.isfinite(high - low):
        return f"{u.scale * mean:.4g}"
    places = max(decimals(u.scale * (high - low) / 2), 1 if u is PERCENT else 0)
    text = (lambda v: signed(v, places)) if sign else (lambda v: f"{v:.{places}f}")
    return f"{text(u.scale * mean)} ({text(u.scale * low)} to {text(u.scale * high)})"


_STATS = ("n", "mean", "sd", "ci_low", "ci_high")


def _shown_summary(frame: pd.DataFrame, name: str, extra: list[str] = ()) -> pd.DataFrame:
    ids = [c for c in frame.columns if c not in (name, *_STATS, *extra)]
    return pd.DataFrame(
        {
            **{c: frame[c].astype(str) for c in ids},
            **{c: frame[c] for c in extra},
            name: [noun(v) for v in frame[name]],
            "n": frame["n"],
            "mean (95 % CI)": [
                _estimate(*row) for row in frame[[name, "mean", "ci_low", "ci_high"]].itertuples(index=False)
            ],
            "unit": [unit(v).axis for v in frame[name]],
        }
    )


def _wide(frame: pd.DataFrame, name: str, heading) -> pd.DataFrame:
    """One row per group and one column per measure, each cell 'mean (95 % CI)': how people compare."""
    ids = [c for c in frame.columns if c not in (name, *_STATS, "week")]
    cells = frame.assign(
        heading=[heading(row) for row in frame.itertuples()],
        cell=[_estimate(*row) for row in frame[[name, "mean", "ci_low", "ci_high"]].itertuples(index=False)],
    )
    wide = cells.pivot_table(index=ids, columns="heading", values="cell", aggfunc="first", observed=True, sort=False)
    wide = wide[list(dict.fromkeys(cells["heading"]))]
    runs = cells.groupby(ids, observed=True, sort=False)["n"].max().rename("runs")
    return pd.concat([runs, wide.fillna("")], axis=1).reset_index()


def _shown_effects(frame: pd.DataFrame) -> pd.DataFrame:
    ids = {"scenario": "scenario", "point_label": "point"}
    return pd.DataFrame(
        {
            **{shown: frame[c].astype(str) for c, shown in ids.items() if c in frame.columns},
            "measure": frame["label"],
            "comparison": frame["method"],
            "n": frame["n"],
            "baseline": [_estimate(o, m) for o, m in zip(frame["output"], frame["mean_baseline"])],
            "scenario mean": [_estimate(o, m) for o, m in zip(frame["output"], frame["mean"])],
            "difference (95 % CI)": [
                _estimate(*row, sign=True)
                for row in frame[["output", "difference", "ci_low", "ci_high"]].itertuples(index=False)
            ],
            "effect size": [
                f"{kind} = {size:.2f}" if np.isfinite(size) else ""
                for kind, size in zip(frame["effect_size_kind"], frame["effect_size"])
            ],
            "unit": [unit(o).axis for o in frame["output"]],
        }
    )


def _pm(value: float, conf: float, scale: float = 1.0, places: int = 3) -> str:
    return f"{scale * value:.{places}f} ± {scale * conf:.{places}f}"


def _shown_sobol(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "scenario": frame["scenario"],
            "outcome": [noun(o) for o in frame["outcome"]],
            "parameter": frame["parameter"],
            "S1 (± 95 % conf.)": [_pm(v, c) for v, c in zip(frame["S1"], frame["S1_conf"])],
            "ST (± 95 % conf.)": [_pm(v, c) for v, c in zip(frame["ST"], frame["ST_conf"])],
        }
    )


def _shown_morris(frame: pd.DataFrame) -> pd.DataFrame:
    scales = [unit(o).scale for o in frame["outcome"]]
    return pd.DataFrame(
        {
            "scenario": frame["scenario"],
            "outcome": [noun(o) for o in frame["outcome"]],
            "parameter": frame["parameter"],
            "mu* (± 95 % conf.)": [_pm(v, c, s) for v, c, s in zip(frame["mu_star"], frame["mu_star_conf"], scales)],
            "sigma": [f"{s * v:.3f}" for v, s in zip(frame["sigma"], scales)],
            "unit": [_per_range(o) for o in frame["outcome"]],
        }
    )


def _per_range(outcome: str) -> str:
    """Morris effects are changes over a parameter's whole range, in the outcome's unit."""
    u = unit(outcome)
    if u is PERCENT:
        return "points per parameter range"
    return "per parameter range" if u.axis.startswith("0-1") else f"{u.axis} per parameter range"


# ---------------------------------------------------------------- figures
def _figures(analysis: Analysis, out: Path) -> dict:
    figures = {}
    with plt.rc_context(STYLE):
        if analysis.summary["week"].nunique() > 1:
            params = _parameters(out, analysis)
            for output in _over_time_outputs(analysis):
                figures[f"over_time_{_safe(output)}"] = _over_time(analysis, output, params)
        if len(analysis.lead):
            figures["effects"] = _effects_chart(analysis)
        if analysis.indices is not None and len(analysis.indices.table):
            draw = _sobol_chart if analysis.indices.method == "sobol" else _morris_chart
            figures[analysis.indices.method] = draw(analysis.indices.table)
    return figures


def _over_time_outputs(analysis: Analysis) -> list[str]:
    """The headline, the outputs the outcomes are taken from, then the rest as listed, up to MAX_OVER_TIME:
    a many-panel figure takes seconds to draw, and every output's numbers are in weekly_summary.csv anyway."""
    behind = [o.removeprefix("final_") for o in analysis.outcomes if o.startswith("final_")]
    ordered = dict.fromkeys([analysis.headline, *behind, *analysis.outputs])
    return [o for o in ordered if o in analysis.outputs][:MAX_OVER_TIME]


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "_-" else "_" for c in name).strip("_")


def _label(analysis: Analysis, key: tuple) -> str:
    """A group's name: the scenario, and for a grid point its parameter values."""
    if len(key) == 1:
        return str(key[0])
    return f"{key[0]} ({point_labels(analysis.runs, analysis.factors)[key[1]]})"


def _band(ax, frame: pd.DataFrame, scale: float, colour: str, label: str | None, lw: float = 1.6) -> None:
    ax.fill_between(frame["week"], scale * frame["ci_low"], scale * frame["ci_high"], color=colour, alpha=0.22, lw=0)
    ax.plot(frame["week"], scale * frame["mean"], color=colour, lw=lw, label=label)


def _over_time(analysis: Analysis, output: str, params: dict):
    """Mean and 95 % interval of the mean over time: one axes for a few scenarios, else one panel per
    scenario (and grid point) against the baseline, where fifteen overlapping bands would hide each other."""
    data = analysis.summary[analysis.summary["output"] == output]
    groups = {k if isinstance(k, tuple) else (k,): g for k, g in data.groupby(analysis.keys, observed=True, sort=True)}
    scale, weeks = unit(output).scale, int(data["week"].max())
    if len(groups) <= 4 and "point" not in analysis.keys:
        fig, ax = plt.subplots(figsize=(9, 4.2), layout="constrained")
        for number, (key, frame) in enumerate(groups.items()):
            is_base = key[0] == analysis.baseline
            _band(ax, frame, scale, BASE if is_base else LINES[number % len(LINES)], _label(analysis, key))
        if len(groups) == 1 and next(iter(groups)) in params:
            shade_interventions(ax, params[next(iter(groups))], weeks)
        # Outside the axes: lines end wherever the runs take them, and a legend inside would cover some.
        fig.legend(loc="outside upper right", ncols=len(groups), frameon=False)
        _axes(ax, weeks)
        ax.set_xlabel("week")
        ax.set_ylabel(axis_label(output))
        ax.set_title(f"{noun(output)} over time: mean of the runs with its 95 % interval", loc="left")
        return fig
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
    for ax, key in zip(axes.flat, others):
        reference = groups.get((analysis.baseline, *key[1:])) if key[0] != analysis.baseline else None
        for start, end, _ in windows(params[key], weeks) if key in params else []:
            ax.axvspan(start, end, color=WINDOW, alpha=0.13, lw=0)
        if reference is not None:
            _band(ax, reference, scale, BASE, None, lw=1.1)
        _band(ax, groups[key], scale, SCENARIO, None)
        ax.set_title(textwrap.shorten(_label(analysis, key), 48), loc="left")
        _axes(ax, weeks)
    for ax in axes.flat[len(others) :]:
        ax.set_visible(False)
    fig.supxlabel("week")
    fig.supylabel(axis_label(output))
    handles = [
        plt.Line2D([], [], color=BASE, lw=1.1),
        plt.Line2D([], [], color=SCENARIO, lw=1.6),
        plt.Rectangle((0, 0), 1, 1, color=WINDOW, alpha=0.25, lw=0),
    ]
    fig.legend(
        handles,
        [f"{analysis.baseline} (mean, 95 % interval)", "scenario (mean, 95 % interval)", "weeks its interventions run"],
        loc="outside upper center",
        ncols=3,
        frameon=False,
    )
    return fig


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
        u = unit(rows["output"].iloc[0])
        for row in rows.itertuples():
            low, mid, high = (u.scale * v for v in (row.ci_low, row.difference, row.ci_high))
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
        ax.set_xlabel(f"difference from {analysis.baseline}\n({'percentage points' if u is PERCENT else u.axis})")
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
    """mu* (how much) against sigma (how unevenly: interactions, non-linearity), per outcome."""
    fig, panels = _panels(table, 4.4, 3.8)
    for ax, (scenario, outcome) in panels:
        rows = table[(table["scenario"] == scenario) & (table["outcome"] == outcome)]
        scale = unit(outcome).scale
        x, y, err = (scale * rows[c].to_numpy(float) for c in ("mu_star", "sigma", "mu_star_conf"))
        right, top = float(np.nanmax(x + err)) * 1.08, float(np.nanmax(y)) * 1.3
        ax.plot([0, right], [0, right], color="#888888", lw=0.8, ls="--", label="σ = μ*")
        ax.errorbar(x, y, xerr=err, fmt="o", color=OKABE_ITO[4], ecolor="#88A9C9", ms=4, lw=0.9, capsize=1.5)
        _label_points(ax, rows["parameter"].tolist(), x, y, (right, top))
        ax.set_xlim(0, right)
        ax.set_ylim(0, top)
        ax.set_xlabel(f"μ*: mean |elementary effect|\n({_per_range(outcome)})")
        ax.set_ylabel(f"σ of the effects ({_per_range(outcome)})")
        ax.set_title(f"{noun(outcome)}" + (f"\n{scenario}" if table["scenario"].nunique() > 1 else ""), loc="left")
        ax.legend(loc="upper left", frameon=False, fontsize=8)
        ax.grid(alpha=0.3, lw=0.5)
    return fig


def _label_points(ax, names: list[str], x: np.ndarray, y: np.ndarray, size: tuple[float, float]) -> None:
    """Name the most influential points, skipping any whose label would run into one already placed."""
    fx, fy = x / size[0], y / size[1]  # as fractions of the axes, where label sizes are known
    placed: list[int] = []
    for index in np.argsort(-x):
        if len(placed) == 8 or any(abs(fx[index] - fx[i]) < 0.22 and abs(fy[index] - fy[i]) < 0.06 for i in placed):
            continue
        placed.append(index)
        right = fx[index] > 0.7
        ax.annotate(
            names[index],
            (x[index], y[index]),
            xytext=(-4 if right else 4, 3),
            textcoords="offset points",
            fontsize=7.5,
            ha="right" if right else "left",
        )


# ------------------------------------------------------------------- HTML
CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 2rem auto;
       max-width: 1180px; padding: 0 1.2rem; color: #1d1d1d; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
.lede { font-size: 1.08rem; color: #333; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.15rem 1rem; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
.note { background: #fff6e0; border-left: 4px solid #E69F00; padding: 0.5rem 0.8rem; margin: 0.5rem 0; }
ul.effects li { margin: 0.1rem 0; } .up { color: #005a8c; } .down { color: #a33c00; } .unclear { color: #555; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9rem; color: #444; }
table.t { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; }
table.t th, table.t td { border-bottom: 1px solid #e3e3e3; padding: 0.2rem 0.55rem; text-align: left; }
table.t th { background: #f3f3f3; }
pre { background: #f6f6f6; padding: 0.8rem; overflow-x: auto; font-size: 0.85rem; }
details summary { cursor: pointer; font-weight: 600; margin: 0.6rem 0; }
"""


def _html(
    analysis: Analysis, out: Path, folder: Path, tables: dict, figures: dict[str, bytes], files: list[str]
) -> str:
    spec = analysis.info["experiment"]
    parts = [f"<h1>{_e(spec['name'])}</h1>", f"<p class='lede'>{_e(spec['description'])}</p>", _facts(analysis, out)]
    parts += [f"<p class='note'>{_e(note)}</p>" for note in analysis.notes]
    parts += _effects_section(analysis, tables, figures)
    parts += _time_section(analysis, figures)
    parts += _sensitivity_section(analysis, tables, figures)
    parts += [
        "<h2>Outcomes</h2>",
        (
            f"<p>One number per run ({', '.join(_e(noun(o)) for o in analysis.outcomes)}), averaged over the runs "
            f"{'at each design point' if 'point' in tables['outcomes'][0].columns else 'of each scenario'}.</p>"
        ),
        _table(tables["outcomes"][1]),
    ]
    if analysis.weeks:
        at = tables["at_weeks"][0]
        headline = _wide(at[at["output"] == analysis.headline], "output", lambda r: f"week {r.week}")
        parts += [
            (
                f"<h2>{_e(noun(analysis.headline)).capitalize()} at weeks "
                f"{', '.join(str(w.used) for w in analysis.weeks)} ({_e(unit(analysis.headline).axis)})</h2>"
            ),
            _table(headline),
            ("<p>Every kept output at these weeks is in <code>at_weeks.csv</code> and <code>at_weeks.md</code>.</p>"),
        ]
    parts += _files_section(folder, files) + _reading_section(out)
    body = "\n".join(parts)
    return (
        f"<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n<title>{_e(spec['name'])}: kshare "
        f"sweep report</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _e(text) -> str:
    return html.escape(str(text))


def _facts(analysis: Analysis, out: Path) -> str:
    info, spec, runs = analysis.info, analysis.info["experiment"], analysis.runs
    counts = runs["status"].value_counts()
    versions = ", ".join(f"{k} {v}" for k, v in info.get("versions", {}).items())
    design = spec["design"]["method"] + (f" over {', '.join(analysis.factors)}" if analysis.factors else "")
    facts = {
        "Runs": f"{counts.get('done', 0)} of {len(runs)} done, {counts.get('failed', 0)} failed, "
        f"{counts.get('pending', 0)} not run (sweep status: {info.get('status', 'unknown')})",
        "Design": f"{len(info['scenarios'])} scenario(s) × {runs['point'].nunique()} point(s) × "
        f"{spec['replications']} replication(s); {design}",
        "Seeds": "common random numbers: replication r has the same seed in every scenario and point"
        if spec["common_random_numbers"]
        else "independent seeds for every run",
        "Baseline": analysis.baseline,
        "Engine": info.get("engine", "unknown"),
        "Versions": versions,
        "Made": (
            f"{info.get('created', '?')} to {info.get('updated', '?')} by <code>{_e(info.get('command', ''))}</code>"
        ),
        "Folder": f"<code>{_e(out.resolve())}</code>",
    }
    items = "".join(f"<dt>{k}</dt><dd>{v if k in ('Made', 'Folder') else _e(v)}</dd>" for k, v in facts.items())
    return f"<dl class='facts'>{items}</dl>"


def _effects_section(analysis: Analysis, tables: dict, figures: dict) -> list[str]:
    lead = analysis.lead
    if not len(lead):
        return []
    parts = [
        f"<h2>Effects against {_e(analysis.baseline)}</h2>",
        f"<p>Differences of the mean with their 95 % intervals; {_e(_how_compared(lead))}</p>",
    ]
    for scenario, rows in lead.groupby(
        pd.Categorical(lead["scenario"], list(analysis.info["scenarios"])), observed=True, sort=True
    ):
        items = "".join(
            f"<li class='{_direction(r)}'>{_e(r.sentence.split(': ', 1)[1])}</li>" for r in rows.itertuples()
        )
        parts.append(f"<h3>{_e(scenario)}</h3><ul class='effects'>{items}</ul>")
    parts.append(
        _figure(
            figures.get("effects"),
            "Effects against the baseline: dot = difference of means, line = "
            "95 % interval. Blue circles: clearly above; vermillion squares: "
            "clearly below; grey diamonds: interval includes zero.",
        )
    )
    parts += [
        "<details><summary>Effects table</summary>",
        _table(_shown_effects(lead)),
        (
            "<p>All kept outputs at the analysis weeks, with standardised effect sizes, are in "
            "<code>effects.csv</code> and <code>effects.md</code>.</p></details>"
        ),
    ]
    return parts


def _how_compared(lead: pd.DataFrame) -> str:
    methods = set(lead["method"])
    if methods == {"paired"}:
        return (
            "paired by replication (common random numbers: the same seed, so the same organisation, in both "
            "runs); effect sizes are d_z, the mean difference over the sd of the differences."
        )
    if methods == {"Welch"}:
        return "runs are not paired (different seeds): Welch's interval; effect sizes are Cohen's d (pooled sd)."
    return (
        "paired by replication where the seeds match (effect size d_z), else Welch's interval (Cohen's d); "
        "the effects table says which."
    )


def _direction(row) -> str:
    return "up" if row.ci_low > 0 else "down" if row.ci_high < 0 else "unclear"


def _time_section(analysis: Analysis, figures: dict) -> list[str]:
    names = [n for n in figures if n.startswith("over_time_")]
    if not names:
        return []
    caption = (
        "Mean over the runs with its 95 % interval (the uncertainty of the mean, not the spread of single "
        "runs). Shaded: weeks the scenario's interventions run."
    )
    drawn = _over_time_outputs(analysis)
    parts = ["<h2>Over time</h2>", _figure(figures[names[0]], caption)]
    for output in drawn[1:]:
        parts += [
            f"<details><summary>{_e(noun(output))}</summary>",
            _figure(figures[f"over_time_{_safe(output)}"], caption),
            "</details>",
        ]
    rest = [o for o in analysis.outputs if o not in drawn]
    if rest:
        parts.append(
            f"<p>Not drawn ({', '.join(_e(noun(o)) for o in rest)}): their means and intervals for every "
            "week are in <code>weekly_summary.csv</code>.</p>"
        )
    return parts


def _sensitivity_section(analysis: Analysis, tables: dict, figures: dict) -> list[str]:
    indices = analysis.indices
    if indices is None:
        return []
    title = {"sobol": "Sobol indices", "morris": "Morris screening"}[indices.method]
    parts = [f"<h2>{title}</h2>", *(f"<p class='note'>{_e(n)}</p>" for n in indices.notes)]
    if len(indices.table):
        parts.append(f"<ul>{''.join(f'<li>{_e(line)}</li>' for line in ranking(indices))}</ul>")
    if indices.method in figures:
        caption = (
            "S1: the share of the outcome's variance a parameter explains alone; ST: with all its "
            "interactions. Lines: 95 % bootstrap intervals."
            if indices.method == "sobol"
            else "μ*: how much the outcome moves when a parameter moves across its range (mean absolute "
            "elementary effect); σ: how much that movement varies from place to place, a sign of "
            "interactions or non-linearity. Lines: 95 % bootstrap intervals of μ*."
        )
        parts += [_figure(figures[indices.method], caption), _table(tables[indices.method][1])]
    return parts


def _figure(png: bytes | None, caption: str) -> str:
    if png is None:
        return ""
    data = base64.b64encode(png).decode()
    return (
        f"<figure><img alt='{_e(caption)}' src='data:image/png;base64,{data}'>"
        f"<figcaption>{_e(caption)}</figcaption></figure>"
    )


def _table(frame: pd.DataFrame) -> str:
    more = len(frame) - MAX_HTML_ROWS
    shown = frame.head(MAX_HTML_ROWS).to_html(index=False, border=0, classes="t", na_rep="")
    return shown + (f"<p>… and {more} more rows in the CSV and Markdown files.</p>" if more > 0 else "")


def _files_section(folder: Path, files: list[str]) -> list[str]:
    links = ", ".join(f"<a href='{_e(n)}'>{_e(n)}</a>" for n in files)
    return [
        "<h2>Files</h2>",
        (
            f"<p>Next to this report in <code>{_e(folder.resolve())}</code>: {links}. CSV files "
            "hold full precision in stored units (rates as fractions); Markdown and this page round and show "
            "rates in %.</p>"
        ),
    ]


def _reading_section(out: Path) -> list[str]:
    where = out.resolve()
    code = f"""import pyarrow.dataset as ds
weekly = ds.dataset("{where / RUNS}", format="parquet").to_table(
    filter=ds.field("scenario") == "baseline").to_pandas()   # one row per run and kept week

from sim.runner.results import runs
per_run = runs("{where}")   # one row per planned run: factors, seed, status, outcomes

# or, with polars: pl.scan_parquet("{where / RUNS}/*.parquet").filter(pl.col("week") == 52).collect()"""
    return [
        "<h2>Reading the results back</h2>",
        (
            "<p>Each finished run is one Parquet file with the columns <code>run_id, scenario, point, replication, "
            "seed</code>, one column per varied parameter, <code>week</code> and the kept outputs; the folder reads "
            "as one dataset. <code>manifest.json</code> holds the experiment and every planned run with its seed "
            "and the <code>kshare run</code> line that repeats it; <code>runs.jsonl</code> logs each attempt with "
            "its outcomes.</p>"
        ),
        f"<pre><code>{_e(code)}</code></pre>",
    ]
