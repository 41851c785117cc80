"""The session engine: tone -> candor -> unlocks -> what the counterpart may say.

Everything here is deterministic and pure (no I/O, no model), so the course of a session depends only on the
scenario and the user's words. Persona renderers and the store consume what this module decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from nextround.scenario import Insight, Scenario
from nextround.tone import ADVERSARIAL_AT, COLLABORATIVE_AT, ToneResult

ReplyKind = Literal["reveal", "more", "already_shared", "guarded", "defensive", "acknowledge", "off_topic"]

# The engine uses the scorer's bands: >= COLLABORATIVE_AT (60) earns candor, <= ADVERSARIAL_AT (40) costs it.
MAX_UNLOCKS_PER_TURN = 2

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Attempts to talk the counterpart out of its role. They never unlock anything.
_MANIPULATION = re.compile(
    r"\b(ignore|disregard|forget)\b[^.?!]{0,40}\b(instructions?|rules|prompt|previous|above|guidelines)\b"
    r"|\bsystem prompt\b|\byou are now\b|\bpretend (?:to be|you)\b|\bact as\b|\bjailbreak\b"
    r"|\b(?:tell|reveal|give|show) me (?:all|every ?thing|everything)\b|\bhidden insights?\b|\bdeveloper mode\b",
    re.IGNORECASE,
)


# An open request for advice. With candor high enough, the counterpart volunteers the next thing it knows.
_OPEN_ASK = re.compile(
    r"\b(advice|advise|feedback|suggest\w*|recommend\w*|anything else|what else|what should i|what would you"
    r"|what could i|how can i|how could i|how do i|where should i|what do you think|your (?:view|thoughts|perspective|take)"
    r"|pointers|guidance)\b",
    re.IGNORECASE,
)


def is_open_ask(text: str) -> bool:
    return bool(_OPEN_ASK.search(text))


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


# Endings that replace a final "e": "advocate" -> "advocating", "prove" -> "proved", "contribute" -> "contribution".
_E_ENDINGS = ("ing", "ed", "ion", "ions", "or", "ors", "ive")


def word_matches(cue_word: str, word: str) -> bool:
    if word.startswith(cue_word):
        return True
    if len(cue_word) >= 4 and cue_word.endswith("e"):
        stem = cue_word[:-1]
        return word.startswith(stem) and word[len(stem):] in _E_ENDINGS
    return False


def cue_matches(cue_words: tuple[str, ...], turn_words: list[str]) -> bool:
    """A cue matches when its words start consecutive words of the turn ("skill" matches "skills")."""
    n = len(cue_words)
    if n == 0 or n > len(turn_words):
        return False
    for i in range(len(turn_words) - n + 1):
        if all(word_matches(cue_words[j], turn_words[i + j]) for j in range(n)):
            return True
    return False


@lru_cache(maxsize=4096)
def _cue_words(cue: str) -> tuple[str, ...]:
    return tuple(words(cue))


def topics_asked(scenario: Scenario, text: str) -> list[str]:
    """Insight ids whose topic the turn touches, in scenario order."""
    turn_words = words(text)
    asked = []
    for insight in scenario.insights:
        if any(cue_matches(_cue_words(cue), turn_words) for cue in insight.cues):
            asked.append(insight.id)
    return asked


def layers(insight: Insight) -> list[str]:
    """What the counterpart can say on a topic, in order: the reveal, then each deeper layer."""
    return [insight.reveal, *insight.deeper]


def is_manipulation(text: str) -> bool:
    return bool(_MANIPULATION.search(text))


def next_candor(candor: int, score: int) -> int:
    """Move candor with the tone of one turn. An adversarial turn costs more than a collaborative one earns."""
    if score >= COLLABORATIVE_AT:
        gain = 4 + (score - COLLABORATIVE_AT) * 0.3  # 4 at 60, 10 at 80, 16 at 100
        gain *= min(1.0, (100 - candor) / 30)  # the last stretch of trust comes slowly
        value = candor + gain
    elif score > ADVERSARIAL_AT:
        value = candor + (score - 50) * 0.15  # neutral lines barely move it
    else:
        value = candor - (10 + (ADVERSARIAL_AT - score) * 0.5)  # -10 at 40, -20 at 20, -30 at 0
    return max(0, min(100, round(value)))


@dataclass(frozen=True)
class TurnDecision:
    """What the engine decided about one user turn."""

    text: str
    tone: ToneResult
    candor_before: int
    candor_after: int
    asked: tuple[str, ...]  # insight ids the turn touched
    unlocked: tuple[str, ...]  # insight ids unlocked by this turn (asked about, or volunteered)
    guarded: tuple[str, ...]  # asked, still locked: candor too low
    reply_kind: ReplyKind
    manipulation: bool = False


@dataclass
class EngineState:
    scenario: Scenario
    candor: int
    unlocked: list[str] = field(default_factory=list)
    revealed_count: dict[str, int] = field(default_factory=dict)  # how many reveal lines each insight has used
    decisions: list[TurnDecision] = field(default_factory=list)
    ended: bool = False


def start(scenario: Scenario) -> EngineState:
    return EngineState(scenario=scenario, candor=scenario.start_candor)


def decide(state: EngineState, text: str, tone: ToneResult, model_topics: tuple[str, ...] = ()) -> TurnDecision:
    """Pure: what this turn would do to the state. `apply` commits it.

    `model_topics`: insight ids the model's reading added (`nextround.reading.merge` already held them to its
    rules); they count as asked, and candor and the adversarial checks below still decide whether they open."""
    scenario = state.scenario
    candor_after = next_candor(state.candor, tone.score)
    manipulation = is_manipulation(text)
    asked = tuple(topics_asked(scenario, text))
    asked += tuple(t for t in model_topics if t not in asked)
    fresh = [i for i in asked if i not in state.unlocked]
    unlockable: list[str] = []
    guarded: list[str] = []
    for insight_id in fresh:
        insight = scenario.insight(insight_id)
        if (
            not manipulation
            and tone.score > ADVERSARIAL_AT
            and candor_after >= insight.min_candor
            and len(unlockable) < MAX_UNLOCKS_PER_TURN
        ):
            unlockable.append(insight_id)
        else:
            guarded.append(insight_id)
    if (
        not asked
        and not manipulation
        and tone.score >= COLLABORATIVE_AT
        and is_open_ask(text)
    ):
        # An open, well-put request for advice: the counterpart offers the most accessible thing it may share.
        offer = [i for i in scenario.insights
                 if i.volunteer and i.id not in state.unlocked and candor_after >= i.min_candor]
        if offer:
            unlockable.append(min(offer, key=lambda i: i.min_candor).id)

    if tone.score <= ADVERSARIAL_AT or manipulation:
        kind: ReplyKind = "defensive"
    elif unlockable:
        kind = "reveal"
    elif guarded:
        kind = "guarded"
    elif asked:
        insight_id = asked[0]
        used = state.revealed_count.get(insight_id, 0)
        kind = "more" if used < len(layers(scenario.insight(insight_id))) else "already_shared"
    elif tone.score >= COLLABORATIVE_AT - 5:
        kind = "acknowledge"
    else:
        kind = "off_topic"
    return TurnDecision(
        text=text,
        tone=tone,
        candor_before=state.candor,
        candor_after=candor_after,
        asked=asked,
        unlocked=tuple(unlockable),
        guarded=tuple(guarded),
        reply_kind=kind,
        manipulation=manipulation,
    )


def apply(state: EngineState, decision: TurnDecision) -> None:
    state.candor = decision.candor_after
    for insight_id in decision.unlocked:
        state.unlocked.append(insight_id)
        state.revealed_count[insight_id] = 1
    if decision.reply_kind == "more":
        insight_id = decision.asked[0]
        state.revealed_count[insight_id] = state.revealed_count.get(insight_id, 0) + 1
    state.decisions.append(decision)


def retract(state: EngineState) -> TurnDecision | None:
    """Undo the last turn (the user rephrases it): candor and unlocks return to what they were before."""
    if not state.decisions:
        return None
    last = state.decisions.pop()
    state.candor = last.candor_before
    for insight_id in last.unlocked:
        state.unlocked.remove(insight_id)
        state.revealed_count.pop(insight_id, None)
    if last.reply_kind == "more":
        insight_id = last.asked[0]
        state.revealed_count[insight_id] = max(1, state.revealed_count.get(insight_id, 1) - 1)
    return last


def hint(state: EngineState) -> str:
    """Advice for the next turn: which topic is still closed and how to open it."""
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
