"""Builds the chat model the settings name: ``ChatOpenAI`` for every OpenAI-compatible endpoint (OpenAI, llama.cpp's
server, Ollama, vLLM, LM Studio), or any installed LangChain chat model given as ``module:Class``.

The key comes from the environment only (``Settings.api_key`` is read from ``OPENAI_API_KEY``); a keyless local
server gets a placeholder, because the SDK wants a non-empty one. LangChain and the SDK are imported here,
inside the function, so that importing this module costs nothing.
"""

from __future__ import annotations

import importlib
from typing import Any

from nextround.models.settings import Settings, SettingsError, traffic_log_path

# Local servers (llama.cpp, Ollama, vLLM, LM Studio) do not need a key, but the SDK wants a non-empty one.
PLACEHOLDER_KEY = "not-needed"
# A closed port should fail in seconds, whatever the read timeout is.
MAX_CONNECT_SECONDS = 5.0


def build_model(settings: Settings, meter: Any = None):
    """The chat model with the usage meter and (with log_traffic) the traffic log as callbacks."""
    from nextround.models.chat import safe_url

    callbacks: list[Any] = [meter] if meter is not None else []
    if settings.log_traffic:
        from nextround.models.traffic import TrafficLog

        callbacks.append(TrafficLog(traffic_log_path(), safe_url(settings.endpoint)))
    return build_chat_model(settings, callbacks)


def build_chat_model(settings: Settings, callbacks: list[Any] | None = None):
    """A langchain-core BaseChatModel for these settings (which must name a model, not offline)."""
    if settings.model_class is not None:
        return _named_class(settings, callbacks)
    import openai
    from langchain_openai import ChatOpenAI

    key = settings.api_key.get_secret_value() if settings.api_key is not None else PLACEHOLDER_KEY
    return ChatOpenAI(
        model=settings.effective_model,
        base_url=settings.endpoint,
        api_key=key,
        timeout=openai.Timeout(settings.timeout, connect=min(MAX_CONNECT_SECONDS, settings.timeout)),
        max_retries=settings.max_retries,
        stream_usage=True,  # token counts while streaming, also with a custom base URL
        callbacks=callbacks or None,
    )


def _named_class(settings: Settings, callbacks: list[Any] | None):
    path = settings.model_class
    module_name, class_name = path.split(":", 1)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise SettingsError(f"provider {path}: cannot import {module_name} ({exc}); install it, "
                            "or use --provider openai / offline") from None
    cls = getattr(module, class_name, None)
    from langchain_core.language_models import BaseChatModel

    if not (isinstance(cls, type) and issubclass(cls, BaseChatModel)):
        raise SettingsError(f"provider {path}: {class_name} is not a LangChain chat model class in {module_name}")
    kwargs: dict[str, Any] = dict(settings.model_kwargs)
    # --model fills the class's `model` field when the [model_kwargs] table does not.
    if settings.model and "model" not in kwargs and "model" in getattr(cls, "model_fields", {}):
        kwargs["model"] = settings.model
    try:
        return cls(**kwargs, callbacks=callbacks or None)
    except Exception as exc:  # noqa: BLE001 - a wrong keyword, a missing credential: the class says which
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SettingsError(f"provider {path}: cannot build it from [model_kwargs] ({first})") from None
