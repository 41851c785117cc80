"""Prompt templates for the model-backed parts (prompts/templates/*.yaml), validated like scenario files.

Templates use `$name` placeholders (string.Template), so braces in scenario text or JSON schemas are safe.
Each template declares which placeholders it may use; an unknown one is a validation error at load time.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from string import Template
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from nextround.errors import NextroundError


class TemplateError(NextroundError):
    """A prompt template file is missing or invalid."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    placeholders: ClassVar[dict[str, set[str]]] = {}

    @model_validator(mode="after")
    def _known_placeholders(self):
        for field_name, allowed in self.placeholders.items():
            text = getattr(self, field_name)
            for match in Template.pattern.finditer(text):
                name = match.group("named") or match.group("braced")
                if match.group("invalid") is not None:
                    raise ValueError(f"{field_name}: a lone '$' (write $$ for a dollar sign)")
                if name and name not in allowed:
                    raise ValueError(f"{field_name}: unknown placeholder ${name} (allowed: {', '.join(sorted(allowed))})")
        return self


def fill(text: str, **values: object) -> str:
    return Template(text).substitute({k: str(v) for k, v in values.items()}).strip()


class CandorWords(_Strict):
    low: str
    reserved: str
    open: str
    candid: str

    def for_candor(self, candor: int) -> str:
        if candor < 35:
            return self.low
        if candor < 55:
            return self.reserved
        if candor < 75:
            return self.open
        return self.candid


class KindGuidance(_Strict):
    opening: str
    reveal: str
    more: str
    already_shared: str
    guarded: str
    defensive: str
    acknowledge: str
    off_topic: str
    closing: str


class Setting(_Strict):
    feedback: str
    career: str


class PersonaTemplate(_Strict):
    placeholders: ClassVar[dict[str, set[str]]] = {
        "system": {"name", "role", "setting", "style", "candor", "candor_words"},
        "share_now": {"items"},
        "shared_before": {"items"},
        "nothing_to_share": set(),
        "guidance": {"offline_line"},
    }
    system: str
    setting: Setting
    share_now: str
    shared_before: str
    nothing_to_share: str
    guidance: str
    candor_words: CandorWords
    kinds: KindGuidance
    history_turns: int = Field(default=8, ge=1, le=40)
    max_tokens: int = Field(default=160, ge=16, le=2000)


class JudgeTemplate(_Strict):
    placeholders: ClassVar[dict[str, set[str]]] = {"system": {"counterpart"}, "user": {"previous", "line"}}
    system: str
    user: str
    max_tokens: int = Field(default=220, ge=16, le=2000)


class PlanTemplate(_Strict):
    placeholders: ClassVar[dict[str, set[str]]] = {"system": set(), "user": {"path", "draft"}}
    system: str
    user: str
    max_tokens: int = Field(default=900, ge=64, le=8000)
    temperature: float = Field(default=0.2, ge=0, le=2)


def _load(name: str, model: type[BaseModel]):
    import yaml

    res = resources.files("nextround.prompts") / "templates" / f"{name}.yaml"
    source = f"prompt template {name}.yaml"
    try:
        data = yaml.safe_load(res.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TemplateError(f"{source} is missing from the installation") from None
    except yaml.YAMLError as exc:
        raise TemplateError(f"{source}: not valid YAML ({exc})") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise TemplateError(f"{source}: invalid field '{loc}': {first['msg']}") from None


@lru_cache(maxsize=None)
def persona_template() -> PersonaTemplate:
    return _load("persona", PersonaTemplate)


@lru_cache(maxsize=None)
def judge_template() -> JudgeTemplate:
    return _load("judge", JudgeTemplate)


@lru_cache(maxsize=None)
def plan_template() -> PlanTemplate:
    return _load("plan", PlanTemplate)
