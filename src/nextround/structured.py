"""Structured output that works on any OpenAI-compatible server, strict json_schema mode or not.

One call: ask for JSON by the configured method, parse it, validate it with a pydantic model; if that fails,
retry once with the validation error in the conversation; then give up and return None (the caller falls back
to its local path). Methods:

- ``json_schema``  OpenAI's strict structured output (``response_format`` type ``json_schema``).
- ``json_object``  JSON mode; for servers that accept it (llama.cpp) the schema rides along and constrains the
                   output; the schema is also written into the prompt.
- ``prompt``       no response_format at all: the schema is in the prompt, the reply is parsed from text.
- ``auto``         ``json_schema`` on api.openai.com, ``json_object`` elsewhere; a server that rejects the
                   requested format is asked again with the next method (json_schema -> json_object -> prompt).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from nextround.llm import ChatClient, LLMError, _short

T = TypeVar("T", bound=BaseModel)
_ORDER = ["json_schema", "json_object", "prompt"]
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)


@dataclass
class StructuredResult(Generic[T]):
    value: T | None
    method: str  # the method that produced the last reply
    attempts: int  # model calls made (at most 2 per method tried)
    error: str | None = None  # why the last reply was not accepted, when value is None
    raw: str = ""


def resolve_method(client: ChatClient, method: str) -> str:
    if method != "auto":
        return method
    return "json_schema" if client.settings.is_openai_proper else "json_object"


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


def schema_instruction(schema: dict[str, Any]) -> str:
    return (
        "Reply with one JSON object only (no prose, no code fences) that matches this JSON schema:\n"
        + json.dumps(schema, separators=(",", ":"), ensure_ascii=False)
    )


def _response_format(client: ChatClient, method: str, name: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    if method == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": False}}
    if method == "json_object":
        if client.settings.is_openai_proper:
            return {"type": "json_object"}
        # llama.cpp (and some others) turn this schema into a grammar; servers that do not know the key ignore it.
        return {"type": "json_object", "schema": schema}
    return None


def extract_json(text: str) -> Any:
    """Parse a JSON object out of a reply that may be wrapped in code fences or a sentence."""
    body = _FENCE.sub("", text.strip())
    try:
        return json.loads(body)
    except json.JSONDecodeError:
        pass
    start, end = body.find("{"), body.rfind("}")
    if start == -1 or end <= start:
        raise ValueError("the reply contains no JSON object" if body else "the reply was empty")
    return json.loads(body[start : end + 1])


def _problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        parts = []
        for err in exc.errors()[:5]:
            loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
            parts.append(f"{loc}: {err['msg']}")
        return "; ".join(parts)
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON ({exc.msg} at position {exc.pos})"
    return str(exc)


def _rejects_format(error: LLMError) -> bool:
    """Did the server refuse the response_format itself (rather than fail for another reason)?"""
    detail = (error.detail or "").lower()
    return error.status is not None and error.status >= 400 and any(
        word in detail for word in ("response_format", "json_schema", "json_object")
    )


def structured_call(client: ChatClient, messages: list[dict[str, str]], model_cls: type[T], *, name: str,
                    method: str = "auto", max_tokens: int = 600, extra: dict[str, Any] | None = None,
                    temperature: float | None = 0.2, downgrade: bool | None = None,
                    check: Callable[[T], None] | None = None) -> StructuredResult[T]:
    """Ask for a `model_cls` object. Transport failures (unreachable, 401, 429, 5xx) raise LLMError.

    `check` may raise ValueError for a reply that validates but is wrong in context (e.g. a quote that was never
    said); it counts as a validation error. `downgrade` (default: on for "auto") moves to the next method when the
    server rejects the requested response format."""
    chosen = resolve_method(client, method)
    if downgrade is None:
        downgrade = method == "auto"
    schema = schema_for(model_cls)
    attempts = 0
    while True:
        try:
            return _attempt(client, messages, model_cls, name, chosen, schema, max_tokens, extra, temperature,
                            attempts, check)
        except LLMError as error:
            if not (downgrade and _rejects_format(error) and chosen != "prompt"):
                raise
            chosen = _ORDER[_ORDER.index(chosen) + 1]
            attempts += 1


def _attempt(client, messages, model_cls, name, method, schema, max_tokens, extra, temperature, attempts, check):
    conversation = [dict(m) for m in messages]
    response_format = _response_format(client, method, name, schema)
    enforced = response_format is not None and (method == "json_schema" or "schema" in response_format)
    if not enforced:
        # No server-side schema: it goes into the prompt. (Where the server enforces it, it would only cost
        # context, which small local models have little of.)
        first = conversation[0]
        conversation[0] = {**first, "content": first["content"] + "\n\n" + schema_instruction(schema)}
    error = None
    raw = ""
    for round_no in range(2):
        try:
            raw = client.complete(conversation, max_tokens=max_tokens, response_format=response_format, extra=extra,
                                  temperature=temperature)
        except LLMError as exc:
            # The retry is longer than the first ask; a server with a small context may refuse it.
            if round_no == 0 or exc.status not in {400, 413}:
                raise
            error = f"{error}; the retry was refused ({_short(exc.detail or str(exc))})"
            break
        attempts += 1
        try:
            value = model_cls.model_validate(extract_json(raw))
            if check is not None:
                check(value)
            return StructuredResult(value=value, method=method, attempts=attempts, raw=raw)
        except (ValueError, ValidationError) as exc:  # JSONDecodeError is a ValueError
            error = _problem(exc)
        if round_no == 0:
            echoed = raw if len(raw) <= 1500 else raw[:1500] + " …"
            conversation += [
                {"role": "assistant", "content": echoed or "(empty reply)"},
                {"role": "user", "content": f"That reply was not accepted: {error}. Answer again with only the "
                                            "corrected JSON object."},
            ]
    return StructuredResult(value=None, method=method, attempts=attempts, error=error, raw=raw)
