"""The prompt templates (prompts/templates/*.yaml) as LangChain ``ChatPromptTemplate``s, validated when loaded.

A template file declares its ``input_variables`` and its ``messages`` (role + f-string template; a message with
role ``placeholder`` and template ``{history}`` stands for the conversation so far). Loading checks, and names the
file and the field on failure:

- every ``{variable}`` a message uses is declared (a typo is caught, not sent to the model half-filled);
- every declared variable is used, and is one the code fills (a variable nobody fills would be an error later);
- the variables the code needs are declared (``required``);
- smaller pieces (the persona's ``share_now``…) use only the variable each is filled with.

Values are never parsed as templates, so braces in scenario text, a user's line or a JSON schema are safe;
a literal brace in a template file is written ``{{`` or ``}}``.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, ClassVar, Literal

from pydantic import Field, ValidationError, model_validator

from nextround.errors import NextroundError
from nextround.moves import MOVES
from nextround.schema import StrictModel, format_validation_error, yaml_load


class TemplateError(NextroundError):
    """A prompt template file is missing or invalid."""


def variables_of(template: str) -> list[str]:
    from langchain_core.prompts.string import get_template_variables

    return get_template_variables(template, "f-string")


class PromptMessage(StrictModel):
    role: Literal["system", "user", "assistant", "placeholder"]
    template: str = Field(min_length=1)


class ChatPromptFile(StrictModel):
    """A chat prompt: declared variables and messages. Subclasses say which variables the code fills."""

    model_config = {"ignored_types": (cached_property,)}

    available: ClassVar[frozenset[str]] = frozenset()  # what the code can fill
    required: ClassVar[frozenset[str]] = frozenset()  # what the template must use
    pieces: ClassVar[dict[str, frozenset[str]]] = {}  # smaller string templates: field -> variables allowed

    input_variables: list[str]
    messages: list[PromptMessage] = Field(min_length=1)

    @model_validator(mode="after")
    def _variables_fit(self):
        declared = set(self.input_variables)
        unknown = sorted(declared - self.available)
        if unknown:
            raise ValueError(f"input_variables: {{{unknown[0]}}} is not filled by nextround "
                             f"(it fills: {', '.join(sorted(self.available))})")
        missing = sorted(self.required - declared)
        if missing:
            raise ValueError(f"input_variables: {{{missing[0]}}} is missing (required: "
                             f"{', '.join(sorted(self.required))})")
        used: set[str] = set()
        for i, message in enumerate(self.messages):
            try:
                names = variables_of(message.template)
            except (ValueError, KeyError, IndexError) as exc:
                raise ValueError(f"messages.{i}.template: not a valid template ({exc}); write {{{{ and }}}} "
                                 "for literal braces") from None
            if message.role == "placeholder" and len(names) != 1:
                raise ValueError(f"messages.{i}.template: a placeholder is one variable, like {{history}}")
            for name in names:
                if name not in declared:
                    raise ValueError(f"messages.{i}.template: uses {{{name}}}, which input_variables does not "
                                     f"declare ({', '.join(self.input_variables) or 'none'})")
            used.update(names)
        unused = [name for name in self.input_variables if name not in used]
        if unused:
            raise ValueError(f"input_variables: {{{unused[0]}}} is declared but no message uses it")
        for field_name, allowed in self.pieces.items():
            text = getattr(self, field_name)
            for name in variables_of(text):
                if name not in allowed:
                    raise ValueError(f"{field_name}: uses {{{name}}} (allowed here: "
                                     f"{', '.join('{' + a + '}' for a in sorted(allowed)) or 'none'})")
        return self

    @cached_property
    def chat_prompt(self):
        """The ChatPromptTemplate (built once per loaded file)."""
        from langchain_core.prompts import ChatPromptTemplate

        roles = {"user": "human", "assistant": "ai", "system": "system", "placeholder": "placeholder"}
        return ChatPromptTemplate.from_messages([(roles[m.role], m.template) for m in self.messages])

    def format_messages(self, **values: Any) -> list:
        return self.chat_prompt.format_messages(**values)


def fill(piece: str, **values: Any) -> str:
    """Fill one of the smaller string templates (validated with the file)."""
    from langchain_core.prompts import PromptTemplate

    return PromptTemplate.from_template(piece).format(**{k: str(v) for k, v in values.items()}).strip()


# --- the templates --------------------------------------------------------------------------------------------------


class CandorWords(StrictModel):
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


class Setting(StrictModel):
    feedback: str
    career: str


class PersonaTemplate(ChatPromptFile):
    available = frozenset({"name", "role", "setting", "style", "candor", "candor_words", "knowledge", "task",
                           "guidance", "history"})
    required = frozenset({"knowledge", "task", "history"})
    pieces = {"share_now": frozenset({"items"}), "shared_before": frozenset({"items"}),
              "nothing_to_share": frozenset(), "guidance": frozenset({"offline_line"}), "wrap_up": frozenset()}

    setting: Setting
    share_now: str
    shared_before: str
    nothing_to_share: str
    guidance: str
    wrap_up: str
    candor_words: CandorWords
    moves: dict[str, str]
    history_turns: int = Field(default=8, ge=1, le=40)
    max_tokens: int = Field(default=160, ge=16, le=2000)

    @model_validator(mode="after")
    def _every_move(self):
        missing = [m for m in MOVES if not self.moves.get(m, "").strip()]
        unknown = [m for m in self.moves if m not in MOVES]
        if missing or unknown:
            what = f"no guidance for {', '.join(missing)}" if missing else f"unknown move {', '.join(unknown)}"
            raise ValueError(f"moves: {what} (the moves are: {', '.join(MOVES)})")
        return self


class JudgeTemplate(ChatPromptFile):
    available = frozenset({"counterpart", "categories", "previous", "line"})
    required = frozenset({"line"})
    max_tokens: int = Field(default=220, ge=16, le=2000)


class ReaderTemplate(ChatPromptFile):
    available = frozenset({"counterpart", "setting", "topics", "stances", "previous", "line"})
    required = frozenset({"topics", "stances", "line"})
    setting: Setting
    max_tokens: int = Field(default=120, ge=16, le=2000)


class PlanTemplate(ChatPromptFile):
    available = frozenset({"path", "draft"})
    required = frozenset({"draft"})
    max_tokens: int = Field(default=900, ge=64, le=8000)
    temperature: float = Field(default=0.2, ge=0, le=2)


class ScenarioDraftTemplate(ChatPromptFile):
    """A new scenario's slot texts, drafted by a model from the user's answers and the offline draft."""

    available = frozenset({"conversation", "role", "field", "winner", "held_back", "draft"})
    required = frozenset({"draft"})
    max_tokens: int = Field(default=700, ge=64, le=8000)
    temperature: float = Field(default=0.2, ge=0, le=2)


class StructuredTemplate(StrictModel):
    """The words structured output adds to a conversation: the schema, and the ask to correct a reply."""

    pieces: ClassVar[dict[str, frozenset[str]]] = {"schema_instruction": frozenset({"schema"}),
                                                    "retry": frozenset({"problem"}), "empty_reply": frozenset()}
    schema_instruction: str
    retry: str
    empty_reply: str

    @model_validator(mode="after")
    def _pieces_fit(self):
        for field_name, allowed in self.pieces.items():
            names = set(variables_of(getattr(self, field_name)))
            if names - allowed or allowed - names:
                raise ValueError(f"{field_name}: must use exactly "
                                 f"{', '.join('{' + a + '}' for a in sorted(allowed)) or 'no variable'}")
        return self


def load_template(name: str, model: type[StrictModel], text: str | None = None):
    """Load and validate prompts/templates/NAME.yaml (or TEXT, for tests) as MODEL."""
    import yaml

    source = f"prompt template {name}.yaml"
    try:
        if text is None:
            text = (resources.files("nextround.prompts") / "templates" / f"{name}.yaml").read_text(encoding="utf-8")
        data = yaml_load(text)
    except FileNotFoundError:
        raise TemplateError(f"{source} is missing from the installation") from None
    except yaml.YAMLError as exc:
        raise TemplateError(f"{source}: not valid YAML ({' '.join(str(exc).split())})") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise TemplateError(format_validation_error(source, exc)) from None


@lru_cache(maxsize=None)
def persona_template() -> PersonaTemplate:
    return load_template("persona", PersonaTemplate)


@lru_cache(maxsize=None)
def judge_template() -> JudgeTemplate:
    return load_template("judge", JudgeTemplate)


@lru_cache(maxsize=None)
def reader_template() -> ReaderTemplate:
    return load_template("reader", ReaderTemplate)


@lru_cache(maxsize=None)
def plan_template() -> PlanTemplate:
    return load_template("plan", PlanTemplate)


@lru_cache(maxsize=None)
def scenario_draft_template() -> ScenarioDraftTemplate:
    return load_template("scenario", ScenarioDraftTemplate)


@lru_cache(maxsize=None)
def structured_template() -> StructuredTemplate:
    return load_template("structured", StructuredTemplate)
