"""Load, override and validate scenarios, with errors a person can act on.

Every problem names the file, the key, what was expected and what was found;
a misspelt key or intervention type comes with the nearest valid name. All
problems in a file are reported together, and nothing runs on an invalid one.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sim.interventions import FAMILIES, TYPE_NAMES, InterventionBase, department_of
from sim.scenario import Culture, Organisation, Scenario, flat_parameter_names

PRESET_PACKAGE = "sim.scenarios"

#: The largest scenario or experiment file read, in bytes: a scenario is a few hundred bytes, and anything
#: near this size is a mistake (a 50 MB description used to be copied into every result file).
MAX_FILE_BYTES = 1_000_000
#: The deepest nesting of tables and arrays in a file: a scenario needs 3 (interventions, an item, a value).
MAX_DEPTH = 10
#: TOML's integers are 64-bit; a larger one is refused where it is read, with its key.
INT_RANGE = (-(2**63), 2**63 - 1)
#: At most this many problems are listed; the count says how many more there are.
MAX_LISTED = 20
#: What to say about an empty scenario file.
EMPTY_SCENARIO = "is empty; use `kshare run baseline` for the defaults, or write only the keys that differ"


@dataclass(frozen=True)
class Problem:
    key: str
    message: str

    def __str__(self) -> str:
        return f"key '{shorten(self.key)}': {self.message}" if self.key else self.message


class ScenarioError(ValueError):
    """A scenario (or an override of one) that cannot be run, with every problem found."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        if len(problems) == 1:  # one problem, one line
            super().__init__(f"{source}: {problems[0]}")
            return
        lines = [f"{source}: {len(problems)} problem{'s' * (len(problems) != 1)}"]
        lines += [f"  - {problem}" for problem in problems[:MAX_LISTED]]
        if len(problems) > MAX_LISTED:
            lines.append(f"  ... and {len(problems) - MAX_LISTED} more")
        super().__init__("\n".join(lines))


# ------------------------------------------------------------------ presets
def preset_names() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files(PRESET_PACKAGE).iterdir() if p.name.endswith(".toml"))


def preset_seed(name: str) -> int:
    """A preset's seed: the SHA-256 of its name, read as a number, modulo 10,000.

    A rule fixed by the name alone, before any run is seen, so that no preset's
    seed is chosen for how its chart looks, and presets do not all share one
    seed's chance rises and dips (seed 42, every preset's until issue 12, dips
    before week 10 by chance and read as a decline before the programme).
    ``tests/test_scenarios.py`` holds every preset to it.
    """
    return int(hashlib.sha256(name.encode()).hexdigest(), 16) % 10_000


def preset_path(name: str) -> Path:
    return Path(str(resources.files(PRESET_PACKAGE).joinpath(f"{name}.toml")))


def load_scenario(source: str | Path | Scenario = "baseline", **overrides: Any) -> Scenario:
    """A validated scenario from a preset name, a TOML file path or a Scenario, with overrides applied.

    Overrides use bare parameter names (``recognition=0.8``), dotted paths
    (``"culture.recognition"``) or intervention fields (``"interventions.0.end"``).
    """
    placed: str | set[int] = "all"
    if isinstance(source, Scenario):  # already valid, perhaps shortened on purpose
        base, label, placed = source.model_dump(), "scenario", set()
    else:
        path = _resolve(source)
        base, label = read_toml(path, empty=EMPTY_SCENARIO), str(path)
        base.setdefault("name", path.stem)
        section = base.get("organisation")
        given = {f"organisation.{key}" for key in section} if isinstance(section, dict) else set()
        return _overridden(validate(base, label, placed, folder=path.parent, given=given), overrides)
    return _overridden(validate(base, label, placed), overrides)


def _overridden(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    return with_overrides(scenario, overrides) if overrides else scenario


def _resolve(source: str | Path) -> Path:
    path = Path(source)
    try:
        if "\x00" in str(source):
            raise ValueError("embedded NUL")
        exists, is_file = path.exists(), path.is_file()
    except (OSError, ValueError) as error:  # a name too long for the file system, or holding a NUL
        raise ScenarioError(
            shorten(str(source)), [Problem("", f"not a usable file name: {unusable_path(error)}")]
        ) from None
    if path.suffix == ".toml" or exists or "/" in str(source):
        if not is_file:
            raise ScenarioError(shorten(str(source)), [Problem("", "no such file")])
        return path
    if str(source) in preset_names():
        return preset_path(str(source))
    raise ScenarioError(
        str(source),
        [
            Problem(
                "",
                f"no preset or file of that name{suggest(str(source), preset_names())}; "
                f"presets: {', '.join(preset_names())}",
            )
        ],
    )


def read_toml(path: Path, empty: str = "is empty") -> dict:
    """A TOML file's contents, or ScenarioError with one line on why it cannot be used.

    Refused: files over MAX_FILE_BYTES, text that is not UTF-8 (a UTF-8 byte-order mark is accepted and
    dropped), invalid TOML, nesting deeper than MAX_DEPTH, integers outside 64 bits, and an empty file
    (``empty`` says what to do instead).
    """
    try:
        with path.open("rb") as handle:
            content = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ScenarioError(str(path), [Problem("", f"cannot be read: {error.strerror}")]) from None
    data = parse_toml(content, str(path))
    if not data:
        raise ScenarioError(str(path), [Problem("", empty)])
    return data


def parse_toml(content: bytes | str, source: str) -> dict:
    """Parse TOML text or bytes with the limits of ``read_toml``; the one parser of every file a user gives."""
    if len(content) > MAX_FILE_BYTES:
        raise ScenarioError(source, [Problem("", f"is larger than the limit of {MAX_FILE_BYTES:,} bytes")])
    text = _decode(content, source) if isinstance(content, bytes) else content
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(source, [Problem("", f"not valid TOML: {error}")]) from None
    except RecursionError:
        raise ScenarioError(source, [Problem("", f"nests tables or arrays deeper than {MAX_DEPTH} levels")]) from None
    except ValueError:  # Python's limit on converting long digit strings to int
        raise ScenarioError(source, [_long_number(text)]) from None
    problems = check_values(data)
    if problems:
        raise ScenarioError(source, problems)
    return data


_INT_MESSAGE = f"integers must fit in 64 bits (TOML's range, {INT_RANGE[0]:,} to {INT_RANGE[1]:,})"


def _long_number(text: str) -> Problem:
    """The first over-long digit string, with its line and key, as a Problem."""
    found = re.search(r"\d[\d_]{1000,}", text)
    if not found:
        return Problem("", _INT_MESSAGE)
    start = text.rfind("\n", 0, found.start()) + 1
    key = re.match(r"\s*([\w.\-\"' ]+?)\s*=", text[start : found.start()])
    return Problem(key[1] if key else "", f"line {text.count(chr(10), 0, start) + 1}: {_INT_MESSAGE}")


def _decode(content: bytes, source: str) -> str:
    """UTF-8 text from a file's bytes, or one line on what the file is instead (UTF-16, binary)."""
    utf16 = "is UTF-16 text; save it as UTF-8"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ScenarioError(source, [Problem("", utf16)])
    try:
        text = content.decode("utf-8-sig")  # a UTF-8 byte-order mark, as some Windows editors write, is dropped
    except UnicodeDecodeError as error:
        where = error.start
    else:
        if "\x00" not in text:  # NUL is valid UTF-8, but never in a text file: UTF-16 without its mark, or binary
            return text
        where = content.index(b"\x00")
    head = content[:400]
    if head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4:
        raise ScenarioError(source, [Problem("", utf16)])
    line = content.count(b"\n", 0, where) + 1
    raise ScenarioError(
        source,
        [Problem("", f"is not UTF-8 text: byte {where + 1} (line {line}) is binary or in another encoding")],
    )


def check_values(data: Any, key: str = "", depth: int = 0) -> list[Problem]:
    """Nesting deeper than MAX_DEPTH, integers outside 64 bits, and nan or inf, each with its key."""
    if depth > MAX_DEPTH:
        return [Problem(key, f"nests tables or arrays deeper than {MAX_DEPTH} levels")]
    if isinstance(data, dict):
        return [p for name, value in data.items() for p in check_values(value, _join(key, name), depth + 1)]
    if isinstance(data, list):
        return [p for number, value in enumerate(data) for p in check_values(value, _join(key, number), depth + 1)]
    if isinstance(data, int) and not isinstance(data, bool) and not INT_RANGE[0] <= data <= INT_RANGE[1]:
        return [Problem(key, _INT_MESSAGE)]
    if isinstance(data, float) and not math.isfinite(data):
        return [Problem(key, f"expected a finite number, got {data}")]
    return []


def unusable_path(error: Exception) -> str:
    """Why a path cannot be used, without echoing the path (it may be thousands of characters)."""
    return (error.strerror or "cannot be read") if isinstance(error, OSError) else "it contains a NUL character"


def _join(key: str, part: Any) -> str:
    return f"{key}.{part}" if key else str(part)


def shorten(text: str, limit: int = 60) -> str:
    """Text as shown in a message: at most ``limit`` characters, control characters escaped."""
    shown = text if len(text) <= limit else f"{text[: limit - 3]}..."
    return shown.encode("unicode_escape").decode("ascii") if not shown.isprintable() else shown


def validate(
    data: dict,
    source: str,
    placed: str | set[int] = "all",
    *,
    folder: Path | None = None,
    given: Iterable[str] = (),
) -> Scenario:
    """Validate raw scenario data; raise ScenarioError listing every problem.

    ``placed``: the interventions whose start is checked against the run's end ("all", or their indices);
    the others come from a valid scenario that was shortened on purpose. ``folder``: where a relative
    ``organisation.chart`` or ``ties`` is (the scenario file's folder; the current folder if None). ``given``:
    the dotted keys a person set, which must not include what the chart decides.
    """
    data, problems = _with_chart(data, folder, set(given))
    try:
        scenario = Scenario.model_validate(data, context={"placed": placed})
    except ValidationError as error:
        problems += [explain(item, data) for item in error.errors()]
        # Pydantic checks a table's cross-field rules only when all its fields
        # are valid; check windows here too so every problem shows at once.
        problems += [p for p in _window_problems(data) if p not in problems]
    if problems:
        raise ScenarioError(source, problems)
    return scenario


#: What a chart decides, so that a scenario naming one must not set it.
FROM_CHART = ("employees", "departments")


def _with_chart(data: dict, folder: Path | None, given: set[str]) -> tuple[dict, list[Problem]]:
    """The data with ``organisation.chart``, ``ties`` and ``culture.survey`` made absolute, and with a chart the
    chart's headcount and departments, which everything that sizes a run reads; and the problems in the files,
    each under its key.

    The paths are stored absolute so that the validated scenario (which ``--replications``' workers, the
    warm-up and ``with_overrides`` validate again) finds the same files from any folder.
    """
    section = data.get("organisation") if isinstance(data, dict) else None
    if not isinstance(section, dict):
        return data, []
    section = _absolute(section, ("chart", "ties"), folder)
    culture = data.get("culture")
    culture = _absolute(culture, ("survey",), folder) if isinstance(culture, dict) else culture
    data = {**data, "organisation": section, **({"culture": culture} if isinstance(culture, dict) else {})}
    survey = culture.get("survey") if isinstance(culture, dict) else None
    if not isinstance(section.get("chart"), str) or not all(
        isinstance(value, str | None) for value in (section.get("ties"), survey)
    ):
        return data, []  # no chart, or keys of the wrong type that validation reports
    from sim.orgdata import OrgDataError
    from sim.orgdata.problems import ROW_NOTE
    from sim.orgdata.survey import SCALES
    from sim.orgdata.table import shown_path
    from sim.own_org import read_files

    problems = [
        Problem(f"organisation.{key}", "comes from the chart when one is given; leave it out")
        for key in FROM_CHART
        if f"organisation.{key}" in given
    ]
    default_scale = Culture.model_fields["survey_scale"].default
    scale = culture.get("survey_scale", default_scale) if isinstance(culture, dict) else default_scale
    least = culture.get("min_respondents") if isinstance(culture, dict) else None
    if survey is not None and (scale not in SCALES or not isinstance(least, int | None)):
        return data, problems  # validation reports the key; the survey is read once it is right
    try:
        found = read_files(section["chart"], section.get("ties"), survey, scale, least)
    except OrgDataError as error:
        keys = {shown_path(Path(section[key])): f"organisation.{key}" for key in ("chart", "ties") if section.get(key)}
        for problem in error.problems:
            problems.append(Problem(keys.get(problem.file, "culture.survey"), f"{problem.file}: {problem}"))
        if any(problem.rows for problem in error.problems):
            problems.append(Problem("", ROW_NOTE))
        return data, problems
    fewest = next(rule.ge for rule in Organisation.model_fields["employees"].metadata if hasattr(rule, "ge"))
    if found.n < fewest:
        problems.append(Problem("organisation.chart", f"has {found.n} people; kshare needs at least {fewest}"))
        return data, problems
    section.update(employees=found.n, departments=len(found.department_names))
    return data, problems + _department_names(data, found.department_names, Path(section["chart"]).name)


#: At most this many of a chart's departments are listed beside a target that names none of them.
LISTED_DEPARTMENTS = 30


def _department_names(data: dict, names: list[str], chart: str) -> list[Problem]:
    """A problem for each intervention whose ``department:NAME`` target names no department of the chart."""
    items = data.get("interventions")
    problems = []
    for number, item in enumerate(items if isinstance(items, list) else []):
        target = item.get("target") if isinstance(item, dict) else None
        department = department_of(target) if isinstance(target, str) else None
        if not isinstance(department, str) or department in names:
            continue
        listed = ", ".join(f"'{shorten(name)}'" for name in names[:LISTED_DEPARTMENTS])
        more = f" and {len(names) - LISTED_DEPARTMENTS:,} more" if len(names) > LISTED_DEPARTMENTS else ""
        problems.append(
            Problem(
                f"interventions.{number}.target",
                f"{chart} has no department '{shorten(department)}'{suggest(department, names)} "
                f"(its departments: {listed}{more})",
            )
        )
    return problems


def _absolute(section: dict, keys: tuple[str, ...], folder: Path | None) -> dict:
    """A copy of the section with each of its file keys that holds a usable path made absolute from ``folder``;
    a file uploaded to the dashboard (``sim.orgdata.uploads``) is not on disk and keeps its name."""
    from sim.orgdata.uploads import is_upload

    section = dict(section)
    for key in keys:
        if (
            isinstance(section.get(key), str)
            and section[key]
            and "\x00" not in section[key]
            and not is_upload(section[key])
        ):
            section[key] = os.path.abspath(Path(folder or Path.cwd()) / section[key])
    return section


def _window_problems(data: dict) -> list[Problem]:
    items = data.get("interventions") if isinstance(data, dict) else None
    problems = []
    for number, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        start, end = item.get("start", 0), item.get("end")
        if isinstance(start, int) and isinstance(end, int) and end <= start:
            problems.append(Problem(f"interventions.{number}", f"end ({end}) must be after start ({start})"))
    return problems


def check_file(path: str | Path) -> list[Problem]:
    """Every problem in a scenario file, or an empty list if it is valid."""
    try:
        load_scenario(Path(path))
    except ScenarioError as error:
        return error.problems
    return []


# --------------------------------------------------------------- overrides
def with_overrides(scenario: Scenario, overrides: dict[str, Any], source: str = "overrides") -> Scenario:
    """The scenario with parameters changed by bare name, dotted path or intervention field.

    ``interventions.N.FIELD`` with N equal to the number of interventions adds one (its ``type`` must be
    among the overrides); every field of an intervention can be set this way.
    """
    data = scenario.model_dump()
    flat = flat_parameter_names()
    problems = []
    for key, value in overrides.items():
        path = flat.get(key, key).split(".")
        try:
            _assign(data, path, value)
        except KeyError:
            valid = list(flat) + list(flat.values())
            problems.append(Problem(key, f"unknown parameter{suggest(key, valid)}"))
        except _NotATable as error:
            problems.append(Problem(key, f"'{error}' is a single value, not a table: nothing can be set inside it"))
        except _NoSuchItem as error:
            problems.append(Problem(key, str(error)))
    if problems:
        raise ScenarioError(source, problems)
    given = {flat.get(key, key) for key in overrides}
    if "seeking" not in scenario.behaviour.model_fields_set and "behaviour.seeking" not in given:
        # Left to its default, seeking follows the decision rule (on, but off under barter: Scenario._rules_fit);
        # written back as a value it would count as asked for, and a switch to barter would then be refused.
        del data["behaviour"]["seeking"]
    placed = {int(part[1]) for part in (flat.get(key, key).split(".") for key in overrides) if _is_item(part)}
    return validate(data, source, placed=placed, given=given)


def _is_item(path: list[str]) -> bool:
    return len(path) > 1 and path[0] == "interventions" and path[1].isdigit()


class _NotATable(Exception):
    """A dotted path that goes on past a single value, e.g. ``organisation.employees.x``."""


class _NoSuchItem(Exception):
    """A list index that is neither an existing item nor the next one."""


def _assign(data: Any, path: list[str], value: Any, where: str = "") -> None:
    head, rest = path[0], path[1:]
    here = _join(where, head)
    if isinstance(data, list):
        if not head.isdigit() or not where:
            raise KeyError(head)
        if int(head) > len(data) or (int(head) == len(data) and not rest):
            held = f"{len(data)}, numbered from 0 to {len(data) - 1}" if data else "none"
            raise _NoSuchItem(f"{where} holds {held}; {where}.{len(data)}.type=... adds one")
        if int(head) == len(data):  # the next item: append it, and the fields that follow fill it in
            data.append(_NewIntervention())
        index: Any = int(head)
    elif isinstance(data, dict):
        if head not in data and not (isinstance(data, _NewIntervention) and head in _NewIntervention.FIELDS):
            raise KeyError(head)
        index = head
    else:
        raise _NotATable(where)
    if rest:
        _assign(data[index], rest, value, here)
    else:
        data[index] = value


class _NewIntervention(dict):
    """An intervention added by ``interventions.N.FIELD`` overrides: it takes any intervention field."""

    FIELDS = frozenset(InterventionBase.model_fields) | {"type"}


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split 'key=value' from the command line; the value is read as a TOML value (numbers, booleans, strings).

    ``weeks=20`` gives the number 20 and ``weeks=true`` a boolean, which validation then refuses for a number;
    a value that is not TOML (``name=our org``) is taken as text.
    """
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError(
            "--set", [Problem(shorten(text), "expected KEY=VALUE, e.g. recognition=0.7 or interventions.0.end=40")]
        )
    try:
        parsed = parse_toml(f"v = {raw.strip()}", "--set")
    except ScenarioError as error:
        if error.problems[0].message.startswith("not valid TOML"):
            return key, raw.strip()
        # the value's own problems (nesting, a number's size), under the key as it was given
        problems = [Problem(shorten(key) + p.key[1:], p.message.removeprefix("line 1: ")) for p in error.problems]
        raise ScenarioError("--set", problems) from None
    if set(parsed) != {"v"}:
        return key, raw.strip()
    return key, parsed["v"]


def command_line_overrides(assignments: Iterable[str], options: dict[str, Any]) -> dict[str, Any]:
    """Overrides from ``--set KEY=VALUE`` and from options such as ``--weeks`` (None: not given).

    A parameter given twice, in two ``--set`` or in ``--set`` and its option, is an error rather than one
    silently winning. Raises ScenarioError naming each.
    """
    flat = flat_parameter_names()
    overrides: dict[str, Any] = {}
    given: dict[str, str] = {}  # dotted path -> how it was given
    problems = []
    for text in assignments:
        try:
            key, value = parse_assignment(text)
        except ScenarioError as error:
            problems += error.problems
            continue
        path = flat.get(key, key)
        if path in given:
            problems.append(Problem(key, f"given twice: as {given[path]} and as --set {text}; give it once"))
            continue
        given[path] = f"--set {text}"
        overrides[key] = value
    for option, value in options.items():
        if value is None:
            continue
        path = flat[option]
        if path in given:
            problems.append(
                Problem(option, f"--{option} {value} conflicts with {given[path]}; give one of them, not both")
            )
            continue
        given[path] = f"--{option}"
        overrides[option] = value
    if problems:
        raise ScenarioError("command line", problems)
    return overrides


# ----------------------------------------------------------------- messages
def suggest(word: str, choices: list[str]) -> str:
    """'; did you mean X?' for the valid name nearest a misspelt one, or nothing if none is near."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _model_at(loc: tuple, data: dict, root: type[BaseModel]) -> type[BaseModel] | None:
    """The pydantic model that owns the key at ``loc``, to find valid names near a misspelt one."""
    model: type[BaseModel] | None = root
    node: Any = data
    for position, part in enumerate(loc[:-1]):
        if isinstance(part, int):  # an item of the interventions list: its family owns the keys
            node = node[part] if isinstance(node, list) and part < len(node) else {}
            kind = node.get("type") if isinstance(node, dict) else None
            model = next((f for f in FAMILIES if f.type_name() == kind), None)
            continue
        if model is None or _is_tag(loc, position):
            continue  # pydantic puts the union tag in the location
        field = model.model_fields.get(part)
        node = node.get(part, {}) if isinstance(node, dict) else {}
        annotation = field.annotation if field else None
        model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    return model


def _range_of(loc: tuple, data: dict, root: type[BaseModel]) -> str | None:
    """'a number from 0.0 to 1.0' for the field at ``loc``, from its declared bounds."""
    owner = _model_at(loc, data, root)
    field = owner.model_fields.get(str(loc[-1])) if owner else None
    if field is None:
        return None
    low = next((getattr(m, a) for m in field.metadata for a in ("ge", "gt") if getattr(m, a, None) is not None), None)
    high = next((getattr(m, a) for m in field.metadata for a in ("le", "lt") if getattr(m, a, None) is not None), None)
    if low is None or high is None:
        return None
    return f"{'a whole number' if field.annotation is int else 'a number'} from {low} to {high}"


def _is_tag(loc: tuple, position: int) -> bool:
    """Whether ``loc[position]`` is the union tag pydantic puts after an intervention's index.

    Only there: ``culture.psychological_safety`` is a key, though an intervention type has the same name.
    """
    return position > 0 and isinstance(loc[position - 1], int) and loc[position] in TYPE_NAMES


def _readable_loc(loc: tuple) -> str:
    return ".".join(str(part) for n, part in enumerate(loc) if not _is_tag(loc, n))


def explain(item: ErrorDetails, data: dict, root: type[BaseModel] = Scenario) -> Problem:
    """One pydantic error as a Problem a person can act on; ``root`` is the schema ``data`` was checked against."""
    loc = tuple(item["loc"])
    key, kind, found = _readable_loc(loc), item["type"], _Shown(item.get("input"))
    context = item.get("ctx") or {}
    if kind == "extra_forbidden":
        owner = _model_at(loc, data, root)
        valid = list(owner.model_fields) if owner else []
        valid = [name for name in valid if name != "type"] or valid
        return Problem(
            key, f"unknown key{suggest(str(loc[-1]), valid)}" + (f" (valid keys: {', '.join(valid)})" if valid else "")
        )
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        tag = found.value.get("type") if isinstance(found.value, dict) else None
        if tag is None:
            return Problem(f"{key}.type", f"missing; expected one of {', '.join(TYPE_NAMES)}")
        return Problem(
            f"{key}.type",
            f"unknown intervention type '{tag}'{suggest(str(tag), list(TYPE_NAMES))}; "
            f"expected one of {', '.join(TYPE_NAMES)}",
        )
    if kind == "missing":
        return Problem(key, "required key is missing")
    if kind == "string_too_long":
        return Problem(
            key, f"expected text of at most {context.get('max_length'):,} characters, got {len(found.value):,}"
        )
    bounds = {
        "greater_than_equal": f"a value >= {context.get('ge')}",
        "less_than_equal": f"a value <= {context.get('le')}",
        "greater_than": f"a value > {context.get('gt')}",
        "less_than": f"a value < {context.get('lt')}",
        "int_type": "a whole number",
        "int_parsing": "a whole number",
        "int_from_float": "a whole number",
        "float_type": "a number",
        "float_parsing": "a number",
        "string_type": "text",
        "list_type": "a list",
        "model_type": "a table of keys",
        "model_attributes_type": "a table of keys",
        "dict_type": "a table of keys",
        "bool_type": "true or false",
    }
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        span = _range_of(loc, data, root)
        if span:
            return Problem(key, f"expected {span}, got {found!r}")
    if kind in bounds:
        return Problem(key, f"expected {bounds[kind]}, got {found!r}")
    message = item["msg"].removeprefix("Value error, ")
    return Problem(key, message)


class _Shown:
    """A value found in a file, as a message shows it: its repr, cut short (a 5,000-character name is not echoed)."""

    def __init__(self, value: Any):
        self.value = value

    def __repr__(self) -> str:
        return shorten(repr(self.value))
