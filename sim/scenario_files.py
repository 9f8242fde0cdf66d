"""Load, override and validate scenarios, with errors a person can act on.

Every problem names the file, the key, what was expected and what was found;
a misspelt key or intervention type comes with the nearest valid name. All
problems in a file are reported together, and nothing runs on an invalid one.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sim.interventions import FAMILIES, TYPE_NAMES
from sim.scenario import Scenario, flat_parameter_names

PRESET_PACKAGE = "sim.scenarios"


@dataclass(frozen=True)
class Problem:
    key: str
    message: str

    def __str__(self) -> str:
        return f"key '{self.key}': {self.message}" if self.key else self.message


class ScenarioError(ValueError):
    """A scenario (or an override of one) that cannot be run, with every problem found."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        lines = [f"{source}: {len(problems)} problem{'s' * (len(problems) != 1)}"]
        lines += [f"  - {problem}" for problem in problems]
        super().__init__("\n".join(lines))


# ------------------------------------------------------------------ presets
def preset_names() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files(PRESET_PACKAGE).iterdir() if p.name.endswith(".toml"))


def preset_path(name: str) -> Path:
    return Path(str(resources.files(PRESET_PACKAGE).joinpath(f"{name}.toml")))


def load_scenario(source: str | Path | Scenario = "baseline", **overrides: Any) -> Scenario:
    """A validated scenario from a preset name, a TOML file path or a Scenario, with overrides applied.

    Overrides use bare parameter names (``recognition=0.8``), dotted paths
    (``"culture.recognition"``) or intervention fields (``"interventions.0.end"``).
    """
    if isinstance(source, Scenario):
        base, label = source.model_dump(), "scenario"
    else:
        path = _resolve(source)
        base, label = read_toml(path), str(path)
        base.setdefault("name", path.stem)
    scenario = validate(base, label)
    return with_overrides(scenario, overrides) if overrides else scenario


def _resolve(source: str | Path) -> Path:
    path = Path(source)
    if path.suffix == ".toml" or path.exists() or "/" in str(source):
        if not path.is_file():
            raise ScenarioError(str(source), [Problem("", "no such file")])
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


def read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(str(path), [Problem("", f"not valid TOML: {error}")]) from None
    except OSError as error:
        raise ScenarioError(str(path), [Problem("", f"cannot be read: {error.strerror}")]) from None


def validate(data: dict, source: str) -> Scenario:
    """Validate raw scenario data; raise ScenarioError listing every problem."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        problems = [explain(item, data) for item in error.errors()]
        # Pydantic checks a table's cross-field rules only when all its fields
        # are valid; check windows here too so every problem shows at once.
        problems += [p for p in _window_problems(data) if p not in problems]
        raise ScenarioError(source, problems) from None


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
    if problems:
        raise ScenarioError(source, problems)
    return validate(data, source)


def _assign(data: Any, path: list[str], value: Any) -> None:
    head, rest = path[0], path[1:]
    if isinstance(data, list):
        if not head.isdigit() or int(head) >= len(data):
            raise KeyError(head)
        index: Any = int(head)
    else:
        if head not in data:
            raise KeyError(head)
        index = head
    if rest:
        _assign(data[index], rest, value)
    else:
        data[index] = value


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split 'key=value' from the command line; the value is read as TOML (numbers, booleans, strings)."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise ScenarioError("--set", [Problem(text, "expected KEY=VALUE")])
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()
    return key.strip(), value


# ----------------------------------------------------------------- messages
def suggest(word: str, choices: list[str]) -> str:
    """'; did you mean X?' for the valid name nearest a misspelt one, or nothing if none is near."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _model_at(loc: tuple, data: dict, root: type[BaseModel]) -> type[BaseModel] | None:
    """The pydantic model that owns the key at ``loc``, to find valid names near a misspelt one."""
    model: type[BaseModel] | None = root
    node: Any = data
    for part in loc[:-1]:
        if isinstance(part, int):  # an item of the interventions list: its family owns the keys
            node = node[part] if isinstance(node, list) and part < len(node) else {}
            kind = node.get("type") if isinstance(node, dict) else None
            model = next((f for f in FAMILIES if f.type_name() == kind), None)
            continue
        if part in TYPE_NAMES or model is None:
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


def _readable_loc(loc: tuple) -> str:
    return ".".join(str(part) for part in loc if str(part) not in TYPE_NAMES)


def explain(item: ErrorDetails, data: dict, root: type[BaseModel] = Scenario) -> Problem:
    """One pydantic error as a Problem a person can act on; ``root`` is the schema ``data`` was checked against."""
    loc = tuple(item["loc"])
    key, kind, found = _readable_loc(loc), item["type"], item.get("input")
    context = item.get("ctx") or {}
    if kind == "extra_forbidden":
        owner = _model_at(loc, data, root)
        valid = list(owner.model_fields) if owner else []
        valid = [name for name in valid if name != "type"] or valid
        return Problem(
            key, f"unknown key{suggest(str(loc[-1]), valid)}" + (f" (valid keys: {', '.join(valid)})" if valid else "")
        )
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        tag = found.get("type") if isinstance(found, dict) else None
        if tag is None:
            return Problem(f"{key}.type", f"missing; expected one of {', '.join(TYPE_NAMES)}")
        return Problem(
            f"{key}.type",
            f"unknown intervention type '{tag}'{suggest(str(tag), list(TYPE_NAMES))}; "
            f"expected one of {', '.join(TYPE_NAMES)}",
        )
    if kind == "missing":
        return Problem(key, "required key is missing")
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
