"""What a rehearsal builds from the model settings: the persona, the tone judge and the line reader, with the
session's usage meter attached to the chat model.

The only module that knows the settings, the model parts and the persona together, so it sits above all of them:
`models/` never imports `persona/` or this module, and `persona/` builds on `models/`, never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from nextround.models.settings import JudgeMode, Settings


@dataclass
class ModelParts:
    """What a rehearsal needs from the model side, and the labels for the session record."""

    persona: Any
    judge: Callable | None
    reader: Callable | None
    judge_mode: JudgeMode
    provider: str
    model: str | None


def build_rehearsal_parts(settings: Settings) -> ModelParts:
    """The persona, tone judge and line reader for a rehearsal. Offline needs nothing from the model stack."""
    if not settings.uses_model:
        return ModelParts(persona=None, judge=None, reader=None, judge_mode="local", provider="offline", model=None)
    from nextround.models.client import build_model
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
