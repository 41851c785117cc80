"""The counterpart's voice. The engine decides the move and what may be said; a persona only words it.

Two renderers share one interface: the offline persona (speaks the line the engine picked from the scenario,
deterministic) and the model renderer (nextround.persona.llm, imported lazily because it needs the model stack),
which is told the move, the candor and only the insights the engine has cleared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

from nextround.engine import TurnDecision
from nextround.moves import ClosingTone, Move
from nextround.scenario import Insight, Scenario


@dataclass(frozen=True)
class ReplyRequest:
    scenario: Scenario
    move: Move
    candor: int
    unlocked: tuple[Insight, ...]  # everything the counterpart has been cleared to share so far
    reveal_now: tuple[Insight, ...]  # what this reply shares or goes deeper on
    history: tuple[tuple[str, str], ...]  # (role, text) of the conversation so far, this turn included
    offline_line: str  # what the offline counterpart says; also the fallback for a model that fails
    decision: TurnDecision | None = None
    closing_tone: ClosingTone | None = None


class Persona(Protocol):
    name: str

    def reply(self, request: ReplyRequest, on_token: Callable[[str], None] | None = None) -> str: ...


class OfflinePersona:
    """Speaks the scenario's own lines, as chosen by the engine."""

    name = "offline"

    def reply(self, request: ReplyRequest, on_token: Callable[[str], None] | None = None) -> str:
        if on_token is not None:
            on_token(request.offline_line)
        return request.offline_line
