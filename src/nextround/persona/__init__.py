"""The counterpart's voice. The engine decides what may be said; a persona only words it.

Two renderers share one interface: the offline line picker (scenario lines, deterministic) and the LLM
renderer (nextround.persona.llm, imported lazily because it needs the model stack).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal, Protocol

from nextround.engine import EngineState, ReplyKind, TurnDecision, layers
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
        return counters.take("closing", lines.closing.warm if warm else lines.closing.cool)
    if kind == "reveal" and decision is not None:
        parts = []
        for insight_id in decision.unlocked:
            parts.append(scenario.insight(insight_id).reveal)
        return " ".join(parts)
    if kind == "more" and decision is not None:
        insight = scenario.insight(decision.asked[0])
        said = layers(insight)
        index = state.revealed_count.get(insight.id, 1) - 1
        return said[min(index, len(said) - 1)]
    options = {
        "already_shared": lines.exhausted,
        "guarded": lines.deflect,
        "defensive": lines.procedural,
        "acknowledge": lines.acknowledge.accept + lines.acknowledge.thanks,
        "off_topic": lines.steer,
    }[kind]
    about = scenario.insight(decision.asked[0]).about if decision is not None and decision.asked else "that"
    return counters.take(kind, options).replace("{about}", about)


class OfflinePersona:
    """Speaks the scenario's own lines, as chosen by the engine."""

    name = "offline"

    def reply(self, request: ReplyRequest, on_token: Callable[[str], None] | None = None) -> str:
        if on_token is not None:
            on_token(request.offline_line)
        return request.offline_line
