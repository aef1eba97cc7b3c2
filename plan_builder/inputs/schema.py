"""Validate parsed YAML against a pydantic model and report every problem at once.

Each problem names the file, the line and the dotted field path, e.g.
"plan.yaml:12: sections[2]: expected a string or a mapping".
"""

from __future__ import annotations

import re
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from plan_builder.errors import ConfigError, PlanBuilderError
from plan_builder.inputs.yamlio import Key, YamlDocument

ModelT = TypeVar("ModelT", bound=BaseModel)
NAME_MAX = 255
"""The longest file or folder name common file systems allow (in bytes); a longer one cannot even be looked up."""


def _plan_file(value: str) -> str:
    if any(len(name.encode()) > NAME_MAX for name in re.split(r"[/\\]", value)):
        raise ValueError(f"a file or folder name in this path is longer than {NAME_MAX} characters")
    if len(value.encode()) > 4 * NAME_MAX:
        raise ValueError(f"the path is longer than {4 * NAME_MAX} characters")
    return value


PlanFile = Annotated[str, Field(min_length=1), AfterValidator(_plan_file)]
"""A path in plan.yaml to a file in the plan folder."""

TYPED_NUMBER = re.compile(
    r"^(?P<sign>[-+−–]?)\s*(?P<pound>£?)\s*(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?\s*(?P<percent>%?)$"
)
"""A value an author types to be checked: 15, 15.0 (one decimal place), '24%', '£1,234', '-4.8'."""
TYPED_HINT = "expected a typed number such as 15.0, '24%' or '£1,234'"


def _typed_text(value: object) -> str:
    """Keep a typed value as the text it was written as, so its precision is known ('15.0', not 15)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(TYPED_HINT)
    text = str(getattr(value, "text", None) or (value if isinstance(value, str) else repr(value))).strip()
    if not TYPED_NUMBER.match(text):
        raise ValueError(TYPED_HINT)  # the schema's message adds what was given
    return text


TypedNumber = Annotated[str, BeforeValidator(_typed_text)]
"""A typed value to check against a computed figure, as its text."""


class StrictModel(BaseModel):
    """Base for every input schema: unknown keys are errors, values are frozen."""

    # No input number is infinite or NaN ('.inf', '.nan' in YAML): none has a meaning, and they cannot be shown.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False, defer_build=True
    )


def field_path(loc: Key) -> str:
    """Render a pydantic location as 'sections[2].file'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if "input" in error and kind not in ("model_type", "dict_type"):
        value = error["input"]
        if isinstance(value, str | int | float | bool) or value is None:
            message += f"; got {value!r}"
    return message


def clean_location(loc: tuple[Any, ...]) -> Key:
    """A pydantic location without the union member names pydantic adds."""
    # pydantic adds union member names ("str", "function-after[...]") to locations.
    return tuple(p for p in loc if isinstance(p, int) or not ("[" in p or p in ("str", "int", "float", "date")))


def validate(
    model: type[ModelT],
    doc: YamlDocument,
    *,
    key: Key = (),
    error_type: type[PlanBuilderError] = ConfigError,
    context: dict[str, Any] | None = None,
) -> ModelT:
    """Validate `doc.data` (or the value at `key`) against `model`, or raise listing all problems."""
    value: Any = doc.data
    for part in key:
        value = value[part]
    if value is None:
        value = {}
    try:
        return model.model_validate(value, context=context)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = (*key, *clean_location(error["loc"]))
            problems.append(f"{doc.where(loc)}: {field_path(loc)}: {_message(dict(error))}")
        raise error_type(*dict.fromkeys(problems)) from exc
