"""The strict base model every file format and model reply is validated with, how its errors read, and how YAML
files are parsed.

One definition: scenario files, prompt templates, plans and model replies all reject unknown keys and strip
surrounding whitespace; a validation error is always shown as ``SOURCE: invalid field 'a.b': message`` (or
``SOURCE: message`` when a check of the whole file failed), and a model is told its reply's problems as
``a.b: message; c: message``. YAML files (scenarios, prompt templates) are parsed safely by `yaml_load`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError


class StrictModel(BaseModel):
    """Unknown keys are an error (a typo in a YAML file is caught, not ignored); text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def field_path(error: dict[str, Any]) -> str:
    """Where one pydantic error is, as ``a.b.0.c`` (empty for a check of the whole object)."""
    return ".".join(str(p) for p in error["loc"])


def error_message(error: dict[str, Any]) -> str:
    """What one pydantic error says, without pydantic's "Value error, " prefix for our own checks."""
    return error["msg"].removeprefix("Value error, ")


def format_validation_error(source: str, err: ValidationError) -> str:
    """One line naming the source, the first bad field and how many more problems there are."""
    errors = err.errors()
    first = errors[0]
    more = len(errors) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    where = field_path(first)
    if not where:  # a check of the whole file names what is wrong in its own message
        return f"{source}: {error_message(first)}{suffix}"
    return f"{source}: invalid field '{where}': {error_message(first)}{suffix}"


def list_validation_problems(err: ValidationError, limit: int = 5) -> str:
    """Every problem (up to LIMIT) as ``a.b: message; c: message``: what a model is told to fix in its reply."""
    return "; ".join(f"{field_path(e) or '(top level)'}: {error_message(e)}" for e in err.errors()[:limit])


def yaml_load(text: str) -> Any:
    """Parse YAML safely, with libyaml's C loader when PyYAML has it (about 15 times faster)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
