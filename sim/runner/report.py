"""A sweep made readable: tables (CSV, Markdown), figures (PNG, SVG) and one self-contained HTML report.

The HTML file embeds its figures and styles and refers to nothing outside
itself, so it can be mailed, archived or opened offline years later and still
show what the sweep found. The numbers come from ``sim.runner.analysis`` and
the charts from ``sim.runner.figures``; this module reads the folder, makes
the tables and writes everything.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from sim.runner import figures as charts
from sim.runner import results
from sim.runner.analysis import Analysis, analyse_sweep
from sim.runner.outcomes import programme_weeks
from sim.runner.sensitivity import ranking
from sim.runner.sweep import RUNS
from sim.runner.wording import estimate, noun, per_range, scale_of
from sim.scenario import Scenario

FORMATS = ("png", "svg", "pdf")
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
    drawn = charts.draw(analysis, _parameters(out, analysis))
    figures = {name: charts.save(fig, folder / name, formats) for name, fig in drawn.items()}
    written += [f"{name}.{fmt}" for name in figures for fmt in formats]
    page = folder / "report.html"
    page.write_text(_html(analysis, out, folder, tables, figures, sorted(written)), encoding="utf-8")
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
                f"{', '.join(str(w.used) for w in analysis.weeks)} ({_e(scale_of(analysis.headline).axis)})</h2>"
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
    drawn = charts.over_time_outputs(analysis)
    parts = ["<h2>Over time</h2>", _figure(figures[names[0]], caption)]
    for output in drawn[1:]:
        parts += [
            f"<details><summary>{_e(noun(output))}</summary>",
            _figure(figures[charts.over_time_name(output)], caption),
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
