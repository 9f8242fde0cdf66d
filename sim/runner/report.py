"""A sweep made readable: tables (CSV, Markdown), figures (PNG, SVG) and one self-contained HTML report.

The HTML file embeds its figures and styles and refers to nothing outside
itself, so it can be mailed, archived or opened offline years later and still
show what the sweep found. The numbers come from ``sim.runner.analysis`` and
the charts from ``sim.runner.figures``; this module reads the folder, makes
the tables and writes everything, the page from ``templates/report.html.j2``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from sim.runner import figures as charts
from sim.runner import results
from sim.runner.analysis import Analysis, analyse_sweep
from sim.runner.engines import one_line
from sim.runner.outcomes import programme_weeks
from sim.runner.sensitivity import ranking
from sim.runner.sweep import LOG, RUNS
from sim.runner.wording import estimate, noun, per_range, scale_of
from sim.runner.worker import provenance_of
from sim.scenario import Scenario

FORMATS = ("png", "svg", "pdf")
#: The caption of every chart over time; what it shows of the intervention weeks is added per chart.
OVER_TIME = "Mean over the runs with its 95 % interval (the uncertainty of the mean, not the spread of single runs)."
MAX_HTML_ROWS = 60
PAGES = Environment(
    loader=PackageLoader("sim.runner", "templates"),
    autoescape=select_autoescape(["html", "html.j2"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


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
    if not (isinstance(info, dict) and isinstance(info.get("runs"), list) and isinstance(info.get("experiment"), dict)):
        raise AnalysisError(f"{out}/manifest.json is not a kshare sweep's manifest (not of its shape)")
    checked = results.check_files(out, info)
    if checked.bad:
        shown = "; ".join(f"{name} {why}" for name, why in sorted(checked.bad.items())[:5])
        source = info.get("source", "EXPERIMENT")
        more = f" and {len(checked.bad) - 5} more" if len(checked.bad) > 5 else ""
        raise AnalysisError(
            f"{out / RUNS}: {len(checked.bad)} run file(s) are unreadable or not this sweep's, so the analysis "
            f"would be of the wrong runs: {shown}{more}. `kshare sweep {source} --out {out} --resume` sets them "
            "aside and makes those runs again"
        )
    runs = results.runs(out)
    done = runs.loc[runs["status"] == "done", "run_id"]
    if done.empty:
        raise AnalysisError(
            f"{out}: none of the {len(runs)} planned runs has finished yet "
            f"(no files in {out / RUNS}); nothing to analyse"
        )
    try:
        weekly = results.weekly(out, columns=info["experiment"]["outputs"]["columns"], files=checked.files)
    except (OSError, pa.ArrowException) as error:
        raise AnalysisError(f"{out / RUNS}: a run file could not be read ({one_line(error)})") from None
    return info, runs, weekly


def build(out: str | Path, weeks: list[int] | None = None) -> Analysis:
    info, runs, weekly = load(out)
    analysis = analyse_sweep(info, runs, weekly, weeks, _windows(Path(out), runs))
    if not (Path(out) / LOG).is_file():
        analysis.notes.append(f"{Path(out) / LOG} is missing: each run's outcomes were read from its file.")
    unplanned = results.unplanned_files(out, info)
    if unplanned:
        shown = ", ".join(unplanned[:5]) + (f" and {len(unplanned) - 5} more" if len(unplanned) > 5 else "")
        analysis.notes.append(f"Not analysed: {shown} in {Path(out) / RUNS}, not runs of this sweep.")
    return analysis


def _first_parameters(out: Path, runs: pd.DataFrame, keys: list[str]) -> dict[tuple, Scenario]:
    """Each group's scenario as it ran, from the provenance in its first finished run's file."""
    found = {}
    done = runs[runs["status"] == "done"]
    for key, group in done.groupby(keys, observed=True, sort=False):
        meta = provenance_of(out / RUNS / f"{group['run_id'].iloc[0]}.parquet")
        found[key if isinstance(key, tuple) else (key,)] = Scenario.model_validate(meta["parameters"])
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
    check_formats(formats)
    tables = _tables(analysis)  # before the folder is made: a failure here leaves no empty report folder
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (full, shown) in tables.items():
        full.to_csv(folder / f"{name}.csv", index=False)
        written.append(f"{name}.csv")
        if shown is not None:
            (folder / f"{name}.md").write_text(shown.to_markdown(index=False) + "\n", encoding="utf-8")
            written.append(f"{name}.md")
    drawn, shading = charts.draw(analysis, _parameters(out, analysis))
    figures = {name: charts.save(fig, folder / name, formats) for name, fig in drawn.items()}
    written += [f"{name}.{fmt}" for name in figures for fmt in formats]
    page = folder / "report.html"
    page.write_text(_html(analysis, out, folder, tables, figures, sorted(written), shading), encoding="utf-8")
    return page


def check_formats(formats) -> None:
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise AnalysisError(f"unknown figure format(s) {', '.join(sorted(unknown))}; choose from {', '.join(FORMATS)}")


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
            _wide(analysis.outcome_summary, "outcome", lambda r: f"{noun(r.outcome)} ({scale_of(r.outcome).axis})"),
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


_STATS = ("n", "mean", "sd", "ci_low", "ci_high")


def _shown_summary(frame: pd.DataFrame, name: str, extra: Sequence[str] = ()) -> pd.DataFrame:
    ids = [c for c in frame.columns if c not in (name, *_STATS, *extra)]
    return pd.DataFrame(
        {
            **{c: frame[c].astype(str) for c in ids},
            **{c: frame[c] for c in extra},
            name: [noun(v) for v in frame[name]],
            "n": frame["n"],
            "mean (95 % CI)": [
                estimate(*row) for row in frame[[name, "mean", "ci_low", "ci_high"]].itertuples(index=False)
            ],
            "unit": [scale_of(v).axis for v in frame[name]],
        }
    )


def _wide(frame: pd.DataFrame, name: str, heading) -> pd.DataFrame:
    """One row per group and one column per measure, each cell 'mean (95 % CI)': how people compare."""
    ids = [c for c in frame.columns if c not in (name, *_STATS, "week")]
    cells = frame.assign(
        heading=[heading(row) for row in frame.itertuples()],
        cell=[estimate(*row) for row in frame[[name, "mean", "ci_low", "ci_high"]].itertuples(index=False)],
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
            "baseline": [estimate(o, m) for o, m in zip(frame["output"], frame["mean_baseline"])],
            "scenario mean": [estimate(o, m) for o, m in zip(frame["output"], frame["mean"])],
            "difference (95 % CI)": [
                estimate(o, d, low, high, sign=True)
                for o, d, low, high in zip(frame["output"], frame["difference"], frame["ci_low"], frame["ci_high"])
            ],
            "effect size": [
                f"{kind} = {size:.2f}" if np.isfinite(size) else ""
                for kind, size in zip(frame["effect_size_kind"], frame["effect_size"])
            ],
            "unit": [scale_of(o).axis for o in frame["output"]],
        }
    )


def _pm(value: float, conf: float, factor: float = 1.0, places: int = 3) -> str:
    return f"{factor * value:.{places}f} ± {factor * conf:.{places}f}"


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
    factors = [scale_of(o).factor for o in frame["outcome"]]
    return pd.DataFrame(
        {
            "scenario": frame["scenario"],
            "outcome": [noun(o) for o in frame["outcome"]],
            "parameter": frame["parameter"],
            "mu* (± 95 % conf.)": [_pm(v, c, f) for v, c, f in zip(frame["mu_star"], frame["mu_star_conf"], factors)],
            "sigma": [f"{f * v:.3f}" for v, f in zip(frame["sigma"], factors)],
            "unit": [per_range(o) for o in frame["outcome"]],
        }
    )


# ------------------------------------------------------------------- HTML
def _html(
    analysis: Analysis,
    out: Path,
    folder: Path,
    tables: dict,
    figures: dict[str, bytes],
    files: list[str],
    shading: dict[str, str],
) -> str:
    """The page: what to show is chosen here, how it reads is in ``templates/report.html.j2``."""
    spec, indices, lead = analysis.info["experiment"], analysis.indices, analysis.lead
    pngs = {name: base64.b64encode(png).decode() for name, png in figures.items()}
    drawn = [output for output in charts.over_time_outputs(analysis) if charts.over_time_name(output) in pngs]
    at = tables["at_weeks"][0]
    return PAGES.get_template("report.html.j2").render(
        spec=spec,
        info=analysis.info,
        facts=_facts(analysis),
        notes=analysis.notes,
        out=out.resolve(),
        runs_dir=out.resolve() / RUNS,
        folder=folder.resolve(),
        files=files,
        figures=pngs,
        baseline=analysis.baseline,
        last_week=int(analysis.summary["week"].max()),  # kept by every sweep, however few weeks it keeps
        lead=_lead(analysis) if len(lead) else None,
        methods=sorted(set(lead["method"])) if len(lead) else [],
        effects_table=_table(_shown_effects(lead)) if len(lead) else None,
        over_time=[
            (noun(output), name, f"{OVER_TIME} {shading.get(name, '')}".strip())
            for output in drawn
            for name in [charts.over_time_name(output)]
        ],
        not_drawn=[noun(output) for output in analysis.outputs if output not in drawn] if drawn else [],
        indices=indices,
        ranking=ranking(indices) if indices is not None and len(indices.table) else [],
        indices_table=_table(tables[indices.method][1]) if indices is not None and indices.method in tables else None,
        outcomes=[noun(outcome) for outcome in analysis.outcomes],
        per_point="point" in tables["outcomes"][0].columns,
        outcomes_table=_table(tables["outcomes"][1]),
        headline=noun(analysis.headline),
        headline_axis=scale_of(analysis.headline).axis,
        weeks=", ".join(str(w.used) for w in analysis.weeks),
        headline_table=(
            _table(_wide(at[at["output"] == analysis.headline], "output", lambda r: f"week {r.week}"))
            if analysis.weeks
            else None
        ),
    )


def _facts(analysis: Analysis) -> dict[str, str]:
    """The sweep at a glance (its provenance, command and folder are added by the template)."""
    info, spec, runs = analysis.info, analysis.info["experiment"], analysis.runs
    counts = runs["status"].value_counts()
    design = spec["design"]["method"] + (f" over {', '.join(analysis.factors)}" if analysis.factors else "")
    return {
        "Runs": f"{counts.get('done', 0)} of {len(runs)} done, {counts.get('failed', 0)} failed, "
        f"{counts.get('pending', 0)} not run (sweep status: {info.get('status', 'unknown')})",
        "Design": f"{len(info['scenarios'])} scenario(s) × {runs['point'].nunique()} point(s) × "
        f"{spec['replications']} replication(s); {design}",
        "Seeds": "common random numbers: replication r has the same seed in every scenario and point"
        if spec["common_random_numbers"]
        else "independent seeds for every run",
        "Baseline": analysis.baseline,
        "Engine": info.get("engine", "unknown"),
        "Versions": ", ".join(f"{k} {v}" for k, v in info.get("versions", {}).items()),
    }


def _lead(analysis: Analysis) -> list[tuple[str, list[tuple[str, str]]]]:
    """The lead effects by scenario, in the experiment's order: each as its direction and its sentence."""
    lead = analysis.lead.assign(order=pd.Categorical(analysis.lead["scenario"], list(analysis.info["scenarios"])))
    return [
        (
            str(scenario),
            [
                ("up" if low > 0 else "down" if high < 0 else "unclear", text.split(": ", 1)[1])
                for low, high, text in zip(rows["ci_low"], rows["ci_high"], rows["sentence"])
            ],
        )
        for scenario, rows in lead.groupby("order", observed=True, sort=True)
    ]


def _table(frame: pd.DataFrame) -> dict:
    """A table for the page: its first rows as HTML (shown as is: pandas escapes the cells), and how many
    more rows are only in the files."""
    shown = frame.head(MAX_HTML_ROWS).to_html(index=False, border=0, classes="t", na_rep="")
    return {"html": shown, "more": len(frame) - MAX_HTML_ROWS}
