"""The counterpart rendered by a chat model. The engine has already decided what may be said.

The prompt holds the persona, their style, the current candor, the guidance for the move the engine chose, the
recent turns, and ONLY the insights the engine has cleared (this reply's `reveal_now` and what was `unlocked`
before). Nothing else from the scenario reaches the model, so it cannot leak what it was never told, whatever
the user types. The model is any langchain-core chat model; its reply streams.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from nextround.models.chat import ChatModel, call_options, endpoint_of, is_openai_client
from nextround.models.errors import model_errors, not_an_api_reply
from nextround.models.prompts import PersonaTemplate, fill, persona_template
from nextround.models.usage import UsageMeter, message_text

from nextround.persona import ReplyRequest

# Small models sometimes go on to write the other side of the dialogue; stop them there.
STOP = ["\nYou:", "\nCandidate:", "\nUser:", "\nMe:"]


class LLMPersona:
    name = "model"

    def __init__(self, model: ChatModel, template: PersonaTemplate | None = None, meter: UsageMeter | None = None,
                 request_overrides: dict[str, Any] | None = None):
        self.model = model
        self.template = template or persona_template()
        self.meter = meter  # the session's usage meter, attached to the model as a callback
        # Extra request fields (e.g. sampling options); tests use it to record a real empty reply.
        self.request_overrides = dict(request_overrides or {})
        self.fallbacks = 0  # replies where the model said nothing and the offline line was used
        self.last_fallback = False

    # --- the prompt ----------------------------------------------------------------------------------------------

    def build_messages(self, request: ReplyRequest) -> list:
        from langchain_core.messages import AIMessage, HumanMessage

        t = self.template
        scenario = request.scenario
        person = scenario.counterpart
        now_ids = {i.id for i in request.reveal_now}
        earlier = [i for i in request.unlocked if i.id not in now_ids]
        knowledge = []
        if request.reveal_now:
            knowledge.append(fill(t.share_now, items=" ".join(i.knows for i in request.reveal_now)))
        if earlier:
            knowledge.append(fill(t.shared_before, items=" ".join(i.knows for i in earlier)))
        if not knowledge:
            knowledge.append(fill(t.nothing_to_share))
        history = [AIMessage(content=text) if role == "counterpart" else HumanMessage(content=text)
                   for role, text in request.history[-t.history_turns:]]
        move = request.move
        if move == "closing" or not history or not isinstance(history[-1], HumanMessage):
            history.append(HumanMessage(content=fill(t.wrap_up)))
        return t.format_messages(
            name=person.name, role=person.role, setting=getattr(t.setting, scenario.kind), style=person.style,
            candor=request.candor, candor_words=t.candor_words.for_candor(request.candor),
            knowledge="\n\n".join(knowledge), task=t.moves[move],
            guidance=fill(t.guidance, offline_line=request.offline_line) if request.offline_line else "",
            history=history,
        )

    # --- the reply -----------------------------------------------------------------------------------------------

    def reply(self, request: ReplyRequest, on_token: Callable[[str], None] | None = None) -> str:
        messages = self.build_messages(request)
        cleaner = _PrefixCleaner(request.scenario.counterpart.name, on_token)
        options = call_options(self.model, **{"max_tokens": self.template.max_tokens, "temperature": 0.7,
                                               **self.request_overrides})
        chunks = 0
        with model_errors(self.model):
            try:
                for chunk in self.model.stream(messages, stop=STOP, **options):
                    chunks += 1
                    piece = message_text(chunk)
                    if piece:
                        cleaner.feed(piece)
            except ValueError as exc:
                # Some LangChain classes stream no chunk at all for an empty reply; an OpenAI-compatible server
                # always sends at least a role and a finish event, so there it means something else.
                if is_openai_client(self.model) or "no generation chunks" not in str(exc).lower():
                    raise
                chunks = -1
        if chunks == 0:
            # Even an empty reply streams a role and a finish event; nothing at all means this is no chat API.
            raise not_an_api_reply(endpoint_of(self.model), "no stream events")
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
        return self.meter.pop() if self.meter is not None else (0, 0)


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
