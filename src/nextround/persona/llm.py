"""The counterpart rendered by a chat model. The engine has already decided what may be said.

The prompt holds the persona, their style, the current candor, the reply kind the engine chose, the recent turns,
and ONLY the insights the engine has cleared (this reply's `reveal_now` and what was `unlocked` before). Nothing
else from the scenario reaches the model, so it cannot leak what it was never told, whatever the user types.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from nextround.llm import ChatClient
from nextround.persona import ReplyRequest
from nextround.templates import PersonaTemplate, fill, persona_template

# The prompt template still speaks of the first engine's reply kinds (being replaced by the model layer's).
_KIND_OF_MOVE = {"opening": "opening", "reveal": "reveal", "deeper": "more", "exhausted": "already_shared",
                 "deflect": "guarded", "procedural": "defensive", "cool": "defensive", "acknowledge": "acknowledge",
                 "clarify": "acknowledge", "small-talk": "off_topic", "steer": "off_topic", "closing": "closing"}

# Small models sometimes go on to write the other side of the dialogue; stop them there.
STOP = ["\nYou:", "\nCandidate:", "\nUser:", "\nMe:"]


class LLMPersona:
    name = "openai"

    def __init__(self, client: ChatClient, template: PersonaTemplate | None = None,
                 request_overrides: dict[str, Any] | None = None):
        self.client = client
        self.template = template or persona_template()
        # Extra request fields (e.g. sampling options); tests use it to record a real empty reply.
        self.request_overrides = dict(request_overrides or {})
        self.fallbacks = 0  # replies where the model said nothing and the offline line was used
        self.last_fallback = False

    # --- the prompt ----------------------------------------------------------------------------------------------

    def build_messages(self, request: ReplyRequest) -> list[dict[str, str]]:
        t = self.template
        scenario = request.scenario
        person = scenario.counterpart
        system = fill(
            t.system, name=person.name, role=person.role, setting=getattr(t.setting, scenario.kind),
            style=person.style, candor=request.candor, candor_words=t.candor_words.for_candor(request.candor),
        )
        now_ids = {i.id for i in request.reveal_now}
        earlier = [i for i in request.unlocked if i.id not in now_ids]
        knowledge = []
        if request.reveal_now:
            knowledge.append(fill(t.share_now, items=" ".join(i.knows for i in request.reveal_now)))
        if earlier:
            knowledge.append(fill(t.shared_before, items=" ".join(i.knows for i in earlier)))
        if not knowledge:
            knowledge.append(fill(t.nothing_to_share))
        task = getattr(t.kinds, _KIND_OF_MOVE.get(request.move, "acknowledge"))
        parts = [system, *knowledge, f"What to do in this reply: {task}"]
        if request.offline_line:
            parts.append(fill(t.guidance, offline_line=request.offline_line))
        messages = [{"role": "system", "content": "\n\n".join(parts)}]
        for role, text in request.history[-t.history_turns:]:
            messages.append({"role": "assistant" if role == "counterpart" else "user", "content": text})
        if request.move == "closing" or messages[-1]["role"] != "user":
            messages.append({"role": "user", "content": "[The meeting is wrapping up.]"})
        return messages

    # --- the reply -----------------------------------------------------------------------------------------------

    def reply(self, request: ReplyRequest, on_token: Callable[[str], None] | None = None) -> str:
        messages = self.build_messages(request)
        cleaner = _PrefixCleaner(request.scenario.counterpart.name, on_token)
        extra = {"stop": STOP, **self.request_overrides}
        self.client.stream(messages, cleaner.feed, max_tokens=self.template.max_tokens, extra=extra)
        cleaner.finish()
        said = cleaner.emitted.strip()
        self.last_fallback = not said
        if not said:
            # The model said nothing usable: the engine's own line stands in, so the rehearsal goes on.
            self.fallbacks += 1
            if on_token is not None:
                on_token(request.offline_line)
            return request.offline_line
        return said

    def pop_usage(self) -> tuple[int, int]:
        return self.client.meter.pop()


class _PrefixCleaner:
    """Streams text through, minus a leading speaker label ("Dana Okafor:") and leading whitespace or quotes."""

    def __init__(self, name: str, on_token: Callable[[str], None] | None):
        first = re.escape(name.split()[0]) if name.split() else "x"
        self._label = re.compile(rf"^\s*\**(?:{re.escape(name)}|{first})\**\s*:\s*", re.IGNORECASE)
        self._hold = len(name) + 4
        self._buffer = ""
        self._started = False
        self._on_token = on_token
        self.emitted = ""

    def feed(self, piece: str) -> None:
        if self._started:
            self._emit(piece)
            return
        self._buffer += piece
        if len(self._buffer) >= self._hold or "\n" in self._buffer.strip():
            self._flush()

    def finish(self) -> None:
        if not self._started:
            self._flush()

    def _flush(self) -> None:
        self._started = True
        text = self._label.sub("", self._buffer, count=1).lstrip().lstrip('"“')
        self._buffer = ""
        if text:
            self._emit(text)

    def _emit(self, text: str) -> None:
        if not self.emitted:
            text = text.lstrip()
            if not text:
                return
        self.emitted += text
        if self._on_token is not None:
            self._on_token(text)
