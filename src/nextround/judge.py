"""The LLM tone judge: a second opinion (score, reason, rewrite) next to the local score.

It never steers the session: candor and unlocks follow the local score. On any failure (unreachable endpoint,
an error status, a reply that is not valid JSON or does not validate after one retry) it returns None and the
local score stands alone.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from nextround.llm import ChatClient, LLMError
from nextround.scenario import Scenario
from nextround.structured import structured_call
from nextround.templates import JudgeTemplate, fill, judge_template


class ToneVerdict(BaseModel):
    """What the judge must return. Extra keys from a chatty model are ignored, not fatal."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    score: int = Field(ge=0, le=100, description="0 = adversarial, 100 = collaborative")
    reason: str = Field(min_length=1, max_length=600, description="one sentence: why it lands that way")
    rewrite: str = Field(min_length=1, max_length=800, description="the same request, said collaboratively")

    @field_validator("score", mode="before")
    @classmethod
    def _round_float(cls, value: Any) -> Any:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value


class ToneJudge:
    """Callable as Rehearsal's `judge(text, scenario, history) -> dict | None`."""

    def __init__(self, client: ChatClient, method: str = "auto", template: JudgeTemplate | None = None,
                 request_overrides: dict[str, Any] | None = None):
        self.client = client
        self.method = method
        self.template = template or judge_template()
        self.request_overrides = dict(request_overrides or {}) or None
        self.failures: list[str] = []  # why the judge stayed silent, for the curious (and the tests)
        self._unreachable = False

    def messages(self, text: str, scenario: Scenario, history: list[tuple[str, str]]) -> list[dict[str, str]]:
        person = scenario.counterpart
        previous = next((t for role, t in reversed(history) if role == "counterpart"), "")
        return [
            {"role": "system", "content": fill(self.template.system, counterpart=f"{person.name}, {person.role}")},
            {"role": "user", "content": fill(self.template.user, previous=previous, line=text)},
        ]

    def __call__(self, text: str, scenario: Scenario, history: list[tuple[str, str]]) -> dict | None:
        if self._unreachable:
            return None
        try:
            result = structured_call(
                self.client, self.messages(text, scenario, history), ToneVerdict, name="tone_verdict",
                method=self.method, max_tokens=self.template.max_tokens, extra=self.request_overrides,
                temperature=0.0,
            )
        except LLMError as exc:
            # The counterpart's reply will meet the same endpoint and say what is wrong; the judge stays quiet.
            self.failures.append(str(exc))
            if exc.status is None or exc.status in {401, 403, 404}:
                self._unreachable = True
            return None
        if result.value is None:
            self.failures.append(result.error or "no valid verdict")
            return None
        verdict = result.value.model_dump()
        verdict["model"] = self.client.model
        return verdict
