"""Field types and checks shared by every schema a user writes: scenarios, interventions, experiments.

Two rules live here so that each is stated once:

- **Text fields are bounded and printable.** A name becomes a folder and a
  label on a chart; a description is copied into every result file. A
  5,000-character name or a NUL inside one used to pass validation and crash
  only after the whole run, so both are refused when the file is read.
- **Numbers must be numbers.** Pydantic's lax mode turns ``weeks = "20"`` into
  20 and ``true`` into 1; a quoted number in a file is almost always a mistake
  that should be pointed out, not silently repaired. Python numbers (numpy's
  included) are still accepted as they were, so no valid scenario changes.
"""

from __future__ import annotations

import types
import typing
import unicodedata
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, ValidationInfo

#: The longest ``name`` (of a scenario or an experiment) and intervention ``label``, in characters.
NAME_MAX = 64
#: The longest ``description`` or ``notice``, in characters.
TEXT_MAX = 1000


def _printable(multiline: bool):
    def check(value: str) -> str:
        for number, char in enumerate(value):
            if multiline and char in "\n\t":
                continue
            if unicodedata.category(char) in ("Cc", "Cs"):
                raise ValueError(
                    f"contains a control character (U+{ord(char):04X}) at character {number + 1}; "
                    f"expected plain {'text' if multiline else 'one-line text'}"
                )
        return value

    return check


#: A name or label: one line, at most NAME_MAX characters, no control characters.
Name = Annotated[str, Field(max_length=NAME_MAX), AfterValidator(_printable(multiline=False))]


def _safe_as_folder(value: str) -> str:
    """A scenario's or experiment's name becomes its results folder; refused here, so `validate` says so too."""
    from sim.files import unsafe_reason

    reason = unsafe_reason(value)
    if reason:
        raise ValueError(f"cannot be used as a file or folder name: {reason}; give a plain name")
    return value


#: The name of a scenario or an experiment: a Name that is also safe as a folder name (sim.files.safe_stem).
FolderName = Annotated[Name, AfterValidator(_safe_as_folder)]
#: A description or notice: at most TEXT_MAX characters; line breaks and tabs allowed, other control characters not.
Text = Annotated[str, Field(max_length=TEXT_MAX), AfterValidator(_printable(multiline=True))]


@cache
def _kinds(annotation: Any) -> frozenset[str]:
    """Which of 'int', 'float', 'bool' and 'text' a field's annotation admits, and the literal words it takes."""
    found: set[str] = set()
    if annotation is bool:
        return frozenset({"bool"})
    if annotation in (int, float):
        return frozenset({annotation.__name__})
    if annotation is str:
        return frozenset({"text"})
    origin = typing.get_origin(annotation)
    if origin is Literal:
        for arg in typing.get_args(annotation):
            found |= {"bool"} if isinstance(arg, bool) else {f"={arg}"} if isinstance(arg, str) else {"float"}
        return frozenset(found)
    if origin is Annotated:
        return _kinds(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found |= _kinds(arg)
        return frozenset(found)
    return frozenset({"other"})


def numbers_are_numbers(model: type[BaseModel], value: Any, info: ValidationInfo) -> Any:
    """Refuse text or true/false where a field takes only numbers (a 'before' validator for every field)."""
    field = model.model_fields.get(info.field_name or "")
    if field is None or not isinstance(value, (str, bool)):
        return value
    kinds = _kinds(typing.cast(Any, field.annotation))
    if not kinds & {"int", "float"}:
        return value
    expected = "a number" if "float" in kinds else "a whole number"
    if isinstance(value, bool) and "bool" not in kinds:
        raise ValueError(f"expected {expected}, got {str(value).lower()}")
    if isinstance(value, str) and "text" not in kinds and f"={value}" not in kinds:
        raise ValueError(f"expected {expected}, got the text {value[:40]!r}; write numbers without quotes")
    return value
