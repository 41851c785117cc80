"""The session engine: a reading of the user's line -> candor -> unlocks -> the counterpart's move and line.

Everything here is deterministic and pure (no I/O, no model, no encoder): the course of a session depends only on
the scenario and the readings of the user's lines. The counterpart answers the user's *move*:

- a clear ask about a topic gets that topic: the reveal first, then each deeper layer, then a plain "that's all I
  know" (only insights whose candor threshold is met open; a topic asked too early gets a general deflection);
- a sincere question that sits between two topics, or near none, gets a short clarifying question naming the
  candidates (which costs no candor);
- an open request for advice, well put, gets the most accessible thing the counterpart may share;
- thanks, an apology, a named feeling, acceptance or a request to follow up are acknowledged in kind;
- contesting the decision gets a procedural answer; sarcasm, hostility, blame and ultimatums a cool one;
- small talk gets a brief answer; a statement that asks nothing gets an invitation to ask;
- the closing reflects how it went, and no counterpart line repeats while an unused line of its kind is left.

Persona renderers and the store consume what this module decides.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from nextround.moves import AckKind, ClosingTone, Move
from nextround.reading.stances import ADVERSARIAL_STANCES
from nextround.reading.types import ADVERSARIAL_AT, COLLABORATIVE_AT, NEUTRAL_SCORE, Reading, ToneResult
from nextround.scenario import Insight, Scenario

#: At most this many insights open on one line (a reply that shares more would be a lecture).
MAX_UNLOCKS_PER_TURN = 2

# Contesting the decision gets the process; the other adversarial stances get a cool, brief answer.
_PROCEDURAL_STANCES = frozenset({"contest", "demand", "entitlement", "comparison"})
# Stances answered in kind when the line asks nothing, in the order they take precedence.
_ACKNOWLEDGED: tuple[tuple[str, AckKind], ...] = (
    ("followup", "followup"), ("apology", "apology"), ("feeling", "feeling"), ("thanks", "thanks"),
    ("accept", "accept"), ("own", "accept"),
)


def next_candor(candor: int, score: int) -> int:
    """Move candor with the tone of one line. An adversarial line costs more than a collaborative one earns."""
    if score >= COLLABORATIVE_AT:
        gain = 4 + (score - COLLABORATIVE_AT) * 0.3  # 4 at 60, 10 at 80, 16 at 100
        gain *= min(1.0, (100 - candor) / 30)  # the last stretch of trust comes slowly
        value = candor + gain
    elif score > ADVERSARIAL_AT:
        value = candor + (score - NEUTRAL_SCORE) * 0.15  # neutral lines barely move it
    else:
        value = candor - (10 + (ADVERSARIAL_AT - score) * 0.5)  # -10 at 40, -20 at 20, -30 at 0
    return max(0, min(100, round(value)))


def layers(insight: Insight) -> list[str]:
    """What the counterpart can say on a topic, in order: the reveal, then each deeper layer."""
    return [insight.reveal, *insight.deeper]


# --- lines ----------------------------------------------------------------------------------------------------


@dataclass
class LineBook:
    """Which lines of each list were said, so no line repeats while an unused line of its kind is left.

    Deterministic: the first unused line of a list is taken; once all were said, the one said longest ago.
    """

    said: dict[str, list[int]] = field(default_factory=dict)

    def peek(self, key: str, options: list[str]) -> int:
        order = self.said.get(key, [])
        for i in range(len(options)):
            if i not in order:
                return i
        return order[0] if order else 0

    def mark(self, key: str, index: int) -> None:
        order = self.said.setdefault(key, [])
        if index in order:
            order.remove(index)
        order.append(index)


def _options(scenario: Scenario, key: str) -> list[str]:
    """The scenario's lines for a list key such as "cool", "acknowledge.thanks" or "closing.warm"."""
    value: object = scenario.lines
    for part in key.split("."):
        value = getattr(value, part.replace("-", "_"))
    return list(value)  # type: ignore[arg-type]


def _fill(template: str, **values: str) -> str:
    # Lines may hold only the placeholders the schema allows for their list, so a plain replace is enough.
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def options_phrase(scenario: Scenario, ids: tuple[str, ...]) -> str:
    """"A, or B" from the insights' `about` phrases, for a clarifying question."""
    abouts = [scenario.insight(i).about for i in ids]
    if len(abouts) == 1:
        return abouts[0]
    return ", ".join(abouts[:-1]) + ", or " + abouts[-1]


# --- decisions ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TurnDecision:
    """What the engine decided about one user line, and what the offline counterpart says back."""

    reading: Reading
    candor_before: int
    candor_after: int
    unlocked: tuple[str, ...]  # insight ids this line opened (asked about, or offered on an open request)
    move: Move
    topic: str | None  # the insight the reply is about, if any
    line: str  # what the offline counterpart says (a model renders its own words from the same decision)
    line_keys: tuple[tuple[str, int], ...] = ()  # (list, index) of the scenario lines used, for the line book
    layer: int | None = None  # which layer of the topic was said: 0 = the reveal, 1.. = deeper
    options: tuple[str, ...] = ()  # clarify: the insights the counterpart asks about
    ack: AckKind | None = None
    volunteered: bool = False
    guarded: tuple[str, ...] = ()  # topics asked while candor was too low

    @property
    def text(self) -> str:
        return self.reading.text

    @property
    def tone(self) -> ToneResult:
        return self.reading.tone

    @property
    def asked(self) -> tuple[str, ...]:
        return self.reading.topics

    @property
    def manipulation(self) -> bool:
        return self.reading.manipulation


@dataclass
class EngineState:
    scenario: Scenario
    candor: int
    unlocked: list[str] = field(default_factory=list)
    depth: dict[str, int] = field(default_factory=dict)  # layers said per insight (1 after the reveal)
    book: LineBook = field(default_factory=LineBook)
    decisions: list[TurnDecision] = field(default_factory=list)
    last_topic: str | None = None
    _undo: list[tuple] = field(default_factory=list, repr=False)

    @property
    def last_move(self) -> Move | None:
        return self.decisions[-1].move if self.decisions else None


def start(scenario: Scenario) -> EngineState:
    return EngineState(scenario=scenario, candor=scenario.start_candor)


class _Draft:
    """Builds one decision: which lines are used, so peeking stays pure until `apply`."""

    def __init__(self, state: EngineState):
        self.state = state
        self.keys: list[tuple[str, int]] = []

    def take(self, key: str) -> str:
        options = _options(self.state.scenario, key)
        index = self.state.book.peek(key, options)
        self.keys.append((key, index))
        return options[index]


def decide(state: EngineState, reading: Reading) -> TurnDecision:
    """Pure: what this line would do. `apply` commits it."""
    scenario = state.scenario
    draft = _Draft(state)
    score = reading.tone.score
    candor_after = next_candor(state.candor, score)
    base = dict(reading=reading, candor_before=state.candor, candor_after=candor_after)

    if reading.manipulation:
        return TurnDecision(**base, unlocked=(), move="deflect", topic=None, line=draft.take("deflect"),
                            line_keys=tuple(draft.keys))
    if reading.adversarial:
        stance = next((s for s in reading.stances if s in ADVERSARIAL_STANCES), None)
        move: Move = "procedural" if stance in _PROCEDURAL_STANCES else "cool"
        return TurnDecision(**base, unlocked=(), move=move, topic=None, line=draft.take(move),
                            line_keys=tuple(draft.keys))

    topics = tuple(reading.topics)
    if not topics and reading.more and state.last_topic is not None:
        topics = (state.last_topic,)  # "Can you say more?" follows the topic just discussed
    if not topics and reading.candidates and state.last_move == "clarify":
        topics = reading.candidates[:1]  # asked once already: answer the best guess rather than ask again
    if topics:
        return _answer_topics(state, draft, base, topics, candor_after)

    # A line whose main act is asking to meet again is answered in kind, even though it is a question that may
    # sit near a topic ("Thank you. Can we check in after my next review?").
    if reading.stances and reading.stances[0] == "followup":
        return TurnDecision(**base, unlocked=(), move="acknowledge", topic=None,
                            line=draft.take("acknowledge.followup"), ack="followup", line_keys=tuple(draft.keys))

    if reading.question and reading.sincere:
        if reading.open_ask and score >= COLLABORATIVE_AT:
            offer = [i for i in scenario.insights
                     if i.volunteer and i.id not in state.unlocked and candor_after >= i.min_candor]
            if offer:
                insight = min(offer, key=lambda i: i.min_candor)
                return TurnDecision(**base, unlocked=(insight.id,), move="reveal", topic=insight.id,
                                    line=insight.reveal, layer=0, volunteered=True, line_keys=tuple(draft.keys))
        options = tuple(reading.candidates[:2])
        if options:
            line = _fill(draft.take("clarify"), options=options_phrase(scenario, options))
            # A clarifying question costs no candor: the user asked sincerely and is being asked back.
            base["candor_after"] = max(candor_after, state.candor)
            return TurnDecision(**base, unlocked=(), move="clarify", topic=None, line=line, options=options,
                                line_keys=tuple(draft.keys))

    for stance, ack in _ACKNOWLEDGED:
        if stance in reading.stances:
            return TurnDecision(**base, unlocked=(), move="acknowledge", topic=None,
                                line=draft.take(f"acknowledge.{ack}"), ack=ack, line_keys=tuple(draft.keys))
    if "small_talk" in reading.stances:
        return TurnDecision(**base, unlocked=(), move="small-talk", topic=None, line=draft.take("small_talk"),
                            line_keys=tuple(draft.keys))
    return TurnDecision(**base, unlocked=(), move="steer", topic=None, line=draft.take("steer"),
                        line_keys=tuple(draft.keys))


def _answer_topics(state: EngineState, draft: _Draft, base: dict, topics: tuple[str, ...],
                   candor_after: int) -> TurnDecision:
    scenario = state.scenario
    reveal: list[str] = []
    guarded: list[str] = []
    for insight_id in topics:
        insight = scenario.insight(insight_id)
        if insight_id in state.unlocked:
            continue
        if candor_after >= insight.min_candor and len(reveal) < MAX_UNLOCKS_PER_TURN:
            reveal.append(insight_id)
        else:
            guarded.append(insight_id)
    if reveal:
        line = " ".join(scenario.insight(i).reveal for i in reveal)
        return TurnDecision(**base, unlocked=tuple(reveal), move="reveal", topic=reveal[0], line=line, layer=0,
                            guarded=tuple(guarded), line_keys=tuple(draft.keys))
    opened = [i for i in topics if i in state.unlocked]
    if opened:
        insight = scenario.insight(opened[0])
        said = state.depth.get(insight.id, 1)
        said_lines = layers(insight)
        if said < len(said_lines):
            return TurnDecision(**base, unlocked=(), move="deeper", topic=insight.id, line=said_lines[said],
                                layer=said, guarded=tuple(guarded), line_keys=tuple(draft.keys))
        line = _fill(draft.take("exhausted"), about=insight.about)
        return TurnDecision(**base, unlocked=(), move="exhausted", topic=insight.id, line=line,
                            guarded=tuple(guarded), line_keys=tuple(draft.keys))
    return TurnDecision(**base, unlocked=(), move="deflect", topic=guarded[0], line=draft.take("deflect"),
                        guarded=tuple(guarded), line_keys=tuple(draft.keys))


def apply(state: EngineState, decision: TurnDecision) -> None:
    """Commit a decision (kept undoable, so a retried line leaves no trace in the engine)."""
    state._undo.append((state.candor, list(state.unlocked), dict(state.depth), copy.deepcopy(state.book),
                        state.last_topic))
    state.candor = decision.candor_after
    for insight_id in decision.unlocked:
        state.unlocked.append(insight_id)
        state.depth[insight_id] = 1
    if decision.move == "deeper" and decision.topic is not None:
        state.depth[decision.topic] = (decision.layer or 0) + 1
    for key, index in decision.line_keys:
        state.book.mark(key, index)
    if decision.topic is not None and decision.move in ("reveal", "deeper", "exhausted"):
        state.last_topic = decision.topic
    state.decisions.append(decision)


def retract(state: EngineState) -> TurnDecision | None:
    """Undo the last line (the user rephrases it): candor, unlocks and used lines return to what they were."""
    if not state.decisions:
        return None
    last = state.decisions.pop()
    state.candor, state.unlocked, state.depth, state.book, state.last_topic = state._undo.pop()
    return last


# --- the end of the meeting -----------------------------------------------------------------------------------


def closing_tone(state: EngineState) -> ClosingTone:
    """Warm only after a talk that went well; a hostile, sarcastic or empty one never ends warmly."""
    said = state.decisions
    if not said:
        return "neutral"
    adversarial = sum(1 for d in said if d.reading.adversarial)
    if state.candor < state.scenario.start_candor or adversarial * 3 >= len(said) or said[-1].reading.adversarial:
        return "cool"
    if adversarial == 0 and state.candor >= state.scenario.start_candor + 10:
        return "warm"
    return "neutral"


@dataclass(frozen=True)
class Closing:
    tone: ClosingTone
    line: str
    line_keys: tuple[tuple[str, int], ...]


def close(state: EngineState) -> Closing:
    """The counterpart's goodbye, fitted to how the meeting went; marks the line as said."""
    tone = closing_tone(state)
    draft = _Draft(state)
    line = draft.take(f"closing.{tone}")
    for key, index in draft.keys:
        state.book.mark(key, index)
    return Closing(tone, line, tuple(draft.keys))


# --- hints ----------------------------------------------------------------------------------------------------


def hint(state: EngineState) -> str:
    """Advice for the next line: which topic is still closed and how to open it."""
    locked = [i for i in state.scenario.insights if i.id not in state.unlocked]
    if not locked:
        return "You have heard everything this person had to share. Thank them and agree on a next step, then /end."
    target: Insight = min(locked, key=lambda i: i.min_candor)
    if state.candor < target.min_candor:
        return (
            f"They are still guarded (candor {state.candor}). Make clear you accept the decision and want to grow, "
            f"then: {target.ask_hint}"
        )
    return target.ask_hint
