"""Tokens spent, from LangChain's usage metadata; an estimate for servers that report none.

`UsageMeter` is a callback handler attached to the chat model, so every call (persona, judge, reader, plan
wording) is counted in one place. ChatOpenAI is built with ``stream_usage=True``, so a streamed reply carries
its usage too when the server reports it. llama.cpp's server reports none while streaming: then the prompt is
estimated at about four characters a token and the reply counts one token per streamed piece (its server sends
one token per chunk); a non-streamed reply without usage is estimated from its text.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler


def estimate_tokens(text: str) -> int:
    """A rough count (about 4 characters a token) for servers that do not report usage."""
    return max(1, round(len(text) / 4)) if text else 0


def message_text(message: Any) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks
        return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return str(content)


class UsageMeter(BaseCallbackHandler):
    """Tokens spent since the last `pop`, shared by the persona, the judge and the reader of one session."""

    def __init__(self) -> None:
        self.prompt = 0
        self.completion = 0
        self._calls: dict[UUID, dict[str, int]] = {}

    # --- callbacks ---------------------------------------------------------------------------------------------

    def on_chat_model_start(self, serialized: dict[str, Any], messages: list[list[Any]], *, run_id: UUID,
                            **kwargs: Any) -> None:
        text = "\n".join(message_text(m) for batch in messages for m in batch)
        self._calls[run_id] = {"prompt": estimate_tokens(text), "pieces": 0}

    def on_llm_new_token(self, token: str, *, run_id: UUID, **kwargs: Any) -> None:
        call = self._calls.get(run_id)
        if call is not None and token:
            call["pieces"] += 1

    def on_llm_end(self, response: Any, *, run_id: UUID, **kwargs: Any) -> None:
        call = self._calls.pop(run_id, {"prompt": 0, "pieces": 0})
        reported = _reported_usage(response)
        if reported is not None:
            self.add(*reported)
            return
        text = "".join(g.text for batch in response.generations for g in batch)
        self.add(call["prompt"], call["pieces"] or estimate_tokens(text))

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self._calls.pop(run_id, None)

    # --- the meter ---------------------------------------------------------------------------------------------

    def add(self, prompt: int, completion: int) -> None:
        self.prompt += max(0, int(prompt or 0))
        self.completion += max(0, int(completion or 0))

    def pop(self) -> tuple[int, int]:
        value = (self.prompt, self.completion)
        self.prompt = self.completion = 0
        return value


def _reported_usage(response: Any) -> tuple[int, int] | None:
    for batch in response.generations:
        for generation in batch:
            usage = getattr(getattr(generation, "message", None), "usage_metadata", None)
            if usage and (usage.get("input_tokens") or usage.get("output_tokens")):
                return usage.get("input_tokens", 0), usage.get("output_tokens", 0)
    usage = (response.llm_output or {}).get("token_usage") if isinstance(response.llm_output, dict) else None
    if usage and (usage.get("prompt_tokens") or usage.get("completion_tokens")):
        return usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)
    return None
