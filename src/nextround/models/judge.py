"""The model tone judge: a second opinion (score, reason, rewrite) next to the local score.

A verdict names the adversarial category it hears (or "none") and quotes the phrase that carries it. It counts
only when it explains itself (`nextround.reading.merge`): lower than the local score, an adversarial category, a
phrase that occurs in the line, and the model's own reading naming the same stance; then ``llm`` uses its score and
``both`` averages it with the local one. Any other verdict is recorded with the turn and dropped. On any failure (unreachable endpoint, an error status, a reply that does not validate after one retry)
it returns None and the local score stands alone.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from nextround.models.chat import ChatModel, model_label
from nextround.models.prompts import JudgeTemplate, judge_template
from nextround.models.structured import LineAsker
from nextround.reading.stances import STANCES
from nextround.scenario import Scenario
from nextround.schema import StrictModel


#: What a verdict may name: the adversarial stances of the catalogue, or "none".
CATEGORIES = tuple(s.id for s in STANCES if s.polarity < 0) + ("none",)


class ToneVerdict(StrictModel):
    """What the judge must return."""

    score: int = Field(ge=0, le=100, description="0 = adversarial, 100 = collaborative")
    category: Literal[CATEGORIES] = Field(  # type: ignore[valid-type]
        description="the adversarial stance the line takes, or none")
    phrase: str = Field(max_length=400, description="the exact words of the line that carry it; empty if none")
    reason: str = Field(min_length=1, max_length=600, description="one sentence: why it lands that way")
    rewrite: str = Field(min_length=1, max_length=800, description="the same request, said collaboratively")

    @field_validator("score", mode="before")
    @classmethod
    def _round_float(cls, value: Any) -> Any:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value


def previous_counterpart_line(history: list[tuple[str, str]]) -> str:
    """What the counterpart said last before the line being read."""
    return next((text for role, text in reversed(history) if role == "counterpart"), "")


class ToneJudge(LineAsker):
    """Callable as Rehearsal's `judge(text, scenario, history) -> dict | None`."""

    def __init__(self, model: ChatModel, method: str = "auto", template: JudgeTemplate | None = None,
                 request_overrides: dict[str, Any] | None = None):
        super().__init__(model, method, request_overrides)
        self.template = template or judge_template()

    def messages(self, text: str, scenario: Scenario, history: list[tuple[str, str]]) -> list:
        person = scenario.counterpart
        categories = ", ".join(f"{s.id} ({s.label})" for s in STANCES if s.polarity < 0)
        return self.template.format_messages(counterpart=f"{person.name}, {person.role}", categories=categories,
                                             previous=previous_counterpart_line(history), line=text)

    def __call__(self, text: str, scenario: Scenario, history: list[tuple[str, str]]) -> dict | None:
        value = self.ask(self.messages(text, scenario, history), ToneVerdict, name="tone_verdict",
                         max_tokens=self.template.max_tokens, what="verdict")
        if value is None:
            return None
        verdict = value.model_dump()
        verdict["model"] = model_label(self.model)
        return verdict
