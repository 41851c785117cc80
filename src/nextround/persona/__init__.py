"""The counterpart's voice. The engine decides what may be said; a persona only words it.

Two renderers share one interface: the offline line picker (scenario lines, deterministic) and the LLM
renderer (nextround.persona.llm, imported lazily because it needs the model stack).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal, Protocol

from nextround.engine import EngineState, ReplyKind, TurnDecision
from nextround.scenario import Insight, Scenario

MomentKind = ReplyKind | Literal["opening", "closing"]


@dataclass(frozen=True)
class ReplyRequest:
    scenario: Scenario
    kind: MomentKind
    candor: int
    unlocked: tuple[Insight, ...]  # everything the counterpart has been cleared to share so far
    reveal_now: tuple[Insight, ...]  # what this reply should share
    history: tuple[tuple[str, str], ...]  # (role, text) of the conversation so far, this turn included
    offline_line: str  # what the offline counterpart says; also the fallback for a model that fails
    decision: TurnDecision | None = None


class Persona(Protocol):
    name: str

    def reply(self, request: ReplyRequest, on_token: Callable[[str], None] | None = None) -> str: ...


@dataclass
class LineCounters:
    """How often each kind of line was used, so lines rotate without randomness."""

    used: dict[str, int] = field(default_factory=dict)

    def take(self, kind: str, options: list[str]) -> str:
        n = self.used.get(kind, 0)
        self.used[kind] = n + 1
        return options[n % len(options)]


def offline_line(scenario: Scenario, kind: MomentKind, state: EngineState, decision: TurnDecision | None,
                 counters: LineCounters) -> str:
    lines = scenario.lines
    if kind == "opening":
        return lines.opening
    if kind == "closing":
        warm = state.candor >= state.scenario.start_candor
        return counters.take("closing", lines.closing if warm else lines.closing_cool)
    if kind == "reveal" and decision is not None:
        parts = []
        for insight_id in decision.unlocked:
            parts.append(scenario.insight(insight_id).reveal[0])
        return " ".join(parts)
    if kind == "more" and decision is not None:
        insight = scenario.insight(decision.asked[0])
        index = state.revealed_count.get(insight.id, 1) - 1
        return insight.reveal[min(index, len(insight.reveal) - 1)]
    options = {
        "already_shared": lines.already_shared,
        "guarded": lines.guarded,
        "defensive": lines.defensive,
        "acknowledge": lines.acknowledge,
        "off_topic": lines.off_topic,
    }[kind]
    return counters.take(kind, options)


class OfflinePersona:
    """Speaks the scenario's own lines, as chosen by the engine."""

    name = "offline"

    def reply(self, request: ReplyRequest, on_token: Callable[[str], None] | None = None) -> str:
        if on_token is not None:
            on_token(request.offline_line)
        return request.offline_line
