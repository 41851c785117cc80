"""The strict base model every file format and model reply is validated with, and how its errors read.

One definition: scenario files, prompt templates, plans and model replies all reject unknown keys and strip
surrounding whitespace, and a validation error is always shown as ``SOURCE: invalid field 'a.b': message``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError


class StrictModel(BaseModel):
    """Unknown keys are an error (a typo in a YAML file is caught, not ignored); text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def format_validation_error(source: str, err: ValidationError) -> str:
    """One line naming the source, the first bad field and how many more problems there are."""
    errors = err.errors()
    first = errors[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
    more = len(errors) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{source}: invalid field '{loc}': {first['msg']}{suffix}"
