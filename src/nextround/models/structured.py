"""Structured output from any chat model, strict json_schema mode or not.

One call asks for a pydantic model's worth of JSON by the first method that works, validates the reply, asks
once more with the problem spelled out if it does not validate, and then gives up (None: the caller falls back
to its local path). Methods:

- ``json_schema``  the model's own ``with_structured_output``: OpenAI's strict structured output on ChatOpenAI,
                   whatever the class implements elsewhere (a class without it goes on to ``prompt``).
- ``json_object``  ChatOpenAI's JSON mode with the schema passed along (llama.cpp's server turns it into a
                   grammar that holds the reply to the schema; servers that do not know the key ignore it).
- ``prompt``       no response format: the schema goes into the prompt and the JSON is parsed from the text.
- ``auto``         ``json_schema`` on api.openai.com and for other LangChain classes, ``json_object`` on other
                   OpenAI-compatible servers; a server that refuses the requested format is asked again with the
                   next method (json_schema -> json_object -> prompt).

Every reply is parsed with LangChain's JSON parser (code fences and surrounding prose are tolerated) and
validated with the pydantic model, plus an optional ``check`` for what a schema cannot say.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from nextround.models.chat import call_options, is_openai_client, is_openai_proper
from nextround.models.errors import LLMError, model_errors, rejects_format, short
from nextround.models.prompts import fill, structured_template
from nextround.models.usage import message_text
from nextround.schema import list_validation_problems

T = TypeVar("T", bound=BaseModel)
ORDER = ("json_schema", "json_object", "prompt")
#: How much of a rejected reply is echoed back in the retry (small local models have little context).
ECHO_CHARS = 1500


@dataclass
class StructuredResult(Generic[T]):
    value: T | None
    method: str  # the method that produced the last reply
    attempts: int  # model calls made
    error: str | None = None  # why the last reply was not accepted, when value is None
    raw: str = ""


class _FormatUnsupported(Exception):
    """The model class has no structured output of its own."""


def resolve_method(model: Any, method: str) -> str:
    if method != "auto":
        return method
    if is_openai_client(model) and not is_openai_proper(model):
        return "json_object"
    return "json_schema"


def schema_for(model_cls: type[BaseModel]) -> dict[str, Any]:
    return _drop_titles(model_cls.model_json_schema())


def _drop_titles(node: Any, names: bool = False) -> Any:
    """Titles add tokens (slow on small local models) and nothing a model needs. `names`: a mapping of
    property names (under "properties" or "$defs"), whose keys are kept even if one is called "title"."""
    if isinstance(node, dict):
        return {
            k: _drop_titles(v, names=(not names and k in {"properties", "$defs"}))
            for k, v in node.items()
            if names or not (k == "title" and isinstance(v, str))
        }
    if isinstance(node, list):
        return [_drop_titles(v) for v in node]
    return node


def ask_structured(model: Any, messages: list, model_cls: type[T], *, name: str, method: str = "auto",
                   max_tokens: int = 600, temperature: float | None = 0.2, options: dict[str, Any] | None = None,
                   downgrade: bool | None = None, check: Callable[[T], None] | None = None) -> StructuredResult[T]:
    """Ask MODEL for a `model_cls` object. Transport failures (unreachable, 401, 429, 5xx) raise LLMError.

    `messages` are LangChain messages (system first). `check` may raise ValueError for a reply that validates but
    is wrong in context; it counts as a validation error. `downgrade` (default: on for "auto") moves to the next
    method when the server refuses the requested response format."""
    chosen = resolve_method(model, method)
    if downgrade is None:
        downgrade = method == "auto"
    schema = schema_for(model_cls)
    attempts = 0
    while True:
        try:
            return _attempt(model, messages, model_cls, name, chosen, schema, attempts, check,
                            call_options(model, **{"max_tokens": max_tokens, "temperature": temperature,
                                                       **(options or {})}))
        except _FormatUnsupported:
            chosen = "prompt"
        except LLMError as error:
            if not (downgrade and rejects_format(error) and chosen != "prompt"):
                raise
            chosen = ORDER[ORDER.index(chosen) + 1]
            attempts += 1


def _runnable(model: Any, method: str, name: str, schema: dict[str, Any], options: dict[str, Any]):
    """The runnable for one method (with the call's options bound), and whether the server itself holds the reply
    to the schema."""
    if method == "json_schema":
        try:
            if is_openai_client(model):
                return model.with_structured_output({"title": name, **schema}, method="json_schema", strict=False,
                                                    include_raw=True, **options), True
            return model.with_structured_output({"title": name, **schema}, include_raw=True), True
        except NotImplementedError:
            raise _FormatUnsupported from None
    if method == "json_object" and is_openai_client(model):
        if is_openai_proper(model):  # OpenAI's JSON mode takes no schema: it goes into the prompt
            return model.bind(response_format={"type": "json_object"}, **options), False
        return model.bind(response_format={"type": "json_object", "schema": schema}, **options), True
    return (model.bind(**options) if options else model), False


def _attempt(model, messages, model_cls, name, method, schema, attempts, check, options):
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    words = structured_template()
    runnable, enforced = _runnable(model, method, name, schema, options)
    conversation = list(messages)
    if not enforced:
        # No server-side schema: it goes into the prompt. (Where the server enforces it, it would only cost
        # context, which small local models have little of.)
        instruction = fill(words.schema_instruction, schema=json.dumps(schema, separators=(",", ":"),
                                                                        ensure_ascii=False))
        first = conversation[0]
        if isinstance(first, SystemMessage):
            conversation[0] = SystemMessage(content=f"{message_text(first)}\n\n{instruction}")
        else:
            conversation.insert(0, SystemMessage(content=instruction))
    error = None
    raw = ""
    for round_no in range(2):
        try:
            with model_errors(model):
                reply = runnable.invoke(conversation)
        except LLMError as exc:
            # The retry is longer than the first ask; a server with a small context may refuse it.
            if round_no == 0 or exc.status not in {400, 413}:
                raise
            error = f"{error}; the retry was refused ({short(exc.detail or str(exc))})"
            break
        attempts += 1
        if isinstance(reply, dict) and "raw" in reply:  # with_structured_output(include_raw=True)
            raw = message_text(reply["raw"])
            data = reply.get("parsed")
        else:
            raw, data = message_text(reply), None
        try:
            value = model_cls.model_validate(data if isinstance(data, dict) else parse_json(raw))
            if check is not None:
                check(value)
            return StructuredResult(value=value, method=method, attempts=attempts, raw=raw)
        except (ValueError, ValidationError) as exc:  # JSONDecodeError and OutputParserException are ValueErrors
            error = problem(exc)
        if round_no == 0:
            echoed = raw if len(raw) <= ECHO_CHARS else raw[:ECHO_CHARS] + " …"
            conversation += [AIMessage(content=echoed or words.empty_reply),
                             HumanMessage(content=fill(words.retry, problem=error))]
    return StructuredResult(value=None, method=method, attempts=attempts, error=error, raw=raw)


def parse_json(text: str) -> Any:
    """The JSON object in a reply that may be wrapped in code fences or a sentence (LangChain's parser)."""
    from langchain_core.utils.json import parse_json_markdown

    if not text.strip():
        raise ValueError("the reply was empty")
    try:
        return parse_json_markdown(text)
    except json.JSONDecodeError:
        start, end = text.find("{"), text.rfind("}")
        if start == -1 or end <= start:
            raise ValueError("the reply contains no JSON object") from None
        return json.loads(text[start: end + 1])


def problem(exc: Exception) -> str:
    """What was wrong with a reply, in a line a model (and a person) can act on."""
    if isinstance(exc, ValidationError):
        return list_validation_problems(exc)
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON ({exc.msg} at position {exc.pos})"
    return str(exc)


#: Statuses that mean the endpoint is not there for us (wrong URL, no access): asking again would only repeat them.
UNREACHABLE_STATUSES = frozenset({401, 403, 404})


class LineAsker:
    """Asks a model one validated question per line (the tone judge, the line reader), quietly.

    A failure never reaches the user from here: the counterpart's reply meets the same endpoint and says what is
    wrong. After an answer that means the endpoint is not there (no connection, 401, 403, 404) it stops asking;
    after a transient one (429, 5xx) it asks again next line. `failures` says why it stayed silent.
    """

    def __init__(self, model, method: str = "auto", request_overrides: dict | None = None):
        self.model = model
        self.method = method
        self.request_overrides = dict(request_overrides or {})
        self.failures: list[str] = []
        self._unreachable = False

    def ask(self, messages: list, schema, *, name: str, max_tokens: int, what: str):
        """The validated reply, or None (and a line in `failures`)."""
        if self._unreachable:
            return None
        try:
            result = ask_structured(self.model, messages, schema, name=name, method=self.method,
                                    max_tokens=max_tokens, temperature=0.0, options=self.request_overrides)
        except LLMError as exc:
            self.failures.append(str(exc))
            if exc.status is None or exc.status in UNREACHABLE_STATUSES:
                self._unreachable = True
            return None
        if result.value is None:
            self.failures.append(result.error or f"no valid {what}")
            return None
        return result.value
