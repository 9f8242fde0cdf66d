"""The experiment file: which scenarios, which parameters varied how, how many replications, what to keep.

An experiment is checked whole before anything runs. Every problem is
reported at once, naming the file, the key, what was expected and what was
found, with the nearest valid name for a misspelt one, so that a sweep never
stops half-way on a mistake that could have been seen at the start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from sim.fields import FolderName, Text, numbers_are_numbers
from sim.metrics import COLUMNS, GROUPED, HEADLINE, MAX_DEPARTMENT_COLUMNS
from sim.runner.outcomes import OUTCOMES
from sim.scenario import LEVELS, SEED_MAX, Scenario, flat_parameter_names
from sim.scenario_files import (
    Problem,
    ScenarioError,
    explain,
    load_scenario,
    read_toml,
    shorten,
    suggest,
    unusable_path,
    with_overrides,
)
from sim.seeking_metrics import COLUMNS as SEEKING_COLUMNS
from sim.seeking_metrics import GROUPED as SEEKING_GROUPED

#: Where shipped experiments live, so ``kshare sweep intervention_comparison`` finds them by name.
EXPERIMENTS_DIR = Path(__file__).resolve().parents[2] / "experiments"
DESIGNS = ("grid", "latin_hypercube", "sobol", "morris")
EMPTY_EXPERIMENT = "is empty; an experiment names at least its scenarios (see docs/experiments.md)"


class ExperimentError(ScenarioError):
    """An experiment that cannot be run, with every problem found in it."""


class _Strict(BaseModel):
    """Unknown keys are refused, and so are quoted numbers, as in a scenario file."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        return numbers_are_numbers(cls, value, info)


class Span(_Strict):
    """A range of a varied parameter: sampled by a design, or cut into ``steps`` levels for a grid."""

    low: float
    high: float
    steps: int | None = Field(None, ge=2, le=1000, description="levels for a grid design")
    log: bool = Field(False, description="spread levels or samples evenly on a log scale")


class Design(_Strict):
    """How parameter points are chosen from the ``vary`` table."""

    method: Literal["grid", "latin_hypercube", "sobol", "morris"] = "grid"
    samples: int = Field(
        64, ge=1, le=1_000_000, description="points (latin_hypercube), base sample N (sobol), trajectories (morris)"
    )
    levels: int = Field(4, ge=2, le=20, description="grid levels of the Morris design")
    second_order: bool = Field(False, description="also estimate second-order Sobol indices")


class Outputs(_Strict):
    """Which weekly outputs each run keeps, and how often."""

    every: int | Literal["final"] = Field(1, description="keep every k-th week, or only the final week")
    columns: list[str] = Field(list(HEADLINE), min_length=1)


class PosteriorDraws(_Strict):
    """Parameter uncertainty in every comparison: replication r runs with the r-th draw from a posterior, the
    same draw in every scenario and at every point, so paired effects carry it as well as seed noise."""

    file: str | None = Field(
        None, description="a posterior from `kshare calibrate`, relative to the experiment file (default: kshare's)"
    )


class Analysis(_Strict):
    """What ``kshare analyse`` compares, and when."""

    baseline: str | None = Field(None, description="the scenario effects are measured against")
    weeks: list[int] = Field([], description="weeks at which effects are reported (default: middle and end)")
    outcomes: list[str] = Field(["late_sharing_rate", "final_sharing_rate"], min_length=1)


class Experiment(_Strict):
    """A whole experiment file."""

    name: FolderName = Field(min_length=1)
    description: Text = ""
    seed: int = Field(0, ge=0, le=SEED_MAX, description="the one seed every run's seed is derived from")
    replications: int = Field(10, ge=1, le=100_000)
    weeks: int | None = Field(None, ge=1, le=5200, description="weeks per run (default: each scenario's)")
    scenarios: list[str] = Field(["baseline"], min_length=1, max_length=100)
    set: dict[str, Any] = Field({}, description="parameters fixed for every run")
    vary: dict[str, Any] = Field({}, description="parameters varied: a list of levels or a {low, high} range")
    common_random_numbers: bool = Field(True, description="replication r uses the same seed in every scenario")
    retries: int = Field(2, ge=0, le=10, description="extra attempts for a run that fails")
    design: Design = Design()
    posterior: PosteriorDraws | None = None
    outputs: Outputs = Outputs()
    analysis: Analysis = Analysis()


@dataclass(frozen=True)
class Factor:
    """One varied parameter: its name as written, its dotted path, and its levels or range."""

    name: str
    path: str
    levels: tuple[float, ...] | None = None
    span: Span | None = None
    integer: bool = False


@dataclass
class LoadedExperiment:
    """A validated experiment with its scenarios resolved and the fixed settings applied."""

    definition: Experiment
    source: str
    raw: dict[str, Any]
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # label -> preset name or absolute file path
    factors: list[Factor] = field(default_factory=list)
    #: With a [posterior] section: the parameter set of each replication, drawn from the posterior.
    draws: list[dict[str, float]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def baseline(self) -> str:
        wanted = self.definition.analysis.baseline
        if wanted:
            return wanted
        return "baseline" if "baseline" in self.scenarios else next(iter(self.scenarios))

    @property
    def weeks(self) -> int:
        return max(s.weeks for s in self.scenarios.values())


def experiment_names() -> list[str]:
    return sorted(p.stem for p in EXPERIMENTS_DIR.glob("*.toml")) if EXPERIMENTS_DIR.is_dir() else []


def resolve(source: str | Path) -> Path:
    """A path as given, or a shipped experiment by name."""
    path = Path(source)
    try:
        if path.is_file():
            return path
        if path.suffix != ".toml" and (EXPERIMENTS_DIR / f"{source}.toml").is_file():
            return EXPERIMENTS_DIR / f"{source}.toml"
    except (OSError, ValueError) as error:  # a name too long for the file system, or holding a NUL
        raise ExperimentError(
            str(source)[:60], [Problem("", f"not a usable file name: {unusable_path(error)}")]
        ) from None
    known = experiment_names()
    raise ExperimentError(
        str(source),
        [
            Problem(
                "",
                f"no experiment file or shipped experiment of that name"
                f"{suggest(str(source), known)}; shipped: {', '.join(known)}",
            )
        ],
    )


def load_experiment(source: str | Path, anonymise: bool = False) -> LoadedExperiment:
    """Read and check an experiment file; raise ExperimentError listing every problem.

    ``anonymise`` (``kshare sweep --anonymise``) adds ``organisation.anonymise = true`` to its ``[set]``, so that
    every scenario's outputs show pseudonyms, and the definition and every run's command line say so."""
    path = resolve(source)
    try:
        raw = read_toml(path, empty=EMPTY_EXPERIMENT)
    except ScenarioError as error:
        raise ExperimentError(error.source, error.problems) from None
    raw.setdefault("name", path.stem)
    if anonymise and isinstance(raw.get("set", {}), dict):
        raw["set"] = {**raw.get("set", {}), "organisation.anonymise": True}
    return check(raw, str(path), base_dir=path.parent)


def check(raw: dict[str, Any], source: str, base_dir: Path = Path(".")) -> LoadedExperiment:
    try:
        definition = Experiment.model_validate(raw)
        problems = []
    except ValidationError as error:
        problems = [explain(item, raw, Experiment) for item in error.errors()]
        # Check the rest of the file too, with the faulty top-level keys left
        # at their defaults, so that every problem shows at once.
        faulty = {item["loc"][0] for item in error.errors() if item["loc"]}
        try:
            definition = Experiment.model_validate({k: v for k, v in raw.items() if k not in faulty} | {"name": "x"})
        except ValidationError:
            raise ExperimentError(source, problems) from None
    loaded = LoadedExperiment(definition, source, raw)
    problems += _scenarios(loaded, base_dir)
    problems += factor_problems(loaded)
    problems += _posterior(loaded, base_dir)
    problems += _outputs(loaded)
    problems += _analysis(loaded)
    if problems:
        raise ExperimentError(source, problems)
    return loaded


# ----------------------------------------------------------------- sections
def _posterior(loaded: LoadedExperiment, base_dir: Path) -> list[Problem]:
    """Draw each replication's parameter set now, so a bad posterior stops the sweep before it starts."""
    spec = loaded.definition
    if spec.posterior is None:
        return []
    from sim.calibration.posterior import PosteriorError, load_posterior
    from sim.ensemble import draws_and_seeds

    path = None if spec.posterior.file is None else base_dir / spec.posterior.file
    try:
        loaded.draws, _ = draws_and_seeds(load_posterior(path), spec.replications, spec.seed)
    except PosteriorError as error:
        return [Problem("posterior.file" if path else "posterior", str(error))]
    return []


def _scenarios(loaded: LoadedExperiment, base_dir: Path) -> list[Problem]:
    spec, problems = loaded.definition, []
    names = flat_parameter_names()
    for key in spec.set:
        if key not in names and key not in names.values() and not key.startswith("interventions."):
            problems.append(Problem(f"set.{key}", f"unknown parameter{suggest(key, list(names))}"))
    fixed = dict(spec.set) | ({"weeks": spec.weeks} if spec.weeks else {})
    for number, entry in enumerate(spec.scenarios):
        source = base_dir / entry if entry.endswith(".toml") else entry
        try:
            scenario = load_scenario(source)
        except ScenarioError as error:
            problems += [Problem(f"scenarios.{number}", f"'{shorten(entry)}': {p}") for p in error.problems]
            continue
        label = Path(entry).stem
        if label in loaded.scenarios:
            problems.append(Problem(f"scenarios.{number}", f"'{entry}' is listed twice (scenario names must differ)"))
            continue
        if not problems:
            try:
                scenario = with_overrides(scenario, fixed, source="set")
            except ScenarioError as error:
                problems += [
                    Problem(f"set.{p.key}" if p.key else "set", f"in scenario '{label}': {p.message}")
                    for p in error.problems
                ]
        loaded.scenarios[label] = scenario
        loaded.sources[label] = str(Path(source).resolve()) if isinstance(source, Path) else entry
    return problems


def factor_problems(loaded: LoadedExperiment) -> list[Problem]:
    spec, problems = loaded.definition, []
    names = flat_parameter_names()
    sampled = spec.design.method != "grid"
    for name, value in spec.vary.items():
        key = f"vary.{name}"
        path = names.get(name, name)
        if (path not in names.values() and not INTERVENTION_FIELD.match(path)) or name == "seed":
            hint = "; seeds are derived from the experiment's seed" if name == "seed" else suggest(name, list(names))
            problems.append(Problem(key, f"unknown parameter{hint}" if name != "seed" else f"cannot be varied{hint}"))
            continue
        if name in spec.set or path in spec.set:
            problems.append(Problem(key, "is also fixed in [set]; a parameter is either fixed or varied"))
            continue
        factor, problem = _factor(name, path, value, sampled, spec.design.method)
        if problem:
            problems.append(Problem(key, problem))
            continue
        problems += _feasible(loaded, factor)
        loaded.factors.append(factor)
    if sampled and not spec.vary:
        problems.append(Problem("design.method", f"the {spec.design.method} design needs parameters in [vary]"))
    if spec.design.method == "sobol" and len(loaded.factors) < 2 and spec.vary:
        problems.append(Problem("vary", "a Sobol design needs at least two varied parameters"))
    return problems


def _factor(name: str, path: str, value: Any, sampled: bool, method: str) -> tuple[Factor, str | None]:
    section, _, leaf = path.rpartition(".")
    integer = _is_integer(section, leaf)
    if isinstance(value, list):
        if sampled:
            return Factor(name, path), f"the {method} design samples a range; write {{ low = ..., high = ... }}"
        if not value:
            return Factor(name, path), "expected at least one level"
        return Factor(name, path, levels=tuple(value), integer=integer), None
    if isinstance(value, dict):
        try:
            span = Span.model_validate(value)
        except ValidationError as error:
            first = min(error.errors(), key=lambda e: e["type"] != "extra_forbidden")  # a misspelling explains the rest
            where = ".".join(str(p) for p in first["loc"])
            if first["type"] == "extra_forbidden":
                return Factor(name, path), f"unknown key '{where}'{suggest(where, list(Span.model_fields))}"
            return Factor(name, path), f"'{where}': {first['msg'].lower()}"
        if span.high <= span.low:
            return Factor(name, path), f"high ({span.high}) must be above low ({span.low})"
        if span.log and span.low <= 0:
            return Factor(name, path), "a log range needs low > 0"
        if not sampled and span.steps is None:
            return Factor(name, path), "a grid needs levels: give a list, or add steps = N to the range"
        return Factor(name, path, span=span, integer=integer), None
    return Factor(name, path), f"expected a list of levels or a table {{ low, high }}, got {value!r}"


#: An intervention's timing or strength, e.g. ``interventions.0.end``: varied to ask whether an effect lasts.
INTERVENTION_FIELD = re.compile(r"^interventions\.\d+\.(start|end|intensity)$")


def _is_integer(section: str, leaf: str) -> bool:
    from sim.scenario import SECTIONS

    if section.startswith("interventions"):
        return leaf in ("start", "end")
    model = SECTIONS.get(section)
    annotation = model.model_fields[leaf].annotation if model else Scenario.model_fields[leaf].annotation
    return annotation is int


def _feasible(loaded: LoadedExperiment, factor: Factor) -> list[Problem]:
    """Try the factor's extremes in every scenario, so a value out of range stops the sweep before it starts."""
    if factor.levels is not None:
        values = list(factor.levels)
    else:
        assert factor.span is not None  # a factor has levels or a span (checked when it is read)
        values = [factor.span.low, factor.span.high]
    problems: list[Problem] = []
    for label, scenario in loaded.scenarios.items():
        for value in values:
            try:
                if factor.span is not None and factor.integer:
                    value = round(value)
                with_overrides(scenario, {factor.path: value})
            except (ScenarioError, TypeError, ValueError) as error:
                detail = error.problems[0].message if isinstance(error, ScenarioError) else str(error)
                return [Problem(f"vary.{factor.name}", f"value {value!r} in scenario '{label}': {detail}")]
    return problems


GROUP_COLUMN = re.compile(r"^(?P<name>[a-z_]+)\[(?P<group>staff|senior|manager|leader|dept (?P<dept>.+))\]$")


def _outputs(loaded: LoadedExperiment) -> list[Problem]:
    problems = []
    every = loaded.definition.outputs.every
    if isinstance(every, int) and every < 1:
        problems.append(Problem("outputs.every", f'expected a whole number >= 1 or "final", got {every!r}'))
    valid = [c for c in COLUMNS if c != "week"]
    seeks = all(s.behaviour.seeking for s in loaded.scenarios.values())
    for number, column in enumerate(loaded.definition.outputs.columns):
        match = GROUP_COLUMN.match(column)
        if column in valid or (match and match["name"] in GROUPED and _has_group(loaded, match)):
            continue
        name = match["name"] if match else column
        if name in (SEEKING_GROUPED if match else SEEKING_COLUMNS):
            if seeks and (match is None or _has_group(loaded, match)):
                continue
            problems.append(
                Problem(f"outputs.columns.{number}", f"'{column}' needs behaviour.seeking = true in every scenario")
            )
            continue
        examples = valid + [f"{GROUPED[0]}[{level}]" for level in LEVELS]
        problems.append(Problem(f"outputs.columns.{number}", f"unknown output '{column}'{suggest(column, examples)}"))
    return problems


def _has_group(loaded: LoadedExperiment, match: re.Match) -> bool:
    """Whether every scenario's runs have this group's column: a department as their outputs name it, by number
    for a generated organisation and by the chart's name (its pseudonym, anonymised) for one read from a chart."""
    if match["dept"] is None:
        return True
    return all(match["dept"] in _department_labels(s) for s in loaded.scenarios.values())


def _department_labels(scenario: Scenario) -> list[str]:
    """The departments a scenario's by-department columns name (none above the metrics' limit)."""
    count = scenario.organisation.departments
    if count > MAX_DEPARTMENT_COLUMNS:
        return []
    if scenario.organisation.chart is None:
        return [str(d) for d in range(count)]
    from sim.own_org import shown_data

    return shown_data(scenario).department_names


def _analysis(loaded: LoadedExperiment) -> list[Problem]:
    analysis, problems = loaded.definition.analysis, []
    if analysis.baseline and loaded.scenarios and analysis.baseline not in loaded.scenarios:
        problems.append(
            Problem(
                "analysis.baseline",
                f"'{analysis.baseline}' is not among the scenarios{suggest(analysis.baseline, list(loaded.scenarios))}",
            )
        )
    for number, name in enumerate(analysis.outcomes):
        if name not in OUTCOMES:
            problems.append(
                Problem(f"analysis.outcomes.{number}", f"unknown outcome '{name}'{suggest(name, list(OUTCOMES))}")
            )
    if loaded.scenarios:
        for number, week in enumerate(analysis.weeks):
            if not 0 <= week <= loaded.weeks:
                problems.append(
                    Problem(f"analysis.weeks.{number}", f"expected a week from 0 to {loaded.weeks}, got {week}")
                )
    return problems
