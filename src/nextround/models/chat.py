"""The small interface the model-backed parts (persona, judge, reader, plan wording) depend on.

They take any langchain-core ``BaseChatModel`` and ask it three things through these helpers: which request
options it accepts, where it is (for error messages) and what to call it (for the session record). They never
build one: that is `nextround.models.client`, called by `nextround.models.client.build_model`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    ChatModel = BaseChatModel
else:
    ChatModel = Any

OPENAI_URL = "https://api.openai.com/v1"


def is_openai_client(model: Any) -> bool:
    """ChatOpenAI (or a subclass): it takes OpenAI request fields (max_tokens, response_format, logit_bias…)."""
    return any(cls.__name__ == "ChatOpenAI" and cls.__module__.startswith("langchain_openai")
               for cls in type(model).__mro__)


def call_options(model: Any, **wanted: Any) -> dict[str, Any]:
    """Request options for one call, limited to what the model takes: ChatOpenAI sends any of them in the request
    body; another class gets only the ones it declares as fields (others would be an error or silently lost)."""
    wanted = {k: v for k, v in wanted.items() if v is not None}
    if is_openai_client(model):
        if "max_tokens" in wanted and not is_openai_proper(model):
            # ChatOpenAI sends the limit as max_completion_tokens, which many OpenAI-compatible servers (llama.cpp's
            # Python server, older vLLM) do not know: without max_tokens they would generate until the context ends.
            wanted["extra_body"] = {**wanted.get("extra_body", {}), "max_tokens": wanted["max_tokens"]}
        return wanted
    fields = getattr(type(model), "model_fields", {})
    return {k: v for k, v in wanted.items() if k in fields}


def endpoint_of(model: Any) -> str:
    """Where the model is, for messages: the base URL (without any user:password part), or the class name."""
    if is_openai_client(model):
        return safe_url(getattr(model, "openai_api_base", None) or OPENAI_URL).rstrip("/")
    for name in ("base_url", "api_base", "endpoint"):
        value = getattr(model, name, None)
        if isinstance(value, str) and value:
            return safe_url(value).rstrip("/")
    return f"{type(model).__module__}:{type(model).__name__}"


def is_openai_proper(model: Any) -> bool:
    return is_openai_client(model) and "api.openai.com" in endpoint_of(model)


def model_label(model: Any) -> str:
    for name in ("model_name", "model", "model_id"):
        value = getattr(model, name, None)
        if isinstance(value, str) and value:
            return value
    return type(model).__name__


def safe_url(url: str) -> str:
    """The URL without credentials a user may have put into it (https://user:secret@host/…)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
