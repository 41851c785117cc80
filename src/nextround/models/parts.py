"""What a command builds from the model settings: the chat model (with its usage meter and, when asked, the
traffic log attached), and for a rehearsal the persona, the tone judge and the line reader.

The only module that knows both the settings and the parts: the parts themselves take a chat model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from nextround.models.settings import JudgeMode, Settings, traffic_log_path


@dataclass
class ModelParts:
    """What a rehearsal needs from the model side, and the labels for the session record."""

    persona: Any
    judge: Callable | None
    reader: Callable | None
    judge_mode: JudgeMode
    provider: str
    model: str | None


def build_model(settings: Settings, meter: Any = None):
    """The chat model with the usage meter and (with log_traffic) the traffic log as callbacks."""
    from nextround.models.chat import safe_url
    from nextround.models.client import build_chat_model

    callbacks: list[Any] = [meter] if meter is not None else []
    if settings.log_traffic:
        from nextround.models.traffic import TrafficLog

        callbacks.append(TrafficLog(traffic_log_path(), safe_url(settings.endpoint)))
    return build_chat_model(settings, callbacks)


def build_rehearsal_parts(settings: Settings) -> ModelParts:
    """The persona, tone judge and line reader for a rehearsal. Offline needs nothing from the model stack."""
    if not settings.uses_model:
        return ModelParts(persona=None, judge=None, reader=None, judge_mode="local", provider="offline", model=None)
    from nextround.models.reader import LineReader
    from nextround.models.usage import UsageMeter
    from nextround.persona.llm import LLMPersona

    meter = UsageMeter()
    model = build_model(settings, meter)
    judge = None
    if settings.effective_judge in {"llm", "both"}:
        from nextround.models.judge import ToneJudge

        judge = ToneJudge(model, method=settings.structured_output)
    return ModelParts(
        persona=LLMPersona(model, meter=meter), judge=judge,
        reader=LineReader(model, method=settings.structured_output), judge_mode=settings.effective_judge,
        provider=settings.effective_provider, model=settings.effective_model,
    )
