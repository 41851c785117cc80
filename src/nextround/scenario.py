"""Scenario files: pydantic models, loading and friendly validation errors.

A scenario describes one counterpart (the hiring manager, or your own manager), the lines the offline
counterpart speaks, and the hidden insights the engine may unlock.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

from nextround.errors import NextroundError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Kind = Literal["feedback", "career"]
Area = Literal["skill", "visibility", "relationships", "networking", "job-search"]
StockQuestion = Literal["why_not_selected", "what_it_takes", "prospects", "manager_values", "path_here"]
Signal = Literal["path-open", "path-closed", "manager-advocates", "manager-lukewarm"]


class ScenarioError(NextroundError):
    """A scenario file is missing, unreadable or invalid. The message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Counterpart(_Strict):
    name: str = Field(min_length=1)
    role: str = Field(min_length=1)
    style: str = Field(min_length=1, description="how they talk, used by the LLM renderer")


class PlanAction(_Strict):
    area: Area
    action: str = Field(min_length=1)
    first_step: str = Field(min_length=1)
    measure: str = Field(min_length=1)
    due_days: int = Field(ge=1, le=365, description="days from the plan date")


class Insight(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    title: str = Field(min_length=1)
    cues: list[str] = Field(min_length=1, description="words or phrases that count as asking about this topic")
    min_candor: int = Field(ge=0, le=100)
    volunteer: bool = Field(
        default=True, description="may be offered unasked on an open request for advice; false = only on a direct ask"
    )
    knows: str = Field(min_length=1, description="what the counterpart knows; given to a model only once unlocked")
    reveal: list[str] = Field(min_length=1, description="offline lines that reveal it")
    ask_hint: str = Field(min_length=1, description="the kind of question that opens it")
    informs: list[StockQuestion] = Field(default_factory=list)
    signal: Signal | None = None
    action: PlanAction

    @field_validator("cues")
    @classmethod
    def _cues_not_blank(cls, cues: list[str]) -> list[str]:
        cleaned = [c.strip().lower() for c in cues if c.strip()]
        if not cleaned:
            raise ValueError("needs at least one non-empty cue")
        return cleaned


class Lines(_Strict):
    opening: str = Field(min_length=1)
    acknowledge: list[str] = Field(min_length=1)
    guarded: list[str] = Field(min_length=1, description="a topic was asked but candor is too low")
    defensive: list[str] = Field(min_length=1, description="reply to an adversarial turn")
    off_topic: list[str] = Field(min_length=1)
    already_shared: list[str] = Field(min_length=1, description="asked again about an unlocked insight")
    closing: list[str] = Field(min_length=1, description="warm goodbye, when candor ended high")
    closing_cool: list[str] = Field(min_length=1, description="polite but cool goodbye, when candor ended low")


class Scenario(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    kind: Kind
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    counterpart: Counterpart
    start_candor: int = Field(default=50, ge=0, le=100)
    lines: Lines
    insights: list[Insight] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> "Scenario":
        seen: set[str] = set()
        for insight in self.insights:
            if insight.id in seen:
                raise ValueError(f"duplicate insight id {insight.id!r}")
            seen.add(insight.id)
        return self

    def insight(self, insight_id: str) -> Insight:
        for insight in self.insights:
            if insight.id == insight_id:
                return insight
        raise KeyError(insight_id)


def _format_validation_error(source: str, err: ValidationError) -> str:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
    more = len(err.errors()) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{source}: invalid field '{loc}': {first['msg']}{suffix}"


def parse_scenario(text: str, source: str) -> Scenario:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{source}: not valid YAML{where}") from exc
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: a scenario file must be a YAML mapping")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_format_validation_error(source, exc)) from exc


def load_scenario_file(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: scenario file not found") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: scenario file is not valid UTF-8") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read scenario file ({exc.strerror})") from None
    return parse_scenario(text, str(path))


def builtin_names() -> list[str]:
    folder = resources.files("nextround.prompts") / "scenarios"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_builtin(name: str) -> Scenario:
    folder = resources.files("nextround.prompts") / "scenarios"
    res = folder / f"{name}.yaml"
    if not res.is_file():
        raise ScenarioError(f"no built-in scenario named {name!r} (built-in: {', '.join(builtin_names())})")
    return parse_scenario(res.read_text(encoding="utf-8"), f"built-in scenario {name}")


def user_scenario_dir() -> Path:
    from nextround.paths import config_dir

    return config_dir() / "scenarios"


def resolve_scenario(ref: str | None, default_name: str) -> Scenario:
    """Find a scenario by file path, user scenario name or built-in name."""
    if ref is None:
        return load_builtin(default_name)
    as_path = Path(ref).expanduser()
    if as_path.suffix in {".yaml", ".yml"} or as_path.exists() or "/" in ref:
        return load_scenario_file(as_path)
    user_file = user_scenario_dir() / f"{ref}.yaml"
    if user_file.exists():
        return load_scenario_file(user_file)
    return load_builtin(ref)
